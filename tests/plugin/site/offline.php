<?php
/**
 * Must-use plugin of the test site: no update checks, avatars or other calls to the outside
 * world (there is none), so the debug log only holds what the tests caused.
 *
 * @package Shelfguard\Tests
 */

foreach ( array( '_maybe_update_core', '_maybe_update_plugins', '_maybe_update_themes', 'wp_maybe_auto_update' ) as $shelfguard_offline_check ) {
	remove_action( 'admin_init', $shelfguard_offline_check );
	remove_action( 'wp_maybe_auto_update', $shelfguard_offline_check );
}
foreach ( array( 'wp_version_check', 'wp_update_plugins', 'wp_update_themes' ) as $shelfguard_offline_check ) {
	remove_action( $shelfguard_offline_check, $shelfguard_offline_check );
	foreach ( array( 'load-plugins.php', 'load-update.php', 'load-update-core.php', 'load-themes.php', 'upgrader_process_complete' ) as $shelfguard_offline_screen ) {
		remove_action( $shelfguard_offline_screen, $shelfguard_offline_check );
		remove_action( $shelfguard_offline_screen, $shelfguard_offline_check . '_check' );
	}
}
remove_action( 'init', 'wp_schedule_update_checks' );
add_filter( 'pre_option_show_avatars', '__return_zero' );
add_filter( 'pre_wp_mail', '__return_false' );
// Anything else that tries the internet gets a clean error instead of a timeout.
add_filter(
	'pre_http_request',
	static function ( $response, $args, $url ) {
		$host = (string) wp_parse_url( $url, PHP_URL_HOST );
		return in_array( $host, array( '127.0.0.1', 'localhost' ), true ) ? $response : new WP_Error( 'shelfguard_test_offline', 'The test site has no internet.' );
	},
	10,
	3
);
