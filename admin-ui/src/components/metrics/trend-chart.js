/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatTime } from '../../data/format';
import { formatRate, trendText } from '../../data/metrics';
import { trendGeometry } from '../../data/metrics-chart';

const SIZE = { widthPx: 200, heightPx: 60, padPx: 4 };

/**
 * A metric's rate over its window as a small line against the limit (dashed), in the latency
 * chart's restrained style. The picture is for the eye; the same points are in a table for
 * screen readers and for anyone who wants the numbers.
 *
 * @param {Object} props
 * @param {Object} props.metric A metric evaluation (trend.points, trend.direction, limit, label).
 */
export function TrendChart( { metric } ) {
	const points = metric.trend?.points ?? [];
	const limit = metric.limit?.limitBasisPoints ?? null;
	const geometry = trendGeometry( points, limit, SIZE );
	/* translators: 1: metric name, 2: trend direction (Rising, Falling, Flat), 3: a percentage. */
	const summary = sprintf( __( '%1$s: %2$s, limit %3$s', 'shelfguard' ), metric.label, trendText( metric.trend?.direction ), formatRate( limit ) );
	/* translators: %s: metric name. */
	const caption = sprintf( __( 'Trend of %s', 'shelfguard' ), metric.label );
	return (
		<figure className={ `shelfguard-metrics__trend is-${ metric.trend?.direction ?? 'flat' }` }>
			<svg width={ SIZE.widthPx } height={ SIZE.heightPx } viewBox={ `0 0 ${ SIZE.widthPx } ${ SIZE.heightPx }` } aria-hidden="true" focusable="false">
				<rect className="shelfguard-metrics__trend-frame" x="0" y="0" width={ SIZE.widthPx } height={ SIZE.heightPx } />
				{ geometry.thresholdY !== null && <line className="shelfguard-metrics__trend-limit" x1="0" x2={ SIZE.widthPx } y1={ geometry.thresholdY } y2={ geometry.thresholdY } /> }
				{ geometry.segments.map( ( path ) => <path key={ path } className="shelfguard-metrics__trend-line" d={ path } /> ) }
				{ geometry.dots.length > 0 && <circle className="shelfguard-metrics__trend-now" cx={ geometry.dots[ geometry.dots.length - 1 ].x } cy={ geometry.dots[ geometry.dots.length - 1 ].y } r="2.5" /> }
			</svg>
			<figcaption className="shelfguard-metrics__trend-caption">{ summary }</figcaption>
			<details className="shelfguard-metrics__trend-points">
				<summary>{ __( 'Trend points', 'shelfguard' ) }</summary>
				<table className="widefat striped">
					<caption className="screen-reader-text">{ caption }</caption>
					<thead>
						<tr>
							<th scope="col">{ __( 'At', 'shelfguard' ) }</th>
							<th scope="col" className="shelfguard-data-table__number">{ __( 'Rate', 'shelfguard' ) }</th>
							<th scope="col" className="shelfguard-data-table__number">{ __( 'Limit', 'shelfguard' ) }</th>
						</tr>
					</thead>
					<tbody>
						{ points.map( ( point ) => (
							<tr key={ point.atMs }>
								<th scope="row">{ formatTime( point.atMs ) }</th>
								<td className="shelfguard-data-table__number">{ formatRate( point.rateBasisPoints ) }</td>
								<td className="shelfguard-data-table__number">{ formatRate( limit ) }</td>
							</tr>
						) ) }
					</tbody>
				</table>
			</details>
		</figure>
	);
}
