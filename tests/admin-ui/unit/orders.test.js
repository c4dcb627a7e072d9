/**
 * External dependencies
 */
import { render, screen, within } from '@testing-library/react';

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';

/**
 * Internal dependencies
 */
import { Orders } from '../../../admin-ui/src/components/orders';
import { restockLabel, routingLabel } from '../../../admin-ui/src/data/order-labels';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

// The shapes GET /v1/admin/orders and /returns answer (daemon/src/http/orders-routes.ts).
const LINE = { channel: 'amazon', orderId: 'A-2', lineId: '1', sku: 'CUP', quantity: 1, status: 'created', stockState: 'reserved', createdAt: '2026-01-01T00:02:00.000Z', updatedAt: '2026-01-01T00:02:00.000Z' };
const FBA = { ...LINE, routing: { fulfillment: 'marketplace', locations: [ { code: 'fba', name: 'Amazon FBA', kind: 'marketplace', quantity: 1 } ] } };
const WAREHOUSE = { ...LINE, channel: 'ebay', orderId: 'E-1', sku: 'MUG', quantity: 3, routing: { fulfillment: 'merchant', locations: [ { code: 'main', name: 'Main warehouse', kind: 'warehouse', quantity: 3 } ] } };
const RETURNED = { ...WAREHOUSE, orderId: 'E-7', status: 'return_received', stockState: 'returned', restock: { outcome: 'restocked', sellable: 2, damaged: 0, released: 0 } };
const CANCELLED = { ...WAREHOUSE, orderId: 'E-8', status: 'cancelled', stockState: 'released', restock: { outcome: 'released', sellable: 0, damaged: 0, released: 3 } };

describe( 'the Orders and returns screen against the orders route', () => {
	test( 'lists orders with their routing, FBA or a warehouse, and returns with their restock outcome', async () => {
		apiFetch.mockImplementation( fakeApiFetch( {
			'GET orders': { orders: [ FBA, WAREHOUSE ], next: null },
			'GET returns': { returns: [ RETURNED, CANCELLED ], next: null },
			'GET oversells': { oversells: [] },
		} ) );
		render( <Orders /> );
		const orders = await screen.findByRole( 'table', { name: 'Recent marketplace orders with their routing' } );
		const fbaRow = within( orders ).getByText( 'A-2, line 1' ).closest( 'tr' );
		expect( fbaRow ).toHaveTextContent( 'Amazon' );
		expect( fbaRow ).toHaveTextContent( 'Marketplace (Amazon FBA)' );
		expect( fbaRow ).toHaveTextContent( 'Committed, not shipped' );
		expect( within( orders ).getByText( 'E-1, line 1' ).closest( 'tr' ) ).toHaveTextContent( 'Warehouse: Main warehouse' );
		const returns = await screen.findByRole( 'table', { name: 'Cancellations and returns with their restock outcome' } );
		expect( within( returns ).getByText( 'E-7, line 1' ).closest( 'tr' ) ).toHaveTextContent( 'Restocked: 2 back to sell' );
		expect( within( returns ).getByText( 'E-8, line 1' ).closest( 'tr' ) ).toHaveTextContent( 'Released: 3 back to available' );
		expect( screen.queryByText( 'Not available from this daemon version.' ) ).not.toBeInTheDocument();
	} );

	test( 'empty answers say so instead of an empty table', async () => {
		apiFetch.mockImplementation( fakeApiFetch( { 'GET orders': { orders: [], next: null }, 'GET returns': { returns: [], next: null }, 'GET oversells': { oversells: [] } } ) );
		render( <Orders /> );
		expect( await screen.findByText( 'No marketplace orders yet.' ) ).toBeInTheDocument();
		expect( await screen.findByText( 'No cancellations or returns yet.' ) ).toBeInTheDocument();
	} );
} );

describe( 'order labels', () => {
	test.each( [
		[ { fulfillment: 'marketplace', locations: [] }, 'Marketplace, from its own stock' ],
		[ { fulfillment: 'merchant', locations: [] }, 'Warehouse (none reserved)' ],
		[ { fulfillment: 'merchant', locations: [ { code: 'a', name: 'A' }, { code: 'b', name: '' } ] }, 'Warehouse: A, b' ],
	] )( 'routing %j reads %s', ( routing, label ) => {
		expect( routingLabel( routing ) ).toBe( label );
	} );

	test( 'an outcome a newer daemon adds is shown as it comes', () => {
		expect( restockLabel( { outcome: 'sent_to_refurbish' } ) ).toBe( 'sent_to_refurbish' );
		expect( restockLabel( { outcome: 'damaged', damaged: 1 } ) ).toBe( 'Came back damaged: 1 not for sale' );
	} );
} );
