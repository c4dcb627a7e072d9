<?php
/**
 * POST /wp-json/shelfguard/v1/adjustments: the daemon's signed stock adjustments. The one route
 * without a capability check: its permission is a valid Standard Webhooks signature by the
 * shared secret (or the previous one during a rotation's grace window).
 *
 * @package Shelfguard
 */

namespace Shelfguard\Rest;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Delivery\Signature;
use Shelfguard\Settings;

/** The signed ingress route. */
final class AdjustmentsController {

	const NAMESPACE      = 'shelfguard/v1';
	const BODY_BYTES_MAX = 1048576;
	const JSON_DEPTH_MAX = 8;

	/** @var Settings */
	private $settings;
	/** @var AdjustmentApplier */
	private $applier;

	/**
	 * @param Settings          $settings Secrets.
	 * @param AdjustmentApplier $applier  Applies one adjustment.
	 */
	public function __construct( Settings $settings, AdjustmentApplier $applier ) {
		$this->settings = $settings;
		$this->applier  = $applier;
	}

	/** Registers the route. */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/** Adds the route to the REST server. */
	public function register_routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/adjustments',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'handle' ),
				'permission_callback' => array( $this, 'verify_signature' ),
			)
		);
	}

	/**
	 * Refuses (401) any request not signed by a current secret within ±5 minutes.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function verify_signature( $request ) {
		$body = (string) $request->get_body();
		if ( strlen( $body ) > self::BODY_BYTES_MAX ) {
			return new \WP_Error( 'shelfguard_body_too_large', __( 'The body is larger than 1 MB.', 'shelfguard' ), array( 'status' => 413 ) );
		}
		$problem = Signature::verify(
			$this->settings->verifying_secrets( time() ),
			$request->get_header( 'webhook-id' ),
			$request->get_header( 'webhook-timestamp' ),
			$request->get_header( 'webhook-signature' ),
			$body,
			time()
		);
		if ( '' === $problem ) {
			return true;
		}
		$messages = array(
			'missing_headers'   => __( 'The webhook-id, webhook-timestamp and webhook-signature headers are required.', 'shelfguard' ),
			'invalid_timestamp' => __( 'webhook-timestamp must be Unix seconds.', 'shelfguard' ),
			'stale_timestamp'   => __( 'webhook-timestamp is more than 300 seconds away from this server\'s clock.', 'shelfguard' ),
			'invalid_signature' => __( 'webhook-signature does not match the body with any current secret.', 'shelfguard' ),
		);
		return new \WP_Error( 'shelfguard_' . $problem, $messages[ $problem ], array( 'status' => 401 ) );
	}

	/**
	 * Validates the whole batch first (400 and nothing applied when it is malformed), then
	 * applies each adjustment and answers one result per adjustment, in order.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function handle( $request ) {
		$type = (string) $request->get_header( 'content-type' );
		if ( 0 !== stripos( $type, 'application/json' ) ) {
			return new \WP_Error( 'shelfguard_unsupported_media_type', __( 'The body must be application/json.', 'shelfguard' ), array( 'status' => 415 ) );
		}
		$body = json_decode( (string) $request->get_body(), true, self::JSON_DEPTH_MAX );
		if ( JSON_ERROR_NONE !== json_last_error() ) {
			/* translators: %s: JSON parser message. */
			return new \WP_Error( 'shelfguard_invalid_json', sprintf( __( 'The body is not valid JSON: %s.', 'shelfguard' ), json_last_error_msg() ), array( 'status' => 400 ) );
		}
		$problem = AdjustmentValidator::problem( $body );
		if ( '' !== $problem ) {
			/* translators: %s: JSON path and what is wrong there. */
			return new \WP_Error( 'shelfguard_invalid_adjustments', sprintf( __( 'Malformed adjustments batch, nothing applied: %s.', 'shelfguard' ), $problem ), array( 'status' => 400 ) );
		}
		$results = array();
		foreach ( $body['adjustments'] as $adjustment ) {
			$results[] = $this->applier->apply( $adjustment, time() );
		}
		return new \WP_REST_Response( array( 'results' => $results ), 200 );
	}
}
