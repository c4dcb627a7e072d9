<?php
/**
 * Builds the events of contracts/events.schema.json from WooCommerce objects, keys included.
 * Key formats are the contract's; nothing here writes or sends.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Capture;

defined( 'ABSPATH' ) || exit;

/** Event builders. */
final class EventFactory {

	const NAME_LENGTH_MAX      = 400;
	const ATTRIBUTES_MAX       = 20;
	const ATTRIBUTE_LENGTH_MAX = 200;
	const SKU_LENGTH_MAX       = 100;
	const STATUSES             = array( 'publish', 'draft', 'pending', 'private', 'trash' );

	/** @var string Site identifier that starts every key. */
	private $site;

	/**
	 * @param string $site Site identifier.
	 */
	public function __construct( string $site ) {
		$this->site = $site;
	}

	/** The site identifier. */
	public function site(): string {
		return $this->site;
	}

	/**
	 * Identity of a product: its id, SKU, parent, and the product whose stock it uses.
	 *
	 * @param \WC_Product $product Product or variation.
	 */
	public function product_ref( $product ): array {
		$ref = array( 'id' => (int) $product->get_id() );
		$sku = $this->sku( $product );
		if ( '' !== $sku ) {
			$ref['sku'] = $sku;
		}
		if ( $product->get_parent_id() ) {
			$ref['parent_id'] = (int) $product->get_parent_id();
		}
		$owner = (int) $product->get_stock_managed_by_id();
		if ( $owner && $owner !== $ref['id'] ) {
			$ref['manages_stock_id'] = $owner;
		}
		return $ref;
	}

	/**
	 * A stock level set outside an order; the product is the one that holds the stock.
	 *
	 * @param \WC_Product $product Stock-holding product, already carrying the new level.
	 * @param float       $now     Unix time with fractions.
	 */
	public function stock_set( $product, float $now ): array {
		return array(
			'id'          => $this->key( 'product:' . $product->get_id() . ':set:' . wp_generate_uuid4() ),
			'type'        => 'stock.set',
			'occurred_at' => self::time( $now ),
			'product'     => $this->product_ref( $product ),
			'quantity'    => self::level( $product->get_stock_quantity() ),
		);
	}

	/**
	 * An order line that took stock ('reduce') or gave it back ('restore').
	 *
	 * @param string      $direction   reduce|restore.
	 * @param object      $item        WC_Order_Item_Product.
	 * @param \WC_Product $product     The line's product.
	 * @param int         $seq         The line's cycle number in that direction.
	 * @param int         $quantity    Units moved.
	 * @param mixed       $stock_after Stock level after the change.
	 * @param float       $now         Unix time with fractions.
	 */
	public function order_line( string $direction, $item, $product, int $seq, int $quantity, $stock_after, float $now ): array {
		return array(
			'id'            => $this->key( $item->get_id() . ':' . $direction . ':' . $seq ),
			'type'          => 'reduce' === $direction ? 'order.line.reduced' : 'order.line.restored',
			'occurred_at'   => self::time( $now ),
			'order_id'      => (int) $item->get_order_id(),
			'order_item_id' => (int) $item->get_id(),
			'seq'           => $seq,
			'product'       => $this->product_ref( $product ),
			'quantity'      => $quantity,
			'stock_after'   => self::level( $stock_after ),
		);
	}

	/**
	 * A refund that put a line's units back in stock.
	 *
	 * @param int         $refund_id   Refund id.
	 * @param object      $item        WC_Order_Item_Product.
	 * @param \WC_Product $product     The line's product.
	 * @param int         $quantity    Units restocked.
	 * @param mixed       $stock_after Stock level after the restock.
	 * @param float       $now         Unix time with fractions.
	 */
	public function refunded( int $refund_id, $item, $product, int $quantity, $stock_after, float $now ): array {
		return array(
			'id'            => $this->key( 'refund:' . $refund_id . ':' . $item->get_id() ),
			'type'          => 'order.line.refunded',
			'occurred_at'   => self::time( $now ),
			'order_id'      => (int) $item->get_order_id(),
			'refund_id'     => $refund_id,
			'order_item_id' => (int) $item->get_id(),
			'product'       => $this->product_ref( $product ),
			'quantity'      => $quantity,
			'stock_after'   => self::level( $stock_after ),
		);
	}

	/**
	 * What open checkouts hold of a stock-holding product.
	 *
	 * @param \WC_Product $product Stock-holding product.
	 * @param int         $held    Units held.
	 * @param float       $now     Unix time with fractions.
	 */
	public function held( $product, int $held, float $now ): array {
		return array(
			'id'            => $this->key( 'product:' . $product->get_id() . ':held:' . wp_generate_uuid4() ),
			'type'          => 'stock.held',
			'occurred_at'   => self::time( $now ),
			'product'       => $this->product_ref( $product ),
			'held_quantity' => max( 0, $held ),
		);
	}

