/**
 * Joins SKUs (GET /v1/admin/skus) with their listings (GET /v1/admin/listings), the drift found by
 * the last reconciliation (GET /v1/admin/reconcile/drift), sku lint's findings
 * (GET /v1/admin/skus/lint) and open oversells into one row per SKU for the Products screen, in
 * catalogue structure: variations right after their parent, one level down. Pure.
 */

/**
 * At or below this many available units a SKU is "at risk": one or two more sales sell it out,
 * and a sale on a channel that has not heard of the last one yet oversells it. A SKU with an
 * oversell nobody has resolved is at risk whatever it has left.
 */
export const AT_RISK_AVAILABLE_MAX = 2;

/** Flags a row can carry; the Products filter offers exactly these. */
export const PRODUCT_FLAGS = [ 'unmapped', 'inconsistent', 'drift', 'at_risk' ];

/** Drift causes that mean a listing and a SKU do not meet: the listing is unmapped. */
const UNMAPPED_CAUSES = [ 'unmapped_listing', 'missing_on_channel' ];

function groupBy( items, keyOf ) {
	const groups = new Map();
	for ( const item of items ) {
		groups.set( keyOf( item ), [ ...( groups.get( keyOf( item ) ) ?? [] ), item ] );
	}
	return groups;
}

/** SKUs in structure order: each top-level SKU by code, its variations by code right after it. */
function structureOrder( skus ) {
	const codes = new Set( skus.map( ( sku ) => sku.sku ) );
	const children = groupBy( skus.filter( ( sku ) => sku.parent && codes.has( sku.parent ) ), ( sku ) => sku.parent );
	const byCode = ( a, b ) => ( a.sku < b.sku ? -1 : Number( a.sku > b.sku ) );
	const ordered = [];
	for ( const sku of skus.filter( ( entry ) => ! entry.parent || ! codes.has( entry.parent ) ).sort( byCode ) ) {
		ordered.push( { sku, level: 0 } );
		for ( const child of ( children.get( sku.sku ) ?? [] ).sort( byCode ) ) {
			ordered.push( { sku: child, level: 1 } );
		}
	}
	return ordered;
}

function channelCell( listing, drift ) {
	return {
		isListed: true,
		id: listing.id,
		published: listing.published ?? null,
		buffer: listing.buffer ?? null,
		cap: listing.cap ?? null,
		isActive: listing.active !== false,
		channelSku: listing.channelSku,
		drift: drift ?? null,
	};
}

function flagsOf( row, { channels, lintSkus, openOversellSkus } ) {
	const flags = [];
	const listedOn = Object.keys( row.channels ).filter( ( channel ) => row.channels[ channel ].isListed );
	// A variable parent is never listed itself (its variations are); every other SKU should be on
	// every channel the shop sells on, and a channel selling what the ledger has not mapped is too.
	const isMissingSomewhere = row.kind !== 'variable' && channels.some( ( channel ) => ! listedOn.includes( channel ) );
	if ( isMissingSomewhere || Object.values( row.channels ).some( ( cell ) => UNMAPPED_CAUSES.includes( cell.drift?.cause ) ) ) {
		flags.push( 'unmapped' );
	}
	if ( lintSkus?.has( row.sku ) ) {
		flags.push( 'inconsistent' );
	}
	if ( Object.values( row.channels ).some( ( cell ) => cell.drift ) ) {
		flags.push( 'drift' );
	}
	// A variable parent holds stock only when its variations share its pool.
	const isCounted = row.kind === 'kit' || ( row.tracksStock && ( row.kind !== 'variable' || row.poolMembers.length > 0 ) );
	if ( ( isCounted && row.effectiveAvailable <= AT_RISK_AVAILABLE_MAX ) || openOversellSkus.has( row.sku ) ) {
		flags.push( 'at_risk' );
	}
	return flags;
}

/** Rows for marketplace listings the ledger has no SKU for at all (drift cause unmapped_listing). */
function unmappedListingRows( unmatched, rowByCode ) {
	const rows = new Map();
	for ( const entry of unmatched ) {
		const row = rowByCode.get( entry.sku ) ?? rows.get( entry.sku ) ?? { id: `listing:${ entry.sku }`, sku: entry.sku, name: '', kind: 'unmapped_listing', level: 0, channels: {}, poolMembers: [], tracksStock: false, onHand: null, committed: null, available: null, effectiveAvailable: null };
		row.channels[ entry.channel ] = { ...( row.channels[ entry.channel ] ?? { published: null } ), drift: entry };
		if ( ! rowByCode.has( entry.sku ) ) {
			rows.set( entry.sku, row );
		}
	}
	return [ ...rows.values() ];
}

/**
 * @param {Object[]}      skus                     SKUs: sku, kind, parent, pool, onHand, committed, available, components, kitAvailable.
 * @param {Object[]}      listings                 Listings with id, channel, sku, channelSku, buffer, cap, published.
 * @param {Object}        [extras]                 What else is known; null where the daemon does not offer it.
 * @param {Object[]|null} [extras.drift]           Drift at the last reconciliation: channel, sku (the channel's), listingId, expected, shown, cause.
 * @param {Object[]|null} [extras.lintFindings]    sku lint findings, each with the SKUs it concerns.
 * @param {Object[]|null} [extras.oversells]       Oversells; those without a resolution are open.
 * @return {Object[]} Rows in structure order, each with level, channels, flags and treeOrder.
 */
export function productRows( skus, listings, { drift = null, lintFindings = null, oversells = null } = {} ) {
	const bySku = groupBy( listings, ( listing ) => listing.sku );
	const driftByListing = new Map( ( drift ?? [] ).filter( ( entry ) => entry.listingId !== null && entry.listingId !== undefined ).map( ( entry ) => [ entry.listingId, entry ] ) );
	const channels = listedChannels( listings );
	const poolMembers = groupBy( skus.filter( ( sku ) => sku.pool ), ( sku ) => sku.pool );
	const skuByCode = new Map( skus.map( ( sku ) => [ sku.sku, sku ] ) );
	const rows = structureOrder( skus ).map( ( { sku, level } ) => {
		const own = bySku.get( sku.sku ) ?? [];
		const cells = Object.fromEntries( own.map( ( listing ) => [ listing.channel, channelCell( listing, driftByListing.get( listing.id ) ) ] ) );
		let effectiveAvailable = sku.available;
		if ( sku.kind === 'kit' ) {
			effectiveAvailable = sku.kitAvailable ?? 0;
		} else if ( sku.pool && skuByCode.has( sku.pool ) ) {
			effectiveAvailable = skuByCode.get( sku.pool ).available;
		}
		return { ...sku, id: sku.sku, level, channels: cells, effectiveAvailable, poolMembers: ( poolMembers.get( sku.sku ) ?? [] ).map( ( member ) => member.sku ) };
	} );
	const rowByCode = new Map( rows.map( ( row ) => [ row.sku, row ] ) );
	const unmatched = ( drift ?? [] ).filter( ( entry ) => entry.listingId === null || entry.listingId === undefined );
	const all = [ ...rows, ...unmappedListingRows( unmatched, rowByCode ) ];
	const context = {
		channels,
		lintSkus: lintFindings ? new Set( lintFindings.flatMap( ( finding ) => finding.skus ?? [] ) ) : null,
		openOversellSkus: new Set( ( oversells ?? [] ).filter( ( oversell ) => ! oversell.resolution ).map( ( oversell ) => oversell.sku ) ),
	};
	return all.map( ( row, index ) => ( { ...row, treeOrder: index, flags: flagsOf( row, context ) } ) );
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
