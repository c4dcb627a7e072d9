<?php
/**
 * Wires Shelfguard's parts together; the only place that constructs them.
 *
 * @package Shelfguard
 */

namespace Shelfguard;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Alerts\AlertAcknowledger;
use Shelfguard\Alerts\AlertFeed;
use Shelfguard\Alerts\AlertMailer;
use Shelfguard\Alerts\AlertPoller;
use Shelfguard\Alerts\AlertsClient;
use Shelfguard\Capture\CatalogCapture;
use Shelfguard\Capture\EchoGuard;
use Shelfguard\Capture\EventFactory;
use Shelfguard\Capture\HeldCapture;
use Shelfguard\Capture\StockCapture;
use Shelfguard\Delivery\DaemonClient;
use Shelfguard\Delivery\Dispatcher;
use Shelfguard\Delivery\Scheduler;
use Shelfguard\Queue\Queue;
use Shelfguard\Queue\QueueReport;
use Shelfguard\Queue\Schema;
use Shelfguard\Rest\AdjustmentApplier;
use Shelfguard\Rest\AdjustmentsController;
use Shelfguard\Rest\AdminController;
use Shelfguard\Rest\AppliedKeys;
use Shelfguard\Rest\DaemonProxy;

/** Builds the services and registers their hooks. */
final class Plugin {

	/** @var array<string,object> Services by name. */
	private $services = array();

	/**
	 * @param string $file Main plugin file.
	 */
	public function __construct( string $file ) {
		$settings = new Settings();
		$queue    = new Queue();
		$report   = new QueueReport();
		$guard    = new EchoGuard();
		$events   = new EventFactory( $settings->site_id() );
		$client   = new DaemonClient( $settings );
		$applied  = new AppliedKeys();
		$dispatch = new Dispatcher( $queue, $client, $settings );
		$alerts   = new AlertFeed();
		$alerting = new AlertsClient( $settings );

		$this->services = array(
			'settings'      => $settings,
			'queue'         => $queue,
			'report'        => $report,
			'echo_guard'    => $guard,
			'events'        => $events,
			'dispatcher'    => $dispatch,
			'stock'         => new StockCapture( $queue, $events, $guard ),
			'catalog'       => new CatalogCapture( $queue, $events ),
			'held'          => new HeldCapture( $queue, $events ),
			'scheduler'     => new Scheduler( $dispatch, $queue, $applied, $settings ),
			'adjustments'   => new AdjustmentsController( $settings, new AdjustmentApplier( $applied, $guard ) ),
			'admin_rest'    => new AdminController( $settings, $queue, $report, $client ),
			'proxy'         => new DaemonProxy( $settings, $client ),
			'admin_page'    => new Admin\AdminPage( $file ),
			'settings_page' => new Admin\SettingsPage( $settings, $client ),
			'notices'       => new Admin\Notices( $settings, $report, $alerts ),
			'alert_poller'  => new AlertPoller( $alerting, $alerts, new AlertMailer( $settings ) ),
			'alert_ack'     => new AlertAcknowledger( $alerting, $alerts ),
			'site_health'   => new Admin\SiteHealth( $settings, $report ),
			'cli'           => new Cli\Command( $queue, $report, $dispatch, $events ),
		);
	}

	/** Registers every service's hooks, and keeps the tables current after an update. */
	public function register(): void {
		Schema::install();
		add_action( 'before_woocommerce_init', array( $this, 'declare_compatibility' ) );
		foreach ( $this->services as $service ) {
			if ( method_exists( $service, 'register' ) ) {
				$service->register();
			}
		}
	}

	/** Shelfguard reads orders only through WooCommerce's CRUD objects, so HPOS is fine. */
	public function declare_compatibility(): void {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', SHELFGUARD_FILE, true );
		}
	}

	/**
	 * One service, for tests and WP-CLI.
	 *
	 * @param string $name Service name.
	 */
	public function get( string $name ) {
		return $this->services[ $name ] ?? null;
	}
}