	/**
	 * The catalogue entry of a product, or null for products the daemon cannot list: no SKU
	 * (the contract requires one) or a type that holds no stock (grouped, external).
	 *
	 * @param \WC_Product $product Product or variation.
	 * @param float       $now     Unix time with fractions.
	 */
	public function upserted( $product, float $now ): ?array {
		$kind = self::kind( $product );
		$sku  = $this->sku( $product );
		if ( null === $kind || '' === $sku ) {
			return null;
		}
		$entry = array(
			'id'             => (int) $product->get_id(),
			'sku'            => $sku,
			'name'           => mb_substr( (string) $product->get_name(), 0, self::NAME_LENGTH_MAX ),
			'kind'           => $kind,
			'manage_stock'   => 'parent' === $product->get_manage_stock() ? 'parent' : (bool) $product->get_manage_stock(),
			'stock_quantity' => self::level( $product->get_stock_quantity() ),
			'backorders'     => in_array( $product->get_backorders(), array( 'no', 'notify', 'yes' ), true ) ? $product->get_backorders() : 'no',
		);
		if ( $product->get_parent_id() ) {
			$entry['parent_id'] = (int) $product->get_parent_id();
		}
		if ( in_array( $product->get_status(), self::STATUSES, true ) ) {
			$entry['status'] = $product->get_status();
		}
		if ( 'variation' === $kind ) {
			// An object even when empty: JSON would otherwise get [] where the schema wants {}.
			$entry['attributes'] = (object) self::attributes( $product );
		}
		return array(
			'id'          => $this->key( 'product:' . $product->get_id() . ':upsert:' . wp_generate_uuid4() ),
			'type'        => 'product.upserted',
			'occurred_at' => self::time( $now ),
			'product'     => $entry,
		);
	}

	/**
	 * A product or variation deleted.
	 *
	 * @param array $ref   Its product_ref (taken before deletion) or at least its id.
	 * @param float $now   Unix time with fractions.
	 */
	public function deleted( array $ref, float $now ): array {
		return array(
			'id'          => $this->key( 'product:' . $ref['id'] . ':delete:' . wp_generate_uuid4() ),
			'type'        => 'product.deleted',
			'occurred_at' => self::time( $now ),
			'product'     => $ref,
		);
	}

	/**
	 * A stock level as the contract's integer or null.
	 *
	 * @param mixed $level WooCommerce's stock (int, float, numeric string or null).
	 */
	public static function level( $level ): ?int {
		return ( null === $level || '' === $level || ! is_numeric( $level ) ) ? null : (int) round( (float) $level );
	}

	/**
	 * RFC 3339 UTC time with milliseconds, so that two changes in the same second keep order.
	 *
	 * @param float $now Unix time with fractions.
	 */
	public static function time( float $now ): string {
		$seconds = (int) floor( $now );
		return gmdate( 'Y-m-d\TH:i:s', $seconds ) . sprintf( '.%03dZ', (int) ( ( $now - $seconds ) * 1000 ) );
	}

	/**
	 * Prefixes a key with wc:{site}:.
	 *
	 * @param string $rest The rest of the key.
	 */
	private function key( string $rest ): string {
		return 'wc:' . $this->site . ':' . $rest;
	}

	/**
	 * The product's SKU within the contract's bounds, '' when it has none.
	 *
	 * @param \WC_Product $product Product.
	 */
	private function sku( $product ): string {
		return mb_substr( trim( (string) $product->get_sku() ), 0, self::SKU_LENGTH_MAX );
	}

	/**
	 * The contract's kind of a WooCommerce product type, null when it holds no stock.
	 *
	 * @param \WC_Product $product Product.
	 */
	private static function kind( $product ): ?string {
		$type = (string) $product->get_type();
		if ( in_array( $type, array( 'grouped', 'external' ), true ) ) {
			return null;
		}
		return in_array( $type, array( 'variable', 'variation', 'bundle' ), true ) ? $type : 'simple';
	}

	/**
	 * A variation's attributes as name => value strings, within the contract's bounds.
	 *
	 * @param \WC_Product $product Variation.
	 */
	private static function attributes( $product ): array {
		$attributes = array();
		foreach ( (array) $product->get_attributes() as $name => $value ) {
			if ( count( $attributes ) >= self::ATTRIBUTES_MAX ) {
				break;
			}
			if ( is_scalar( $value ) ) {
				$attributes[ (string) $name ] = mb_substr( (string) $value, 0, self::ATTRIBUTE_LENGTH_MAX );
			}
		}
		return $attributes;
	}
}
