<?php
/**
 * When delivery runs. At the end of a request that queued events: after the response has gone
 * (fastcgi_finish_request) where PHP-FPM allows it; elsewhere (mod_php, CGI, the CLI) a
 * non-blocking loopback request to admin-post.php delivers at once, with an asynchronous job as
 * the safety net — Action Scheduler only runs its async queue on admin requests and WP-Cron only
 * when an event is due, so without the loopback a storefront sale could wait a minute. While the
 * daemon is failing, only the minute job retries (see Dispatcher::last_delivery_ok). Checkout
 * never waits on the daemon. Then every minute through Action Scheduler when WooCommerce
 * provides it, WP-Cron otherwise; each event's own next attempt time carries the backoff. A daily
 * job prunes delivered events and old adjustment keys.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Delivery;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\Queue;
use Shelfguard\Rest\AppliedKeys;
use Shelfguard\Settings;

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
	/** The admin-post.php action the loopback calls; a token from the shared secret guards it. */
	const LOOPBACK_ACTION = 'shelfguard_deliver';
	const LOOPBACK_TOKEN_WINDOW_S = 60;

	/** @var Dispatcher */
	private $dispatcher;
	/** @var Queue */
	private $queue;
	/** @var AppliedKeys */
	private $applied;
	/** @var Settings */
	private $settings;

	/**
	 * @param Dispatcher  $dispatcher Delivery.
	 * @param Queue       $queue      Durable queue.
	 * @param AppliedKeys $applied    Applied adjustment keys (pruned daily).
	 * @param Settings    $settings   The shared secret that signs the loopback's token.
	 */
	public function __construct( Dispatcher $dispatcher, Queue $queue, AppliedKeys $applied, Settings $settings ) {
		$this->dispatcher = $dispatcher;
		$this->queue      = $queue;
		$this->applied    = $applied;
		$this->settings   = $settings;
	}

	/** Hooks the jobs and the end-of-request delivery. */
	public function register(): void {
		add_filter( 'cron_schedules', array( $this, 'add_interval' ) );
		add_action( self::HOOK_FLUSH, array( $this, 'run' ) );
		add_action( self::HOOK_FLUSH_NOW, array( $this, 'run' ) );
		add_action( self::HOOK_PRUNE, array( $this, 'prune' ) );
		add_action( 'init', array( $this, 'ensure_scheduled' ), 20 );
		add_action( 'shutdown', array( $this, 'end_request' ), 20 );
		add_action( 'admin_post_nopriv_' . self::LOOPBACK_ACTION, array( $this, 'handle_loopback' ) );
		add_action( 'admin_post_' . self::LOOPBACK_ACTION, array( $this, 'handle_loopback' ) );
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
		// The safety net first: should the loopback not arrive, the job delivers.
		if ( self::has_action_scheduler() ) {
			if ( ! as_has_scheduled_action( self::HOOK_FLUSH_NOW, array(), self::GROUP ) ) {
				as_enqueue_async_action( self::HOOK_FLUSH_NOW, array(), self::GROUP );
			}
		} elseif ( ! wp_next_scheduled( self::HOOK_FLUSH_NOW ) ) {
			wp_schedule_single_event( time(), self::HOOK_FLUSH_NOW );
		}
		$this->send_loopback();
	}

	/**
	 * A non-blocking request to this site that delivers what this request queued. Sites whose
	 * loopback requests fail (or that turn it off with the `shelfguard_delivery_loopback` filter)
	 * still deliver through the scheduled job, which alone retries while the daemon is failing.
	 */
	private function send_loopback(): void {
		$secret = $this->settings->secret();
		if ( '' === $secret || ! $this->dispatcher->last_delivery_ok() || ! apply_filters( 'shelfguard_delivery_loopback', true ) ) {
			return;
		}
		wp_remote_post(
			admin_url( 'admin-post.php' ),
			array(
				'blocking'  => false,
				'timeout'   => 0.01,
				'body'      => array(
					'action' => self::LOOPBACK_ACTION,
					'token'  => self::loopback_token( $secret, time() ),
				),
				// As WP-Cron's own loopback: a local certificate need not verify.
				'sslverify' => apply_filters( 'https_local_ssl_verify', false ),
			)
		);
	}

	/**
	 * The loopback's token: an HMAC of the current minute under the shared secret, so only this
	 * site can start a delivery run, and a captured token is useless a minute later.
	 *
	 * @param string $secret The shared secret.
	 * @param int    $now    Unix time.
	 */
	public static function loopback_token( string $secret, int $now ): string {
		return hash_hmac( 'sha256', self::LOOPBACK_ACTION . '|' . intdiv( $now, self::LOOPBACK_TOKEN_WINDOW_S ), $secret );
	}

	/** admin-post.php?action=shelfguard_deliver: one bounded delivery run for a valid token. */
	public function handle_loopback(): void {
		// The sender hangs up at once; the run must not stop when it does.
		ignore_user_abort( true );
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- a loopback carries an HMAC token, not a nonce.
		$token  = isset( $_POST['token'] ) && is_string( $_POST['token'] ) ? sanitize_text_field( wp_unslash( $_POST['token'] ) ) : '';
		$secret = $this->settings->secret();
		$now    = time();
		$valid  = '' !== $secret && '' !== $token && (
			hash_equals( self::loopback_token( $secret, $now ), $token )
			|| hash_equals( self::loopback_token( $secret, $now - self::LOOPBACK_TOKEN_WINDOW_S ), $token )
		);
		if ( ! $valid ) {
			status_header( 403 );
			exit;
		}
		$this->dispatcher->flush( self::AFTER_RESPONSE_BATCHES_MAX, self::AFTER_RESPONSE_BUDGET_S );
		status_header( 204 );
		exit;
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
