/**
 * WordPress dependencies
 */
import { Button, CheckboxControl, TextControl } from '@wordpress/components';
import { useEffect, useRef, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { daemonRequest } from '../../api/daemon-request';
import { fieldOfMessage, settingText, settingsBody } from '../../data/limit-settings';
import { useFormFocus } from '../use-form-focus';

/** The editor whose Edit button takes focus when it next renders closed (see LimitsEditor). */
let focusAfterClose = null;

function textsOf( fields ) {
	return Object.fromEntries( fields.map( ( field ) => [ field.id, field.isToggle ? Boolean( field.value ) : settingText( field.value ) ] ) );
}

function bodyOf( fields, texts ) {
	const numbers = fields.filter( ( field ) => ! field.isToggle );
	const body = settingsBody( Object.fromEntries( numbers.map( ( field ) => [ field.id, texts[ field.id ] ] ) ), Object.fromEntries( numbers.map( ( field ) => [ field.id, field.value ?? null ] ) ) );
	for ( const field of fields.filter( ( entry ) => entry.isToggle && texts[ entry.id ] !== Boolean( entry.value ) ) ) {
		body[ field.id ] = texts[ field.id ];
	}
	// A channel's buffer cannot be "none": an emptied field leaves it as it was.
	for ( const field of fields.filter( ( entry ) => entry.isRequired && body[ entry.id ] === null ) ) {
		delete body[ field.id ];
	}
	return body;
}

function LimitsForm( { title, path, fields, onSaved, onClose } ) {
	const [ texts, setTexts ] = useState( () => textsOf( fields ) );
	const [ state, setState ] = useState( { status: 'editing', field: null, message: '' } );
	const formRef = useFormFocus( state );
	const save = async ( event ) => {
		event.preventDefault();
		const body = bodyOf( fields, texts );
		if ( Object.keys( body ).length === 0 ) {
			onClose();
			return;
		}
		setState( { status: 'saving', field: null, message: '' } );
		try {
			const result = await daemonRequest( path, { method: 'POST', data: body } );
			// The screen shows the new numbers only now, from the daemon's answer: never a guess.
			onSaved( result );
			onClose();
		} catch ( error ) {
			const field = error.status === 422 ? fieldOfMessage( error.message, fields.map( ( entry ) => entry.id ) ) : null;
			setState( { status: 'editing', field, message: error.message } );
		}
	};
	const isSaving = state.status === 'saving';
	return (
		// noValidate: the daemon owns the rules, and its message beats the browser's tooltip.
		<form ref={ formRef } noValidate className="shelfguard-limits-editor__form" aria-label={ title } onSubmit={ save } onKeyDown={ ( event ) => event.key === 'Escape' && ! isSaving && onClose() }>
			{ fields.map( ( field ) => (
				<div key={ field.id } data-field={ field.id } className="shelfguard-limits-editor__field">
					{ field.isToggle ? (
						<CheckboxControl __nextHasNoMarginBottom label={ field.label } checked={ texts[ field.id ] } disabled={ isSaving } onChange={ ( checked ) => setTexts( { ...texts, [ field.id ]: checked } ) } />
					) : (
						<TextControl
							__nextHasNoMarginBottom
							__next40pxDefaultSize
							type="number"
							min={ 0 }
							step={ 1 }
							label={ field.label }
							value={ texts[ field.id ] }
							disabled={ isSaving }
							aria-invalid={ state.field === field.id }
							help={ state.field === field.id ? <span className="shelfguard-limits-editor__error">{ state.message }</span> : field.help }
							onChange={ ( value ) => setTexts( { ...texts, [ field.id ]: value } ) }
						/>
					) }
				</div>
			) ) }
			<div role="alert" className="shelfguard-limits-editor__message">
				{ state.message && ! state.field && <p className="shelfguard-limits-editor__error">{ state.message }</p> }
				{ state.field && <span className="screen-reader-text">{ state.message }</span> }
			</div>
			<div className="shelfguard-limits-editor__buttons">
				<Button variant="primary" type="submit" size="compact" isBusy={ isSaving } disabled={ isSaving }>
					{ __( 'Save', 'shelfguard' ) }
				</Button>
				<Button variant="tertiary" size="compact" disabled={ isSaving } onClick={ onClose }>
					{ __( 'Cancel', 'shelfguard' ) }
				</Button>
			</div>
		</form>
	);
}

/**
 * Buffer and cap (and for channels, whether checkout holds count) edited in place: a summary
 * with an Edit button that opens a small form. Saves through the plugin's proxy; the daemon's
 * validation message appears under the field it names. Escape or Cancel closes the form and
 * returns focus to the Edit button.
 *
 * @param {Object}   props
 * @param {string}   props.title    What is edited, e.g. "Buffer and cap of MUG on eBay" (form name).
 * @param {string}   props.path     Daemon path, e.g. "listings/12/settings".
 * @param {Object[]} props.fields   { id, label, value, help, isToggle, isRequired }.
 * @param {Function} props.onSaved  Receives the daemon's answer after a successful save.
 * @param {Object}   props.children The summary shown while not editing.
 */
export function LimitsEditor( { title, path, fields, onSaved, children } ) {
	const [ isEditing, setIsEditing ] = useState( false );
	const editButton = useRef();
	// Keyboard users continue from the Edit button after the form closes. A save can make the
	// table re-create this cell, so the request to focus outlives this instance.
	useEffect( () => {
		if ( ! isEditing && focusAfterClose === title ) {
			focusAfterClose = null;
			editButton.current?.focus();
		}
	}, [ isEditing, title ] );
	const close = () => {
		focusAfterClose = title;
		setIsEditing( false );
	};
	if ( isEditing ) {
		return <LimitsForm title={ title } path={ path } fields={ fields } onSaved={ onSaved } onClose={ close } />;
	}
	return (
		<span className="shelfguard-limits-editor">
			{ children }{ ' ' }
			{ /* translators: %s: what is edited, e.g. "Buffer and cap of MUG on eBay". */ }
			<Button ref={ editButton } variant="link" className="shelfguard-limits-editor__edit" aria-expanded={ false } aria-label={ sprintf( __( 'Edit %s', 'shelfguard' ), title ) } onClick={ () => setIsEditing( true ) }>
				{ __( 'Edit', 'shelfguard' ) }
			</Button>
		</span>
	);
}
