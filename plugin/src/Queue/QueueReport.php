<?php
/**
 * What the admin notice, Site Health, the admin page and WP-CLI show about delivery: the
 * backlog and the dead letters.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Queue;

defined( 'ABSPATH' ) || exit;

/** Read-only views of the queue. */
final class QueueReport {

	const DEAD_LIST_MAX = 100;

	/**
	 * Counts per status and the age of the oldest undelivered event.
	 *
	 * @param int $now Unix time.
	 */
	public function stats( int $now ): array {
		global $wpdb;
		$table  = Schema::queue_table();
		$counts = array(
			Queue::PENDING => 0,
			Queue::SENDING => 0,
			Queue::DONE    => 0,
			Queue::DEAD    => 0,
		);
		foreach ( (array) $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM {$table} GROUP BY status", ARRAY_A ) as $row ) { // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- no input in this query.
			$counts[ $row['status'] ] = (int) $row['n'];
		}
		$oldest = $wpdb->get_var( $wpdb->prepare( "SELECT MIN(created_at) FROM {$table} WHERE status IN (%s, %s)", Queue::PENDING, Queue::SENDING ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$oldest = $oldest ? strtotime( $oldest . ' UTC' ) : 0;
		$error  = $wpdb->get_var( $wpdb->prepare( "SELECT last_error FROM {$table} WHERE status = %s AND last_error <> '' ORDER BY updated_at DESC LIMIT 1", Queue::PENDING ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return array(
			'pending'           => $counts[ Queue::PENDING ] + $counts[ Queue::SENDING ],
			'delivered'         => $counts[ Queue::DONE ],
			'dead'              => $counts[ Queue::DEAD ],
			'oldest_pending_at' => $oldest ? gmdate( 'c', $oldest ) : null,
			'oldest_pending_s'  => $oldest ? max( 0, $now - $oldest ) : 0,
			'last_error'        => (string) $error,
		);
	}

	/**
	 * The most recent dead letters, newest first.
	 *
	 * @param int $limit Rows at most (capped at DEAD_LIST_MAX).
	 */
	public function dead_letters( int $limit ): array {
		global $wpdb;
		$table = Schema::queue_table();
		$rows  = $wpdb->get_results(
			$wpdb->prepare( "SELECT id, event_key, event_type, product_id, attempts, last_error, created_at, updated_at FROM {$table} WHERE status = %s ORDER BY updated_at DESC, id DESC LIMIT %d", Queue::DEAD, min( max( 1, $limit ), self::DEAD_LIST_MAX ) ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
		return array_map(
			static function ( array $row ): array {
				return array(
					'id'         => (int) $row['id'],
					'key'        => $row['event_key'],
					'type'       => $row['event_type'],
					'product_id' => (int) $row['product_id'],
					'attempts'   => (int) $row['attempts'],
					'error'      => $row['last_error'],
					'queued_at'  => gmdate( 'c', strtotime( $row['created_at'] . ' UTC' ) ),
					'dead_at'    => gmdate( 'c', strtotime( $row['updated_at'] . ' UTC' ) ),
				);
			},
			(array) $rows
		);
	}
}
