<?php
/**
 * Applies one validated adjustment: relative (wc_update_product_stock increase/decrease, one
 * atomic SQL statement in WooCommerce), at most once per key, without echo. The key is claimed
 * and the stock written in one database transaction, so a crash leaves neither or both, and a
 * concurrent request with the same key waits on the key's row and then sees a duplicate.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Rest;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Capture\EchoGuard;

/** Adjustment → WooCommerce stock. */
final class AdjustmentApplier {

	/** @var AppliedKeys */
	private $keys;
	/** @var EchoGuard */
	private $guard;

	/**
	 * @param AppliedKeys $keys  Applied keys.
	 * @param EchoGuard   $guard Suppresses the stock hook our own change triggers.
	 */
	public function __construct( AppliedKeys $keys, EchoGuard $guard ) {
		$this->keys  = $keys;
		$this->guard = $guard;
	}

	/**
	 * The contract's result for one adjustment.
	 *
	 * @param array $adjustment A validated adjustment.
	 * @param int   $now        Unix time.
	 */
	public function apply( array $adjustment, int $now ): array {
		global $wpdb;
		$key     = $adjustment['key'];
		$hash    = self::payload_hash( $adjustment );
		$product = wc_get_product( $adjustment['product_id'] );
		if ( ! $product instanceof \WC_Product ) {
			/* translators: %d: product id. */
			return self::rejected( $key, 'unknown_product', sprintf( __( 'No product or variation has id %d.', 'shelfguard' ), $adjustment['product_id'] ) );
		}
		if ( isset( $adjustment['sku'] ) && (string) $product->get_sku() !== $adjustment['sku'] ) {
			/* translators: 1: product id, 2: SKU sent, 3: SKU in WooCommerce. */
			return self::rejected( $key, 'invalid_adjustment', sprintf( __( 'Product %1$d has SKU "%3$s", not "%2$s".', 'shelfguard' ), $adjustment['product_id'], $adjustment['sku'], $product->get_sku() ) );
		}
		if ( ! $product->managing_stock() ) {
			/* translators: %d: product id. */
			return self::rejected( $key, 'stock_not_managed', sprintf( __( 'Product %d does not manage stock.', 'shelfguard' ), $adjustment['product_id'] ) );
		}
		$wpdb->query( 'START TRANSACTION' );
		if ( ! $this->keys->claim( $key, $hash, $adjustment['product_id'], $adjustment['delta'], $now ) ) {
			$wpdb->query( 'ROLLBACK' );
			return $this->replay( $key, $hash );
		}
		$owner = (int) $product->get_stock_managed_by_id();
		$this->guard->suppress( $owner );
		try {
			$stock_after = wc_update_product_stock( $product, abs( $adjustment['delta'] ), $adjustment['delta'] > 0 ? 'increase' : 'decrease' );
		} catch ( \Throwable $error ) {
			$stock_after = new \WP_Error( 'shelfguard_stock_update_failed', $error->getMessage() );
		} finally {
			$this->guard->release( $owner );
		}
		if ( false === $stock_after || is_wp_error( $stock_after ) ) {
			$wpdb->query( 'ROLLBACK' );
			/* translators: %d: product id. */
			return self::rejected( $key, 'invalid_adjustment', sprintf( __( 'WooCommerce did not update the stock of product %d.', 'shelfguard' ), $adjustment['product_id'] ) );
		}
		$this->keys->record_result( $key, $stock_after );
		$wpdb->query( 'COMMIT' );
		return array(
			'key'         => $key,
			'status'      => 'applied',
			'stock_after' => self::level( $stock_after ),
		);
	}

	/**
	 * The answer for a key seen before: duplicate when it asked for the same, conflict if not.
	 *
	 * @param string $key  Adjustment key.
	 * @param string $hash What it asks for now.
	 */
	private function replay( string $key, string $hash ): array {
		$row = $this->keys->find( $key );
		if ( $row && hash_equals( $row['payload_hash'], $hash ) ) {
			return array(
				'key'         => $key,
				'status'      => 'duplicate',
				'stock_after' => self::level( $row['stock_after'] ),
			);
		}
		return self::rejected( $key, 'idempotency_conflict', __( 'This key was already applied with a different product, delta, reason or reference.', 'shelfguard' ) );
	}

	/**
	 * What identifies the intent of an adjustment (the SKU is only a check).
	 *
	 * @param array $adjustment Adjustment.
	 */
	private static function payload_hash( array $adjustment ): string {
		return hash( 'sha256', (string) wp_json_encode( array( $adjustment['product_id'], $adjustment['delta'], $adjustment['reason'], $adjustment['reference'] ?? '' ) ) );
	}

	/**
	 * A rejected result.
	 *
	 * @param string $key     Adjustment key.
	 * @param string $code    Contract code.
	 * @param string $message What is wrong.
	 */
	private static function rejected( string $key, string $code, string $message ): array {
		return array(
			'key'     => $key,
			'status'  => 'rejected',
			'code'    => $code,
			'message' => $message,
		);
	}

	/**
	 * A stock level as integer or null.
	 *
	 * @param mixed $level Level.
	 */
	private static function level( $level ): ?int {
		return null === $level || '' === $level || ! is_numeric( $level ) ? null : (int) round( (float) $level );
	}
}
