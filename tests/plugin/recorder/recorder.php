<?php
/**
 * A stand-in for the daemon's POST /v1/events for the plugin's delivery tests, run with
 * `php -S`. It verifies Standard Webhooks signatures on its own (not with the plugin's code),
 * answers per-event results as contracts/README.md says, and records what it accepted.
 * RECORDER_DIR holds secrets.json, mode (ok | fail503 | reject:<substring>), and the records.
 *
 * @package Shelfguard\Tests
 */

$recorder_dir = getenv( 'RECORDER_DIR' );
$recorder_uri = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
header( 'Content-Type: application/json' );
if ( '/readyz' === $recorder_uri ) {
	echo '{"ready":true}';
	return;
}
if ( 0 === strpos( $recorder_uri, '/v1/admin/' ) ) {
	// The daemon's admin API: says what it received, and whether the admin token came with it.
	$recorder_token = is_file( $recorder_dir . '/admin-token' ) ? trim( file_get_contents( $recorder_dir . '/admin-token' ) ) : '';
	echo json_encode( array( 'path' => substr( $recorder_uri, strlen( '/v1/admin/' ) ), 'method' => $_SERVER['REQUEST_METHOD'], 'query' => $_GET, 'authorized' => '' !== $recorder_token && ( $_SERVER['HTTP_AUTHORIZATION'] ?? '' ) === 'Bearer ' . $recorder_token ) );
	return;
}
if ( '/v1/events' !== $recorder_uri || 'POST' !== $_SERVER['REQUEST_METHOD'] ) {
	http_response_code( 404 );
	echo '{"error":"not_found"}';
	return;
}
$recorder_body = file_get_contents( 'php://input' );
$recorder_id   = $_SERVER['HTTP_WEBHOOK_ID'] ?? '';
$recorder_ts   = $_SERVER['HTTP_WEBHOOK_TIMESTAMP'] ?? '';
$recorder_sigs = explode( ' ', $_SERVER['HTTP_WEBHOOK_SIGNATURE'] ?? '' );
$recorder_ok   = false;
foreach ( json_decode( file_get_contents( $recorder_dir . '/secrets.json' ), true ) as $recorder_secret ) {
	$recorder_key      = base64_decode( substr( $recorder_secret, strlen( 'whsec_' ) ) );
	$recorder_expected = 'v1,' . base64_encode( hash_hmac( 'sha256', "$recorder_id.$recorder_ts.$recorder_body", $recorder_key, true ) );
	foreach ( $recorder_sigs as $recorder_sig ) {
		$recorder_ok = $recorder_ok || hash_equals( $recorder_expected, $recorder_sig );
	}
}
if ( ! $recorder_ok || abs( time() - (int) $recorder_ts ) > 300 ) {
	http_response_code( 401 );
	echo '{"error":"invalid_signature"}';
	return;
}
$recorder_mode = trim( (string) file_get_contents( $recorder_dir . '/mode' ) );
if ( 'fail503' === $recorder_mode ) {
	http_response_code( 503 );
	echo '{"error":"ledger_unavailable"}';
	return;
}
$recorder_batch = json_decode( $recorder_body, true );
if ( 'invalid422' === $recorder_mode ) {
	http_response_code( 422 );
	echo json_encode( array( 'results' => array_map( static function ( $event ) { return array( 'id' => $event['id'], 'status' => 'rejected', 'code' => 'invalid_event', 'message' => '/events/0/quantity must be integer' ); }, $recorder_batch['events'] ) ) );
	return;
}
// One request at a time touches the records (php -S may run several workers).
$recorder_lock = fopen( $recorder_dir . '/lock', 'c' );
flock( $recorder_lock, LOCK_EX );
$recorder_applied = is_file( $recorder_dir . '/applied.json' ) ? json_decode( file_get_contents( $recorder_dir . '/applied.json' ), true ) : array();
$recorder_results = array();
foreach ( $recorder_batch['events'] as $recorder_event ) {
	$recorder_hash = hash( 'sha256', json_encode( $recorder_event ) );
	if ( 0 === strpos( $recorder_mode, 'reject:' ) && false !== strpos( $recorder_event['id'], substr( $recorder_mode, 7 ) ) ) {
		$recorder_results[] = array( 'id' => $recorder_event['id'], 'status' => 'rejected', 'code' => 'unknown_product', 'message' => 'no such product in the ledger' );
	} elseif ( isset( $recorder_applied[ $recorder_event['id'] ] ) ) {
		$recorder_same      = $recorder_applied[ $recorder_event['id'] ] === $recorder_hash;
		$recorder_results[] = $recorder_same ? array( 'id' => $recorder_event['id'], 'status' => 'duplicate' ) : array( 'id' => $recorder_event['id'], 'status' => 'rejected', 'code' => 'idempotency_conflict' );
	} else {
		$recorder_applied[ $recorder_event['id'] ] = $recorder_hash;
		$recorder_results[]                        = array( 'id' => $recorder_event['id'], 'status' => 'applied' );
	}
}
file_put_contents( $recorder_dir . '/applied.json', json_encode( $recorder_applied ) );
file_put_contents( $recorder_dir . '/requests.jsonl', json_encode( array( 'webhook_id' => $recorder_id, 'events' => $recorder_batch['events'] ) ) . "\n", FILE_APPEND );
flock( $recorder_lock, LOCK_UN );
echo json_encode( array( 'results' => $recorder_results ) );
