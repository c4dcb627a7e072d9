<?php
/**
 * Removes exactly what Shelfguard created: its two tables, its options and transients, its
 * product and order-line meta, and its scheduled jobs. WooCommerce's own data is untouched.
 *
 * @package Shelfguard
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/vendor/autoload.php';

global $wpdb;

Shelfguard\Delivery\Scheduler::unschedule_all();
Shelfguard\Alerts\AlertPoller::unschedule();
Shelfguard\Queue\Schema::drop();

foreach ( array_merge( Shelfguard\Settings::ALL, array( Shelfguard\Delivery\Dispatcher::LAST_OPTION, Shelfguard\Alerts\AlertFeed::OPTION, Shelfguard\Alerts\AlertMailer::OPTION, Shelfguard\Alerts\AlertPoller::LOCK_OPTION ) ) as $shelfguard_option ) {
	delete_option( $shelfguard_option );
}

// Transients of the settings screen (one-time messages and the new secret shown once).
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s", $wpdb->esc_like( '_transient_' . Shelfguard\Admin\SettingsPage::FLASH ) . '%', $wpdb->esc_like( '_transient_timeout_' . Shelfguard\Admin\SettingsPage::FLASH ) . '%' ) );

// One-time messages of the alerts' Acknowledge button.
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s", $wpdb->esc_like( '_transient_' . Shelfguard\Alerts\AlertAcknowledger::FLASH ) . '%', $wpdb->esc_like( '_transient_timeout_' . Shelfguard\Alerts\AlertAcknowledger::FLASH ) . '%' ) );

delete_post_meta_by_key( Shelfguard\Capture\CatalogCapture::FINGERPRINT_META );

// Order lines carry the reduce/restore cycle numbers; the table is WooCommerce's.
$shelfguard_itemmeta = $wpdb->prefix . 'woocommerce_order_itemmeta';
if ( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $shelfguard_itemmeta ) ) ) === $shelfguard_itemmeta ) {
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$shelfguard_itemmeta} WHERE meta_key IN (%s, %s)", sprintf( Shelfguard\Capture\StockCapture::SEQ_META, 'reduce' ), sprintf( Shelfguard\Capture\StockCapture::SEQ_META, 'restore' ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from the prefix.
}
