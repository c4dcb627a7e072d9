<?php
/**
 * Delivers queued events to the daemon in signed batches and records each event's outcome:
 * applied or duplicate → done; rejected → dead letter with the daemon's code (rejections are
 * final); no answer, 5xx or anything unexpected → retried on the backoff schedule. While the
 * daemon is failing, a run with nothing due still probes it once a minute (without counting an
 * attempt), and the first answer after a failure makes every waiting event due: an outage's
 * grown backoffs are not waited out once the daemon is back (B6).
 *
 * @package Shelfguard
 */

namespace Shelfguard\Delivery;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Queue;
use Shelfguard\Settings;

/** Queue → daemon. */
final class Dispatcher {

	/** Events per batch: the contract allows 500; 100 keeps the largest batch far below 1 MB. */
	const BATCH_MAX       = 100;
	const LEASE_S         = 120;
	const LAST_OPTION     = 'shelfguard_last_delivery';
	/** While the daemon is failing, how often a run may ask it with events not yet due. */
	const PROBE_INTERVAL_S = 55;
	/** A probe only asks whether the daemon is back: a few events, not a full batch. */
	const PROBE_ROWS = 10;
	const MESSAGE_LENGTH  = 200;

	/** @var Queue */
	private $queue;
	/** @var DaemonClient */
	private $client;
	/** @var Settings */
	private $settings;

	/**
	 * @param Queue        $queue    Durable queue.
	 * @param DaemonClient $client   HTTP to the daemon.
	 * @param Settings     $settings Configuration.
	 */
	public function __construct( Queue $queue, DaemonClient $client, Settings $settings ) {
		$this->queue    = $queue;
		$this->client   = $client;
		$this->settings = $settings;
	}

	/**
	 * Sends due events, batch after batch, until none is due, a batch fails (the daemon is
	 * away: do not hammer it) or the limits are reached.
	 *
	 * @param int   $batches_max Batches at most.
	 * @param float $budget_s    Seconds at most.
	 * @return array{delivered:int, dead:int, retrying:int, error:string}
	 */
	public function flush( int $batches_max, float $budget_s ): array {
		$totals = array(
			'delivered' => 0,
			'dead'      => 0,
			'retrying'  => 0,
			'error'     => '',
		);
		if ( '' === $this->settings->daemon_url() || '' === $this->settings->secret() ) {
			$totals['error'] = 'not_configured';
			return $totals;
		}
		$started    = microtime( true );
		$recovering = ! $this->last_delivery_ok();
		for ( $batch = 0; $batch < $batches_max && microtime( true ) - $started < $budget_s; $batch++ ) {
			$rows = $this->queue->claim( self::BATCH_MAX, time(), self::LEASE_S );
			if ( ! $rows && $recovering && $this->probe_due( time() ) ) {
				// Nothing is due, but the daemon may be back: one batch asks, at most once a minute.
				$rows = $this->queue->claim_probe( self::PROBE_ROWS, time(), self::LEASE_S );
			}
			if ( ! $rows ) {
				break;
			}
			$outcome = $this->send( $rows );
			if ( $recovering && '' === $outcome['error'] ) {
				// The daemon answers again: what waited on its backoff goes now, not in 30 minutes.
				$this->queue->make_due( time() );
				$recovering = false;
			}
			foreach ( array( 'delivered', 'dead', 'retrying' ) as $name ) {
				$totals[ $name ] += $outcome[ $name ];
			}
			if ( '' !== $outcome['error'] ) {
				$totals['error'] = $outcome['error'];
				break;
			}
		}
		return $totals;
	}

	/**
	 * Sends one batch and records what became of each event.
	 *
	 * @param array[] $rows Claimed rows.
	 */
	private function send( array $rows ): array {
		$now    = time();
		$events = array();
		$keys   = array();
		foreach ( $rows as $row ) {
			$events[] = json_decode( $row['payload'] );
			$keys[]   = $row['event_key'];
		}
		// The same events make the same webhook-id, so a retried batch is recognisable as one.
		$message_id = 'msg_' . substr( hash( 'sha256', implode( "\n", $keys ) ), 0, 32 );
		$body       = (string) wp_json_encode(
			array(
				'site'   => $this->settings_site(),
				'events' => $events,
			)
		);
		$response   = $this->client->post_events( $message_id, $body, $now );
		// 422 carries per-event results too: every event rejected as invalid (contracts/README.md).
		$results    = in_array( $response['status'], array( 200, 422 ), true ) ? self::results_by_id( $response['body'] ) : null;
		if ( null === $results ) {
			$error = '' !== $response['error'] ? $response['error'] : 'unexpected response from the daemon';
			$this->queue->mark_failed( $rows, $error, $now );
			$this->remember( false, $error, $now );
			return array( 'delivered' => 0, 'dead' => 0, 'retrying' => count( $rows ), 'error' => $error );
		}
		$outcome = $this->apply_results( $rows, $results, $now );
		$this->remember( true, '', $now );
		return $outcome;
	}

