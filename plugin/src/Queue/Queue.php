<?php
/**
 * The durable outgoing queue: every captured event is a row written in the request that saw
 * the change, with its idempotency key, and stays until the daemon acknowledged it or it was
 * dead-lettered. Delivery claims rows with a lease so that two runners never send the same row
 * at the same time, and a runner that died mid-send only delays its rows until the lease ends.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Queue;

defined( 'ABSPATH' ) || exit;

/** Reads and writes the shelfguard_queue table. */
final class Queue {

	const PENDING        = 'pending';
	const SENDING        = 'sending';
	const DONE           = 'done';
	const DEAD           = 'dead';
	const DONE_KEPT_S    = 7 * DAY_IN_SECONDS;
	const PRUNE_BATCH    = 1000;
	const ERROR_LENGTH   = 500;

	const INSERT_CHUNK   = 100;

	/** @var int Rows written during this request, so the end of the request knows to deliver. */
	private $written = 0;
	/** @var array[] Events captured during this request, written together at its end. */
	private $deferred = array();
	/** @var callable[] Other writes that belong in the same transaction as those events. */
	private $commit_writes = array();

	/** Writes the request's events once the capture classes have resolved them (priority 5–7). */
	public function register(): void {
		add_action( 'shutdown', array( $this, 'end_request' ), 8 );
	}

	/**
	 * Keeps an event for the end of the request. Each autocommitted write costs a log flush
	 * (about 5 ms on this class of disk), so one transaction for all of a checkout's events
	 * keeps the plugin's share of an order's stock reduction small.
	 *
	 * @param array $event Event with its key in id.
	 */
	public function defer( array $event ): void {
		$this->deferred[] = $event;
	}

	/**
	 * Runs a write (item or product meta the events depend on) in the events' transaction.
	 *
	 * @param callable $write Write.
	 */
	public function on_commit( callable $write ): void {
		$this->commit_writes[] = $write;
	}

	/** Writes the deferred events and their companion writes in one transaction. */
	public function end_request(): void {
		global $wpdb;
		$events              = $this->deferred;
		$writes              = $this->commit_writes;
		$this->deferred      = array();
		$this->commit_writes = array();
		if ( ! $events && ! $writes ) {
			return;
		}
		$now = time();
		$wpdb->query( 'START TRANSACTION' );
		foreach ( $writes as $write ) {
			$write();
		}
		$ok = true;
		foreach ( array_chunk( $events, self::INSERT_CHUNK ) as $chunk ) {
			$inserted = $this->insert( $chunk, $now );
			$ok       = $ok && false !== $inserted;
			$this->written += (int) $inserted;
		}
		if ( $ok ) {
			$wpdb->query( 'COMMIT' );
		} else {
			$wpdb->query( 'ROLLBACK' );
			// Try one by one, so that one bad row cannot cost the others.
			foreach ( $writes as $write ) {
				$write();
			}
			foreach ( $events as $event ) {
				$this->enqueue( $event, $now );
			}
		}
	}

	/**
	 * Stores one event; a second event with the same key is ignored (it is the same change).
	 *
	 * @param array $event An event of contracts/events.schema.json, its id being its key.
	 * @param int   $now   Unix time.
	 * @return bool Whether a new row was written.
	 */
	public function enqueue( array $event, int $now ): bool {
		global $wpdb;
		$inserted = $this->insert( array( $event ), $now );
		if ( false === $inserted ) {
			// The stock change already happened; losing its event silently is the one thing we
			// must not do, so leave a trace for the operator (no secret is in an event).
			error_log( 'Shelfguard could not queue event ' . $event['id'] . ': ' . $wpdb->last_error ); // phpcs:ignore Squiz.PHP.DiscouragedFunctions -- the only channel left when the database refuses.
			return false;
		}
		$this->written += $inserted;
		return $inserted > 0;
	}

