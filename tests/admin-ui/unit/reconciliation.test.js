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
import { Reconciliation } from '../../../admin-ui/src/components/reconciliation';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const STATUS = { channel: 'ebay', mode: 'live', connected: true, lastPush: null, latencyP50Ms: null, latencyP99Ms: null, backlog: 0, pending: 0, inFlight: 0, throttled: 0, headroom: {}, deadLetters: 0, pushes: {} };
const RUN_ID = 'rr_01KB0000000000000000000001';
const OLD_ID = 'rr_01KA0000000000000000000001';

function run( overrides = {} ) {
	return {
		id: RUN_ID, trigger: 'admin', fix: true, channels: [ 'ebay' ], startedAt: '2026-11-27T10:00:00.000Z', finishedAt: '2026-11-27T10:00:03.000Z', status: 'finished',
		listingsChecked: 1234, driftFound: 1, driftFixed: 1, driftStored: 1, progress: { done: 1234, total: 1234 },
		channelReports: [ { channel: 'ebay', ok: true, listingsChecked: 1234, driftFound: 1, driftFixed: 1, apiCalls: 7, seconds: 3 } ],
		...overrides,
	};
}
const DRIFT = [ { channel: 'ebay', sku: 'MUG', listingId: 1, expected: 3, shown: 5, cause: 'push_pending', fixed: true } ];

function useRoutes( routes ) {
	apiFetch.mockImplementation( fakeApiFetch( routes ) );
}

