/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { channelLabel } from '../../data/channel-names';
import { formatNumber } from '../../data/format';
import { exitText, formatRate, headroomText, levelText, limitText, officialFor, otherOfficial, trendText } from '../../data/metrics';
import { DataTable } from '../data-table';
import { TrendChart } from './trend-chart';

function OfficialCell( { figure } ) {
	if ( ! figure ) {
		return <span className="shelfguard-metrics__no-official">{ __( 'Not read', 'shelfguard' ) }</span>;
	}
	/* translators: %s: date the marketplace's figure is for. */
	const asOf = sprintf( __( 'as of %s', 'shelfguard' ), figure.date );
	return (
		<>
			{ figure.rate }
			{ figure.status && <span className="shelfguard-metrics__official-status"> { figure.status }</span> }
			<span className="shelfguard-metrics__official-date">{ asOf }</span>
		</>
	);
}

function officialLine( figure ) {
	/* translators: 1: figure name, 2: rate, 3: status word, 4: date. */
	return sprintf( __( '%1$s: %2$s %3$s (as of %4$s)', 'shelfguard' ), figure.name, figure.rate, figure.status ?? '', figure.date );
}

function columns( official ) {
	return [
		{ id: 'label', label: __( 'Metric', 'shelfguard' ), render: ( metric ) => metric.label },
		{ id: 'estimate', label: __( 'Shelfguard estimate', 'shelfguard' ), isNumeric: true, render: ( metric ) => formatRate( metric.rateBasisPoints ) },
		{ id: 'official', label: __( 'Official figure', 'shelfguard' ), isNumeric: true, render: ( metric ) => <OfficialCell figure={ officialFor( metric, official ) } /> },
		{ id: 'limit', label: __( 'Threshold', 'shelfguard' ), isNumeric: true, render: ( metric ) => limitText( metric.limit ) },
		{ id: 'orders', label: __( 'Orders in window', 'shelfguard' ), isNumeric: true, render: ( metric ) => formatNumber( metric.orders ) },
		{ id: 'seller', label: __( 'Seller-caused cancellations', 'shelfguard' ), isNumeric: true, render: ( metric ) => formatNumber( metric.sellerCancellations ) },
		{ id: 'headroom', label: __( 'Headroom', 'shelfguard' ), isNumeric: true, render: ( metric ) => formatNumber( metric.headroom ) },
		{ id: 'trend', label: __( 'Trend', 'shelfguard' ), render: ( metric ) => trendText( metric.trend?.direction ) },
		{ id: 'level', label: __( 'Level', 'shelfguard' ), render: ( metric ) => <span className={ `shelfguard-metrics__level is-${ metric.alertLevel }` }>{ levelText( metric.alertLevel ) }</span> },
	];
}

/**
 * One channel's standing: the estimates beside the official figures, then per metric its
 * headroom, when the oldest defects leave the window, and its trend against the limit.
 *
 * @param {Object} props
 * @param {Object} props.channel A channel from standingChannels().
 */
export function ChannelStanding( { channel } ) {
	const name = channelLabel( channel.channel );
	const others = otherOfficial( channel );
	/* translators: %s: channel name. */
	const caption = sprintf( __( 'Seller standing on %s', 'shelfguard' ), name );
	/* translators: %s: the daemon's reason. */
	const officialError = channel.officialError ? sprintf( __( 'The official figures could not be read: %s', 'shelfguard' ), channel.officialError ) : null;
	return (
		<section className="shelfguard-metrics__channel" data-channel={ channel.channel }>
			<h3>
				{ name } <span className={ `shelfguard-metrics__level is-${ channel.alertLevel }` }>{ levelText( channel.alertLevel ) }</span>
			</h3>
			<DataTable caption={ caption } columns={ columns( channel.official ?? [] ) } rows={ channel.metrics } rowKey={ ( metric ) => metric.metric } />
			{ officialError && <p className="shelfguard-metrics__official-error">{ officialError }</p> }
			<div className="shelfguard-metrics__details">
				{ channel.metrics.map( ( metric ) => (
					<div key={ metric.metric } className="shelfguard-metrics__metric">
						<h4>{ metric.label }</h4>
						<p className="shelfguard-metrics__headroom">{ headroomText( metric ) }</p>
						<p className="shelfguard-metrics__exit">{ exitText( metric ) }</p>
						<TrendChart metric={ metric } />
					</div>
				) ) }
			</div>
			{ others.length > 0 && (
				<ul className="shelfguard-metrics__other-official" aria-label={ __( 'Other official figures', 'shelfguard' ) }>
					{ others.map( ( figure ) => (
						<li key={ figure.name }>{ officialLine( figure ) }</li>
					) ) }
				</ul>
			) }
		</section>
	);
}
