/**
 * WordPress dependencies
 */
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from './channel-names';

/** Dead letters the Overview lists at once (the daemon allows up to 1,000). */
export const DEAD_LETTERS_LIST_MAX = 100;
/** Characters of a marketplace's error shown in the table; the whole text is in the cell's title. */
export const ERROR_SHOWN_MAX = 200;

/** A push's reference is `listing:<listing id>:<channel sku>` (the daemon's outbox-claims.ts). */
const LISTING_REFERENCE = /^listing:[1-9][0-9]*:(.*)$/s;

/**
 * What a store owner recognises a dead letter by: the SKU of a push, the marketplace's event id
 * of an inbox entry (its reference is `<channel>:<event id>`).
 *
 * @param {Object} letter A dead letter from GET /v1/admin/dead-letters.
 * @return {string} SKU or event id.
 */
export function deadLetterSubject( letter ) {
	const reference = String( letter.reference ?? '' );
	if ( letter.kind === 'push' ) {
		return LISTING_REFERENCE.exec( reference )?.[ 1 ] ?? reference;
	}
	const prefix = `${ letter.channel }:`;
	return reference.startsWith( prefix ) ? reference.slice( prefix.length ) : reference;
}

/**
 * A marketplace's error, cut to what fits a table cell.
 *
 * @param {string} error Error text as the daemon stored it.
 * @return {string} At most ERROR_SHOWN_MAX characters, with an ellipsis when cut.
 */
export function shortError( error ) {
	const text = String( error ?? '' ).trim();
	return text.length > ERROR_SHOWN_MAX ? `${ text.slice( 0, ERROR_SHOWN_MAX - 1 ) }…` : text;
}

/**
 * One table row per dead letter, in the daemon's order (newest first).
 *
 * @param {Object} letter A dead letter from GET /v1/admin/dead-letters.
 * @return {{id: string, kind: string, channel: string, subject: string, error: string, attempts: number, createdAtMs: number}} Row.
 */
export function deadLetterRow( letter ) {
	return {
		id: letter.id,
		kind: letter.kind,
		channel: letter.channel,
		subject: deadLetterSubject( letter ),
		error: String( letter.error ?? '' ),
		attempts: Number( letter.attempts ),
		createdAtMs: Number( letter.created_at ),
	};
}

/**
 * The channels that have dead letters in the list, each with its count, in the order they first
 * appear, for the "retry all of a channel" buttons.
 *
 * @param {Object[]} rows Rows (deadLetterRow).
 * @return {{channel: string, ids: string[]}[]} Channels with the ids of their dead letters.
 */
export function deadLettersByChannel( rows ) {
	const byChannel = new Map();
	for ( const row of rows ) {
		if ( ! byChannel.has( row.channel ) ) {
			byChannel.set( row.channel, [] );
		}
		byChannel.get( row.channel ).push( row.id );
	}
	return [ ...byChannel ].map( ( [ channel, ids ] ) => ( { channel, ids } ) );
}

/**
 * What an action on one dead letter came to, as a notice. `outcome` is the daemon's answer, or
 * `gone` when the daemon said another person (or the daemon itself) had already acted on it.
 *
 * @param {string} outcome requeued, reopened, resolved, target_gone or gone.
 * @param {Object} row     The row acted on (deadLetterRow).
 * @return {{status: string, message: string}} Notice status and text.
 */
export function outcomeNotice( outcome, row ) {
	const name = channelLabel( row.channel );
	const messages = {
		/* translators: 1: SKU, 2: channel name. */
		requeued: [ 'success', __( '%1$s is queued again: %2$s will be sent the quantity the ledger has now.', 'shelfguard' ) ],
		/* translators: 1: marketplace event id, 2: channel name. */
		reopened: [ 'success', __( 'The %2$s event %1$s is back in the inbox and will be applied again.', 'shelfguard' ) ],
		/* translators: 1: SKU or marketplace event id, 2: channel name. */
		resolved: [ 'success', __( 'The dead letter of %1$s on %2$s is resolved without a retry.', 'shelfguard' ) ],
		/* translators: 1: SKU or marketplace event id, 2: channel name. */
		target_gone: [ 'warning', __( '%1$s no longer exists on %2$s, so there was nothing to retry. The dead letter is resolved.', 'shelfguard' ) ],
		/* translators: 1: SKU or marketplace event id, 2: channel name. */
		gone: [ 'info', __( 'The dead letter of %1$s on %2$s was already dealt with, by someone else or by a later push. The list is up to date now.', 'shelfguard' ) ],
	};
	/* translators: 1: SKU or marketplace event id, 2: channel name. */
	const [ status, format ] = messages[ outcome ] ?? [ 'info', __( '%1$s on %2$s: done.', 'shelfguard' ) ];
	return { status, message: sprintf( format, row.subject, name ) };
}

/**
 * Whether a failed action means the dead letter is no longer waiting: already resolved (409) or
 * unknown (404, resolved and cleaned up). The list only needs a refresh then.
 *
 * @param {Error|null} error A DaemonError.
 * @return {boolean} Whether someone else got there first.
 */
export function isAlreadyDealtWith( error ) {
	return error?.code === 'dead_letter_resolved' || error?.code === 'unknown_dead_letter';
}

/**
 * The notice after "Retry all" of one channel.
 *
 * @param {string} channel Channel code.
 * @param {Object} answer  The daemon's answer ({ acted, outcomes: { outcome: count }, left }),
 *                         or { error } with the failure's message.
 * @return {{status: string, message: string}} Notice status and text.
 */
export function retryAllNotice( channel, answer ) {
	const name = channelLabel( channel );
	if ( answer?.error !== undefined || ! answer?.outcomes ) {
		/* translators: 1: channel name, 2: the error. */
		return { status: 'error', message: sprintf( __( 'Retry all of %1$s failed: %2$s', 'shelfguard' ), name, answer?.error ?? __( 'the daemon gave no answer', 'shelfguard' ) ) };
	}
	const count = ( wanted ) => wanted.reduce( ( sum, outcome ) => sum + ( answer.outcomes[ outcome ] ?? 0 ), 0 );
	const retried = count( [ 'requeued', 'reopened' ] );
	const gone = count( [ 'target_gone', 'already_resolved' ] );
	const parts = [
		/* translators: 1: number of dead letters, 2: channel name. */
		sprintf( _n( '%1$d dead letter of %2$s retried.', '%1$d dead letters of %2$s retried.', retried, 'shelfguard' ), retried, name ),
	];
	if ( gone > 0 ) {
		/* translators: %d: number of dead letters. */
		parts.push( sprintf( _n( '%d was already dealt with or had nothing left to retry.', '%d were already dealt with or had nothing left to retry.', gone, 'shelfguard' ), gone ) );
	}
	if ( answer.left > 0 ) {
		/* translators: %d: number of dead letters. */
		parts.push( sprintf( _n( '%d more waits: Retry all again.', '%d more wait: Retry all again.', answer.left, 'shelfguard' ), answer.left ) );
	}
	return { status: 'success', message: parts.join( ' ' ) };
}
