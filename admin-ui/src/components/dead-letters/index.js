/**
 * WordPress dependencies
 */
import { Notice } from '@wordpress/components';
import { humanTimeDiff } from '@wordpress/date';
import { useCallback, useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { DEAD_LETTERS_LIST_MAX, deadLetterRow, deadLettersByChannel, outcomeNotice, retryAllNotice, shortError } from '../../data/dead-letters';
import { formatNumber, formatTime } from '../../data/format';
import { DataTable } from '../data-table';
import { ResourceState } from '../resource-state';
import { DeadLetterActions } from './dead-letter-actions';
import { RetryAll } from './retry-all';

function Subject( { row } ) {
	const kind = row.kind === 'push' ? __( 'SKU', 'shelfguard' ) : __( 'Marketplace event', 'shelfguard' );
	return (
		<>
			<span className="shelfguard-dead-letters__kind">{ kind }</span> { row.subject }
		</>
	);
}

function Age( { atMs, nowMs } ) {
	return (
		<time dateTime={ new Date( atMs ).toISOString() } title={ formatTime( atMs ) }>
			{ humanTimeDiff( atMs, Math.max( atMs, nowMs ) ) }
		</time>
	);
}

function columns( nowMs, onActed ) {
	return [
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
		{ id: 'subject', label: __( 'SKU or event', 'shelfguard' ), render: ( row ) => <Subject row={ row } /> },
		// The marketplace wrote this text: React escapes it, and the cell shows its start only.
		{ id: 'error', label: __( 'Error', 'shelfguard' ), render: ( row ) => <span className="shelfguard-dead-letters__error" title={ row.error }>{ shortError( row.error ) }</span> },
		{ id: 'attempts', label: __( 'Attempts', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.attempts ) },
		{ id: 'age', label: __( 'Gave up', 'shelfguard' ), render: ( row ) => <Age atMs={ row.createdAtMs } nowMs={ nowMs } /> },
		{ id: 'actions', label: __( 'Actions', 'shelfguard' ), render: ( row ) => <DeadLetterActions row={ row } onActed={ onActed } /> },
	];
}

function DeadLetterList( { letters, totals, onActed, onRetriedAll } ) {
	const rows = letters.map( deadLetterRow );
	return (
		<>
			<div className="shelfguard-dead-letters__retry-all">
				{ deadLettersByChannel( rows ).map( ( { channel, ids } ) => (
					<RetryAll key={ channel } channel={ channel } count={ Math.max( ids.length, totals[ channel ] ?? 0 ) } onDone={ onRetriedAll } />
				) ) }
			</div>
			<DataTable caption={ __( 'Dead letters waiting for a decision', 'shelfguard' ) } columns={ columns( Date.now(), onActed ) } rows={ rows } rowKey={ ( row ) => row.id } />
			{ letters.length >= DEAD_LETTERS_LIST_MAX && (
				<p className="shelfguard-dead-letters__note">
					{ sprintf(
						/* translators: %d: number of dead letters shown. */
						__( 'Only the newest %d are shown; older ones appear as these are dealt with.', 'shelfguard' ),
						DEAD_LETTERS_LIST_MAX
					) }
				</p>
			) }
		</>
	);
}

/**
 * The dead letters nobody has dealt with yet: pushes and marketplace events that ran out of
 * attempts, newest first, each with Retry (the listing gets the ledger's quantity of that moment,
 * or the event is applied again) and Resolve (acknowledge only). After each action the outcome is
 * shown and onChanged refreshes the list and the channel counts.
 *
 * @param {Object}   props
 * @param {Object}   props.resource  useDaemon( 'dead-letters' ).
 * @param {Object}   [props.totals]  Unresolved dead letters per channel code (the channel rows'
 *                                   count), for Retry all's label: the list shows the newest only.
 * @param {Function} props.onChanged Called after an action, to reload what it changed.
 */
export function DeadLetters( { resource, totals = {}, onChanged } ) {
	const [ notice, setNotice ] = useState( null );
	const noticeRef = useRef();
	// The row acted on leaves the list, and its focused button with it: the outcome takes focus.
	useEffect( () => {
		if ( notice ) {
			noticeRef.current?.focus();
		}
	}, [ notice ] );
	const onActed = useCallback( ( outcome, row ) => {
		setNotice( outcomeNotice( outcome, row ) );
		onChanged();
	}, [ onChanged ] );
	const onRetriedAll = useCallback( ( channel, answer ) => {
		setNotice( retryAllNotice( channel, answer ) );
		onChanged();
	}, [ onChanged ] );
	return (
		<section className="shelfguard-dead-letters__section" aria-labelledby="shelfguard-dead-letters-heading">
			<h2 id="shelfguard-dead-letters-heading">{ __( 'Dead letters', 'shelfguard' ) }</h2>
			<p className="shelfguard-dead-letters__note">
				{ __( 'Pushes and marketplace events that ran out of attempts. Retry sends the listing the quantity the ledger has now, or applies the event again; Resolve only marks it as dealt with.', 'shelfguard' ) }
			</p>
			{ notice && (
				<div ref={ noticeRef } tabIndex={ -1 } className="shelfguard-dead-letters__outcome">
					<Notice status={ notice.status } onRemove={ () => setNotice( null ) }>
						{ notice.message }
					</Notice>
				</div>
			) }
			<ResourceState resource={ resource } label={ __( 'Loading dead letters…', 'shelfguard' ) } isEmpty={ ( data ) => data.deadLetters.length === 0 } emptyText={ __( 'No dead letters: every push and marketplace event went through.', 'shelfguard' ) }>
				{ ( data ) => <DeadLetterList letters={ data.deadLetters } totals={ totals } onActed={ onActed } onRetriedAll={ onRetriedAll } /> }
			</ResourceState>
		</section>
	);
}
