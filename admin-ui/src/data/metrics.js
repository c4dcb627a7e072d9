/**
 * WordPress dependencies
 */
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatNumber, formatTime } from './format';

/**
 * Which of the marketplace's own figures stands beside each of Shelfguard's estimates, by the
 * names the daemon's official readers report: Amazon's seller performance report, eBay
 * Analytics' seller standards profile, Walmart's Seller Performance cancellations summary
 * (`cancellationRate.<days>d`; the 30-day one is Walmart's window). TikTok Shop has no reader yet:
 * its estimate stands alone.
 */
const OFFICIAL_MATCHERS = {
	amazon_cancellation_rate: ( name ) => name === 'preFulfillmentCancellationRate',
	ebay_defect_rate_top_rated: ( name ) => name === 'DEFECTIVE_TRANSACTION_RATE',
	ebay_defect_rate_above_standard: ( name ) => name === 'DEFECTIVE_TRANSACTION_RATE',
	walmart_cancellation_rate: ( name ) => /^cancellationRate(\.\d+d)?$/.test( name ),
};
const PREFERRED_OFFICIAL = { walmart_cancellation_rate: 'cancellationRate.30d' };

function isOfficialFor( metricId, name ) {
	return OFFICIAL_MATCHERS[ metricId ]?.( name ) ?? false;
}

/**
 * A rate in basis points as a percentage for people (250 → "2.5%"), or an em dash.
 *
 * @param {number|null|undefined} basisPoints Rate in basis points (1% = 100).
 * @return {string} Formatted rate.
 */
export function formatRate( basisPoints ) {
	if ( typeof basisPoints !== 'number' || ! Number.isFinite( basisPoints ) ) {
		return '—';
	}
	/* translators: %s: a percentage number. */
	return sprintf( __( '%s%%', 'shelfguard' ), formatNumber( Math.round( basisPoints ) / 100 ) );
}

/**
 * The limit as the marketplace states it: "below 2.5%" or "at most 2%".
 *
 * @param {Object|null} limit { limitBasisPoints, comparison }.
 * @return {string} The limit in words.
 */
export function limitText( limit ) {
	if ( ! limit ) {
		return __( 'No published limit', 'shelfguard' );
	}
	return limit.comparison === 'below'
		? /* translators: %s: a percentage. */ sprintf( __( 'below %s', 'shelfguard' ), formatRate( limit.limitBasisPoints ) )
		: /* translators: %s: a percentage. */ sprintf( __( 'at most %s', 'shelfguard' ), formatRate( limit.limitBasisPoints ) );
}

/**
 * How much room the window has left, in the store owner's terms.
 *
 * @param {Object} metric A metric evaluation from GET /v1/admin/metrics.
 * @return {string} Headroom sentence.
 */
export function headroomText( metric ) {
	if ( ! metric.limit || metric.headroom === null || metric.headroom === undefined ) {
		return __( 'No limit to measure against.', 'shelfguard' );
	}
	if ( metric.meets === false ) {
		return __( 'The limit is missed: no room left.', 'shelfguard' );
	}
	if ( metric.headroom === 0 ) {
		return __( 'The next seller-caused cancellation misses the limit.', 'shelfguard' );
	}
	return sprintf(
		/* translators: %s: number of cancellations. */
		_n( 'Can absorb %s more seller-caused cancellation.', 'Can absorb %s more seller-caused cancellations.', metric.headroom, 'shelfguard' ),
		formatNumber( metric.headroom )
	);
}

/**
 * When the oldest counted cancellation leaves the window, and what the rate is then.
 *
 * @param {Object} metric A metric evaluation.
 * @return {string} Exit sentence.
 */
export function exitText( metric ) {
	const first = metric.exits?.[ 0 ];
	if ( ! first ) {
		return __( 'No counted cancellations in the window.', 'shelfguard' );
	}
	const leaves =
		first.rateAfterBasisPoints === null
			? /* translators: %s: date and time. */ sprintf( __( 'The oldest counted cancellation leaves the window on %s; no order is left in it then.', 'shelfguard' ), formatTime( first.atMs ) )
			: /* translators: 1: date and time, 2: a percentage. */ sprintf( __( 'The oldest counted cancellation leaves the window on %1$s; the rate is then %2$s.', 'shelfguard' ), formatTime( first.atMs ), formatRate( first.rateAfterBasisPoints ) );
	if ( metric.recoversAtMs ) {
		/* translators: %s: date and time. */
		return `${ leaves } ${ sprintf( __( 'Back within the limit on %s if nothing else is cancelled.', 'shelfguard' ), formatTime( metric.recoversAtMs ) ) }`;
	}
	return leaves;
}

