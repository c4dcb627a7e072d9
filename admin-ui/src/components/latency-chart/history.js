/**
 * WordPress dependencies
 */
import { dateI18n, getSettings } from '@wordpress/date';
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDuration, formatNumber } from '../../data/format';

const WIDTH_PX = 180;
const HEIGHT_PX = 44;
const PAD_PX = 3;
const POINT_RADIUS_PX = 1.8;

function clockTime( at ) {
	return dateI18n( getSettings().formats.time, at );
}

/** Runs of consecutive minutes with pushes, each drawn as one line; gaps stay gaps. */
function runs( points, key ) {
	const found = [];
	let current = [];
	for ( const [ index, point ] of points.entries() ) {
		if ( point[ key ] === null ) {
			if ( current.length ) {
				found.push( current );
			}
			current = [];
		} else {
			current.push( { index, value: point[ key ] } );
		}
	}
	if ( current.length ) {
		found.push( current );
	}
	return found;
}

/**
 * What the chart shows, in words: for screen readers (the chart's label) and for everyone under it.
 *
 * @param {Object} series From latencySeries.
 * @return {string} Summary.
 */
export function latencyHistorySummary( series ) {
	if ( series.pushes === 0 ) {
		return __( 'No pushes in the last hour.', 'shelfguard' );
	}
	/* translators: %s: number of pushes. */
	const pushes = sprintf( _n( '%s push', '%s pushes', series.pushes, 'shelfguard' ), formatNumber( series.pushes ) );
	/* translators: %s: number of minutes. */
	const minutes = sprintf( _n( 'in %s minute', 'in %s minutes', series.activeMinutes, 'shelfguard' ), formatNumber( series.activeMinutes ) );
	const median =
		series.p50LowMs === series.p50HighMs
			? /* translators: %s: median latency. */ sprintf( __( 'p50 %s', 'shelfguard' ), formatDuration( series.p50LowMs ) )
			: /* translators: 1: lowest median latency, 2: highest median latency. */ sprintf( __( 'p50 %1$s to %2$s', 'shelfguard' ), formatDuration( series.p50LowMs ), formatDuration( series.p50HighMs ) );
	/* translators: 1: highest 99th percentile latency, 2: time of that minute. */
	const peak = sprintf( __( 'p99 peak %1$s at %2$s', 'shelfguard' ), formatDuration( series.p99PeakMs ), clockTime( series.p99PeakAt ) );
	/* translators: 1: "9 pushes", 2: "in 3 minutes", 3: "p50 20 ms to 35 ms", 4: "p99 peak 240 ms at 10:02". */
	return sprintf( __( '%1$s %2$s; %3$s, %4$s.', 'shelfguard' ), pushes, minutes, median, peak );
}

/**
 * A channel's propagation latency over the last hour: p99 and p50 as lines, one point per minute
 * with pushes, on the channel's own scale (0 to its p99 peak). The summary under it carries the
 * numbers for everyone; the chart is labelled with the same words.
 *
 * @param {Object} props
 * @param {string} props.channelName Channel name, for the label.
 * @param {Object} props.series      From latencySeries.
 */
export function LatencyHistoryChart( { channelName, series } ) {
	const summary = latencyHistorySummary( series );
	if ( series.pushes === 0 ) {
		return <span className="shelfguard-latency-chart__none">{ summary }</span>;
	}
	const scaleMs = Math.max( 1, series.p99PeakMs ?? 0 );
	const stepPx = ( WIDTH_PX - PAD_PX * 2 ) / Math.max( 1, series.points.length - 1 );
	const x = ( index ) => ( PAD_PX + index * stepPx ).toFixed( 1 );
	const y = ( value ) => ( HEIGHT_PX - PAD_PX - ( value / scaleMs ) * ( HEIGHT_PX - PAD_PX * 2 ) ).toFixed( 1 );
	const lines = ( key, name ) =>
		runs( series.points, key )
			.filter( ( run ) => run.length > 1 )
			.map( ( run ) => <polyline key={ `${ name }-${ run[ 0 ].index }` } className={ `shelfguard-latency-chart__line is-${ name }` } points={ run.map( ( point ) => `${ x( point.index ) },${ y( point.value ) }` ).join( ' ' ) } /> );
	const dots = ( key, name ) =>
		series.points.map( ( point, index ) =>
			point.pushes > 0 && point[ key ] !== null ? <circle key={ `${ name }-${ point.at }` } className={ `shelfguard-latency-chart__point is-${ name }` } cx={ x( index ) } cy={ y( point[ key ] ) } r={ POINT_RADIUS_PX } /> : null
		);
	/* translators: 1: channel name, 2: summary of the chart. */
	const label = sprintf( __( 'Propagation latency on %1$s over the last hour: %2$s', 'shelfguard' ), channelName, summary );
	return (
		<figure className="shelfguard-latency-chart__history">
			<svg width={ WIDTH_PX } height={ HEIGHT_PX } viewBox={ `0 0 ${ WIDTH_PX } ${ HEIGHT_PX }` } role="img" aria-label={ label }>
				<line className="shelfguard-latency-chart__axis" x1={ PAD_PX } x2={ WIDTH_PX - PAD_PX } y1={ HEIGHT_PX - PAD_PX } y2={ HEIGHT_PX - PAD_PX } />
				{ lines( 'p99Ms', 'p99' ) }
				{ lines( 'p50Ms', 'p50' ) }
				{ dots( 'p99Ms', 'p99' ) }
				{ dots( 'p50Ms', 'p50' ) }
			</svg>
			<figcaption className="shelfguard-latency-chart__text">{ summary }</figcaption>
		</figure>
	);
}
