/**
 * WordPress dependencies
 */
import { Button, SelectControl, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { daemonRequest } from '../../api/daemon-request';
import { fieldText } from './credential-labels';
import { useFormFocus } from '../use-form-focus';

/**
 * Which form field a daemon message is about: "credentials.<name>: …" and "baseUrl: …" name one.
 *
 * @param {string} message The daemon's message.
 * @return {{field: string|null, text: string}} The field (null for the whole form) and the text to show.
 */
export function connectErrorOf( message ) {
	const text = String( message ?? '' );
	const credential = /^credentials\.([A-Za-z0-9_]+): ?(.*)$/s.exec( text );
	if ( credential ) {
		return { field: credential[ 1 ], text: credential[ 2 ] };
	}
	const baseUrl = /^baseUrl: ?(.*)$/s.exec( text );
	return baseUrl ? { field: 'baseUrl', text: baseUrl[ 1 ] } : { field: null, text };
}

/**
 * The body of a connect request: the base URL, the mode, and only the fields that were filled.
 *
 * @param {Object} values Form values by field name, plus baseUrl and mode.
 * @param {Array}  fields The marketplace's credential fields.
 * @return {Object} JSON body for POST channels/<channel>/connect.
 */
export function connectBody( values, fields ) {
	const credentials = {};
	for ( const field of fields ) {
		const value = values[ field.name ] ?? '';
		if ( value.trim() !== '' ) {
			credentials[ field.name ] = value;
		}
	}
	return { baseUrl: values.baseUrl.trim(), mode: values.mode, credentials };
}

function modeOptions() {
	return [
		{ value: 'shadow', label: __( 'Shadow: compare only, push nothing (recommended)', 'shelfguard' ) },
		{ value: 'paused', label: __( 'Paused', 'shelfguard' ) },
		{ value: 'live', label: __( 'Live: push stock at once', 'shelfguard' ) },
	];
}

function CredentialInput( { channel, field, value, error, disabled, onChange } ) {
	const text = fieldText( channel, field );
	/* translators: %s: field label. */
	const label = field.required ? sprintf( __( '%s (required)', 'shelfguard' ), text.label ) : text.label;
	return (
		<div data-field={ field.name } className="shelfguard-channels__connect-field">
			<TextControl
				__nextHasNoMarginBottom
				__next40pxDefaultSize
				// Secrets are typed, never shown back; the browser must not offer the WordPress password.
				type={ field.secret ? 'password' : 'text' }
				autoComplete={ field.secret ? 'new-password' : 'off' }
				spellCheck={ false }
				label={ label }
				value={ value }
				disabled={ disabled }
				aria-invalid={ Boolean( error ) }
				className={ error ? 'has-error' : undefined }
				help={ error ? <span className="shelfguard-channels__field-error">{ error }</span> : text.help }
				onChange={ onChange }
			/>
		</div>
	);
}

/**
 * The form that connects a marketplace: its base URL, the credentials its connector needs, and
 * the mode it starts in. The daemon tries the credentials against the marketplace before it
 * stores anything; its messages appear under the field they name, or under the form.
 *
 * @param {Object}   props
 * @param {string}   props.channel    Channel code.
 * @param {string}   props.name       Display name.
 * @param {Object}   props.connection GET channels/<channel>/connection.
 * @param {Function} props.onDone     Called with the daemon's answer after a connection.
 * @param {Function} props.onCancel   Called when the form is closed without connecting.
 */
export function ConnectForm( { channel, name, connection, onDone, onCancel } ) {
	const fields = connection.fields;
	const [ values, setValues ] = useState( () => ( { baseUrl: connection.baseUrl ?? '', mode: 'shadow', ...Object.fromEntries( fields.map( ( field ) => [ field.name, '' ] ) ) } ) );
	const [ state, setState ] = useState( { status: 'editing', field: null, message: '' } );
	const [ showOptional, setShowOptional ] = useState( false );
	const formRef = useFormFocus( state );
	const set = ( field ) => ( value ) => setValues( ( previous ) => ( { ...previous, [ field ]: value } ) );
	const submit = async ( event ) => {
		event.preventDefault();
		setState( { status: 'saving', field: null, message: '' } );
		try {
			const result = await daemonRequest( `channels/${ encodeURIComponent( channel ) }/connect`, { method: 'POST', data: connectBody( values, fields ) } );
			onDone( result );
		} catch ( error ) {
			const found = connectErrorOf( error.message );
			const known = found.field === 'baseUrl' || fields.some( ( field ) => field.name === found.field );
			if ( known && ! fields.find( ( field ) => field.name === found.field )?.required ) {
				setShowOptional( true );
			}
			setState( { status: 'editing', field: known ? found.field : null, message: known ? found.text : error.message } );
		}
	};
	const isSaving = state.status === 'saving';
	const errorOf = ( field ) => ( state.field === field ? state.message : '' );
	const input = ( field ) => <CredentialInput key={ field.name } channel={ channel } field={ field } value={ values[ field.name ] } error={ errorOf( field.name ) } disabled={ isSaving } onChange={ set( field.name ) } />;
	const optional = fields.filter( ( field ) => ! field.required );
	/* translators: %s: marketplace name. */
	const title = sprintf( __( 'Connect %s', 'shelfguard' ), name );
	return (
		// noValidate: the daemon owns the rules, and its message beats the browser's tooltip.
		<form ref={ formRef } noValidate className="shelfguard-channels__connect-form" aria-label={ title } onSubmit={ submit } onKeyDown={ ( event ) => event.key === 'Escape' && ! isSaving && onCancel() }>
			{ fields.filter( ( field ) => field.required ).map( input ) }
			<div data-field="baseUrl" className="shelfguard-channels__connect-field">
				<TextControl
					__nextHasNoMarginBottom
					__next40pxDefaultSize
					type="url"
					label={ __( 'Base URL', 'shelfguard' ) }
					value={ values.baseUrl }
					disabled={ isSaving }
					aria-invalid={ Boolean( errorOf( 'baseUrl' ) ) }
					help={ errorOf( 'baseUrl' ) ? <span className="shelfguard-channels__field-error">{ errorOf( 'baseUrl' ) }</span> : __( 'The marketplace\'s API address. Change it only for a sandbox or another region.', 'shelfguard' ) }
					onChange={ set( 'baseUrl' ) }
				/>
			</div>
			<SelectControl __nextHasNoMarginBottom __next40pxDefaultSize label={ __( 'Start in', 'shelfguard' ) } value={ values.mode } options={ modeOptions() } disabled={ isSaving } onChange={ set( 'mode' ) } />
			{ optional.length > 0 && (
				<Button variant="link" aria-expanded={ showOptional } onClick={ () => setShowOptional( ! showOptional ) }>
					{ showOptional ? __( 'Hide optional settings', 'shelfguard' ) : __( 'Show optional settings', 'shelfguard' ) }
				</Button>
			) }
			{ showOptional && optional.map( input ) }
			<div role="alert" className="shelfguard-channels__connect-message">
				{ state.message && ! state.field && <p className="shelfguard-channels__field-error">{ state.message }</p> }
				{ state.field && <span className="screen-reader-text">{ state.message }</span> }
			</div>
			{ isSaving && <p role="status">{ __( 'Trying the credentials with the marketplace…', 'shelfguard' ) }</p> }
			<div className="shelfguard-channels__actions">
				<Button variant="primary" type="submit" isBusy={ isSaving } disabled={ isSaving }>
					{ __( 'Save and connect', 'shelfguard' ) }
				</Button>
				<Button variant="tertiary" disabled={ isSaving } onClick={ onCancel }>
					{ __( 'Cancel', 'shelfguard' ) }
				</Button>
			</div>
		</form>
	);
}
