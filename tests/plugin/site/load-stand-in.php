<?php
/**
 * Must-use plugin of the test site: loads the WooCommerce stand-in when no real WooCommerce is
 * under test (tests/setup/wordpress.sh copies it only then).
 *
 * @package Shelfguard\Tests
 */

require __DIR__ . '/woocommerce-stand-in/woocommerce-stand-in.php';
