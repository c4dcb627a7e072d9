/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatNumber } from '../../data/format';
import { LimitsEditor } from '../limits-editor';

function flagLabels() {
	return [
		{ value: 'unmapped', label: __( 'Unmapped', 'shelfguard' ) },
		{ value: 'inconsistent', label: __( 'Inconsistent', 'shelfguard' ) },
		{ value: 'at_risk', label: __( 'At risk', 'shelfguard' ) },
	];
}

function kindLabel( row ) {
	const kinds = { simple: __( 'Simple', 'shelfguard' ), kit: __( 'Kit', 'shelfguard' ), variation: __( 'Variation', 'shelfguard' ), variable: __( 'Variable', 'shelfguard' ) };
	const kind = kinds[ row.kind ] ?? row.kind;
	/* translators: %s: product kind. */
	return row.sharesParentStock ? sprintf( __( '%s, shares its parent\'s stock', 'shelfguard' ), kind ) : kind;
}

function quantityField( id, label ) {
	return { id, label, type: 'integer', enableHiding: false, filterBy: false, render: ( { item } ) => <span className="shelfguard-products__number">{ formatNumber( item[ id ] ) }</span> };
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
			if ( ! listing.id || ! onListingSaved ) {
				return summary;
			}
			return (
				<LimitsEditor
					// translators: 1: SKU, 2: channel name.
					title={ sprintf( __( 'buffer and cap of %1$s on %2$s', 'shelfguard' ), item.sku, channelLabel( channel ) ) }
					path={ `listings/${ encodeURIComponent( listing.id ) }/settings` }
					fields={ listingLimitFields( listing ) }
					onSaved={ ( answer ) => onListingSaved( answer.listing ) }
				>
					{ summary }
				</LimitsEditor>
			);
		},
	};
}

/**
 * The DataViews fields of the Products table: the SKU, its stock states, one column per listed
 * channel with what that channel is shown, and the flags the filters use.
 *
 * @param {string[]} channels         Channel codes with listings.
 * @param {Function} [onListingSaved] Receives a listing the daemon saved; without it, read-only.
 * @return {Object[]} Fields.
 */
export function productFields( channels, onListingSaved ) {
	return [
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ), type: 'text', enableHiding: false, enableGlobalSearch: true },
		{ id: 'name', label: __( 'Name', 'shelfguard' ), type: 'text', enableGlobalSearch: true, filterBy: false, getValue: ( { item } ) => item.name ?? '' },
		{ id: 'kind', label: __( 'Structure', 'shelfguard' ), type: 'text', filterBy: false, getValue: ( { item } ) => kindLabel( item ) },
		quantityField( 'onHand', __( 'On hand', 'shelfguard' ) ),
		quantityField( 'committed', __( 'Committed', 'shelfguard' ) ),
		quantityField( 'available', __( 'Available', 'shelfguard' ) ),
		...channels.map( ( channel ) => channelField( channel, onListingSaved ) ),
		{ id: 'flags', label: __( 'Flags', 'shelfguard' ), type: 'array', elements: flagLabels(), filterBy: { operators: [ 'isAny' ] }, enableSorting: false, render: ( { item } ) => item.flags.map( ( flag ) => flagLabels().find( ( element ) => element.value === flag )?.label ).join( ', ' ) },
	];
}
