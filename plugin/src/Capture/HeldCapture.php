<?php
/**
 * Tells the daemon what WooCommerce's open checkouts hold (wc_reserved_stock): units a
 * marketplace must not sell although WooCommerce's stock still counts them. Holds start when
 * a checkout creates its order and end when the order is paid, cancelled or expires, so both
 * moments queue the product's held quantity as it stands at the end of the request.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Capture;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Queue;

/** Checkout holds → stock.held events. */
final class HeldCapture {

	/** @var Queue */
	private $queue;
	/** @var EventFactory */
	private $events;
	/** @var array<int,true> Stock-holding product ids whose holds may have changed. */
	private $touched = array();

	/**
	 * @param Queue        $queue  Durable queue.
	 * @param EventFactory $events Event builder.
	 */
	public function __construct( Queue $queue, EventFactory $events ) {
		$this->queue  = $queue;
		$this->events = $events;
	}

	/** Hooks into WooCommerce. */
	public function register(): void {
		// After wc_reserve_stock_for_order (priority 10) has written the holds.
		add_action( 'woocommerce_checkout_order_created', array( $this, 'on_order' ), 20, 1 );
		// After the releases that run on the status hooks (priority 11).
		add_action( 'woocommerce_order_status_changed', array( $this, 'on_order_status' ), 20, 4 );
		add_action( 'shutdown', array( $this, 'end_request' ), 7 );
	}

	/**
	 * A checkout created an order and may have held stock.
	 *
	 * @param \WC_Order $order Order.
	 */
	public function on_order( $order ): void {
		if ( ! is_object( $order ) || ! method_exists( $order, 'get_items' ) ) {
			return;
		}
		foreach ( $order->get_items() as $item ) {
			$product = is_callable( array( $item, 'get_product' ) ) ? $item->get_product() : null;
			if ( $product instanceof \WC_Product && $product->managing_stock() ) {
				$this->touched[ (int) $product->get_stock_managed_by_id() ] = true;
			}
		}
	}

	/**
	 * An order changed status, which may have released its holds.
	 *
	 * @param int       $order_id Order id.
	 * @param string    $from     Old status.
	 * @param string    $to       New status.
	 * @param \WC_Order $order    Order.
	 */
	public function on_order_status( $order_id, $from, $to, $order = null ): void {
		$this->on_order( $order ? $order : wc_get_order( $order_id ) );
	}

	/** End of request: queue the held quantity of each touched product. */
	public function end_request(): void {
		$touched       = array_keys( $this->touched );
		$this->touched = array();
		if ( ! function_exists( 'wc_get_held_stock_quantity' ) ) {
			return;
		}
		foreach ( $touched as $product_id ) {
			$product = wc_get_product( $product_id );
			if ( $product ) {
				$this->queue->defer( $this->events->held( $product, (int) wc_get_held_stock_quantity( $product ), microtime( true ) ) );
			}
		}
	}
}
