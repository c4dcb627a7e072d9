/**
 * WordPress dependencies
 */
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemonAction } from '../../api/use-daemon-action';
import { channelLabel } from '../../data/channel-names';
import { formatTime } from '../../data/format';
import { levelStatus, levelText } from '../../data/metrics';

function StandingAlert( { alert, onAcknowledged } ) {
	const action = useDaemonAction();
	const acknowledge = async () => {
		if ( await action.run( `metrics/alerts/${ alert.id }/acknowledge` ) ) {
			onAcknowledged();
		}
	};
	/* translators: 1: alert level, 2: channel name, 3: date and time. */
	const heading = sprintf( __( '%1$s on %2$s, %3$s', 'shelfguard' ), levelText( alert.level ), channelLabel( alert.channel ), formatTime( alert.created_at ) );
	/* translators: %s: channel name. */
	const label = sprintf( __( 'Acknowledge the %s alert', 'shelfguard' ), channelLabel( alert.channel ) );
	return (
		<li className="shelfguard-metrics__alert" data-alert-id={ alert.id }>
			<Notice status={ levelStatus( alert.level ) } isDismissible={ false }>
				<p>
					<strong>{ heading }</strong>
				</p>
				<p>{ alert.message }</p>
				<p>
					<Button variant="secondary" size="small" onClick={ acknowledge } isBusy={ action.status === 'running' } disabled={ action.status === 'running' } aria-label={ label }>
						{ __( 'Acknowledge', 'shelfguard' ) }
					</Button>
					{ action.status === 'error' && <span className="shelfguard-metrics__action-error" role="alert"> { action.error?.message }</span> }
				</p>
			</Notice>
		</li>
	);
}

/**
 * The seller-standing alerts nobody has acknowledged yet, newest first, each with its button;
 * acknowledging one here also clears its wp-admin notice at the plugin's next poll.
 *
 * @param {Object}   props
 * @param {Object[]} props.alerts         Rows of GET /v1/admin/metrics/alerts?unacknowledged=1.
 * @param {Function} props.onAcknowledged Called after the daemon has acknowledged one.
 */
export function StandingAlerts( { alerts, onAcknowledged } ) {
	if ( alerts.length === 0 ) {
		return <p className="shelfguard-metrics__calm">{ __( 'No unacknowledged alerts.', 'shelfguard' ) }</p>;
	}
	return (
		<ul className="shelfguard-metrics__alerts" aria-label={ __( 'Unacknowledged seller-standing alerts', 'shelfguard' ) }>
			{ alerts.map( ( alert ) => (
				<StandingAlert key={ alert.id } alert={ alert } onAcknowledged={ onAcknowledged } />
			) ) }
		</ul>
	);
}
