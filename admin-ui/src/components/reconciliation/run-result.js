/**
 * WordPress dependencies
 */
import { DataViews, filterSortAndPaginate } from '@wordpress/dataviews/wp';
import { useMemo, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatDuration, formatNumber } from '../../data/format';
import { runSummary, TABLE_PER_PAGE } from '../../data/reconcile-runs';
import { DataTable } from '../data-table';
import { driftCauseLabel } from './drift-cause';

function summaryColumns() {
	return [
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
		{ id: 'ok', label: __( 'Result', 'shelfguard' ), render: ( row ) => ( row.ok ? __( 'Read completely', 'shelfguard' ) : row.error ?? __( 'Failed', 'shelfguard' ) ) },
		{ id: 'listingsChecked', label: __( 'Listings checked', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.listingsChecked ) },
		{ id: 'driftFound', label: __( 'Drift found', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.driftFound ) },
		{ id: 'driftFixed', label: __( 'Fixed', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.driftFixed ) },
		{ id: 'apiCalls', label: __( 'API calls', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.apiCalls ) },
		{ id: 'seconds', label: __( 'Took', 'shelfguard' ), isNumeric: true, render: ( row ) => formatDuration( row.seconds * 1000 ) },
	];
}

function driftFields() {
	const number = ( id, label ) => ( { id, label, type: 'integer', enableHiding: false, getValue: ( { item } ) => item[ id ], render: ( { item } ) => formatNumber( item[ id ] ) } );
	return [
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ), enableHiding: false, enableGlobalSearch: true },
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), getValue: ( { item } ) => item.channel, render: ( { item } ) => channelLabel( item.channel ), filterBy: { operators: [ 'isAny' ] }, elements: [] },
		number( 'expected', __( 'Shelfguard', 'shelfguard' ) ),
		number( 'shown', __( 'Channel showed', 'shelfguard' ) ),
		{ id: 'cause', label: __( 'Likely cause', 'shelfguard' ), render: ( { item } ) => driftCauseLabel( item.cause ) },
		{ id: 'fixed', label: __( 'Corrected', 'shelfguard' ), render: ( { item } ) => ( item.fixed ? __( 'Yes', 'shelfguard' ) : __( 'No', 'shelfguard' ) ) },
	];
}

function DriftTable( { drift } ) {
	const channels = useMemo( () => [ ...new Set( drift.map( ( item ) => item.channel ) ) ], [ drift ] );
	const fields = useMemo( () => driftFields().map( ( field ) => ( field.id === 'channel' ? { ...field, elements: channels.map( ( code ) => ( { value: code, label: channelLabel( code ) } ) ) } : field ) ), [ channels ] );
	const [ view, setView ] = useState( {
		type: 'table',
		search: '',
		filters: [],
		page: 1,
		perPage: TABLE_PER_PAGE,
		sort: { field: 'sku', direction: 'asc' },
		titleField: 'sku',
		fields: [ 'channel', 'expected', 'shown', 'cause', 'fixed' ],
		layout: { styles: { expected: { align: 'end' }, shown: { align: 'end' } } },
	} );
	const { data, paginationInfo } = useMemo( () => filterSortAndPaginate( drift, view, fields ), [ drift, view, fields ] );
	return (
		<DataViews
			data={ data }
			fields={ fields }
			view={ view }
			onChangeView={ setView }
			paginationInfo={ paginationInfo }
			getItemId={ ( item ) => `${ item.channel }:${ item.sku }` }
			defaultLayouts={ { table: {} } }
			empty={ <p>{ __( 'No listing matches these filters.', 'shelfguard' ) }</p> }
		/>
	);
}

/**
 * What one reconciliation run found: a sentence, the result per channel, and the listings that
 * differed (paged, sortable).
 *
 * @param {Object}   props
 * @param {Object}   props.run   RunView.
 * @param {Object[]} props.drift The run's drift.
 */
export function RunResult( { run, drift } ) {
	return (
		<div className="shelfguard-reconciliation__report">
			<p className="shelfguard-reconciliation__summary">{ runSummary( run, formatNumber ) }</p>
			{ run.channelReports.length === 0 ? (
				<p>{ __( 'No connected channel to reconcile.', 'shelfguard' ) }</p>
			) : (
				<DataTable caption={ __( 'Reconciliation result per channel', 'shelfguard' ) } columns={ summaryColumns() } rows={ run.channelReports } rowKey={ ( row ) => row.channel } />
			) }
			{ drift.length > 0 && (
				<section className="shelfguard-reconciliation__drift" aria-label={ __( 'Listings that differed', 'shelfguard' ) }>
					<h3>{ __( 'Listings that differed', 'shelfguard' ) }</h3>
					{ run.driftStored < run.driftFound && (
						<p>{ __( 'Only the first 10,000 listings that differed are kept for a run.', 'shelfguard' ) }</p>
					) }
					<DriftTable drift={ drift } />
				</section>
			) }
		</div>
	);
}
