<?php
/**
 * Stand-in for WooCommerce orders, order line items and refunds: posts of type shop_order (the
 * legacy storage), line items in the real woocommerce_order_items / woocommerce_order_itemmeta
 * tables, the same status hooks (woocommerce_order_status_{to}, then _changed) and the same
 * refund sequence as wc_create_refund (restock, then woocommerce_refund_created, then
 * woocommerce_order_refunded).
 *
 * @package Shelfguard\Tests
 */

/** Meta on an order line, stored in woocommerce_order_itemmeta. */
class WC_Order_Item_Product {
	private $id;
	private $order_id;
	private $meta = array();
	private $meta_changed = array();

	public function __construct( $id ) {
		global $wpdb;
		$this->id       = (int) $id;
		$this->order_id = (int) $wpdb->get_var( $wpdb->prepare( "SELECT order_id FROM {$wpdb->prefix}woocommerce_order_items WHERE order_item_id = %d", $this->id ) );
		foreach ( $wpdb->get_results( $wpdb->prepare( "SELECT meta_key, meta_value FROM {$wpdb->prefix}woocommerce_order_itemmeta WHERE order_item_id = %d", $this->id ) ) as $row ) {
			$this->meta[ $row->meta_key ] = maybe_unserialize( $row->meta_value );
		}
	}
	public function get_id() { return $this->id; }
	public function get_order_id() { return $this->order_id; }
	public function is_type( $type ) { return 'line_item' === $type; }
	public function get_product_id() { return (int) $this->get_meta( '_product_id' ); }
	public function get_variation_id() { return (int) $this->get_meta( '_variation_id' ); }
	public function get_quantity() { return (int) $this->get_meta( '_qty' ); }
	public function get_product() { return wc_get_product( $this->get_variation_id() ? $this->get_variation_id() : $this->get_product_id() ); }
	public function get_meta( $key = '', $single = true ) { return $this->meta[ $key ] ?? ''; }
	public function add_meta_data( $key, $value, $unique = false ) { $this->update_meta_data( $key, $value ); }
	public function update_meta_data( $key, $value ) { $this->meta[ $key ] = $value; $this->meta_changed[ $key ] = true; }
	public function delete_meta_data( $key ) { unset( $this->meta[ $key ] ); $this->meta_changed[ $key ] = true; }
	public function save() { $this->save_meta_data(); return $this->id; }
	public function save_meta_data() {
		global $wpdb;
		foreach ( array_keys( $this->meta_changed ) as $key ) {
			$wpdb->delete( $wpdb->prefix . 'woocommerce_order_itemmeta', array( 'order_item_id' => $this->id, 'meta_key' => $key ) );
			if ( array_key_exists( $key, $this->meta ) ) {
				$wpdb->insert( $wpdb->prefix . 'woocommerce_order_itemmeta', array( 'order_item_id' => $this->id, 'meta_key' => $key, 'meta_value' => maybe_serialize( $this->meta[ $key ] ) ) );
			}
		}
		$this->meta_changed = array();
	}
}

