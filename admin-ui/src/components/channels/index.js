/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { MARKETPLACES } from '../../data/channel-names';
import { ResourceState } from '../resource-state';
import { ChannelCard } from './channel-card';
import { MarketplaceConnection } from './marketplace-connection';

function MarketplaceConnections( { onChanged } ) {
	return (
		<section className="shelfguard-channels__connect" aria-labelledby="shelfguard-channels-connect-title">
			<h2 id="shelfguard-channels-connect-title">{ __( 'Marketplace connections', 'shelfguard' ) }</h2>
			<p>{ __( 'Credentials are entered once, tried with the marketplace, stored encrypted by the daemon and shown masked afterwards. A newly connected marketplace starts in shadow mode: validate it and promote it above.', 'shelfguard' ) }</p>
			<div className="shelfguard-channels__grid">
				{ MARKETPLACES.map( ( code ) => (
					<MarketplaceConnection key={ code } channel={ code } onChanged={ onChanged } />
				) ) }
			</div>
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
						<MarketplaceConnections onChanged={ channels.reload } />
					</>
				) }
			</ResourceState>
		</div>
	);
}
