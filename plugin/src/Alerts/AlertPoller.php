<?php
/**
 * Every minute (Action Scheduler when WooCommerce provides it, WP-Cron otherwise) asks the
 * daemon for the unacknowledged seller-standing alerts, keeps them for the admin notices, and
 * e-mails the new ones. Page loads only ever read what this stored.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Alerts;

defined( 'ABSPATH' ) || exit;

/** Polls the daemon's alerts. */
final class AlertPoller {

	const HOOK        = 'shelfguard_poll_alerts';
	const GROUP       = 'shelfguard';
	const INTERVAL_S  = 60;
	const LOCK_OPTION = 'shelfguard_alerts_lock';
	const LOCK_TTL_S  = 60;

	/** @var AlertsClient */
	private $client;
	/** @var AlertFeed */
	private $feed;
	/** @var AlertMailer */
	private $mailer;

	/**
	 * @param AlertsClient $client HTTP to the daemon.
	 * @param AlertFeed    $feed   Cached alerts.
	 * @param AlertMailer  $mailer E-mail, once per alert.
	 */
	public function __construct( AlertsClient $client, AlertFeed $feed, AlertMailer $mailer ) {
		$this->client = $client;
		$this->feed   = $feed;
		$this->mailer = $mailer;
	}

	/** Hooks the job, makes sure it is scheduled, and removes it on deactivation. */
	public function register(): void {
		add_action( self::HOOK, array( $this, 'poll' ) );
		add_action( 'init', array( $this, 'ensure_scheduled' ), 20 );
		if ( defined( 'SHELFGUARD_FILE' ) ) {
			register_deactivation_hook( SHELFGUARD_FILE, array( self::class, 'unschedule' ) );
		}
	}

	/** Schedules the poll; checked only where it costs no visitor anything. */
	public function ensure_scheduled(): void {
		if ( ! is_admin() && ! wp_doing_cron() && ! ( defined( 'WP_CLI' ) && WP_CLI ) ) {
			return;
		}
		if ( function_exists( 'as_schedule_recurring_action' ) && function_exists( 'as_has_scheduled_action' ) ) {
			if ( ! as_has_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
				as_schedule_recurring_action( time(), self::INTERVAL_S, self::HOOK, array(), self::GROUP );
			}
			wp_clear_scheduled_hook( self::HOOK );
		} elseif ( ! wp_next_scheduled( self::HOOK ) ) {
			// The one-minute interval is the delivery scheduler's (Delivery\Scheduler::add_interval).
			wp_schedule_event( time(), 'shelfguard_minute', self::HOOK );
		}
	}

	/**
	 * One poll: read the open alerts, store them, mail the new ones. Returns what happened, for
	 * tests and WP-CLI: status (ok|failed|busy|not_configured), alerts, mailed, error.
	 */
	public function poll(): array {
		if ( ! $this->client->is_configured() ) {
			return array( 'status' => 'not_configured', 'alerts' => 0, 'mailed' => array(), 'error' => '' );
		}
		if ( ! $this->lock() ) {
			return array( 'status' => 'busy', 'alerts' => 0, 'mailed' => array(), 'error' => '' );
		}
		try {
			$now    = time();
			$alerts = $this->client->open_alerts();
			if ( is_wp_error( $alerts ) ) {
				$this->feed->save_failure( $alerts->get_error_code(), $now );
				return array( 'status' => 'failed', 'alerts' => 0, 'mailed' => array(), 'error' => $alerts->get_error_message() );
			}
			$this->feed->save_alerts( $alerts, $now );
			return array( 'status' => 'ok', 'alerts' => count( $alerts ), 'mailed' => $this->mailer->mail_new( $alerts, $now ), 'error' => '' );
		} finally {
			delete_option( self::LOCK_OPTION );
		}
	}

	/** Removes the scheduled poll (deactivation and uninstall). */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
	}

	/** One poll at a time: add_option is an INSERT, so only one of two racing polls gets it. */
	private function lock(): bool {
		if ( add_option( self::LOCK_OPTION, time() + self::LOCK_TTL_S, '', 'no' ) ) {
			return true;
		}
		wp_cache_delete( self::LOCK_OPTION, 'options' );
		if ( (int) get_option( self::LOCK_OPTION, 0 ) < time() ) {
			// A poll that died holding the lock: take it over.
			delete_option( self::LOCK_OPTION );
			return add_option( self::LOCK_OPTION, time() + self::LOCK_TTL_S, '', 'no' );
		}
		return false;
	}
}
