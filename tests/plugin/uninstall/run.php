<?php
/**
 * Deactivates and uninstalls Shelfguard the way wp-admin does (uninstall_plugin), or activates
 * it again: php run.php <docroot> uninstall|activate. A separate process, as in real life.
 *
 * @package Shelfguard\Tests
 */

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if ( 'uninstall' === $argv[2] ) {
	deactivate_plugins( 'shelfguard/shelfguard.php' );
	uninstall_plugin( 'shelfguard/shelfguard.php' );
} else {
	$shelfguard_result = activate_plugin( 'shelfguard/shelfguard.php' );
	exit( is_wp_error( $shelfguard_result ) ? 1 : 0 );
}
