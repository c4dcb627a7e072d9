<?php
/**
 * uninstall.php removes exactly what Shelfguard created — tables, options, transients, product
 * and order-line meta, scheduled jobs — and leaves WooCommerce's data alone.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

final class UninstallTest extends TestCase {

	private function run_script( string $command ): void {
		exec( 'php ' . escapeshellarg( __DIR__ . '/run.php' ) . ' ' . escapeshellarg( SHELFGUARD_TEST_WP_DIR . '/docroot' ) . ' ' . $command . ' 2>&1', $output, $code );
		$this->assertSame( 0, $code, implode( "\n", $output ) );
	}

	public function test_uninstall_removes_everything_shelfguard_created_and_nothing_else(): void {
		global $wpdb;
		$product = $this->simple_product( 10, 'KEEP-' . wp_generate_password( 6, false ) );
		$order   = $this->order_for( array( array( $product, 1 ) ) );
		$order->update_status( 'processing' );
		$this->end_request();
		$this->settings()->set_admin_token( 'token-' . wp_generate_password( 12, false ) );
		set_transient( \Shelfguard\Admin\SettingsPage::FLASH . '1', array( 'success', 'x' ), 60 );
		update_option( \Shelfguard\Delivery\Dispatcher::LAST_OPTION, array( 'at' => time() ), false );
		wp_schedule_single_event( time() + 3600, \Shelfguard\Delivery\Scheduler::HOOK_FLUSH_NOW );
		$this->assertNotEmpty( $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key = %s", '_shelfguard_catalog_fingerprint' ) ) );
		$this->assertNotEmpty( $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_order_itemmeta WHERE meta_key LIKE '\\_shelfguard\\_%'" ) );
		$woo_meta_before = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_order_itemmeta WHERE meta_key NOT LIKE '\\_shelfguard\\_%'" );

		$this->run_script( 'uninstall' );

		$this->assertSame( array(), $wpdb->get_col( "SHOW TABLES LIKE '{$wpdb->prefix}shelfguard%'" ) );
		$this->assertSame( array(), $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%shelfguard%' AND option_name <> 'active_plugins' AND option_name <> 'cron'" ) );
		$this->assertStringNotContainsString( 'shelfguard', (string) $wpdb->get_var( "SELECT option_value FROM {$wpdb->options} WHERE option_name = 'cron'" ) );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->postmeta} WHERE meta_key LIKE '\\_shelfguard\\_%'" ) );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_order_itemmeta WHERE meta_key LIKE '\\_shelfguard\\_%'" ) );
		$this->assertSame( $woo_meta_before, (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_order_itemmeta WHERE meta_key NOT LIKE '\\_shelfguard\\_%'" ) );
		$this->assertSame( $product->get_sku(), $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key = '_sku'", $product->get_id() ) ) );

		$this->run_script( 'activate' );
		$this->assertCount( 2, $wpdb->get_col( "SHOW TABLES LIKE '{$wpdb->prefix}shelfguard%'" ) );
	}

	protected function setUp(): void {
		wp_cache_flush();
		parent::setUp();
	}
}
