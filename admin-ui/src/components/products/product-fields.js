/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatNumber } from '../../data/format';

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

function channelField( channel ) {
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
			return (
				<span className="shelfguard-products__number">
					{ formatNumber( listing.published ) }
					{ limits.length > 0 && <span className="shelfguard-products__limits"> ({ limits.join( ', ' ) })</span> }
				</span>
			);
		},
	};
}

/**
 * The DataViews fields of the Products table: the SKU, its stock states, one column per listed
 * channel with what that channel is shown, and the flags the filters use.
 *
 * @param {string[]} channels Channel codes with listings.
 * @return {Object[]} Fields.
 */
export function productFields( channels ) {
	return [
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ), type: 'text', enableHiding: false, enableGlobalSearch: true },
		{ id: 'name', label: __( 'Name', 'shelfguard' ), type: 'text', enableGlobalSearch: true, filterBy: false, getValue: ( { item } ) => item.name ?? '' },
		{ id: 'kind', label: __( 'Structure', 'shelfguard' ), type: 'text', filterBy: false, getValue: ( { item } ) => kindLabel( item ) },
		quantityField( 'onHand', __( 'On hand', 'shelfguard' ) ),
		quantityField( 'committed', __( 'Committed', 'shelfguard' ) ),
		quantityField( 'available', __( 'Available', 'shelfguard' ) ),
		...channels.map( channelField ),
		{ id: 'flags', label: __( 'Flags', 'shelfguard' ), type: 'array', elements: flagLabels(), filterBy: { operators: [ 'isAny' ] }, enableSorting: false, render: ( { item } ) => item.flags.map( ( flag ) => flagLabels().find( ( element ) => element.value === flag )?.label ).join( ', ' ) },
	];
}
