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
import { Overview } from '../../../admin-ui/src/components/overview';
import { deadLetterRow, deadLetterSubject, deadLettersByChannel, ERROR_SHOWN_MAX, isAlreadyDealtWith, outcomeNotice, retryAllNotice, shortError } from '../../../admin-ui/src/data/dead-letters';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const NOW_MS = Date.now();
const PUSH = { id: 'dl_01JDEADPUSH0000000000000001', kind: 'push', channel: 'ebay', reference: 'listing:12:MUG-BLUE', payload: '{"sku":"MUG-BLUE","quantity":7,"version":3}', error: 'server_error: 503 Service Unavailable', attempts: 6, resolved_at: null, created_at: NOW_MS - 5 * 60_000 };
const INBOX = { id: 'dl_01JDEADINBOX000000000000001', kind: 'inbox', channel: 'tiktok', reference: 'tiktok:evt-881', payload: '{}', error: 'unknown_sku: <b>TEA-9</b> is not mapped', attempts: 5, resolved_at: null, created_at: NOW_MS - 2 * 3_600_000 };
const STATUS = { channel: 'ebay', mode: 'live', connected: true, lastPush: null, latencyP50Ms: null, latencyP99Ms: null, backlog: 0, pending: 0, inFlight: 0, throttled: 0, headroom: {}, deadLetters: 1, pushes: {} };

describe( 'dead letter data', () => {
	test.each( [
		[ 'a push names its channel SKU', PUSH, 'MUG-BLUE' ],
		[ 'a push whose SKU holds colons keeps them', { ...PUSH, reference: 'listing:3:A:B' }, 'A:B' ],
		[ 'an inbox entry names its event without the channel', INBOX, 'evt-881' ],
		[ 'an unexpected reference is shown as it is', { ...PUSH, reference: 'something-else' }, 'something-else' ],
	] )( 'subject: %s', ( _name, letter, subject ) => {
		expect( deadLetterSubject( letter ) ).toBe( subject );
	} );

	test( 'a row carries what the table shows', () => {
		expect( deadLetterRow( PUSH ) ).toEqual( { id: PUSH.id, kind: 'push', channel: 'ebay', subject: 'MUG-BLUE', error: PUSH.error, attempts: 6, createdAtMs: PUSH.created_at } );
	} );

	test( 'a long error is cut with an ellipsis, a short one is left alone', () => {
		expect( shortError( 'timeout: 10000 ms' ) ).toBe( 'timeout: 10000 ms' );
		const cut = shortError( 'x'.repeat( 500 ) );
		expect( cut ).toHaveLength( ERROR_SHOWN_MAX );
		expect( cut.endsWith( '…' ) ).toBe( true );
	} );

	test( 'dead letters group by channel in the order they first appear', () => {
		const rows = [ PUSH, INBOX, { ...PUSH, id: 'dl_2' } ].map( deadLetterRow );
		expect( deadLettersByChannel( rows ) ).toEqual( [ { channel: 'ebay', ids: [ PUSH.id, 'dl_2' ] }, { channel: 'tiktok', ids: [ INBOX.id ] } ] );
	} );

	test.each( [
		[ 'requeued', 'success', 'MUG-BLUE is queued again: eBay will be sent the quantity the ledger has now.' ],
		[ 'resolved', 'success', 'The dead letter of MUG-BLUE on eBay is resolved without a retry.' ],
		[ 'target_gone', 'warning', 'MUG-BLUE no longer exists on eBay, so there was nothing to retry. The dead letter is resolved.' ],
		[ 'gone', 'info', 'The dead letter of MUG-BLUE on eBay was already dealt with, by someone else or by a later push. The list is up to date now.' ],
	] )( 'outcome %s is shown with notice status %s', ( outcome, status, message ) => {
		expect( outcomeNotice( outcome, deadLetterRow( PUSH ) ) ).toEqual( { status, message } );
	} );

	test( 'a reopened inbox event names its event', () => {
		expect( outcomeNotice( 'reopened', deadLetterRow( INBOX ) ).message ).toBe( 'The TikTok Shop event evt-881 is back in the inbox and will be applied again.' );
	} );

	test( 'already resolved (409) and unknown (404) mean someone got there first; other failures do not', () => {
		expect( isAlreadyDealtWith( { code: 'dead_letter_resolved' } ) ).toBe( true );
		expect( isAlreadyDealtWith( { code: 'unknown_dead_letter' } ) ).toBe( true );
		expect( isAlreadyDealtWith( { code: 'shelfguard_daemon_unreachable' } ) ).toBe( false );
		expect( isAlreadyDealtWith( null ) ).toBe( false );
	} );

	test( 'retrying a whole channel sums up what happened to each', () => {
		expect( retryAllNotice( 'ebay', { acted: 2, outcomes: { requeued: 2 }, left: 0 } ) ).toEqual( { status: 'success', message: '2 dead letters of eBay retried.' } );
		expect( retryAllNotice( 'tiktok', { acted: 3, outcomes: { requeued: 1, already_resolved: 1, target_gone: 1 }, left: 0 } ).message ).toBe( '1 dead letter of TikTok Shop retried. 2 were already dealt with or had nothing left to retry.' );
		expect( retryAllNotice( 'tiktok', { acted: 1, outcomes: { reopened: 1 }, left: 0 } ).message ).toBe( '1 dead letter of TikTok Shop retried.' );
		expect( retryAllNotice( 'ebay', { acted: 1000, outcomes: { requeued: 1000 }, left: 1 } ).message ).toBe( '1000 dead letters of eBay retried. 1 more waits: Retry all again.' );
		expect( retryAllNotice( 'ebay', { error: 'the daemon is not reachable' } ) ).toEqual( { status: 'error', message: 'Retry all of eBay failed: the daemon is not reachable' } );
	} );
} );

