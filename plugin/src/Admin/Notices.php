<?php
/**
 * Admin notice for people who can act on it when delivery is failing.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Admin;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\QueueReport;
use Shelfguard\Settings;

/** Delivery problems as admin notices. */
final class Notices {

	/** @var Settings */
	private $settings;
	/** @var QueueReport */
	private $report;

	/**
	 * @param Settings    $settings Configuration.
	 * @param QueueReport $report   Queue views.
	 */
	public function __construct( Settings $settings, QueueReport $report ) {
		$this->settings = $settings;
		$this->report   = $report;
	}

	/** Hooks the notice. */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
	}

	/** Prints one notice per problem. */
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
	}
}
