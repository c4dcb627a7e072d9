<?php
/**
 * WP-CLI is not packaged for this machine: this records what the commands print through the
 * three \WP_CLI output methods they use. Declared only when the real WP-CLI is absent.
 *
 * @package Shelfguard\Tests
 */

if ( ! class_exists( 'WP_CLI' ) ) {
	class WP_CLI {
		public static $lines = array();
		public static function line( $message ) { self::$lines[] = $message; }
		public static function success( $message ) { self::$lines[] = 'Success: ' . $message; }
		public static function warning( $message ) { self::$lines[] = 'Warning: ' . $message; }
	}
}
