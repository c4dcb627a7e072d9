/**
 * WordPress dependencies
 */
import { Button, CheckboxControl, Notice, ProgressBar, SelectControl } from '@wordpress/components';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { channelLabel } from '../../data/channel-names';
import { formatNumber, formatTime } from '../../data/format';
import { progressShare, progressText } from '../../data/reconcile-runs';
import { ResourceState } from '../resource-state';
import { RunHistory, useRunHistory } from './run-history';
import { RunResult } from './run-result';
import { useReconcileRun } from './use-reconcile-run';

function RunForm( { channels, isBusy, onStart } ) {
	const [ channel, setChannel ] = useState( '' );
	const [ isFix, setIsFix ] = useState( false );
	return (
		<form
			className="shelfguard-reconciliation__form"
			onSubmit={ ( event ) => {
				event.preventDefault();
				onStart( { fix: isFix, ...( channel ? { channel } : {} ) } );
			} }
		>
			<SelectControl
				__nextHasNoMarginBottom
				__next40pxDefaultSize
				label={ __( 'Channel', 'shelfguard' ) }
				value={ channel }
				onChange={ setChannel }
				options={ [ { value: '', label: __( 'Every connected channel', 'shelfguard' ) }, ...channels.map( ( code ) => ( { value: code, label: channelLabel( code ) } ) ) ] }
			/>
			<CheckboxControl __nextHasNoMarginBottom label={ __( 'Fix the drift found (push corrections)', 'shelfguard' ) } checked={ isFix } onChange={ setIsFix } />
			<Button variant="primary" type="submit" isBusy={ isBusy } disabled={ isBusy } __next40pxDefaultSize>
				{ __( 'Run reconciliation now', 'shelfguard' ) }
			</Button>
		</form>
	);
}

function RunProgress( { current } ) {
	const share = progressShare( current.run?.progress );
	return (
		<div role="status" className="shelfguard-reconciliation__running">
			{ current.notice === 'already_running' && <p>{ __( 'A run was already in progress; it is shown here.', 'shelfguard' ) }</p> }
			<p>{ __( 'Reading every listing from the channels and comparing with the ledger…', 'shelfguard' ) }</p>
			<ProgressBar value={ share === null ? undefined : Math.round( share * 100 ) } aria-label={ __( 'Reconciliation progress', 'shelfguard' ) } />
			<p className="shelfguard-reconciliation__progress-text">{ progressText( current.run?.progress, formatNumber ) }</p>
		</div>
	);
}

function OpenedRun( { runId, onClose } ) {
	const opened = useDaemon( `reconcile/runs/${ runId }` );
	return (
		<section className="shelfguard-reconciliation__opened" aria-labelledby="shelfguard-reconciliation-opened-title">
			<h3 id="shelfguard-reconciliation-opened-title">
				{ opened.data?.run
					? /* translators: %s: when the run started. */ sprintf( __( 'Run started %s', 'shelfguard' ), formatTime( opened.data.run.startedAt ) )
					: __( 'Run', 'shelfguard' ) }
			</h3>
			<ResourceState resource={ opened } label={ __( 'Loading the run…', 'shelfguard' ) }>
				{ ( data ) => <RunResult run={ data.run } drift={ data.drift } /> }
			</ResourceState>
			<Button variant="secondary" onClick={ onClose }>
				{ __( 'Close', 'shelfguard' ) }
			</Button>
		</section>
	);
}

/** Reconciliation: start a run and watch it, read past runs and the drift each found. */
export function Reconciliation() {
	const channels = useDaemon( 'channels' );
	const history = useRunHistory();
	const current = useReconcileRun( history.upsert );
	const [ openedId, setOpenedId ] = useState( null );
	const onOpen = useCallback( ( run ) => setOpenedId( run.id ), [] );
	const newest = history.data?.runs[ 0 ];
	const { follow } = current;
	const isIdle = current.status === 'idle';
	// A run already going when the screen opens (scheduled, command line) is shown with its progress.
	useEffect( () => {
		if ( isIdle && newest?.status === 'running' ) {
			follow( newest.id );
		}
	}, [ isIdle, newest?.id, newest?.status, follow ] );
	const isBusy = current.status === 'starting' || current.status === 'running';
	return (
		<div className="shelfguard-reconciliation__screen">
			<h2>{ __( 'Run now', 'shelfguard' ) }</h2>
			<ResourceState resource={ channels } label={ __( 'Loading channels…', 'shelfguard' ) }>
				{ ( data ) => <RunForm channels={ data.channels.filter( ( status ) => status.connected ).map( ( status ) => status.channel ) } isBusy={ isBusy } onStart={ current.start } /> }
			</ResourceState>
			<div aria-live="polite" className="shelfguard-reconciliation__progress">
				{ isBusy && <RunProgress current={ current } /> }
				{ current.status === 'error' && <Notice status="error" isDismissible={ false }>{ current.error?.message ?? __( 'The run could not be started.', 'shelfguard' ) }</Notice> }
				{ current.status === 'done' && <RunResult run={ current.run } drift={ current.drift } /> }
			</div>
			<h2>{ __( 'Past runs', 'shelfguard' ) }</h2>
			<ResourceState resource={ history } label={ __( 'Loading past runs…', 'shelfguard' ) } isEmpty={ ( data ) => data.runs.length === 0 } emptyText={ __( 'No runs recorded yet.', 'shelfguard' ) }>
				{ () => <RunHistory history={ history } onOpen={ onOpen } /> }
			</ResourceState>
			{ openedId && <OpenedRun key={ openedId } runId={ openedId } onClose={ () => setOpenedId( null ) } /> }
		</div>
	);
}
