/**
 * WordPress dependencies
 */
import { Button, Notice } from '@wordpress/components';
import { useCallback } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { openAlerts } from '../../data/alerts';
import { channelRow, latencyHistoryByChannel } from '../../data/channel-health';
import { channelLabel, modeLabel } from '../../data/channel-names';
import { DEAD_LETTERS_LIST_MAX } from '../../data/dead-letters';
import { formatNumber, formatTime } from '../../data/format';
import { DataTable } from '../data-table';
import { DeadLetters } from '../dead-letters';
import { LatencyChart } from '../latency-chart';
import { LatencyHistoryChart } from '../latency-chart/history';
import { ResourceState } from '../resource-state';
import { HealthBadge } from './health-badge';

/** The Overview's chart covers this many minutes. */
const HISTORY_MINUTES = 60;

function LastHour( { history, channel } ) {
	if ( history.status === 'error' ) {
		return history.error?.kind === 'not_available' ? __( 'Not available from this daemon version.', 'shelfguard' ) : __( 'Could not be read.', 'shelfguard' );
	}
	if ( ! history.data ) {
		return '…';
	}
	const series = latencyHistoryByChannel( history.data ).get( channel );
	if ( ! series ) {
		return __( 'No pushes in the last hour.', 'shelfguard' );
	}
	return (
		<>
			<LatencyHistoryChart channelName={ channelLabel( channel ) } series={ series } />
			{ ( history.data.truncated ?? [] ).includes( channel ) && <span className="shelfguard-latency-chart__none">{ __( 'A busy hour: drawn from its newest pushes only.', 'shelfguard' ) }</span> }
		</>
	);
}

function columns( scaleMs, history ) {
	return [
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( row ) => channelLabel( row.channel ) },
		{ id: 'mode', label: __( 'Mode', 'shelfguard' ), render: ( row ) => modeLabel( row.mode ) },
		{ id: 'health', label: __( 'Sync', 'shelfguard' ), render: ( row ) => <HealthBadge health={ row.health } /> },
		{
			id: 'lastPush',
			label: __( 'Last push', 'shelfguard' ),
			/* translators: 1: time, 2: SKU, 3: quantity. */
			render: ( row ) => ( row.lastPushAtMs ? sprintf( __( '%1$s (%2$s → %3$s)', 'shelfguard' ), formatTime( row.lastPushAtMs ), row.lastPushSku, formatNumber( row.lastPushQuantity ) ) : '—' ),
		},
		{ id: 'latency', label: __( 'Propagation latency', 'shelfguard' ), render: ( row ) => <LatencyChart p50Ms={ row.latencyP50Ms } p99Ms={ row.latencyP99Ms } scaleMs={ scaleMs } /> },
		{ id: 'lastHour', label: __( 'Latency, last hour', 'shelfguard' ), render: ( row ) => <LastHour history={ history } channel={ row.channel } /> },
		{ id: 'backlog', label: __( 'Backlog', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.backlog ) },
		{
			id: 'headroom',
			label: __( 'Rate-limit headroom', 'shelfguard' ),
			isNumeric: true,
			/* translators: 1: number of request tokens left, 2: operation name. */
			render: ( row ) => ( row.headroom ? sprintf( __( '%1$s (%2$s)', 'shelfguard' ), formatNumber( row.headroom.tokens ), row.headroom.operation ) : '—' ),
		},
		{ id: 'deadLetters', label: __( 'Dead letters', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.deadLetters ) },
	];
}

function Alerts( { alerts } ) {
	if ( alerts.length === 0 ) {
		return <p className="shelfguard-overview__calm">{ __( 'No open alerts: every channel is in sync.', 'shelfguard' ) }</p>;
	}
	return (
		<ul className="shelfguard-overview__alerts" aria-label={ __( 'Open alerts', 'shelfguard' ) }>
			{ alerts.map( ( alert ) => (
				<li key={ alert.id }>
					<Notice status={ alert.severity } isDismissible={ false }>
						{ alert.message }
					</Notice>
				</li>
			) ) }
		</ul>
	);
}

/** Sync health per channel, open alerts first. */
export function Overview() {
	const channels = useDaemon( 'channels' );
	const oversells = useDaemon( 'oversells', { limit: 50 } );
	const history = useDaemon( 'pushes/latency', { minutes: HISTORY_MINUTES } );
	const deadLetters = useDaemon( 'dead-letters', { limit: DEAD_LETTERS_LIST_MAX } );
	const { reload: reloadChannels } = channels;
	const { reload: reloadDeadLetters } = deadLetters;
	// An action on a dead letter changes the list and the channel's count in the table above.
	const onDeadLettersChanged = useCallback( () => {
		reloadDeadLetters();
		reloadChannels();
	}, [ reloadChannels, reloadDeadLetters ] );
	return (
		<div className="shelfguard-overview__screen">
			<ResourceState resource={ channels } label={ __( 'Loading channel status…', 'shelfguard' ) } isEmpty={ ( data ) => data.channels.length === 0 } emptyText={ __( 'No channels yet. Connect a marketplace on the Channels tab.', 'shelfguard' ) }>
				{ ( data ) => {
					const rows = data.channels.map( channelRow );
					const scaleMs = Math.max( 1, ...rows.map( ( row ) => row.latencyP99Ms ?? 0 ) );
					return (
						<>
							<h2>{ __( 'Alerts', 'shelfguard' ) }</h2>
							<Alerts alerts={ openAlerts( rows, oversells.data?.oversells ?? [] ) } />
							<h2>{ __( 'Channels', 'shelfguard' ) }</h2>
							<DataTable caption={ __( 'Sync health per channel', 'shelfguard' ) } columns={ columns( scaleMs, history ) } rows={ rows } rowKey={ ( row ) => row.channel } />
							<p className="shelfguard-overview__note">{ __( 'Propagation latency covers the pushes in the daemon\'s recent window (p50 top bar, p99 bottom bar). The last hour is drawn per minute from the recorded pushes: p99 the light line, p50 the dark one, each chart on its channel\'s own scale.', 'shelfguard' ) }</p>
							<Button variant="secondary" onClick={ () => { channels.reload(); oversells.reload(); history.reload(); deadLetters.reload(); } } isBusy={ channels.status === 'loading' }>
								{ __( 'Refresh', 'shelfguard' ) }
							</Button>
							<DeadLetters resource={ deadLetters } totals={ Object.fromEntries( rows.map( ( row ) => [ row.channel, row.deadLetters ] ) ) } onChanged={ onDeadLettersChanged } />
						</>
					);
				} }
			</ResourceState>
		</div>
	);
}
