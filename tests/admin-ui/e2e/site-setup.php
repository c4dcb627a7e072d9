<?php
/**
 * Prepares the test site for the admin UI's browser tests, from the command line:
 * php site-setup.php <docroot> <daemon url> <admin token> <admin password> <customer password>
 * Points the plugin at the test daemon, sets a site timezone away from UTC (so the tests see
 * times converted), and creates a shop customer who must be refused.
 *
 * @package Shelfguard\Tests
 */

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $argv[1] . '/wp-load.php';

list( , , $shelfguard_daemon_url, $shelfguard_token, $shelfguard_admin_password, $shelfguard_customer_password ) = $argv;
$shelfguard_settings = new \Shelfguard\Settings();
foreach ( array( $shelfguard_settings->set_daemon_url( $shelfguard_daemon_url ), $shelfguard_settings->set_admin_token( $shelfguard_token ) ) as $shelfguard_result ) {
	if ( is_wp_error( $shelfguard_result ) ) {
		fwrite( STDERR, $shelfguard_result->get_error_message() . "\n" );
		exit( 1 );
	}
}
// A shared secret as a connected site has one; these tests never deliver events with it.
if ( '' === $shelfguard_settings->secret() ) {
	$shelfguard_settings->rotate_secret( time() );
}
update_option( 'timezone_string', 'Europe/Berlin' );
update_option( 'date_format', 'Y-m-d' );
update_option( 'time_format', 'H:i' );

$shelfguard_admin = get_user_by( 'login', 'admin' );
wp_set_password( $shelfguard_admin_password, $shelfguard_admin->ID );
$shelfguard_customer = get_user_by( 'login', 'customer' );
if ( $shelfguard_customer ) {
	wp_set_password( $shelfguard_customer_password, $shelfguard_customer->ID );
} else {
	$shelfguard_id = wp_insert_user( array( 'user_login' => 'customer', 'user_pass' => $shelfguard_customer_password, 'user_email' => 'customer@example.test', 'role' => 'customer' ) );
	if ( is_wp_error( $shelfguard_id ) ) {
		fwrite( STDERR, $shelfguard_id->get_error_message() . "\n" );
		exit( 1 );
	}
}
echo "site ready\n";
