/**
 * Internal dependencies
 */
import { formatNumber } from '../../../admin-ui/src/data/format';
import { appendRunsPage, channelsText, progressShare, progressText, runSummary, RUNS_PAGE_SIZE, upsertRun } from '../../../admin-ui/src/data/reconcile-runs';

describe( 'reconciliation run data', () => {
	test.each( [
		[ 'nothing known yet', undefined, null ],
		[ 'no listings to read', { done: 0, total: 0 }, null ],
		[ 'half read', { done: 50, total: 100 }, 0.5 ],
		[ 'more read than expected (unmapped listings) stays at 1', { done: 130, total: 100 }, 1 ],
	] )( 'progress share: %s', ( _name, progress, share ) => {
		expect( progressShare( progress ) ).toBe( share );
	} );

	test( 'progress in words counts listings', () => {
		expect( progressText( { done: 1200, total: 5000 }, formatNumber ) ).toBe( '1,200 of 5,000 listings read' );
		expect( progressText( { done: 0, total: 0 }, formatNumber ) ).toBe( 'Starting…' );
	} );

	test.each( [
		[ 'a clean run', { status: 'finished', fix: false, listingsChecked: 40, driftFound: 0, driftFixed: 0 }, 'All 40 listings match the ledger.' ],
		[ 'a fixing run', { status: 'finished', fix: true, listingsChecked: 40, driftFound: 3, driftFixed: 2 }, '40 listings checked, 3 differed, 2 corrected.' ],
		[ 'a comparing run', { status: 'finished', fix: false, listingsChecked: 40, driftFound: 3, driftFixed: 0 }, '40 listings checked, 3 differed (not corrected: this run only compared).' ],
		[ 'a failed run', { status: 'failed', fix: false, listingsChecked: 0, driftFound: 0, driftFixed: 0, error: 'ebay: server_error: 503' }, 'The run did not complete: ebay: server_error: 503' ],
	] )( 'summary of %s', ( _name, run, text ) => {
		expect( runSummary( run, formatNumber ) ).toBe( text );
	} );

	test( 'channels are named as the marketplaces call themselves', () => {
		expect( channelsText( [ 'ebay', 'tiktok' ] ) ).toBe( 'eBay, TikTok Shop' );
		expect( channelsText( [] ) ).toBe( 'No channel' );
	} );

	test( 'older pages append without duplicates and say whether more may exist', () => {
		const page = Array.from( { length: RUNS_PAGE_SIZE }, ( _, index ) => ( { id: `rr_${ String( 999 - index ).padStart( 3, '0' ) }` } ) );
		const first = appendRunsPage( [], page );
		expect( first.hasOlder ).toBe( true );
		const second = appendRunsPage( first.runs, [ page.at( -1 ), { id: 'rr_000' } ] );
		expect( second.runs ).toHaveLength( RUNS_PAGE_SIZE + 1 );
		expect( second.hasOlder ).toBe( false );
	} );

	test( 'a newer copy of a run replaces the old one and the list stays newest first', () => {
		const runs = [ { id: 'rr_2', status: 'finished' }, { id: 'rr_1', status: 'finished' } ];
		expect( upsertRun( runs, { id: 'rr_3', status: 'running' } ).map( ( run ) => run.id ) ).toEqual( [ 'rr_3', 'rr_2', 'rr_1' ] );
		expect( upsertRun( runs, { id: 'rr_2', status: 'failed' } ) ).toEqual( [ { id: 'rr_2', status: 'failed' }, { id: 'rr_1', status: 'finished' } ] );
	} );
} );
