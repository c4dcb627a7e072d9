<?php
/**
 * Router for `php -S`: serve existing files as they are, directories through their index.php,
 * and everything else (pretty permalinks, /wp-json/) through WordPress's front controller.
 *
 * @package Shelfguard\Tests
 */

$shelfguard_root = $_SERVER['DOCUMENT_ROOT'];
$shelfguard_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$shelfguard_file = $shelfguard_root . $shelfguard_path;

if ( is_dir( $shelfguard_file ) && is_file( rtrim( $shelfguard_file, '/' ) . '/index.php' ) ) {
	$_SERVER['SCRIPT_NAME']     = rtrim( $shelfguard_path, '/' ) . '/index.php';
	$_SERVER['SCRIPT_FILENAME'] = rtrim( $shelfguard_file, '/' ) . '/index.php';
	chdir( dirname( $_SERVER['SCRIPT_FILENAME'] ) );
	require $_SERVER['SCRIPT_FILENAME'];
	return;
}
if ( is_file( $shelfguard_file ) ) {
	return false;
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $shelfguard_root . '/index.php';
require $shelfguard_root . '/index.php';
