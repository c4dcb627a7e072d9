/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatNumber, formatTime } from '../../data/format';
import { LimitsEditor } from '../limits-editor';
import { driftCauseLabel } from '../reconciliation/drift-cause';

function flagLabels() {
	return [
		{ value: 'unmapped', label: __( 'Unmapped listings', 'shelfguard' ) },
		{ value: 'inconsistent', label: __( 'Inconsistent SKUs', 'shelfguard' ) },
		{ value: 'drift', label: __( 'Drift', 'shelfguard' ) },
		{ value: 'at_risk', label: __( 'At risk', 'shelfguard' ) },
	];
}

function kindName( kind ) {
	const kinds = { simple: __( 'Simple', 'shelfguard' ), kit: __( 'Kit', 'shelfguard' ), variation: __( 'Variation', 'shelfguard' ), variable: __( 'Variable', 'shelfguard' ), unmapped_listing: __( 'Listing without a SKU', 'shelfguard' ) };
	return kinds[ kind ] ?? kind;
}

/** The structure in words, for search, sorting and screen readers. */
function structureText( row ) {
	if ( row.kind === 'kit' ) {
		/* translators: 1: list of components such as "2 × CUP", 2: number of kits. */
		return sprintf( __( 'Kit of %1$s: makes %2$s', 'shelfguard' ), ( row.components ?? [] ).map( ( component ) => `${ formatNumber( component.quantity ) } × ${ component.sku }` ).join( ', ' ), formatNumber( row.kitAvailable ) );
	}
	if ( row.kind === 'variable' && row.poolMembers.length > 0 ) {
		/* translators: %s: number of variations. */
		return sprintf( __( 'Variable: one stock pool shared by %s variations', 'shelfguard' ), formatNumber( row.poolMembers.length ) );
	}
	if ( row.kind === 'variation' && row.parent ) {
		return row.pool
			? /* translators: %s: parent SKU. */ sprintf( __( 'Variation of %s, shares its stock pool', 'shelfguard' ), row.parent )
			: /* translators: %s: parent SKU. */ sprintf( __( 'Variation of %s, own stock', 'shelfguard' ), row.parent );
	}
	return kindName( row.kind );
}

function Structure( { item } ) {
	if ( item.kind !== 'kit' ) {
		return structureText( item );
	}
	return (
		<div className="shelfguard-products__kit">
			<span>{ sprintf( /* translators: %s: number of kits the components make. */ __( 'Kit: makes %s (its scarcest component)', 'shelfguard' ), formatNumber( item.kitAvailable ) ) }</span>
			<ul className="shelfguard-products__components" aria-label={ sprintf( /* translators: %s: kit SKU. */ __( 'Components of %s', 'shelfguard' ), item.sku ) }>
				{ ( item.components ?? [] ).map( ( component ) => (
					<li key={ component.sku }>
						{ sprintf( /* translators: 1: units per kit, 2: component SKU, 3: units available. */ __( '%1$s × %2$s (%3$s available)', 'shelfguard' ), formatNumber( component.quantity ), component.sku, formatNumber( component.available ) ) }
					</li>
				) ) }
			</ul>
		</div>
	);
}

/** What a stock column shows for a row: a pooled variation's stock is its parent's, shown once there. */
function stockValue( item, id ) {
	if ( item.kind === 'kit' ) {
		return id === 'available' ? item.kitAvailable ?? null : null;
	}
	if ( item.pool ) {
		return null;
	}
	return item[ id ] ?? null;
}

function quantityField( id, label ) {
	return {
		id,
		label,
		type: 'integer',
		enableHiding: false,
		filterBy: false,
		getValue: ( { item } ) => ( id === 'available' ? item.effectiveAvailable ?? null : stockValue( item, id ) ),
		render: ( { item } ) => {
			if ( item.pool ) {
				/* translators: %s: SKU whose stock pool this variation shares. */
				return <span className="shelfguard-products__pooled">{ sprintf( __( 'in %s\'s pool', 'shelfguard' ), item.pool ) }</span>;
			}
			return <span className="shelfguard-products__number">{ formatNumber( stockValue( item, id ) ) }</span>;
		},
	};
}

function listingLimitFields( listing ) {
	return [
		{ id: 'buffer', label: __( 'Buffer', 'shelfguard' ), value: listing.buffer, help: __( 'Units held back. Empty: the channel\'s buffer.', 'shelfguard' ) },
		{ id: 'cap', label: __( 'Cap', 'shelfguard' ), value: listing.cap, help: __( 'Most units shown. Empty: the channel\'s cap.', 'shelfguard' ) },
	];
}

