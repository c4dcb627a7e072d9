<?php
/**
 * Seller-standing alerts from the real daemon (AlertDaemon.ts, started per test on a fresh
 * ledger whose orders make its own check raise an Amazon and a Walmart alert) reach wp-admin:
 * notices for managers only, one e-mail per alert whatever the number of polls, acknowledging
 * through the notice's form reaches the daemon and only for managers with that alert's nonce,
 * and a daemon that is down costs a quiet notice, never a fatal or a waiting page.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

use Shelfguard\Alerts\AlertAcknowledger;
use Shelfguard\Alerts\AlertFeed;
use Shelfguard\Alerts\AlertMailer;
use Shelfguard\Alerts\AlertPoller;

final class AlertsTest extends TestCase {

	const ROLES       = array( 'anonymous', 'subscriber', 'customer', 'shop_manager', 'administrator' );
	const ALERT_EMAIL = 'alerts@example.test';

	/** @var resource|null */
	private $daemon;
	/** @var array Pipes of the daemon process. */
	private $pipes = array();
	/** @var string */
	private $daemon_url = '';
	/** @var string */
	private $token = '';
	/** @var array Captured e-mails: to, subject, message. */
	private $mails = array();
	/** @var bool Whether the captured wp_mail calls succeed. */
	private $mail_works = true;
	/** @var array Sessions by role. */
	private static $sessions = array();

	public static function setUpBeforeClass(): void {
		foreach ( self::ROLES as $role ) {
			if ( 'anonymous' === $role ) {
				self::$sessions[ $role ] = array( 'cookies' => array(), 'user' => 0 );
				continue;
			}
			$login   = 'alerts_' . $role . '_' . wp_generate_password( 6, false, false );
			$user_id = wp_insert_user( array( 'user_login' => $login, 'user_pass' => wp_generate_password( 24 ), 'user_email' => $login . '@example.test', 'role' => $role ) );
			self::$sessions[ $role ] = Http::login( $user_id ) + array( 'user' => $user_id );
		}
	}

	protected function setUp(): void {
		parent::setUp();
		foreach ( array( AlertFeed::OPTION, AlertMailer::OPTION, AlertPoller::LOCK_OPTION ) as $option ) {
			delete_option( $option );
		}
		$this->settings()->set_alert_email( self::ALERT_EMAIL );
		$this->token = 'alerts-token-' . wp_generate_password( 24, false );
		$this->settings()->set_admin_token( $this->token );
		$this->start_daemon();
		$this->settings()->set_daemon_url( $this->daemon_url );
		add_filter( 'pre_wp_mail', array( $this, 'capture_mail' ), 20, 2 );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_wp_mail', array( $this, 'capture_mail' ), 20 );
		$this->stop_daemon();
		$this->settings()->set_alert_email( '' );
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * Records a wp_mail call instead of sending it (the test site has no mail server).
	 *
	 * @param mixed $result Earlier filters' answer.
	 * @param array $atts   to, subject, message, headers, attachments.
	 */
	public function capture_mail( $result, array $atts ) {
		$this->mails[] = array( 'to' => $atts['to'], 'subject' => $atts['subject'], 'message' => $atts['message'] );
		return $this->mail_works;
	}

	public function test_the_daemons_alerts_become_notices_shown_only_to_people_who_manage_woocommerce(): void {
		$raised = $this->daemon_check();
		$this->assertCount( 2, $raised, 'the seeded ledger raises an Amazon and a Walmart alert' );
		$poll = $this->poller()->poll();
		$this->assertSame( 'ok', $poll['status'], $poll['error'] );
		$this->assertSame( 2, $poll['alerts'] );
		foreach ( self::ROLES as $role ) {
			$page = Http::request( 'GET', '/wp-admin/index.php', array(), null, self::$sessions[ $role ]['cookies'] );
			foreach ( $raised as $alert ) {
				$marker = 'data-alert-id="' . $alert['id'] . '"';
				if ( in_array( $role, array( 'shop_manager', 'administrator' ), true ) ) {
					$this->assertSame( 200, $page['status'], $role );
					$this->assertStringContainsString( $marker, $page['body'], "$role sees the {$alert['channel']} alert" );
					$this->assertStringContainsString( esc_html( $alert['message'] ), $page['body'], "$role reads the daemon's sentence" );
				} else {
					$this->assertStringNotContainsString( $marker, $page['body'], "$role is not shown the {$alert['channel']} alert" );
					$this->assertStringNotContainsString( 'shelfguard-alert', $page['body'], $role );
				}
			}
			$this->assertStringNotContainsString( $this->token, $page['body'], 'the admin token never reaches a page' );
		}
	}

	public function test_each_alert_is_emailed_once_to_the_configured_address_however_often_the_poll_runs(): void {
		$raised = $this->daemon_check();
		$first  = $this->poller()->poll();
		$this->assertEqualsCanonicalizing( array_column( $raised, 'id' ), $first['mailed'] );
		$this->assertCount( 2, $this->mails );
		foreach ( $this->mails as $index => $mail ) {
			$this->assertSame( self::ALERT_EMAIL, $mail['to'] );
			$this->assertStringContainsString( $raised[ $index ]['channel'], $mail['subject'], 'oldest alert first' );
			$this->assertStringContainsString( $raised[ $index ]['message'], $mail['message'] );
		}
		for ( $poll = 0; $poll < 3; $poll++ ) {
			$this->assertSame( array(), $this->poller()->poll()['mailed'] );
		}
		$this->assertCount( 2, $this->mails, 'later polls send nothing again' );
		$this->assertSame( array(), $this->daemon_check(), 'the daemon raises nothing new either' );
	}

	public function test_a_mail_wordpress_could_not_send_is_tried_again_and_then_sent_once(): void {
		$raised           = $this->daemon_check();
		$this->mail_works = false;
		$this->assertSame( array(), $this->poller()->poll()['mailed'] );
		$this->assertCount( 2, $this->mails, 'both were attempted' );
		$this->mail_works = true;
		$this->assertEqualsCanonicalizing( array_column( $raised, 'id' ), $this->poller()->poll()['mailed'] );
		$this->assertSame( array(), $this->poller()->poll()['mailed'] );
		$this->assertCount( 4, $this->mails, 'one failed attempt and one sent e-mail per alert' );
	}

	public function test_the_site_admin_address_is_used_until_another_is_set_and_a_malformed_one_is_refused(): void {
		$this->settings()->set_alert_email( '' );
		$this->assertSame( get_option( 'admin_email' ), $this->settings()->alert_email() );
		$refused = $this->settings()->set_alert_email( 'not an address' );
		$this->assertInstanceOf( \WP_Error::class, $refused );
		$this->assertStringContainsString( 'e-mail address', $refused->get_error_message() );
		$this->assertSame( get_option( 'admin_email' ), $this->settings()->alert_email(), 'nothing was stored' );
		$this->daemon_check();
		$this->poller()->poll();
		$this->assertSame( array( get_option( 'admin_email' ), get_option( 'admin_email' ) ), array_column( $this->mails, 'to' ) );
	}

	public function test_the_settings_page_saves_the_alert_address_and_refuses_a_malformed_one_without_storing_anything(): void {
		$session = self::$sessions['shop_manager'];
		$url     = $this->settings()->daemon_url();
		$save    = function ( array $fields ) use ( $session ) {
			$fields += array( 'action' => 'shelfguard_save_settings', '_wpnonce' => $session['nonces']['forms']['shelfguard_save_settings'] );
			return Http::request( 'POST', '/wp-admin/admin-post.php', array( 'Content-Type' => 'application/x-www-form-urlencoded' ), http_build_query( $fields ), $session['cookies'] );
		};
		$this->assertSame( 302, $save( array( 'daemon_url' => 'http://127.0.0.1:9/changed', 'alert_email' => 'owner at shop' ) )['status'] );
		wp_cache_flush();
		$this->assertSame( self::ALERT_EMAIL, $this->settings()->alert_email(), 'a malformed address is not stored' );
		$this->assertSame( $url, $this->settings()->daemon_url(), 'nor is anything else on the form' );
		$this->assertSame( 302, $save( array( 'daemon_url' => $url, 'alert_email' => 'owner@example.test' ) )['status'] );
		wp_cache_flush();
		$this->assertSame( 'owner@example.test', $this->settings()->alert_email() );
		$page = Http::request( 'GET', '/wp-admin/admin.php?page=shelfguard-settings', array(), null, $session['cookies'] );
		$this->assertStringContainsString( 'name="alert_email" value="owner@example.test"', $page['body'] );
	}

	public function test_acknowledging_a_notice_acknowledges_the_alert_at_the_daemon_only_for_managers_with_its_nonce(): void {
		$raised = $this->daemon_check();
		$this->poller()->poll();
		list( $first, $second ) = array_column( $raised, 'id' );
		foreach ( self::ROLES as $role ) {
			foreach ( array( 'missing', 'other_alert', 'valid' ) as $nonce ) {
				if ( $this->is_allowed( $role, $nonce ) ) {
					continue;
				}
				$response = $this->acknowledge_as( $role, $first, 'valid' === $nonce ? $first : ( 'other_alert' === $nonce ? $second : '' ) );
				$this->assertContains( $response['status'], array( 400, 403 ), "$role nonce=$nonce is refused" );
			}
		}
		$this->assertEqualsCanonicalizing( array( $first, $second ), array_column( $this->daemon_open_alerts(), 'id' ), 'no refused request reached the daemon' );
		$malformed = $this->acknowledge_as( 'administrator', 'al_../../channels', 'al_../../channels' );
		$this->assertSame( 400, $malformed['status'], 'a malformed id is refused before anything is sent' );

		$this->assertSame( 302, $this->acknowledge_as( 'shop_manager', $first, $first )['status'] );
		$this->assertSame( array( $second ), array_column( $this->daemon_open_alerts(), 'id' ), 'the daemon has the first alert acknowledged' );
		wp_cache_flush();
		$this->assertSame( array( $second ), array_column( ( new AlertFeed() )->alerts(), 'id' ), 'its notice is gone at once' );
		$this->assertSame( 302, $this->acknowledge_as( 'administrator', $second, $second )['status'] );
		$this->assertSame( array(), $this->daemon_open_alerts() );
		$this->poller()->poll();
		wp_cache_flush();
		$page = Http::request( 'GET', '/wp-admin/index.php', array(), null, self::$sessions['administrator']['cookies'] );
		$this->assertStringNotContainsString( 'shelfguard-alert"', $page['body'], 'no alert notice is left' );
	}

	public function test_an_alert_acknowledged_on_the_admin_ui_leaves_the_notices_at_once(): void {
		$raised = $this->daemon_check();
		$this->poller()->poll();
		$session  = self::$sessions['shop_manager'];
		$response = Http::request( 'POST', '/wp-json/shelfguard/v1/admin/metrics/alerts/' . $raised[0]['id'] . '/acknowledge', array( 'Content-Type' => 'application/json', 'X-WP-Nonce' => $session['nonces']['rest'] ), '{}', $session['cookies'] );
		$this->assertSame( 200, $response['status'], $response['body'] );
		$this->assertSame( array( $raised[1]['id'] ), array_column( $this->daemon_open_alerts(), 'id' ) );
		wp_cache_flush();
		$this->assertSame( array( $raised[1]['id'] ), array_column( ( new AlertFeed() )->alerts(), 'id' ), 'the notice went without waiting for a poll' );
		$refused = Http::request( 'POST', '/wp-json/shelfguard/v1/admin/metrics/alerts/' . $raised[1]['id'] . '/acknowledge', array( 'Content-Type' => 'application/json' ), '{}', self::$sessions['subscriber']['cookies'] );
		$this->assertContains( $refused['status'], array( 401, 403 ) );
		wp_cache_flush();
		$this->assertSame( array( $raised[1]['id'] ), array_column( ( new AlertFeed() )->alerts(), 'id' ), 'a refused call leaves the notice' );
	}

	public function test_a_daemon_that_is_down_leaves_the_last_alerts_and_a_quiet_notice_and_no_page_waits_on_it(): void {
		$raised = $this->daemon_check();
		$this->poller()->poll();
		$this->stop_daemon();
		$mails_before = count( $this->mails );
		$poll         = $this->poller()->poll();
		$this->assertSame( 'failed', $poll['status'] );
		$this->assertStringNotContainsString( $this->token, $poll['error'] );
		$this->assertCount( $mails_before, $this->mails, 'nothing is mailed while the daemon is down' );

		$requests = 0;
		$count    = static function ( $pre ) use ( &$requests ) {
			++$requests;
			return $pre;
		};
		add_filter( 'pre_http_request', $count );
		wp_set_current_user( self::$sessions['shop_manager']['user'] );
		ob_start();
		$this->plugin()->get( 'notices' )->render();
		$html = (string) ob_get_clean();
		remove_filter( 'pre_http_request', $count );
		$this->assertSame( 0, $requests, 'rendering the notices calls nothing' );
		$this->assertStringContainsString( 'shelfguard-alerts-health', $html );
		$this->assertStringContainsString( 'could not get seller-standing alerts', $html );
		foreach ( $raised as $alert ) {
			$this->assertStringContainsString( 'data-alert-id="' . $alert['id'] . '"', $html, 'the last alerts read still show' );
		}

		$started = microtime( true );
		$page    = Http::request( 'GET', '/wp-admin/index.php', array(), null, self::$sessions['shop_manager']['cookies'] );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'shelfguard-alerts-health', $page['body'] );
		$this->assertLessThan( 0.9 * \Shelfguard\Alerts\AlertsClient::TIMEOUT_S, microtime( true ) - $started, 'the page did not wait for a timeout' );

		$ack = $this->acknowledge_as( 'shop_manager', $raised[0]['id'], $raised[0]['id'] );
		$this->assertSame( 302, $ack['status'], 'a refused acknowledgement goes back with a message, not a fatal' );
		wp_cache_flush();
		$this->assertCount( 2, ( new AlertFeed() )->alerts(), 'an alert the daemon did not acknowledge stays' );
	}

	public function test_a_malformed_answer_from_the_daemon_is_refused_whole(): void {
		$this->assertInstanceOf( \WP_Error::class, AlertFeed::parse( '{"alerts":{"a":1}}' ) );
		$this->assertInstanceOf( \WP_Error::class, AlertFeed::parse( 'not json' ) );
		$bad = AlertFeed::parse( '{"alerts":[{"id":"al_01M8E9PZVBNJEDYNBN03G5ZEQ8","channel":"amazon","metric":"amazon_cancellation_rate","level":"panic","message":"x","headroom":0,"created_at":1}]}' );
		$this->assertInstanceOf( \WP_Error::class, $bad );
		$this->assertStringContainsString( 'alerts[0]: "level"', $bad->get_error_message() );
		$good = AlertFeed::parse( '{"alerts":[{"id":"al_01M8E9PZVBNJEDYNBN03G5ZEQ8","channel":"amazon","metric":"amazon_cancellation_rate","level":"warning","message":"<script>x</script>room for 2","headroom":2,"created_at":1795776282475}]}' );
		$this->assertSame( 'room for 2', $good[0]['message'], 'markup from the daemon is dropped' );
	}

	private function poller(): AlertPoller {
		return $this->plugin()->get( 'alert_poller' );
	}

	private function is_allowed( string $role, string $nonce ): bool {
		return in_array( $role, array( 'shop_manager', 'administrator' ), true ) && 'valid' === $nonce;
	}

	/** POSTs the notice's form as `role`, with a nonce made for `nonce_for` ('' for none). */
	private function acknowledge_as( string $role, string $id, string $nonce_for ): array {
		$fields = array( 'action' => AlertAcknowledger::ACTION, 'alert' => $id );
		if ( '' !== $nonce_for ) {
			$fields['_wpnonce'] = $this->nonce_for( $role, AlertAcknowledger::nonce_action( $nonce_for ) );
		}
		$headers = array( 'Content-Type' => 'application/x-www-form-urlencoded', 'Referer' => SHELFGUARD_TEST_SITE . '/wp-admin/index.php' );
		return Http::request( 'POST', '/wp-admin/admin-post.php', $headers, http_build_query( $fields ), self::$sessions[ $role ]['cookies'] );
	}

	/** A nonce as the role's own session would have it in the page. */
	private function nonce_for( string $role, string $action ): string {
		$session = self::$sessions[ $role ];
		if ( $session['cookies'] ) {
			$_COOKIE[ LOGGED_IN_COOKIE ] = $session['cookies'][ LOGGED_IN_COOKIE ];
		}
		wp_set_current_user( $session['user'] );
		$nonce = wp_create_nonce( $action );
		wp_set_current_user( 0 );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		return $nonce;
	}

	/** The daemon's own check, as its timer runs it: the alerts it raised. */
	private function daemon_check(): array {
		$response = $this->daemon_request( 'POST', '/v1/admin/metrics/check' );
		$this->assertSame( 200, $response['status'], $response['body'] );
		return array_map(
			static function ( $alert ) {
				return array( 'id' => $alert['id'], 'channel' => $alert['channel'], 'message' => $alert['message'] );
			},
			$response['json']['alerts']
		);
	}

	private function daemon_open_alerts(): array {
		$response = $this->daemon_request( 'GET', '/v1/admin/metrics/alerts?unacknowledged=1' );
		$this->assertSame( 200, $response['status'], $response['body'] );
		return $response['json']['alerts'];
	}

	private function daemon_request( string $method, string $path ): array {
		$response = wp_remote_request(
			$this->daemon_url . $path,
			array(
				'method'  => $method,
				'timeout' => 30,
				'headers' => array( 'Authorization' => 'Bearer ' . $this->token, 'Content-Type' => 'application/json' ),
				'body'    => 'POST' === $method ? '{}' : null,
			)
		);
		$this->assertFalse( is_wp_error( $response ), is_wp_error( $response ) ? $response->get_error_message() : "" );
		$body = wp_remote_retrieve_body( $response );
		return array( 'status' => wp_remote_retrieve_response_code( $response ), 'body' => $body, 'json' => json_decode( $body, true ) );
	}

	private function start_daemon(): void {
		$repo = dirname( __DIR__, 3 );
		$env  = array(
			'PATH'                   => getenv( 'PATH' ),
			'HOME'                   => getenv( 'HOME' ),
			'SHELFGUARD_SECRET'      => $this->settings()->secret(),
			'SHELFGUARD_ADMIN_TOKEN' => $this->token,
		);
		$this->daemon = proc_open( array( 'node', '--import', 'tsx', $repo . '/tests/plugin/tests/AlertDaemon.ts' ), array( array( 'pipe', 'r' ), array( 'pipe', 'w' ), array( 'file', sys_get_temp_dir() . '/shelfguard-alert-daemon.log', 'a' ) ), $this->pipes, $repo, $env );
		$this->assertIsResource( $this->daemon );
		$read  = array( $this->pipes[1] );
		$write = null;
		$error = null;
		$ready = stream_select( $read, $write, $error, 120 );
		$line  = $ready ? (string) fgets( $this->pipes[1] ) : '';
		$json  = json_decode( $line, true );
		$this->assertIsArray( $json, 'the daemon started: ' . $line . ' (see ' . sys_get_temp_dir() . '/shelfguard-alert-daemon.log)' );
		$this->daemon_url = $json['url'];
	}

	/** Closing its stdin stops the daemon and removes its ledger; then nothing listens. */
	private function stop_daemon(): void {
		if ( ! is_resource( $this->daemon ) ) {
			return;
		}
		fclose( $this->pipes[0] );
		for ( $wait = 0; $wait < 100 && proc_get_status( $this->daemon )['running']; $wait++ ) {
			usleep( 100000 );
		}
		if ( proc_get_status( $this->daemon )['running'] ) {
			proc_terminate( $this->daemon );
		}
		fclose( $this->pipes[1] );
		proc_close( $this->daemon );
		$this->daemon = null;
	}
}
