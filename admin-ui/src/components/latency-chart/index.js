/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatDuration } from '../../data/format';

const WIDTH_PX = 120;
const BAR_HEIGHT_PX = 8;

/**
 * p50 and p99 push latency as two small bars on a shared scale, with the numbers beside them:
 * the bars let the eye compare channels, the text carries the value for everyone.
 *
 * @param {Object}      props
 * @param {number|null} props.p50Ms   Median latency.
 * @param {number|null} props.p99Ms   99th percentile.
 * @param {number}      props.scaleMs Largest latency on the page (the full bar).
 */
export function LatencyChart( { p50Ms, p99Ms, scaleMs } ) {
	if ( p50Ms === null && p99Ms === null ) {
		return <span className="shelfguard-latency-chart__none">{ __( 'No pushes yet', 'shelfguard' ) }</span>;
	}
	const width = ( value ) => Math.max( 2, Math.round( ( ( value ?? 0 ) / Math.max( scaleMs, 1 ) ) * WIDTH_PX ) );
	/* translators: 1: median latency, 2: 99th percentile latency. */
	const summary = sprintf( __( 'p50 %1$s, p99 %2$s', 'shelfguard' ), formatDuration( p50Ms ), formatDuration( p99Ms ) );
	return (
		<span className="shelfguard-latency-chart__chart">
			<svg width={ WIDTH_PX } height={ BAR_HEIGHT_PX * 2 + 2 } aria-hidden="true" focusable="false">
				<rect className="shelfguard-latency-chart__p50" x="0" y="0" width={ width( p50Ms ) } height={ BAR_HEIGHT_PX } />
				<rect className="shelfguard-latency-chart__p99" x="0" y={ BAR_HEIGHT_PX + 2 } width={ width( p99Ms ) } height={ BAR_HEIGHT_PX } />
			</svg>
			<span className="shelfguard-latency-chart__text">{ summary }</span>
		</span>
	);
}
