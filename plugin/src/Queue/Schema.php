<?php
/**
 * The plugin's two tables: the outgoing event queue and the applied adjustment keys.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Queue;

defined( 'ABSPATH' ) || exit;

/** Creates, upgrades and drops the plugin's tables. */
final class Schema {

	const VERSION        = 1;
	const VERSION_OPTION = 'shelfguard_db_version';

	/** Name of the outgoing event queue table. */
	public static function queue_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'shelfguard_queue';
	}

	/** Name of the table of adjustment keys already applied (kept at least 7 days). */
	public static function applied_table(): string {
		global $wpdb;
		return $wpdb->prefix . 'shelfguard_applied';
	}

	/** Creates or upgrades the tables; cheap when already current. */
	public static function install(): void {
		global $wpdb;
		if ( (int) get_option( self::VERSION_OPTION, 0 ) === self::VERSION ) {
			return;
		}
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$charset = $wpdb->get_charset_collate();
		$queue   = self::queue_table();
		$applied = self::applied_table();
		// event_key is the idempotency key minted when the event was queued; UNIQUE keeps a
		// re-queued event from being stored twice.
		dbDelta(
			"CREATE TABLE {$queue} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_key varchar(190) NOT NULL,
  event_type varchar(40) NOT NULL,
  product_id bigint(20) unsigned NOT NULL DEFAULT 0,
  payload longtext NOT NULL,
  status varchar(12) NOT NULL DEFAULT 'pending',
  attempts smallint(5) unsigned NOT NULL DEFAULT 0,
  next_attempt_at datetime NOT NULL,
  claim_token char(32) DEFAULT NULL,
  claimed_until datetime DEFAULT NULL,
  last_error varchar(500) NOT NULL DEFAULT '',
  created_at datetime NOT NULL,
  updated_at datetime NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY event_key (event_key),
  KEY status_due (status,next_attempt_at),
  KEY claim_token (claim_token)
) {$charset};
CREATE TABLE {$applied} (
  adjustment_key varchar(190) NOT NULL,
  payload_hash char(64) NOT NULL,
  product_id bigint(20) unsigned NOT NULL,
  delta int(11) NOT NULL,
  stock_after varchar(32) DEFAULT NULL,
  created_at datetime NOT NULL,
  PRIMARY KEY  (adjustment_key),
  KEY created_at (created_at)
) {$charset};"
		);
		update_option( self::VERSION_OPTION, self::VERSION, true ); // Autoloaded: read on every request.
	}

	/** Drops both tables (uninstall only). */
	public static function drop(): void {
		global $wpdb;
		// Table names come from $wpdb->prefix and constants, never from input.
		$wpdb->query( 'DROP TABLE IF EXISTS ' . self::queue_table() . ', ' . self::applied_table() ); // phpcs:ignore WordPress.DB.PreparedSQL -- identifiers cannot be placeholders.
		delete_option( self::VERSION_OPTION );
	}
}