describe( 'Dead letters on the Overview', () => {
	function useRoutes( routes ) {
		const fake = fakeApiFetch( { 'GET channels': { channels: [ STATUS ] }, 'GET oversells': { oversells: [] }, 'GET pushes/latency': { channels: [] }, ...routes } );
		apiFetch.mockImplementation( fake );
		return fake;
	}

	async function findTable() {
		return screen.findByRole( 'table', { name: 'Dead letters waiting for a decision' } );
	}

	test( 'lists each dead letter with its channel, SKU or event, error, attempts and age', async () => {
		useRoutes( { 'GET dead-letters': { deadLetters: [ PUSH, INBOX ] } } );
		render( <Overview /> );
		const table = await findTable();
		const push = within( table ).getByRole( 'row', { name: /MUG-BLUE/ } );
		expect( within( push ).getByRole( 'rowheader' ) ).toHaveTextContent( 'eBay' );
		expect( push ).toHaveTextContent( 'server_error: 503 Service Unavailable' );
		expect( push ).toHaveTextContent( '5 minutes ago' );
		expect( within( push ).getByText( '6' ) ).toBeInTheDocument();
		const inbox = within( table ).getByRole( 'row', { name: /evt-881/ } );
		expect( inbox ).toHaveTextContent( 'Marketplace event evt-881' );
		// The marketplace's text is shown as text, never as markup.
		expect( inbox ).toHaveTextContent( 'unknown_sku: <b>TEA-9</b> is not mapped' );
		expect( inbox.querySelector( 'b' ) ).toBeNull();
		expect( screen.getByRole( 'button', { name: 'Retry all of eBay (1)' } ) ).toBeInTheDocument();
		expect( screen.getByRole( 'button', { name: 'Retry all of TikTok Shop (1)' } ) ).toBeInTheDocument();
	} );

	test( 'says so when nothing waits', async () => {
		useRoutes( { 'GET dead-letters': { deadLetters: [] } } );
		render( <Overview /> );
		expect( await screen.findByText( 'No dead letters: every push and marketplace event went through.' ) ).toBeInTheDocument();
	} );

	test( 'Retry shows the outcome and reloads the list and the channel counts', async () => {
		let isRetried = false;
		const fake = useRoutes( {
			'GET dead-letters': () => [ 200, { deadLetters: isRetried ? [] : [ PUSH ] } ],
			[ `POST dead-letters/${ PUSH.id }/retry` ]: () => {
				isRetried = true;
				return [ 200, { id: PUSH.id, kind: 'push', channel: 'ebay', outcome: 'requeued', reference: 'MUG-BLUE' } ];
			},
		} );
		render( <Overview /> );
		await findTable();
		const channelReads = fake.mock.calls.filter( ( [ call ] ) => call.path.startsWith( '/shelfguard/v1/admin/channels' ) ).length;
		await userEvent.click( screen.getByRole( 'button', { name: 'Retry MUG-BLUE on eBay' } ) );
		expect( ( await screen.findAllByText( 'MUG-BLUE is queued again: eBay will be sent the quantity the ledger has now.' ) )[ 0 ] ).toBeInTheDocument();
		expect( await screen.findByText( 'No dead letters: every push and marketplace event went through.' ) ).toBeInTheDocument();
		await waitFor( () => expect( fake.mock.calls.filter( ( [ call ] ) => call.path.startsWith( '/shelfguard/v1/admin/channels' ) ).length ).toBeGreaterThan( channelReads ) );
		expect( fake ).toHaveBeenCalledWith( expect.objectContaining( { path: `/shelfguard/v1/admin/dead-letters/${ PUSH.id }/retry`, method: 'POST' } ) );
	} );

	test( 'Resolve acknowledges without retrying', async () => {
		const fake = useRoutes( {
			'GET dead-letters': { deadLetters: [ INBOX ] },
			[ `POST dead-letters/${ INBOX.id }/resolve` ]: { id: INBOX.id, kind: 'inbox', channel: 'tiktok', outcome: 'resolved', reference: INBOX.reference },
		} );
		render( <Overview /> );
		await findTable();
		await userEvent.click( screen.getByRole( 'button', { name: 'Resolve evt-881 on TikTok Shop without retrying' } ) );
		expect( ( await screen.findAllByText( 'The dead letter of evt-881 on TikTok Shop is resolved without a retry.' ) )[ 0 ] ).toBeInTheDocument();
		expect( fake.mock.calls.some( ( [ call ] ) => call.path.endsWith( '/retry' ) ) ).toBe( false );
	} );

	test( 'a dead letter someone else resolved (409) says so and refreshes instead of failing', async () => {
		let reads = 0;
		useRoutes( {
			'GET dead-letters': () => {
				reads += 1;
				return [ 200, { deadLetters: reads === 1 ? [ PUSH ] : [] } ];
			},
			[ `POST dead-letters/${ PUSH.id }/retry` ]: () => [ 409, { error: 'dead_letter_resolved', message: `dead letter ${ PUSH.id } was already resolved` } ],
		} );
		render( <Overview /> );
		await findTable();
		await userEvent.click( screen.getByRole( 'button', { name: 'Retry MUG-BLUE on eBay' } ) );
		expect( ( await screen.findAllByText( /was already dealt with, by someone else or by a later push/ ) )[ 0 ] ).toBeInTheDocument();
		expect( await screen.findByText( 'No dead letters: every push and marketplace event went through.' ) ).toBeInTheDocument();
		expect( screen.queryByRole( 'alert' ) ).toBeNull();
	} );

	test( 'any other failure stays in the row with the daemon\'s message, and the row stays', async () => {
		useRoutes( {
			'GET dead-letters': { deadLetters: [ PUSH ] },
			[ `POST dead-letters/${ PUSH.id }/retry` ]: () => [ 503, { error: 'ledger_unavailable', message: 'the ledger cannot commit right now; retry later' } ],
		} );
		render( <Overview /> );
		const table = await findTable();
		await userEvent.click( screen.getByRole( 'button', { name: 'Retry MUG-BLUE on eBay' } ) );
		expect( await within( table ).findByRole( 'alert' ) ).toHaveTextContent( 'the ledger cannot commit right now; retry later' );
		expect( within( table ).getByRole( 'button', { name: 'Retry MUG-BLUE on eBay' } ) ).toBeEnabled();
	} );

	test( 'Retry all of a channel retries all its dead letters in one call, counted from the channel, not the list', async () => {
		const second = { ...PUSH, id: 'dl_01JDEADPUSH0000000000000002', reference: 'listing:13:MUG-RED' };
		let retriedAll = 0;
		useRoutes( {
			// The channel has 250 dead letters; the list shows the newest two of them.
			'GET channels': () => [ 200, { channels: [ { ...STATUS, deadLetters: retriedAll ? 0 : 250 } ] } ],
			'GET dead-letters': () => [ 200, { deadLetters: retriedAll ? [ INBOX ] : [ PUSH, second, INBOX ] } ],
			'POST channels/ebay/dead-letters/retry': () => {
				retriedAll += 1;
				return [ 200, { channel: 'ebay', acted: 250, outcomes: { requeued: 249, already_resolved: 1 }, left: 0 } ];
			},
		} );
		render( <Overview /> );
		await findTable();
		await userEvent.click( screen.getByRole( 'button', { name: 'Retry all of eBay (250)' } ) );
		expect( ( await screen.findAllByText( '249 dead letters of eBay retried. 1 was already dealt with or had nothing left to retry.' ) )[ 0 ] ).toBeInTheDocument();
		expect( retriedAll ).toBe( 1 );
		await waitFor( () => expect( screen.queryByRole( 'button', { name: /Retry all of eBay/ } ) ).toBeNull() );
		expect( screen.getByRole( 'button', { name: 'Retry all of TikTok Shop (1)' } ) ).toBeInTheDocument();
	} );

	test( 'Retry all that fails says why, and the list stays', async () => {
		useRoutes( {
			'GET dead-letters': { deadLetters: [ PUSH ] },
			'POST channels/ebay/dead-letters/retry': () => [ 503, { error: 'ledger_unavailable', message: 'the ledger cannot commit right now; retry later' } ],
		} );
		render( <Overview /> );
		const table = await findTable();
		await userEvent.click( screen.getByRole( 'button', { name: 'Retry all of eBay (1)' } ) );
		expect( ( await screen.findAllByText( /^Retry all of eBay failed: / ) )[ 0 ] ).toHaveTextContent( 'the ledger cannot commit right now; retry later' );
		expect( within( table ).getByRole( 'button', { name: 'Retry MUG-BLUE on eBay' } ) ).toBeInTheDocument();
	} );

} );
