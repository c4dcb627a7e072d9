/**
 * External dependencies
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * WordPress dependencies
 */
import apiFetch from '@wordpress/api-fetch';

/**
 * Internal dependencies
 */
import { connectBody, connectErrorOf } from '../../../admin-ui/src/components/channels/connect-form';
import { Channels } from '../../../admin-ui/src/components/channels';
import { MarketplaceConnection } from '../../../admin-ui/src/components/channels/marketplace-connection';
import { fakeApiFetch } from './fake-api-fetch';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const FIELDS = [
	{ name: 'clientId', label: 'Client ID', secret: false, required: true, set: false, masked: null },
	{ name: 'clientSecret', label: 'Client secret', secret: true, required: true, set: false, masked: null },
	{ name: 'shipNode', label: 'Ship node', secret: false, required: false, set: false, masked: null },
];
const DISCONNECTED = { channel: 'walmart', connected: false, mode: null, canStore: true, source: null, editable: true, baseUrl: 'https://marketplace.example', fields: FIELDS };
const CONNECTED = {
	...DISCONNECTED, connected: true, mode: 'shadow', source: 'admin',
	fields: [ { ...FIELDS[ 0 ], set: true, masked: 'client-7' }, { ...FIELDS[ 1 ], set: true, masked: '••••WXYZ' }, FIELDS[ 2 ] ],
};
const SECRET = 'the-whole-secret-ABCDWXYZ';
// Flows that type into several fields take seconds on a busy machine; jest's 5 s is too tight.
const LONG_FLOW_MS = 30_000;

function useRoutes( routes ) {
	const mock = fakeApiFetch( routes );
	apiFetch.mockImplementation( mock );
	return mock;
}

// Notices are also spoken through an aria-live region outside the card: look inside the card.
function card() {
	return within( document.querySelector( '[data-connection="walmart"]' ) );
}

async function openForm() {
	await userEvent.click( await screen.findByRole( 'button', { name: 'Connect Walmart' } ) );
	return screen.getByRole( 'form', { name: 'Connect Walmart' } );
}

describe( 'connect form shaping', () => {
	test.each( [
		[ 'credentials.clientSecret: Client secret is required', { field: 'clientSecret', text: 'Client secret is required' } ],
		[ 'baseUrl: must be an http(s) URL of the marketplace or its sandbox', { field: 'baseUrl', text: 'must be an http(s) URL of the marketplace or its sandbox' } ],
		[ 'walmart refused these credentials at the token request (unauthorized); nothing was stored', { field: null, text: 'walmart refused these credentials at the token request (unauthorized); nothing was stored' } ],
	] )( 'the daemon message %j goes to %j', ( message, expected ) => {
		expect( connectErrorOf( message ) ).toEqual( expected );
	} );

	test( 'only filled fields are sent, with the base URL trimmed and the mode chosen', () => {
		expect( connectBody( { baseUrl: ' http://127.0.0.1:9 ', mode: 'shadow', clientId: 'id', clientSecret: 's', shipNode: '  ' }, FIELDS ) ).toEqual( { baseUrl: 'http://127.0.0.1:9', mode: 'shadow', credentials: { clientId: 'id', clientSecret: 's' } } );
	} );
} );

