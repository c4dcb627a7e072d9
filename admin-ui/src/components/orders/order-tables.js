/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatNumber, formatTime } from '../../data/format';
import { orderStatusLabel, restockLabel, routingLabel, stockStateLabel } from '../../data/order-labels';
import { DataTable } from '../data-table';

const rowKey = ( row ) => `${ row.channel }:${ row.orderId }:${ row.lineId }`;

function lineColumns( timeLabel, timeOf ) {
	return [
		// translators: 1: order id, 2: line id.
		{ id: 'order', label: __( 'Order', 'shelfguard' ), render: ( row ) => sprintf( __( '%1$s, line %2$s', 'shelfguard' ), row.orderId, row.lineId ) },
		{ id: 'time', label: timeLabel, render: ( row ) => formatTime( timeOf( row ) ) },
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ) },
		{ id: 'quantity', label: __( 'Quantity', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.quantity ) },
		{ id: 'status', label: __( 'Status', 'shelfguard' ), render: ( row ) => orderStatusLabel( row.status ) },
	];
}

/**
 * Recent marketplace order lines with where their stock came from.
 *
 * @param {Object}   props
 * @param {Object[]} props.orders Entries of GET /v1/admin/orders.
 */
export function OrdersTable( { orders } ) {
	const columns = [
		...lineColumns( __( 'Ordered', 'shelfguard' ), ( row ) => row.createdAt ),
		{ id: 'routing', label: __( 'Routing', 'shelfguard' ), render: ( row ) => routingLabel( row.routing ) },
		{ id: 'stockState', label: __( 'Stock', 'shelfguard' ), render: ( row ) => stockStateLabel( row.stockState ) },
	];
	return <DataTable caption={ __( 'Recent marketplace orders with their routing', 'shelfguard' ) } columns={ columns } rows={ orders } rowKey={ rowKey } />;
}

/**
 * Cancellations and returns with what happened to the stock.
 *
 * @param {Object}   props
 * @param {Object[]} props.returns Entries of GET /v1/admin/returns.
 */
export function ReturnsTable( { returns } ) {
	const columns = [
		...lineColumns( __( 'Changed', 'shelfguard' ), ( row ) => row.updatedAt ),
		{ id: 'routing', label: __( 'Routing', 'shelfguard' ), render: ( row ) => routingLabel( row.routing ) },
		{ id: 'restock', label: __( 'Restock outcome', 'shelfguard' ), render: ( row ) => restockLabel( row.restock ) },
	];
	return <DataTable caption={ __( 'Cancellations and returns with their restock outcome', 'shelfguard' ) } columns={ columns } rows={ returns } rowKey={ rowKey } />;
}
