<?php
/**
 * When delivery runs. At the end of a request that queued events: after the response has gone
 * (fastcgi_finish_request) where PHP-FPM allows it, otherwise as an asynchronous job, so that
 * checkout never waits on the daemon. Then every minute through Action Scheduler when
 * WooCommerce provides it, WP-Cron otherwise; each event's own next attempt time carries the
 * backoff. A daily job prunes delivered events and old adjustment keys.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Delivery;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Queue;
use Shelfguard\Rest\AppliedKeys;

/** Schedules and runs delivery. */
final class Scheduler {

	const HOOK_FLUSH       = 'shelfguard_flush';
	const HOOK_FLUSH_NOW   = 'shelfguard_flush_now';
	const HOOK_PRUNE       = 'shelfguard_prune';
	const GROUP            = 'shelfguard';
	const INTERVAL_S       = 60;
	const RUN_BATCHES_MAX  = 20;
	const RUN_BUDGET_S     = 20.0;
	const AFTER_RESPONSE_BATCHES_MAX = 2;
	const AFTER_RESPONSE_BUDGET_S    = 5.0;

	/** @var Dispatcher */
	private $dispatcher;
	/** @var Queue */
	private $queue;
	/** @var AppliedKeys */
	private $applied;

	/**
	 * @param Dispatcher  $dispatcher Delivery.
	 * @param Queue       $queue      Durable queue.
	 * @param AppliedKeys $applied    Applied adjustment keys (pruned daily).
	 */
	public function __construct( Dispatcher $dispatcher, Queue $queue, AppliedKeys $applied ) {
		$this->dispatcher = $dispatcher;
		$this->queue      = $queue;
		$this->applied    = $applied;
	}

	/** Hooks the jobs and the end-of-request delivery. */
	public function register(): void {
		add_filter( 'cron_schedules', array( $this, 'add_interval' ) );
		add_action( self::HOOK_FLUSH, array( $this, 'run' ) );
		add_action( self::HOOK_FLUSH_NOW, array( $this, 'run' ) );
		add_action( self::HOOK_PRUNE, array( $this, 'prune' ) );
		add_action( 'init', array( $this, 'ensure_scheduled' ), 20 );
		add_action( 'shutdown', array( $this, 'end_request' ), 20 );
	}

	/**
	 * Adds the one-minute WP-Cron interval.
	 *
	 * @param array $schedules Schedules.
	 */
	public function add_interval( $schedules ): array {
		$schedules['shelfguard_minute'] = array(
			'interval' => self::INTERVAL_S,
			'display'  => __( 'Every minute (Shelfguard delivery)', 'shelfguard' ),
		);
		return (array) $schedules;
	}

	/** Makes sure the recurring jobs exist; checked only where it costs no visitor anything. */
	public function ensure_scheduled(): void {
		if ( ! is_admin() && ! wp_doing_cron() && ! ( defined( 'WP_CLI' ) && WP_CLI ) ) {
			return;
		}
		if ( self::has_action_scheduler() ) {
			if ( ! as_has_scheduled_action( self::HOOK_FLUSH, array(), self::GROUP ) ) {
				as_schedule_recurring_action( time(), self::INTERVAL_S, self::HOOK_FLUSH, array(), self::GROUP );
			}
			wp_clear_scheduled_hook( self::HOOK_FLUSH );
		} elseif ( ! wp_next_scheduled( self::HOOK_FLUSH ) ) {
			wp_schedule_event( time(), 'shelfguard_minute', self::HOOK_FLUSH );
		}
		if ( ! wp_next_scheduled( self::HOOK_PRUNE ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'daily', self::HOOK_PRUNE );
		}
	}

	/** One delivery run (the scheduled jobs and WP-CLI use it). */
	public function run(): array {
		return $this->dispatcher->flush( self::RUN_BATCHES_MAX, self::RUN_BUDGET_S );
	}

	/** Daily housekeeping, in bounded batches. */
	public function prune(): void {
		$this->queue->prune( time() );
		$this->applied->prune( time() );
	}

	/** End of a request that queued events: deliver without making the visitor wait. */
	public function end_request(): void {
		if ( 0 === $this->queue->written_this_request() ) {
			return;
		}
		if ( function_exists( 'fastcgi_finish_request' ) && 'fpm-fcgi' === PHP_SAPI ) {
			fastcgi_finish_request();
			$this->dispatcher->flush( self::AFTER_RESPONSE_BATCHES_MAX, self::AFTER_RESPONSE_BUDGET_S );
			return;
		}
		if ( self::has_action_scheduler() ) {
			if ( ! as_has_scheduled_action( self::HOOK_FLUSH_NOW, array(), self::GROUP ) ) {
				as_enqueue_async_action( self::HOOK_FLUSH_NOW, array(), self::GROUP );
			}
			return;
		}
		if ( ! wp_next_scheduled( self::HOOK_FLUSH_NOW ) ) {
			wp_schedule_single_event( time(), self::HOOK_FLUSH_NOW );
		}
		// spawn_cron() is a non-blocking loopback request; a site that runs WP-Cron from the
		// system's cron has said it does not want one.
		if ( ! ( defined( 'DISABLE_WP_CRON' ) && DISABLE_WP_CRON ) && function_exists( 'spawn_cron' ) ) {
			spawn_cron();
		}
	}

	/** Removes every scheduled job (deactivation and uninstall). */
	public static function unschedule_all(): void {
		foreach ( array( self::HOOK_FLUSH, self::HOOK_FLUSH_NOW, self::HOOK_PRUNE ) as $hook ) {
			wp_clear_scheduled_hook( $hook );
			if ( function_exists( 'as_unschedule_all_actions' ) ) {
				as_unschedule_all_actions( $hook, array(), self::GROUP );
			}
		}
	}

	/** Whether WooCommerce's Action Scheduler is loaded. */
	private static function has_action_scheduler(): bool {
		return function_exists( 'as_schedule_recurring_action' ) && function_exists( 'as_has_scheduled_action' ) && function_exists( 'as_enqueue_async_action' );
	}
}
