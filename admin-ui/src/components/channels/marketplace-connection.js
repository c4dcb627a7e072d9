/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { useDaemonAction } from '../../api/use-daemon-action';
import { channelLabel, modeLabel } from '../../data/channel-names';
import { ResourceState } from '../resource-state';
import { ConnectForm } from './connect-form';
import { fieldText } from './credential-labels';

function MaskedFields( { channel, connection } ) {
	const set = connection.fields.filter( ( field ) => field.set );
	return (
		<dl className="shelfguard-channels__masked">
			<dt>{ __( 'Base URL', 'shelfguard' ) }</dt>
			<dd>{ connection.baseUrl }</dd>
			{ set.map( ( field ) => (
				<div key={ field.name } className="shelfguard-channels__masked-row">
					<dt>{ fieldText( channel, field ).label }</dt>
					<dd data-secret={ field.secret ? 'true' : undefined }>{ field.masked }</dd>
				</div>
			) ) }
		</dl>
	);
}

function DisconnectButton( { channel, name, onDone } ) {
	const [ isConfirming, setIsConfirming ] = useState( false );
	const action = useDaemonAction();
	const confirmRef = useRef();
	useEffect( () => {
		if ( isConfirming ) {
			confirmRef.current?.focus();
		}
	}, [ isConfirming ] );
	const disconnect = async () => {
		const result = await action.run( `channels/${ encodeURIComponent( channel ) }/disconnect` );
		if ( result ) {
			setIsConfirming( false );
			onDone( result );
		}
	};
	const isRunning = action.status === 'running';
	if ( ! isConfirming ) {
		return (
			/* translators: %s: marketplace name. */
			<Button variant="secondary" isDestructive aria-label={ sprintf( __( 'Disconnect %s', 'shelfguard' ), name ) } onClick={ () => setIsConfirming( true ) }>
				{ __( 'Disconnect', 'shelfguard' ) }
			</Button>
		);
	}
	return (
		<div className="shelfguard-channels__confirm" role="group" aria-label={ __( 'Confirm disconnection', 'shelfguard' ) } onKeyDown={ ( event ) => event.key === 'Escape' && ! isRunning && setIsConfirming( false ) }>
			{ /* translators: %s: marketplace name. */ }
			<p>{ sprintf( __( 'Disconnect %s? Pushes to it stop at once and its credentials are forgotten; its listings and history stay.', 'shelfguard' ), name ) }</p>
			<div className="shelfguard-channels__actions">
				{ /* translators: %s: marketplace name. */ }
				<Button ref={ confirmRef } variant="primary" isDestructive isBusy={ isRunning } disabled={ isRunning } onClick={ disconnect }>
					{ sprintf( __( 'Yes, disconnect %s', 'shelfguard' ), name ) }
				</Button>
				<Button variant="tertiary" disabled={ isRunning } onClick={ () => setIsConfirming( false ) }>
					{ __( 'Keep connected', 'shelfguard' ) }
				</Button>
			</div>
			{ action.status === 'error' && <Notice status="error" isDismissible={ false }>{ action.error.message }</Notice> }
		</div>
	);
}

function ConnectionBody( { channel, name, connection, onChanged } ) {
	const [ isConnecting, setIsConnecting ] = useState( false );
	const [ message, setMessage ] = useState( '' );
	const connectButton = useRef();
	const done = ( result ) => {
		setIsConnecting( false );
		setMessage( result?.message ?? '' );
		onChanged();
	};
	if ( isConnecting ) {
		return <ConnectForm channel={ channel } name={ name } connection={ connection } onDone={ done } onCancel={ () => { setIsConnecting( false ); setTimeout( () => connectButton.current?.focus() ); } } />;
	}
	const isConnected = connection.connected;
	return (
		<>
			{ message && <Notice status="success" isDismissible={ false }>{ message }</Notice> }
			{ connection.problem && <Notice status="warning" isDismissible={ false }>{ connection.problem }</Notice> }
			{ connection.source === 'config' && <p>{ __( 'Configured in the daemon\'s own configuration (SHELFGUARD_CHANNELS or its config file): change it there. It cannot be changed from WordPress.', 'shelfguard' ) }</p> }
			{ connection.source !== null && <MaskedFields channel={ channel } connection={ connection } /> }
			{ connection.source === null && <p>{ __( 'Not connected. Connect it with the credentials the marketplace issued to you; they are tried with the marketplace first and stored encrypted by the daemon.', 'shelfguard' ) }</p> }
			{ connection.source === null && ! connection.canStore && (
				<Notice status="warning" isDismissible={ false }>
					{ __( 'The daemon cannot store credentials yet: set SHELFGUARD_CREDENTIALS_KEY (32 random bytes, e.g. openssl rand -base64 32) in its configuration and restart it.', 'shelfguard' ) }
				</Notice>
			) }
			{ connection.editable && (
				<div className="shelfguard-channels__actions">
					{ ( connection.source === null || ! isConnected ) && (
						/* translators: %s: marketplace name. */
						<Button ref={ connectButton } variant="primary" aria-label={ sprintf( __( 'Connect %s', 'shelfguard' ), name ) } disabled={ ! connection.canStore } onClick={ () => { setMessage( '' ); setIsConnecting( true ); } }>
							{ connection.source === null ? __( 'Connect', 'shelfguard' ) : __( 'Connect again', 'shelfguard' ) }
						</Button>
					) }
					{ connection.source === 'admin' && <DisconnectButton channel={ channel } name={ name } onDone={ done } /> }
				</div>
			) }
		</>
	);
}

/**
 * One marketplace's connection: masked credentials and Disconnect when connected from here, a
 * Connect form when not, read-only when the daemon's configuration owns it.
 *
 * @param {Object}   props
 * @param {string}   props.channel   Channel code.
 * @param {Function} props.onChanged Called after a connection or disconnection.
 */
export function MarketplaceConnection( { channel, onChanged } ) {
	const connection = useDaemon( `channels/${ encodeURIComponent( channel ) }/connection` );
	const name = channelLabel( channel );
	const changed = () => {
		connection.reload();
		onChanged();
	};
	const data = connection.data;
	return (
		<Card className="shelfguard-channels__card shelfguard-channels__connection" data-connection={ channel }>
			<CardHeader>
				<h3 className="shelfguard-channels__name">{ name }</h3>
				{ data && (
					<span className={ `shelfguard-channels__state is-${ data.connected ? 'connected' : 'disconnected' }` }>
						{ data.connected ? sprintf( /* translators: %s: mode name. */ __( 'Connected · %s', 'shelfguard' ), modeLabel( data.mode ) ) : __( 'Not connected', 'shelfguard' ) }
					</span>
				) }
			</CardHeader>
			<CardBody>
				{ /* translators: %s: marketplace name. */ }
				<ResourceState resource={ connection } label={ sprintf( __( 'Loading the %s connection…', 'shelfguard' ), name ) }>
					{ ( loaded ) => <ConnectionBody channel={ channel } name={ name } connection={ loaded } onChanged={ changed } /> }
				</ResourceState>
				{ connection.status === 'loading' && connection.data && <Spinner /> }
			</CardBody>
		</Card>
	);
}
