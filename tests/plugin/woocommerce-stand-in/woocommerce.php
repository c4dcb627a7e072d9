<?php
/**
 * Plugin Name: WooCommerce (Shelfguard test stand-in)
 * Version:     10.0.2-stand-in
 *
 * A minimal WooCommerce for the plugin's tests: only the classes, functions, tables, roles and
 * hooks Shelfguard touches, shaped after WooCommerce 9.4/10.0. Never shipped; the suite runs
 * against a real WooCommerce instead when SHELFGUARD_WOOCOMMERCE_DIR names one.
 *
 * @package Shelfguard\Tests
 */

/** The class Shelfguard checks to know WooCommerce is active. */
class WooCommerce {
	public $version = '10.0.2-stand-in';
}

require __DIR__ . '/class-wc-product.php';
require __DIR__ . '/class-wc-order.php';
require __DIR__ . '/stock-functions.php';

/** WooCommerce's tables that Shelfguard reads or cleans, and its roles, created once. */
function wc_standin_install() {
	global $wpdb;
	if ( wp_installing() || get_option( 'wc_standin_installed' ) ) {
		return;
	}
	$charset = $wpdb->get_charset_collate();
	$wpdb->query( "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}woocommerce_order_items (order_item_id bigint(20) unsigned NOT NULL AUTO_INCREMENT, order_item_name text NOT NULL, order_item_type varchar(200) NOT NULL DEFAULT '', order_id bigint(20) unsigned NOT NULL, PRIMARY KEY (order_item_id), KEY order_id (order_id)) $charset" );
	$wpdb->query( "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}woocommerce_order_itemmeta (meta_id bigint(20) unsigned NOT NULL AUTO_INCREMENT, order_item_id bigint(20) unsigned NOT NULL, meta_key varchar(255) DEFAULT NULL, meta_value longtext NULL, PRIMARY KEY (meta_id), KEY order_item_id (order_item_id), KEY meta_key (meta_key(32))) $charset" );
	$wpdb->query( "CREATE TABLE IF NOT EXISTS {$wpdb->prefix}wc_reserved_stock (order_id bigint(20) NOT NULL, product_id bigint(20) NOT NULL, stock_quantity double NOT NULL DEFAULT 0, timestamp datetime NOT NULL DEFAULT '0000-00-00 00:00:00', expires datetime NOT NULL DEFAULT '0000-00-00 00:00:00', PRIMARY KEY (order_id, product_id)) $charset" );
	add_role( 'customer', 'Customer', array( 'read' => true ) );
	add_role( 'shop_manager', 'Shop manager', array( 'read' => true, 'manage_woocommerce' => true, 'edit_products' => true ) );
	get_role( 'administrator' )->add_cap( 'manage_woocommerce' );
	update_option( 'woocommerce_manage_stock', 'yes' );
	update_option( 'wc_standin_installed', 1 );
}
add_action( 'init', 'wc_standin_install', 0 );
add_action( 'admin_menu', function () { add_menu_page( 'WooCommerce', 'WooCommerce', 'manage_woocommerce', 'woocommerce', '__return_null' ); }, 9 );
