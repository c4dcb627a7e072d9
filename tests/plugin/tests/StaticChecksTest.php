<?php
/**
 * The plugin passes the project's phpcs ruleset and the lint for what sniffs cannot check, and
 * the lint does catch each kind of violation it exists for.
 *
 * @package Shelfguard\Tests
 */

namespace Shelfguard\Tests;

final class StaticChecksTest extends \PHPUnit\Framework\TestCase {

	private function run_command( string $command ): array {
		exec( 'cd ' . escapeshellarg( dirname( __DIR__, 3 ) ) . ' && ' . $command . ' 2>&1', $output, $code );
		return array( $code, implode( "\n", $output ) );
	}

	public function test_the_plugin_is_clean_under_the_projects_phpcs_ruleset(): void {
		list( $code, $output ) = $this->run_command( 'phpcs -q --standard=plugin/phpcs.xml.dist plugin' );
		$this->assertSame( 0, $code, $output );
	}

	public function test_every_plugin_file_is_guarded_prepared_escaped_and_free_of_hosts(): void {
		list( $code, $output ) = $this->run_command( 'php tests/plugin/lint.php plugin' );
		$this->assertSame( 0, $code, $output );
	}

	public function test_the_lint_catches_each_kind_of_violation(): void {
		$dir = sys_get_temp_dir() . '/shelfguard-lint-' . getmypid();
		is_dir( $dir ) || mkdir( $dir );
		copy( __DIR__ . '/../fixtures/lint-violations.php', $dir . '/bad.php' );
		list( $code, $output ) = $this->run_command( 'php tests/plugin/lint.php ' . escapeshellarg( $dir ) );
		unlink( $dir . '/bad.php' );
		rmdir( $dir );
		$this->assertSame( 1, $code );
		foreach ( array( 'no direct-access guard', 'hard-coded host', 'not prepared', 'interpolated into SQL', 'echo of unescaped output', 'printf of unescaped output' ) as $kind ) {
			$this->assertStringContainsString( $kind, $output );
		}
	}
}
