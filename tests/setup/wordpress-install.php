<?php
/**
 * Installs the test site into its (empty) database and activates the plugins, from the command
 * line: php tests/setup/wordpress-install.php <docroot>. Called by tests/setup/wordpress.sh.
 *
 * Variables are prefixed because wp-settings.php overwrites common names such as $plugin.
 *
 * @package Shelfguard\Tests
 */

define( 'WP_INSTALLING', true );
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

// There is no mail transport here; WordPress mails the admin on install.
add_filter( 'pre_wp_mail', '__return_false' );

$shelfguard_install = wp_install( 'Shelfguard test shop', 'admin', 'admin@example.test', false, '', wp_generate_password( 24 ) );
if ( is_wp_error( $shelfguard_install ) ) {
	fwrite( STDERR, 'wp_install failed: ' . $shelfguard_install->get_error_message() . "\n" );
	exit( 1 );
}
// Pretty permalinks so /wp-json/ routes reach the REST API.
update_option( 'permalink_structure', '/%postname%/' );
update_option( 'woocommerce_manage_stock', 'yes' );

foreach ( array( 'woocommerce/woocommerce.php', 'shelfguard/shelfguard.php' ) as $shelfguard_plugin_file ) {
	$shelfguard_result = activate_plugin( $shelfguard_plugin_file );
	if ( is_wp_error( $shelfguard_result ) ) {
		fwrite( STDERR, "activating $shelfguard_plugin_file failed: " . $shelfguard_result->get_error_message() . "\n" );
		exit( 1 );
	}
}
// The stand-in's tables and roles; it skips them while WordPress is installing.
if ( function_exists( 'wc_standin_install' ) ) {
	wp_installing( false );
	wc_standin_install();
}
echo "WordPress installed with: " . implode( ', ', get_option( 'active_plugins' ) ) . "\n";
