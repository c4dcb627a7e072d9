/**
 * Reconciliation runs as the daemon records them (GET /v1/admin/reconcile/runs and
 * /runs/{id}), shaped for the Reconciliation screen: labels, progress, and the history's pages.
 * Pure: no requests here.
 */

/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from './channel-names';

/** How often a running run is read again. */
export const RUN_POLL_MS = 1000;
/** Runs one history request asks for (the daemon answers at most 100). */
export const RUNS_PAGE_SIZE = 100;
/** Rows per page of the history and drift tables. */
export const TABLE_PER_PAGE = 20;

/**
 * @param {string} trigger schedule | cli | admin.
 * @return {string} Who started the run.
 */
export function triggerLabel( trigger ) {
	const labels = {
		schedule: __( 'Schedule', 'shelfguard' ),
		cli: __( 'Command line', 'shelfguard' ),
		admin: __( 'This screen', 'shelfguard' ),
	};
	return labels[ trigger ] ?? trigger;
}

/**
 * @param {string} status running | finished | failed.
 * @return {string} The run's state in words.
 */
export function runStatusLabel( status ) {
	const labels = {
		running: __( 'Running', 'shelfguard' ),
		finished: __( 'Finished', 'shelfguard' ),
		failed: __( 'Failed', 'shelfguard' ),
	};
	return labels[ status ] ?? status;
}

/**
 * The channels a run read, in words ("Every channel" is not assumed: the run names them).
 *
 * @param {string[]} channels Channel codes.
 * @return {string} Channel names joined.
 */
export function channelsText( channels ) {
	if ( ! channels || channels.length === 0 ) {
		return __( 'No channel', 'shelfguard' );
	}
	return channels.map( channelLabel ).join( ', ' );
}

/**
 * How far a run has read, as a share from 0 to 1; null when nothing is known yet.
 *
 * @param {{done: number, total: number}|undefined} progress Listings read and expected.
 * @return {number|null} Share done.
 */
export function progressShare( progress ) {
	if ( ! progress || typeof progress.total !== 'number' || progress.total <= 0 ) {
		return null;
	}
	return Math.min( 1, Math.max( 0, progress.done / progress.total ) );
}

/**
 * Progress in words for screen readers and the line under the bar.
 *
 * @param {{done: number, total: number}|undefined} progress Listings read and expected.
 * @param {Function}                                format   Number formatter.
 * @return {string} "120 of 400 listings read".
 */
export function progressText( progress, format ) {
	if ( ! progress || ! progress.total ) {
		return __( 'Starting…', 'shelfguard' );
	}
	/* translators: 1: listings read so far, 2: listings to read. */
	return sprintf( __( '%1$s of %2$s listings read', 'shelfguard' ), format( progress.done ), format( progress.total ) );
}

/**
 * A run's outcome in one sentence.
 *
 * @param {Object}   run    RunView.
 * @param {Function} format Number formatter.
 * @return {string} Summary.
 */
export function runSummary( run, format ) {
	if ( run.status === 'running' ) {
		return progressText( run.progress, format );
	}
	if ( run.status === 'failed' ) {
		/* translators: %s: what went wrong. */
		return sprintf( __( 'The run did not complete: %s', 'shelfguard' ), run.error ?? __( 'unknown error', 'shelfguard' ) );
	}
	if ( run.driftFound === 0 ) {
		/* translators: %s: number of listings. */
		return sprintf( __( 'All %s listings match the ledger.', 'shelfguard' ), format( run.listingsChecked ) );
	}
	return run.fix
		? /* translators: 1: listings checked, 2: listings that differed, 3: listings corrected. */ sprintf( __( '%1$s listings checked, %2$s differed, %3$s corrected.', 'shelfguard' ), format( run.listingsChecked ), format( run.driftFound ), format( run.driftFixed ) )
		: /* translators: 1: listings checked, 2: listings that differed. */ sprintf( __( '%1$s listings checked, %2$s differed (not corrected: this run only compared).', 'shelfguard' ), format( run.listingsChecked ), format( run.driftFound ) );
}

/**
 * Adds a page of runs (newest first) to those already loaded, without duplicates.
 *
 * @param {Object[]} loaded Runs loaded so far.
 * @param {Object[]} page   The next page.
 * @return {{runs: Object[], hasOlder: boolean}} Runs, and whether older ones may exist.
 */
export function appendRunsPage( loaded, page ) {
	const seen = new Set( loaded.map( ( run ) => run.id ) );
	return { runs: [ ...loaded, ...page.filter( ( run ) => ! seen.has( run.id ) ) ], hasOlder: page.length === RUNS_PAGE_SIZE };
}

/**
 * A run that just changed (started or polled) replaces its older copy at the top of the history.
 *
 * @param {Object[]} runs Runs, newest first.
 * @param {Object}   run  The newer copy.
 * @return {Object[]} Runs.
 */
export function upsertRun( runs, run ) {
	const rest = runs.filter( ( entry ) => entry.id !== run.id );
	return [ run, ...rest ].sort( ( a, b ) => ( a.id < b.id ? 1 : -1 ) );
}
