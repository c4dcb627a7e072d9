/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { channelLabel } from '../../data/channel-names';
import { formatTime } from '../../data/format';
import { movementChange, pageBack, pageForward, signed } from '../../data/movement-rows';
import { DataTable } from '../data-table';
import { ResourceState } from '../resource-state';

const PAGE_SIZE = 20;

function stateLabel( state ) {
	const labels = { on_hand: __( 'on hand', 'shelfguard' ), committed: __( 'committed', 'shelfguard' ), damaged: __( 'damaged', 'shelfguard' ) };
	return labels[ state ];
}

function columns() {
	return [
		{ id: 'createdAt', label: __( 'When', 'shelfguard' ), render: ( row ) => formatTime( row.createdAt ) },
		{
			id: 'change',
			label: __( 'Change', 'shelfguard' ),
			isNumeric: true,
			render: ( row ) => {
				const change = movementChange( row );
				/* translators: 1: signed quantity, 2: inventory state. */
				return sprintf( __( '%1$s %2$s', 'shelfguard' ), signed( change.delta ), stateLabel( change.state ) );
			},
		},
		{ id: 'reason', label: __( 'Reason', 'shelfguard' ) },
		{ id: 'location', label: __( 'Location', 'shelfguard' ) },
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => ( row.channel ? channelLabel( row.channel ) : '—' ) },
		{ id: 'reference', label: __( 'Reference', 'shelfguard' ), render: ( row ) => row.reference ?? '—' },
		{ id: 'actor', label: __( 'Actor', 'shelfguard' ) },
	];
}

/**
 * A SKU's movements, newest first, a page at a time.
 *
 * @param {Object} props
 * @param {string} props.sku SKU code.
 */
export function MovementsTable( { sku } ) {
	const [ trail, setTrail ] = useState( [ null ] );
	const after = trail[ trail.length - 1 ];
	const movements = useDaemon( 'movements', { sku, order: 'desc', limit: PAGE_SIZE, after } );
	return (
		<section className="shelfguard-history__movements" aria-labelledby="shelfguard-history-movements-title">
			<h2 id="shelfguard-history-movements-title">{ __( 'Movements, newest first', 'shelfguard' ) }</h2>
			<ResourceState resource={ movements } label={ __( 'Loading movements…', 'shelfguard' ) } isEmpty={ ( data ) => data.movements.length === 0 } emptyText={ __( 'No movements for this SKU.', 'shelfguard' ) }>
				{ ( data ) => <DataTable caption={ sprintf( /* translators: %s: SKU. */ __( 'Movements of %s', 'shelfguard' ), sku ) } columns={ columns() } rows={ data.movements } rowKey={ ( row ) => row.id } /> }
			</ResourceState>
			<div className="shelfguard-history__pager">
				<Button variant="secondary" disabled={ trail.length === 1 } onClick={ () => setTrail( pageBack ) }>
					{ __( 'Newer', 'shelfguard' ) }
				</Button>
				{ /* translators: %d: page number. */ }
				<span>{ sprintf( __( 'Page %d', 'shelfguard' ), trail.length ) }</span>
				<Button variant="secondary" disabled={ ! movements.data?.next } onClick={ () => setTrail( ( current ) => pageForward( current, movements.data.next ) ) }>
					{ __( 'Older', 'shelfguard' ) }
				</Button>
			</div>
		</section>
	);
}
