/**
 * External dependencies
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';

/**
 * Internal dependencies
 */
import { ChannelCard } from '../../../admin-ui/src/components/channels/channel-card';
import { History } from '../../../admin-ui/src/components/history';
import { Orders } from '../../../admin-ui/src/components/orders';
import { Overview } from '../../../admin-ui/src/components/overview';
import { Products } from '../../../admin-ui/src/components/products';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const STATUS = { channel: 'ebay', mode: 'shadow', connected: true, lastPush: { atMs: Date.UTC( 2025, 5, 1 ), sku: 'MUG', quantity: 3 }, latencyP50Ms: 40, latencyP99Ms: 90, backlog: 0, pending: 0, inFlight: 0, throttled: 0, headroom: { bulkUpdate: 4 }, deadLetters: 2, pushes: { applied: 5 } };

function useRoutes( routes ) {
	apiFetch.mockImplementation( fakeApiFetch( routes ) );
}

describe( 'Overview', () => {
	test( 'shows open alerts before the channel table', async () => {
		useRoutes( { 'GET channels': { channels: [ STATUS ] }, 'GET oversells': { oversells: [] } } );
		render( <Overview /> );
		const table = await screen.findByRole( 'table', { name: 'Sync health per channel' } );
		// Notices also announce their text in a live region, so the text appears twice.
		const [ alert ] = screen.getAllByText( 'eBay: 2 dead letters, pushes or marketplace events that gave up, wait for a retry or a resolve.' );
		expect( alert.compareDocumentPosition( table ) & Node.DOCUMENT_POSITION_FOLLOWING ).toBeTruthy();
		expect( within( table ).getByText( 'Failing' ) ).toBeInTheDocument();
	} );

	test( 'says the daemon is unreachable instead of showing a blank page', async () => {
		useRoutes( { 'GET channels': () => [ 502, { code: 'shelfguard_daemon_unreachable', message: 'The Shelfguard daemon did not answer.' } ], 'GET oversells': { oversells: [] } } );
		render( <Overview /> );
		expect( await screen.findByText( 'The Shelfguard daemon is unreachable.' ) ).toBeInTheDocument();
		expect( screen.getByRole( 'button', { name: 'Try again' } ) ).toBeInTheDocument();
	} );

	test( 'shows a loading state while the daemon answers', () => {
		apiFetch.mockImplementation( () => new Promise( () => {} ) );
		render( <Overview /> );
		expect( screen.getByRole( 'status' ) ).toHaveTextContent( 'Loading channel status…' );
	} );
} );