describe( 'Reconciliation', () => {
	test( 'run now starts a run, shows its progress while it reads, then what it found and fixed', async () => {
		let body = null;
		let polls = 0;
		let history = [];
		useRoutes( {
			'GET channels': { channels: [ STATUS ] },
			'GET reconcile/runs': () => [ 200, { runs: history } ],
			'POST reconcile': ( { data } ) => {
				body = data;
				return [ 202, { runId: RUN_ID } ];
			},
			[ `GET reconcile/runs/${ RUN_ID }` ]: () => {
				polls += 1;
				if ( polls === 1 ) {
					return [ 200, { run: run( { status: 'running', finishedAt: null, listingsChecked: 0, driftFound: 0, driftFixed: 0, progress: { done: 600, total: 1234 }, channelReports: [] } ), drift: [] } ];
				}
				history = [ run() ];
				return [ 200, { run: run(), drift: DRIFT } ];
			},
		} );
		render( <Reconciliation /> );
		expect( await screen.findByText( 'No runs recorded yet.' ) ).toBeInTheDocument();
		await userEvent.click( await screen.findByLabelText( 'Fix the drift found (push corrections)' ) );
		await userEvent.click( screen.getByRole( 'button', { name: 'Run reconciliation now' } ) );
		expect( await screen.findByText( '600 of 1,234 listings read' ) ).toBeInTheDocument();
		expect( screen.getByRole( 'progressbar' ) ).toBeInTheDocument();
		expect( screen.getByRole( 'button', { name: 'Run reconciliation now' } ) ).toBeDisabled();
		const result = await screen.findByRole( 'table', { name: 'Reconciliation result per channel' }, { timeout: 4000 } );
		expect( within( result ).getByText( 'Read completely' ) ).toBeInTheDocument();
		expect( screen.getByText( '1,234 listings checked, 1 differed, 1 corrected.' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Push still pending' ) ).toBeInTheDocument();
		expect( body ).toEqual( { fix: true } );
		expect( polls ).toBe( 2 );
		// The finished run joins the history at once.
		expect( screen.queryByText( 'No runs recorded yet.' ) ).not.toBeInTheDocument();
		expect( screen.getAllByText( 'Finished' ).length ).toBeGreaterThan( 0 );
	} );

	test( 'a start refused because a run is already going follows that run', async () => {
		const running = run( { status: 'running', trigger: 'schedule', finishedAt: null, progress: { done: 10, total: 40 }, channelReports: [] } );
		let started = false;
		useRoutes( {
			'GET channels': { channels: [ STATUS ] },
			'GET reconcile/runs': () => [ 200, { runs: started ? [ running ] : [] } ],
			'POST reconcile': () => {
				started = true;
				return [ 409, { error: 'already_running', message: `reconciliation run ${ RUN_ID } is still running; one run at a time`, runId: RUN_ID } ];
			},
			[ `GET reconcile/runs/${ RUN_ID }` ]: { run: running, drift: [] },
		} );
		render( <Reconciliation /> );
		await userEvent.click( await screen.findByRole( 'button', { name: 'Run reconciliation now' } ) );
		expect( await screen.findByText( 'A run was already in progress; it is shown here.' ) ).toBeInTheDocument();
		expect( screen.getByText( '10 of 40 listings read' ) ).toBeInTheDocument();
	} );

	test( 'past runs are listed newest first with right-aligned numbers, and a row opens that run\'s drift', async () => {
		const older = run( { id: OLD_ID, trigger: 'schedule', fix: false, startedAt: '2026-11-26T10:00:00.000Z', driftFixed: 0, listingsChecked: 20 } );
		useRoutes( {
			'GET channels': { channels: [ STATUS ] },
			'GET reconcile/runs': { runs: [ run(), older ] },
			[ `GET reconcile/runs/${ OLD_ID }` ]: { run: older, drift: [ { ...DRIFT[ 0 ], sku: 'TEAPOT', cause: 'changed_outside_shelfguard', fixed: false } ] },
		} );
		render( <Reconciliation /> );
		await screen.findByText( 'Schedule' );
		const rows = screen.getAllByRole( 'row' ).slice( 1 );
		expect( within( rows[ 0 ] ).getByText( 'This screen' ) ).toBeInTheDocument();
		expect( within( rows[ 1 ] ).getByText( 'Schedule' ) ).toBeInTheDocument();
		expect( within( rows[ 1 ] ).getByText( 'Compare only' ) ).toBeInTheDocument();
		expect( within( rows[ 0 ] ).getByText( '1,234' ) ).toHaveClass( 'dataviews-view-table__cell-align-end' );
		expect( within( rows[ 0 ] ).getByText( 'This screen' ) ).not.toHaveClass( 'dataviews-view-table__cell-align-end' );
		await userEvent.click( within( rows[ 1 ] ).getByRole( 'button', { name: 'View drift' } ) );
		expect( await screen.findByText( 'TEAPOT' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Changed outside Shelfguard' ) ).toBeInTheDocument();
		expect( screen.getByText( '20 listings checked, 1 differed (not corrected: this run only compared).' ) ).toBeInTheDocument();
	} );

	test( 'a run already going when the screen opens is shown with its progress until it ends', async () => {
		let polls = 0;
		const running = run( { status: 'running', trigger: 'schedule', finishedAt: null, progress: { done: 5, total: 20 }, channelReports: [] } );
		useRoutes( {
			'GET channels': { channels: [ STATUS ] },
			'GET reconcile/runs': { runs: [ running ] },
			[ `GET reconcile/runs/${ RUN_ID }` ]: () => {
				polls += 1;
				return [ 200, polls === 1 ? { run: running, drift: [] } : { run: run( { trigger: 'schedule' } ), drift: DRIFT } ];
			},
		} );
		render( <Reconciliation /> );
		expect( await screen.findByText( '5 of 20 listings read' ) ).toBeInTheDocument();
		expect( await screen.findByRole( 'table', { name: 'Reconciliation result per channel' }, { timeout: 4000 } ) ).toBeInTheDocument();
		expect( screen.queryByText( '5 of 20 listings read' ) ).not.toBeInTheDocument();
		expect( screen.getAllByText( 'Finished' ).length ).toBeGreaterThan( 0 );
	} );

	test( 'says when the daemon cannot list past runs, and offers to try again', async () => {
		useRoutes( {
			'GET channels': { channels: [ STATUS ] },
			'GET reconcile/runs': () => [ 502, { code: 'shelfguard_daemon_unreachable', message: 'The Shelfguard daemon did not answer.' } ],
		} );
		render( <Reconciliation /> );
		expect( await screen.findByText( 'The Shelfguard daemon is unreachable.' ) ).toBeInTheDocument();
		expect( screen.getByRole( 'button', { name: 'Try again' } ) ).toBeInTheDocument();
	} );

	test( 'shows a loading state while the history is read', () => {
		apiFetch.mockImplementation( () => new Promise( () => {} ) );
		render( <Reconciliation /> );
		expect( screen.getByText( 'Loading past runs…' ) ).toBeInTheDocument();
	} );

	test( 'a refused start says why', async () => {
		useRoutes( {
			'GET channels': { channels: [ STATUS ] },
			'GET reconcile/runs': { runs: [] },
			'POST reconcile': () => [ 400, { error: 'unknown_channel', message: 'channel: no connected channel named "ebay"' } ],
		} );
		render( <Reconciliation /> );
		await userEvent.click( await screen.findByRole( 'button', { name: 'Run reconciliation now' } ) );
		await waitFor( () => expect( screen.getAllByText( 'channel: no connected channel named "ebay"' ).length ).toBeGreaterThan( 0 ) );
	} );
} );
