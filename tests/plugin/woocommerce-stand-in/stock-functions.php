<?php
/**
 * Stand-in for includes/wc-stock-functions.php: the same functions, the same hooks, in the same
 * order and with the same arguments, and the same relative SQL for increase/decrease.
 *
 * @package Shelfguard\Tests
 */

function wc_update_product_stock( $product, $stock_quantity = null, $operation = 'set', $updating = false ) {
	global $wpdb;
	if ( ! is_a( $product, 'WC_Product' ) ) {
		$product = wc_get_product( $product );
	}
	if ( ! $product ) {
		return false;
	}
	if ( is_null( $stock_quantity ) || ! $product->managing_stock() ) {
		return $product->get_stock_quantity();
	}
	$owner_id   = $product->get_stock_managed_by_id();
	$with_stock = $owner_id !== $product->get_id() ? wc_get_product( $owner_id ) : $product;
	do_action( $with_stock->is_type( 'variation' ) ? 'woocommerce_variation_before_set_stock' : 'woocommerce_product_before_set_stock', $with_stock );

	// The data store's update_product_stock().
	add_post_meta( $owner_id, '_stock', 0, true );
	if ( 'set' === $operation ) {
		$new_stock = wc_stock_amount( $stock_quantity );
		$sql       = $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = %f WHERE post_id = %d AND meta_key='_stock'", $new_stock, $owner_id );
	} else {
		$current    = wc_stock_amount( $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->postmeta} WHERE post_id = %d AND meta_key='_stock';", $owner_id ) ) );
		$multiplier = 'increase' === $operation ? 1 : -1;
		$new_stock  = $current + $multiplier * wc_stock_amount( $stock_quantity );
		$sql        = $wpdb->prepare( "UPDATE {$wpdb->postmeta} SET meta_value = meta_value %+f WHERE post_id = %d AND meta_key='_stock'", wc_stock_amount( $stock_quantity ) * $multiplier, $owner_id );
	}
	$sql = apply_filters( 'woocommerce_update_product_stock_query', $sql, $owner_id, $new_stock, $operation );
	$wpdb->query( $sql );
	wp_cache_delete( $owner_id, 'post_meta' );
	do_action( 'woocommerce_updated_product_stock', $owner_id );

	// read_stock_quantity(): straight into the object's data, not its changes.
	$with_stock->set_object_read( false );
	$with_stock->set_stock_quantity( get_post_meta( $owner_id, '_stock', true ) );
	$with_stock->set_object_read( true );
	if ( ! $updating ) {
		$with_stock->save();
	}
	do_action( $with_stock->is_type( 'variation' ) ? 'woocommerce_variation_set_stock' : 'woocommerce_product_set_stock', $with_stock );
	return $with_stock->get_stock_quantity();
}

function wc_reduce_stock_levels( $order_id ) {
	$order = is_a( $order_id, 'WC_Order' ) ? $order_id : wc_get_order( $order_id );
	if ( ! $order || 'yes' !== get_option( 'woocommerce_manage_stock' ) || ! apply_filters( 'woocommerce_can_reduce_order_stock', true, $order ) ) {
		return;
	}
	$changes = array();
	foreach ( $order->get_items() as $item ) {
		$product = $item->get_product();
		if ( $item->get_meta( '_reduced_stock', true ) || ! $product || ! $product->managing_stock() ) {
			continue;
		}
		$qty       = apply_filters( 'woocommerce_order_item_quantity', $item->get_quantity(), $order, $item );
		$new_stock = wc_update_product_stock( $product, $qty, 'decrease' );
		$item->add_meta_data( '_reduced_stock', $qty, true );
		$item->save();
		$change    = array( 'product' => $product, 'from' => $new_stock + $qty, 'to' => $new_stock );
		$changes[] = $change;
		do_action( 'woocommerce_reduce_order_item_stock', $item, $change, $order );
	}
	do_action( 'woocommerce_reduce_order_stock', $order );
}

