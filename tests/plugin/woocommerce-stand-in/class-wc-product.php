<?php
/**
 * Stand-in for WooCommerce's products, shaped after WC_Product / WC_Product_Variation and the
 * CPT data store: posts of type product / product_variation with the same meta keys (_sku,
 * _stock, _manage_stock, _backorders), the same getters, and the same hooks in the same order
 * (shared/woocommerce.md; includes/data-stores/class-wc-product-data-store-cpt.php).
 * Loaded only on the test site when no real WooCommerce is under test.
 *
 * @package Shelfguard\Tests
 */

/** A product: the props, getters and save() that Shelfguard and its tests use. */
class WC_Product {
	protected $id = 0;
	protected $data = array(
		'name'           => '',
		'status'         => 'publish',
		'sku'            => '',
		'parent_id'      => 0,
		'manage_stock'   => false,
		'stock_quantity' => null,
		'backorders'     => 'no',
		'attributes'     => array(),
	);
	protected $changes = array();
	protected $object_read = false;

	public function __construct( $id = 0 ) {
		if ( $id ) {
			$this->id = (int) $id;
			$this->read();
		}
		$this->object_read = true;
	}

	public function get_type() { return 'simple'; }
	public function is_type( $type ) { return is_array( $type ) ? in_array( $this->get_type(), $type, true ) : $type === $this->get_type(); }
	public function get_id() { return $this->id; }
	public function set_id( $id ) { $this->id = (int) $id; }
	protected function get_prop( $prop, $context = 'view' ) { return array_key_exists( $prop, $this->changes ) ? $this->changes[ $prop ] : $this->data[ $prop ]; }
	protected function set_prop( $prop, $value ) {
		if ( $this->object_read ) {
			if ( $value !== $this->data[ $prop ] || array_key_exists( $prop, $this->changes ) ) {
				$this->changes[ $prop ] = $value;
			}
		} else {
			$this->data[ $prop ] = $value;
		}
	}
	public function get_object_read() { return $this->object_read; }
	public function set_object_read( $read = true ) { $this->object_read = (bool) $read; }
	public function get_name( $context = 'view' ) { return $this->get_prop( 'name', $context ); }
	public function get_status( $context = 'view' ) { return $this->get_prop( 'status', $context ); }
	public function get_sku( $context = 'view' ) { return $this->get_prop( 'sku', $context ); }
	public function get_parent_id( $context = 'view' ) { return $this->get_prop( 'parent_id', $context ); }
	public function get_manage_stock( $context = 'view' ) { return $this->get_prop( 'manage_stock', $context ); }
	public function get_stock_quantity( $context = 'view' ) { return $this->get_prop( 'stock_quantity', $context ); }
	public function get_backorders( $context = 'view' ) { return $this->get_prop( 'backorders', $context ); }
	public function get_attributes( $context = 'view' ) { return $this->get_prop( 'attributes', $context ); }
	public function get_formatted_name() { return $this->get_name(); }
	public function get_stock_managed_by_id() { return $this->get_id(); }
	public function managing_stock() { return 'yes' === get_option( 'woocommerce_manage_stock' ) ? $this->get_manage_stock() : false; }
	public function set_name( $name ) { $this->set_prop( 'name', (string) $name ); }
	public function set_status( $status ) { $this->set_prop( 'status', (string) $status ); }
	public function set_sku( $sku ) { $this->set_prop( 'sku', (string) $sku ); }
	public function set_parent_id( $id ) { $this->set_prop( 'parent_id', (int) $id ); }
	public function set_manage_stock( $manage ) { $this->set_prop( 'manage_stock', wc_string_to_bool( $manage ) ); }
	public function set_stock_quantity( $quantity ) { $this->set_prop( 'stock_quantity', '' !== $quantity && null !== $quantity ? wc_stock_amount( $quantity ) : null ); }
	public function set_backorders( $backorders ) { $this->set_prop( 'backorders', (string) $backorders ); }
	public function set_attributes( $attributes ) { $this->set_prop( 'attributes', (array) $attributes ); }

	protected function post_type() { return 'product'; }

	protected function read() {
		$post = get_post( $this->id );
		$this->data['name']           = $post->post_title;
		$this->data['status']         = $post->post_status;
		$this->data['parent_id']      = (int) $post->post_parent;
		$this->data['sku']            = (string) get_post_meta( $this->id, '_sku', true );
		$this->data['manage_stock']   = 'yes' === get_post_meta( $this->id, '_manage_stock', true );
		$stock                        = get_post_meta( $this->id, '_stock', true );
		$this->data['stock_quantity'] = '' === $stock ? null : wc_stock_amount( $stock );
		$this->data['backorders']     = (string) ( get_post_meta( $this->id, '_backorders', true ) ?: 'no' );
		$this->data['attributes']     = (array) ( get_post_meta( $this->id, '_standin_attributes', true ) ?: array() );
	}

