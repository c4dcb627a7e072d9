<?php
/**
 * Tools → Site Health test for Shelfguard's delivery.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Admin;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Queue\QueueReport;
use Shelfguard\Settings;

/** Site Health test. */
final class SiteHealth {

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

	/** Adds the test. */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
	}

	/**
	 * Registers the direct test.
	 *
	 * @param array $tests Site Health tests.
	 */
	public function add_test( $tests ): array {
		$tests['direct']['shelfguard_delivery'] = array(
			'label' => __( 'Shelfguard delivers stock changes', 'shelfguard' ),
			'test'  => array( $this, 'run' ),
		);
		return (array) $tests;
	}

	/** The test result in Site Health's shape. */
	public function run(): array {
		$problems = Health::problems( $this->settings, $this->report, time() );
		$status   = 'good';
		foreach ( $problems as $problem ) {
			$status = 'critical' === $problem[0] || 'critical' === $status ? 'critical' : 'recommended';
		}
		$description = $problems ? implode( ' ', array_column( $problems, 1 ) ) : __( 'Every stock change has been delivered to the Shelfguard daemon or is on its way.', 'shelfguard' );
		return array(
			'label'       => 'good' === $status ? __( 'Shelfguard delivers stock changes', 'shelfguard' ) : __( 'Shelfguard has stock changes it could not deliver', 'shelfguard' ),
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Shelfguard', 'shelfguard' ),
				'color' => 'good' === $status ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'actions'     => '<a href="' . esc_url( admin_url( 'admin.php?page=' . AdminPage::SLUG ) ) . '">' . esc_html__( 'Open Shelfguard', 'shelfguard' ) . '</a>',
			'test'        => 'shelfguard_delivery',
		);
	}
}