function wc_increase_stock_levels( $order_id ) {
	$order = is_a( $order_id, 'WC_Order' ) ? $order_id : wc_get_order( $order_id );
	if ( ! $order || 'yes' !== get_option( 'woocommerce_manage_stock' ) || ! apply_filters( 'woocommerce_can_restore_order_stock', true, $order ) ) {
		return;
	}
	foreach ( $order->get_items() as $item ) {
		$product = $item->get_product();
		$reduced = $item->get_meta( '_reduced_stock', true );
		if ( ! $reduced || ! $product || ! $product->managing_stock() ) {
			continue;
		}
		$new_stock = wc_update_product_stock( $product, $reduced, 'increase' );
		$old_stock = $new_stock - $reduced;
		$item->delete_meta_data( '_reduced_stock' );
		$item->save();
		do_action( 'woocommerce_restore_order_item_stock', $item, $new_stock, $old_stock, $order );
	}
	do_action( 'woocommerce_restore_order_stock', $order );
}

/** Guarded by the order's "stock reduced" flag, as wc_maybe_reduce_stock_levels is. */
function wc_maybe_reduce_stock_levels( $order_id ) {
	$order = wc_get_order( $order_id );
	if ( ! $order || $order->get_meta( '_order_stock_reduced' ) ) {
		return;
	}
	wc_reduce_stock_levels( $order );
	$order->update_meta_data( '_order_stock_reduced', 'yes' );
	$order->save_meta_data();
}

function wc_maybe_increase_stock_levels( $order_id ) {
	$order = wc_get_order( $order_id );
	if ( ! $order || ! $order->get_meta( '_order_stock_reduced' ) ) {
		return;
	}
	wc_increase_stock_levels( $order );
	$order->delete_meta_data( '_order_stock_reduced' );
	$order->save_meta_data();
}
foreach ( array( 'completed', 'processing', 'on-hold' ) as $wc_standin_status ) {
	add_action( 'woocommerce_order_status_' . $wc_standin_status, 'wc_maybe_reduce_stock_levels' );
}
add_action( 'woocommerce_order_status_cancelled', 'wc_maybe_increase_stock_levels' );
add_action( 'woocommerce_order_status_pending', 'wc_maybe_increase_stock_levels' );

/** Checkout holds: rows in wc_reserved_stock, as ReserveStock writes them. */
function wc_reserve_stock_for_order( $order ) {
	global $wpdb;
	$order = $order instanceof WC_Order ? $order : wc_get_order( $order );
	foreach ( $order->get_items() as $item ) {
		$product = $item->get_product();
		if ( $product && $product->managing_stock() ) {
			$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->prefix}wc_reserved_stock (order_id, product_id, stock_quantity, timestamp, expires) VALUES (%d, %d, %f, NOW(), NOW() + INTERVAL 60 MINUTE) ON DUPLICATE KEY UPDATE stock_quantity = VALUES(stock_quantity)", $order->get_id(), $product->get_stock_managed_by_id(), $item->get_quantity() ) );
		}
	}
}
add_action( 'woocommerce_checkout_order_created', 'wc_reserve_stock_for_order' );

function wc_release_stock_for_order( $order ) {
	global $wpdb;
	$order = $order instanceof WC_Order ? $order : wc_get_order( $order );
	$wpdb->delete( $wpdb->prefix . 'wc_reserved_stock', array( 'order_id' => $order->get_id() ) );
}
foreach ( array( 'cancelled', 'completed', 'processing', 'on-hold' ) as $wc_standin_status ) {
	add_action( 'woocommerce_order_status_' . $wc_standin_status, 'wc_release_stock_for_order', 11 );
}

function wc_get_held_stock_quantity( WC_Product $product, $exclude_order_id = 0 ) {
	global $wpdb;
	return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COALESCE(SUM(stock_quantity), 0) FROM {$wpdb->prefix}wc_reserved_stock WHERE product_id = %d AND order_id <> %d AND expires > NOW()", $product->get_stock_managed_by_id(), $exclude_order_id ) );
}
