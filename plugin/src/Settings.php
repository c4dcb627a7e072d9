<?php
/**
 * The plugin's options: where the daemon is, the shared signing secret (with a rotation grace
 * window), the daemon's admin token and the site identifier that prefixes every event key.
 *
 * Secrets are stored with autoload off so they are read only when a request needs them, and
 * no method here returns a secret in a form meant for display.
 *
 * @package Shelfguard
 */

namespace Shelfguard;

defined( 'ABSPATH' ) || exit;

/** Reads and writes the shelfguard_* options. */
final class Settings {

	const DAEMON_URL        = 'shelfguard_daemon_url';
	const SECRET            = 'shelfguard_secret';
	const SECRET_PREVIOUS   = 'shelfguard_secret_previous';
	const GRACE_UNTIL       = 'shelfguard_secret_grace_until';
	const SECRET_ROTATED_AT = 'shelfguard_secret_rotated_at';
	const ADMIN_TOKEN       = 'shelfguard_admin_token';
	const SITE_ID           = 'shelfguard_site_id';
	const ALERT_EMAIL       = 'shelfguard_alert_email';
	const GRACE_S           = DAY_IN_SECONDS;
	const SECRET_BYTES      = 32;
	const URL_LENGTH_MAX    = 500;
	const TOKEN_LENGTH_MAX  = 500;

	/** Every option this class writes, for uninstall. */
	const ALL = array( self::DAEMON_URL, self::SECRET, self::SECRET_PREVIOUS, self::GRACE_UNTIL, self::SECRET_ROTATED_AT, self::ADMIN_TOKEN, self::SITE_ID, self::ALERT_EMAIL );

	/** The daemon's base URL without a trailing slash, or '' when not configured. */
	public function daemon_url(): string {
		return rtrim( (string) get_option( self::DAEMON_URL, '' ), '/' );
	}

	/**
	 * Checks and stores the daemon URL; returns a WP_Error naming the problem, and stores
	 * nothing, when it is not an absolute http(s) URL.
	 *
	 * @param mixed $url What the administrator typed.
	 * @return true|\WP_Error
	 */
	public function set_daemon_url( $url ) {
		$url = is_string( $url ) ? trim( $url ) : '';
		if ( '' === $url || strlen( $url ) > self::URL_LENGTH_MAX ) {
			return new \WP_Error( 'shelfguard_invalid_daemon_url', __( 'The daemon URL must be an http:// or https:// address of at most 500 characters.', 'shelfguard' ), array( 'status' => 400 ) );
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['host'] ) || ! in_array( $parts['scheme'] ?? '', array( 'http', 'https' ), true )
			|| isset( $parts['user'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) || esc_url_raw( $url ) !== $url ) {
			return new \WP_Error( 'shelfguard_invalid_daemon_url', __( 'The daemon URL must be an http:// or https:// address with a host, and no credentials, query or fragment.', 'shelfguard' ), array( 'status' => 400 ) );
		}
		update_option( self::DAEMON_URL, rtrim( $url, '/' ), false );
		return true;
	}

	/** The current secret (whsec_…), or '' when none was generated yet. */
	public function secret(): string {
		return (string) get_option( self::SECRET, '' );
	}

	/**
	 * The secrets a signed request may use: the current one, plus the previous one while its
	 * grace window after a rotation lasts.
	 *
	 * @param int $now Unix time.
	 * @return string[]
	 */
	public function verifying_secrets( int $now ): array {
		$secrets  = array();
		$current  = $this->secret();
		$previous = (string) get_option( self::SECRET_PREVIOUS, '' );
		if ( '' !== $current ) {
			$secrets[] = $current;
		}
		if ( '' !== $previous && $now < (int) get_option( self::GRACE_UNTIL, 0 ) ) {
			$secrets[] = $previous;
		}
		return $secrets;
	}

