/**
 * Words for the order routes' closed lists (GET /v1/admin/orders and /returns): line status,
 * routing, what the ledger holds, and restock outcome. An unknown value from a newer daemon is
 * shown as it comes rather than hidden.
 */

/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * @param {string} status Marketplace status of the line.
 * @return {string} Label.
 */
export function orderStatusLabel( status ) {
	const labels = {
		created: __( 'Ordered', 'shelfguard' ),
		shipped: __( 'Shipped', 'shelfguard' ),
		delivered: __( 'Delivered', 'shelfguard' ),
		cancelled: __( 'Cancelled', 'shelfguard' ),
		return_requested: __( 'Return requested', 'shelfguard' ),
		return_received: __( 'Return received', 'shelfguard' ),
	};
	return labels[ status ] ?? status;
}

/**
 * @param {string} state What the ledger holds for the line.
 * @return {string} Label.
 */
export function stockStateLabel( state ) {
	const labels = {
		none: __( 'Nothing held', 'shelfguard' ),
		reserved: __( 'Committed, not shipped', 'shelfguard' ),
		committed: __( 'Shipped from stock', 'shelfguard' ),
		released: __( 'Released to available', 'shelfguard' ),
		returned: __( 'Returned', 'shelfguard' ),
		oversold: __( 'Oversold: nothing was available', 'shelfguard' ),
		external: __( 'Not tracked by Shelfguard', 'shelfguard' ),
	};
	return labels[ state ] ?? state;
}

/**
 * Where a line's stock came from: the marketplace's own stock (FBA and the like) or a warehouse.
 *
 * @param {{fulfillment: string, locations: Object[]}} routing From the route.
 * @return {string} Label.
 */
export function routingLabel( routing ) {
	const names = ( routing?.locations ?? [] ).map( ( location ) => location.name || location.code ).join( ', ' );
	if ( routing?.fulfillment === 'marketplace' ) {
		/* translators: %s: location names, e.g. "Amazon FBA". */
		return names ? sprintf( __( 'Marketplace (%s)', 'shelfguard' ), names ) : __( 'Marketplace, from its own stock', 'shelfguard' );
	}
	/* translators: %s: warehouse names. */
	return names ? sprintf( __( 'Warehouse: %s', 'shelfguard' ), names ) : __( 'Warehouse (none reserved)', 'shelfguard' );
}

/**
 * @param {{outcome: string, sellable: number, damaged: number, released: number}} restock From the route.
 * @return {string} Label with the units moved.
 */
export function restockLabel( restock ) {
	const labels = {
		/* translators: %d: units. */
		restocked: sprintf( __( 'Restocked: %d back to sell', 'shelfguard' ), restock?.sellable ?? 0 ),
		/* translators: %d: units. */
		damaged: sprintf( __( 'Came back damaged: %d not for sale', 'shelfguard' ), restock?.damaged ?? 0 ),
		/* translators: %d: units. */
		released: sprintf( __( 'Released: %d back to available', 'shelfguard' ), restock?.released ?? 0 ),
		awaiting_return: __( 'Waiting for the return to arrive', 'shelfguard' ),
		not_tracked: __( 'Not tracked by Shelfguard', 'shelfguard' ),
		nothing_held: __( 'Nothing to restock', 'shelfguard' ),
	};
	return labels[ restock?.outcome ] ?? String( restock?.outcome ?? '—' );
}
