<?php
/**
 * Every role × every admin route and form action × valid, missing and wrong nonce, over real
 * HTTP with WordPress's own cookies: only manage_woocommerce with a valid nonce gets through,
 * a refused request changes nothing, and no response carries a secret.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

final class PermissionMatrixTest extends TestCase {

	const ROLES = array( 'anonymous', 'subscriber', 'customer', 'shop_manager', 'administrator' );
	const REST  = array(
		array( 'GET', '/status' ),
		array( 'POST', '/dead-letters/retry' ),
		array( 'POST', '/connection-test' ),
		array( 'GET', '/admin/overview' ),
		array( 'POST', '/admin/channels/amazon/mode' ),
	);
	/** Every route the plugin registers: a new one must be added to the matrix above. */
	const INVENTORY = array( '/shelfguard/v1', '/shelfguard/v1/adjustments', '/shelfguard/v1/status', '/shelfguard/v1/dead-letters/retry', '/shelfguard/v1/connection-test' );

	private static $sessions = array();
	/** @var string[] Every response body, checked for secrets at the end. */
	private $bodies = array();

	public static function setUpBeforeClass(): void {
		foreach ( self::ROLES as $role ) {
			if ( 'anonymous' === $role ) {
				self::$sessions[ $role ] = array( 'cookies' => array(), 'nonces' => self::anonymous_nonces() );
				continue;
			}
			$login   = 'matrix_' . $role . '_' . wp_generate_password( 6, false, false );
			$user_id = wp_insert_user( array( 'user_login' => $login, 'user_pass' => wp_generate_password( 24 ), 'user_email' => $login . '@example.test', 'role' => $role ) );
			self::$sessions[ $role ] = Http::login( $user_id );
		}
	}

	private static function anonymous_nonces(): array {
		wp_set_current_user( 0 );
		$forms = array();
		foreach ( \Shelfguard\Admin\SettingsPage::ACTIONS as $action ) {
			$forms[ $action ] = wp_create_nonce( $action );
		}
		return array( 'rest' => wp_create_nonce( 'wp_rest' ), 'forms' => $forms );
	}

	private static function allowed( string $role, string $nonce ): bool {
		return in_array( $role, array( 'shop_manager', 'administrator' ), true ) && 'valid' === $nonce;
	}

	public function test_every_route_has_a_permission_check_and_only_the_signed_route_skips_the_capability(): void {
		$routes = rest_get_server()->get_routes( 'shelfguard/v1' );
		$names  = array_keys( $routes );
		$this->assertEqualsCanonicalizing( array_merge( self::INVENTORY, array( '/shelfguard/v1/admin/(?P<path>' . \Shelfguard\Rest\DaemonProxy::PATH_PATTERN . ')' ) ), $names );
		foreach ( $routes as $name => $handlers ) {
			foreach ( $handlers as $handler ) {
				if ( '/shelfguard/v1' === $name ) {
					continue; // WordPress's own namespace index.
				}
				$this->assertArrayHasKey( 'permission_callback', $handler, $name );
				$this->assertNotSame( '__return_true', $handler['permission_callback'], $name );
				$expected = '/shelfguard/v1/adjustments' === $name ? 'verify_signature' : 'can_manage';
				$this->assertSame( $expected, $handler['permission_callback'][1], $name );
			}
		}
	}

	public function test_rest_routes_answer_only_manage_woocommerce_with_a_valid_nonce(): void {
		$token = 'admintoken-' . wp_generate_password( 16, false );
		$this->settings()->set_admin_token( $token );
		Recorder::start( $this->settings()->verifying_secrets( time() ) );
		Recorder::admin_token( $token );
		try {
			foreach ( self::ROLES as $role ) {
				foreach ( self::REST as list( $method, $route ) ) {
					foreach ( array( 'valid', 'missing', 'wrong' ) as $nonce ) {
						$session  = self::$sessions[ $role ];
						$headers  = array( 'Content-Type' => 'application/json' );
						$headers += 'valid' === $nonce ? array( 'X-WP-Nonce' => $session['nonces']['rest'] ) : ( 'wrong' === $nonce ? array( 'X-WP-Nonce' => $session['nonces']['forms']['shelfguard_save_settings'] ) : array() );
						$response = Http::request( $method, '/wp-json/shelfguard/v1' . $route, $headers, 'POST' === $method ? '{}' : null, $session['cookies'] );
						$this->bodies[] = $response['body'];
						$cell     = "$role $method $route nonce=$nonce";
						if ( self::allowed( $role, $nonce ) ) {
							$this->assertSame( 200, $response['status'], $cell . ': ' . $response['body'] );
						} else {
							$this->assertContains( $response['status'], array( 401, 403 ), $cell . ': ' . $response['body'] );
						}
					}
				}
			}
			$proxied = Http::request( 'GET', '/wp-json/shelfguard/v1/admin/overview?window=24h', array( 'X-WP-Nonce' => self::$sessions['shop_manager']['nonces']['rest'] ), null, self::$sessions['shop_manager']['cookies'] );
			$this->assertSame( array( 'path' => 'overview', 'method' => 'GET', 'query' => array( 'window' => '24h' ), 'authorized' => true ), $proxied['json'] );
			$blocked = Http::request( 'GET', '/wp-json/shelfguard/v1/admin/secrets', array( 'X-WP-Nonce' => self::$sessions['administrator']['nonces']['rest'] ), null, self::$sessions['administrator']['cookies'] );
			$this->assertSame( 404, $blocked['status'], 'only allow-listed daemon resources are proxied' );
		} finally {
			Recorder::stop();
		}
		$this->assert_no_secret_in( $this->bodies, $token );
	}

	public function test_settings_forms_change_settings_only_for_manage_woocommerce_with_a_valid_nonce(): void {
		foreach ( self::ROLES as $role ) {
			foreach ( \Shelfguard\Admin\SettingsPage::ACTIONS as $action ) {
				foreach ( array( 'valid', 'missing', 'wrong' ) as $nonce ) {
					wp_cache_flush();
					$before   = array( get_option( 'shelfguard_daemon_url' ), get_option( 'shelfguard_secret' ) );
					$session  = self::$sessions[ $role ];
					$fields   = array( 'action' => $action, 'daemon_url' => 'http://127.0.0.1:9/' . $role . '-' . $nonce );
					$fields  += 'valid' === $nonce ? array( '_wpnonce' => $session['nonces']['forms'][ $action ] ) : ( 'wrong' === $nonce ? array( '_wpnonce' => $session['nonces']['rest'] ) : array() );
					$response = Http::request( 'POST', '/wp-admin/admin-post.php', array( 'Content-Type' => 'application/x-www-form-urlencoded' ), http_build_query( $fields ), $session['cookies'] );
					$this->bodies[] = $response['body'];
					wp_cache_flush();
					$after = array( get_option( 'shelfguard_daemon_url' ), get_option( 'shelfguard_secret' ) );
					$cell  = "$role $action nonce=$nonce";
					if ( self::allowed( $role, $nonce ) ) {
						$this->assertSame( 302, $response['status'], $cell );
					} else {
						$this->assertContains( $response['status'], array( 400, 403 ), $cell );
						$this->assertSame( $before, $after, $cell . ' changed nothing' );
					}
				}
			}
		}
		$this->assert_no_secret_in( $this->bodies, '' );
	}

	public function test_admin_screens_open_only_for_manage_woocommerce_and_escape_what_they_show(): void {
		update_option( 'shelfguard_daemon_url', 'http://127.0.0.1:9/"><svg onload=alert(1)>', false );
		foreach ( self::ROLES as $role ) {
			foreach ( array( 'shelfguard', 'shelfguard-settings' ) as $page ) {
				$response = Http::request( 'GET', '/wp-admin/admin.php?page=' . $page, array(), null, self::$sessions[ $role ]['cookies'] );
				$this->bodies[] = $response['body'];
				if ( in_array( $role, array( 'shop_manager', 'administrator' ), true ) ) {
					$this->assertSame( 200, $response['status'], "$role $page" );
					$this->assertStringNotContainsString( '<svg onload', $response['body'], "$role $page escapes" );
				} else {
					$this->assertNotSame( 200, $response['status'], "$role $page" );
				}
			}
		}
		$admin = Http::request( 'GET', '/wp-admin/admin.php?page=shelfguard', array(), null, self::$sessions['administrator']['cookies'] );
		// The admin UI lane builds plugin/build; before it has run, the page says the app is missing.
		if ( file_exists( dirname( __DIR__, 3 ) . '/plugin/build/index.asset.php' ) ) {
			$this->assertStringContainsString( 'id="shelfguard-admin-root"', $admin['body'], 'with plugin/build the page mounts the app' );
			$this->assertStringNotContainsString( 'has not been built yet', $admin['body'], 'with plugin/build no missing-build notice' );
		} else {
			$this->assertStringContainsString( 'has not been built yet', $admin['body'], 'without plugin/build the page says so' );
		}
		$this->assert_no_secret_in( $this->bodies, '' );
	}

	private function assert_no_secret_in( array $bodies, string $token ): void {
		wp_cache_flush();
		$secrets = array_filter( array( get_option( 'shelfguard_secret' ), get_option( 'shelfguard_secret_previous' ), $token ) );
		foreach ( $secrets as $secret ) {
			$key = base64_decode( substr( $secret, 6 ) );
			foreach ( $bodies as $body ) {
				$this->assertStringNotContainsString( $secret, $body );
				$this->assertStringNotContainsString( substr( $secret, 6 ), $body );
				if ( $key ) {
					$this->assertStringNotContainsString( bin2hex( $key ), $body );
				}
			}
		}
	}
}
