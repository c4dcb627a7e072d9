<?php
/**
 * Loads the test site's WordPress (with WooCommerce or its stand-in, and Shelfguard active) into
 * PHPUnit's process, so tests drive real products, orders, options and the real database.
 *
 * @package Shelfguard\Tests
 */

$shelfguard_wp_dir = getenv( 'SHELFGUARD_WP_DIR' ) ?: dirname( __DIR__, 2 ) . '/.wp-test';
if ( ! is_file( $shelfguard_wp_dir . '/docroot/wp-load.php' ) ) {
	fwrite( STDERR, "No test site in $shelfguard_wp_dir: run tests/setup/wordpress.sh install first.\n" );
	exit( 1 );
}
define( 'SHELFGUARD_TEST_WP_DIR', $shelfguard_wp_dir );
define( 'SHELFGUARD_TEST_SITE', 'http://127.0.0.1:' . ( getenv( 'SHELFGUARD_WP_PORT' ) ?: '8089' ) );
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $shelfguard_wp_dir . '/docroot/wp-load.php';
require __DIR__ . '/support/TestCase.php';
require __DIR__ . '/support/Recorder.php';
require __DIR__ . '/support/Http.php';
