/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { useDaemon } from '../../api/use-daemon';
import { channelLabel, modeLabel } from '../../data/channel-names';
import { formatNumber } from '../../data/format';
import { ResourceState } from '../resource-state';

/**
 * The daemon's "why" answer: for each channel, the steps from stock to the published quantity.
 *
 * @param {Object} props
 * @param {string} props.sku SKU code.
 */
export function WhyPanel( { sku } ) {
	const why = useDaemon( `skus/${ encodeURIComponent( sku ) }/why` );
	return (
		<section className="shelfguard-history__why" aria-labelledby="shelfguard-history-why-title">
			<h2 id="shelfguard-history-why-title">{ __( 'Why each channel shows what it shows', 'shelfguard' ) }</h2>
			<ResourceState resource={ why } label={ __( 'Loading the explanation…', 'shelfguard' ) } isEmpty={ ( data ) => data.channels.length === 0 } emptyText={ __( 'This SKU is not listed on any channel.', 'shelfguard' ) }>
				{ ( data ) => (
					<ul className="shelfguard-history__why-list">
						{ data.stockHolder !== data.sku && <li>{ sprintf( /* translators: %s: SKU holding the stock. */ __( 'Stock is held by %s.', 'shelfguard' ), data.stockHolder ) }</li> }
						{ data.channels.map( ( channel ) => (
							<li key={ channel.channel } className="shelfguard-history__why-channel">
								<strong>
									{ sprintf( /* translators: 1: channel name, 2: quantity, 3: mode. */ __( '%1$s shows %2$s (%3$s)', 'shelfguard' ), channelLabel( channel.channel ), formatNumber( channel.published ), modeLabel( channel.mode ) ) }
								</strong>
								<ol className="shelfguard-history__why-steps">
									{ channel.steps.map( ( step, index ) => (
										<li key={ index }>
											<span className="shelfguard-history__why-step">{ step.detail || step.step }</span> <span className="shelfguard-history__why-value">{ formatNumber( step.value ) }</span>
										</li>
									) ) }
								</ol>
							</li>
						) ) }
					</ul>
				) }
			</ResourceState>
		</section>
	);
}
