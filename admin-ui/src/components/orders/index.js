/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { channelLabel } from '../../data/channel-names';
import { formatNumber, formatTime } from '../../data/format';
import { DataTable } from '../data-table';
import { ResourceState } from '../resource-state';
import { OrdersTable, ReturnsTable } from './order-tables';

const OVERSELLS_SHOWN_MAX = 50;
const ORDERS_SHOWN_MAX = 50;

function oversellColumns() {
	return [
		{ id: 'createdAt', label: __( 'When', 'shelfguard' ), render: ( row ) => formatTime( row.createdAt ) },
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ) },
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
		{ id: 'reference', label: __( 'Order', 'shelfguard' ), render: ( row ) => row.reference ?? '—' },
		{ id: 'requested', label: __( 'Requested', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.requested ) },
		{ id: 'available', label: __( 'Available', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.available ) },
		{ id: 'resolution', label: __( 'What was done', 'shelfguard' ), render: ( row ) => row.resolution ?? __( 'Open: needs a decision', 'shelfguard' ) },
	];
}

/** Marketplace orders, returns, and the oversell attempts the ledger refused. */
export function Orders() {
	const orders = useDaemon( 'orders', { limit: ORDERS_SHOWN_MAX } );
	const returns = useDaemon( 'returns', { limit: ORDERS_SHOWN_MAX } );
	const oversells = useDaemon( 'oversells', { limit: OVERSELLS_SHOWN_MAX } );
	return (
		<div className="shelfguard-orders__screen">
			<h2>{ __( 'Recent marketplace orders', 'shelfguard' ) }</h2>
			<ResourceState resource={ orders } label={ __( 'Loading orders…', 'shelfguard' ) } isEmpty={ ( data ) => ( data.orders ?? [] ).length === 0 } emptyText={ __( 'No marketplace orders yet.', 'shelfguard' ) }>
				{ ( data ) => <OrdersTable orders={ data.orders } /> }
			</ResourceState>
			<h2>{ __( 'Cancellations and returns', 'shelfguard' ) }</h2>
			<ResourceState resource={ returns } label={ __( 'Loading returns…', 'shelfguard' ) } isEmpty={ ( data ) => ( data.returns ?? [] ).length === 0 } emptyText={ __( 'No cancellations or returns yet.', 'shelfguard' ) }>
				{ ( data ) => <ReturnsTable returns={ data.returns } /> }
			</ResourceState>
			<h2>{ __( 'Oversell attempts', 'shelfguard' ) }</h2>
			<ResourceState resource={ oversells } label={ __( 'Loading oversell attempts…', 'shelfguard' ) } isEmpty={ ( data ) => data.oversells.length === 0 } emptyText={ __( 'No oversell attempts: no channel sold what was not available.', 'shelfguard' ) }>
				{ ( data ) => <DataTable caption={ __( 'Orders that asked for more than was available, newest first', 'shelfguard' ) } columns={ oversellColumns() } rows={ data.oversells } rowKey={ ( row ) => row.id } /> }
			</ResourceState>
		</div>
	);
}
