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
import { Products } from '../../../admin-ui/src/components/products';
import { fieldOfMessage, settingValue, settingsBody } from '../../../admin-ui/src/data/limit-settings';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const SKU = { sku: 'MUG', name: 'Blue mug', kind: 'simple', tracksStock: true, onHand: 7, committed: 2, available: 5 };
const LISTING = { id: 12, channel: 'ebay', sku: 'MUG', channelSku: 'MUG', buffer: 1, cap: null, published: 4, active: true };
const STATUS = { channel: 'ebay', mode: 'live', connected: true, headroom: {}, pushes: {} };

function useRoutes( routes ) {
	const mock = fakeApiFetch( routes );
	apiFetch.mockImplementation( mock );
	return mock;
}

async function openListingEditor() {
	render( <Products /> );
	await userEvent.click( await screen.findByRole( 'button', { name: 'Edit buffer and cap of MUG on eBay' } ) );
	return screen.getByRole( 'form', { name: 'buffer and cap of MUG on eBay' } );
}

describe( 'limit settings shaping', () => {
	test.each( [
		[ '', null ],
		[ ' 3 ', 3 ],
		[ '-1', -1 ],
		[ '2.5', '2.5' ],
	] )( 'the field text %j is sent as %j', ( text, value ) => {
		expect( settingValue( text ) ).toBe( value );
	} );

	test( 'only changed fields are sent, and an emptied field is sent as null', () => {
		expect( settingsBody( { buffer: '1', cap: '' }, { buffer: 1, cap: null } ) ).toEqual( {} );
		expect( settingsBody( { buffer: '3', cap: '' }, { buffer: 1, cap: 5 } ) ).toEqual( { buffer: 3, cap: null } );
	} );

	test( 'a daemon message is put under the field it names, otherwise under the form', () => {
		expect( fieldOfMessage( 'cap: Number must be less than or equal to 1000000', [ 'buffer', 'cap' ] ) ).toBe( 'cap' );
		expect( fieldOfMessage( 'body: send at least one of buffer, cap, active', [ 'buffer', 'cap' ] ) ).toBeNull();
	} );
} );

describe( 'editing a listing on the Products screen', () => {
	test( 'a saved buffer shows the published quantity the daemon answers, and focus returns to Edit', async () => {
		const calls = [];
		useRoutes( {
			'GET skus': { skus: [ SKU ], next: null },
			'GET listings': { listings: [ LISTING ] },
			'POST listings/12/settings': ( { data } ) => {
				calls.push( data );
				return [ 200, { listing: { ...LISTING, buffer: 3, published: 2 } } ];
			},
		} );
		const form = await openListingEditor();
		const buffer = within( form ).getByLabelText( 'Buffer' );
		expect( buffer ).toHaveFocus();
		await userEvent.clear( buffer );
		await userEvent.type( buffer, '3{Enter}' );
		const edit = await screen.findByRole( 'button', { name: 'Edit buffer and cap of MUG on eBay' } );
		expect( edit.closest( '.shelfguard-limits-editor' ) ).toHaveTextContent( '2 (buffer 3)' );
		expect( calls ).toEqual( [ { buffer: 3 } ] );
		await waitFor( () => expect( edit ).toHaveFocus() );
	} );

	test( 'the daemon\'s validation message appears under the field and nothing changes on screen', async () => {
		useRoutes( {
			'GET skus': { skus: [ SKU ], next: null },
			'GET listings': { listings: [ LISTING ] },
			'POST listings/12/settings': () => [ 422, { error: 'invalid_settings', message: 'buffer: Number must be greater than or equal to 0' } ],
		} );
		const form = await openListingEditor();
		const buffer = within( form ).getByLabelText( 'Buffer' );
		await userEvent.clear( buffer );
		await userEvent.type( buffer, '-2' );
		await userEvent.click( within( form ).getByRole( 'button', { name: 'Save' } ) );
		expect( ( await within( form ).findAllByText( 'buffer: Number must be greater than or equal to 0' ) ).length ).toBeGreaterThan( 0 );
		expect( buffer ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( buffer ).toHaveFocus();
		await userEvent.keyboard( '{Escape}' );
		const edit = await screen.findByRole( 'button', { name: 'Edit buffer and cap of MUG on eBay' } );
		expect( edit.closest( '.shelfguard-limits-editor' ) ).toHaveTextContent( '4 (buffer 1)' );
	} );

	test( 'saving without a change sends nothing', async () => {
		const mock = useRoutes( { 'GET skus': { skus: [ SKU ], next: null }, 'GET listings': { listings: [ LISTING ] } } );
		const form = await openListingEditor();
		await userEvent.click( within( form ).getByRole( 'button', { name: 'Save' } ) );
		await screen.findByRole( 'button', { name: 'Edit buffer and cap of MUG on eBay' } );
		expect( mock.mock.calls.filter( ( [ call ] ) => call.method === 'POST' ) ).toHaveLength( 0 );
	} );
} );

describe( 'editing a channel on the Channels screen', () => {
	test( 'a daemon that does not report the current values still lets a buffer be set, then shows the saved values', async () => {
		const calls = [];
		useRoutes( {
			'POST channels/ebay/settings': ( { data } ) => {
				calls.push( data );
				return [ 200, { channel: { code: 'ebay', mode: 'live', buffer: 2, cap: null, subtractsHeld: true } } ];
			},
		} );
		render( <ChannelCard status={ STATUS } onChanged={ jest.fn() } /> );
		expect( screen.getByText( /does not report the current buffer and cap/ ) ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Edit buffer and cap of eBay' } ) );
		await userEvent.type( screen.getByLabelText( 'Buffer' ), '2' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		expect( await screen.findByText( 'Buffer 2, cap none' ) ).toBeInTheDocument();
		expect( calls ).toEqual( [ { buffer: 2 } ] );
	} );

	test( 'a daemon that cannot be reached is said under the form, which stays open', async () => {
		useRoutes( { 'POST channels/ebay/settings': () => [ 502, { code: 'shelfguard_daemon_unreachable', message: 'The Shelfguard daemon did not answer.' } ] } );
		render( <ChannelCard status={ { ...STATUS, buffer: 1, cap: 5, subtractsHeld: true } } onChanged={ jest.fn() } /> );
		expect( screen.getByText( 'Buffer 1, cap 5' ) ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Edit buffer and cap of eBay' } ) );
		await userEvent.click( screen.getByLabelText( 'Subtract checkout holds' ) );
		await userEvent.click( screen.getByRole( 'button', { name: 'Save' } ) );
		expect( await screen.findByRole( 'alert' ) ).toHaveTextContent( 'The Shelfguard daemon did not answer.' );
		expect( screen.getByRole( 'form', { name: 'buffer and cap of eBay' } ) ).toBeInTheDocument();
	} );
} );
