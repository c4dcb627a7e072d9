/**
 * WordPress dependencies
 */
import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { MARKETPLACES, channelLabel } from '../../data/channel-names';
import { ResourceState } from '../resource-state';
import { ChannelCard } from './channel-card';

function ConnectMarketplace( { connected } ) {
	const missing = MARKETPLACES.filter( ( code ) => ! connected.includes( code ) );
	return (
		<section className="shelfguard-channels__connect" aria-labelledby="shelfguard-channels-connect-title">
			<h2 id="shelfguard-channels-connect-title">{ __( 'Connect a marketplace', 'shelfguard' ) }</h2>
			<Notice status="info" isDismissible={ false }>
				{ __( 'Not available from this daemon version: it reads marketplace credentials and locations from its own configuration (SHELFGUARD_CHANNELS) and has no route to change them from WordPress. Connected marketplaces start in shadow mode; validate and promote them here, and edit each one\'s buffer and cap above.', 'shelfguard' ) }
			</Notice>
			{ missing.length > 0 && (
				<p>
					{ __( 'Not connected yet:', 'shelfguard' ) } { missing.map( channelLabel ).join( ', ' ) }
				</p>
			) }
		</section>
	);
}

/** Connected channels with their mode, validation and mode changes. */
export function Channels() {
	const channels = useDaemon( 'channels' );
	return (
		<div className="shelfguard-channels__screen">
			<ResourceState resource={ channels } label={ __( 'Loading channels…', 'shelfguard' ) }>
				{ ( data ) => (
					<>
						{ data.channels.length === 0 && <p>{ __( 'No channels are connected yet.', 'shelfguard' ) }</p> }
						<div className="shelfguard-channels__grid">
							{ data.channels.map( ( status ) => (
								<ChannelCard key={ status.channel } status={ status } onChanged={ channels.reload } />
							) ) }
						</div>
						<ConnectMarketplace connected={ data.channels.filter( ( status ) => status.connected ).map( ( status ) => status.channel ) } />
					</>
				) }
			</ResourceState>
		</div>
	);
}
