/**
 * WordPress dependencies
 */
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { daemonRequest } from '../../api/daemon-request';
import { RUN_POLL_MS } from '../../data/reconcile-runs';

const IDLE = { status: 'idle', run: null, drift: null, error: null, notice: null };

/**
 * Starts a reconciliation run (the daemon answers at once with its id) and follows it: the run is
 * read again every RUN_POLL_MS until it ends, then its drift is shown. A start refused because a
 * run is already going (409) follows that run instead.
 *
 * @param {Function} [onRun] Told of every new copy of the followed run (the history updates with it).
 * @return {{status: string, run: Object|null, drift: Object[]|null, error: Error|null, notice: string|null, start: Function, follow: Function}} The run.
 */
export function useReconcileRun( onRun ) {
	const [ state, setState ] = useState( IDLE );
	const followed = useRef( null );
	const timer = useRef( null );
	const onRunRef = useRef( onRun );
	onRunRef.current = onRun;

	useEffect(
		() => () => {
			followed.current = null;
			clearTimeout( timer.current );
		},
		[]
	);

	const follow = useCallback( ( runId, notice = null ) => {
		followed.current = runId;
		clearTimeout( timer.current );
		const read = async () => {
			try {
				const answer = await daemonRequest( `reconcile/runs/${ runId }` );
				if ( followed.current !== runId ) {
					return;
				}
				onRunRef.current?.( answer.run );
				const isRunning = answer.run.status === 'running';
				setState( { status: isRunning ? 'running' : 'done', run: answer.run, drift: isRunning ? null : answer.drift, error: null, notice } );
				if ( isRunning ) {
					timer.current = setTimeout( read, RUN_POLL_MS );
				}
			} catch ( error ) {
				if ( followed.current === runId ) {
					setState( ( previous ) => ( { ...previous, status: 'error', error } ) );
				}
			}
		};
		setState( ( previous ) => ( { ...IDLE, status: 'running', run: previous.run?.id === runId ? previous.run : null, notice } ) );
		return read();
	}, [] );

	const start = useCallback(
		async ( options ) => {
			followed.current = null;
			clearTimeout( timer.current );
			setState( { ...IDLE, status: 'starting' } );
			try {
				const { runId } = await daemonRequest( 'reconcile', { method: 'POST', data: options } );
				await follow( runId );
			} catch ( error ) {
				if ( error?.status === 409 ) {
					// Another run (scheduled, from the command line, another tab) is going: show it.
					const { runs } = await daemonRequest( 'reconcile/runs', { query: { limit: 1 } } ).catch( () => ( { runs: [] } ) );
					if ( runs[ 0 ]?.status === 'running' ) {
						await follow( runs[ 0 ].id, 'already_running' );
						return;
					}
				}
				setState( { ...IDLE, status: 'error', error } );
			}
		},
		[ follow ]
	);

	return { ...state, start, follow };
}
