/**
 * WordPress dependencies
 */
import { Button, Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemonAction } from '../../api/use-daemon-action';
import { channelLabel, modeLabel } from '../../data/channel-names';
import { ChannelLimits } from './channel-limits';
import { ValidationReport } from './validation-report';

function outcomeOf( action ) {
	if ( action.status === 'error' ) {
		return <Notice status="error" isDismissible={ false }>{ action.error.message }</Notice>;
	}
	const result = action.result;
	if ( action.status !== 'done' || ! result ) {
		return null;
	}
	return (
		<>
			{ result.message && <Notice status={ result.promoted === false ? 'warning' : 'success' } isDismissible={ false }>{ result.message }</Notice> }
			{ result.listingsChecked !== undefined && <ValidationReport report={ result } /> }
			{ result.report && <ValidationReport report={ result.report } /> }
		</>
	);
}

/**
 * One channel: its mode and the actions that move it between shadow, live and paused.
 *
 * @param {Object}   props
 * @param {Object}   props.status    Entry of GET /v1/admin/channels.
 * @param {Function} props.onChanged Called after a mode may have changed.
 */
export function ChannelCard( { status, onChanged } ) {
	const action = useDaemonAction();
	const name = channelLabel( status.channel );
	const run = async ( verb, data ) => {
		await action.run( `channels/${ encodeURIComponent( status.channel ) }/${ verb }`, data );
		if ( verb !== 'validate' ) {
			onChanged();
		}
	};
	const isRunning = action.status === 'running';
	return (
		<Card className="shelfguard-channels__card" data-channel={ status.channel }>
			<CardHeader>
				<h3 className="shelfguard-channels__name">{ name }</h3>
				<span className={ `shelfguard-channels__mode is-${ status.mode }` }>{ modeLabel( status.mode ) }</span>
			</CardHeader>
			<CardBody>
				<p>{ status.connected ? __( 'Connected: the daemon holds its credentials (masked under Marketplace connections below).', 'shelfguard' ) : __( 'Not connected: no connector runs for this channel, so nothing is pushed to it.', 'shelfguard' ) }</p>
				<ChannelLimits status={ status } name={ name } />
				<div className="shelfguard-channels__actions">
					{ /* translators: %s: channel name. */ }
					<Button variant="secondary" disabled={ isRunning || ! status.connected } onClick={ () => run( 'validate' ) } aria-label={ sprintf( __( 'Run validation for %s', 'shelfguard' ), name ) }>
						{ __( 'Run validation', 'shelfguard' ) }
					</Button>
					{ status.mode !== 'live' && (
						<Button variant="primary" disabled={ isRunning || ! status.connected } onClick={ () => run( 'promote', {} ) } aria-label={ sprintf( __( 'Promote %s to live', 'shelfguard' ), name ) }>
							{ __( 'Promote to live', 'shelfguard' ) }
						</Button>
					) }
					{ status.mode !== 'paused' && (
						<Button variant="tertiary" isDestructive disabled={ isRunning } onClick={ () => run( 'pause' ) } aria-label={ sprintf( __( 'Pause %s', 'shelfguard' ), name ) }>
							{ __( 'Pause', 'shelfguard' ) }
						</Button>
					) }
					{ status.mode !== 'shadow' && (
						<Button variant="tertiary" disabled={ isRunning } onClick={ () => run( 'shadow' ) } aria-label={ sprintf( __( 'Move %s back to shadow mode', 'shelfguard' ), name ) }>
							{ __( 'Back to shadow', 'shelfguard' ) }
						</Button>
					) }
				</div>
				<div aria-live="polite">
					{ isRunning && (
						<p role="status">
							<Spinner />
							{ __( 'Asking the marketplace…', 'shelfguard' ) }
						</p>
					) }
					{ outcomeOf( action ) }
				</div>
			</CardBody>
		</Card>
	);
}
