/**
 * External dependencies
 */
import { render, screen, within } from '@testing-library/react';

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';
import { filterSortAndPaginate } from '@wordpress/dataviews/wp';

/**
 * Internal dependencies
 */
import { Products } from '../../../admin-ui/src/components/products';
import { productFields } from '../../../admin-ui/src/components/products/product-fields';
import { AT_RISK_AVAILABLE_MAX, productRows } from '../../../admin-ui/src/data/product-rows';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const SKUS = [
	{ sku: 'SHIRT', name: 'Shirt', kind: 'variable', parent: null, pool: null, sharesParentStock: false, tracksStock: true, onHand: 9, committed: 1, available: 8 },
	{ sku: 'SHIRT-M', name: 'Shirt M', kind: 'variation', parent: 'SHIRT', pool: 'SHIRT', sharesParentStock: true, tracksStock: true, onHand: 0, committed: 0, available: 0 },
	{ sku: 'SHIRT-S', name: 'Shirt S', kind: 'variation', parent: 'SHIRT', pool: 'SHIRT', sharesParentStock: true, tracksStock: true, onHand: 0, committed: 0, available: 0 },
	{ sku: 'CUP', name: 'Cup', kind: 'simple', parent: null, pool: null, tracksStock: true, onHand: 5, committed: 0, available: 5 },
	{ sku: 'SAUCER', name: 'Saucer', kind: 'simple', parent: null, pool: null, tracksStock: true, onHand: 3, committed: 0, available: 3 },
	{ sku: 'GIFT', name: 'Gift set', kind: 'kit', parent: null, pool: null, tracksStock: true, onHand: 0, committed: 0, available: 0, components: [ { sku: 'CUP', quantity: 1, available: 5 }, { sku: 'SAUCER', quantity: 2, available: 3 } ], kitAvailable: 1 },
	{ sku: 'HAT', name: 'Hat', kind: 'variable', parent: null, pool: null, tracksStock: true, onHand: 0, committed: 0, available: 0 },
];
const listing = ( id, channel, sku, published ) => ( { id, channel, sku, channelSku: sku, buffer: null, cap: null, published, active: true } );
const LISTINGS = [
	listing( 1, 'ebay', 'SHIRT-M', 4 ), listing( 2, 'ebay', 'SHIRT-S', 4 ), listing( 3, 'ebay', 'CUP', 5 ), listing( 4, 'ebay', 'SAUCER', 3 ), listing( 5, 'ebay', 'GIFT', 1 ),
	listing( 6, 'etsy', 'SHIRT-M', 4 ), listing( 7, 'etsy', 'SHIRT-S', 4 ), listing( 8, 'etsy', 'CUP', 5 ), listing( 9, 'etsy', 'GIFT', 1 ),
];
const DRIFT = [
	{ channel: 'etsy', sku: 'CUP', listingId: 8, expected: 5, shown: 40, cause: 'changed_outside_shelfguard', runId: 'run_1', checkedAt: '2026-11-27T10:00:00.000Z' },
	{ channel: 'etsy', sku: 'OLD-MUG', listingId: null, expected: null, shown: 3, cause: 'unmapped_listing', runId: 'run_1', checkedAt: '2026-11-27T10:00:00.000Z' },
];
const LINT = [ { kind: 'pool_pushed_per_variation', message: "ebay lists 2 variations sharing SHIRT's stock", skus: [ 'SHIRT' ] } ];

function useRoutes( routes ) {
	apiFetch.mockImplementation( fakeApiFetch( routes ) );
}

