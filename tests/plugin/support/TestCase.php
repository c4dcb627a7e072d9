<?php
/**
 * Base for the plugin's tests: a clean queue, a fresh secret, and helpers that create real
 * products and orders through WooCommerce's API (or its stand-in) on the test site.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

use Shelfguard\Queue\Schema;

abstract class TestCase extends \PHPUnit\Framework\TestCase {

	const RECORDER_PORT = 8090;

	protected function setUp(): void {
		global $wpdb;
		$wpdb->query( 'TRUNCATE ' . Schema::queue_table() );
		$wpdb->query( 'TRUNCATE ' . Schema::applied_table() );
		delete_option( 'shelfguard_secret_previous' );
		delete_option( 'shelfguard_secret_grace_until' );
		$this->settings()->set_daemon_url( 'http://127.0.0.1:' . self::RECORDER_PORT );
		$this->settings()->rotate_secret( time() );
		delete_option( 'shelfguard_secret_previous' );
		delete_option( 'shelfguard_secret_grace_until' );
		$this->end_request(); // Nothing from an earlier test may leak into this one.
		$wpdb->query( 'TRUNCATE ' . Schema::queue_table() );
	}

	protected function plugin(): \Shelfguard\Plugin {
		return $GLOBALS['shelfguard'];
	}

	protected function settings(): \Shelfguard\Settings {
		return $this->plugin()->get( 'settings' );
	}

	/** What the shutdown hooks do at the end of a real request. */
	protected function end_request(): void {
		foreach ( array( 'stock', 'catalog', 'held', 'queue' ) as $name ) {
			$this->plugin()->get( $name )->end_request();
		}
	}

	/** Queued events, oldest first. */
	protected function queued( string $type = '' ): array {
		global $wpdb;
		$rows   = $wpdb->get_col( 'SELECT payload FROM ' . Schema::queue_table() . ' ORDER BY id' );
		$events = array_map( static function ( $payload ) { return json_decode( $payload, true ); }, $rows );
		return array_values( array_filter( $events, static function ( $event ) use ( $type ) { return '' === $type || $event['type'] === $type; } ) );
	}

	protected function queue_statuses(): array {
		global $wpdb;
		$counts = array();
		foreach ( $wpdb->get_results( 'SELECT status, COUNT(*) AS n FROM ' . Schema::queue_table() . ' GROUP BY status' ) as $row ) {
			$counts[ $row->status ] = (int) $row->n;
		}
		return $counts;
	}

	/** Makes every waiting event due now, as if its backoff had passed. */
	protected function time_passes(): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Schema::queue_table() . " SET next_attempt_at = %s WHERE status = 'pending'", gmdate( 'Y-m-d H:i:s', time() - 1 ) ) );
	}

	protected function simple_product( int $stock, string $sku = '' ): \WC_Product {
		$product = new \WC_Product_Simple();
		$product->set_name( 'Test product ' . wp_generate_password( 6, false ) );
		$product->set_sku( '' !== $sku ? $sku : 'SKU-' . wp_generate_password( 8, false ) );
		$product->set_manage_stock( true );
		$product->set_stock_quantity( $stock );
		$product->save();
		return wc_get_product( $product->get_id() );
	}

	/** A variable product whose parent manages one stock pool, with two inheriting variations. */
	protected function pooled_variations( int $stock ): array {
		$parent = new \WC_Product_Variable();
		$parent->set_name( 'Pooled shirt' );
		$parent->set_sku( 'POOL-' . wp_generate_password( 6, false ) );
		$parent->set_manage_stock( true );
		$parent->set_stock_quantity( $stock );
		$parent->save();
		$variations = array();
		foreach ( array( 'red', 'blue' ) as $colour ) {
			$variation = new \WC_Product_Variation();
			$variation->set_parent_id( $parent->get_id() );
			$variation->set_sku( $parent->get_sku() . '-' . $colour );
			$variation->set_attributes( array( 'attribute_pa_colour' => $colour ) );
			$variation->save();
			$variations[] = wc_get_product( $variation->get_id() );
		}
		return array( wc_get_product( $parent->get_id() ), $variations );
	}

	protected function order_for( array $lines ): \WC_Order {
		$order = wc_create_order();
		foreach ( $lines as $line ) {
			$order->add_product( $line[0], $line[1] );
		}
		$order->save();
		return wc_get_order( $order->get_id() );
	}

	/**
	 * Fails unless every queued event, exactly as stored and sent, is valid against
	 * contracts/events.schema.json (raw payloads: decoding to PHP arrays would turn {} into []).
	 */
	protected function assert_queue_valid_against_the_contract(): void {
		global $wpdb;
		$payloads = $wpdb->get_col( 'SELECT payload FROM ' . \Shelfguard\Queue\Schema::queue_table() . ' ORDER BY id' );
		$this->assertNotEmpty( $payloads );
		$repo = dirname( __DIR__, 3 );
		foreach ( array_chunk( $payloads, 500 ) as $chunk ) {
			$file = tempnam( sys_get_temp_dir(), 'shelfguard-events' );
			file_put_contents( $file, '{"site":' . wp_json_encode( $this->plugin()->get( 'events' )->site() ) . ',"events":[' . implode( ',', $chunk ) . ']}' );
			exec( 'node ' . escapeshellarg( $repo . '/contracts/validate.mjs' ) . ' events ' . escapeshellarg( $file ) . ' 2>&1', $output, $code );
			unlink( $file );
			$this->assertSame( 0, $code, "contract violations:\n" . implode( "\n", $output ) );
		}
	}
}
