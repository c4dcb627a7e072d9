/**
 * WordPress dependencies
 */
import { Button, CheckboxControl, Notice, ProgressBar, SelectControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { useDaemonAction } from '../../api/use-daemon-action';
import { channelLabel } from '../../data/channel-names';
import { ResourceState } from '../resource-state';
import { RunReports } from './run-reports';

function RunForm( { channels, action } ) {
	const [ channel, setChannel ] = useState( '' );
	const [ isFix, setIsFix ] = useState( false );
	const isRunning = action.status === 'running';
	return (
		<form
			className="shelfguard-reconciliation__form"
			onSubmit={ ( event ) => {
				event.preventDefault();
				action.run( 'reconcile', { fix: isFix, ...( channel ? { channel } : {} ) } );
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
			<Button variant="primary" type="submit" isBusy={ isRunning } disabled={ isRunning }>
				{ __( 'Run reconciliation now', 'shelfguard' ) }
			</Button>
		</form>
	);
}

/** Reconciliation runs: start one, watch it, read what it found and fixed. */
export function Reconciliation() {
	const channels = useDaemon( 'channels' );
	const pastRuns = useDaemon( 'reconciliations' );
	const action = useDaemonAction();
	return (
		<div className="shelfguard-reconciliation__screen">
			<h2>{ __( 'Run now', 'shelfguard' ) }</h2>
			<ResourceState resource={ channels } label={ __( 'Loading channels…', 'shelfguard' ) }>
				{ ( data ) => <RunForm channels={ data.channels.filter( ( status ) => status.connected ).map( ( status ) => status.channel ) } action={ action } /> }
			</ResourceState>
			<div aria-live="polite" className="shelfguard-reconciliation__progress">
				{ action.status === 'running' && (
					<div role="status">
						<p>{ __( 'Reading every listing from the channels and comparing with the ledger…', 'shelfguard' ) }</p>
						<ProgressBar />
					</div>
				) }
				{ action.status === 'error' && <Notice status="error" isDismissible={ false }>{ action.error.message }</Notice> }
				{ action.status === 'done' && <RunReports reports={ action.result.reports } /> }
			</div>
			<h2>{ __( 'Past runs', 'shelfguard' ) }</h2>
			<ResourceState resource={ pastRuns } label={ __( 'Loading past runs…', 'shelfguard' ) } isEmpty={ ( data ) => ( data.runs ?? [] ).length === 0 } emptyText={ __( 'No runs recorded yet.', 'shelfguard' ) }>
				{ ( data ) => <RunReports reports={ data.runs } /> }
			</ResourceState>
		</div>
	);
}
