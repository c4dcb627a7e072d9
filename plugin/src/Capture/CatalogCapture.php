<?php
/**
 * Sends product creations, changes (SKU renames included) and deletions to the daemon's
 * catalogue. WooCommerce saves a product many times in one request (every stock change saves
 * it too), so changes are gathered per request and a product.upserted is queued at the end
 * only when what the catalogue shows (SKU, name, type, stock settings, status) really changed.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Capture;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Queue;

/** Product hooks → catalogue events. */
final class CatalogCapture {

	const FINGERPRINT_META = '_shelfguard_catalog_fingerprint';
	const POST_TYPES       = array( 'product', 'product_variation' );

	/** @var Queue */
	private $queue;
	/** @var EventFactory */
	private $events;
	/** @var array<int,true> Product ids saved during this request. */
	private $dirty = array();
	/** @var array<int,array> Product refs taken just before deletion. */
	private $deleting = array();

	/**
	 * @param Queue        $queue  Durable queue.
	 * @param EventFactory $events Event builder.
	 */
	public function __construct( Queue $queue, EventFactory $events ) {
		$this->queue  = $queue;
		$this->events = $events;
	}

	/** Hooks into WooCommerce and WordPress. */
	public function register(): void {
		foreach ( array( 'woocommerce_new_product', 'woocommerce_update_product', 'woocommerce_new_product_variation', 'woocommerce_update_product_variation' ) as $hook ) {
			add_action( $hook, array( $this, 'on_saved' ), 10, 1 );
		}
		add_action( 'trashed_post', array( $this, 'on_post_saved' ), 10, 1 );
		add_action( 'untrashed_post', array( $this, 'on_post_saved' ), 10, 1 );
		add_action( 'before_delete_post', array( $this, 'on_before_delete' ), 10, 2 );
		add_action( 'deleted_post', array( $this, 'on_deleted' ), 10, 2 );
		add_action( 'shutdown', array( $this, 'end_request' ), 6 );
	}

	/**
	 * A product or variation was created or saved.
	 *
	 * @param int $product_id Product id.
	 */
	public function on_saved( $product_id ): void {
		$this->dirty[ (int) $product_id ] = true;
	}

	/**
	 * A post was trashed or restored; products among them change status.
	 *
	 * @param int $post_id Post id.
	 */
	public function on_post_saved( $post_id ): void {
		if ( in_array( get_post_type( $post_id ), self::POST_TYPES, true ) ) {
			$this->dirty[ (int) $post_id ] = true;
		}
	}

	/**
	 * Remembers a product's identity while it still exists.
	 *
	 * @param int      $post_id Post id.
	 * @param \WP_Post $post    Post.
	 */
	public function on_before_delete( $post_id, $post = null ): void {
		if ( $post && in_array( $post->post_type, self::POST_TYPES, true ) ) {
			$product = wc_get_product( $post_id );
			$this->deleting[ (int) $post_id ] = $product ? $this->events->product_ref( $product ) : array( 'id' => (int) $post_id );
		}
	}

	/**
	 * A product or variation is gone.
	 *
	 * @param int      $post_id Post id.
	 * @param \WP_Post $post    Post.
	 */
	public function on_deleted( $post_id, $post = null ): void {
		if ( ! isset( $this->deleting[ (int) $post_id ] ) ) {
			return;
		}
		$this->queue->defer( $this->events->deleted( $this->deleting[ (int) $post_id ], microtime( true ) ) );
		unset( $this->deleting[ (int) $post_id ], $this->dirty[ (int) $post_id ] );
	}

	/** End of request: one product.upserted per product whose catalogue entry changed. */
	public function end_request(): void {
		$dirty       = array_keys( $this->dirty );
		$this->dirty = array();
		foreach ( $dirty as $product_id ) {
			$product = wc_get_product( $product_id );
			if ( ! $product ) {
				continue;
			}
			$event = $this->events->upserted( $product, microtime( true ) );
			if ( null === $event ) {
				continue;
			}
			$fingerprint = self::fingerprint( $event['product'] );
			if ( get_post_meta( $product_id, self::FINGERPRINT_META, true ) === $fingerprint ) {
				continue;
			}
			$this->queue->defer( $event );
			$this->queue->on_commit(
				static function () use ( $product_id, $fingerprint ): void {
					update_post_meta( $product_id, self::FINGERPRINT_META, $fingerprint );
				}
			);
		}
	}

	/**
	 * What identifies a catalogue entry's content; stock levels are left out because stock
	 * events carry them.
	 *
	 * @param array $entry The upserted event's product.
	 */
	private static function fingerprint( array $entry ): string {
		unset( $entry['stock_quantity'] );
		return hash( 'sha256', (string) wp_json_encode( $entry ) );
	}
}
