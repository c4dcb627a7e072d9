/**
 * WordPress dependencies
 */
import { useEffect, useRef } from '@wordpress/element';

/**
 * Focus for an inline form: its first field when it opens, and the field the daemon refused
 * (`state.field`, the wrapper's data-field) whenever a refusal names one.
 *
 * @param {Object} state The form's state; its `field` names the refused field or is null.
 * @return {Object} The ref to put on the form element.
 */
export function useFormFocus( state ) {
	const formRef = useRef();
	useEffect( () => {
		formRef.current?.querySelector( 'input' )?.focus();
	}, [] );
	useEffect( () => {
		if ( state.field ) {
			formRef.current?.querySelector( `[data-field="${ state.field }"] input` )?.focus();
		}
	}, [ state ] );
	return formRef;
}