	/**
	 * Records each event's result: applied or duplicate → done, rejected → dead letter (final),
	 * no result → retried.
	 *
	 * @param array[] $rows    Claimed rows.
	 * @param array   $results Results by event id.
	 * @param int     $now     Unix time.
	 */
	private function apply_results( array $rows, array $results, int $now ): array {
		$done  = array();
		$retry = array();
		$dead  = 0;
		foreach ( $rows as $row ) {
			$result = $results[ $row['event_key'] ] ?? array();
			$status = $result['status'] ?? '';
			if ( 'applied' === $status || 'duplicate' === $status ) {
				$done[] = (int) $row['id'];
			} elseif ( 'rejected' === $status ) {
				$this->queue->mark_dead( array( (int) $row['id'] ), self::rejection( $result ), $now );
				++$dead;
			} else {
				$retry[] = $row;
			}
		}
		$this->queue->mark_done( $done, $now );
		if ( $retry ) {
			$this->queue->mark_failed( $retry, 'the daemon gave no result for this event', $now );
		}
		return array( 'delivered' => count( $done ), 'dead' => $dead, 'retrying' => count( $retry ), 'error' => '' );
	}

	/**
	 * "code: message" of a rejection, bounded.
	 *
	 * @param array $result The daemon's result for one event.
	 */
	private static function rejection( array $result ): string {
		$code    = is_string( $result['code'] ?? null ) ? $result['code'] : 'rejected';
		$message = is_string( $result['message'] ?? null ) ? substr( $result['message'], 0, self::MESSAGE_LENGTH ) : '';
		return '' === $message ? $code : $code . ': ' . $message;
	}

	/** The site identifier for the envelope. */
	private function settings_site(): string {
		return $this->settings->site_id();
	}

	/**
	 * The daemon's per-event results keyed by event id, or null when the body is not the
	 * contract's shape.
	 *
	 * @param string $body Response body.
	 */
	private static function results_by_id( string $body ): ?array {
		$decoded = json_decode( $body, true );
		if ( ! is_array( $decoded ) || ! isset( $decoded['results'] ) || ! is_array( $decoded['results'] ) ) {
			return null;
		}
		$by_id = array();
		foreach ( $decoded['results'] as $result ) {
			if ( is_array( $result ) && isset( $result['id'], $result['status'] ) && is_string( $result['id'] ) && is_string( $result['status'] ) ) {
				$by_id[ $result['id'] ] = $result;
			}
		}
		return $by_id;
	}

	/**
	 * Whether a failing daemon is due another probe: the last attempt is a minute old.
	 *
	 * @param int $now Unix time.
	 */
	private function probe_due( int $now ): bool {
		$last = get_option( self::LAST_OPTION, null );
		return is_array( $last ) && isset( $last['at'] ) && $now - (int) $last['at'] >= self::PROBE_INTERVAL_S;
	}

	/**
	 * Whether the last delivery reached the daemon and was answered (or none was tried yet).
	 * While it is not, only the minute job retries, so an outage does not turn every storefront
	 * request into an attempt that pushes each event's backoff further out.
	 */
	public function last_delivery_ok(): bool {
		$last = get_option( self::LAST_OPTION, null );
		return ! is_array( $last ) || ! empty( $last['ok'] );
	}

	/**
	 * Keeps the last delivery outcome for the admin screens.
	 *
	 * @param bool   $ok    Whether the daemon answered with results.
	 * @param string $error What went wrong.
	 * @param int    $now   Unix time.
	 */
	private function remember( bool $ok, string $error, int $now ): void {
		update_option( self::LAST_OPTION, array( 'at' => $now, 'ok' => $ok, 'error' => $error ), false );
	}
}
