/**
 * WordPress dependencies
 */
import { SelectControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { ResourceState } from '../resource-state';
import { MovementsTable } from './movements-table';
import { WhyPanel } from './why-panel';

const SKU_OPTIONS_MAX = 1000;

/** A SKU's movements, newest first and paged, and why each channel shows what it shows. */
export function History() {
	const skus = useDaemon( 'skus', { limit: SKU_OPTIONS_MAX } );
	const [ sku, setSku ] = useState( '' );
	return (
		<div className="shelfguard-history__screen">
			<ResourceState resource={ skus } label={ __( 'Loading SKUs…', 'shelfguard' ) } isEmpty={ ( data ) => data.skus.length === 0 } emptyText={ __( 'No SKUs yet, so no history.', 'shelfguard' ) }>
				{ ( data ) => (
					<SelectControl
						__nextHasNoMarginBottom
						__next40pxDefaultSize
						label={ __( 'SKU', 'shelfguard' ) }
						value={ sku }
						onChange={ setSku }
						options={ [ { value: '', label: __( 'Choose a SKU…', 'shelfguard' ) }, ...data.skus.map( ( item ) => ( { value: item.sku, label: item.name && item.name !== item.sku ? `${ item.sku } — ${ item.name }` : item.sku } ) ) ] }
					/>
				) }
			</ResourceState>
			{ sku && (
				<div className="shelfguard-history__details">
					<WhyPanel sku={ sku } />
					<MovementsTable key={ sku } sku={ sku } />
				</div>
			) }
		</div>
	);
}