describe( 'connecting a marketplace on the Channels screen', () => {
	test( 'a refused secret is said under the form and a field error under its field; the right one shows the connection masked', async () => {
		let connected = false;
		const posted = [];
		useRoutes( {
			'GET channels/walmart/connection': () => [ 200, connected ? CONNECTED : DISCONNECTED ],
			'POST channels/walmart/connect': ( { data } ) => {
				posted.push( data );
				if ( posted.length === 1 ) {
					return [ 422, { error: 'marketplace_refused', message: 'walmart refused these credentials at the token request (unauthorized: POST /v3/token answered 401); nothing was stored' } ];
				}
				if ( posted.length === 2 ) {
					return [ 400, { error: 'invalid_body', message: 'credentials.clientSecret: Client secret is required' } ];
				}
				connected = true;
				return [ 200, { ...CONNECTED, message: 'walmart is connected in shadow mode' } ];
			},
		} );
		const onChanged = jest.fn();
		render( <MarketplaceConnection channel="walmart" onChanged={ onChanged } /> );
		const form = await openForm();
		const clientId = within( form ).getByLabelText( 'Client ID (required)' );
		expect( clientId ).toHaveFocus();
		const secret = within( form ).getByLabelText( 'Client secret (required)' );
		expect( secret ).toHaveAttribute( 'type', 'password' );
		await userEvent.type( clientId, 'client-7' );
		await userEvent.type( secret, 'wrong' );
		await userEvent.click( within( form ).getByRole( 'button', { name: 'Save and connect' } ) );
		expect( await screen.findByRole( 'alert' ) ).toHaveTextContent( 'refused these credentials' );
		expect( screen.getByRole( 'form', { name: 'Connect Walmart' } ) ).toBeInTheDocument();
		expect( onChanged ).not.toHaveBeenCalled();

		await userEvent.clear( secret );
		await userEvent.click( within( form ).getByRole( 'button', { name: 'Save and connect' } ) );
		await waitFor( () => expect( secret ).toHaveAttribute( 'aria-invalid', 'true' ) );
		expect( secret.closest( '[data-field="clientSecret"]' ) ).toHaveTextContent( 'Client secret is required' );
		expect( secret ).toHaveFocus();

		await userEvent.click( secret );
		await userEvent.paste( SECRET );
		await userEvent.click( within( form ).getByRole( 'button', { name: 'Save and connect' } ) );
		expect( await card().findByText( 'walmart is connected in shadow mode' ) ).toBeInTheDocument();
		expect( await screen.findByText( '••••WXYZ' ) ).toBeInTheDocument();
		expect( screen.getByText( 'Connected · Shadow (validating)' ) ).toBeInTheDocument();
		expect( document.body.textContent ).not.toContain( SECRET );
		expect( screen.queryByRole( 'form' ) ).not.toBeInTheDocument();
		expect( onChanged ).toHaveBeenCalledTimes( 1 );
		expect( posted.map( ( body ) => body.credentials ) ).toEqual( [ { clientId: 'client-7', clientSecret: 'wrong' }, { clientId: 'client-7' }, { clientId: 'client-7', clientSecret: SECRET } ] );
		expect( posted[ 2 ] ).toMatchObject( { baseUrl: 'https://marketplace.example', mode: 'shadow' } );
	}, LONG_FLOW_MS );

	test( 'Escape closes the form without a request and gives focus back to Connect', async () => {
		const mock = useRoutes( { 'GET channels/walmart/connection': DISCONNECTED } );
		render( <MarketplaceConnection channel="walmart" onChanged={ jest.fn() } /> );
		await openForm();
		await userEvent.keyboard( '{Escape}' );
		await waitFor( () => expect( screen.getByRole( 'button', { name: 'Connect Walmart' } ) ).toHaveFocus() );
		expect( mock.mock.calls.filter( ( [ call ] ) => call.method === 'POST' ) ).toHaveLength( 0 );
	} );

	test( 'Disconnect asks first, then forgets the connection', async () => {
		let connected = true;
		const onChanged = jest.fn();
		const mock = useRoutes( {
			'GET channels/walmart/connection': () => [ 200, connected ? CONNECTED : DISCONNECTED ],
			'POST channels/walmart/disconnect': () => {
				connected = false;
				return [ 200, { ...DISCONNECTED, mode: 'paused', message: 'walmart is disconnected: its credentials are forgotten, its listings and history stay' } ];
			},
		} );
		render( <MarketplaceConnection channel="walmart" onChanged={ onChanged } /> );
		await userEvent.click( await screen.findByRole( 'button', { name: 'Disconnect Walmart' } ) );
		const confirm = screen.getByRole( 'button', { name: 'Yes, disconnect Walmart' } );
		expect( confirm ).toHaveFocus();
		expect( mock.mock.calls.filter( ( [ call ] ) => call.method === 'POST' ) ).toHaveLength( 0 );
		await userEvent.click( confirm );
		expect( await card().findByText( /is disconnected: its credentials are forgotten/ ) ).toBeInTheDocument();
		expect( await screen.findByRole( 'button', { name: 'Connect Walmart' } ) ).toBeInTheDocument();
		expect( screen.queryByText( '••••WXYZ' ) ).not.toBeInTheDocument();
		expect( onChanged ).toHaveBeenCalledTimes( 1 );
	} );

	test( 'a channel the daemon\'s configuration owns is shown masked, with neither Connect nor Disconnect', async () => {
		useRoutes( { 'GET channels/walmart/connection': { ...CONNECTED, source: 'config', editable: false } } );
		render( <MarketplaceConnection channel="walmart" onChanged={ jest.fn() } /> );
		expect( await screen.findByText( /Configured in the daemon's own configuration/ ) ).toBeInTheDocument();
		expect( screen.getByText( '••••WXYZ' ) ).toBeInTheDocument();
		expect( screen.queryByRole( 'button', { name: 'Connect Walmart' } ) ).not.toBeInTheDocument();
		expect( screen.queryByRole( 'button', { name: 'Disconnect Walmart' } ) ).not.toBeInTheDocument();
	} );

	test( 'without a credentials key the daemon cannot store anything, and the screen says how to fix it', async () => {
		useRoutes( { 'GET channels/walmart/connection': { ...DISCONNECTED, canStore: false } } );
		render( <MarketplaceConnection channel="walmart" onChanged={ jest.fn() } /> );
		expect( await card().findByText( /set SHELFGUARD_CREDENTIALS_KEY/ ) ).toBeInTheDocument();
		expect( screen.getByRole( 'button', { name: 'Connect Walmart' } ) ).toBeDisabled();
	} );

	test( 'an older daemon without the route says it is not available', async () => {
		useRoutes( {} );
		render( <MarketplaceConnection channel="walmart" onChanged={ jest.fn() } /> );
		expect( await screen.findByText( 'Not available from this daemon version.' ) ).toBeInTheDocument();
	} );

	test( 'the Channels screen has a connection card for every marketplace, and a connection reloads the channel list', async () => {
		let connected = false;
		const routes = { 'GET channels': () => [ 200, { channels: connected ? [ { channel: 'walmart', mode: 'shadow', connected: true, headroom: {}, pushes: {} } ] : [] } ] };
		for ( const code of [ 'amazon', 'ebay', 'tiktok', 'etsy' ] ) {
			routes[ `GET channels/${ code }/connection` ] = { ...DISCONNECTED, channel: code, fields: [] };
		}
		routes[ 'GET channels/walmart/connection' ] = () => [ 200, connected ? CONNECTED : DISCONNECTED ];
		routes[ 'POST channels/walmart/connect' ] = () => {
			connected = true;
			return [ 200, { ...CONNECTED, message: 'walmart is connected in shadow mode' } ];
		};
		useRoutes( routes );
		render( <Channels /> );
		for ( const name of [ 'Amazon', 'eBay', 'Walmart', 'TikTok Shop', 'Etsy' ] ) {
			expect( await screen.findByRole( 'button', { name: `Connect ${ name }` } ) ).toBeInTheDocument();
		}
		const form = await openForm();
		await userEvent.type( within( form ).getByLabelText( 'Client ID (required)' ), 'client-7' );
		await userEvent.click( within( form ).getByLabelText( 'Client secret (required)' ) );
		await userEvent.paste( SECRET );
		await userEvent.click( within( form ).getByRole( 'button', { name: 'Save and connect' } ) );
		// The mode card appears once the channel list is read again.
		expect( await screen.findByRole( 'button', { name: 'Promote Walmart to live' } ) ).toBeInTheDocument();
	}, LONG_FLOW_MS );
} );
