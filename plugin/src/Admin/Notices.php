<?php
/**
 * Admin notices for people who can act on them: delivery problems, the seller-standing alerts
 * the daemon raised (each with an Acknowledge button), and a quiet note when the alerts could
 * not be checked. Everything shown comes from what was stored earlier: no notice ever waits on
 * the daemon.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Admin;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Alerts\AlertAcknowledger;
use Shelfguard\Alerts\AlertFeed;
use Shelfguard\Queue\QueueReport;
use Shelfguard\Settings;

/** Delivery problems and seller-standing alerts as admin notices. */
final class Notices {

	const LEVEL_CLASS = array(
		'ok'       => 'success',
		'warning'  => 'warning',
		'critical' => 'error',
		'breached' => 'error',
	);

	/** @var Settings */
	private $settings;
	/** @var QueueReport */
	private $report;
	/** @var AlertFeed */
	private $alerts;

	/**
	 * @param Settings    $settings Configuration.
	 * @param QueueReport $report   Queue views.
	 * @param AlertFeed   $alerts   Cached seller-standing alerts.
	 */
	public function __construct( Settings $settings, QueueReport $report, AlertFeed $alerts ) {
		$this->settings = $settings;
		$this->report   = $report;
		$this->alerts   = $alerts;
	}

	/** Hooks the notices. */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
	}

	/** Prints one notice per problem and per open alert. */
	public function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		foreach ( Health::problems( $this->settings, $this->report, time() ) as $problem ) {
			printf(
				'<div class="notice notice-%1$s"><p>%2$s <a href="%3$s">%4$s</a></p></div>',
				esc_attr( 'critical' === $problem[0] ? 'error' : 'warning' ),
				esc_html( $problem[1] ),
				esc_url( admin_url( 'admin.php?page=' . AdminPage::SLUG ) ),
				esc_html__( 'Open Shelfguard', 'shelfguard' )
			);
		}
		$flash = AlertAcknowledger::take_flash();
		if ( null !== $flash ) {
			printf( '<div class="notice notice-%1$s is-dismissible"><p>%2$s</p></div>', esc_attr( 'success' === $flash[0] ? 'success' : 'error' ), esc_html( $flash[1] ) );
		}
		$state = $this->alerts->state();
		foreach ( $state['alerts'] as $alert ) {
			$this->render_alert( $alert );
		}
		if ( '' !== $state['error'] && 'shelfguard_not_configured' !== $state['error'] ) {
			printf(
				'<div class="notice notice-info shelfguard-alerts-health"><p>%1$s</p></div>',
				esc_html( $this->health_sentence( $state ) )
			);
		}
	}

	/**
	 * One alert: the daemon's sentence, when it was raised, and the Acknowledge form.
	 *
	 * @param array $alert Alert from AlertFeed.
	 */
	private function render_alert( array $alert ): void {
		printf(
			'<div class="notice notice-%1$s shelfguard-alert" data-alert-id="%2$s"><p><strong>%3$s</strong> %4$s <em>(%5$s)</em></p>'
			. '<form method="post" action="%6$s"><input type="hidden" name="action" value="%7$s" /><input type="hidden" name="alert" value="%2$s" /><input type="hidden" name="_wpnonce" value="%8$s" />'
			. '<p><button type="submit" class="button button-small">%9$s</button> <a href="%10$s">%11$s</a></p></form></div>',
			esc_attr( self::LEVEL_CLASS[ $alert['level'] ] ?? 'warning' ),
			esc_attr( $alert['id'] ),
			esc_html__( 'Shelfguard seller standing:', 'shelfguard' ),
			esc_html( $alert['message'] ),
			esc_html( wp_date( 'Y-m-d H:i', (int) floor( $alert['created_at'] / 1000 ) ) ),
			esc_url( admin_url( 'admin-post.php' ) ),
			esc_attr( AlertAcknowledger::ACTION ),
			esc_attr( wp_create_nonce( AlertAcknowledger::nonce_action( $alert['id'] ) ) ),
			esc_html__( 'Acknowledge', 'shelfguard' ),
			esc_url( admin_url( 'admin.php?page=' . AdminPage::SLUG . '#metrics' ) ),
			esc_html__( 'Open seller standing', 'shelfguard' )
		);
	}

	/**
	 * Why the alerts could not be checked, without details that belong in the settings.
	 *
	 * @param array $state AlertFeed state.
	 */
	private function health_sentence( array $state ): string {
		$since = wp_date( 'Y-m-d H:i', $state['failing_since'] );
		if ( 'shelfguard_daemon_unauthorized' === $state['error'] ) {
			/* translators: %s: date and time. */
			return sprintf( __( 'Shelfguard cannot check seller-standing alerts since %s: the daemon refused the admin token. Check it in the Shelfguard settings.', 'shelfguard' ), $since );
		}
		/* translators: %s: date and time. */
		return sprintf( __( 'Shelfguard could not get seller-standing alerts from its daemon since %s; the alerts shown are the last ones read.', 'shelfguard' ), $since );
	}
}
