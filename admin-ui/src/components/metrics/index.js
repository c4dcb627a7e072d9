/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { useDaemonAction } from '../../api/use-daemon-action';
import { formatNumber, formatTime } from '../../data/format';
import { standingChannels } from '../../data/metrics';
import { ResourceState } from '../resource-state';
import { ChannelStanding } from './channel-standing';
import { ProtectionActions } from './protection-actions';
import { StandingAlerts } from './standing-alerts';

/**
 * Seller standing: the alerts first, then every channel's metrics with Shelfguard's estimate
 * beside the marketplace's official figure, headroom, the window's exits and the trend against
 * the limit, then what protection did.
 */
export function Metrics() {
	const standing = useDaemon( 'metrics' );
	const alerts = useDaemon( 'metrics/alerts', { unacknowledged: 1 } );
	const protection = useDaemon( 'metrics/protection' );
	const check = useDaemonAction();
	const runCheck = async () => {
		await check.run( 'metrics/check' );
		standing.reload();
		alerts.reload();
		protection.reload();
	};
	return (
		<div className="shelfguard-metrics__screen">
			<h2>{ __( 'Seller-standing alerts', 'shelfguard' ) }</h2>
			<ResourceState resource={ alerts } label={ __( 'Loading alerts…', 'shelfguard' ) }>
				{ ( data ) => <StandingAlerts alerts={ data.alerts } onAcknowledged={ alerts.reload } /> }
			</ResourceState>
			<h2>{ __( 'Standing per channel', 'shelfguard' ) }</h2>
			<ResourceState
				resource={ standing }
				label={ __( 'Loading seller standing…', 'shelfguard' ) }
				isEmpty={ ( data ) => standingChannels( data ).length === 0 }
				emptyText={ __( 'No marketplace with published seller metrics is connected yet.', 'shelfguard' ) }
			>
				{ ( data ) => (
					<>
						<p className="shelfguard-metrics__note">
							{ sprintf(
								/* translators: 1: date and time, 2: number of cancellations. */
								__( 'Evaluated %1$s. Alerts are raised when a metric can absorb %2$s or fewer more seller-caused cancellations.', 'shelfguard' ),
								formatTime( data.atMs ),
								formatNumber( data.alertHeadroomCancellations )
							) }
						</p>
						{ data.truncated && <p className="shelfguard-metrics__note">{ __( 'Only the most recent orders were read: the oldest are left out of these figures.', 'shelfguard' ) }</p> }
						{ standingChannels( data ).map( ( channel ) => (
							<ChannelStanding key={ channel.channel } channel={ channel } />
						) ) }
					</>
				) }
			</ResourceState>
			<p>
				<Button variant="secondary" onClick={ runCheck } isBusy={ check.status === 'running' } disabled={ check.status === 'running' }>
					{ __( 'Check standing now', 'shelfguard' ) }
				</Button>
				{ check.status === 'error' && <span className="shelfguard-metrics__action-error" role="alert"> { check.error?.message }</span> }
			</p>
			<h2>{ __( 'Protection', 'shelfguard' ) }</h2>
			<ResourceState resource={ protection } label={ __( 'Loading protection actions…', 'shelfguard' ) } isEmpty={ ( data ) => data.actions.length === 0 } emptyText={ __( 'Protection has not changed any listing.', 'shelfguard' ) }>
				{ ( data ) => <ProtectionActions actions={ data.actions } onReverted={ () => { protection.reload(); standing.reload(); } } /> }
			</ResourceState>
		</div>
	);
}
