/**
 * Internal dependencies
 */
import { classifyFailure } from '../../../admin-ui/src/api/classify-failure';
import { openAlerts } from '../../../admin-ui/src/data/alerts';
import { channelRow, tightestHeadroom } from '../../../admin-ui/src/data/channel-health';
import { movementChange, pageBack, pageForward, signed } from '../../../admin-ui/src/data/movement-rows';
import { listedChannels, productRows } from '../../../admin-ui/src/data/product-rows';

describe( 'classifyFailure', () => {
	test.each( [
		[ 'no answer at all means the daemon is unreachable', 0, { code: 'fetch_error' }, 'unreachable' ],
		[ 'the proxy saying the daemon did not answer means unreachable', 502, { code: 'shelfguard_daemon_unreachable', message: 'x' }, 'unreachable' ],
		[ 'missing settings mean not configured', 503, { code: 'shelfguard_not_configured' }, 'not_configured' ],
		[ 'a wrong admin token means not configured', 401, { error: 'unauthorized', message: 'a valid bearer token is required' }, 'not_configured' ],
		[ 'a daemon without the route means not available', 404, { error: 'not_found', message: 'no route' }, 'not_available' ],
		[ 'a resource the proxy does not forward means not available', 404, { code: 'shelfguard_not_proxied' }, 'not_available' ],
		[ 'a user without the capability is forbidden', 403, { code: 'rest_forbidden' }, 'forbidden' ],
		[ 'an unknown SKU is a plain failure with its message', 404, { error: 'unknown_sku', message: 'no SKU "X"' }, 'failed' ],
		[ 'a bad query is a plain failure', 400, { error: 'invalid_query', message: 'limit: too big' }, 'failed' ],
	] )( '%s', ( _name, status, body, kind ) => {
		expect( classifyFailure( status, body ).kind ).toBe( kind );
	} );

	test( 'keeps the message the server sent', () => {
		expect( classifyFailure( 400, { error: 'invalid_query', message: 'limit: too big' } ).message ).toBe( 'limit: too big' );
	} );
} );

describe( 'channelRow', () => {
	const base = { channel: 'ebay', mode: 'live', connected: true, lastPush: { atMs: 1, sku: 'A', quantity: 3 }, latencyP50Ms: 20, latencyP99Ms: 80, backlog: 2, pending: 1, inFlight: 1, throttled: 0, headroom: { bulkUpdate: 3, getItems: 9 }, deadLetters: 0, pushes: { applied: 4 } };

	test( 'a connected live channel without dead letters is live', () => {
		expect( channelRow( base ) ).toMatchObject( { health: 'live', backlog: 4, lastPushSku: 'A', headroom: { operation: 'bulkUpdate', tokens: 3 } } );
	} );
	test( 'dead letters make a channel failing whatever its mode', () => {
		expect( channelRow( { ...base, deadLetters: 2 } ).health ).toBe( 'failing' );
	} );
	test( 'a channel without a connector is disconnected', () => {
		expect( channelRow( { ...base, connected: false } ).health ).toBe( 'disconnected' );
	} );
	test( 'no headroom entries give no tightest operation', () => {
		expect( tightestHeadroom( {} ) ).toBeNull();
	} );
} );

describe( 'openAlerts', () => {
	test( 'lists errors before warnings and skips resolved oversells', () => {
		const rows = [ channelRow( { channel: 'etsy', mode: 'live', connected: true, backlog: 80, deadLetters: 0, latencyP99Ms: 10 } ), channelRow( { channel: 'amazon', mode: 'live', connected: true, backlog: 0, deadLetters: 3 } ) ];
		const oversells = [ { id: 'o1', sku: 'MUG', channel: 'ebay', requested: 2, available: 0, resolution: null }, { id: 'o2', sku: 'MUG', channel: 'ebay', requested: 1, available: 0, resolution: 'cancelled' } ];
		const alerts = openAlerts( rows, oversells );
		expect( alerts.map( ( alert ) => alert.id ) ).toEqual( [ 'amazon:dead', 'oversell:o1', 'etsy:backlog' ] );
	} );
	test( 'a healthy shop has no alerts', () => {
		expect( openAlerts( [ channelRow( { channel: 'ebay', mode: 'live', connected: true, backlog: 0, deadLetters: 0, latencyP99Ms: 50 } ) ], [] ) ).toEqual( [] );
	} );
} );

describe( 'productRows', () => {
	const skus = [
		{ sku: 'MUG', kind: 'simple', tracksStock: true, onHand: 5, committed: 1, available: 4 },
		{ sku: 'PLATE', kind: 'simple', tracksStock: true, onHand: 1, committed: 0, available: 1 },
		{ sku: 'LOOSE', kind: 'simple', tracksStock: false, onHand: 0, committed: 0, available: 0 },
	];
	const listings = [
		{ id: 1, channel: 'ebay', sku: 'MUG', channelSku: 'MUG', buffer: 1, cap: null, published: 3, active: true },
		{ id: 2, channel: 'amazon', sku: 'MUG', channelSku: 'MUG-AMZ', buffer: null, cap: 2, published: 2, active: true },
		{ id: 3, channel: 'ebay', sku: 'PLATE', channelSku: 'PLATE', buffer: null, cap: null, published: 1, active: true },
	];

	test( 'puts what each channel shows on the SKU row', () => {
		expect( productRows( skus, listings ).find( ( row ) => row.sku === 'MUG' ).channels ).toEqual( {
			ebay: { isListed: true, id: 1, published: 3, buffer: 1, cap: null, isActive: true, channelSku: 'MUG', drift: null },
			amazon: { isListed: true, id: 2, published: 2, buffer: null, cap: 2, isActive: true, channelSku: 'MUG-AMZ', drift: null },
		} );
	} );
	test( 'flags SKUs missing on a channel as unmapped and low stock as at risk; a different channel SKU alone is not inconsistent', () => {
		expect( productRows( skus, listings ).map( ( row ) => [ row.sku, row.flags ] ) ).toEqual( [
			[ 'LOOSE', [ 'unmapped' ] ],
			[ 'MUG', [] ],
			[ 'PLATE', [ 'unmapped', 'at_risk' ] ],
		] );
	} );
	test( 'lists each channel with listings once, sorted', () => {
		expect( listedChannels( listings ) ).toEqual( [ 'amazon', 'ebay' ] );
	} );
} );

describe( 'movements', () => {
	test( 'a sale shows as a committed change when on hand did not move', () => {
		expect( movementChange( { deltaOnHand: 0, deltaCommitted: 2, deltaDamaged: 0 } ) ).toEqual( { state: 'committed', delta: 2 } );
	} );
	test( 'signs use a real minus sign', () => {
		expect( [ signed( 3 ), signed( -2 ), signed( 0 ) ] ).toEqual( [ '+3', '\u22122', '0' ] );
	} );
	test( 'paging forward then back returns to the first page and never past it', () => {
		const trail = pageForward( pageForward( [ null ], 'm_20' ), 'm_40' );
		expect( trail ).toEqual( [ null, 'm_20', 'm_40' ] );
		expect( pageBack( pageBack( pageBack( trail ) ) ) ).toEqual( [ null ] );
	} );
} );
