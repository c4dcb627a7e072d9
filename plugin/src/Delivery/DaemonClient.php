<?php
/**
 * HTTP to the daemon: signed event batches, the readiness probe and the admin API. All calls
 * are bounded by a timeout; none carries the secret in anything but the signature.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Delivery;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Settings;

/** Talks to the daemon over HTTP. */
final class DaemonClient {

	const EVENTS_TIMEOUT_S = 10;
	const PROBE_TIMEOUT_S  = 5;
	const ADMIN_TIMEOUT_S  = 15;
	const USER_AGENT       = 'Shelfguard-WordPress/';

	/** @var Settings */
	private $settings;

	/**
	 * @param Settings $settings Where the daemon is and the secrets.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Sends one signed batch to POST /v1/events.
	 *
	 * @param string $message_id webhook-id (the same for a retry of the same events).
	 * @param string $body       JSON body.
	 * @param int    $now        Unix time for webhook-timestamp.
	 * @return array{status:int, body:string, error:string} status 0 when no HTTP answer came.
	 */
	public function post_events( string $message_id, string $body, int $now ): array {
		$response = wp_remote_post(
			$this->settings->daemon_url() . '/v1/events',
			array(
				'timeout'     => self::EVENTS_TIMEOUT_S,
				'redirection' => 0,
				'user-agent'  => self::USER_AGENT . SHELFGUARD_VERSION,
				'headers'     => array(
					'Content-Type'      => 'application/json',
					'webhook-id'        => $message_id,
					'webhook-timestamp' => (string) $now,
					'webhook-signature' => Signature::sign( $this->settings->secret(), $message_id, $now, $body ),
				),
				'body'        => $body,
			)
		);
		return self::outcome( $response );
	}

	/** GET {daemon}/readyz: whether the daemon is up and can commit. */
	public function probe(): array {
		return self::outcome(
			wp_remote_get(
				$this->settings->daemon_url() . '/readyz',
				array(
					'timeout'     => self::PROBE_TIMEOUT_S,
					'redirection' => 0,
					'user-agent'  => self::USER_AGENT . SHELFGUARD_VERSION,
				)
			)
		);
	}

	/**
	 * Forwards a call to the daemon's admin API with the admin token.
	 *
	 * @param string      $method GET or POST.
	 * @param string      $path   Path under /v1/admin/, already allow-listed.
	 * @param array       $query  Query parameters.
	 * @param string|null $body   JSON body for POST.
	 */
	public function admin( string $method, string $path, array $query, ?string $body ): array {
		$url = $this->settings->daemon_url() . '/v1/admin/' . $path;
		if ( $query ) {
			$url = add_query_arg( array_map( 'rawurlencode', $query ), $url );
		}
		$args = array(
			'method'      => $method,
			'timeout'     => self::ADMIN_TIMEOUT_S,
			'redirection' => 0,
			'user-agent'  => self::USER_AGENT . SHELFGUARD_VERSION,
			'headers'     => array(
				'Authorization' => 'Bearer ' . $this->settings->admin_token(),
				'Accept'        => 'application/json',
			),
		);
		if ( null !== $body ) {
			$args['headers']['Content-Type'] = 'application/json';
			$args['body']                    = $body;
		}
		return self::outcome( wp_remote_request( $url, $args ) );
	}

	/**
	 * Status, body and a short error text of a wp_remote_* result.
	 *
	 * @param array|\WP_Error $response Response.
	 */
	private static function outcome( $response ): array {
		if ( is_wp_error( $response ) ) {
			return array(
				'status' => 0,
				'body'   => '',
				'error'  => 'network: ' . $response->get_error_message(),
			);
		}
		$status = (int) wp_remote_retrieve_response_code( $response );
		return array(
			'status' => $status,
			'body'   => (string) wp_remote_retrieve_body( $response ),
			'error'  => $status >= 200 && $status < 300 ? '' : 'http ' . $status,
		);
	}
}
