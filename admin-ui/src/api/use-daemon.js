/**
 * WordPress dependencies
 */
import { useCallback, useEffect, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { daemonRequest } from './daemon-request';

/**
 * Reads one daemon resource and keeps its state: loading, ready (with data) or error.
 *
 * @param {string|null} path  Path under /v1/admin/; null waits (nothing chosen yet).
 * @param {Object}      query Query parameters.
 * @return {{status: string, data: any, error: Error|null, reload: Function}} The resource.
 */
export function useDaemon( path, query = {} ) {
	const [ state, setState ] = useState( { status: path ? 'loading' : 'idle', data: null, error: null } );
	const [ attempt, setAttempt ] = useState( 0 );
	const queryKey = JSON.stringify( query );
	useEffect( () => {
		if ( ! path ) {
			setState( { status: 'idle', data: null, error: null } );
			return undefined;
		}
		// A later request replaces an earlier one; its late answer must not overwrite the newer.
		let isCurrent = true;
		setState( ( previous ) => ( { ...previous, status: 'loading', error: null } ) );
		daemonRequest( path, { query: JSON.parse( queryKey ) } ).then(
			( data ) => isCurrent && setState( { status: 'ready', data, error: null } ),
			( error ) => isCurrent && setState( { status: 'error', data: null, error } )
		);
		return () => {
			isCurrent = false;
		};
	}, [ path, queryKey, attempt ] );
	const reload = useCallback( () => setAttempt( ( value ) => value + 1 ), [] );
	return { ...state, reload };
}
