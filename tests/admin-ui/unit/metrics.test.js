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
import { Metrics } from '../../../admin-ui/src/components/metrics';
import { exitText, formatRate, headroomText, limitText, officialFor, otherOfficial, protectionChange } from '../../../admin-ui/src/data/metrics';
import { trendGeometry } from '../../../admin-ui/src/data/metrics-chart';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const NOW_MS = Date.UTC( 2026, 5, 15, 12 );
const DAY_MS = 86_400_000;

/** An Amazon metric as GET /v1/admin/metrics reports it (the daemon's MetricEvaluation). */
function amazonMetric( overrides = {} ) {
	return {
		metric: 'amazon_cancellation_rate', channel: 'amazon', label: 'Pre-fulfilment cancel rate', atMs: NOW_MS,
		window: { fromMs: NOW_MS - 7 * DAY_MS, toMs: NOW_MS }, orders: 41, sellerCancellations: 1, otherCancellations: 0, unknownCancellations: 0,
		rateBasisPoints: 243.9, limit: { limitBasisPoints: 250, comparison: 'below' }, meets: true, headroom: 0,
		exits: [ { atMs: NOW_MS + 6 * DAY_MS, orderId: 'A-OVER', rateAfterBasisPoints: 0, meetsAfter: true, headroomAfter: 0 } ], recoversAtMs: null,
		trend: { points: [ 0, 0, null, 0, 0, 0, 0, 243.9 ].map( ( rate, index ) => ( { atMs: NOW_MS - ( 7 - index ) * DAY_MS, rateBasisPoints: rate } ) ), direction: 'rising' },
		alertLevel: 'critical',
		...overrides,
	};
}

const OFFICIAL = { channel: 'amazon', name: 'preFulfillmentCancellationRate', rateBasisPoints: 120, targetBasisPoints: 250, status: 'GOOD', windowFrom: '2026-06-07T00:00:00Z', windowTo: '2026-06-14T00:00:00Z', readAtMs: NOW_MS };
const SNAPSHOT = {
	atMs: NOW_MS, alertHeadroomCancellations: 2, truncated: false, recommendations: [], lines: [],
	officialErrors: [ { channel: 'ebay', message: 'eBay answered 429' } ],
	channels: [ { channel: 'amazon', metrics: [ amazonMetric() ], official: [ OFFICIAL, { ...OFFICIAL, name: 'lateShipmentRate', rateBasisPoints: 300 } ], alertLevel: 'critical' } ],
};
const ALERT = { id: 'al_01M8E9PZVBNJEDYNBN03G5ZEQ8', channel: 'amazon', metric: 'amazon_cancellation_rate', level: 'critical', rate_basis_points: 244, headroom: 0, message: 'amazon: Pre-fulfilment cancel rate is 2.44% (1 of 41 orders; limit below 2.5%): one more seller-caused cancellation misses the limit.', webhook_state: 'none', webhook_attempts: 0, webhook_error: null, acknowledged_at: null, created_at: NOW_MS };
const ACTION = { id: 'pa_01M8E9PZVBNJEDYNBN03G5ZEQ8', kind: 'raise_buffer', channel: 'amazon', sku: 'MUG', before_settings: '{"buffer":null,"active":true}', after_settings: '{"buffer":3,"active":true}', reason: 'critical standing', actor: 'protection', reverted_at: null, reverted_by: null, created_at: NOW_MS };

function useRoutes( routes ) {
	apiFetch.mockImplementation( fakeApiFetch( routes ) );
}

