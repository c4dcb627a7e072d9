<?php
/**
 * The last answer the daemon gave about unacknowledged seller-standing alerts, kept in one
 * option so that admin pages show notices without ever waiting on the daemon. The poller writes
 * it; the notices and the acknowledge action read it.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Alerts;

defined( 'ABSPATH' ) || exit;

/** Cached alerts and the health of the last poll. */
final class AlertFeed {

	const OPTION        = 'shelfguard_alerts';
	const ID_PATTERN    = '/^[a-z]{2}_[0-9A-Z]{26}$/';
	const LEVELS        = array( 'ok', 'warning', 'critical', 'breached' );
	const MESSAGE_MAX   = 400;
	const ALERTS_MAX    = 100;

	/**
	 * The cached state: alerts (newest first), checked_at, error ('' when the last poll worked)
	 * and failing_since (0 while the daemon answers).
	 */
	public function state(): array {
		$state = get_option( self::OPTION, array() );
		$state = is_array( $state ) ? $state : array();
		return array(
			'alerts'        => isset( $state['alerts'] ) && is_array( $state['alerts'] ) ? $state['alerts'] : array(),
			'checked_at'    => (int) ( $state['checked_at'] ?? 0 ),
			'error'         => (string) ( $state['error'] ?? '' ),
			'failing_since' => (int) ( $state['failing_since'] ?? 0 ),
		);
	}

	/** The alerts to show, newest first. */
	public function alerts(): array {
		return $this->state()['alerts'];
	}

	/**
	 * Stores a successful poll's alerts.
	 *
	 * @param array $alerts Validated alerts (see parse()).
	 * @param int   $now    Unix time.
	 */
	public function save_alerts( array $alerts, int $now ): void {
		$this->write(
			array(
				'alerts'        => array_slice( $alerts, 0, self::ALERTS_MAX ),
				'checked_at'    => $now,
				'error'         => '',
				'failing_since' => 0,
			)
		);
	}

	/**
	 * Records a failed poll; the alerts last read stay, since nothing says they were resolved.
	 *
	 * @param string $error Short reason (no secrets: a status or a network error class).
	 * @param int    $now   Unix time.
	 */
	public function save_failure( string $error, int $now ): void {
		$state                  = $this->state();
		$state['checked_at']    = $now;
		$state['error']         = substr( $error, 0, 200 );
		$state['failing_since'] = $state['failing_since'] > 0 ? $state['failing_since'] : $now;
		$this->write( $state );
	}

	/**
	 * Drops one alert from the cache once the daemon has it acknowledged.
	 *
	 * @param string $id Alert id.
	 */
	public function forget( string $id ): void {
		$state           = $this->state();
		$state['alerts'] = array_values(
			array_filter(
				$state['alerts'],
				static function ( $alert ) use ( $id ) {
					return $alert['id'] !== $id;
				}
			)
		);
		$this->write( $state );
	}

	/**
	 * Validates the daemon's GET /v1/admin/metrics/alerts answer. Returns the alerts in the shape
	 * the plugin keeps, or a WP_Error naming what is wrong; a malformed alert rejects the whole
	 * answer, so a half-read list never stands for the daemon's.
	 *
	 * @param string $body JSON body.
	 * @return array|\WP_Error
	 */
	public static function parse( string $body ) {
		$data = json_decode( $body, true );
		if ( ! is_array( $data ) || ! isset( $data['alerts'] ) || ! is_array( $data['alerts'] ) || array_values( $data['alerts'] ) !== $data['alerts'] ) {
			return new \WP_Error( 'shelfguard_alerts_bad_response', 'the daemon\'s answer has no "alerts" list' );
		}
		$alerts = array();
		foreach ( $data['alerts'] as $index => $row ) {
			$alert = self::parse_one( $row );
			if ( is_string( $alert ) ) {
				return new \WP_Error( 'shelfguard_alerts_bad_response', sprintf( 'alerts[%d]: %s', $index, $alert ) );
			}
			$alerts[] = $alert;
		}
		return $alerts;
	}

	/**
	 * One alert, or a sentence saying what is wrong with it.
	 *
	 * @param mixed $row One row of the daemon's list.
	 * @return array|string
	 */
	private static function parse_one( $row ) {
		if ( ! is_array( $row ) ) {
			return 'is not an object';
		}
		$checks = array(
			'id'         => is_string( $row['id'] ?? null ) && preg_match( self::ID_PATTERN, $row['id'] ),
			'channel'    => is_string( $row['channel'] ?? null ) && preg_match( '/^[a-z0-9_-]{1,32}$/', $row['channel'] ),
			'metric'     => is_string( $row['metric'] ?? null ) && preg_match( '/^[a-z0-9_]{1,64}$/', $row['metric'] ),
			'level'      => in_array( $row['level'] ?? null, self::LEVELS, true ),
			'message'    => is_string( $row['message'] ?? null ) && strlen( $row['message'] ) <= self::MESSAGE_MAX * 4,
			'headroom'   => ! isset( $row['headroom'] ) || self::is_whole( $row['headroom'] ),
			'created_at' => self::is_whole( $row['created_at'] ?? null ) && (int) $row['created_at'] > 0,
		);
		foreach ( $checks as $field => $ok ) {
			if ( ! $ok ) {
				return sprintf( '"%s" is missing or not what the daemon sends', $field );
			}
		}
		return array(
			'id'         => $row['id'],
			'channel'    => $row['channel'],
			'metric'     => $row['metric'],
			'level'      => $row['level'],
			'message'    => wp_strip_all_tags( $row['message'] ),
			'headroom'   => isset( $row['headroom'] ) ? (int) $row['headroom'] : null,
			'created_at' => (int) $row['created_at'],
		);
	}

	/**
	 * Whether a value is a whole number (MySQL's large integers may arrive as digit strings).
	 *
	 * @param mixed $value Value.
	 */
	private static function is_whole( $value ): bool {
		return is_int( $value ) || ( is_string( $value ) && preg_match( '/^[0-9]{1,15}$/', $value ) );
	}

	/**
	 * Writes the state without autoloading: only admin pages of managers read it.
	 *
	 * @param array $state State.
	 */
	private function write( array $state ): void {
		update_option( self::OPTION, $state, false );
	}
}
