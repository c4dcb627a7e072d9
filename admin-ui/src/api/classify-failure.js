/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Failure kinds the screens tell apart, because each asks the store owner to do something
 * different: start the daemon, finish the settings, wait for a newer daemon, or sign in again.
 */
export const FAILURE_KINDS = [ 'unreachable', 'not_configured', 'not_available', 'forbidden', 'failed' ];

const UNREACHABLE_CODES = [ 'shelfguard_daemon_unreachable', 'shelfguard_daemon_bad_response', 'fetch_error' ];
const NOT_CONFIGURED_CODES = [ 'shelfguard_not_configured', 'admin_api_disabled', 'unauthorized' ];
const NOT_AVAILABLE_CODES = [ 'shelfguard_not_proxied', 'not_found', 'rest_no_route' ];
const FORBIDDEN_CODES = [ 'rest_forbidden', 'rest_cookie_invalid_nonce' ];

/**
 * Maps an HTTP status and the body that came with it (a WordPress error `{ code, message }` or
 * a daemon error `{ error, message }`) to one failure kind and a message to show.
 *
 * @param {number} status HTTP status, 0 when no response arrived.
 * @param {Object} body   Parsed JSON body, or null.
 * @return {{kind: string, code: string, message: string, status: number}} The failure.
 */
export function classifyFailure( status, body ) {
	const code = String( body?.code ?? body?.error ?? '' );
	const message = typeof body?.message === 'string' ? body.message : '';
	const failure = ( kind, fallback ) => ( { kind, code, status, message: message || fallback } );
	if ( status === 0 || UNREACHABLE_CODES.includes( code ) ) {
		return failure( 'unreachable', __( 'The Shelfguard daemon did not answer.', 'shelfguard' ) );
	}
	if ( NOT_CONFIGURED_CODES.includes( code ) ) {
		return failure( 'not_configured', __( 'Shelfguard is not connected to its daemon yet.', 'shelfguard' ) );
	}
	if ( status === 404 && ( NOT_AVAILABLE_CODES.includes( code ) || code === '' ) ) {
		return failure( 'not_available', __( 'Not available from this daemon version.', 'shelfguard' ) );
	}
	if ( FORBIDDEN_CODES.includes( code ) || status === 401 || status === 403 ) {
		return failure( 'forbidden', __( 'You are not allowed to do this. Sign in again as a shop manager or administrator.', 'shelfguard' ) );
	}
	return failure( 'failed', __( 'The request failed.', 'shelfguard' ) );
}
