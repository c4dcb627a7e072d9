/**
 * WordPress dependencies
 */
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatNumber } from '../../data/format';
import { LimitsEditor } from '../limits-editor';

function limitFields( settings ) {
	const fields = [
		{ id: 'buffer', label: __( 'Buffer', 'shelfguard' ), value: settings.buffer, isRequired: true, help: __( 'Units held back on every listing that has no buffer of its own.', 'shelfguard' ) },
		{ id: 'cap', label: __( 'Cap', 'shelfguard' ), value: settings.cap, help: __( 'Most units any listing shows. Empty: no cap.', 'shelfguard' ) },
	];
	// Only offered when the current value is known: an unchecked box must not switch it off by guess.
	if ( typeof settings.subtractsHeld === 'boolean' ) {
		fields.push( { id: 'subtractsHeld', label: __( 'Subtract checkout holds', 'shelfguard' ), value: settings.subtractsHeld, isToggle: true } );
	}
	return fields;
}

function summaryOf( settings ) {
	if ( settings.buffer === undefined ) {
		return __( 'This daemon does not report the current buffer and cap; values you save appear here.', 'shelfguard' );
	}
	/* translators: 1: units held back, 2: most units shown or "no cap". */
	return sprintf( __( 'Buffer %1$s, cap %2$s', 'shelfguard' ), formatNumber( settings.buffer ), settings.cap === null || settings.cap === undefined ? __( 'none', 'shelfguard' ) : formatNumber( settings.cap ) );
}

/**
 * A channel's buffer and cap, editable in place. The values come from the channel's status when
 * the daemon reports them, and from the daemon's answer after each save.
 *
 * @param {Object} props
 * @param {Object} props.status Entry of GET /v1/admin/channels.
 * @param {string} props.name   Channel name.
 */
export function ChannelLimits( { status, name } ) {
	const [ saved, setSaved ] = useState( null );
	const settings = saved ?? { buffer: status.buffer, cap: status.cap, subtractsHeld: status.subtractsHeld };
	return (
		<div className="shelfguard-channels__limits">
			<LimitsEditor
				// translators: %s: channel name.
				title={ sprintf( __( 'buffer and cap of %s', 'shelfguard' ), name ) }
				path={ `channels/${ encodeURIComponent( status.channel ) }/settings` }
				fields={ limitFields( settings ) }
				onSaved={ ( answer ) => setSaved( answer.channel ) }
			>
				<span className="shelfguard-channels__limits-summary">{ summaryOf( settings ) }</span>
			</LimitsEditor>
		</div>
	);
}
