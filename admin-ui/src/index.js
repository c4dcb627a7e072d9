/**
 * WordPress dependencies
 */
import { createRoot } from '@wordpress/element';

/**
 * Internal dependencies
 */
import { App } from './components/app';
import './admin.scss';

const MOUNT_ID = 'shelfguard-admin-root';

const mount = document.getElementById( MOUNT_ID );
if ( mount ) {
	createRoot( mount ).render( <App /> );
}
