<?php
/**
 * Checks an adjustments batch against contracts/adjustments.schema.json before anything is
 * applied, and says exactly what is wrong where. Pure: values in, messages out.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Rest;

defined( 'ABSPATH' ) || exit;

/** The adjustments contract, in PHP. */
final class AdjustmentValidator {

	const ITEMS_MAX      = 100;
	const DELTA_MAX      = 1000000;
	const ID_MAX         = 9007199254740991;
	const KEY_PATTERN    = '/^[A-Za-z0-9:_.\/@-]{8,190}$/';
	const REASONS        = array( 'sold', 'cancelled', 'returned', 'correction', 'reconcile' );
	const ITEM_FIELDS    = array( 'key', 'product_id', 'sku', 'delta', 'reason', 'reference' );
	const REFERENCE_MAX  = 300;
	const SKU_MAX        = 100;

	/**
	 * The first problem with a decoded body, as "path: what is wrong", or '' when it is valid.
	 *
	 * @param mixed $body json_decode( $raw, true ) of the request body.
	 */
	public static function problem( $body ): string {
		if ( ! is_array( $body ) || array_keys( $body ) !== array( 'adjustments' ) ) {
			return '/: expected an object with exactly one property, adjustments';
		}
		$items = $body['adjustments'];
		if ( ! is_array( $items ) || ! self::is_list( $items ) || count( $items ) < 1 || count( $items ) > self::ITEMS_MAX ) {
			return '/adjustments: expected an array of 1 to 100 adjustments';
		}
		foreach ( $items as $index => $item ) {
			$problem = self::item_problem( $item );
			if ( '' !== $problem ) {
				return '/adjustments/' . $index . $problem;
			}
		}
		return '';
	}

	/**
	 * The first problem with one adjustment, as "/field: what is wrong", or ''.
	 *
	 * @param mixed $item One adjustment.
	 */
	private static function item_problem( $item ): string {
		if ( ! is_array( $item ) || ( $item && self::is_list( $item ) ) ) {
			return ': expected an object';
		}
		$unknown = array_diff( array_keys( $item ), self::ITEM_FIELDS );
		if ( $unknown ) {
			return '/' . self::printable( (string) reset( $unknown ) ) . ': unknown property';
		}
		foreach ( array( 'key', 'product_id', 'delta', 'reason' ) as $required ) {
			if ( ! array_key_exists( $required, $item ) ) {
				return '/' . $required . ': required';
			}
		}
		if ( ! is_string( $item['key'] ) || ! preg_match( self::KEY_PATTERN, $item['key'] ) ) {
			return '/key: expected 8 to 190 characters of A-Z a-z 0-9 : _ . / @ -';
		}
		if ( ! is_int( $item['product_id'] ) || $item['product_id'] < 1 || $item['product_id'] > self::ID_MAX ) {
			return '/product_id: expected a positive integer';
		}
		if ( ! is_int( $item['delta'] ) || 0 === $item['delta'] || abs( $item['delta'] ) > self::DELTA_MAX ) {
			return '/delta: expected a non-zero integer from -1000000 to 1000000';
		}
		if ( ! is_string( $item['reason'] ) || ! in_array( $item['reason'], self::REASONS, true ) ) {
			return '/reason: expected one of ' . implode( ', ', self::REASONS );
		}
		if ( array_key_exists( 'sku', $item ) && ( ! is_string( $item['sku'] ) || '' === $item['sku'] || mb_strlen( $item['sku'] ) > self::SKU_MAX ) ) {
			return '/sku: expected a string of 1 to 100 characters';
		}
		if ( array_key_exists( 'reference', $item ) && ( ! is_string( $item['reference'] ) || mb_strlen( $item['reference'] ) > self::REFERENCE_MAX ) ) {
			return '/reference: expected a string of at most 300 characters';
		}
		return '';
	}

	/**
	 * Whether an array is a JSON array (0..n-1 keys) rather than an object.
	 *
	 * @param array $value Decoded value.
	 */
	private static function is_list( array $value ): bool {
		return array_keys( $value ) === range( 0, count( $value ) - 1 );
	}

	/**
	 * A property name safe to repeat in an error message.
	 *
	 * @param string $name Name from the request.
	 */
	private static function printable( string $name ): string {
		return substr( preg_replace( '/[^A-Za-z0-9_.-]/', '?', $name ), 0, 40 );
	}
}
