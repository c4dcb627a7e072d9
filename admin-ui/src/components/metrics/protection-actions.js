/**
 * WordPress dependencies
 */
import { Button } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemonAction } from '../../api/use-daemon-action';
import { channelLabel } from '../../data/channel-names';
import { formatTime } from '../../data/format';
import { protectionChange } from '../../data/metrics';
import { DataTable } from '../data-table';

function RevertButton( { action, onReverted } ) {
	const revert = useDaemonAction();
	if ( action.reverted_at ) {
		/* translators: %s: date and time. */
		return sprintf( __( 'Reverted %s', 'shelfguard' ), formatTime( action.reverted_at ) );
	}
	const run = async () => {
		if ( await revert.run( `metrics/protection/${ action.id }/revert` ) ) {
			onReverted();
		}
	};
	/* translators: 1: SKU, 2: channel name. */
	const label = sprintf( __( 'Revert the protection of %1$s on %2$s', 'shelfguard' ), action.sku, channelLabel( action.channel ) );
	return (
		<>
			<Button variant="secondary" size="small" onClick={ run } isBusy={ revert.status === 'running' } disabled={ revert.status === 'running' } aria-label={ label }>
				{ __( 'Revert', 'shelfguard' ) }
			</Button>
			{ revert.status === 'error' && <span className="shelfguard-metrics__action-error" role="alert"> { revert.error?.message }</span> }
		</>
	);
}

/**
 * What protection did on channels that opted in (a raised buffer, a paused listing), with a
 * Revert that writes the listing's earlier settings back.
 *
 * @param {Object}   props
 * @param {Object[]} props.actions    Rows of GET /v1/admin/metrics/protection.
 * @param {Function} props.onReverted Called after a revert.
 */
export function ProtectionActions( { actions, onReverted } ) {
	const columns = [
		{ id: 'sku', label: __( 'SKU', 'shelfguard' ), render: ( action ) => action.sku },
		{ id: 'channel', label: __( 'Channel', 'shelfguard' ), render: ( action ) => channelLabel( action.channel ) },
		{ id: 'change', label: __( 'Change', 'shelfguard' ), render: protectionChange },
		{ id: 'reason', label: __( 'Why', 'shelfguard' ), render: ( action ) => action.reason },
		{ id: 'at', label: __( 'When', 'shelfguard' ), render: ( action ) => formatTime( action.created_at ) },
		{ id: 'revert', label: __( 'Revert', 'shelfguard' ), render: ( action ) => <RevertButton action={ action } onReverted={ onReverted } /> },
	];
	return <DataTable caption={ __( 'Protection actions on listings', 'shelfguard' ) } columns={ columns } rows={ actions } rowKey={ ( action ) => action.id } />;
}
