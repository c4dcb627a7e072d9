<?php
/**
 * Settings: the daemon URL is validated and nothing is stored on bad input; secrets and the
 * admin token are stored with autoload off and never appear in what the admin screens get.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

final class SettingsTest extends TestCase {

	public function test_a_bad_daemon_url_is_refused_with_a_reason_and_the_old_one_kept(): void {
		$before = $this->settings()->daemon_url();
		foreach ( array( '', 'ftp://example.test', 'not a url', 'http://user:pass@example.test', 'https://example.test/?a=1', 'javascript:alert(1)', str_repeat( 'a', 600 ), array( 'x' ) ) as $bad ) {
			$result = $this->settings()->set_daemon_url( $bad );
			$this->assertInstanceOf( \WP_Error::class, $result );
			$this->assertSame( 400, $result->get_error_data()['status'] );
			$this->assertStringContainsString( 'daemon URL', $result->get_error_message() );
		}
		$this->assertSame( $before, $this->settings()->daemon_url() );
		$this->assertTrue( $this->settings()->set_daemon_url( 'https://stock.example.test:8443/' ) );
		$this->assertSame( 'https://stock.example.test:8443', $this->settings()->daemon_url() );
	}

	public function test_secrets_and_the_admin_token_are_stored_without_autoload(): void {
		global $wpdb;
		$this->settings()->set_admin_token( 'token-' . wp_generate_password( 12, false ) );
		$this->settings()->rotate_secret( time() );
		foreach ( array( 'shelfguard_secret', 'shelfguard_secret_previous', 'shelfguard_admin_token' ) as $option ) {
			$this->assertContains( $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", $option ) ), array( 'off', 'no' ), $option );
		}
	}

	public function test_a_rotated_secret_is_a_new_standard_webhooks_secret_and_the_summary_hides_it(): void {
		$old    = $this->settings()->secret();
		$new    = $this->settings()->rotate_secret( time() );
		$this->assertNotSame( $old, $new );
		$this->assertMatchesRegularExpression( '/^whsec_[A-Za-z0-9+\/]{43}=$/', $new );
		$this->assertSame( array( $new, $old ), $this->settings()->verifying_secrets( time() ) );
		$this->assertSame( array( $new ), $this->settings()->verifying_secrets( time() + DAY_IN_SECONDS + 1 ) );
		$summary = wp_json_encode( $this->settings()->summary( time() ) );
		$this->assertStringNotContainsString( substr( $new, 6, 20 ), $summary );
		$this->assertStringNotContainsString( substr( $old, 6, 20 ), $summary );
	}
}
