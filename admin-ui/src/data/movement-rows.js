/**
 * Movements as the History screen lists them, and the cursor trail that pages through them.
 * Pure.
 */

/**
 * The one number a reader wants from a movement: how on hand changed, else committed, else
 * damaged, with which state it was.
 *
 * @param {Object} movement Movement from GET /v1/admin/movements.
 * @return {{state: string, delta: number}} The change.
 */
export function movementChange( movement ) {
	if ( movement.deltaOnHand !== 0 ) {
		return { state: 'on_hand', delta: movement.deltaOnHand };
	}
	if ( movement.deltaCommitted !== 0 ) {
		return { state: 'committed', delta: movement.deltaCommitted };
	}
	return { state: 'damaged', delta: movement.deltaDamaged ?? 0 };
}

/**
 * @param {number} delta Signed quantity.
 * @return {string} "+3", "−2" (a real minus sign) or "0".
 */
export function signed( delta ) {
	if ( delta > 0 ) {
		return `+${ delta }`;
	}
	return delta < 0 ? `\u2212${ Math.abs( delta ) }` : '0';
}

/**
 * Cursor paging, newest first: the daemon returns `next` (the id to continue after); going back
 * needs the cursors already used, so they are kept as a trail.
 *
 * @param {Array<string|null>} trail Cursors of the pages seen, the first being null.
 * @param {string}             next  Cursor of the following page.
 * @return {Array<string|null>} Trail with the next page.
 */
export function pageForward( trail, next ) {
	return [ ...trail, next ];
}

/**
 * @param {Array<string|null>} trail Cursors of the pages seen.
 * @return {Array<string|null>} Trail one page back (never empty).
 */
export function pageBack( trail ) {
	return trail.length > 1 ? trail.slice( 0, -1 ) : trail;
}
