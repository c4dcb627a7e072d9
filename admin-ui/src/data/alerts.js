/**
 * WordPress dependencies
 */
import { __, _n, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { BACKLOG_WARNING_MIN, LATENCY_WARNING_MS } from './channel-health';
import { channelLabel } from './channel-names';

const SEVERITY_ORDER = { error: 0, warning: 1 };

/**
 * Open alerts from channel rows and unresolved oversells, errors first, so the first thing the
 * Overview shows is what needs a person.
 *
 * @param {Object[]} rows      Channel rows (channelRow).
 * @param {Object[]} oversells Oversells from GET /v1/admin/oversells.
 * @return {{id: string, severity: string, message: string}[]} Alerts.
 */
export function openAlerts( rows, oversells = [] ) {
	const alerts = [];
	for ( const row of rows ) {
		const name = channelLabel( row.channel );
		if ( ! row.isConnected ) {
			/* translators: %s: channel name. */
			alerts.push( { id: `${ row.channel }:disconnected`, severity: 'error', message: sprintf( __( '%s has no connection: the daemon has no credentials for it.', 'shelfguard' ), name ) } );
		}
		if ( row.deadLetters > 0 ) {
			// The count covers both kinds: pushes to the channel and its events that could not be applied.
			/* translators: 1: channel name, 2: number of dead letters. */
			alerts.push( { id: `${ row.channel }:dead`, severity: 'error', message: sprintf( _n( '%1$s: %2$d dead letter, a push or marketplace event that gave up, waits for a retry or a resolve.', '%1$s: %2$d dead letters, pushes or marketplace events that gave up, wait for a retry or a resolve.', row.deadLetters, 'shelfguard' ), name, row.deadLetters ) } );
		}
		if ( row.backlog >= BACKLOG_WARNING_MIN ) {
			/* translators: 1: channel name, 2: number of listings. */
			alerts.push( { id: `${ row.channel }:backlog`, severity: 'warning', message: sprintf( __( '%1$s: %2$d listings wait for a push.', 'shelfguard' ), name, row.backlog ) } );
		}
		if ( row.latencyP99Ms !== null && row.latencyP99Ms > LATENCY_WARNING_MS ) {
			/* translators: 1: channel name, 2: milliseconds. */
			alerts.push( { id: `${ row.channel }:latency`, severity: 'warning', message: sprintf( __( '%1$s: 1 in 100 pushes took longer than %2$d ms.', 'shelfguard' ), name, Math.round( row.latencyP99Ms ) ) } );
		}
	}
	for ( const oversell of oversells.filter( ( item ) => ! item.resolution ) ) {
		/* translators: 1: SKU, 2: channel name, 3: units requested, 4: units available. */
		alerts.push( { id: `oversell:${ oversell.id }`, severity: 'error', message: sprintf( __( 'Oversell: %1$s on %2$s asked for %3$d, %4$d available.', 'shelfguard' ), oversell.sku, channelLabel( oversell.channel ), oversell.requested, oversell.available ) } );
	}
	return alerts.sort( ( a, b ) => SEVERITY_ORDER[ a.severity ] - SEVERITY_ORDER[ b.severity ] );
}
