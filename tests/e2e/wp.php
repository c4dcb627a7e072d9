<?php
/**
 * One WordPress request on the end-to-end test site, from the command line:
 *
 *   php tests/e2e/wp.php <action> '<json arguments>'
 *
 * It loads the site's wp-load.php (WordPress, WooCommerce or its stand-in, Shelfguard), does what
 * a shop does in one request (create products, take orders, cancel them) or reads what the
 * plugin holds (stock levels, its queue), and prints one JSON line. WordPress's shutdown hooks
 * run when the script ends, exactly as at the end of a web request: that is when Shelfguard
 * writes the request's events to its queue and schedules their delivery.
 *
 * Secrets arrive in environment variables (SHELFGUARD_E2E_SECRET) and are never printed; the one
 * credential printed is the application password that `configure` creates, read by the test.
 *
 * @package Shelfguard\Tests
 */

$shelfguard_e2e_dir = getenv( 'SHELFGUARD_WP_DIR' ) ?: dirname( __DIR__, 2 ) . '/.wp-e2e';
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require $shelfguard_e2e_dir . '/docroot/wp-load.php';

use Shelfguard\Queue\Schema;

/** The product's stock as stored now (no object cache between processes). */
function shelfguard_e2e_stock( int $id ) {
	clean_post_cache( $id );
	$product = wc_get_product( $id );
	return $product ? $product->get_stock_quantity() : null;
}

/** @param int[] $ids */
function shelfguard_e2e_id_list( array $ids ): string {
	$ids = array_values( array_filter( array_map( 'intval', $ids ) ) );
	return $ids ? implode( ',', $ids ) : '0';
}

$shelfguard_e2e_action = $argv[1] ?? '';
$shelfguard_e2e_args   = json_decode( $argv[2] ?? '{}', true ) ?: array();
$shelfguard_e2e_plugin = $GLOBALS['shelfguard'];
$shelfguard_e2e_out    = null;
global $wpdb;

switch ( $shelfguard_e2e_action ) {
	case 'configure':
		// What the administrator does on the settings page: the daemon's URL and the shared secret.
		$settings = $shelfguard_e2e_plugin->get( 'settings' );
		$ok       = $settings->set_daemon_url( $shelfguard_e2e_args['daemon_url'] );
		if ( is_wp_error( $ok ) ) {
			fwrite( STDERR, $ok->get_error_message() . "\n" );
			exit( 1 );
		}
		update_option( \Shelfguard\Settings::SECRET, (string) getenv( 'SHELFGUARD_E2E_SECRET' ), false );
		delete_option( \Shelfguard\Settings::SECRET_PREVIOUS );
		delete_option( \Shelfguard\Settings::GRACE_UNTIL );
		$out = array( 'site' => $settings->site_id() );
		if ( ! empty( $shelfguard_e2e_args['application_password'] ) ) {
			$admin = get_user_by( 'login', 'admin' );
			list( $password ) = WP_Application_Passwords::create_new_application_password( $admin->ID, array( 'name' => 'shelfguard-e2e-' . wp_generate_password( 6, false ) ) );
			$out['username']             = 'admin';
			$out['application_password'] = $password;
		}
		$shelfguard_e2e_out = $out;
		break;

	case 'products':
		$made = array();
		for ( $i = 0; $i < (int) $shelfguard_e2e_args['count']; $i++ ) {
			$product = new WC_Product_Simple();
			$sku     = $shelfguard_e2e_args['prefix'] . '-' . ( $i + 1 );
			$product->set_name( 'E2E ' . $sku );
			$product->set_sku( $sku );
			$product->set_manage_stock( true );
			$product->set_stock_quantity( (int) $shelfguard_e2e_args['stock'] );
			$product->save();
			$made[] = array( 'id' => $product->get_id(), 'sku' => $sku );
		}
		$shelfguard_e2e_out = $made;
		break;

	case 'orders':
		// Each order: created, its lines added, then paid (processing), which reduces the stock.
		$made = array();
		foreach ( $shelfguard_e2e_args['orders'] as $lines ) {
			$order = wc_create_order();
			$items = array();
			foreach ( $lines as $line ) {
				$items[] = $order->add_product( wc_get_product( (int) $line[0] ), (int) $line[1] );
			}
			$order->save();
			$order = wc_get_order( $order->get_id() );
			$order->update_status( $shelfguard_e2e_args['status'] ?? 'processing' );
			$made[] = array( 'order_id' => $order->get_id(), 'item_ids' => $items );
		}
		$shelfguard_e2e_out = $made;
		break;

	case 'status':
		foreach ( $shelfguard_e2e_args['order_ids'] as $order_id ) {
			wc_get_order( (int) $order_id )->update_status( $shelfguard_e2e_args['status'] );
		}
		$shelfguard_e2e_out = true;
		break;

	case 'stock':
		$levels = array();
		foreach ( $shelfguard_e2e_args['ids'] as $id ) {
			$levels[ (string) $id ] = shelfguard_e2e_stock( (int) $id );
		}
		$shelfguard_e2e_out = $levels;
		break;

	case 'queue':
		// The plugin's outgoing queue for some products: status counts and every row's key.
		$table = Schema::queue_table();
		$where = isset( $shelfguard_e2e_args['product_ids'] ) ? ' WHERE product_id IN (' . shelfguard_e2e_id_list( $shelfguard_e2e_args['product_ids'] ) . ')' : '';
		$rows  = $wpdb->get_results( "SELECT id, event_key, event_type, product_id, status, attempts, last_error FROM {$table}{$where} ORDER BY id", ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL -- integers only.
		$count = array();
		foreach ( $rows as $row ) {
			$count[ $row['status'] ] = ( $count[ $row['status'] ] ?? 0 ) + 1;
		}
		$shelfguard_e2e_out = array( 'statuses' => (object) $count, 'rows' => $rows );
		break;

	case 'deliver':
		// One run of the scheduled delivery job (what Action Scheduler or WP-Cron runs every minute).
		$started            = microtime( true );
		$result             = $shelfguard_e2e_plugin->get( 'scheduler' )->run();
		$result['ms']       = (int) round( 1000 * ( microtime( true ) - $started ) );
		$shelfguard_e2e_out = $result;
		break;

	case 'lose_acks':
		// The state a lost acknowledgement leaves: delivered rows due again, as if the daemon's
		// answer had never arrived, so the plugin sends the same events a second time.
		$table              = Schema::queue_table();
		$shelfguard_e2e_out = (int) $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = 'pending', next_attempt_at = %s WHERE status = 'done' AND product_id IN (" . shelfguard_e2e_id_list( $shelfguard_e2e_args['product_ids'] ) . ')', gmdate( 'Y-m-d H:i:s', time() - 1 ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL -- integers only.
		break;

	case 'applied':
		$table              = Schema::applied_table();
		$shelfguard_e2e_out = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$table} WHERE product_id IN (" . shelfguard_e2e_id_list( $shelfguard_e2e_args['product_ids'] ) . ')' ); // phpcs:ignore WordPress.DB.PreparedSQL -- integers only.
		break;

	default:
		fwrite( STDERR, "unknown action: $shelfguard_e2e_action\n" );
		exit( 2 );
}

echo wp_json_encode( $shelfguard_e2e_out ), "\n";
