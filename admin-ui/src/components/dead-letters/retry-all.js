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
import { isAlreadyDealtWith } from '../../data/dead-letters';

/**
 * Retries one channel's listed dead letters one after another (the daemon takes one per call),
 * so a dead letter someone else resolved meanwhile counts as dealt with rather than failing the
 * rest. The first other failure (the daemon gone, say) stops the run: the rest would fail alike.
 *
 * @param {string[]} ids Dead letter ids.
 * @return {Promise<string[]>} One outcome per id: the daemon's, `gone` or `failed`.
 */
async function retryEach( ids ) {
	const outcomes = [];
	for ( const id of ids ) {
		try {
			const result = await daemonRequest( `dead-letters/${ encodeURIComponent( id ) }/retry`, { method: 'POST', data: {} } );
			outcomes.push( result?.outcome ?? 'failed' );
		} catch ( error ) {
			if ( ! isAlreadyDealtWith( error ) ) {
				return [ ...outcomes, ...ids.slice( outcomes.length ).map( () => 'failed' ) ];
			}
			outcomes.push( 'gone' );
		}
	}
	return outcomes;
}

/**
 * "Retry all" for one channel's dead letters in the list.
 *
 * @param {Object}   props
 * @param {string}   props.channel Channel code.
 * @param {string[]} props.ids     Ids of its listed dead letters.
 * @param {Function} props.onDone  Called with ( channel, outcomes ).
 */
export function RetryAll( { channel, ids, onDone } ) {
	const [ isRunning, setRunning ] = useState( false );
	const run = async () => {
		setRunning( true );
		const outcomes = await retryEach( ids );
		setRunning( false );
		onDone( channel, outcomes );
	};
	return (
		<Button variant="secondary" onClick={ run } isBusy={ isRunning } disabled={ isRunning } accessibleWhenDisabled>
			{ sprintf(
				/* translators: 1: channel name, 2: number of dead letters. */
				__( 'Retry all of %1$s (%2$d)', 'shelfguard' ),
				channelLabel( channel ),
				ids.length
			) }
		</Button>
	);
}
