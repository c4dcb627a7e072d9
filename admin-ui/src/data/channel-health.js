/**
 * Shapes the daemon's per-channel sync status into what the Overview and Channels screens show.
 * Pure: values in, values out.
 */

/** A backlog above this many listings waiting for a push is worth a warning. */
export const BACKLOG_WARNING_MIN = 50;
/** p99 propagation above this is slower than the one-second promise. */
export const LATENCY_WARNING_MS = 1000;

/**
 * The operation with the fewest request tokens left, since that one throttles first.
 *
 * @param {Object<string, number>} headroom Tokens left per operation.
 * @return {{operation: string, tokens: number}|null} The tightest operation.
 */
export function tightestHeadroom( headroom ) {
	const entries = Object.entries( headroom ?? {} ).filter( ( [ , tokens ] ) => typeof tokens === 'number' );
	if ( entries.length === 0 ) {
		return null;
	}
	const [ operation, tokens ] = entries.reduce( ( low, entry ) => ( entry[ 1 ] < low[ 1 ] ? entry : low ) );
	return { operation, tokens };
}

/**
 * One row per channel with a single health word: failing beats paused beats shadow beats live.
 *
 * @param {Object} status One entry of GET /v1/admin/channels.
 * @return {Object} Row for the screens.
 */
export function channelRow( status ) {
	const failed = ( status.pushes?.failed ?? 0 ) + ( status.pushes?.dead ?? 0 );
	let health = status.mode ?? 'unknown';
	if ( ! status.connected ) {
		health = 'disconnected';
	} else if ( status.deadLetters > 0 || ( failed > 0 && ! status.lastPush ) ) {
		health = 'failing';
	}
	return {
		channel: status.channel,
		mode: status.mode,
		isConnected: Boolean( status.connected ),
		health,
		lastPushAtMs: status.lastPush?.atMs ?? null,
		lastPushSku: status.lastPush?.sku ?? null,
		lastPushQuantity: status.lastPush?.quantity ?? null,
		latencyP50Ms: status.latencyP50Ms ?? null,
		latencyP99Ms: status.latencyP99Ms ?? null,
		backlog: ( status.backlog ?? 0 ) + ( status.pending ?? 0 ) + ( status.inFlight ?? 0 ),
		throttled: status.throttled ?? 0,
		headroom: tightestHeadroom( status.headroom ),
		deadLetters: status.deadLetters ?? 0,
	};
}

/**
 * One channel's last-hour latency (a series of GET /v1/admin/pushes/latency) as chart points and
 * the figures its text alternative states.
 *
 * @param {Object[]} buckets Per-minute buckets: at, p50_ms, p99_ms, pushes.
 * @return {{points: Object[], pushes: number, activeMinutes: number, p50LowMs: number|null, p50HighMs: number|null, p99PeakMs: number|null, p99PeakAt: string|null}} The summary.
 */
export function latencySeries( buckets ) {
	const points = ( buckets ?? [] ).map( ( bucket ) => ( { at: bucket.at, p50Ms: bucket.p50_ms ?? null, p99Ms: bucket.p99_ms ?? null, pushes: bucket.pushes ?? 0 } ) );
	const active = points.filter( ( point ) => point.pushes > 0 && point.p50Ms !== null );
	const peak = active.reduce( ( high, point ) => ( high === null || point.p99Ms > high.p99Ms ? point : high ), null );
	return {
		points,
		pushes: points.reduce( ( sum, point ) => sum + point.pushes, 0 ),
		activeMinutes: active.length,
		p50LowMs: active.length ? Math.min( ...active.map( ( point ) => point.p50Ms ) ) : null,
		p50HighMs: active.length ? Math.max( ...active.map( ( point ) => point.p50Ms ) ) : null,
		p99PeakMs: peak?.p99Ms ?? null,
		p99PeakAt: peak?.at ?? null,
	};
}

/**
 * The last-hour series of each channel by channel code.
 *
 * @param {Object|null} history The answer of GET /v1/admin/pushes/latency.
 * @return {Map<string, Object>} latencySeries per channel.
 */
export function latencyHistoryByChannel( history ) {
	return new Map( ( history?.channels ?? [] ).map( ( series ) => [ series.channel, latencySeries( series.buckets ) ] ) );
}
