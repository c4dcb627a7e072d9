<?php
/**
 * WP-CLI: wp shelfguard status | flush | resync.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Cli;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Capture\EventFactory;
use Shelfguard\Delivery\Dispatcher;
use Shelfguard\Queue\Queue;
use Shelfguard\Queue\QueueReport;

/** Operator commands for Shelfguard's delivery queue. */
final class Command {

	const RESYNC_PAGE = 200;

	/** @var Queue */
	private $queue;
	/** @var QueueReport */
	private $report;
	/** @var Dispatcher */
	private $dispatcher;
	/** @var EventFactory */
	private $events;

	/**
	 * @param Queue        $queue      Durable queue.
	 * @param QueueReport  $report     Queue views.
	 * @param Dispatcher   $dispatcher Delivery.
	 * @param EventFactory $events     Event builder.
	 */
	public function __construct( Queue $queue, QueueReport $report, Dispatcher $dispatcher, EventFactory $events ) {
		$this->queue      = $queue;
		$this->report     = $report;
		$this->dispatcher = $dispatcher;
		$this->events     = $events;
	}

	/** Registers the command when WP-CLI runs. */
	public function register(): void {
		if ( defined( 'WP_CLI' ) && WP_CLI && class_exists( '\WP_CLI' ) ) {
			\WP_CLI::add_command( 'shelfguard', $this );
		}
	}

	/**
	 * Shows the backlog and the dead letters.
	 *
	 * [--format=<format>]
	 * : table or json.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function status( $args, $assoc_args ): void {
		$stats = $this->report->stats( time() );
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			\WP_CLI::line( (string) wp_json_encode( array( 'queue' => $stats, 'dead_letters' => $this->report->dead_letters( 100 ) ) ) );
			return;
		}
		foreach ( $stats as $name => $value ) {
			\WP_CLI::line( sprintf( '%-18s %s', $name, is_scalar( $value ) ? (string) $value : '' ) );
		}
	}

	/**
	 * Delivers every due event now.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function flush( $args, $assoc_args ): void {
		$result = $this->dispatcher->flush( 1000, 300.0 );
		$line   = sprintf( 'delivered %d, dead-lettered %d, retrying %d', $result['delivered'], $result['dead'], $result['retrying'] );
		'' === $result['error'] ? \WP_CLI::success( $line ) : \WP_CLI::warning( $line . ' (' . $result['error'] . ')' );
	}

	/**
	 * Queues the whole catalogue and every stock level, for a first sync or after an outage
	 * longer than the retry window.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function resync( $args, $assoc_args ): void {
		$queued = 0;
		for ( $page = 1; ; $page++ ) {
			$ids = get_posts( array( 'post_type' => array( 'product', 'product_variation' ), 'post_status' => 'any', 'fields' => 'ids', 'posts_per_page' => self::RESYNC_PAGE, 'paged' => $page, 'orderby' => 'ID', 'order' => 'ASC' ) );
			if ( ! $ids ) {
				break;
			}
			foreach ( $ids as $id ) {
				$product = wc_get_product( $id );
				if ( ! $product ) {
					continue;
				}
				$upsert = $this->events->upserted( $product, microtime( true ) );
				$queued += $upsert && $this->queue->enqueue( $upsert, time() ) ? 1 : 0;
				if ( $product->get_stock_managed_by_id() === $product->get_id() ) {
					$queued += $this->queue->enqueue( $this->events->stock_set( $product, microtime( true ) ), time() ) ? 1 : 0;
				}
			}
		}
		\WP_CLI::success( sprintf( 'queued %d events; run "wp shelfguard flush" or let the scheduler deliver them', $queued ) );
	}
}
