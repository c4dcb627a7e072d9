<?php
/**
 * Stock hooks on real products and orders become the contract's events, keyed as the contract
 * says, and every event the plugin produces is valid against events.schema.json.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

final class StockCaptureTest extends TestCase {

	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}

	public function test_a_stock_change_outside_an_order_is_queued_as_stock_set_with_the_new_level(): void {
		$product = $this->simple_product( 10 );
		$this->end_request();
		wc_update_product_stock( $product, 25, 'set' );
		$this->end_request();
		$sets = $this->queued( 'stock.set' );
		$this->assertSame( 25, end( $sets )['quantity'] );
		$this->assertSame( $product->get_id(), end( $sets )['product']['id'] );
		$this->assertMatchesRegularExpression( '/^wc:[^:]+:product:' . $product->get_id() . ':set:[0-9a-f-]{36}$/', end( $sets )['id'] );
	}

	public function test_an_order_that_takes_stock_is_queued_as_reduced_lines_and_not_as_stock_set(): void {
		$product = $this->simple_product( 10 );
		$order   = $this->order_for( array( array( $product, 2 ) ) );
		$this->end_request();
		global $wpdb;
		$wpdb->query( 'TRUNCATE ' . \Shelfguard\Queue\Schema::queue_table() );
		$order->update_status( 'processing' );
		$this->end_request();
		$this->assertSame( array(), $this->queued( 'stock.set' ) );
		$lines = $this->queued( 'order.line.reduced' );
		$this->assertCount( 1, $lines );
		$item_id = array_key_first( $order->get_items() );
		$this->assertSame( 'wc:' . $this->plugin()->get( 'events' )->site() . ':' . $item_id . ':reduce:1', $lines[0]['id'] );
		$this->assertSame( 2, $lines[0]['quantity'] );
		$this->assertSame( 8, $lines[0]['stock_after'] );
		$this->assertSame( $order->get_id(), $lines[0]['order_id'] );
	}

	public function test_cancel_and_restore_cycles_make_distinct_keys_and_keep_stock_consistent(): void {
		$product = $this->simple_product( 20 );
		$order   = $this->order_for( array( array( $product, 3 ) ) );
		for ( $cycle = 1; $cycle <= 10; $cycle++ ) {
			$order->update_status( 'processing' );
			$order->update_status( 'cancelled' );
			$order->update_status( 'pending' );
		}
		$this->end_request();
		$reduced  = $this->queued( 'order.line.reduced' );
		$restored = $this->queued( 'order.line.restored' );
		$this->assertCount( 10, $reduced );
		$this->assertCount( 10, $restored );
		$keys = array_merge( array_column( $reduced, 'id' ), array_column( $restored, 'id' ) );
		$this->assertCount( 20, array_unique( $keys ) );
		$this->assertSame( range( 1, 10 ), array_column( $reduced, 'seq' ) );
		$this->assertSame( range( 1, 10 ), array_column( $restored, 'seq' ) );
		$this->assertSame( 20, wc_get_product( $product->get_id() )->get_stock_quantity() );
		$this->assertSame( array(), $this->queued( 'stock.set' ) === array() ? array() : array_slice( $this->queued( 'stock.set' ), 1 ), 'only the creation may be a stock.set' );
	}

	public function test_a_refund_with_restock_is_queued_as_a_refunded_line_keyed_by_refund_and_line(): void {
		$product = $this->simple_product( 10 );
		$order   = $this->order_for( array( array( $product, 2 ) ) );
		$order->update_status( 'processing' );
		$this->end_request();
		$item_id = array_key_first( $order->get_items() );
		$refund  = wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => 0, 'line_items' => array( $item_id => array( 'qty' => 1, 'refund_total' => 0 ) ), 'restock_items' => true ) );
		$this->assertNotWPError( $refund );
		$this->end_request();
		$refunded = $this->queued( 'order.line.refunded' );
		$this->assertCount( 1, $refunded );
		$this->assertSame( 'wc:' . $this->plugin()->get( 'events' )->site() . ':refund:' . $refund->get_id() . ':' . $item_id, $refunded[0]['id'] );
		$this->assertSame( 1, $refunded[0]['quantity'] );
		$this->assertSame( 9, $refunded[0]['stock_after'] );
		$sets = $this->queued( 'stock.set' );
		$this->assertSame( 10, end( $sets )['quantity'], 'the refund restock itself is not also a stock.set' );
	}

	public function test_a_variation_that_uses_its_parents_stock_names_the_one_pool(): void {
		list( $parent, $variations ) = $this->pooled_variations( 7 );
		$order = $this->order_for( array( array( $variations[0], 1 ), array( $variations[1], 2 ) ) );
		$this->end_request();
		$order->update_status( 'processing' );
		$this->end_request();
		$lines = $this->queued( 'order.line.reduced' );
		$this->assertCount( 2, $lines );
		foreach ( $lines as $index => $line ) {
			$this->assertSame( $variations[ $index ]->get_id(), $line['product']['id'] );
			$this->assertSame( $parent->get_id(), $line['product']['manages_stock_id'] );
			$this->assertSame( $parent->get_id(), $line['product']['parent_id'] );
		}
		$this->assertSame( 4, wc_get_product( $parent->get_id() )->get_stock_quantity() );
		$this->assertSame( 4, end( $lines )['stock_after'] );
	}

	public function test_switching_stock_management_off_is_queued_as_a_null_level(): void {
		$product = $this->simple_product( 5 );
		$this->end_request();
		$product->set_manage_stock( false );
		$product->save();
		$this->end_request();
		$sets = $this->queued( 'stock.set' );
		$this->assertNull( end( $sets )['quantity'] );
	}

	public function test_a_new_product_and_a_sku_rename_each_reach_the_catalogue_once(): void {
		$product = $this->simple_product( 5, 'CAT-' . wp_generate_password( 6, false ) );
		$this->end_request();
		$this->assertCount( 1, $this->queued( 'product.upserted' ) );
		wc_update_product_stock( $product, 4, 'set' );
		$this->end_request();
		$this->assertCount( 1, $this->queued( 'product.upserted' ), 'a stock change is not a catalogue change' );
		$product = wc_get_product( $product->get_id() );
		$product->set_sku( 'RENAMED-' . wp_generate_password( 6, false ) );
		$product->save();
		$this->end_request();
		$upserts = $this->queued( 'product.upserted' );
		$this->assertCount( 2, $upserts );
		$this->assertSame( $product->get_sku(), $upserts[1]['product']['sku'] );
	}

	public function test_a_deleted_product_is_queued_as_deleted_with_its_identity(): void {
		$product = $this->simple_product( 5 );
		$sku     = $product->get_sku();
		$id      = $product->get_id();
		$this->end_request();
		$product->delete( true );
		$this->end_request();
		$deleted = $this->queued( 'product.deleted' );
		$this->assertCount( 1, $deleted );
		$this->assertSame( array( 'id' => $id, 'sku' => $sku ), $deleted[0]['product'] );
	}

	public function test_checkout_holds_are_queued_as_the_held_quantity_and_their_release_as_zero(): void {
		$product = $this->simple_product( 10 );
		$order   = $this->order_for( array( array( $product, 3 ) ) );
		do_action( 'woocommerce_checkout_order_created', $order );
		$this->end_request();
		$held = $this->queued( 'stock.held' );
		$this->assertSame( 3, end( $held )['held_quantity'] );
		$order->update_status( 'processing' );
		$this->end_request();
		$held = $this->queued( 'stock.held' );
		$this->assertSame( 0, end( $held )['held_quantity'] );
	}

	public function test_every_event_the_plugin_produces_is_valid_against_the_contract(): void {
		list( , $variations ) = $this->pooled_variations( 9 );
		$product              = $this->simple_product( 10 );
		$order                = $this->order_for( array( array( $product, 2 ), array( $variations[1], 1 ) ) );
		do_action( 'woocommerce_checkout_order_created', $order );
		$order->update_status( 'processing' );
		$item_id = array_key_first( $order->get_items() );
		wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => 0, 'line_items' => array( $item_id => array( 'qty' => 1, 'refund_total' => 0 ) ), 'restock_items' => true ) );
		$order->update_status( 'cancelled' );
		$product->set_manage_stock( false );
		$product->save();
		wc_get_product( $variations[0]->get_id() )->delete( true );
		$this->end_request();
		$events = $this->queued();
		$this->assertEqualsCanonicalizing(
			array( 'stock.set', 'order.line.reduced', 'order.line.restored', 'order.line.refunded', 'stock.held', 'product.upserted', 'product.deleted' ),
			array_values( array_unique( array_column( $events, 'type' ) ) )
		);
		$this->assert_queue_valid_against_the_contract();
	}
}
