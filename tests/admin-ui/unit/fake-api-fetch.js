/**
 * A stand-in for @wordpress/api-fetch called with parse: false: answers by path like the
 * plugin's proxy would, resolving with a Response-like object on 2xx and rejecting with it
 * otherwise, as api-fetch does. Records every call so tests can check what was asked.
 */
function responseOf( status, body ) {
	return { status, ok: status >= 200 && status < 300, json: async () => body };
}

/**
 * @param {Object<string, Function|Object>} routes "GET channels" → body, or ( call ) => [ status, body ].
 * @return {Function} A jest mock for apiFetch.
 */
export function fakeApiFetch( routes ) {
	return jest.fn( async ( { path, method = 'GET', data } ) => {
		const [ pathname, search = '' ] = path.replace( '/shelfguard/v1/admin/', '' ).split( '?' );
		const query = Object.fromEntries( new URLSearchParams( search ) );
		const route = routes[ `${ method } ${ pathname }` ];
		if ( route === undefined ) {
			throw responseOf( 404, { error: 'not_found', message: `no route ${ method } /v1/admin/${ pathname }` } );
		}
		const [ status, body ] = typeof route === 'function' ? route( { query, data } ) : [ 200, route ];
		if ( status >= 200 && status < 300 ) {
			return responseOf( status, body );
		}
		throw responseOf( status, body );
	} );
}
