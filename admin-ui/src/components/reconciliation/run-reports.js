/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatDuration, formatNumber } from '../../data/format';
import { DataTable } from '../data-table';
import { driftCauseLabel } from './drift-cause';

const DRIFT_SHOWN_MAX = 20;

function summaryColumns() {
	return [
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
		{ id: 'ok', label: __( 'Result', 'shelfguard' ), render: ( row ) => ( row.ok ? __( 'Read completely', 'shelfguard' ) : row.error ?? __( 'Failed', 'shelfguard' ) ) },
		{ id: 'listingsChecked', label: __( 'Listings checked', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.listingsChecked ) },
		{ id: 'drift', label: __( 'Drift found', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.drift.length ) },
		{ id: 'fixed', label: __( 'Fixed', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.fixed ) },
		{ id: 'apiCalls', label: __( 'API calls', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.apiCalls ) },
		{ id: 'seconds', label: __( 'Took', 'shelfguard' ), isNumeric: true, render: ( row ) => formatDuration( row.seconds * 1000 ) },
	];
}

/**
 * What one reconciliation run found per channel, and the listings that drifted.
 *
 * @param {Object}   props
 * @param {Object[]} props.reports ChannelReconcileReport list.
 */
export function RunReports( { reports } ) {
	if ( reports.length === 0 ) {
		return <p>{ __( 'No connected channel to reconcile.', 'shelfguard' ) }</p>;
	}
	const drift = reports.flatMap( ( report ) => report.drift.map( ( item ) => ( { ...item, channel: report.channel } ) ) );
	return (
		<div className="shelfguard-reconciliation__report">
			<DataTable caption={ __( 'Reconciliation result per channel', 'shelfguard' ) } columns={ summaryColumns() } rows={ reports } rowKey={ ( row ) => row.channel } />
			{ drift.length > 0 && (
				<DataTable
					/* translators: %d: number of drifted listings shown. */
					caption={ sprintf( __( 'Drifted listings (first %d)', 'shelfguard' ), Math.min( drift.length, DRIFT_SHOWN_MAX ) ) }
					rowKey={ ( row ) => `${ row.channel }:${ row.sku }` }
					rows={ drift.slice( 0, DRIFT_SHOWN_MAX ) }
					columns={ [
						{ id: 'sku', label: __( 'SKU', 'shelfguard' ) },
						{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
						{ id: 'expected', label: __( 'Shelfguard', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.expected ) },
						{ id: 'shown', label: __( 'Channel showed', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.shown ) },
						{ id: 'cause', label: __( 'Likely cause', 'shelfguard' ), render: ( row ) => driftCauseLabel( row.cause ) },
					] }
				/>
			) }
		</div>
	);
}
