<?php
/**
 * shelfguard/v1/admin/<path>: forwards the admin UI's calls to the daemon's admin API
 * ({daemon}/v1/admin/<path>) with the admin token, so the token and the daemon's address stay
 * on the server. Only allow-listed top-level resources are forwarded, only GET and POST, only
 * for users with manage_woocommerce.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Rest;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Delivery\DaemonClient;
use Shelfguard\Settings;

/** REST proxy to the daemon's admin API. */
final class DaemonProxy {

	// The admin UI also reads stock, oversells, pushes and dead letters, and starts reconciliation runs.
	const RESOURCES      = array( 'overview', 'channels', 'products', 'listings', 'skus', 'stock', 'metrics', 'orders', 'returns', 'audit', 'movements', 'reconciliations', 'alerts', 'oversells', 'pushes', 'dead-letters', 'reconcile' );
	// No '@': WordPress wraps route patterns in @ delimiters. One hyphen is allowed for dead-letters.
	const PATH_PATTERN   = '[a-z]+(?:-[a-z]+)?(?:/[A-Za-z0-9_~:-][A-Za-z0-9._~:-]{0,99}){0,5}';
	const QUERY_MAX      = 20;
	const QUERY_VALUE_MAX = 200;
	const BODY_BYTES_MAX = 1048576;
	const SKIPPED_PARAMS = array( '_wpnonce', '_locale', 'rest_route', '_envelope', '_fields', '_method' );

	/** @var Settings */
	private $settings;
	/** @var DaemonClient */
	private $client;

	/**
	 * @param Settings     $settings Configuration.
	 * @param DaemonClient $client   HTTP to the daemon.
	 */
	public function __construct( Settings $settings, DaemonClient $client ) {
		$this->settings = $settings;
		$this->client   = $client;
	}

	/** Registers the route. */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/** Adds the route to the REST server. */
	public function register_routes(): void {
		register_rest_route(
			AdminController::NAMESPACE,
			'/admin/(?P<path>' . self::PATH_PATTERN . ')',
			array(
				'methods'             => array( 'GET', 'POST' ),
				'callback'            => array( $this, 'forward' ),
				'permission_callback' => array( AdminController::class, 'can_manage' ),
			)
		);
	}

	/**
	 * Forwards one call and returns the daemon's JSON and status.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function forward( $request ) {
		$path     = (string) $request['path'];
		$resource = strtok( $path, '/' );
		if ( ! in_array( $resource, self::RESOURCES, true ) ) {
			/* translators: %s: resource name. */
			return new \WP_Error( 'shelfguard_not_proxied', sprintf( __( 'The daemon resource "%s" is not available through WordPress.', 'shelfguard' ), $resource ), array( 'status' => 404 ) );
		}
		if ( '' === $this->settings->daemon_url() || '' === $this->settings->admin_token() ) {
			return new \WP_Error( 'shelfguard_not_configured', __( 'Set the daemon URL and admin token in Shelfguard\'s settings first.', 'shelfguard' ), array( 'status' => 503 ) );
		}
		$query = $this->query( $request->get_query_params() );
		if ( is_wp_error( $query ) ) {
			return $query;
		}
		$body = null;
		if ( 'POST' === $request->get_method() ) {
			$body = (string) $request->get_body();
			if ( strlen( $body ) > self::BODY_BYTES_MAX || ( '' !== $body && null === json_decode( $body ) ) ) {
				return new \WP_Error( 'shelfguard_invalid_body', __( 'The body must be JSON of at most 1 MB.', 'shelfguard' ), array( 'status' => 400 ) );
			}
		}
		$outcome = $this->client->admin( $request->get_method(), $path, $query, $body );
		if ( 0 === $outcome['status'] ) {
			return new \WP_Error( 'shelfguard_daemon_unreachable', __( 'The Shelfguard daemon did not answer.', 'shelfguard' ), array( 'status' => 502 ) );
		}
		$data = json_decode( $outcome['body'], true );
		if ( null === $data && '' !== trim( $outcome['body'] ) ) {
			return new \WP_Error( 'shelfguard_daemon_bad_response', __( 'The Shelfguard daemon answered with something other than JSON.', 'shelfguard' ), array( 'status' => 502 ) );
		}
		return new \WP_REST_Response( $data, $outcome['status'] );
	}

	/**
	 * The query parameters worth forwarding: short scalar values under plain names.
	 *
	 * @param array $params Query parameters of the incoming request.
	 * @return array|\WP_Error
	 */
	private function query( array $params ) {
		$query = array();
		foreach ( $params as $name => $value ) {
			if ( in_array( $name, self::SKIPPED_PARAMS, true ) ) {
				continue;
			}
			if ( ! preg_match( '/^[a-z][a-z0-9_]{0,39}$/', (string) $name ) || ! is_scalar( $value ) || strlen( (string) $value ) > self::QUERY_VALUE_MAX || count( $query ) >= self::QUERY_MAX ) {
				return new \WP_Error( 'shelfguard_invalid_query', __( 'Query parameters must be at most 20 plain names with values of at most 200 characters.', 'shelfguard' ), array( 'status' => 400 ) );
			}
			$query[ $name ] = (string) $value;
		}
		return $query;
	}
}