describe( 'seller-standing figures in words', () => {
	test.each( [
		[ { headroom: 3, meets: true }, 'Can absorb 3 more seller-caused cancellations.' ],
		[ { headroom: 1, meets: true }, 'Can absorb 1 more seller-caused cancellation.' ],
		[ { headroom: 0, meets: true }, 'The next seller-caused cancellation misses the limit.' ],
		[ { headroom: 0, meets: false }, 'The limit is missed: no room left.' ],
		[ { headroom: null, meets: null, limit: null }, 'No limit to measure against.' ],
	] )( 'headroom %j reads "%s"', ( overrides, sentence ) => {
		expect( headroomText( amazonMetric( overrides ) ) ).toBe( sentence );
	} );

	test( 'rates and limits read as the marketplace states them', () => {
		expect( formatRate( 243.9 ) ).toBe( '2.4%' );
		expect( formatRate( null ) ).toBe( '—' );
		expect( limitText( { limitBasisPoints: 250, comparison: 'below' } ) ).toBe( 'below 2.5%' );
		expect( limitText( { limitBasisPoints: 200, comparison: 'at_most' } ) ).toBe( 'at most 2%' );
		expect( limitText( null ) ).toBe( 'No published limit' );
	} );

	test( 'the window exit says when the oldest defect leaves and what the rate becomes', () => {
		expect( exitText( amazonMetric() ) ).toMatch( /^The oldest counted cancellation leaves the window on .+; the rate is then 0%\.$/ );
		expect( exitText( amazonMetric( { exits: [ { ...amazonMetric().exits[ 0 ], rateAfterBasisPoints: null } ] } ) ) ).toMatch( /; no order is left in it then\.$/ );
		expect( exitText( amazonMetric( { exits: [] } ) ) ).toBe( 'No counted cancellations in the window.' );
		expect( exitText( amazonMetric( { recoversAtMs: NOW_MS + DAY_MS } ) ) ).toMatch( /Back within the limit on .+ if nothing else is cancelled\.$/ );
	} );

	test( 'the official figure beside an estimate is the one the marketplace publishes for that metric', () => {
		expect( officialFor( amazonMetric(), SNAPSHOT.channels[ 0 ].official ) ).toMatchObject( { name: 'preFulfillmentCancellationRate', rate: '1.2%', status: 'GOOD' } );
		expect( officialFor( amazonMetric(), [] ) ).toBeNull();
		expect( otherOfficial( SNAPSHOT.channels[ 0 ] ).map( ( figure ) => figure.name ) ).toEqual( [ 'lateShipmentRate' ] );
		const walmart = amazonMetric( { metric: 'walmart_cancellation_rate', channel: 'walmart' } );
		const summaries = [ 7, 30, 90 ].map( ( days ) => ( { ...OFFICIAL, channel: 'walmart', name: `cancellationRate.${ days }d`, rateBasisPoints: days * 10 } ) );
		expect( officialFor( walmart, summaries ) ).toMatchObject( { name: 'cancellationRate.30d', rate: '3%' } );
		expect( otherOfficial( { metrics: [ walmart ], official: summaries } ).map( ( figure ) => figure.name ) ).toEqual( [ 'cancellationRate.7d', 'cancellationRate.90d' ] );
	} );

	test( 'a protection action says what it changed', () => {
		expect( protectionChange( ACTION ) ).toBe( 'Buffer 0 → 3' );
		expect( protectionChange( { ...ACTION, kind: 'pause_listing' } ) ).toBe( 'Listing paused' );
	} );
} );

describe( 'the trend chart geometry', () => {
	const size = { widthPx: 200, heightPx: 60, padPx: 4 };

	test( 'the limit line sits above a rate under the limit and below a rate over it', () => {
		const under = trendGeometry( [ { atMs: 1, rateBasisPoints: 100 }, { atMs: 2, rateBasisPoints: 100 } ], 250, size );
		expect( under.dots[ 0 ].y ).toBeGreaterThan( under.thresholdY );
		const over = trendGeometry( [ { atMs: 1, rateBasisPoints: 400 }, { atMs: 2, rateBasisPoints: 400 } ], 250, size );
		expect( over.dots[ 0 ].y ).toBeLessThan( over.thresholdY );
		expect( over.dots[ 0 ].y ).toBeGreaterThanOrEqual( size.padPx );
	} );

	test( 'a point without orders breaks the line instead of drawing a zero', () => {
		const geometry = trendGeometry( amazonMetric().trend.points, 250, size );
		expect( geometry.segments ).toHaveLength( 2 );
		expect( geometry.dots ).toHaveLength( 7 );
		expect( geometry.segments[ 0 ] ).toMatch( /^M4 56 L/ );
	} );

	test( 'no limit draws no threshold line', () => {
		expect( trendGeometry( [ { atMs: 1, rateBasisPoints: 0 } ], null, size ).thresholdY ).toBeNull();
	} );
} );

