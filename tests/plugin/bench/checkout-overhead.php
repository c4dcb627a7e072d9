<?php
/**
 * What Shelfguard adds to an order's stock reduction while the daemon is down (RELIABILITY.md
 * B6: at most 50 ms at p95). Runs on the test site: php tests/plugin/bench/checkout-overhead.php
 * [orders]. Each order (two lines) goes pending → processing, which reduces stock through
 * WooCommerce's hooks, followed by the plugin's end-of-request work (capture, queue writes,
 * delivery scheduling). Orders alternate between the plugin's hooks on and off, and the report
 * compares the two distributions. Prints one JSON line; exits 1 above the target.
 *
 * @package Shelfguard\Tests
 */

$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
$bench_dir = getenv( 'SHELFGUARD_WP_DIR' ) ?: dirname( __DIR__, 3 ) . '/.wp-test';
require $bench_dir . '/docroot/wp-load.php';

$bench_orders = (int) ( $argv[1] ?? 200 );
$bench_plugin = $GLOBALS['shelfguard'];
// The daemon is down: nothing listens on the discard port.
update_option( 'shelfguard_daemon_url', 'http://127.0.0.1:9', false );

/** Removes (or puts back) every callback Shelfguard registered, to measure the baseline. */
function bench_toggle_shelfguard( bool $on ) {
	global $wp_filter;
	static $removed = array();
	if ( $on ) {
		foreach ( $removed as $entry ) {
			add_action( $entry[0], $entry[1], $entry[2], $entry[3] );
		}
		$removed = array();
		return;
	}
	foreach ( $wp_filter as $hook => $wp_hook ) {
		foreach ( $wp_hook->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && is_object( $callback['function'][0] ) && 0 === strpos( get_class( $callback['function'][0] ), 'Shelfguard\\' ) ) {
					$removed[] = array( $hook, $callback['function'], $priority, $callback['accepted_args'] );
					remove_action( $hook, $callback['function'], $priority );
				}
			}
		}
	}
}

function bench_product( int $stock ) {
	$product = new WC_Product_Simple();
	$product->set_name( 'Bench' );
	$product->set_sku( 'BENCH-' . wp_generate_password( 8, false, false ) );
	$product->set_manage_stock( true );
	$product->set_stock_quantity( $stock );
	$product->save();
	return wc_get_product( $product->get_id() );
}

function bench_p( array $values, float $p ): float {
	sort( $values );
	return $values[ (int) min( count( $values ) - 1, ceil( $p * count( $values ) ) - 1 ) ];
}

$bench_products = array( bench_product( 100000 ), bench_product( 100000 ) );
$bench_times    = array( 'on' => array(), 'off' => array() );
for ( $i = 0; $i < $bench_orders * 2 + 20; $i++ ) {
	$mode  = 0 === $i % 2 ? 'on' : 'off';
	$order = wc_create_order();
	$order->add_product( $bench_products[0], 1 );
	$order->add_product( $bench_products[1], 2 );
	$order = wc_get_order( $order->get_id() );
	bench_toggle_shelfguard( 'on' === $mode );
	$started = hrtime( true );
	$order->update_status( 'processing' );
	if ( 'on' === $mode ) {
		// What the plugin does at shutdown of the checkout request.
		foreach ( array( 'stock', 'catalog', 'held', 'queue' ) as $bench_service ) {
			$bench_plugin->get( $bench_service )->end_request();
		}
		$bench_plugin->get( 'scheduler' )->end_request();
	}
	$elapsed = ( hrtime( true ) - $started ) / 1e6;
	bench_toggle_shelfguard( true );
	if ( $i >= 20 ) { // The first orders warm caches up.
		$bench_times[ $mode ][] = $elapsed;
	}
}
$bench_report = array(
	'orders_each'            => $bench_orders,
	'with_plugin_p50_ms'     => round( bench_p( $bench_times['on'], 0.5 ), 2 ),
	'with_plugin_p95_ms'     => round( bench_p( $bench_times['on'], 0.95 ), 2 ),
	'without_plugin_p50_ms'  => round( bench_p( $bench_times['off'], 0.5 ), 2 ),
	'without_plugin_p95_ms'  => round( bench_p( $bench_times['off'], 0.95 ), 2 ),
);
$bench_report['overhead_p95_ms'] = round( $bench_report['with_plugin_p95_ms'] - $bench_report['without_plugin_p95_ms'], 2 );
$bench_report['overhead_p50_ms'] = round( $bench_report['with_plugin_p50_ms'] - $bench_report['without_plugin_p50_ms'], 2 );
$bench_report['target_p95_ms']   = 50;
echo wp_json_encode( $bench_report ), "\n";
exit( $bench_report['overhead_p95_ms'] <= 50 ? 0 : 1 );
