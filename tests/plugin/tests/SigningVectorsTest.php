<?php
/**
 * The shared Standard Webhooks vectors (contracts/fixtures/signing-vectors.json), reproduced
 * byte for byte by the plugin's signer and accepted by its verifier; tampering is refused.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

use Shelfguard\Delivery\Signature;

final class SigningVectorsTest extends \PHPUnit\Framework\TestCase {

	public function vectors(): array {
		$file = dirname( __DIR__, 3 ) . '/contracts/fixtures/signing-vectors.json';
		$data = json_decode( file_get_contents( $file ), true );
		$rows = array();
		foreach ( $data['vectors'] as $vector ) {
			$rows[ $vector['id'] ] = array( $vector );
		}
		return $rows;
	}

	/** @dataProvider vectors */
	public function test_every_shared_vector_is_signed_byte_for_byte( array $vector ): void {
		$this->assertSame( $vector['signature'], Signature::sign( $vector['secret'], $vector['id'], $vector['timestamp'], $vector['body'] ) );
	}

	/** @dataProvider vectors */
	public function test_every_shared_vector_verifies_inside_the_tolerance_window( array $vector ): void {
		foreach ( array( -300, 0, 300 ) as $offset ) {
			$this->assertSame( '', Signature::verify( array( $vector['secret'] ), $vector['id'], (string) $vector['timestamp'], $vector['signature'], $vector['body'], $vector['timestamp'] + $offset ) );
		}
		$this->assertSame( 'stale_timestamp', Signature::verify( array( $vector['secret'] ), $vector['id'], (string) $vector['timestamp'], $vector['signature'], $vector['body'], $vector['timestamp'] + 301 ) );
	}

	/** @dataProvider vectors */
	public function test_a_one_bit_change_anywhere_is_refused( array $vector ): void {
		$secret = array( $vector['secret'] );
		$ts     = (string) $vector['timestamp'];
		$now    = $vector['timestamp'];
		$this->assertSame( 'invalid_signature', Signature::verify( $secret, $vector['id'], $ts, $vector['signature'], $vector['body'] . ' ', $now ) );
		$this->assertSame( 'invalid_signature', Signature::verify( $secret, $vector['id'] . 'x', $ts, $vector['signature'], $vector['body'], $now ) );
		$this->assertSame( 'invalid_signature', Signature::verify( $secret, $vector['id'], (string) ( $vector['timestamp'] + 1 ), $vector['signature'], $vector['body'], $now ) );
		$flipped    = base64_decode( substr( $vector['signature'], 3 ) );
		$flipped[0] = chr( ord( $flipped[0] ) ^ 1 );
		$this->assertSame( 'invalid_signature', Signature::verify( $secret, $vector['id'], $ts, 'v1,' . base64_encode( $flipped ), $vector['body'], $now ) );
	}

	public function test_one_matching_signature_among_several_is_enough_as_during_a_rotation(): void {
		$vector = $this->vectors()['msg_vector_1'][0];
		$header = 'v1,AAAA v1,bm90IGEgc2lnbmF0dXJl ' . $vector['signature'];
		$this->assertSame( '', Signature::verify( array( 'whsec_b3RoZXI=', $vector['secret'] ), $vector['id'], (string) $vector['timestamp'], $header, $vector['body'], $vector['timestamp'] ) );
	}

	public function test_garbage_headers_are_refused_without_an_exception(): void {
		$secret = array( 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' );
		foreach ( array( array( '', '', '' ), array( null, null, null ), array( 'id', 'abc', 'v1,x' ), array( 'id', '1795000001', str_repeat( 'A', 10240 ) ), array( 'id', '1795000001', 'v1,%%%' ), array( array(), '1', 'v1,x' ) ) as $headers ) {
			$this->assertNotSame( '', Signature::verify( $secret, $headers[0], $headers[1], $headers[2], '{}', 1795000001 ) );
		}
		$this->assertSame( 'invalid_signature', Signature::verify( array( 'not-a-secret', 'whsec_%%%' ), 'id', '1795000001', 'v1,AAAA', '{}', 1795000001 ) );
	}
}
