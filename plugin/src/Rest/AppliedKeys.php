<?php
/**
 * The keys of adjustments already applied, kept at least 7 days, with what each applied: the
 * record that makes a replayed adjustment a duplicate instead of a second stock change.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Rest;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Schema;

/** Reads and writes the shelfguard_applied table. */
final class AppliedKeys {

	/** Longer than the 7 days the contract promises, so a clock jump cannot cut it short. */
	const KEPT_S      = 8 * DAY_IN_SECONDS;
	const PRUNE_BATCH = 1000;

	/**
	 * Claims a key inside the caller's transaction. Returns false when the key exists (or a
	 * concurrent transaction holding it committed first: the unique key makes us wait for it).
	 *
	 * @param string $key          Adjustment key.
	 * @param string $payload_hash What it asks for.
	 * @param int    $product_id   Product.
	 * @param int    $delta        Change.
	 * @param int    $now          Unix time.
	 */
	public function claim( string $key, string $payload_hash, int $product_id, int $delta, int $now ): bool {
		global $wpdb;
		$table = Schema::applied_table();
		return 1 === (int) $wpdb->query(
			$wpdb->prepare( "INSERT IGNORE INTO {$table} (adjustment_key, payload_hash, product_id, delta, created_at) VALUES (%s, %s, %d, %d, %s)", $key, $payload_hash, $product_id, $delta, gmdate( 'Y-m-d H:i:s', $now ) ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		);
	}

	/**
	 * Records the stock level an applied key led to.
	 *
	 * @param string $key         Adjustment key.
	 * @param mixed  $stock_after Level.
	 */
	public function record_result( string $key, $stock_after ): void {
		global $wpdb;
		$table = Schema::applied_table();
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET stock_after = %s WHERE adjustment_key = %s", null === $stock_after ? null : (string) $stock_after, $key ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}

	/**
	 * The stored row of a key, or null.
	 *
	 * @param string $key Adjustment key.
	 */
	public function find( string $key ): ?array {
		global $wpdb;
		$table = Schema::applied_table();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT adjustment_key, payload_hash, stock_after FROM {$table} WHERE adjustment_key = %s", $key ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return is_array( $row ) ? $row : null;
	}

	/**
	 * Forgets keys older than KEPT_S, a bounded batch at a time.
	 *
	 * @param int $now Unix time.
	 */
	public function prune( int $now ): int {
		global $wpdb;
		$table = Schema::applied_table();
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE created_at < %s LIMIT %d", gmdate( 'Y-m-d H:i:s', $now - self::KEPT_S ), self::PRUNE_BATCH ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}
}
