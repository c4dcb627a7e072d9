<?php
/**
 * The checks PHP_CodeSniffer's packaged standards cannot make, over every shipped PHP file of
 * the plugin: the direct-access guard, prepared SQL, escaped output, no hard-coded hosts, no
 * secrets. php tests/plugin/lint.php plugin → prints each violation, exits 1 when any.
 *
 * @package Shelfguard\Tests
 */

$lint_root  = rtrim( $argv[1] ?? 'plugin', '/' );
$lint_found = array();
$lint_files = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $lint_root, FilesystemIterator::SKIP_DOTS ) );
$lint_safe_output = array( 'esc_html', 'esc_attr', 'esc_url', 'esc_js', 'esc_textarea', 'esc_html__', 'esc_attr__', 'esc_html_e', 'esc_attr_e', 'wp_kses', 'wp_kses_post', 'absint', 'intval' );
$lint_sql_vars    = array( 'table', 'queue', 'applied', 'list', 'where', 'charset', 'placeholders', 'shelfguard_itemmeta', 'wpdb->options', 'wpdb->postmeta', 'wpdb->prefix' );

/** Splits tokens at top-level occurrences of a separator. */
function lint_split( array $tokens, string $separator ): array {
	$parts = array( array() );
	$depth = 0;
	foreach ( $tokens as $token ) {
		$text = is_array( $token ) ? $token[1] : $token;
		if ( in_array( $text, array( '(', '[', '{' ), true ) ) {
			++$depth;
		} elseif ( in_array( $text, array( ')', ']', '}' ), true ) ) {
			--$depth;
		}
		if ( 0 === $depth && $text === $separator ) {
			$parts[] = array();
			continue;
		}
		if ( ! is_array( $token ) || T_WHITESPACE !== $token[0] ) {
			$parts[ count( $parts ) - 1 ][] = $token;
		}
	}
	return $parts;
}

/** Whether an output expression is escaped or a plain literal. */
function lint_is_safe( array $part, array $safe ): bool {
	$first = $part[0] ?? null;
	if ( is_array( $first ) && T_CONSTANT_ENCAPSED_STRING === $first[0] && 1 === count( $part ) ) {
		return true;
	}
	return is_array( $first ) && T_STRING === $first[0] && in_array( $first[1], $safe, true );
}

foreach ( $lint_files as $lint_file ) {
	$path = $lint_file->getPathname();
	if ( 'php' !== $lint_file->getExtension() || preg_match( '#/(vendor|build)/#', $path ) ) {
		continue;
	}
	$source = file_get_contents( $path );
	$guard  = 'uninstall.php' === basename( $path ) ? "defined( 'WP_UNINSTALL_PLUGIN' ) || exit;" : "defined( 'ABSPATH' ) || exit;";
	if ( false === strpos( $source, $guard ) ) {
		$lint_found[] = "$path: no direct-access guard ($guard)";
	}
	if ( preg_match( '/localhost|127\.0\.0\.1|whsec_[A-Za-z0-9+\/]{16,}/', $source, $match ) ) {
		$lint_found[] = "$path: hard-coded host or secret \"{$match[0]}\"";
	}
	foreach ( explode( "\n", $source ) as $number => $line ) {
		$where = $path . ':' . ( $number + 1 );
		if ( preg_match( '/\$wpdb->(query|get_var|get_row|get_col|get_results)\(\s*(.)/', $line, $call ) && ! preg_match( '/\$wpdb->\w+\(\s*(\$wpdb->prepare\(|\'[^\'$]*\'\s*\))/', $line ) && ( "\n" !== $call[2] && '' !== trim( $call[2] ) ) && ! preg_match( '/phpcs:ignore WordPress\.DB\.PreparedSQL.*--/', $line ) ) {
			$lint_found[] = "$where: \$wpdb->{$call[1]}() with a query that is not prepared";
		}
		if ( preg_match( '/\$wpdb->/', $line ) && preg_match_all( '/"[^"]*"/', $line, $strings ) ) {
			foreach ( $strings[0] as $string ) {
				preg_match_all( '/\{?\$([a-z_]+(?:->[a-z_]+)?)/', $string, $vars );
				foreach ( array_diff( $vars[1], $lint_sql_vars ) as $var ) {
					$lint_found[] = "$where: \$$var interpolated into SQL (use a placeholder)";
				}
			}
		}
	}
	$tokens = token_get_all( $source );
	foreach ( $tokens as $index => $token ) {
		if ( is_array( $token ) && ( T_ECHO === $token[0] || T_PRINT === $token[0] ) ) {
			$statement = array();
			for ( $next = $index + 1; isset( $tokens[ $next ] ) && ';' !== $tokens[ $next ] && ! ( is_array( $tokens[ $next ] ) && T_CLOSE_TAG === $tokens[ $next ][0] ); $next++ ) {
				$statement[] = $tokens[ $next ];
			}
			foreach ( lint_split( $statement, '.' ) as $part ) {
				if ( ! lint_is_safe( $part, $lint_safe_output ) ) {
					$lint_found[] = "$path:{$token[2]}: echo of unescaped output";
				}
			}
		}
		if ( is_array( $token ) && T_STRING === $token[0] && 'printf' === $token[1] && '(' === ( $tokens[ $index + 1 ] ?? '' ) ) {
			$arguments = array();
			for ( $next = $index + 2, $depth = 1; isset( $tokens[ $next ] ); $next++ ) {
				$text   = is_array( $tokens[ $next ] ) ? $tokens[ $next ][1] : $tokens[ $next ];
				$depth += ( '(' === $text ) - ( ')' === $text );
				if ( 0 === $depth ) {
					break;
				}
				$arguments[] = $tokens[ $next ];
			}
			foreach ( array_slice( lint_split( $arguments, ',' ), 1 ) as $part ) {
				if ( $part && ! lint_is_safe( $part, $lint_safe_output ) ) {
					$lint_found[] = "$path:{$token[2]}: printf of unescaped output";
				}
			}
		}
	}
}
foreach ( $lint_found as $problem ) {
	echo $problem, "\n";
}
echo count( $lint_found ) ? count( $lint_found ) . " lint violations\n" : "lint: clean\n";
exit( count( $lint_found ) ? 1 : 0 );
