<?php
/**
 * wp shelfguard status|flush|resync run against the real site; WP-CLI itself is not packaged for
 * this machine, so support/WpCliOutput.php records what the commands print.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

require_once dirname( __DIR__ ) . '/support/WpCliOutput.php';

final class CliTest extends TestCase {

	protected function tearDown(): void {
		Recorder::stop();
	}

	public function test_resync_queues_the_catalogue_and_every_stock_level_and_flush_delivers_them(): void {
		global $wpdb;
		$this->simple_product( 3 );
		$this->pooled_variations( 4 );
		$this->end_request();
		$wpdb->query( 'TRUNCATE ' . \Shelfguard\Queue\Schema::queue_table() );
		$products = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type IN ('product', 'product_variation') AND post_status <> 'auto-draft'" );
		$command  = $this->plugin()->get( 'cli' );
		\WP_CLI::$lines = array();
		$command->resync( array(), array() );
		$this->assertGreaterThanOrEqual( $products, count( $this->queued( 'product.upserted' ) ) );
		$pools = array_column( array_column( $this->queued( 'stock.set' ), 'product' ), 'id' );
		$this->assertSame( count( $pools ), count( array_unique( $pools ) ), 'one stock level per pool, never once per inheriting variation' );
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		$command->flush( array(), array() );
		$this->assertStringStartsWith( 'Success: delivered ' . count( $this->queued() ), end( \WP_CLI::$lines ) );
		$command->status( array(), array( 'format' => 'json' ) );
		$status = json_decode( end( \WP_CLI::$lines ), true );
		$this->assertSame( 0, $status['queue']['pending'] );
	}
}