	/**
	 * One multi-row INSERT IGNORE; a key already queued is the same change and is skipped.
	 *
	 * @param array[] $events Events.
	 * @param int     $now    Unix time.
	 * @return int|false Rows inserted.
	 */
	private function insert( array $events, int $now ) {
		global $wpdb;
		$table  = Schema::queue_table();
		$time   = gmdate( 'Y-m-d H:i:s', $now );
		$rows   = array();
		$values = array();
		foreach ( $events as $event ) {
			$rows[] = '(%s, %s, %d, %s, %s, 0, %s, %s, %s)';
			array_push( $values, $event['id'], $event['type'], isset( $event['product']['id'] ) ? (int) $event['product']['id'] : 0, wp_json_encode( $event ), self::PENDING, $time, $time, $time );
		}
		$placeholders = implode( ', ', $rows ); // Only placeholders, filled by prepare below.
		$inserted     = $wpdb->query(
			$wpdb->prepare( "INSERT IGNORE INTO {$table} (event_key, event_type, product_id, payload, status, attempts, next_attempt_at, created_at, updated_at) VALUES {$placeholders}", $values ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name and placeholders only.
		);
		return false === $inserted ? false : (int) $inserted;
	}

	/** How many rows this request wrote. */
	public function written_this_request(): int {
		return $this->written;
	}

	/**
	 * Claims up to $limit due rows (oldest first) for one delivery attempt.
	 *
	 * @param int $limit   Rows at most.
	 * @param int $now     Unix time.
	 * @param int $lease_s How long the claim holds if the runner dies.
	 * @return array[] Rows with id, event_key, payload, attempts.
	 */
	public function claim( int $limit, int $now, int $lease_s ): array {
		global $wpdb;
		$table = Schema::queue_table();
		$token = bin2hex( random_bytes( 16 ) );
		$time  = gmdate( 'Y-m-d H:i:s', $now );
		// One statement claims, so concurrent runners each get disjoint rows.
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, claim_token = %s, claimed_until = %s, attempts = attempts + 1, updated_at = %s
				WHERE (status = %s AND next_attempt_at <= %s) OR (status = %s AND claimed_until < %s) ORDER BY id LIMIT %d", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				self::SENDING,
				$token,
				gmdate( 'Y-m-d H:i:s', $now + $lease_s ),
				$time,
				self::PENDING,
				$time,
				self::SENDING,
				$time,
				$limit
			)
		);
		return $wpdb->get_results(
			$wpdb->prepare( "SELECT id, event_key, payload, attempts FROM {$table} WHERE claim_token = %s AND status = %s ORDER BY id", $token, self::SENDING ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
	}

	/**
	 * Claims the oldest pending rows whatever their next attempt time, without counting an
	 * attempt: the probe that finds out whether a failing daemon is back, so that events whose
	 * backoff grew during an outage do not wait it out once it has ended.
	 *
	 * @param int $limit   Rows at most.
	 * @param int $now     Unix time.
	 * @param int $lease_s How long the claim holds if the runner dies.
	 * @return array[] Rows with id, event_key, payload, attempts.
	 */
	public function claim_probe( int $limit, int $now, int $lease_s ): array {
		global $wpdb;
		$table = Schema::queue_table();
		$token = bin2hex( random_bytes( 16 ) );
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, claim_token = %s, claimed_until = %s, updated_at = %s WHERE status = %s ORDER BY id LIMIT %d", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				self::SENDING,
				$token,
				gmdate( 'Y-m-d H:i:s', $now + $lease_s ),
				gmdate( 'Y-m-d H:i:s', $now ),
				self::PENDING,
				$limit
			)
		);
		return $wpdb->get_results(
			$wpdb->prepare( "SELECT id, event_key, payload, attempts FROM {$table} WHERE claim_token = %s AND status = %s ORDER BY id", $token, self::SENDING ), // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			ARRAY_A
		);
	}

	/**
	 * Makes every pending row due now: the daemon answers again, so what waited for it goes.
	 *
	 * @param int $now Unix time.
	 * @return int Rows made due.
	 */
	public function make_due( int $now ): int {
		global $wpdb;
		$table = Schema::queue_table();
		$time  = gmdate( 'Y-m-d H:i:s', $now );
		return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = %s WHERE status = %s AND next_attempt_at > %s", $time, self::PENDING, $time ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	}

	/**
	 * Marks rows acknowledged by the daemon (applied or duplicate).
	 *
	 * @param int[] $ids Row ids.
	 * @param int   $now Unix time.
	 */
	public function mark_done( array $ids, int $now ): void {
		$this->set_status( $ids, self::DONE, '', $now, $now );
	}

	/**
	 * Dead-letters rows the daemon rejected for good, keeping the reason for the admin page.
	 *
	 * @param int[]  $ids   Row ids.
	 * @param string $error Code and message, without secrets.
	 * @param int    $now   Unix time.
	 */
	public function mark_dead( array $ids, string $error, int $now ): void {
		$this->set_status( $ids, self::DEAD, $error, $now, $now );
	}

	/**
	 * Schedules the next attempt for rows whose delivery failed, or dead-letters those that
	 * had all their attempts.
	 *
	 * @param array[] $rows  Claimed rows (id, attempts).
	 * @param string  $error What went wrong.
	 * @param int     $now   Unix time.
	 */
	public function mark_failed( array $rows, string $error, int $now ): void {
		$by_attempts = array();
		foreach ( $rows as $row ) {
			$by_attempts[ (int) $row['attempts'] ][] = (int) $row['id'];
		}
		foreach ( $by_attempts as $attempts => $ids ) {
			$delay_s = Backoff::delay_s( $attempts );
			if ( null === $delay_s ) {
				$this->set_status( $ids, self::DEAD, 'retries_exhausted: ' . $error, $now, $now );
			} else {
				$this->set_status( $ids, self::PENDING, $error, $now, $now + $delay_s );
			}
		}
	}

	/**
	 * Puts dead-lettered rows back in line with fresh attempts (all of them, or the given ids).
	 *
	 * @param int[]|null $ids Row ids, or null for every dead row.
	 * @param int        $now Unix time.
	 * @return int Rows requeued.
	 */
	public function requeue_dead( ?array $ids, int $now ): int {
		global $wpdb;
		$table = Schema::queue_table();
		$time  = gmdate( 'Y-m-d H:i:s', $now );
		$where = '';
		if ( null !== $ids ) {
			$ids = array_values( array_filter( array_map( 'intval', $ids ) ) );
			if ( ! $ids ) {
				return 0;
			}
			$where = ' AND id IN (' . implode( ',', $ids ) . ')'; // Integers only, from intval above.
		}
		return (int) $wpdb->query(
			$wpdb->prepare( "UPDATE {$table} SET status = %s, attempts = 0, next_attempt_at = %s, updated_at = %s, claim_token = NULL WHERE status = %s{$where}", self::PENDING, $time, $time, self::DEAD ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		);
	}

	/**
	 * Deletes delivered rows older than DONE_KEPT_S, a bounded batch at a time.
	 *
	 * @param int $now Unix time.
	 * @return int Rows deleted.
	 */
	public function prune( int $now ): int {
		global $wpdb;
		$table = Schema::queue_table();
		return (int) $wpdb->query(
			$wpdb->prepare( "DELETE FROM {$table} WHERE status = %s AND updated_at < %s ORDER BY id LIMIT %d", self::DONE, gmdate( 'Y-m-d H:i:s', $now - self::DONE_KEPT_S ), self::PRUNE_BATCH ) // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		);
	}

	/**
	 * Sets status, error and next attempt time on rows.
	 *
	 * @param int[]  $ids    Row ids.
	 * @param string $status New status.
	 * @param string $error  Last error ('' for none).
	 * @param int    $now    Unix time.
	 * @param int    $next   Next attempt, Unix time.
	 */
	private function set_status( array $ids, string $status, string $error, int $now, int $next ): void {
		global $wpdb;
		$ids = array_values( array_filter( array_map( 'intval', $ids ) ) );
		if ( ! $ids ) {
			return;
		}
		$table = Schema::queue_table();
		$list  = implode( ',', $ids ); // Integers only, from intval above.
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, last_error = %s, next_attempt_at = %s, updated_at = %s, claim_token = NULL, claimed_until = NULL WHERE id IN ({$list})", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				$status,
				substr( $error, 0, self::ERROR_LENGTH ),
				gmdate( 'Y-m-d H:i:s', $next ),
				gmdate( 'Y-m-d H:i:s', $now )
			)
		);
	}
}