describe( 'Metrics screen', () => {
	test( 'shows the estimate beside the official figure with its date, the threshold, headroom and the trend', async () => {
		useRoutes( { 'GET metrics': SNAPSHOT, 'GET metrics/alerts': { alerts: [] }, 'GET metrics/protection': { actions: [] } } );
		render( <Metrics /> );
		const table = await screen.findByRole( 'table', { name: 'Seller standing on Amazon' } );
		const row = within( table ).getByRole( 'row', { name: /Pre-fulfilment cancel rate/ } );
		expect( within( row ).getByText( '2.4%' ) ).toHaveClass( 'shelfguard-data-table__number' );
		expect( within( row ).getByText( /as of/ ) ).toBeInTheDocument();
		expect( within( row ).getByText( 'below 2.5%' ) ).toBeInTheDocument();
		expect( screen.getByText( 'The next seller-caused cancellation misses the limit.' ) ).toBeInTheDocument();
		expect( screen.getByText( /The oldest counted cancellation leaves the window on/ ) ).toBeInTheDocument();
		expect( screen.getByText( 'Pre-fulfilment cancel rate: Rising, limit 2.5%' ) ).toBeInTheDocument();
		expect( screen.getByRole( 'table', { name: 'Trend of Pre-fulfilment cancel rate' } ) ).toBeInTheDocument();
		expect( screen.getByText( 'No unacknowledged alerts.' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Protection has not changed any listing.' ) ).toBeInTheDocument();
	} );

	test( 'acknowledging an alert asks the daemon and reloads the list', async () => {
		let open = [ ALERT ];
		useRoutes( {
			'GET metrics': SNAPSHOT,
			'GET metrics/alerts': ( { query } ) => [ 200, { alerts: query.unacknowledged === '1' ? open : [] } ],
			'GET metrics/protection': { actions: [] },
			[ `POST metrics/alerts/${ ALERT.id }/acknowledge` ]: () => {
				open = [];
				return [ 200, { id: ALERT.id, acknowledged: true } ];
			},
		} );
		render( <Metrics /> );
		const alerts = await screen.findByRole( 'list', { name: 'Unacknowledged seller-standing alerts' } );
		expect( within( alerts ).getAllByText( ALERT.message )[ 0 ] ).toBeInTheDocument();
		await userEvent.click( screen.getByRole( 'button', { name: 'Acknowledge the Amazon alert' } ) );
		expect( await screen.findByText( 'No unacknowledged alerts.' ) ).toBeInTheDocument();
		expect( apiFetch ).toHaveBeenCalledWith( expect.objectContaining( { path: `/shelfguard/v1/admin/metrics/alerts/${ ALERT.id }/acknowledge`, method: 'POST' } ) );
	} );

	test( 'a refused acknowledgement says why and keeps the alert', async () => {
		useRoutes( {
			'GET metrics': SNAPSHOT,
			'GET metrics/alerts': { alerts: [ ALERT ] },
			'GET metrics/protection': { actions: [] },
			[ `POST metrics/alerts/${ ALERT.id }/acknowledge` ]: () => [ 502, { code: 'shelfguard_daemon_unreachable', message: 'The Shelfguard daemon did not answer.' } ],
		} );
		render( <Metrics /> );
		await userEvent.click( await screen.findByRole( 'button', { name: 'Acknowledge the Amazon alert' } ) );
		expect( await screen.findByRole( 'alert' ) ).toHaveTextContent( 'The Shelfguard daemon did not answer.' );
		expect( screen.getByRole( 'button', { name: 'Acknowledge the Amazon alert' } ) ).toBeInTheDocument();
	} );

	test( 'reverting a protection action asks the daemon and reloads', async () => {
		let actions = [ ACTION ];
		useRoutes( {
			'GET metrics': SNAPSHOT,
			'GET metrics/alerts': { alerts: [] },
			'GET metrics/protection': () => [ 200, { actions } ],
			[ `POST metrics/protection/${ ACTION.id }/revert` ]: () => {
				actions = [ { ...ACTION, reverted_at: NOW_MS, reverted_by: 'admin' } ];
				return [ 200, { ok: true } ];
			},
		} );
		render( <Metrics /> );
		const table = await screen.findByRole( 'table', { name: 'Protection actions on listings' } );
		expect( within( table ).getByText( 'Buffer 0 → 3' ) ).toBeInTheDocument();
		await userEvent.click( within( table ).getByRole( 'button', { name: 'Revert the protection of MUG on Amazon' } ) );
		await waitFor( () => expect( within( screen.getByRole( 'table', { name: 'Protection actions on listings' } ) ).getByText( /^Reverted / ) ).toBeInTheDocument() );
	} );

	test( 'Check standing now runs the daemon check and reads everything again', async () => {
		let checked = false;
		useRoutes( {
			'GET metrics': SNAPSHOT,
			'GET metrics/alerts': () => [ 200, { alerts: checked ? [ ALERT ] : [] } ],
			'GET metrics/protection': { actions: [] },
			'POST metrics/check': () => {
				checked = true;
				return [ 200, { alerts: [ ALERT ], protection: [] } ];
			},
		} );
		render( <Metrics /> );
		await screen.findByText( 'No unacknowledged alerts.' );
		await userEvent.click( screen.getByRole( 'button', { name: 'Check standing now' } ) );
		expect( await screen.findByRole( 'button', { name: 'Acknowledge the Amazon alert' } ) ).toBeInTheDocument();
	} );

	test( 'says so when no channel has published metrics, and when the daemon is unreachable', async () => {
		useRoutes( { 'GET metrics': { ...SNAPSHOT, channels: [] }, 'GET metrics/alerts': { alerts: [] }, 'GET metrics/protection': { actions: [] } } );
		const { unmount } = render( <Metrics /> );
		expect( await screen.findByText( 'No marketplace with published seller metrics is connected yet.' ) ).toBeInTheDocument();
		unmount();
		useRoutes( { 'GET metrics': () => [ 502, { code: 'shelfguard_daemon_unreachable', message: 'The Shelfguard daemon did not answer.' } ], 'GET metrics/alerts': () => [ 502, { code: 'shelfguard_daemon_unreachable' } ], 'GET metrics/protection': { actions: [] } } );
		render( <Metrics /> );
		expect( ( await screen.findAllByText( 'The Shelfguard daemon is unreachable.' ) ).length ).toBeGreaterThanOrEqual( 2 );
	} );

	test( 'shows a loading state while the daemon answers', () => {
		apiFetch.mockImplementation( () => new Promise( () => {} ) );
		render( <Metrics /> );
		expect( screen.getAllByRole( 'status' ).map( ( node ) => node.textContent ) ).toEqual( expect.arrayContaining( [ 'Loading alerts…', 'Loading seller standing…' ] ) );
	} );
} );
