/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/** The marketplaces this daemon can connect, in the order the screens list them. */
export const MARKETPLACES = [ 'amazon', 'ebay', 'walmart', 'tiktok', 'etsy' ];

/**
 * The name a store owner knows a channel by.
 *
 * @param {string} code Channel code, e.g. "tiktok".
 * @return {string} Display name.
 */
export function channelLabel( code ) {
	const labels = {
		amazon: __( 'Amazon', 'shelfguard' ),
		ebay: __( 'eBay', 'shelfguard' ),
		walmart: __( 'Walmart', 'shelfguard' ),
		tiktok: __( 'TikTok Shop', 'shelfguard' ),
		etsy: __( 'Etsy', 'shelfguard' ),
		woocommerce: __( 'WooCommerce', 'shelfguard' ),
	};
	return labels[ code ] ?? code;
}

/**
 * @param {string|null} mode Channel mode from the daemon.
 * @return {string} Display name of the mode.
 */
export function modeLabel( mode ) {
	const labels = {
		live: __( 'Live', 'shelfguard' ),
		shadow: __( 'Shadow (validating)', 'shelfguard' ),
		paused: __( 'Paused', 'shelfguard' ),
	};
	return labels[ mode ] ?? __( 'Not registered', 'shelfguard' );
}
