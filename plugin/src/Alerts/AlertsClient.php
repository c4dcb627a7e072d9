<?php
/**
 * The two daemon calls the alerts need: the unacknowledged alerts, and acknowledging one. They
 * use the admin token like the admin UI's proxy, with a shorter timeout than the proxy's,
 * because they run in WP-Cron and behind a dismiss button rather than for a screen that waits.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Alerts;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Settings;

/** HTTP to the daemon's /v1/admin/metrics/alerts routes. */
final class AlertsClient {

	const TIMEOUT_S  = 5;
	const PAGE_LIMIT = 100;

	/** @var Settings */
	private $settings;

	/**
	 * @param Settings $settings Where the daemon is and its admin token.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/** Whether the daemon URL and admin token are both set. */
	public function is_configured(): bool {
		return '' !== $this->settings->daemon_url() && '' !== $this->settings->admin_token();
	}

	/**
	 * GET /v1/admin/metrics/alerts?unacknowledged=1: the open alerts, newest first.
	 *
	 * @return array|\WP_Error Alerts (AlertFeed::parse) or what went wrong.
	 */
	public function open_alerts() {
		$outcome = $this->request( 'GET', 'metrics/alerts?unacknowledged=1&limit=' . self::PAGE_LIMIT );
		if ( is_wp_error( $outcome ) ) {
			return $outcome;
		}
		return AlertFeed::parse( $outcome['body'] );
	}

	/**
	 * POST /v1/admin/metrics/alerts/{id}/acknowledge. An alert the daemon no longer knows (404)
	 * counts as acknowledged: there is nothing left to dismiss.
	 *
	 * @param string $id Alert id, already checked against AlertFeed::ID_PATTERN.
	 * @return true|\WP_Error
	 */
	public function acknowledge( string $id ) {
		$outcome = $this->request( 'POST', 'metrics/alerts/' . rawurlencode( $id ) . '/acknowledge', array( 404 ) );
		return is_wp_error( $outcome ) ? $outcome : true;
	}

	/**
	 * One call; a WP_Error unless the daemon answered 2xx (or one of $also_ok).
	 *
	 * @param string $method  GET or POST.
	 * @param string $path    Path and query under /v1/admin/.
	 * @param int[]  $also_ok Statuses that count as success too.
	 * @return array|\WP_Error [status, body]
	 */
	private function request( string $method, string $path, array $also_ok = array() ) {
		if ( ! $this->is_configured() ) {
			return new \WP_Error( 'shelfguard_not_configured', __( 'Set the daemon URL and admin token in Shelfguard\'s settings first.', 'shelfguard' ) );
		}
		$args     = array(
			'method'      => $method,
			'timeout'     => self::TIMEOUT_S,
			'redirection' => 0,
			'user-agent'  => 'Shelfguard-WordPress/' . SHELFGUARD_VERSION,
			'headers'     => array(
				'Authorization' => 'Bearer ' . $this->settings->admin_token(),
				'Accept'        => 'application/json',
			),
		);
		if ( 'POST' === $method ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = '{}';
		}
		$response = wp_remote_request( $this->settings->daemon_url() . '/v1/admin/' . $path, $args );
		if ( is_wp_error( $response ) ) {
			return new \WP_Error( 'shelfguard_daemon_unreachable', __( 'The Shelfguard daemon did not answer.', 'shelfguard' ) );
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		if ( ( $status < 200 || $status >= 300 ) && ! in_array( $status, $also_ok, true ) ) {
			/* translators: %d: HTTP status code. */
			return new \WP_Error( 401 === $status ? 'shelfguard_daemon_unauthorized' : 'shelfguard_daemon_failed', sprintf( __( 'The Shelfguard daemon answered HTTP %d.', 'shelfguard' ), $status ) );
		}
		return array(
			'status' => $status,
			'body'   => (string) wp_remote_retrieve_body( $response ),
		);
	}
}
