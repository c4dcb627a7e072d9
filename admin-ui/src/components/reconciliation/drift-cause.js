/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * The daemon's drift cause codes in words a store owner reads.
 *
 * @param {string} cause Drift cause code.
 * @return {string} Label.
 */
export function driftCauseLabel( cause ) {
	const labels = {
		changed_outside_shelfguard: __( 'Changed outside Shelfguard', 'shelfguard' ),
		push_pending: __( 'Push still pending', 'shelfguard' ),
		marketplace_holds_stock: __( 'Marketplace holds the stock (FBA)', 'shelfguard' ),
		missing_on_channel: __( 'Missing on the channel', 'shelfguard' ),
		unmapped_listing: __( 'Listing not mapped to a SKU', 'shelfguard' ),
	};
	return labels[ cause ] ?? cause;
}
