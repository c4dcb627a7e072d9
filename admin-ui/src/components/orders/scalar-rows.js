/**
 * Internal dependencies
 */
import { formatNumber } from '../../data/format';
import { DataTable } from '../data-table';

const COLUMNS_MAX = 8;

/**
 * Rows of a daemon list whose shape this UI does not know yet (orders and returns have no
 * route in the daemon this UI was built against): shows the plain fields as they come, so a
 * newer daemon's data appears without the UI guessing at its meaning.
 *
 * @param {Object}   props
 * @param {string}   props.caption Table caption.
 * @param {Object[]} props.rows    Rows.
 */
export function ScalarRows( { caption, rows } ) {
	const first = rows[ 0 ] ?? {};
	const columns = Object.keys( first )
		.filter( ( key ) => [ 'string', 'number', 'boolean' ].includes( typeof first[ key ] ) || first[ key ] === null )
		.slice( 0, COLUMNS_MAX )
		.map( ( key ) => ( { id: key, label: key, isNumeric: typeof first[ key ] === 'number', render: ( row ) => ( typeof row[ key ] === 'number' ? formatNumber( row[ key ] ) : String( row[ key ] ?? '—' ) ) } ) );
	return <DataTable caption={ caption } columns={ columns } rows={ rows } rowKey={ ( row ) => String( row.id ?? JSON.stringify( row ) ) } />;
}
