<?php
/**
 * Activation and deactivation: tables and scheduled work.
 *
 * @package Shelfguard
 */

namespace Shelfguard;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Delivery\Scheduler;
use Shelfguard\Queue\Schema;

/** What happens when the plugin is switched on or off (uninstall.php handles removal). */
final class Lifecycle {

	/** Creates the tables and fixes the site identifier before the first event is captured. */
	public static function activate(): void {
		Schema::install();
		( new Settings() )->site_id();
	}

	/** Stops scheduled delivery; queued events stay for when the plugin comes back. */
	public static function deactivate(): void {
		Scheduler::unschedule_all();
	}
}
