/**
 * WordPress dependencies
 */
import { Notice } from '@wordpress/components';
import { DataViews, filterSortAndPaginate } from '@wordpress/dataviews/wp';
import { useCallback, useMemo, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { AT_RISK_AVAILABLE_MAX, listedChannels, productRows } from '../../data/product-rows';
import { ResourceState } from '../resource-state';
import { productFields } from './product-fields';

/** One page of SKUs from the daemon is the most this screen shows; its route pages at 1,000. */
const SKUS_PAGE_MAX = 1000;
const PER_PAGE = 20;
/** Open oversells mark SKUs at risk; the newest this many are read. */
const OVERSELLS_READ_MAX = 200;

function initialView( channels ) {
	const numbers = [ 'onHand', 'committed', 'available', ...channels.map( ( channel ) => `channel:${ channel }` ) ];
	return {
		type: 'table',
		search: '',
		filters: [],
		page: 1,
		perPage: PER_PAGE,
		// Catalogue order keeps each variation right under its parent, one level in.
		sort: { field: 'treeOrder', direction: 'asc' },
		showLevels: true,
		titleField: 'sku',
		// The name goes under the SKU so every channel column fits beside the stock columns.
		descriptionField: 'name',
		fields: [ 'kind', ...numbers, 'drift', 'flags' ],
		// Quantities are right-aligned so digits line up.
		layout: { styles: Object.fromEntries( numbers.map( ( id ) => [ id, { align: 'end' } ] ) ) },
	};
}

/** What an optional resource offers the table: its data, or null while it is missing. */
function optional( resource, pick ) {
	return resource.status === 'ready' ? pick( resource.data ) ?? [] : null;
}

function resourceStatus( resource ) {
	if ( resource.status === 'error' ) {
		return resource.error?.kind === 'not_available' ? 'not_available' : 'failed';
	}
	return resource.status;
}

function ProductTable( { skus, listings: loaded, drift, lint, oversells } ) {
	// Listings the daemon confirmed saving replace the loaded ones: the table changes only after success.
	const [ saved, setSaved ] = useState( {} );
	const onListingSaved = useCallback( ( listing ) => setSaved( ( previous ) => ( { ...previous, [ listing.id ]: listing } ) ), [] );
	const listings = useMemo( () => loaded.map( ( listing ) => saved[ listing.id ] ?? listing ), [ loaded, saved ] );
	const channels = useMemo( () => listedChannels( listings ), [ listings ] );
	const driftRows = optional( drift, ( data ) => data.drift );
	const findings = optional( lint, ( data ) => data.findings );
	const oversellRows = optional( oversells, ( data ) => data.oversells );
	const rows = useMemo( () => productRows( skus, listings, { drift: driftRows, lintFindings: findings, oversells: oversellRows } ), [ skus, listings, driftRows, findings, oversellRows ] );
	const driftStatus = resourceStatus( drift );
	const fields = useMemo( () => productFields( channels, onListingSaved, driftStatus ), [ channels, onListingSaved, driftStatus ] );
	const [ view, setView ] = useState( () => initialView( channels ) );
	const { data, paginationInfo } = useMemo( () => filterSortAndPaginate( rows, view, fields ), [ rows, view, fields ] );
	return (
		<>
			{ lint.status === 'error' && (
				<p className="shelfguard-products__unavailable">
					{ lint.error?.kind === 'not_available'
						? __( 'Inconsistent SKUs: not available from this daemon version.', 'shelfguard' )
						: __( 'Inconsistent SKUs could not be read from the daemon.', 'shelfguard' ) }
				</p>
			) }
			<DataViews
				data={ data }
				fields={ fields }
				view={ view }
				onChangeView={ setView }
				paginationInfo={ paginationInfo }
				getItemId={ ( item ) => item.id }
				getItemLevel={ ( item ) => item.level }
				defaultLayouts={ { table: { showLevels: true } } }
				empty={ <p>{ __( 'No SKU matches these filters.', 'shelfguard' ) }</p> }
			/>
		</>
	);
}

/** Every SKU with its stock and what each channel is shown. */
export function Products() {
	const skus = useDaemon( 'skus', { limit: SKUS_PAGE_MAX } );
	const listings = useDaemon( 'listings' );
	const drift = useDaemon( 'reconcile/drift' );
	const lint = useDaemon( 'skus/lint' );
	const oversells = useDaemon( 'oversells', { limit: OVERSELLS_READ_MAX } );
	const resource = skus.status === 'ready' && listings.status !== 'ready' ? listings : skus;
	return (
		<div className="shelfguard-products__screen">
			<Notice status="info" isDismissible={ false } className="shelfguard-products__limits-notice">
				{ __( 'Edit a listing\'s buffer and cap beside what its channel shows; the channel is updated from the saved values. Variations sit under their parent; a stock pool they share is counted once, on the parent. A kit makes as many as its scarcest component allows. Drift is what a channel showed at the last reconciliation run.', 'shelfguard' ) }{ ' ' }
				{ sprintf( /* translators: %s: a number of units. */ __( 'At risk: %s or fewer available, or an oversell nobody has resolved yet.', 'shelfguard' ), AT_RISK_AVAILABLE_MAX ) }
			</Notice>
			<ResourceState resource={ resource } label={ __( 'Loading products…', 'shelfguard' ) } isEmpty={ () => ( skus.data?.skus ?? [] ).length === 0 } emptyText={ __( 'No SKUs yet. They appear as soon as the plugin sends the catalogue to the daemon.', 'shelfguard' ) }>
				{ () => <ProductTable skus={ skus.data.skus } listings={ listings.data.listings } drift={ drift } lint={ lint } oversells={ oversells } /> }
			</ResourceState>
			{ skus.data?.next && <p>{ __( 'Only the first 1,000 SKUs are shown.', 'shelfguard' ) }</p> }
		</div>
	);
}
