/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { useEffect } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemonAction } from '../../api/use-daemon-action';
import { channelLabel } from '../../data/channel-names';
import { isAlreadyDealtWith } from '../../data/dead-letters';

/**
 * Retry and Resolve for one dead letter. A success, or an answer saying someone else already
 * acted on it, goes to onActed, which refreshes the list; any other failure stays in the row.
 *
 * @param {Object}   props
 * @param {Object}   props.row     The dead letter (deadLetterRow).
 * @param {Function} props.onActed Called with ( outcome, row ); outcome `gone` when it was already dealt with.
 */
export function DeadLetterActions( { row, onActed } ) {
	const retry = useDaemonAction();
	const resolve = useDaemonAction();
	const isBusy = retry.status === 'running' || resolve.status === 'running';
	const failure = [ retry, resolve ].find( ( action ) => action.status === 'error' )?.error ?? null;
	const isGone = isAlreadyDealtWith( failure );
	useEffect( () => {
		if ( isGone ) {
			onActed( 'gone', row );
		}
		// Once per failure: the row's identity does not change while it is shown.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [ failure, isGone ] );
	const act = async ( action, verb ) => {
		const result = await action.run( `dead-letters/${ encodeURIComponent( row.id ) }/${ verb }` );
		if ( result ) {
			onActed( result.outcome, row );
		}
	};
	const name = channelLabel( row.channel );
	/* translators: 1: SKU or marketplace event id, 2: channel name. */
	const retryLabel = sprintf( __( 'Retry %1$s on %2$s', 'shelfguard' ), row.subject, name );
	/* translators: 1: SKU or marketplace event id, 2: channel name. */
	const resolveLabel = sprintf( __( 'Resolve %1$s on %2$s without retrying', 'shelfguard' ), row.subject, name );
	return (
		<div className="shelfguard-dead-letters__actions">
			<Button variant="secondary" size="small" onClick={ () => act( retry, 'retry' ) } isBusy={ retry.status === 'running' } disabled={ isBusy } accessibleWhenDisabled aria-label={ retryLabel }>
				{ __( 'Retry', 'shelfguard' ) }
			</Button>
			<Button variant="tertiary" size="small" onClick={ () => act( resolve, 'resolve' ) } isBusy={ resolve.status === 'running' } disabled={ isBusy } accessibleWhenDisabled aria-label={ resolveLabel }>
				{ __( 'Resolve', 'shelfguard' ) }
			</Button>
			{ failure && ! isGone && (
				<span className="shelfguard-dead-letters__action-error" role="alert">
					{ failure.message }
				</span>
			) }
		</div>
	);
}
