/**
 * WordPress dependencies
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

function failureTitle( kind ) {
	const titles = {
		unreachable: __( 'The Shelfguard daemon is unreachable.', 'shelfguard' ),
		not_configured: __( 'Shelfguard is not connected to its daemon.', 'shelfguard' ),
		not_available: __( 'Not available from this daemon version.', 'shelfguard' ),
		forbidden: __( 'You are not allowed to see this.', 'shelfguard' ),
	};
	return titles[ kind ] ?? __( 'Something went wrong.', 'shelfguard' );
}

function failureHint( kind ) {
	const hints = {
		unreachable: __( 'Check that the daemon is running and that its address in the settings is right. Stock changes wait safely in the queue meanwhile.', 'shelfguard' ),
		not_configured: __( 'Enter the daemon URL and its admin token in the settings.', 'shelfguard' ),
		not_available: __( 'A newer daemon is needed for this part.', 'shelfguard' ),
	};
	return hints[ kind ] ?? '';
}

/**
 * The one place that renders loading, error and empty states, so every screen says the same
 * thing the same way. Renders children only with data that is not empty.
 *
 * @param {Object}   props
 * @param {Object}   props.resource   From useDaemon: status, data, error, reload.
 * @param {Function} [props.isEmpty]  Whether the data counts as empty.
 * @param {string}   [props.emptyText] What to say when empty.
 * @param {string}   props.label      What is loading, for screen readers.
 * @param {Function} props.children   Renders the data.
 */
export function ResourceState( { resource, isEmpty = () => false, emptyText, label, children } ) {
	if ( resource.status === 'idle' ) {
		return null;
	}
	if ( resource.status === 'loading' && resource.data === null ) {
		return (
			<p className="shelfguard-resource-state__loading" role="status">
				<Spinner />
				{ label }
			</p>
		);
	}
	if ( resource.status === 'error' ) {
		const kind = resource.error?.kind ?? 'failed';
		const settingsUrl = window.shelfguardAdmin?.settingsUrl;
		return (
			<Notice status={ kind === 'not_available' ? 'info' : 'error' } isDismissible={ false } className={ `shelfguard-resource-state__error is-${ kind }` }>
				<p>
					<strong>{ failureTitle( kind ) }</strong> { failureHint( kind ) }
				</p>
				{ resource.error?.message && kind !== 'not_available' && <p className="shelfguard-resource-state__detail">{ resource.error.message }</p> }
				{ kind !== 'not_available' && kind !== 'forbidden' && (
					<p>
						<Button variant="secondary" onClick={ resource.reload }>
							{ __( 'Try again', 'shelfguard' ) }
						</Button>{ ' ' }
						{ settingsUrl && ( kind === 'unreachable' || kind === 'not_configured' ) && (
							<Button variant="link" href={ settingsUrl }>
								{ __( 'Open the settings', 'shelfguard' ) }
							</Button>
						) }
					</p>
				) }
			</Notice>
		);
	}
	if ( isEmpty( resource.data ) ) {
		return <p className="shelfguard-resource-state__empty">{ emptyText ?? __( 'Nothing here yet.', 'shelfguard' ) }</p>;
	}
	return children( resource.data );
}