	/** Like the CPT data store: writes, then the stock hook for a changed stock, then new/update. */
	public function save() {
		// WooCommerce nulls the stock of a product that does not manage it.
		if ( ! $this->get_manage_stock( 'edit' ) && null !== $this->get_stock_quantity( 'edit' ) ) {
			$this->set_prop( 'stock_quantity', null );
		}
		$creating = ! $this->id;
		if ( $creating ) {
			$this->id = (int) wp_insert_post( array( 'post_type' => $this->post_type(), 'post_status' => $this->get_status(), 'post_title' => $this->get_name(), 'post_parent' => $this->get_parent_id() ) );
			$updated  = array_keys( array_merge( $this->data, $this->changes ) );
		} else {
			$updated = array_keys( $this->changes );
			if ( array_intersect( $updated, array( 'name', 'status', 'parent_id' ) ) ) {
				wp_update_post( array( 'ID' => $this->id, 'post_title' => $this->get_name(), 'post_status' => $this->get_status(), 'post_parent' => $this->get_parent_id() ) );
			}
		}
		update_post_meta( $this->id, '_sku', $this->get_sku() );
		update_post_meta( $this->id, '_manage_stock', true === $this->get_manage_stock( 'edit' ) ? 'yes' : 'no' );
		// Like WooCommerce's data store, only a changed stock is written: wc_update_product_stock()
		// reads the new level into the object's data, and writing it back here would overwrite a
		// concurrent request's relative update with this request's stale number.
		if ( $creating || in_array( 'stock_quantity', $updated, true ) ) {
			update_post_meta( $this->id, '_stock', null === $this->get_stock_quantity( 'edit' ) ? '' : $this->get_stock_quantity( 'edit' ) );
		}
		update_post_meta( $this->id, '_backorders', $this->get_backorders() );
		update_post_meta( $this->id, '_standin_attributes', $this->get_attributes() );
		update_post_meta( $this->id, '_standin_type', $this->get_type() );
		$this->data    = array_merge( $this->data, $this->changes );
		$this->changes = array();
		if ( in_array( 'stock_quantity', $updated, true ) ) {
			do_action( $this->is_type( 'variation' ) ? 'woocommerce_variation_set_stock' : 'woocommerce_product_set_stock', $this );
		}
		$suffix = $this->is_type( 'variation' ) ? '_variation' : '';
		if ( $creating ) {
			do_action( 'woocommerce_new_product' . $suffix, $this->id, $this );
		} else {
			do_action( 'woocommerce_update_product' . $suffix, $this->id, $this );
		}
		return $this->id;
	}

	/** Deletes (force) or trashes, with WooCommerce's hooks around wp_delete_post. */
	public function delete( $force_delete = false ) {
		$type = $this->post_type();
		if ( $force_delete ) {
			do_action( 'woocommerce_before_delete_' . $type, $this->id );
			wp_delete_post( $this->id, true );
			do_action( 'woocommerce_delete_' . $type, $this->id );
		} else {
			wp_trash_post( $this->id );
			do_action( 'woocommerce_trash_' . $type, $this->id );
		}
		return true;
	}
}

class WC_Product_Simple extends WC_Product {}

class WC_Product_Variable extends WC_Product {
	public function get_type() { return 'variable'; }
}

/** A variation: inherits stock from its parent when it does not manage its own. */
class WC_Product_Variation extends WC_Product {
	public function get_type() { return 'variation'; }
	protected function post_type() { return 'product_variation'; }
	private function parent() { return $this->get_parent_id() ? wc_get_product( $this->get_parent_id() ) : null; }
	public function get_manage_stock( $context = 'view' ) {
		$value  = $this->get_prop( 'manage_stock', $context );
		$parent = 'view' === $context && false === $value ? $this->parent() : null;
		return $parent && true === $parent->get_manage_stock() ? 'parent' : $value;
	}
	public function get_stock_quantity( $context = 'view' ) {
		if ( 'view' === $context && 'parent' === $this->get_manage_stock() ) {
			return $this->parent()->get_stock_quantity();
		}
		return $this->get_prop( 'stock_quantity', $context );
	}
	public function get_stock_managed_by_id() { return 'parent' === $this->get_manage_stock() ? $this->get_parent_id() : $this->get_id(); }
	public function save() {
		// A variation that inherits stock stores none of its own.
		if ( ! $this->get_prop( 'manage_stock' ) ) {
			$this->set_prop( 'stock_quantity', null );
		}
		return parent::save();
	}
}

function wc_get_product( $the_product = false ) {
	$id = $the_product instanceof WC_Product ? $the_product->get_id() : ( is_object( $the_product ) ? $the_product->ID : (int) $the_product );
	$post = $id ? get_post( $id ) : null;
	if ( ! $post || ! in_array( $post->post_type, array( 'product', 'product_variation' ), true ) ) {
		return false;
	}
	if ( 'product_variation' === $post->post_type ) {
		return new WC_Product_Variation( $id );
	}
	return 'variable' === get_post_meta( $id, '_standin_type', true ) ? new WC_Product_Variable( $id ) : new WC_Product_Simple( $id );
}

function wc_stock_amount( $amount ) { return intval( $amount ); }
function wc_string_to_bool( $value ) { return is_bool( $value ) ? $value : ( 'yes' === strtolower( (string) $value ) || 1 === $value || 'true' === strtolower( (string) $value ) || '1' === $value ); }
