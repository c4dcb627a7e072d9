/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { DataViews, filterSortAndPaginate } from '@wordpress/dataviews/wp';
import { useCallback, useEffect, useMemo, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { daemonRequest } from '../../api/daemon-request';
import { formatNumber, formatPercent, formatTime } from '../../data/format';
import { appendRunsPage, channelsText, progressShare, runStatusLabel, RUNS_PAGE_SIZE, TABLE_PER_PAGE, triggerLabel, upsertRun } from '../../data/reconcile-runs';

/**
 * The history of runs, newest first: the first page at once, older pages on request; a run the
 * screen follows replaces its copy.
 *
 * @return {{status: string, data: Object|null, error: Error|null, reload: Function, loadOlder: Function, upsert: Function}} The history, shaped like useDaemon's resource.
 */
export function useRunHistory() {
	const [ state, setState ] = useState( { status: 'loading', data: null, error: null } );
	const [ attempt, setAttempt ] = useState( 0 );
	useEffect( () => {
		let isCurrent = true;
		setState( ( previous ) => ( { ...previous, status: 'loading', error: null } ) );
		daemonRequest( 'reconcile/runs', { query: { limit: RUNS_PAGE_SIZE } } ).then(
			( answer ) => isCurrent && setState( { status: 'ready', data: appendRunsPage( [], answer.runs ), error: null } ),
			( error ) => isCurrent && setState( { status: 'error', data: null, error } )
		);
		return () => {
			isCurrent = false;
		};
	}, [ attempt ] );
	const reload = useCallback( () => setAttempt( ( value ) => value + 1 ), [] );
	const loadOlder = useCallback( async () => {
		const oldest = state.data?.runs.at( -1 );
		if ( ! oldest ) {
			return;
		}
		try {
			const answer = await daemonRequest( 'reconcile/runs', { query: { limit: RUNS_PAGE_SIZE, before: oldest.id } } );
			setState( ( previous ) => ( { ...previous, data: appendRunsPage( previous.data.runs, answer.runs ) } ) );
		} catch ( error ) {
			setState( ( previous ) => ( { ...previous, status: 'error', error } ) );
		}
	}, [ state.data ] );
	const upsert = useCallback( ( run ) => setState( ( previous ) => ( previous.data ? { ...previous, data: { ...previous.data, runs: upsertRun( previous.data.runs, run ) } } : previous ) ), [] );
	return { ...state, reload, loadOlder, upsert };
}

function runFields() {
	const number = ( id, label ) => ( { id, label, type: 'integer', enableHiding: false, getValue: ( { item } ) => item[ id ], render: ( { item } ) => formatNumber( item[ id ] ) } );
	return [
		{
			id: 'startedAt',
			label: __( 'Started', 'shelfguard' ),
			type: 'datetime',
			enableHiding: false,
			getValue: ( { item } ) => item.startedAt,
			render: ( { item } ) => formatTime( item.startedAt ),
		},
		{
			id: 'status',
			label: __( 'Status', 'shelfguard' ),
			elements: [ 'running', 'finished', 'failed' ].map( ( value ) => ( { value, label: runStatusLabel( value ) } ) ),
			filterBy: { operators: [ 'isAny' ] },
			render: ( { item } ) => {
				const share = progressShare( item.progress );
				return item.status === 'running' && share !== null ? `${ runStatusLabel( item.status ) } (${ formatPercent( share ) })` : runStatusLabel( item.status );
			},
		},
		{ id: 'trigger', label: __( 'Started by', 'shelfguard' ), elements: [ 'schedule', 'cli', 'admin' ].map( ( value ) => ( { value, label: triggerLabel( value ) } ) ), filterBy: { operators: [ 'isAny' ] } },
		{ id: 'channels', label: __( 'Channels', 'shelfguard' ), enableSorting: false, getValue: ( { item } ) => channelsText( item.channels ), render: ( { item } ) => channelsText( item.channels ) },
		{ id: 'fix', label: __( 'Fix', 'shelfguard' ), enableSorting: false, render: ( { item } ) => ( item.fix ? __( 'Correct drift', 'shelfguard' ) : __( 'Compare only', 'shelfguard' ) ) },
		number( 'listingsChecked', __( 'Listings checked', 'shelfguard' ) ),
		number( 'driftFound', __( 'Drift found', 'shelfguard' ) ),
		number( 'driftFixed', __( 'Fixed', 'shelfguard' ) ),
	];
}

/**
 * Past runs in a DataViews table, newest first and paged; a row's "View drift" opens that run.
 *
 * @param {Object}   props
 * @param {Object}   props.history From useRunHistory (ready).
 * @param {Function} props.onOpen  Called with a run to show its drift.
 */
export function RunHistory( { history, onOpen } ) {
	const fields = useMemo( runFields, [] );
	const [ view, setView ] = useState( {
		type: 'table',
		search: '',
		filters: [],
		page: 1,
		perPage: TABLE_PER_PAGE,
		sort: { field: 'startedAt', direction: 'desc' },
		titleField: 'startedAt',
		fields: [ 'status', 'trigger', 'channels', 'fix', 'listingsChecked', 'driftFound', 'driftFixed' ],
		layout: { styles: { listingsChecked: { align: 'end' }, driftFound: { align: 'end' }, driftFixed: { align: 'end' } } },
	} );
	const runs = history.data.runs;
	const { data, paginationInfo } = useMemo( () => filterSortAndPaginate( runs, view, fields ), [ runs, view, fields ] );
	const actions = useMemo(
		() => [ { id: 'view-drift', label: __( 'View drift', 'shelfguard' ), isPrimary: true, callback: ( [ run ] ) => onOpen( run ) } ],
		[ onOpen ]
	);
	return (
		<div className="shelfguard-reconciliation__history">
			<DataViews
				data={ data }
				fields={ fields }
				view={ view }
				onChangeView={ setView }
				actions={ actions }
				paginationInfo={ paginationInfo }
				getItemId={ ( item ) => item.id }
				onClickItem={ onOpen }
				isItemClickable={ () => true }
				defaultLayouts={ { table: {} } }
				empty={ <p>{ __( 'No run matches these filters.', 'shelfguard' ) }</p> }
			/>
			{ history.data.hasOlder && (
				<Button variant="secondary" onClick={ history.loadOlder }>
					{ __( 'Load older runs', 'shelfguard' ) }
				</Button>
			) }
		</div>
	);
}