function channelField( channel, onListingSaved ) {
	return {
		id: `channel:${ channel }`,
		/* translators: %s: channel name. */
		label: sprintf( __( '%s shows', 'shelfguard' ), channelLabel( channel ) ),
		type: 'integer',
		filterBy: false,
		getValue: ( { item } ) => item.channels[ channel ]?.published ?? null,
		render: ( { item } ) => {
			const listing = item.channels[ channel ];
			if ( ! listing ) {
				return <span className="shelfguard-products__unlisted">{ __( 'not listed', 'shelfguard' ) }</span>;
			}
			if ( ! listing.isListed ) {
				/* translators: %s: quantity the marketplace shows. */
				return <span className="shelfguard-products__drift">{ sprintf( __( 'sells %s, not mapped to a SKU', 'shelfguard' ), formatNumber( listing.drift?.shown ) ) }</span>;
			}
			const limits = [
				/* translators: %s: number of units held back. */
				listing.buffer !== null && sprintf( __( 'buffer %s', 'shelfguard' ), formatNumber( listing.buffer ) ),
				/* translators: %s: most units shown. */
				listing.cap !== null && sprintf( __( 'cap %s', 'shelfguard' ), formatNumber( listing.cap ) ),
			].filter( Boolean );
			const summary = (
				<span className="shelfguard-products__number">
					{ formatNumber( listing.published ) }
					{ limits.length > 0 && <span className="shelfguard-products__limits"> ({ limits.join( ', ' ) })</span> }
				</span>
			);
			const drift = listing.drift && (
				<span className="shelfguard-products__drift">
					{ sprintf( /* translators: 1: quantity the channel showed, 2: quantity it should have shown. */ __( 'showed %1$s at the last check, expected %2$s', 'shelfguard' ), formatNumber( listing.drift.shown ), formatNumber( listing.drift.expected ) ) }
					{ listing.drift.fixed && __( '; corrected by that run', 'shelfguard' ) }
				</span>
			);
			if ( ! listing.id || ! onListingSaved ) {
				return <div className="shelfguard-products__channel-cell">{ summary }{ drift }</div>;
			}
			return (
				<div className="shelfguard-products__channel-cell">
				<LimitsEditor
					// translators: 1: SKU, 2: channel name.
					title={ sprintf( __( 'buffer and cap of %1$s on %2$s', 'shelfguard' ), item.sku, channelLabel( channel ) ) }
					path={ `listings/${ encodeURIComponent( listing.id ) }/settings` }
					fields={ listingLimitFields( listing ) }
					onSaved={ ( answer ) => onListingSaved( answer.listing ) }
				>
					{ summary }
				</LimitsEditor>
				{ drift }
				</div>
			);
		},
	};
}

function driftField( driftStatus ) {
	return {
		id: 'drift',
		label: __( 'Drift at the last reconciliation', 'shelfguard' ),
		type: 'text',
		filterBy: false,
		enableSorting: false,
		getValue: ( { item } ) => Object.keys( item.channels ).filter( ( channel ) => item.channels[ channel ].drift ).join( ' ' ),
		render: ( { item } ) => {
			if ( driftStatus === 'not_available' ) {
				return <span className="shelfguard-products__unavailable">{ __( 'Not available from this daemon version.', 'shelfguard' ) }</span>;
			}
			if ( driftStatus !== 'ready' ) {
				return driftStatus === 'loading' ? '…' : __( 'Could not be read.', 'shelfguard' );
			}
			const drifted = Object.entries( item.channels ).filter( ( [ , cell ] ) => cell.drift );
			if ( drifted.length === 0 ) {
				return '—';
			}
			return (
				<ul className="shelfguard-products__drift-list">
					{ drifted.map( ( [ channel, cell ] ) => (
						<li key={ channel }>
							{ sprintf( /* translators: 1: channel name, 2: quantity shown, 3: expected quantity, 4: cause, 5: time of the check. */ __( '%1$s showed %2$s, expected %3$s: %4$s (%5$s)', 'shelfguard' ), channelLabel( channel ), formatNumber( cell.drift.shown ), formatNumber( cell.drift.expected ), driftCauseLabel( cell.drift.cause ), formatTime( cell.drift.checkedAt ) ) }
						</li>
					) ) }
				</ul>
			);
		},
	};
}

/**
 * The DataViews fields of the Products table: the SKU in its structure, its stock states, one
 * column per listed channel with what that channel is shown (and showed at the last
 * reconciliation when that differed), drift, and the flags the filters use.
 *
 * @param {string[]} channels         Channel codes with listings.
 * @param {Function} [onListingSaved] Receives a listing the daemon saved; without it, read-only.
 * @param {string}   [driftStatus]    ready, loading, not_available or failed.
 * @return {Object[]} Fields.
 */
export function productFields( channels, onListingSaved, driftStatus = 'ready' ) {
	return [
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ), type: 'text', enableHiding: false, enableGlobalSearch: true },
		{ id: 'name', label: __( 'Name', 'shelfguard' ), type: 'text', enableGlobalSearch: true, filterBy: false, getValue: ( { item } ) => item.name ?? '' },
		{ id: 'treeOrder', label: __( 'Catalogue order', 'shelfguard' ), type: 'integer', filterBy: false },
		{ id: 'kind', label: __( 'Structure', 'shelfguard' ), type: 'text', filterBy: false, enableSorting: false, getValue: ( { item } ) => structureText( item ), render: Structure },
		quantityField( 'onHand', __( 'On hand', 'shelfguard' ) ),
		quantityField( 'committed', __( 'Committed', 'shelfguard' ) ),
		quantityField( 'available', __( 'Available', 'shelfguard' ) ),
		...channels.map( ( channel ) => channelField( channel, onListingSaved ) ),
		driftField( driftStatus ),
		{ id: 'flags', label: __( 'Flags', 'shelfguard' ), type: 'array', elements: flagLabels(), filterBy: { operators: [ 'isAny' ], isPrimary: true }, enableSorting: false, render: ( { item } ) => item.flags.map( ( flag ) => flagLabels().find( ( element ) => element.value === flag )?.label ).join( ', ' ) },
	];
}
