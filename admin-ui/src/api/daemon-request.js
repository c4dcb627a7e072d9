/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';

/**
 * Internal dependencies
 */
import { classifyFailure } from './classify-failure';

const PROXY_PATH = '/shelfguard/v1/admin/';

/** A failed call to the daemon, with the kind the screens branch on. */
export class DaemonError extends Error {
	constructor( failure ) {
		super( failure.message );
		this.kind = failure.kind;
		this.code = failure.code;
		this.status = failure.status;
	}
}

async function readJson( response ) {
	try {
		return await response.json();
	} catch {
		return null;
	}
}

/**
 * Calls the daemon's admin API through the plugin's REST proxy. api-fetch adds the REST nonce
 * core supplies; the admin token and the daemon's address never reach the browser.
 *
 * @param {string} path              Path under the daemon's /v1/admin/, e.g. "skus".
 * @param {Object} [options]         Options.
 * @param {string} [options.method]  GET or POST.
 * @param {Object} [options.query]   Query parameters; empty values are left out.
 * @param {Object} [options.data]    JSON body for POST.
 * @return {Promise<any>} The daemon's JSON answer.
 */
export async function daemonRequest( path, { method = 'GET', query = {}, data } = {} ) {
	const params = new URLSearchParams( Object.entries( query ).filter( ( [ , value ] ) => value !== undefined && value !== null && value !== '' ) ).toString();
	let response;
	try {
		// parse: false keeps the HTTP status, which tells "daemon down" from "route missing".
		response = await apiFetch( { path: PROXY_PATH + path + ( params ? `?${ params }` : '' ), method, parse: false, ...( method === 'POST' ? { data: data ?? {} } : {} ) } );
	} catch ( error ) {
		if ( typeof error?.status === 'number' && typeof error?.json === 'function' ) {
			throw new DaemonError( classifyFailure( error.status, await readJson( error ) ) );
		}
		throw new DaemonError( classifyFailure( 0, error ) );
	}
	return readJson( response );
}
