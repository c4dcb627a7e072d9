<?php
/**
 * Plugin Name:       Shelfguard
 * Description:       One truth about stock across WooCommerce and the marketplaces it sells on.
 * Version:           0.1.0
 * Requires at least: 6.6
 * Requires PHP:      7.4
 * Requires Plugins:  woocommerce
 * Author:            Shelfguard
 * License:           GPL-2.0-or-later
 * Text Domain:       shelfguard
 * WC requires at least: 7.6
 *
 * @package Shelfguard
 */

defined( 'ABSPATH' ) || exit;

define( 'SHELFGUARD_FILE', __FILE__ );
define( 'SHELFGUARD_VERSION', '0.1.0' );

if ( is_readable( __DIR__ . '/vendor/autoload.php' ) ) {
	require_once __DIR__ . '/vendor/autoload.php';
}

/**
 * What stops Shelfguard from running here, as sentences for the admin notice; empty when ready.
 * Written in PHP 5 syntax so that an old PHP can still show the notice instead of a parse error.
 */
function shelfguard_unmet_requirements() {
	$problems = array();
	if ( version_compare( PHP_VERSION, '7.4', '<' ) ) {
		/* translators: %s: the running PHP version. */
		$problems[] = sprintf( __( 'Shelfguard needs PHP 7.4 or newer; this site runs PHP %s.', 'shelfguard' ), PHP_VERSION );
	}
	if ( version_compare( get_bloginfo( 'version' ), '6.6', '<' ) ) {
		/* translators: %s: the running WordPress version. */
		$problems[] = sprintf( __( 'Shelfguard needs WordPress 6.6 or newer; this site runs %s.', 'shelfguard' ), get_bloginfo( 'version' ) );
	}
	if ( ! class_exists( 'WooCommerce' ) ) {
		$problems[] = __( 'Shelfguard needs WooCommerce to be installed and active.', 'shelfguard' );
	}
	if ( ! is_readable( __DIR__ . '/vendor/autoload.php' ) ) {
		$problems[] = __( 'Shelfguard is missing its autoloader: run "composer dump-autoload" in the plugin folder.', 'shelfguard' );
	}
	return $problems;
}

/** Boots the plugin once WooCommerce (which loads after Shelfguard) has had its turn. */
function shelfguard_boot() {
	$problems = shelfguard_unmet_requirements();
	if ( $problems ) {
		add_action(
			'admin_notices',
			function () use ( $problems ) {
				foreach ( $problems as $problem ) {
					echo '<div class="notice notice-error"><p>' . esc_html( $problem ) . '</p></div>';
				}
			}
		);
		return;
	}
	$GLOBALS['shelfguard'] = new Shelfguard\Plugin( __FILE__ );
	$GLOBALS['shelfguard']->register();
}
add_action( 'plugins_loaded', 'shelfguard_boot', 20 );

// Activation creates the tables even before WooCommerce is active, so no event is ever lost.
register_activation_hook( __FILE__, array( 'Shelfguard\\Lifecycle', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'Shelfguard\\Lifecycle', 'deactivate' ) );
