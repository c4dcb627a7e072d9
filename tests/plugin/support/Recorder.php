<?php
/**
 * Starts and stops the signature-verifying recorder (tests/plugin/recorder/) that stands in for
 * the daemon's POST /v1/events, and reads what it received. "Down" means the process is gone.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

final class Recorder {

	private static $dir = '';
	private static $pid = 0;

	public static function dir(): string {
		if ( '' === self::$dir ) {
			self::$dir = sys_get_temp_dir() . '/shelfguard-recorder-' . getmypid();
			is_dir( self::$dir ) || mkdir( self::$dir, 0700, true );
			register_shutdown_function(
				static function (): void {
					self::stop();
					exec( 'rm -rf ' . escapeshellarg( self::$dir ) );
				}
			);
		}
		return self::$dir;
	}

	/** Starts it with the plugin's current secret(s) and a mode: ok, fail503, or reject:<substring>. */
	public static function start( array $secrets, string $mode = 'ok' ): void {
		self::stop();
		file_put_contents( self::dir() . '/secrets.json', json_encode( $secrets ) );
		self::mode( $mode );
		$router = dirname( __DIR__ ) . '/recorder/recorder.php';
		$pid    = shell_exec( 'cd ' . escapeshellarg( self::dir() ) . ' && RECORDER_DIR=' . escapeshellarg( self::dir() ) . ' setsid php -S 127.0.0.1:' . TestCase::RECORDER_PORT . ' ' . escapeshellarg( $router ) . ' >server.log 2>&1 </dev/null & echo $!' );
		self::$pid = (int) $pid;
		for ( $i = 0; $i < 50; $i++ ) {
			$socket = @fsockopen( '127.0.0.1', TestCase::RECORDER_PORT, $errno, $errstr, 0.1 );
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 100000 );
		}
		throw new \RuntimeException( 'The recorder did not start.' );
	}

	public static function admin_token( string $token ): void {
		file_put_contents( self::dir() . '/admin-token', $token );
	}

	public static function mode( string $mode ): void {
		file_put_contents( self::dir() . '/mode', $mode );
	}

	/** Stops the process group, so nothing listens on the port: the daemon is down. */
	public static function stop(): void {
		if ( self::$pid > 0 ) {
			exec( 'kill -- -' . self::$pid . ' 2>/dev/null' );
			self::$pid = 0;
			usleep( 200000 );
		}
	}

	public static function reset(): void {
		foreach ( array( 'requests.jsonl', 'applied.json' ) as $file ) {
			@unlink( self::dir() . '/' . $file );
		}
	}

	/** Every request the recorder accepted: webhook-id and events. */
	public static function requests(): array {
		$file = self::dir() . '/requests.jsonl';
		if ( ! is_file( $file ) ) {
			return array();
		}
		return array_map( static function ( $line ) { return json_decode( $line, true ); }, array_filter( explode( "\n", file_get_contents( $file ) ) ) );
	}

	/** Event ids applied (first deliveries only). */
	public static function applied(): array {
		$file = self::dir() . '/applied.json';
		return is_file( $file ) ? array_keys( json_decode( file_get_contents( $file ), true ) ) : array();
	}
}
