/**
 * WordPress dependencies
 */
import { useCallback, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { daemonRequest } from './daemon-request';

/**
 * A POST to the daemon that the user starts (validate, promote, reconcile), with its state.
 *
 * @return {{status: string, result: any, error: Error|null, run: Function}} The action.
 */
export function useDaemonAction() {
	const [ state, setState ] = useState( { status: 'idle', result: null, error: null } );
	const run = useCallback( async ( path, data = {} ) => {
		setState( { status: 'running', result: null, error: null } );
		try {
			const result = await daemonRequest( path, { method: 'POST', data } );
			setState( { status: 'done', result, error: null } );
			return result;
		} catch ( error ) {
			setState( { status: 'error', result: null, error } );
			return null;
		}
	}, [] );
	return { ...state, run };
}
