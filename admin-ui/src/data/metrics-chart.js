/**
 * Where a metric's trend points and its limit fall in a small SVG chart: pure, so the drawing
 * can be checked without a browser. The scale always shows the limit with room above it, so a
 * rate far under the limit reads as far under it.
 */

/** Headroom above the larger of the limit and the highest rate, as a share of it. */
const SCALE_MARGIN = 1.25;

/**
 * @param {Object[]}    points           { atMs, rateBasisPoints|null }, oldest first.
 * @param {number|null} limitBasisPoints The limit, or null for none.
 * @param {Object}      size             The chart's size.
 * @param {number}      size.widthPx     Width.
 * @param {number}      size.heightPx    Height.
 * @param {number}      size.padPx       Room kept free at every edge.
 * @return {{segments: string[], thresholdY: number|null, maxBasisPoints: number, dots: Object[]}} Geometry.
 */
export function trendGeometry( points, limitBasisPoints, { widthPx, heightPx, padPx } ) {
	const rates = points.map( ( point ) => point.rateBasisPoints ).filter( ( rate ) => typeof rate === 'number' );
	const maxBasisPoints = Math.max( 1, ( Math.max( limitBasisPoints ?? 0, ...rates, 0 ) || 1 ) * SCALE_MARGIN );
	const step = points.length > 1 ? ( widthPx - 2 * padPx ) / ( points.length - 1 ) : 0;
	const xOf = ( index ) => Math.round( ( padPx + index * step ) * 10 ) / 10;
	const yOf = ( rate ) => Math.round( ( heightPx - padPx - ( rate / maxBasisPoints ) * ( heightPx - 2 * padPx ) ) * 10 ) / 10;
	// A point without orders has no rate: the line breaks there instead of dropping to zero.
	const segments = [];
	let current = [];
	const dots = [];
	points.forEach( ( point, index ) => {
		if ( typeof point.rateBasisPoints !== 'number' ) {
			if ( current.length ) {
				segments.push( current );
			}
			current = [];
			return;
		}
		const dot = { x: xOf( index ), y: yOf( point.rateBasisPoints ) };
		dots.push( dot );
		current.push( dot );
	} );
	if ( current.length ) {
		segments.push( current );
	}
	return {
		segments: segments.map( ( segment ) => segment.map( ( dot, index ) => `${ index === 0 ? 'M' : 'L' }${ dot.x } ${ dot.y }` ).join( ' ' ) ),
		thresholdY: typeof limitBasisPoints === 'number' ? yOf( limitBasisPoints ) : null,
		maxBasisPoints,
		dots,
	};
}
