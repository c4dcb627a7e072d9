<?php
/**
 * When to try a failed delivery again: 5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h, for
 * about three days in all (the Standard Webhooks example schedule); then it is dead-lettered.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Queue;

defined( 'ABSPATH' ) || exit;

/** Pure retry schedule. */
final class Backoff {

	const DELAYS_S      = array( 5, 300, 1800, 7200, 18000 );
	const LATER_DELAY_S = 36000;
	/** 13 attempts, 12 waits: 5 s + 5 min + 30 min + 2 h + 5 h + 7 × 10 h ≈ 3.2 days of trying. */
	const ATTEMPTS_MAX = 13;

	/**
	 * Seconds to wait after the given number of failed attempts, or null when the event has had
	 * all its attempts and must be dead-lettered.
	 *
	 * @param int $attempts Attempts made so far (at least 1).
	 */
	public static function delay_s( int $attempts ): ?int {
		if ( $attempts >= self::ATTEMPTS_MAX ) {
			return null;
		}
		$index = max( 0, $attempts - 1 );
		return self::DELAYS_S[ $index ] ?? self::LATER_DELAY_S;
	}
}
