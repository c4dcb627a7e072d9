<?php
/**
 * The admin page's own REST routes under shelfguard/v1: delivery status, dead-letter retry and
 * the connection test. Every route requires manage_woocommerce; WordPress's cookie
 * authentication adds the nonce check (without a valid wp_rest nonce the user is anonymous).
 *
 * @package Shelfguard
 */

namespace Shelfguard\Rest;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Delivery\DaemonClient;
use Shelfguard\Queue\Queue;
use Shelfguard\Queue\QueueReport;
use Shelfguard\Settings;

/** Status routes for the admin page. */
final class AdminController {

	const NAMESPACE = 'shelfguard/v1';

	/** @var Settings */
	private $settings;
	/** @var Queue */
	private $queue;
	/** @var QueueReport */
	private $report;
	/** @var DaemonClient */
	private $client;

	/**
	 * @param Settings     $settings Configuration.
	 * @param Queue        $queue    Durable queue.
	 * @param QueueReport  $report   Queue views.
	 * @param DaemonClient $client   HTTP to the daemon.
	 */
	public function __construct( Settings $settings, Queue $queue, QueueReport $report, DaemonClient $client ) {
		$this->settings = $settings;
		$this->queue    = $queue;
		$this->report   = $report;
		$this->client   = $client;
	}

	/** Registers the routes. */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/** Adds the routes to the REST server. */
	public function register_routes(): void {
		$permission = array( self::class, 'can_manage' );
		register_rest_route( self::NAMESPACE, '/status', array( 'methods' => 'GET', 'callback' => array( $this, 'status' ), 'permission_callback' => $permission ) );
		register_rest_route(
			self::NAMESPACE,
			'/dead-letters/retry',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'retry_dead' ),
				'permission_callback' => $permission,
				'args'                => array(
					'ids' => array(
						'type'     => 'array',
						'items'    => array( 'type' => 'integer', 'minimum' => 1 ),
						'maxItems' => 1000,
					),
				),
			)
		);
		register_rest_route( self::NAMESPACE, '/connection-test', array( 'methods' => 'POST', 'callback' => array( $this, 'connection_test' ), 'permission_callback' => $permission ) );
	}

	/**
	 * Only users who may manage WooCommerce; 401 for visitors, 403 for other users.
	 *
	 * @return true|\WP_Error
	 */
	public static function can_manage() {
		if ( current_user_can( 'manage_woocommerce' ) ) {
			return true;
		}
		return new \WP_Error( 'rest_forbidden', __( 'You need the manage_woocommerce capability to use Shelfguard.', 'shelfguard' ), array( 'status' => rest_authorization_required_code() ) );
	}

	/** Backlog, dead letters, last delivery and the (masked) settings. */
	public function status(): \WP_REST_Response {
		return new \WP_REST_Response(
			array(
				'queue'         => $this->report->stats( time() ),
				'dead_letters'  => $this->report->dead_letters( 50 ),
				'last_delivery' => get_option( \Shelfguard\Delivery\Dispatcher::LAST_OPTION, null ),
				'settings'      => $this->settings->summary( time() ),
			),
			200
		);
	}

	/**
	 * Puts dead letters back in the queue (the given ids, or all).
	 *
	 * @param \WP_REST_Request $request Request.
	 */
	public function retry_dead( $request ): \WP_REST_Response {
		$ids = $request->get_param( 'ids' );
		return new \WP_REST_Response( array( 'requeued' => $this->queue->requeue_dead( is_array( $ids ) ? $ids : null, time() ) ), 200 );
	}

	/** GET {daemon}/readyz and report what came back. */
	public function connection_test(): \WP_REST_Response {
		if ( '' === $this->settings->daemon_url() ) {
			return new \WP_REST_Response( array( 'ok' => false, 'message' => __( 'Set the daemon URL first.', 'shelfguard' ) ), 200 );
		}
		$outcome = $this->client->probe();
		$ok      = 200 === $outcome['status'];
		return new \WP_REST_Response(
			array(
				'ok'      => $ok,
				'status'  => $outcome['status'],
				'message' => $ok ? __( 'The daemon is ready.', 'shelfguard' ) : $outcome['error'],
			),
			200
		);
	}
}
