<?php
/**
 * Captures every stock change WooCommerce makes and attributes order-driven ones to their order
 * lines. WooCommerce fires the product-level stock hook first and the order item hook after it
 * (shared/woocommerce.md), so a stock change is held for the rest of the request: an item or
 * refund hook that follows claims it, and whatever is left at the end of the request is a plain
 * stock.set. Everything is written at the end of the request in one transaction.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Capture;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Queue;

/** Stock hooks → queued events. */
final class StockCapture {

	const SEQ_META = '_shelfguard_%s_seq';

	/** @var Queue */
	private $queue;
	/** @var EventFactory */
	private $events;
	/** @var EchoGuard */
	private $guard;
	/** @var array<int,array[]> Stock-holding product id => stock.set events not yet claimed. */
	private $pending = array();
	/** @var array[] Refund restocks waiting for their refund id. */
	private $restocks = array();
	/** @var array<string,array> "item id|direction" => [ item, seq ] cycle numbers to store. */
	private $seqs = array();

	/**
	 * @param Queue        $queue  Durable queue.
	 * @param EventFactory $events Event builder.
	 * @param EchoGuard    $guard  Shelfguard's own adjustments.
	 */
	public function __construct( Queue $queue, EventFactory $events, EchoGuard $guard ) {
		$this->queue  = $queue;
		$this->events = $events;
		$this->guard  = $guard;
	}

	/** Hooks into WooCommerce. */
	public function register(): void {
		add_action( 'woocommerce_product_set_stock', array( $this, 'on_set_stock' ), 10, 1 );
		add_action( 'woocommerce_variation_set_stock', array( $this, 'on_set_stock' ), 10, 1 );
		add_action( 'woocommerce_reduce_order_item_stock', array( $this, 'on_reduce_item' ), 10, 3 );
		add_action( 'woocommerce_restore_order_item_stock', array( $this, 'on_restore_item' ), 10, 4 );
		add_action( 'woocommerce_restock_refunded_item', array( $this, 'on_restock_refunded' ), 10, 5 );
		add_action( 'woocommerce_refund_created', array( $this, 'on_refund_created' ), 10, 2 );
		add_action( 'shutdown', array( $this, 'end_request' ), 5 );
	}

	/**
	 * A stock level changed; the product passed is the one holding the stock, with its new level.
	 *
	 * @param \WC_Product $product Stock-holding product.
	 */
	public function on_set_stock( $product ): void {
		if ( ! $product instanceof \WC_Product || $this->guard->is_suppressed( (int) $product->get_id() ) ) {
			return;
		}
		$event = $this->events->stock_set( $product, microtime( true ) );
		$event['source'] = self::source();
		$this->pending[ (int) $product->get_id() ][] = $event;
	}

	/**
	 * An order line took stock (fires after the stock hook it explains).
	 *
	 * @param \WC_Order_Item_Product $item   Order line.
	 * @param array                  $change product, from, to.
	 * @param \WC_Order              $order  Order.
	 */
	public function on_reduce_item( $item, $change, $order ): void {
		$product = is_array( $change ) && isset( $change['product'] ) ? $change['product'] : $item->get_product();
		if ( ! $product instanceof \WC_Product ) {
			return;
		}
		$quantity = (int) $item->get_meta( '_reduced_stock', true );
		if ( $quantity < 1 && isset( $change['from'], $change['to'] ) ) {
			$quantity = (int) round( $change['from'] - $change['to'] );
		}
		$this->queue_line( 'reduce', $item, $product, $quantity, $change['to'] ?? $product->get_stock_quantity() );
	}

	/**
	 * An order line gave its stock back (cancelled or back to pending).
	 *
	 * @param \WC_Order_Item_Product $item      Order line.
	 * @param int|float              $new_stock Level after.
	 * @param int|float              $old_stock Level before.
	 * @param \WC_Order              $order     Order.
	 */
	public function on_restore_item( $item, $new_stock, $old_stock, $order ): void {
		$product = $item->get_product();
		if ( ! $product instanceof \WC_Product ) {
			return;
		}
		$this->queue_line( 'restore', $item, $product, (int) round( (float) $new_stock - (float) $old_stock ), $new_stock );
	}

