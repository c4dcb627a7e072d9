/**
 * WordPress dependencies
 */
import { dateI18n, getSettings } from '@wordpress/date';
import { __, sprintf } from '@wordpress/i18n';

const numberFormat = new Intl.NumberFormat( undefined, { maximumFractionDigits: 1 } );
const percentFormat = new Intl.NumberFormat( undefined, { style: 'percent', maximumFractionDigits: 2 } );

/**
 * A number in the reader's locale, or an em dash for "no value" so a blank is never mistaken
 * for zero.
 *
 * @param {number|null|undefined} value Number.
 * @return {string} Formatted number.
 */
export function formatNumber( value ) {
	return typeof value === 'number' && Number.isFinite( value ) ? numberFormat.format( value ) : '—';
}

/**
 * @param {number|null|undefined} ratio Share between 0 and 1.
 * @return {string} Formatted percentage.
 */
export function formatPercent( ratio ) {
	return typeof ratio === 'number' && Number.isFinite( ratio ) ? percentFormat.format( ratio ) : '—';
}

/**
 * A duration in milliseconds, as "12 ms" or "1.5 s".
 *
 * @param {number|null|undefined} milliseconds Duration.
 * @return {string} Formatted duration.
 */
export function formatDuration( milliseconds ) {
	if ( typeof milliseconds !== 'number' || ! Number.isFinite( milliseconds ) ) {
		return '—';
	}
	if ( milliseconds < 1000 ) {
		/* translators: %s: a number of milliseconds. */
		return sprintf( __( '%s ms', 'shelfguard' ), formatNumber( Math.round( milliseconds ) ) );
	}
	/* translators: %s: a number of seconds. */
	return sprintf( __( '%s s', 'shelfguard' ), formatNumber( milliseconds / 1000 ) );
}

/**
 * A moment in the site's timezone (Settings → General), in the site's date and time formats,
 * which core hands to wp-date.
 *
 * @param {string|number|null|undefined} value ISO string or milliseconds since the epoch.
 * @return {string} Formatted time.
 */
export function formatTime( value ) {
	if ( value === null || value === undefined || value === '' ) {
		return '—';
	}
	const moment = new Date( value );
	if ( Number.isNaN( moment.getTime() ) ) {
		return String( value );
	}
	const { formats } = getSettings();
	return dateI18n( `${ formats.date } ${ formats.time }`, moment );
}