describe( 'ChannelCard', () => {
	test( 'runs validation and reads its report', async () => {
		useRoutes( { 'POST channels/ebay/validate': { channel: 'ebay', ok: true, listingsChecked: 4, drifted: 1, driftRatio: 0.25, byCause: { changed_outside_shelfguard: 1 }, sample: [ { sku: 'MUG', listingId: 1, expected: 3, shown: 9, cause: 'changed_outside_shelfguard' } ], promotable: false, threshold: 0.02 } } );
		render( <ChannelCard status={ STATUS } onChanged={ jest.fn() } /> );
		await userEvent.click( screen.getByRole( 'button', { name: 'Run validation for eBay' } ) );
		expect( await screen.findByText( 'Not ready for live.' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Changed outside Shelfguard' ) ).toBeInTheDocument();
	} );

	test( 'promoting reloads the channel list', async () => {
		useRoutes( { 'POST channels/ebay/promote': { promoted: true, message: 'ebay is now live', report: { ok: true, listingsChecked: 4, drifted: 0, driftRatio: 0, sample: [], promotable: true, threshold: 0.02 } } } );
		const onChanged = jest.fn();
		render( <ChannelCard status={ STATUS } onChanged={ onChanged } /> );
		await userEvent.click( screen.getByRole( 'button', { name: 'Promote eBay to live' } ) );
		expect( ( await screen.findAllByText( 'ebay is now live' ) )[ 0 ] ).toBeInTheDocument();
		expect( onChanged ).toHaveBeenCalled();
	} );
} );

describe( 'Products', () => {
	test( 'lists every SKU with what each channel shows, numbers right-aligned', async () => {
		useRoutes( {
			'GET skus': { skus: [ { sku: 'MUG', name: 'Blue mug', kind: 'simple', tracksStock: true, onHand: 7, committed: 2, available: 5 } ], next: null },
			'GET listings': { listings: [ { channel: 'ebay', sku: 'MUG', channelSku: 'MUG', buffer: 1, cap: null, published: 4, active: true } ] },
		} );
		render( <Products /> );
		expect( await screen.findByText( 'Blue mug' ) ).toBeInTheDocument();
		const shown = screen.getByText( 'buffer 1', { exact: false } ).closest( '.shelfguard-products__number' );
		expect( shown ).toHaveTextContent( '4 (buffer 1)' );
	} );

	test( 'an empty catalogue says where SKUs come from', async () => {
		useRoutes( { 'GET skus': { skus: [], next: null }, 'GET listings': { listings: [] } } );
		render( <Products /> );
		expect( await screen.findByText( /No SKUs yet/ ) ).toBeInTheDocument();
	} );
} );

describe( 'History', () => {
	test( 'pages through movements newest first with the cursor the daemon gave', async () => {
		const movement = ( id ) => ( { id, sku: 'MUG', location: 'main', deltaOnHand: -1, deltaCommitted: 0, deltaDamaged: 0, reason: 'sold', channel: 'ebay', reference: `ebay://order/${ id }`, actor: 'ebay', key: id, createdAt: '2025-06-01T10:00:00.000Z' } );
		const queries = [];
		useRoutes( {
			'GET skus': { skus: [ { sku: 'MUG', name: 'Blue mug' } ] },
			'GET skus/MUG/why': { sku: 'MUG', stockHolder: 'MUG', channels: [ { channel: 'ebay', channelSku: 'MUG', mode: 'live', published: 4, steps: [ { step: 'available', value: 5, detail: 'available at main' }, { step: 'buffer', value: 4, detail: 'minus buffer 1' } ] } ] },
			'GET movements': ( { query } ) => {
				queries.push( query );
				return [ 200, query.after ? { movements: [ movement( 'm_1' ) ], next: null } : { movements: [ movement( 'm_3' ), movement( 'm_2' ) ], next: 'm_2' } ];
			},
		} );
		render( <History /> );
		await userEvent.selectOptions( await screen.findByLabelText( 'SKU' ), 'MUG' );
		expect( await screen.findByText( 'ebay://order/m_3' ) ).toBeInTheDocument();
		expect( screen.getByText( 'eBay shows 4 (Live)' ) ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Older' } ) );
		expect( await screen.findByText( 'ebay://order/m_1' ) ).toBeInTheDocument();
		expect( queries.map( ( query ) => query.after ?? null ) ).toEqual( [ null, 'm_2' ] );
		expect( queries[ 0 ] ).toMatchObject( { sku: 'MUG', order: 'desc' } );
	} );
} );

describe( 'Orders and returns', () => {
	test( 'says when the daemon has no orders route, and still lists oversell attempts', async () => {
		useRoutes( { 'GET oversells': { oversells: [ { id: 'os_1', sku: 'MUG', channel: 'etsy', reference: 'etsy://receipt/9', requested: 2, available: 0, resolution: null, createdAt: '2025-06-01T10:00:00.000Z' } ] } } );
		render( <Orders /> );
		await waitFor( () => expect( screen.getAllByText( 'Not available from this daemon version.' ) ).toHaveLength( 2 ) );
		expect( await screen.findByText( 'etsy://receipt/9' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Open: needs a decision' ) ).toBeInTheDocument();
	} );
} );
