/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { daemonRequest } from '../../api/daemon-request';
import { channelLabel } from '../../data/channel-names';

/**
 * "Retry all" for one channel: one call retries every dead letter the channel has, oldest first
 * (the daemon takes up to 1,000 a call and says how many are left), not only those the list shows.
 *
 * @param {Object}   props
 * @param {string}   props.channel Channel code.
 * @param {number}   props.count   Its unresolved dead letters.
 * @param {Function} props.onDone  Called with ( channel, answer ): the daemon's answer
 *                                 ({ acted, outcomes, left }), or { error } with its message.
 */
export function RetryAll( { channel, count, onDone } ) {
	const [ isRunning, setRunning ] = useState( false );
	const run = async () => {
		setRunning( true );
		let answer;
		try {
			answer = await daemonRequest( `channels/${ encodeURIComponent( channel ) }/dead-letters/retry`, { method: 'POST', data: {} } );
		} catch ( error ) {
			answer = { error: error?.message ?? String( error ) };
		}
		setRunning( false );
		onDone( channel, answer );
	};
	return (
		<Button variant="secondary" onClick={ run } isBusy={ isRunning } disabled={ isRunning } accessibleWhenDisabled>
			{ sprintf(
				/* translators: 1: channel name, 2: number of dead letters. */
				__( 'Retry all of %1$s (%2$d)', 'shelfguard' ),
				channelLabel( channel ),
				count
			) }
		</Button>
	);
}
