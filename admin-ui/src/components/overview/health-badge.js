/**
 * WordPress dependencies
 */
import { __ } from '@wordpress/i18n';

/**
 * The sync health word with a colour cue; the word itself carries the meaning, so the colour is
 * never the only signal.
 *
 * @param {Object} props
 * @param {string} props.health live, shadow, paused, failing, disconnected.
 */
export function HealthBadge( { health } ) {
	const labels = {
		live: __( 'Live, syncing', 'shelfguard' ),
		shadow: __( 'Shadow, not pushing', 'shelfguard' ),
		paused: __( 'Paused', 'shelfguard' ),
		failing: __( 'Failing', 'shelfguard' ),
		disconnected: __( 'Not connected', 'shelfguard' ),
	};
	return <span className={ `shelfguard-overview__badge is-${ health }` }>{ labels[ health ] ?? health }</span>;
}