	/**
	 * Generates a new secret; the old one keeps verifying for GRACE_S seconds so the daemon can
	 * be given the new one without dropping requests. Returns the new secret for showing once.
	 *
	 * @param int $now Unix time.
	 */
	public function rotate_secret( int $now ): string {
		$old    = $this->secret();
		$secret = 'whsec_' . base64_encode( random_bytes( self::SECRET_BYTES ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- binary key encoding, not obfuscation.
		if ( '' !== $old ) {
			update_option( self::SECRET_PREVIOUS, $old, false );
			update_option( self::GRACE_UNTIL, $now + self::GRACE_S, false );
		}
		update_option( self::SECRET, $secret, false );
		update_option( self::SECRET_ROTATED_AT, $now, false );
		return $secret;
	}

	/** When the previous secret stops verifying (Unix time), 0 when there is no grace window. */
	public function grace_until( int $now ): int {
		$until = (int) get_option( self::GRACE_UNTIL, 0 );
		return $until > $now ? $until : 0;
	}

	/** The daemon's admin API token, or ''. */
	public function admin_token(): string {
		return (string) get_option( self::ADMIN_TOKEN, '' );
	}

	/**
	 * Stores the daemon's admin token; printable ASCII without spaces only.
	 *
	 * @param mixed $token What the administrator pasted.
	 * @return true|\WP_Error
	 */
	public function set_admin_token( $token ) {
		$token = is_string( $token ) ? trim( $token ) : '';
		if ( '' === $token || strlen( $token ) > self::TOKEN_LENGTH_MAX || ! preg_match( '/^[\x21-\x7e]+$/', $token ) ) {
			return new \WP_Error( 'shelfguard_invalid_admin_token', __( 'The admin token must be 1 to 500 printable characters without spaces.', 'shelfguard' ), array( 'status' => 400 ) );
		}
		update_option( self::ADMIN_TOKEN, $token, false );
		return true;
	}

	/** Where seller-standing alerts are e-mailed: the address set here, else the site admin's. */
	public function alert_email(): string {
		$email = (string) get_option( self::ALERT_EMAIL, '' );
		return '' !== $email ? $email : (string) get_option( 'admin_email', '' );
	}

	/**
	 * Stores the alert e-mail address; '' goes back to the site admin's address. Stores nothing
	 * and names the problem when it is not an e-mail address.
	 *
	 * @param mixed $email What the administrator typed.
	 * @return true|\WP_Error
	 */
	public function set_alert_email( $email ) {
		$email = is_string( $email ) ? trim( $email ) : '';
		if ( '' === $email ) {
			delete_option( self::ALERT_EMAIL );
			return true;
		}
		if ( strlen( $email ) > self::URL_LENGTH_MAX || ! is_email( $email ) ) {
			return new \WP_Error( 'shelfguard_invalid_alert_email', __( 'The alert e-mail must be one e-mail address, such as owner@example.com, or empty for the site admin\'s address.', 'shelfguard' ), array( 'status' => 400 ) );
		}
		update_option( self::ALERT_EMAIL, $email, false );
		return true;
	}

	/**
	 * The site identifier in every event key. Fixed the first time it is needed (the home URL's
	 * host), because changing it later would make every key new to the daemon.
	 */
	public function site_id(): string {
		$site = (string) get_option( self::SITE_ID, '' );
		if ( '' === $site ) {
			$host = (string) wp_parse_url( home_url(), PHP_URL_HOST );
			$port = (string) wp_parse_url( home_url(), PHP_URL_PORT );
			$site = preg_replace( '/[^A-Za-z0-9._-]/', '-', $host . ( '' !== $port ? '-' . $port : '' ) );
			$site = '' !== $site ? substr( $site, 0, 100 ) : wp_generate_uuid4();
			update_option( self::SITE_ID, $site, false );
		}
		return $site;
	}

	/** What the admin screens may show: whether things are set, never the secrets themselves. */
	public function summary( int $now ): array {
		return array(
			'daemon_url'              => $this->daemon_url(),
			'secret_configured'       => '' !== $this->secret(),
			'secret_rotated_at'       => (int) get_option( self::SECRET_ROTATED_AT, 0 ),
			'previous_secret_until'   => $this->grace_until( $now ),
			'admin_token_configured'  => '' !== $this->admin_token(),
			'site_id'                 => $this->site_id(),
			'alert_email'             => (string) get_option( self::ALERT_EMAIL, '' ),
			'alert_email_default'     => (string) get_option( 'admin_email', '' ),
		);
	}
}
