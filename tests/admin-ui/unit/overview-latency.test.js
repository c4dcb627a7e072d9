/**
 * External dependencies
 */
import { render, screen, within } from '@testing-library/react';

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';

/**
 * Internal dependencies
 */
import { Overview } from '../../../admin-ui/src/components/overview';
import { latencyHistorySummary } from '../../../admin-ui/src/components/latency-chart/history';
import { latencySeries } from '../../../admin-ui/src/data/channel-health';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const STATUS = ( channel ) => ( { channel, mode: 'live', connected: true, lastPush: null, latencyP50Ms: 40, latencyP99Ms: 90, backlog: 0, pending: 0, inFlight: 0, throttled: 0, headroom: {}, deadLetters: 0, pushes: {} } );
const minute = ( index ) => new Date( Date.UTC( 2026, 10, 27, 10, index ) ).toISOString();
const empty = ( index ) => ( { at: minute( index ), p50_ms: null, p99_ms: null, pushes: 0 } );
const BUCKETS = [ empty( 0 ), { at: minute( 1 ), p50_ms: 20, p99_ms: 80, pushes: 4 }, { at: minute( 2 ), p50_ms: 35, p99_ms: 240, pushes: 9 }, empty( 3 ), { at: minute( 4 ), p50_ms: 15, p99_ms: 60, pushes: 2 } ];

describe( 'latencySeries', () => {
	test( 'sums the pushes and finds the p50 range and the p99 peak over minutes with pushes', () => {
		expect( latencySeries( BUCKETS ) ).toMatchObject( { pushes: 15, activeMinutes: 3, p50LowMs: 15, p50HighMs: 35, p99PeakMs: 240, p99PeakAt: minute( 2 ) } );
	} );
	test( 'one push in one minute reads in the singular, with one p50', () => {
		expect( latencyHistorySummary( latencySeries( [ empty( 0 ), { at: minute( 1 ), p50_ms: 20, p99_ms: 20, pushes: 1 } ] ) ) ).toMatch( /^1 push in 1 minute; p50 20 ms, p99 peak 20 ms at / );
	} );
	test( 'an hour without pushes has no figures', () => {
		expect( latencySeries( [ empty( 0 ), empty( 1 ) ] ) ).toMatchObject( { pushes: 0, activeMinutes: 0, p50LowMs: null, p99PeakMs: null } );
	} );
} );

describe( 'the Overview\'s last hour', () => {
	test( 'draws each channel\'s minutes as points with a text alternative, and says when a channel pushed nothing', async () => {
		apiFetch.mockImplementation( fakeApiFetch( {
			'GET channels': { channels: [ STATUS( 'ebay' ), STATUS( 'etsy' ) ] },
			'GET oversells': { oversells: [] },
			'GET pushes/latency': ( { query } ) => [ 200, { minutes: Number( query.minutes ), channels: [ { channel: 'ebay', buckets: BUCKETS }, { channel: 'etsy', buckets: [ empty( 0 ), empty( 1 ) ] } ] } ],
		} ) );
		const { container } = render( <Overview /> );
		const chart = await screen.findByRole( 'img', { name: /^Propagation latency on eBay over the last hour: 15 pushes in 3 minutes; p50 15 ms to 35 ms, p99 peak 240 ms at / } );
		expect( chart.querySelectorAll( '.shelfguard-latency-chart__point.is-p50' ) ).toHaveLength( 3 );
		expect( chart.querySelectorAll( '.shelfguard-latency-chart__line' ) ).toHaveLength( 2 );
		const etsy = within( screen.getByRole( 'table', { name: 'Sync health per channel' } ) ).getByRole( 'rowheader', { name: 'Etsy' } ).closest( 'tr' );
		expect( within( etsy ).getByText( 'No pushes in the last hour.' ) ).toBeInTheDocument();
		expect( container.querySelectorAll( 'figure' ) ).toHaveLength( 1 );
		expect( apiFetch.mock.calls.some( ( [ options ] ) => options.path.endsWith( 'pushes/latency?minutes=60' ) ) ).toBe( true );
	} );

	test( 'says the history is not available from a daemon without the route', async () => {
		apiFetch.mockImplementation( fakeApiFetch( { 'GET channels': { channels: [ STATUS( 'ebay' ) ] }, 'GET oversells': { oversells: [] } } ) );
		render( <Overview /> );
		const table = await screen.findByRole( 'table', { name: 'Sync health per channel' } );
		expect( await within( table ).findByText( 'Not available from this daemon version.' ) ).toBeInTheDocument();
	} );

	test( 'says when a busy hour was drawn from its newest pushes only', async () => {
		apiFetch.mockImplementation( fakeApiFetch( {
			'GET channels': { channels: [ STATUS( 'ebay' ) ] },
			'GET oversells': { oversells: [] },
			'GET pushes/latency': { minutes: 60, channels: [ { channel: 'ebay', buckets: BUCKETS } ], truncated: [ 'ebay' ] },
		} ) );
		render( <Overview /> );
		expect( await screen.findByText( 'A busy hour: drawn from its newest pushes only.' ) ).toBeInTheDocument();
	} );
} );
