<?php
/**
 * The notice's Acknowledge button: a POST to admin-post.php that only users with
 * manage_woocommerce and the alert's own nonce get through. It acknowledges the alert at the
 * daemon, drops it from the cached notices, and goes back to the page it came from. An alert
 * acknowledged on the admin UI's Seller standing screen (through the REST proxy) leaves the
 * cached notices as well.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Alerts;

defined( 'ABSPATH' ) || exit;

/** Acknowledges one alert at the daemon. */
final class AlertAcknowledger {

	const ACTION  = 'shelfguard_acknowledge_alert';
	const FLASH   = 'shelfguard_alert_flash_';
	const FLASH_TTL_S = 300;

	/** @var AlertsClient */
	private $client;
	/** @var AlertFeed */
	private $feed;

	/**
	 * @param AlertsClient $client HTTP to the daemon.
	 * @param AlertFeed    $feed   Cached alerts.
	 */
	public function __construct( AlertsClient $client, AlertFeed $feed ) {
		$this->client = $client;
		$this->feed   = $feed;
	}

	const PROXY_ROUTE = '#^/shelfguard/v1/admin/metrics/alerts/([a-z]{2}_[0-9A-Z]{26})/acknowledge$#';

	/** Hooks the form action, and notices alerts acknowledged from the admin UI. */
	public function register(): void {
		add_action( 'admin_post_' . self::ACTION, array( $this, 'handle' ) );
		add_filter( 'rest_request_after_callbacks', array( $this, 'after_proxied_acknowledge' ), 10, 3 );
	}

	/**
	 * When the admin UI acknowledged an alert through the plugin's proxy and the daemon agreed,
	 * its notice goes at once instead of at the next poll.
	 *
	 * @param mixed            $response The route's answer.
	 * @param array            $handler  Route handler.
	 * @param \WP_REST_Request $request  Request.
	 * @return mixed The answer, unchanged.
	 */
	public function after_proxied_acknowledge( $response, $handler, $request ) {
		if ( $response instanceof \WP_REST_Response && 200 === $response->get_status() && 'POST' === $request->get_method()
			&& preg_match( self::PROXY_ROUTE, (string) $request->get_route(), $match ) ) {
			$this->feed->forget( $match[1] );
		}
		return $response;
	}

	/**
	 * The nonce action of one alert's form: a nonce for one alert cannot acknowledge another.
	 *
	 * @param string $id Alert id.
	 */
	public static function nonce_action( string $id ): string {
		return self::ACTION . '_' . $id;
	}

	/** Checks who asks and for what, acknowledges, and redirects back. */
	public function handle(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You need the manage_woocommerce capability to acknowledge Shelfguard alerts.', 'shelfguard' ), '', array( 'response' => 403 ) );
		}
		$id = isset( $_POST['alert'] ) ? sanitize_text_field( wp_unslash( $_POST['alert'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification -- the nonce action names the alert, so the id is read first and checked with it below.
		if ( ! preg_match( AlertFeed::ID_PATTERN, $id ) ) {
			wp_die( esc_html__( 'The alert id is missing or malformed: expected two letters, an underscore and 26 letters or digits.', 'shelfguard' ), '', array( 'response' => 400 ) );
		}
		check_admin_referer( self::nonce_action( $id ) );
		$result = $this->client->acknowledge( $id );
		if ( true === $result ) {
			$this->feed->forget( $id );
			$flash = array( 'success', __( 'The alert was acknowledged.', 'shelfguard' ) );
		} else {
			/* translators: %s: what went wrong. */
			$flash = array( 'error', sprintf( __( 'The alert could not be acknowledged: %s Try again in a moment.', 'shelfguard' ), $result->get_error_message() ) );
		}
		set_transient( self::FLASH . get_current_user_id(), $flash, self::FLASH_TTL_S );
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}

	/** The message the last acknowledgement left for the current user, once: [type, text] or null. */
	public static function take_flash(): ?array {
		$key   = self::FLASH . get_current_user_id();
		$flash = get_transient( $key );
		if ( ! is_array( $flash ) || 2 !== count( $flash ) ) {
			return null;
		}
		delete_transient( $key );
		return $flash;
	}
}
