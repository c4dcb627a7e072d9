<?php
/**
 * POST /wp-json/shelfguard/v1/adjustments over real HTTP: relative changes applied once per key,
 * no echo back to the daemon, and every bad request refused with a 4xx naming the problem while
 * nothing changes.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

use Shelfguard\Queue\Schema;

final class AdjustmentsTest extends TestCase {

	const ROUTE = '/wp-json/shelfguard/v1/adjustments';

	private function body( array $adjustments ): string {
		return (string) wp_json_encode( array( 'adjustments' => $adjustments ) );
	}

	private function adjustment( \WC_Product $product, int $delta, string $key = '' ): array {
		return array(
			'key'        => '' !== $key ? $key : 'test:adj:' . wp_generate_password( 12, false ),
			'product_id' => $product->get_id(),
			'sku'        => $product->get_sku(),
			'delta'      => $delta,
			'reason'     => 'sold',
			'reference'  => 'amazon://order/111-' . wp_rand( 1000000, 9999999 ) . '/line/1',
		);
	}

	private function stock( int $product_id ): ?int {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key = '_stock'", $product_id ) );
		return null === $value || '' === $value ? null : (int) $value;
	}

	private function fresh_product( int $stock ): \WC_Product {
		global $wpdb;
		$product = $this->simple_product( $stock );
		$this->end_request();
		$wpdb->query( 'TRUNCATE ' . Schema::queue_table() );
		return $product;
	}

	public function test_an_adjustment_is_applied_relatively_and_its_stock_hook_is_not_sent_back(): void {
		$product  = $this->fresh_product( 10 );
		$response = Http::signed_post( self::ROUTE, $this->body( array( $this->adjustment( $product, -3 ) ) ), $this->settings()->secret() );
		$this->assertSame( 200, $response['status'], $response['body'] );
		$this->assertSame( 'applied', $response['json']['results'][0]['status'] );
		$this->assertSame( 7, $response['json']['results'][0]['stock_after'] );
		$this->assertSame( 7, $this->stock( $product->get_id() ) );
		$this->assertSame( array(), $this->queued(), 'no echo: the daemon is not told about its own change' );
	}

	public function test_two_hundred_adjustments_leave_nothing_to_send_back(): void {
		$products = array( $this->fresh_product( 1000 ), $this->fresh_product( 1000 ) );
		for ( $batch = 0; $batch < 2; $batch++ ) {
			$adjustments = array();
			for ( $i = 0; $i < 100; $i++ ) {
				$adjustments[] = $this->adjustment( $products[ $i % 2 ], 0 === $i % 3 ? 2 : -1 );
			}
			$response = Http::signed_post( self::ROUTE, $this->body( $adjustments ), $this->settings()->secret() );
			$this->assertSame( array( 'applied' ), array_values( array_unique( array_column( $response['json']['results'], 'status' ) ) ) );
		}
		// Per product and batch the fifty deltas add up to +1 (17 × +2, 33 × −1).
		foreach ( $products as $product ) {
			$this->assertSame( 1002, $this->stock( $product->get_id() ), 'stock moved by exactly the adjustments' );
		}
		$this->assertSame( array(), $this->queued(), 'the system is quiet: no event went back to the daemon' );
	}

	public function test_replaying_a_key_is_a_duplicate_and_the_same_key_with_another_delta_a_conflict(): void {
		$product    = $this->fresh_product( 10 );
		$adjustment = $this->adjustment( $product, 4 );
		Http::signed_post( self::ROUTE, $this->body( array( $adjustment ) ), $this->settings()->secret() );
		$replay = Http::signed_post( self::ROUTE, $this->body( array( $adjustment ) ), $this->settings()->secret() );
		$this->assertSame( array( 'key' => $adjustment['key'], 'status' => 'duplicate', 'stock_after' => 14 ), $replay['json']['results'][0] );
		$adjustment['delta'] = 5;
		$conflict            = Http::signed_post( self::ROUTE, $this->body( array( $adjustment ) ), $this->settings()->secret() );
		$this->assertSame( 'idempotency_conflict', $conflict['json']['results'][0]['code'] );
		$this->assertSame( 14, $this->stock( $product->get_id() ) );
	}

	public function test_the_same_key_sent_eight_times_at_once_is_applied_exactly_once(): void {
		$product = $this->fresh_product( 50 );
		$body    = $this->body( array( $this->adjustment( $product, -1 ) ) );
		$multi   = curl_multi_init();
		$handles = array();
		for ( $i = 0; $i < 8; $i++ ) {
			$id        = 'msg_' . $i . bin2hex( random_bytes( 4 ) );
			$timestamp = time();
			$handle    = curl_init( SHELFGUARD_TEST_SITE . self::ROUTE );
			curl_setopt_array( $handle, array( CURLOPT_POST => true, CURLOPT_POSTFIELDS => $body, CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => array( 'Content-Type: application/json', 'webhook-id: ' . $id, 'webhook-timestamp: ' . $timestamp, 'webhook-signature: ' . \Shelfguard\Delivery\Signature::sign( $this->settings()->secret(), $id, $timestamp, $body ) ) ) );
			curl_multi_add_handle( $multi, $handle );
			$handles[] = $handle;
		}
		do {
			curl_multi_exec( $multi, $running );
			curl_multi_select( $multi, 0.1 );
		} while ( $running );
		$statuses = array();
		foreach ( $handles as $handle ) {
			$statuses[] = json_decode( curl_multi_getcontent( $handle ), true )['results'][0]['status'] ?? 'error';
		}
		sort( $statuses );
		$this->assertSame( array_merge( array( 'applied' ), array_fill( 0, 7, 'duplicate' ) ), $statuses );
		$this->assertSame( 49, $this->stock( $product->get_id() ) );
	}

	public function test_bad_signatures_are_refused_with_401_and_change_nothing(): void {
		$product = $this->fresh_product( 10 );
		$body    = $this->body( array( $this->adjustment( $product, -1 ) ) );
		$cases   = array(
			'wrong secret'    => Http::signed_post( self::ROUTE, $body, 'whsec_' . base64_encode( random_bytes( 32 ) ) ),
			'stale timestamp' => Http::signed_post( self::ROUTE, $body, $this->settings()->secret(), -310 ),
			'future timestamp' => Http::signed_post( self::ROUTE, $body, $this->settings()->secret(), 310 ),
			'no headers'      => Http::request( 'POST', self::ROUTE, array( 'Content-Type' => 'application/json' ), $body ),
		);
		foreach ( $cases as $name => $response ) {
			$this->assertSame( 401, $response['status'], $name );
			$this->assertStringStartsWith( 'shelfguard_', $response['json']['code'], $name );
		}
		$this->assertSame( 10, $this->stock( $product->get_id() ) );
	}

	public function test_malformed_batches_are_refused_with_400_naming_the_field_and_apply_nothing(): void {
		global $wpdb;
		$product = $this->fresh_product( 10 );
		$good    = $this->adjustment( $product, -1 );
		$cases   = array(
			'delta'      => array( $good, array( 'delta' => 0 ) + $good ),
			'delta '     => array( array( 'delta' => 1000001 ) + $good ),
			'delta  '    => array( array( 'delta' => 1.5 ) + $good ),
			'delta   '   => array( array( 'delta' => '3' ) + $good ),
			'product_id' => array( array( 'product_id' => -4 ) + $good ),
			'reason'     => array( array( 'reason' => 'theft' ) + $good ),
			'key'        => array( array( 'key' => 'short' ) + $good ),
			'extra'      => array( $good + array( 'extra' => 1 ) ),
		);
		foreach ( $cases as $field => $adjustments ) {
			$response = Http::signed_post( self::ROUTE, $this->body( $adjustments ), $this->settings()->secret() );
			$this->assertSame( 400, $response['status'], $field );
			$this->assertStringContainsString( '/' . trim( $field ), $response['json']['message'], $field );
		}
		foreach ( array( 'not json' => '{"adjustments": [', 'empty' => '{"adjustments": []}', 'too many' => $this->body( array_fill( 0, 101, $good ) ) ) as $name => $body ) {
			$this->assertSame( 400, Http::signed_post( self::ROUTE, $body, $this->settings()->secret() )['status'], $name );
		}
		$this->assertSame( 10, $this->stock( $product->get_id() ) );
		$this->assertSame( '0', $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Schema::applied_table() ) );
	}

	public function test_unknown_unmanaged_or_mismatched_products_are_rejected_one_by_one(): void {
		$product   = $this->fresh_product( 10 );
		$unmanaged = $this->simple_product( 1 );
		$unmanaged->set_manage_stock( false );
		$unmanaged->save();
		$missing             = $this->adjustment( $product, -1 );
		$missing['product_id'] = 999999;
		unset( $missing['sku'] );
		$mismatch        = $this->adjustment( $product, -1 );
		$mismatch['sku'] = 'NOT-' . $product->get_sku();
		$response        = Http::signed_post( self::ROUTE, $this->body( array( $missing, $this->adjustment( wc_get_product( $unmanaged->get_id() ), -1 ), $mismatch, $this->adjustment( $product, -2 ) ) ), $this->settings()->secret() );
		$this->assertSame( array( 'unknown_product', 'stock_not_managed', 'invalid_adjustment' ), array_column( array_slice( $response['json']['results'], 0, 3 ), 'code' ) );
		$this->assertStringContainsString( '999999', $response['json']['results'][0]['message'] );
		$this->assertSame( 'applied', $response['json']['results'][3]['status'] );
		$this->assertSame( 8, $this->stock( $product->get_id() ) );
	}

	public function test_after_a_rotation_the_previous_secret_works_only_during_the_grace_window(): void {
		$product = $this->fresh_product( 10 );
		$old     = $this->settings()->secret();
		$new     = $this->settings()->rotate_secret( time() );
		$this->assertSame( 200, Http::signed_post( self::ROUTE, $this->body( array( $this->adjustment( $product, -1 ) ) ), $old )['status'] );
		$this->assertSame( 200, Http::signed_post( self::ROUTE, $this->body( array( $this->adjustment( $product, -1 ) ) ), $new )['status'] );
		update_option( 'shelfguard_secret_grace_until', time() - 1, false );
		$this->assertSame( 401, Http::signed_post( self::ROUTE, $this->body( array( $this->adjustment( $product, -1 ) ) ), $old )['status'] );
		$this->assertSame( 8, $this->stock( $product->get_id() ) );
	}
}
