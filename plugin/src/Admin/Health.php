<?php
/**
 * One judgement of delivery health, shared by the admin notice and Site Health so that both
 * always say the same thing.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Admin;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\QueueReport;
use Shelfguard\Settings;

/** Delivery health. */
final class Health {

	/** Undelivered for longer than this means the daemon has been away too long. */
	const BACKLOG_AGE_S = 15 * MINUTE_IN_SECONDS;

	/**
	 * Problems as [ severity (critical|recommended), sentence ], empty when all is well.
	 *
	 * @param Settings    $settings Configuration.
	 * @param QueueReport $report   Queue views.
	 * @param int         $now      Unix time.
	 */
	public static function problems( Settings $settings, QueueReport $report, int $now ): array {
		$problems = array();
		if ( '' === $settings->daemon_url() || '' === $settings->secret() ) {
			$problems[] = array( 'recommended', __( 'Shelfguard is not connected: set the daemon URL and generate the shared secret. Stock changes are queued until then.', 'shelfguard' ) );
		}
		$stats = $report->stats( $now );
		if ( $stats['dead'] > 0 ) {
			/* translators: %d: number of events. */
			$problems[] = array( 'critical', sprintf( _n( '%d stock change could not be delivered to the Shelfguard daemon and was set aside.', '%d stock changes could not be delivered to the Shelfguard daemon and were set aside.', $stats['dead'], 'shelfguard' ), $stats['dead'] ) );
		}
		if ( $stats['pending'] > 0 && $stats['oldest_pending_s'] > self::BACKLOG_AGE_S ) {
			/* translators: 1: number of events, 2: minutes. */
			$problems[] = array( 'critical', sprintf( __( '%1$d stock changes are waiting for the Shelfguard daemon, the oldest for %2$d minutes; marketplaces may be selling stock that is gone.', 'shelfguard' ), $stats['pending'], (int) floor( $stats['oldest_pending_s'] / 60 ) ) );
		}
		return $problems;
	}
}
