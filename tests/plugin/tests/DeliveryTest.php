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
