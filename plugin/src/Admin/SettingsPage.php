<?php
/**
 * WooCommerce → Shelfguard settings: the daemon URL, the admin token, where seller-standing
 * alerts are e-mailed, the shared secret
 * (generated here, shown once, rotatable with a grace window) and a connection test. Each
 * form posts to admin-post.php with its own nonce and requires manage_woocommerce.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Admin;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Delivery\DaemonClient;
use Shelfguard\Settings;

/** The settings screen and its actions. */
final class SettingsPage {

	const SLUG       = 'shelfguard-settings';
	const ACTIONS    = array( 'shelfguard_save_settings', 'shelfguard_rotate_secret', 'shelfguard_test_connection' );
	const FLASH      = 'shelfguard_flash_';
	const FLASH_TTL_S = 300;

	/** @var Settings */
	private $settings;
	/** @var DaemonClient */
	private $client;

	/**
	 * @param Settings     $settings Configuration.
	 * @param DaemonClient $client   For the connection test.
	 */
	public function __construct( Settings $settings, DaemonClient $client ) {
		$this->settings = $settings;
		$this->client   = $client;
	}

	/** Hooks the menu and the form actions. */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_menu' ), 61 );
		foreach ( self::ACTIONS as $action ) {
			add_action( 'admin_post_' . $action, array( $this, 'handle_' . substr( $action, strlen( 'shelfguard_' ) ) ) );
		}
	}

	/** Adds WooCommerce → Shelfguard settings. */
	public function add_menu(): void {
		add_submenu_page( 'woocommerce', __( 'Shelfguard settings', 'shelfguard' ), __( 'Shelfguard settings', 'shelfguard' ), 'manage_woocommerce', self::SLUG, array( $this, 'render' ) );
	}

	/** Saves the daemon URL and, when one was typed, the admin token. */
	public function handle_save_settings(): void {
		$this->authorize( 'shelfguard_save_settings' );
		// phpcs:disable WordPress.Security.NonceVerification -- verified in authorize().
		$url   = isset( $_POST['daemon_url'] ) ? sanitize_text_field( wp_unslash( $_POST['daemon_url'] ) ) : '';
		$token = isset( $_POST['admin_token'] ) ? trim( (string) wp_unslash( $_POST['admin_token'] ) ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- validated by Settings::set_admin_token.
		$email = isset( $_POST['alert_email'] ) ? sanitize_text_field( wp_unslash( $_POST['alert_email'] ) ) : null;
		// phpcs:enable
		// A malformed e-mail address stops the form before anything is stored.
		$result = true;
		if ( null !== $email && '' !== $email && ! is_email( $email ) ) {
			$result = new \WP_Error( 'shelfguard_invalid_alert_email', __( 'The alert e-mail must be one e-mail address, such as owner@example.com, or empty for the site admin\'s address.', 'shelfguard' ) );
		}
		$result = true === $result ? $this->settings->set_daemon_url( $url ) : $result;
		if ( true === $result && '' !== $token ) {
			$result = $this->settings->set_admin_token( $token );
		}
		if ( true === $result && null !== $email ) {
			$result = $this->settings->set_alert_email( $email );
		}
		$this->finish( true === $result ? array( 'success', __( 'Settings saved.', 'shelfguard' ) ) : array( 'error', $result->get_error_message() ) );
	}

	/** Generates a new secret; the previous one keeps working through the grace window. */
	public function handle_rotate_secret(): void {
		$this->authorize( 'shelfguard_rotate_secret' );
		$secret = $this->settings->rotate_secret( time() );
		set_transient( self::FLASH . get_current_user_id() . '_secret', $secret, self::FLASH_TTL_S );
		$this->finish( array( 'success', __( 'A new secret was generated. Copy it into the daemon\'s configuration now: it is shown only once.', 'shelfguard' ) ) );
	}

	/** GET {daemon}/readyz and report the outcome. */
	public function handle_test_connection(): void {
		$this->authorize( 'shelfguard_test_connection' );
		if ( '' === $this->settings->daemon_url() ) {
			$this->finish( array( 'error', __( 'Set the daemon URL first.', 'shelfguard' ) ) );
		}
		$outcome = $this->client->probe();
		/* translators: %s: what went wrong, e.g. "http 503". */
		$this->finish( 200 === $outcome['status'] ? array( 'success', __( 'The daemon is ready.', 'shelfguard' ) ) : array( 'error', sprintf( __( 'The daemon is not ready: %s.', 'shelfguard' ), $outcome['error'] ) ) );
	}

	/** The settings screen. */
	public function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You need the manage_woocommerce capability to use Shelfguard.', 'shelfguard' ), 403 );
		}
		$user    = get_current_user_id();
		$flash   = get_transient( self::FLASH . $user );
		$secret  = get_transient( self::FLASH . $user . '_secret' );
		delete_transient( self::FLASH . $user );
		delete_transient( self::FLASH . $user . '_secret' );
		$summary = $this->settings->summary( time() );
		require __DIR__ . '/views/settings.php';
	}

	/**
	 * Stops unless the user may manage WooCommerce and the form's nonce is valid.
	 *
	 * @param string $action Form action (also the nonce action).
	 */
	private function authorize( string $action ): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You need the manage_woocommerce capability to use Shelfguard.', 'shelfguard' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( $action );
	}

	/**
	 * Keeps a message for the next screen and goes back to the settings.
	 *
	 * @param array $flash [ type, message ].
	 */
	private function finish( array $flash ): void {
		set_transient( self::FLASH . get_current_user_id(), $flash, self::FLASH_TTL_S );
		wp_safe_redirect( admin_url( 'admin.php?page=' . self::SLUG ) );
		exit;
	}
}
