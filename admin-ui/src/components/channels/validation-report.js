/**
 * WordPress dependencies
 */
import { __, sprintf } from '@wordpress/i18n';

/**
 * Internal dependencies
 */
import { formatNumber, formatPercent } from '../../data/format';
import { DataTable } from '../data-table';
import { driftCauseLabel } from '../reconciliation/drift-cause';

const SAMPLE_SHOWN_MAX = 10;

/**
 * A shadow-mode validation: how far what the channel shows is from what Shelfguard would push.
 *
 * @param {Object} props
 * @param {Object} props.report ValidationReport from the daemon.
 */
export function ValidationReport( { report } ) {
	if ( report.ok === false && report.error ) {
		return <p className="shelfguard-channels__report-error">{ report.error }</p>;
	}
	/* translators: 1: listings that differ, 2: listings checked, 3: percentage, 4: threshold percentage. */
	const summary = sprintf( __( '%1$s of %2$s listings differ (%3$s; promotion allows up to %4$s).', 'shelfguard' ), formatNumber( report.drifted ), formatNumber( report.listingsChecked ), formatPercent( report.driftRatio ), formatPercent( report.threshold ) );
	return (
		<div className="shelfguard-channels__report">
			<p>
				<strong>{ report.promotable ? __( 'Ready for live.', 'shelfguard' ) : __( 'Not ready for live.', 'shelfguard' ) }</strong> { summary }
			</p>
			{ report.sample?.length > 0 && (
				<DataTable
					caption={ __( 'Listings that differ (sample)', 'shelfguard' ) }
					rowKey={ ( row ) => `${ row.sku }:${ row.listingId }` }
					rows={ report.sample.slice( 0, SAMPLE_SHOWN_MAX ) }
					columns={ [
						{ id: 'sku', label: __( 'SKU', 'shelfguard' ) },
						{ id: 'expected', label: __( 'Shelfguard', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.expected ) },
						{ id: 'shown', label: __( 'Channel shows', 'shelfguard' ), isNumeric: true, render: ( row ) => formatNumber( row.shown ) },
						{ id: 'cause', label: __( 'Likely cause', 'shelfguard' ), render: ( row ) => driftCauseLabel( row.cause ) },
					] }
				/>
			) }
		</div>
	);
}
