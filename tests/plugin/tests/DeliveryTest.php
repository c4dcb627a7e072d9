<?php
/**
 * Delivery to a signature-verifying recorder standing in for the daemon: the queue outlives a
 * dead daemon and delivers everything once it is back (none lost, none doubled); per-event
 * results decide done, dead letter or retry; retries follow the backoff, then dead-letter.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

use Shelfguard\Queue\Backoff;
use Shelfguard\Queue\Schema;

final class DeliveryTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		Recorder::reset();
	}

	protected function tearDown(): void {
		Recorder::stop();
	}

	private function flush(): array {
		return $this->plugin()->get( 'dispatcher' )->flush( 100, 60.0 );
	}

	public function test_the_queue_survives_a_dead_daemon_and_delivers_every_event_once_when_it_returns(): void {
		Recorder::stop();
		$products = array();
		for ( $i = 0; $i < 20; $i++ ) {
			$products[] = $this->simple_product( 100 );
		}
		$this->end_request();
		$order = $this->order_for( array_map( static function ( $product ) { return array( $product, 1 ); }, $products ) );
		for ( $round = 0; $round < 10; $round++ ) {
			foreach ( $products as $product ) {
				wc_update_product_stock( $product, 1, 'decrease' );
			}
			$this->end_request();
		}
		$order->update_status( 'processing' );
		$this->end_request();
		$queued = count( $this->queued() );
		$this->assertGreaterThanOrEqual( 260, $queued );

		$result = $this->flush();
		$this->assertStringStartsWith( 'network:', $result['error'] );
		$this->assertSame( 0, $result['delivered'] );
		$this->assertSame( array( 'pending' => $queued ), $this->queue_statuses(), 'nothing is lost or given up while the daemon is down' );

		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		$this->time_passes();
		$result = $this->flush();
		$this->assertSame( $queued, $result['delivered'] );
		$this->assertSame( array( 'done' => $queued ), $this->queue_statuses() );
		$delivered = Recorder::applied();
		$this->assertCount( $queued, $delivered, 'every event reached the daemon' );
		$this->assertSame( count( $delivered ), count( array_unique( $delivered ) ), 'none twice' );
		$per_product = array();
		foreach ( Recorder::requests() as $request ) {
			foreach ( $request['events'] as $event ) {
				if ( 'stock.set' === $event['type'] ) {
					$per_product[ $event['product']['id'] ] = $event['quantity'];
				}
			}
		}
		foreach ( $products as $product ) {
			$this->assertSame( 90, $per_product[ $product->get_id() ], 'the last level the daemon saw is WooCommerce\'s before the order' );
		}
	}

	public function test_the_end_of_a_request_delivers_through_a_loopback_without_waiting_for_cron(): void {
		delete_option( \Shelfguard\Delivery\Dispatcher::LAST_OPTION );
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		$product = $this->simple_product( 7 );
		$this->end_request();
		$keys = array_column( $this->queued(), 'id' );
		$this->assertNotEmpty( $keys );
		// Off PHP-FPM the end of the request posts to admin-post.php and returns at once.
		$started = microtime( true );
		$this->plugin()->get( 'scheduler' )->end_request();
		$this->assertLessThan( 0.5, microtime( true ) - $started, 'the request that queued the events does not wait for their delivery' );
		$deadline = microtime( true ) + 10;
		while ( count( array_intersect( $keys, Recorder::applied() ) ) < count( $keys ) && microtime( true ) < $deadline ) {
			usleep( 50000 );
		}
		$this->assertEqualsCanonicalizing( $keys, array_values( array_intersect( $keys, Recorder::applied() ) ), 'the loopback delivered every event the request queued, with no cron run' );
		$this->assertSame( 7, $this->last_level_sent( $product->get_id() ) );
	}

	public function test_while_the_daemon_is_failing_only_the_minute_job_retries_and_no_loopback_is_sent(): void {
		Recorder::stop();
		$this->simple_product( 4 );
		$this->end_request();
		$this->assertStringStartsWith( 'network:', $this->flush()['error'] );
		global $wpdb;
		$wpdb->query( 'UPDATE ' . Schema::queue_table() . " SET next_attempt_at = '2000-01-01 00:00:00'" ); // due again at once
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		$this->plugin()->get( 'scheduler' )->end_request();
		usleep( 1500000 );
		$this->assertSame( array(), Recorder::applied(), 'no loopback ran while the last delivery had failed' );
		$this->assertSame( 2, $this->flush()['delivered'], 'the minute job delivers, and its success lets loopbacks run again' );
		$this->assertTrue( $this->plugin()->get( 'dispatcher' )->last_delivery_ok() );
	}

	public function test_after_an_outage_every_waiting_event_goes_at_the_first_answer_and_probes_count_no_attempt(): void {
		global $wpdb;
		Recorder::stop();
		$products = array();
		for ( $i = 0; $i < 8; $i++ ) {
			$products[] = $this->simple_product( 10 + $i );
		}
		$this->end_request();
		$queued = count( $this->queued() );
		$this->assertGreaterThan( \Shelfguard\Delivery\Dispatcher::PROBE_ROWS, $queued, 'more events wait than one probe carries' );
		// Two failed attempts while the daemon is down: the next one is 5 minutes away.
		$this->assertStringStartsWith( 'network:', $this->flush()['error'] );
		$wpdb->query( 'UPDATE ' . Schema::queue_table() . " SET next_attempt_at = '2000-01-01 00:00:00'" );
		$this->assertStringStartsWith( 'network:', $this->flush()['error'] );
		$waiting = $wpdb->get_col( 'SELECT next_attempt_at FROM ' . Schema::queue_table() . " WHERE status = 'pending'" );
		$this->assertCount( $queued, $waiting );
		foreach ( $waiting as $at ) {
			$this->assertGreaterThan( time() + 240, strtotime( $at . ' UTC' ) );
		}
		$attempts = static function () use ( $wpdb ): array {
			return array_map( 'intval', $wpdb->get_col( 'SELECT attempts FROM ' . Schema::queue_table() . ' ORDER BY id' ) );
		};
		$before = $attempts();
		// Within the minute nothing is due and nothing is asked.
		$this->assertSame( array( 'delivered' => 0, 'dead' => 0, 'retrying' => 0, 'error' => '' ), $this->flush() );
		// A minute on, still down: the probe asks, fails, and counts no attempt.
		$last = get_option( \Shelfguard\Delivery\Dispatcher::LAST_OPTION );
		update_option( \Shelfguard\Delivery\Dispatcher::LAST_OPTION, array_merge( $last, array( 'at' => time() - 60 ) ), false );
		$this->assertStringStartsWith( 'network:', $this->flush()['error'] );
		$this->assertSame( $before, $attempts(), 'a probe is not an attempt' );
		// The daemon is back: the next run's probe is answered and everything waiting goes.
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		update_option( \Shelfguard\Delivery\Dispatcher::LAST_OPTION, array_merge( $last, array( 'at' => time() - 60 ) ), false );
		$result = $this->flush();
		$this->assertSame( $queued, $result['delivered'] );
		$this->assertSame( array( 'done' => $queued ), $this->queue_statuses() );
		$this->assertCount( $queued, array_unique( Recorder::applied() ) );
	}

	public function test_the_delivery_loopback_runs_only_for_this_minute_s_token_from_the_shared_secret(): void {
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		$this->simple_product( 3 );
		$this->end_request();
		$secret = $this->settings()->secret();
		$post   = static function ( string $token ): int {
			return Http::request( 'POST', '/wp-admin/admin-post.php', array( 'Content-Type' => 'application/x-www-form-urlencoded' ), http_build_query( array( 'action' => 'shelfguard_deliver', 'token' => $token ) ) )['status'];
		};
		foreach ( array( '', 'x', \Shelfguard\Delivery\Scheduler::loopback_token( $secret, time() - 180 ), \Shelfguard\Delivery\Scheduler::loopback_token( 'whsec_' . base64_encode( random_bytes( 24 ) ), time() ) ) as $token ) {
			$this->assertSame( 403, $post( $token ) );
		}
		$this->assertSame( array(), Recorder::applied(), 'a refused loopback delivers nothing' );
		$this->assertSame( 204, $post( \Shelfguard\Delivery\Scheduler::loopback_token( $secret, time() ) ) );
		$this->assertNotEmpty( Recorder::applied() );
	}

	private function last_level_sent( int $product_id ): ?int {
		$level = null;
		foreach ( Recorder::requests() as $request ) {
			foreach ( $request['events'] as $event ) {
				if ( 'stock.set' === $event['type'] && $product_id === $event['product']['id'] ) {
					$level = $event['quantity'];
				}
			}
		}
		return $level;
	}

	public function test_a_redelivered_batch_keeps_its_webhook_id_and_is_answered_as_duplicate(): void {
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		$product = $this->simple_product( 5 );
		$this->end_request();
		$this->flush();
		global $wpdb;
		$wpdb->query( 'UPDATE ' . Schema::queue_table() . " SET status = 'pending', attempts = 0" );
		$this->time_passes();
		$result   = $this->flush();
		$requests = Recorder::requests();
		$this->assertCount( 2, $requests );
		$this->assertSame( $requests[0]['webhook_id'], $requests[1]['webhook_id'] );
		$this->assertSame( count( $requests[0]['events'] ), $result['delivered'], 'duplicate counts as delivered' );
		$this->assertSame( array( 'done' => count( $requests[0]['events'] ) ), $this->queue_statuses() );
	}

	public function test_an_event_the_daemon_rejects_is_dead_lettered_with_its_code_and_the_rest_delivered(): void {
		$keep   = $this->simple_product( 5 );
		$reject = $this->simple_product( 6 );
		$this->end_request();
		Recorder::start( $this->settings()->verifying_secrets( time() ), 'reject::product:' . $reject->get_id() . ':' );
		$this->flush();
		$dead = $this->plugin()->get( 'report' )->dead_letters( 10 );
		$this->assertNotEmpty( $dead );
		foreach ( $dead as $letter ) {
			$this->assertSame( $reject->get_id(), $letter['product_id'] );
			$this->assertStringStartsWith( 'unknown_product: ', $letter['error'] );
		}
		$stats = $this->plugin()->get( 'report' )->stats( time() );
		$this->assertSame( 0, $stats['pending'] );
		$this->assertSame( count( $dead ), $stats['dead'] );
		$this->assertNotEmpty( \Shelfguard\Admin\Health::problems( $this->settings(), $this->plugin()->get( 'report' ), time() ), 'a dead letter is visible' );
		$this->assertSame( 'critical', $this->plugin()->get( 'site_health' )->run()['status'] );

		Recorder::mode( 'ok' );
		$this->assertSame( count( $dead ), $this->plugin()->get( 'queue' )->requeue_dead( null, time() ) );
		$this->flush();
		$this->assertSame( 0, $this->plugin()->get( 'report' )->stats( time() )['dead'] );
	}

	public function test_a_batch_refused_whole_with_422_is_dead_lettered_event_by_event_and_not_retried(): void {
		$this->simple_product( 5 );
		$this->end_request();
		$queued = count( $this->queued() );
		Recorder::start( $this->settings()->verifying_secrets( time() ), 'invalid422' );
		$result = $this->flush();
		$this->assertSame( $queued, $result['dead'] );
		$this->assertSame( array( 'dead' => $queued ), $this->queue_statuses() );
		$this->assertStringStartsWith( 'invalid_event: /events/0/quantity', $this->plugin()->get( 'report' )->dead_letters( 1 )[0]['error'] );
	}

	public function test_a_server_error_is_retried_on_the_backoff_schedule_and_dead_lettered_after_the_last_attempt(): void {
		$this->simple_product( 5 );
		$this->end_request();
		Recorder::start( $this->settings()->verifying_secrets( time() ), 'fail503' );
		global $wpdb;
		$expected = array_merge( Backoff::DELAYS_S, array_fill( 0, Backoff::ATTEMPTS_MAX - 1 - count( Backoff::DELAYS_S ), Backoff::LATER_DELAY_S ) );
		$waited   = 0;
		for ( $attempt = 1; $attempt < Backoff::ATTEMPTS_MAX; $attempt++ ) {
			$before = time();
			$this->flush();
			$next = strtotime( $wpdb->get_var( 'SELECT MAX(next_attempt_at) FROM ' . Schema::queue_table() ) . ' UTC' );
			$this->assertEqualsWithDelta( $expected[ $attempt - 1 ], $next - $before, 2, "delay after attempt $attempt" );
			$this->assertSame( 'http 503', $this->plugin()->get( 'report' )->stats( time() )['last_error'] );
			$waited += $expected[ $attempt - 1 ];
			$this->time_passes();
		}
		$this->assertGreaterThan( 2.9 * DAY_IN_SECONDS, $waited, 'retries span about three days' );
		$this->flush();
		$stats = $this->plugin()->get( 'report' )->stats( time() );
		$this->assertSame( 0, $stats['pending'] );
		$this->assertGreaterThan( 0, $stats['dead'] );
		$this->assertStringStartsWith( 'retries_exhausted: http 503', $this->plugin()->get( 'report' )->dead_letters( 1 )[0]['error'] );
	}

	public function test_a_daemon_that_refuses_the_signature_gets_no_event_and_they_stay_queued(): void {
		$this->simple_product( 5 );
		$this->end_request();
		Recorder::start( array( 'whsec_' . base64_encode( random_bytes( 32 ) ) ) );
		$result = $this->flush();
		$this->assertSame( 'http 401', $result['error'] );
		$this->assertSame( array(), Recorder::applied() );
		$this->assertArrayHasKey( 'pending', $this->queue_statuses() );
	}
}