/**
 * @param {string} direction rising | falling | flat.
 * @return {string} The trend in words.
 */
export function trendText( direction ) {
	const labels = { rising: __( 'Rising', 'shelfguard' ), falling: __( 'Falling', 'shelfguard' ), flat: __( 'Flat', 'shelfguard' ) };
	return labels[ direction ] ?? direction;
}

/**
 * @param {string} level ok | warning | critical | breached.
 * @return {string} The alert level in words.
 */
export function levelText( level ) {
	const labels = {
		ok: __( 'Within limits', 'shelfguard' ),
		warning: __( 'Warning', 'shelfguard' ),
		critical: __( 'Critical', 'shelfguard' ),
		breached: __( 'Limit missed', 'shelfguard' ),
	};
	return labels[ level ] ?? level;
}

/**
 * The Notice status for an alert level.
 *
 * @param {string} level Alert level.
 * @return {string} success | warning | error.
 */
export function levelStatus( level ) {
	if ( level === 'ok' ) {
		return 'success';
	}
	return level === 'warning' ? 'warning' : 'error';
}

/**
 * The official figure read for a metric, with the date it is for, or null when none was read.
 *
 * @param {Object}   metric   A metric evaluation.
 * @param {Object[]} official The channel's official figures.
 * @return {{name: string, rate: string, status: string|null, date: string, readAt: string}|null} Figure.
 */
export function officialFor( metric, official = [] ) {
	const matching = official.filter( ( item ) => isOfficialFor( metric.metric, item.name ) );
	const figure = matching.find( ( item ) => item.name === PREFERRED_OFFICIAL[ metric.metric ] ) ?? matching[ 0 ];
	return figure ? describeOfficial( figure ) : null;
}

/**
 * @param {Object} figure An OfficialFigure.
 * @return {Object} What the screen shows of it.
 */
export function describeOfficial( figure ) {
	return {
		name: figure.name,
		rate: formatRate( figure.rateBasisPoints ),
		status: figure.status ?? null,
		date: formatTime( figure.windowTo ?? figure.readAtMs ),
		readAt: formatTime( figure.readAtMs ),
	};
}

/**
 * The official figures that match none of Shelfguard's metrics (Amazon's late shipment rate,
 * eBay's seller level, …): shown too, because the marketplace judges by them.
 *
 * @param {Object} channel A channel's standing.
 * @return {Object[]} Described figures.
 */
export function otherOfficial( channel ) {
	const shown = new Set( channel.metrics.map( ( metric ) => officialFor( metric, channel.official ?? [] )?.name ).filter( Boolean ) );
	return ( channel.official ?? [] ).filter( ( figure ) => ! shown.has( figure.name ) ).map( describeOfficial );
}

/**
 * The screen's view of GET /v1/admin/metrics: channels with their metrics, and why an
 * official figure is missing where the daemon could not read it.
 *
 * @param {Object} snapshot The daemon's answer.
 * @return {Object[]} Channels in the daemon's order.
 */
export function standingChannels( snapshot ) {
	const errors = snapshot?.officialErrors ?? [];
	return ( snapshot?.channels ?? [] ).map( ( channel ) => ( {
		...channel,
		officialError: errors.find( ( error ) => error.channel === channel.channel )?.message ?? null,
	} ) );
}

/**
 * What a protection action changed, as "buffer 0 → 3" or "listing paused".
 *
 * @param {Object} action A protection_action row.
 * @return {string} The change in words.
 */
export function protectionChange( action ) {
	const parse = ( text ) => {
		try {
			return JSON.parse( text ) ?? {};
		} catch {
			return {};
		}
	};
	if ( action.kind === 'pause_listing' ) {
		return __( 'Listing paused', 'shelfguard' );
	}
	const before = parse( action.before_settings );
	const after = parse( action.after_settings );
	/* translators: 1: buffer before, 2: buffer after. */
	return sprintf( __( 'Buffer %1$s → %2$s', 'shelfguard' ), formatNumber( before.buffer ?? 0 ), formatNumber( after.buffer ?? 0 ) );
}
