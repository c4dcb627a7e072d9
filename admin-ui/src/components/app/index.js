/**
 * WordPress dependencies
 */
import { TabPanel } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { Channels } from '../channels';
import { History } from '../history';
import { Metrics } from '../metrics';
import { Orders } from '../orders';
import { Overview } from '../overview';
import { Products } from '../products';
import { Reconciliation } from '../reconciliation';

const SCREENS = { overview: Overview, channels: Channels, products: Products, orders: Orders, history: History, reconciliation: Reconciliation, metrics: Metrics };

function tabs() {
	return [
		{ name: 'overview', title: __( 'Overview', 'shelfguard' ) },
		{ name: 'channels', title: __( 'Channels', 'shelfguard' ) },
		{ name: 'products', title: __( 'Products', 'shelfguard' ) },
		{ name: 'orders', title: __( 'Orders and returns', 'shelfguard' ) },
		{ name: 'history', title: __( 'History', 'shelfguard' ) },
		{ name: 'reconciliation', title: __( 'Reconciliation', 'shelfguard' ) },
		{ name: 'metrics', title: __( 'Seller standing', 'shelfguard' ) },
	];
}

/** The screen named in the URL's hash, so a screen can be linked to and survives a reload. */
export function screenFromHash( hash ) {
	const name = String( hash ?? '' ).replace( /^#/, '' );
	return SCREENS[ name ] ? name : 'overview';
}

/** Shelfguard's admin app: one tab per screen; only the open screen loads its data. */
export function App() {
	return (
		<TabPanel
			className="shelfguard-app__tabs"
			tabs={ tabs() }
			initialTabName={ screenFromHash( window.location.hash ) }
			onSelect={ ( name ) => window.history.replaceState( null, '', `#${ name }` ) }
		>
			{ ( tab ) => {
				const Screen = SCREENS[ tab.name ];
				return (
					<div className="shelfguard-app__screen">
						<Screen />
					</div>
				);
			} }
		</TabPanel>
	);
}
