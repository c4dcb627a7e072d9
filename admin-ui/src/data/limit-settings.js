/**
 * Turns what a store owner typed into buffer and cap fields into the body the daemon's settings
 * routes take, and a daemon validation message back into the field it names. Pure.
 *
 * The UI does not judge the numbers itself: the daemon owns the rules (whole numbers, bounds),
 * so anything that is not plainly empty or a whole number is sent as typed and the daemon's
 * message is shown beside the field.
 */

/**
 * @param {string} text What the field holds.
 * @return {number|string|null} null for empty ("none" / "use the channel's"), a number, or the text.
 */
export function settingValue( text ) {
	const trimmed = String( text ?? '' ).trim();
	if ( trimmed === '' ) {
		return null;
	}
	return /^-?\d+$/.test( trimmed ) ? Number( trimmed ) : trimmed;
}

/**
 * The body for POST …/settings: only the fields the user changed, so an unknown current value is
 * never overwritten by an empty field.
 *
 * @param {Object<string, string>} texts   Field id → text.
 * @param {Object<string, any>}    initial Field id → the value the form started from.
 * @return {Object} Body; empty when nothing changed.
 */
export function settingsBody( texts, initial ) {
	const body = {};
	for ( const [ id, text ] of Object.entries( texts ) ) {
		const value = settingValue( text );
		if ( value !== ( initial[ id ] ?? null ) ) {
			body[ id ] = value;
		}
	}
	return body;
}

/**
 * The daemon answers 422 with a message that starts with the field's name ("buffer: …").
 *
 * @param {string}   message Daemon message.
 * @param {string[]} fields  Field ids of the form.
 * @return {string|null} The field the message is about, or null for the whole form.
 */
export function fieldOfMessage( message, fields ) {
	const name = /^([A-Za-z]+)\b/.exec( String( message ?? '' ) )?.[ 1 ];
	return fields.includes( name ) ? name : null;
}

/**
 * @param {number|null|undefined} value A buffer or cap.
 * @return {string} Text for the field.
 */
export function settingText( value ) {
	return value === null || value === undefined ? '' : String( value );
}
