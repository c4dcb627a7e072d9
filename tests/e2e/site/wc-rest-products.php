<?php
/**
 * Must-use plugin of the end-to-end test site: the two read routes of WooCommerce's REST API that
 * the daemon's WooCommerce connector uses (GET /wc/v3/products and /wc/v3/products/<id>), for the
 * WooCommerce stand-in, which has no REST API. Shaped after WooCommerce's responses (the fields
 * the connector reads), authenticated by WordPress itself (application passwords over Basic
 * auth) and allowed to manage_woocommerce only. With a real WooCommerce active it does nothing:
 * WooCommerce's own routes answer.
 *
 * @package Shelfguard\Tests
 */

add_action(
	'rest_api_init',
	static function () {
		if ( ! function_exists( 'wc_standin_install' ) ) {
			return; // A real WooCommerce serves wc/v3 itself.
		}
		$permission = static function () {
			return current_user_can( 'manage_woocommerce' ) ? true : new WP_Error( 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.', array( 'status' => rest_authorization_required_code() ) );
		};
		$shape      = static function ( WC_Product $product ) {
			$manage = $product->get_manage_stock();
			return array(
				'id'             => $product->get_id(),
				'name'           => $product->get_name(),
				'type'           => $product->get_type(),
				'status'         => $product->get_status(),
				'sku'            => (string) $product->get_sku(),
				'manage_stock'   => 'parent' === $manage ? 'parent' : (bool) $manage,
				'stock_quantity' => null === $product->get_stock_quantity() ? null : (int) $product->get_stock_quantity(),
				'parent_id'      => (int) $product->get_parent_id(),
				'variations'     => array(),
			);
		};
		register_rest_route(
			'wc/v3',
			'/products/(?P<id>[\d]+)',
			array(
				'methods'             => 'GET',
				'permission_callback' => $permission,
				'callback'            => static function ( WP_REST_Request $request ) use ( $shape ) {
					$product = wc_get_product( (int) $request['id'] );
					if ( ! $product ) {
						return new WP_Error( 'woocommerce_rest_product_invalid_id', 'Invalid ID.', array( 'status' => 404 ) );
					}
					return rest_ensure_response( $shape( $product ) );
				},
			)
		);
		register_rest_route(
			'wc/v3',
			'/products',
			array(
				'methods'             => 'GET',
				'permission_callback' => $permission,
				'callback'            => static function ( WP_REST_Request $request ) use ( $shape ) {
					$per_page = max( 1, min( 100, (int) ( $request['per_page'] ?? 10 ) ) );
					$page     = max( 1, (int) ( $request['page'] ?? 1 ) );
					$query    = new WP_Query(
						array(
							'post_type'      => 'product',
							'post_status'    => 'any',
							'posts_per_page' => $per_page,
							'paged'          => $page,
							'orderby'        => 'ID',
							'order'          => 'ASC',
							'fields'         => 'ids',
						)
					);
					$items    = array();
					foreach ( $query->posts as $id ) {
						$product = wc_get_product( $id );
						if ( $product ) {
							$items[] = $shape( $product );
						}
					}
					$response = rest_ensure_response( $items );
					$response->header( 'X-WP-Total', (string) $query->found_posts );
					$response->header( 'X-WP-TotalPages', (string) max( 1, (int) $query->max_num_pages ) );
					return $response;
				},
			)
		);
	}
);
