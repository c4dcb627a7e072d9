/**
 * Joins SKUs (GET /v1/admin/skus) with their listings (GET /v1/admin/listings) into one row per
 * SKU for the Products screen, with what each channel is shown and the flags its filters use.
 * Pure.
 */

/** At or below this many available units a SKU is "at risk" of overselling. */
export const AT_RISK_AVAILABLE_MAX = 2;

/** Flags a row can carry; the Products filter offers exactly these. */
export const PRODUCT_FLAGS = [ 'unmapped', 'inconsistent', 'at_risk' ];

function flagsOf( sku, listings ) {
	const flags = [];
	if ( listings.length === 0 ) {
		flags.push( 'unmapped' );
	}
	// A channel SKU that differs from ours, or a listing of a SKU whose stock is not tracked,
	// means the mapping needs a look before numbers can be trusted.
	if ( listings.some( ( listing ) => listing.channelSku !== sku.sku ) || ( ! sku.tracksStock && listings.length > 0 ) ) {
		flags.push( 'inconsistent' );
	}
	if ( sku.tracksStock && sku.available <= AT_RISK_AVAILABLE_MAX ) {
		flags.push( 'at_risk' );
	}
	return flags;
}

/**
 * @param {Object[]} skus     SKUs with onHand, committed, available.
 * @param {Object[]} listings Listings with channel, sku, channelSku, buffer, cap, published.
 * @return {Object[]} Rows, in the order of `skus`.
 */
export function productRows( skus, listings ) {
	const bySku = new Map();
	for ( const listing of listings ) {
		bySku.set( listing.sku, [ ...( bySku.get( listing.sku ) ?? [] ), listing ] );
	}
	return skus.map( ( sku ) => {
		const own = bySku.get( sku.sku ) ?? [];
		const channels = Object.fromEntries( own.map( ( listing ) => [ listing.channel, { id: listing.id, published: listing.published ?? null, buffer: listing.buffer ?? null, cap: listing.cap ?? null, isActive: listing.active !== false, channelSku: listing.channelSku } ] ) );
		return { ...sku, channels, flags: flagsOf( sku, own ) };
	} );
}

/**
 * Channel codes that have at least one listing, sorted, so the table gets one column each.
 *
 * @param {Object[]} listings Listings.
 * @return {string[]} Channel codes.
 */
export function listedChannels( listings ) {
	return [ ...new Set( listings.map( ( listing ) => listing.channel ) ) ].sort();
}
