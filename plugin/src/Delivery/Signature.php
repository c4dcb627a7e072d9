<?php
/**
 * Standard Webhooks signatures, both directions: base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
 * with the key being the base64-decoded secret after its whsec_ prefix (contracts/README.md).
 *
 * Pure functions: no clock, options or I/O, so the shared vectors test them byte for byte.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Delivery;

defined( 'ABSPATH' ) || exit;

/** Signs and verifies Standard Webhooks requests. */
final class Signature {

	const TOLERANCE_S      = 300;
	const ID_LENGTH_MAX    = 256;
	const HEADER_LENGTH_MAX = 4096;

	/**
	 * The webhook-signature header value for one message.
	 *
	 * @param string $secret    whsec_… secret.
	 * @param string $id        webhook-id.
	 * @param int    $timestamp webhook-timestamp.
	 * @param string $body      Exact body bytes.
	 */
	public static function sign( string $secret, string $id, int $timestamp, string $body ): string {
		$key = self::key( $secret );
		if ( null === $key ) {
			throw new \InvalidArgumentException( 'The signing secret is not a whsec_ base64 secret.' );
		}
		return 'v1,' . base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- the signature format is base64.
	}

	/**
	 * Why a request fails verification, or '' when one of its signatures matches one secret.
	 * Never throws, whatever the headers hold.
	 *
	 * @param string[] $secrets   Secrets that may have signed it (current, and previous in grace).
	 * @param mixed    $id        webhook-id header.
	 * @param mixed    $timestamp webhook-timestamp header.
	 * @param mixed    $signature webhook-signature header.
	 * @param string   $body      Exact body bytes.
	 * @param int      $now       Receiver's Unix time.
	 * @return string '' or one of missing_headers, invalid_timestamp, stale_timestamp, invalid_signature.
	 */
	public static function verify( array $secrets, $id, $timestamp, $signature, string $body, int $now ): string {
		if ( ! is_string( $id ) || ! is_string( $timestamp ) || ! is_string( $signature ) || '' === $id || '' === $timestamp || '' === $signature ) {
			return 'missing_headers';
		}
		if ( strlen( $id ) > self::ID_LENGTH_MAX || strlen( $signature ) > self::HEADER_LENGTH_MAX ) {
			return 'invalid_signature';
		}
		if ( ! preg_match( '/^[0-9]{1,12}$/', $timestamp ) ) {
			return 'invalid_timestamp';
		}
		if ( abs( $now - (int) $timestamp ) > self::TOLERANCE_S ) {
			return 'stale_timestamp';
		}
		foreach ( $secrets as $secret ) {
			$key = self::key( (string) $secret );
			if ( null === $key ) {
				continue;
			}
			$expected = base64_encode( hash_hmac( 'sha256', $id . '.' . $timestamp . '.' . $body, $key, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
			foreach ( explode( ' ', $signature ) as $candidate ) {
				if ( 0 === strpos( $candidate, 'v1,' ) && hash_equals( $expected, substr( $candidate, 3 ) ) ) {
					return '';
				}
			}
		}
		return 'invalid_signature';
	}

	/**
	 * The HMAC key of a whsec_ secret, or null when it is not one.
	 *
	 * @param string $secret Secret.
	 */
	private static function key( string $secret ): ?string {
		if ( 0 !== strpos( $secret, 'whsec_' ) ) {
			return null;
		}
		$key = base64_decode( substr( $secret, 6 ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
		return ( false === $key || '' === $key ) ? null : $key;
	}
}