/** An order: a shop_order post with wc-prefixed statuses. */
class WC_Order {
	protected $id;
	public function __construct( $id ) { $this->id = (int) $id; }
	public function get_id() { return $this->id; }
	public function get_parent_id() { return (int) get_post_field( 'post_parent', $this->id ); }
	public function get_status() { return substr( (string) get_post_status( $this->id ), 3 ); }
	public function get_items( $types = 'line_item' ) {
		global $wpdb;
		$items = array();
		foreach ( $wpdb->get_col( $wpdb->prepare( "SELECT order_item_id FROM {$wpdb->prefix}woocommerce_order_items WHERE order_id = %d AND order_item_type = 'line_item' ORDER BY order_item_id", $this->id ) ) as $item_id ) {
			$items[ (int) $item_id ] = new WC_Order_Item_Product( $item_id );
		}
		return $items;
	}
	public function get_item( $item_id ) {
		$items = $this->get_items();
		return $items[ (int) $item_id ] ?? false;
	}
	public function add_product( $product, $qty = 1 ) {
		global $wpdb;
		$wpdb->insert( $wpdb->prefix . 'woocommerce_order_items', array( 'order_item_name' => $product->get_name(), 'order_item_type' => 'line_item', 'order_id' => $this->id ) );
		$item_id = (int) $wpdb->insert_id;
		$meta    = array( '_product_id' => $product->is_type( 'variation' ) ? $product->get_parent_id() : $product->get_id(), '_variation_id' => $product->is_type( 'variation' ) ? $product->get_id() : 0, '_qty' => $qty );
		foreach ( $meta as $key => $value ) {
			$wpdb->insert( $wpdb->prefix . 'woocommerce_order_itemmeta', array( 'order_item_id' => $item_id, 'meta_key' => $key, 'meta_value' => $value ) );
		}
		return $item_id;
	}
	public function get_meta( $key ) { return get_post_meta( $this->id, $key, true ); }
	public function update_meta_data( $key, $value ) { update_post_meta( $this->id, $key, $value ); }
	public function delete_meta_data( $key ) { delete_post_meta( $this->id, $key ); }
	public function save_meta_data() {}
	public function save() { return $this->id; }
	public function add_order_note( $note ) { return 0; }
	/** Status change: the status-specific hook first (stock and holds run there), then _changed. */
	public function update_status( $new_status ) {
		$from = $this->get_status();
		if ( $from === $new_status ) {
			return false;
		}
		wp_update_post( array( 'ID' => $this->id, 'post_status' => 'wc-' . $new_status ) );
		do_action( 'woocommerce_order_status_' . $new_status, $this->id, $this );
		do_action( 'woocommerce_order_status_' . $from . '_to_' . $new_status, $this->id, $this );
		do_action( 'woocommerce_order_status_changed', $this->id, $from, $new_status, $this );
		return true;
	}
}

class WC_Order_Refund extends WC_Order {}

function wc_create_order( $args = array() ) {
	$id = wp_insert_post( array( 'post_type' => 'shop_order', 'post_status' => 'wc-pending', 'post_title' => 'Order' ) );
	return new WC_Order( $id );
}

function wc_get_order( $the_order = false ) {
	$id   = $the_order instanceof WC_Order ? $the_order->get_id() : (int) $the_order;
	$type = $id ? get_post_type( $id ) : '';
	if ( 'shop_order' === $type ) {
		return new WC_Order( $id );
	}
	return 'shop_order_refund' === $type ? new WC_Order_Refund( $id ) : false;
}

/** As wc_create_refund: the refund, its restock, then woocommerce_refund_created and _order_refunded. */
function wc_create_refund( $args = array() ) {
	$order  = wc_get_order( $args['order_id'] );
	$refund = new WC_Order_Refund( wp_insert_post( array( 'post_type' => 'shop_order_refund', 'post_status' => 'wc-completed', 'post_parent' => $order->get_id(), 'post_title' => 'Refund' ) ) );
	if ( ! empty( $args['restock_items'] ) ) {
		wc_restock_refunded_items( $order, $args['line_items'] );
	}
	do_action( 'woocommerce_refund_created', $refund->get_id(), $args );
	do_action( 'woocommerce_order_refunded', $order->get_id(), $refund->get_id() );
	return $refund;
}

function wc_restock_refunded_items( $order, $refunded_line_items ) {
	foreach ( $order->get_items() as $item_id => $item ) {
		if ( ! isset( $refunded_line_items[ $item_id ], $refunded_line_items[ $item_id ]['qty'] ) ) {
			continue;
		}
		$product  = $item->get_product();
		$reduced  = $item->get_meta( '_reduced_stock', true );
		$restocked = (int) $item->get_meta( '_restock_refunded_items', true );
		$qty      = $refunded_line_items[ $item_id ]['qty'];
		if ( ! $reduced || ! $qty || ! $product || ! $product->managing_stock() ) {
			continue;
		}
		$old_stock = $product->get_stock_quantity();
		$new_stock = wc_update_product_stock( $product, $qty, 'increase' );
		$item->update_meta_data( '_reduced_stock', $reduced - $qty );
		$item->update_meta_data( '_restock_refunded_items', $qty + $restocked );
		$item->save();
		do_action( 'woocommerce_restock_refunded_item', $product->get_id(), $old_stock, $new_stock, $order, $product );
	}
}
