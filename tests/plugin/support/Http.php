<?php
/**
 * Real HTTP to the test site served by php -S, with WordPress's own login cookies and nonces.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

use Shelfguard\Delivery\Signature;

final class Http {

	/** @return array{status:int, body:string, json:mixed} */
	public static function request( string $method, string $path, array $headers = array(), ?string $body = null, array $cookies = array() ): array {
		$curl = curl_init( SHELFGUARD_TEST_SITE . $path );
		$list = array();
		foreach ( $headers as $name => $value ) {
			$list[] = $name . ': ' . $value;
		}
		if ( $cookies ) {
			$list[] = 'Cookie: ' . implode( '; ', array_map( static function ( $name, $value ) { return $name . '=' . rawurlencode( $value ); }, array_keys( $cookies ), $cookies ) );
		}
		curl_setopt_array( $curl, array( CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => $list, CURLOPT_TIMEOUT => 30, CURLOPT_FOLLOWLOCATION => false ) );
		if ( null !== $body ) {
			curl_setopt( $curl, CURLOPT_POSTFIELDS, $body );
		}
		$response = (string) curl_exec( $curl );
		$status   = (int) curl_getinfo( $curl, CURLINFO_RESPONSE_CODE );
		curl_close( $curl );
		return array( 'status' => $status, 'body' => $response, 'json' => json_decode( $response, true ) );
	}

	/** POSTs a body signed like the daemon signs it; $skew_s moves the timestamp. */
	public static function signed_post( string $path, string $body, string $secret, int $skew_s = 0 ): array {
		$id        = 'msg_' . bin2hex( random_bytes( 8 ) );
		$timestamp = time() + $skew_s;
		return self::request(
			'POST',
			$path,
			array(
				'Content-Type'      => 'application/json',
				'webhook-id'        => $id,
				'webhook-timestamp' => (string) $timestamp,
				'webhook-signature' => Signature::sign( $secret, $id, $timestamp, $body ),
			),
			$body
		);
	}

	/** Login cookies for a user, and the wp_rest nonce that goes with that session. */
	public static function login( int $user_id ): array {
		$expiration = time() + HOUR_IN_SECONDS;
		$token      = \WP_Session_Tokens::get_instance( $user_id )->create( $expiration );
		$cookies    = array(
			AUTH_COOKIE      => wp_generate_auth_cookie( $user_id, $expiration, 'auth', $token ),
			LOGGED_IN_COOKIE => wp_generate_auth_cookie( $user_id, $expiration, 'logged_in', $token ),
		);
		$_COOKIE[ LOGGED_IN_COOKIE ] = $cookies[ LOGGED_IN_COOKIE ];
		wp_set_current_user( $user_id );
		$nonces = array(
			'rest'  => wp_create_nonce( 'wp_rest' ),
			'forms' => array(),
		);
		foreach ( \Shelfguard\Admin\SettingsPage::ACTIONS as $action ) {
			$nonces['forms'][ $action ] = wp_create_nonce( $action );
		}
		wp_set_current_user( 0 );
		unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		return array( 'cookies' => $cookies, 'nonces' => $nonces );
	}
}