describe( 'productRows in catalogue structure', () => {
	const rows = productRows( SKUS, LISTINGS, { drift: DRIFT, lintFindings: LINT, oversells: [] } );
	const row = ( sku ) => rows.find( ( entry ) => entry.sku === sku );

	test( 'puts variations right under their parent, one level in', () => {
		expect( rows.map( ( entry ) => [ entry.sku, entry.level ] ) ).toEqual( [
			[ 'CUP', 0 ], [ 'GIFT', 0 ], [ 'HAT', 0 ], [ 'SAUCER', 0 ], [ 'SHIRT', 0 ], [ 'SHIRT-M', 1 ], [ 'SHIRT-S', 1 ], [ 'OLD-MUG', 0 ],
		] );
		expect( rows.map( ( entry ) => entry.treeOrder ) ).toEqual( [ 0, 1, 2, 3, 4, 5, 6, 7 ] );
	} );

	test( 'counts a shared pool once, on the parent, and judges its variations by the pool', () => {
		expect( row( 'SHIRT' ).poolMembers ).toEqual( [ 'SHIRT-M', 'SHIRT-S' ] );
		expect( row( 'SHIRT-S' ).effectiveAvailable ).toBe( 8 );
		expect( row( 'SHIRT-S' ).flags ).not.toContain( 'at_risk' );
	} );

	test( 'a kit is as available as its scarcest component allows, and at risk at the threshold', () => {
		expect( row( 'GIFT' ).effectiveAvailable ).toBe( 1 );
		expect( row( 'GIFT' ).flags ).toContain( 'at_risk' );
	} );

	test( 'a variable parent whose variations keep their own stock is neither at risk nor unmapped', () => {
		expect( row( 'HAT' ).flags ).toEqual( [] );
	} );

	test( 'drift at the last reconciliation lands on the listing it was found on', () => {
		expect( row( 'CUP' ).channels.etsy.drift ).toMatchObject( { shown: 40, expected: 5 } );
		expect( row( 'CUP' ).flags ).toEqual( [ 'drift' ] );
		expect( row( 'SAUCER' ).flags ).toEqual( [ 'unmapped' ] );
	} );

	test( 'a listing a marketplace sells without a SKU in the ledger gets a row of its own', () => {
		expect( row( 'OLD-MUG' ) ).toMatchObject( { id: 'listing:OLD-MUG', kind: 'unmapped_listing', flags: [ 'unmapped', 'drift' ] } );
		expect( row( 'OLD-MUG' ).channels.etsy.drift.shown ).toBe( 3 );
	} );

	test( 'the SKUs a lint finding names are inconsistent', () => {
		expect( row( 'SHIRT' ).flags ).toContain( 'inconsistent' );
		expect( rows.filter( ( entry ) => entry.flags.includes( 'inconsistent' ) ).map( ( entry ) => entry.sku ) ).toEqual( [ 'SHIRT' ] );
	} );

	test( 'an open oversell puts a SKU at risk whatever it has left; a resolved one does not', () => {
		const flagsWith = ( resolution ) => productRows( SKUS, LISTINGS, { oversells: [ { sku: 'CUP', resolution } ] } ).find( ( entry ) => entry.sku === 'CUP' ).flags;
		expect( flagsWith( null ) ).toContain( 'at_risk' );
		expect( flagsWith( 'cancelled' ) ).not.toContain( 'at_risk' );
		expect( AT_RISK_AVAILABLE_MAX ).toBe( 2 );
	} );

	test.each( [
		[ 'drift', [ 'CUP', 'OLD-MUG' ] ],
		[ 'unmapped', [ 'SAUCER', 'OLD-MUG' ] ],
		[ 'inconsistent', [ 'SHIRT' ] ],
		[ 'at_risk', [ 'GIFT' ] ],
	] )( 'the %s filter of the table keeps exactly its rows', ( flag, expected ) => {
		const view = { type: 'table', search: '', filters: [ { field: 'flags', operator: 'isAny', value: [ flag ] } ], page: 1, perPage: 50, sort: { field: 'treeOrder', direction: 'asc' }, fields: [] };
		const { data } = filterSortAndPaginate( rows, view, productFields( [ 'ebay', 'etsy' ] ) );
		expect( data.map( ( entry ) => entry.sku ) ).toEqual( expected );
	} );
} );

describe( 'the Products screen', () => {
	const base = { 'GET skus': { skus: SKUS, next: null }, 'GET listings': { listings: LISTINGS }, 'GET skus/lint': { findings: LINT }, 'GET oversells': { oversells: [] } };

	test( 'shows variations nested, the pool once, kits with their components, and drift per channel', async () => {
		useRoutes( { ...base, 'GET reconcile/drift': { drift: DRIFT } } );
		render( <Products /> );
		const variation = ( await screen.findByText( 'Shirt S' ) ).closest( 'tr' );
		expect( within( variation ).getByText( '—', { selector: '.dataviews-view-table__level' } ) ).toBeInTheDocument();
		expect( within( variation ).getAllByText( "in SHIRT's pool" ).length ).toBeGreaterThan( 0 );
		expect( within( variation ).getByText( 'Variation of SHIRT, shares its stock pool' ) ).toBeInTheDocument();
		const components = screen.getByRole( 'list', { name: 'Components of GIFT' } );
		expect( within( components ).getByText( '2 × SAUCER (3 available)' ) ).toBeInTheDocument();
		const cup = screen.getByText( 'Cup' ).closest( 'tr' );
		expect( within( cup ).getByText( 'showed 40 at the last check, expected 5' ) ).toBeInTheDocument();
		expect( within( cup ).getByText( /^Etsy showed 40, expected 5: Changed outside Shelfguard/ ) ).toBeInTheDocument();
		expect( screen.getByText( 'sells 3, not mapped to a SKU' ) ).toBeInTheDocument();
	} );

	test( 'says drift is not available from a daemon without the drift route, and still lists SKUs', async () => {
		useRoutes( base );
		render( <Products /> );
		expect( await screen.findByText( 'Shirt S' ) ).toBeInTheDocument();
		expect( ( await screen.findAllByText( 'Not available from this daemon version.' ) ).length ).toBeGreaterThan( 0 );
		expect( screen.queryByText( 'sells 3, not mapped to a SKU' ) ).not.toBeInTheDocument();
	} );
} );