	/**
	 * A refund restocked a product; the refund id comes with woocommerce_refund_created.
	 *
	 * @param int         $product_id Line product id.
	 * @param mixed       $old_stock  Level before.
	 * @param mixed       $new_stock  Level after.
	 * @param \WC_Order   $order      Refunded order.
	 * @param \WC_Product $product    Line product.
	 */
	public function on_restock_refunded( $product_id, $old_stock, $new_stock, $order, $product ): void {
		if ( $product instanceof \WC_Product && $order ) {
			$this->restocks[] = array(
				'order_id'    => (int) $order->get_id(),
				'product'     => $product,
				'stock_after' => $new_stock,
			);
		}
	}

	/**
	 * A refund was created: turn its restocks into order.line.refunded events.
	 *
	 * @param int   $refund_id Refund id.
	 * @param array $args      wc_create_refund() arguments (order_id, line_items).
	 */
	public function on_refund_created( $refund_id, $args ): void {
		$order = isset( $args['order_id'] ) ? wc_get_order( $args['order_id'] ) : null;
		if ( ! $order || empty( $args['line_items'] ) || ! is_array( $args['line_items'] ) ) {
			return;
		}
		foreach ( $this->restocks as $index => $restock ) {
			if ( $restock['order_id'] !== (int) $order->get_id() ) {
				continue;
			}
			foreach ( $args['line_items'] as $item_id => $line ) {
				$item     = $order->get_item( $item_id );
				$quantity = isset( $line['qty'] ) ? absint( $line['qty'] ) : 0;
				if ( ! $item || $quantity < 1 || (int) ( $item->get_variation_id() ? $item->get_variation_id() : $item->get_product_id() ) !== (int) $restock['product']->get_id() ) {
					continue;
				}
				$this->claim( (int) $restock['product']->get_stock_managed_by_id() );
				$this->queue->defer( $this->events->refunded( (int) $refund_id, $item, $restock['product'], $quantity, $restock['stock_after'], microtime( true ) ) );
				unset( $this->restocks[ $index ], $args['line_items'][ $item_id ] );
				break;
			}
		}
	}

	/**
	 * End of request: changes no order line claimed are plain stock levels; the lines' cycle
	 * numbers are stored in the same transaction as their events.
	 */
	public function end_request(): void {
		foreach ( $this->pending as $events ) {
			foreach ( $events as $event ) {
				$this->queue->defer( $event );
			}
		}
		$seqs = $this->seqs;
		if ( $seqs ) {
			$this->queue->on_commit(
				static function () use ( $seqs ): void {
					foreach ( $seqs as $name => $entry ) {
						$entry[0]->update_meta_data( sprintf( self::SEQ_META, explode( '|', $name )[1] ), $entry[1] );
						$entry[0]->save_meta_data();
					}
				}
			);
		}
		$this->pending  = array();
		$this->restocks = array();
		$this->seqs     = array();
	}

	/**
	 * Queues an order line event with the line's next cycle number in that direction.
	 *
	 * @param string      $direction   reduce|restore.
	 * @param object      $item        Order line.
	 * @param \WC_Product $product     Line product.
	 * @param int         $quantity    Units moved.
	 * @param mixed       $stock_after Level after.
	 */
	private function queue_line( string $direction, $item, $product, int $quantity, $stock_after ): void {
		if ( $quantity < 1 ) {
			return; // Nothing moved; the stock hook, if any, stays a plain stock level.
		}
		$this->claim( (int) $product->get_stock_managed_by_id() );
		// The cycle number lives on the line so that a cancel-restore-cancel makes new keys while
		// a redelivery of one cycle repeats its key.
		$name = $item->get_id() . '|' . $direction;
		$seq  = 1 + ( isset( $this->seqs[ $name ] ) ? $this->seqs[ $name ][1] : (int) $item->get_meta( sprintf( self::SEQ_META, $direction ), true ) );
		$this->seqs[ $name ] = array( $item, $seq );
		$this->queue->defer( $this->events->order_line( $direction, $item, $product, $seq, $quantity, $stock_after, microtime( true ) ) );
	}

	/**
	 * Takes the latest unclaimed stock change of a product: an order line explains it.
	 *
	 * @param int $stock_owner_id Stock-holding product id.
	 */
	private function claim( int $stock_owner_id ): void {
		if ( ! empty( $this->pending[ $stock_owner_id ] ) ) {
			array_pop( $this->pending[ $stock_owner_id ] );
		}
	}

	/** Where a plain stock change came from, as the contract names it. */
	private static function source(): string {
		if ( defined( 'REST_REQUEST' ) && REST_REQUEST ) {
			return 'rest';
		}
		return is_admin() && ! wp_doing_ajax() ? 'admin' : 'other';
	}
}
