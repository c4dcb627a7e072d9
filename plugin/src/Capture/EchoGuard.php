<?php
/**
 * Marks the stock changes Shelfguard makes itself (the daemon's adjustments), so that the stock
 * hook they trigger is not sent back to the daemon as a new change: no echo loop.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Capture;

defined( 'ABSPATH' ) || exit;

/** Per-request set of stock-holding products being adjusted by Shelfguard. */
final class EchoGuard {

	/** @var array<int,int> Stock-holding product id => nesting depth. */
	private $active = array();

	/**
	 * Starts ignoring stock hooks for a product.
	 *
	 * @param int $stock_owner_id The product that holds the stock.
	 */
	public function suppress( int $stock_owner_id ): void {
		$this->active[ $stock_owner_id ] = ( $this->active[ $stock_owner_id ] ?? 0 ) + 1;
	}

	/**
	 * Stops ignoring them.
	 *
	 * @param int $stock_owner_id The product that holds the stock.
	 */
	public function release( int $stock_owner_id ): void {
		if ( isset( $this->active[ $stock_owner_id ] ) && --$this->active[ $stock_owner_id ] <= 0 ) {
			unset( $this->active[ $stock_owner_id ] );
		}
	}

	/**
	 * Whether a stock hook for this product comes from Shelfguard's own adjustment.
	 *
	 * @param int $stock_owner_id The product that holds the stock.
	 */
	public function is_suppressed( int $stock_owner_id ): bool {
		return isset( $this->active[ $stock_owner_id ] );
	}
}
