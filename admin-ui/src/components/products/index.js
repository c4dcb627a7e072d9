/**
 * WordPress dependencies
 */
import { Notice } from '@wordpress/components';
import { DataViews, filterSortAndPaginate } from '@wordpress/dataviews/wp';
import { useCallback, useMemo, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { listedChannels, productRows } from '../../data/product-rows';
import { ResourceState } from '../resource-state';
import { productFields } from './product-fields';

/** One page of SKUs from the daemon is the most this screen shows; its route pages at 1,000. */
const SKUS_PAGE_MAX = 1000;
const PER_PAGE = 20;

function initialView( channels ) {
	const numbers = [ 'onHand', 'committed', 'available', ...channels.map( ( channel ) => `channel:${ channel }` ) ];
	return {
		type: 'table',
		search: '',
		filters: [],
		page: 1,
		perPage: PER_PAGE,
		sort: { field: 'sku', direction: 'asc' },
		titleField: 'sku',
		// The name goes under the SKU so every channel column fits beside the stock columns.
		descriptionField: 'name',
		fields: [ 'kind', ...numbers, 'flags' ],
		// Quantities are right-aligned so digits line up.
		layout: { styles: Object.fromEntries( numbers.map( ( id ) => [ id, { align: 'end' } ] ) ) },
	};
}

function ProductTable( { skus, listings: loaded } ) {
	// Listings the daemon confirmed saving replace the loaded ones: the table changes only after success.
	const [ saved, setSaved ] = useState( {} );
	const onListingSaved = useCallback( ( listing ) => setSaved( ( previous ) => ( { ...previous, [ listing.id ]: listing } ) ), [] );
	const listings = useMemo( () => loaded.map( ( listing ) => saved[ listing.id ] ?? listing ), [ loaded, saved ] );
	const channels = useMemo( () => listedChannels( listings ), [ listings ] );
	const rows = useMemo( () => productRows( skus, listings ), [ skus, listings ] );
	const fields = useMemo( () => productFields( channels, onListingSaved ), [ channels, onListingSaved ] );
	const [ view, setView ] = useState( () => initialView( channels ) );
	const { data, paginationInfo } = useMemo( () => filterSortAndPaginate( rows, view, fields ), [ rows, view, fields ] );
	return (
		<DataViews
			data={ data }
			fields={ fields }
			view={ view }
			onChangeView={ setView }
			paginationInfo={ paginationInfo }
			getItemId={ ( item ) => item.sku }
			defaultLayouts={ { table: {} } }
			empty={ <p>{ __( 'No SKU matches these filters.', 'shelfguard' ) }</p> }
		/>
	);
}

/** Every SKU with its stock and what each channel is shown. */
export function Products() {
	const skus = useDaemon( 'skus', { limit: SKUS_PAGE_MAX } );
	const listings = useDaemon( 'listings' );
	const resource = skus.status === 'ready' && listings.status !== 'ready' ? listings : skus;
	return (
		<div className="shelfguard-products__screen">
			<Notice status="info" isDismissible={ false } className="shelfguard-products__limits-notice">
				{ __( 'Edit a listing\'s buffer and cap beside what its channel shows; the channel is updated from the saved values. Drift per SKU appears on the Reconciliation tab after a run.', 'shelfguard' ) }
			</Notice>
			<ResourceState resource={ resource } label={ __( 'Loading products…', 'shelfguard' ) } isEmpty={ () => ( skus.data?.skus ?? [] ).length === 0 } emptyText={ __( 'No SKUs yet. They appear as soon as the plugin sends the catalogue to the daemon.', 'shelfguard' ) }>
				{ () => <ProductTable skus={ skus.data.skus } listings={ listings.data.listings } /> }
			</ResourceState>
			{ skus.data?.next && <p>{ __( 'Only the first 1,000 SKUs are shown.', 'shelfguard' ) }</p> }
		</div>
	);
}
