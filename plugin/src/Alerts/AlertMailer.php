<?php
/**
 * E-mails each seller-standing alert once through wp_mail. Which alert ids were mailed is kept
 * in an option that is written before the mail goes out, so that a second poll (or one that
 * runs beside this one) never sends the same alert again; a mail that WordPress reports as
 * failed is tried again on the next polls, a few times at most.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Alerts;

defined( 'ABSPATH' ) || exit;

use Shelfguard\Admin\AdminPage;
use Shelfguard\Settings;

/** Sends alert e-mails, once per alert id. */
final class AlertMailer {

	const OPTION           = 'shelfguard_alerts_mailed';
	const ATTEMPTS_MAX     = 3;
	const MAILS_PER_RUN_MAX = 20;
	const REMEMBER_S       = 90 * DAY_IN_SECONDS;
	const REMEMBERED_MAX   = 2000;

	/** @var Settings */
	private $settings;

	/**
	 * @param Settings $settings Where to send.
	 */
	public function __construct( Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Mails the alerts not mailed yet, oldest first; returns the ids mailed in this run.
	 *
	 * @param array $alerts Alerts from AlertFeed::parse(), newest first.
	 * @param int   $now    Unix time.
	 * @return string[]
	 */
	public function mail_new( array $alerts, int $now ): array {
		$to = $this->settings->alert_email();
		if ( ! is_email( $to ) ) {
			return array();
		}
		$sent = array();
		$log  = $this->log();
		foreach ( array_reverse( $alerts ) as $alert ) {
			if ( count( $sent ) >= self::MAILS_PER_RUN_MAX ) {
				break;
			}
			$entry = $log[ $alert['id'] ] ?? null;
			if ( null !== $entry && ( $entry['sent'] || $entry['attempts'] >= self::ATTEMPTS_MAX ) ) {
				continue;
			}
			// Claimed before sending: a crash after this line loses one e-mail (the notice still
			// shows), where the other order could send it twice.
			$attempts             = ( $entry['attempts'] ?? 0 ) + 1;
			$log[ $alert['id'] ]  = array( 'at' => $now, 'sent' => true, 'attempts' => $attempts );
			$this->save( $log, $alerts, $now );
			if ( wp_mail( $to, $this->subject( $alert ), $this->body( $alert ) ) ) {
				$sent[] = $alert['id'];
				continue;
			}
			$log[ $alert['id'] ]['sent'] = false;
			$this->save( $log, $alerts, $now );
		}
		return $sent;
	}

	/** Ids the mailer has a record of: id => [at, sent, attempts]. */
	public function log(): array {
		$log = get_option( self::OPTION, array() );
		return is_array( $log ) ? $log : array();
	}

	/**
	 * The subject line.
	 *
	 * @param array $alert Alert.
	 */
	private function subject( array $alert ): string {
		$levels = array(
			'ok'       => __( 'recovered', 'shelfguard' ),
			'warning'  => __( 'warning', 'shelfguard' ),
			'critical' => __( 'critical', 'shelfguard' ),
			'breached' => __( 'limit missed', 'shelfguard' ),
		);
		/* translators: 1: site name, 2: alert level, 3: channel code. */
		return sprintf( __( '[%1$s] Shelfguard seller standing %2$s: %3$s', 'shelfguard' ), wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ), $levels[ $alert['level'] ] ?? $alert['level'], $alert['channel'] );
	}

	/**
	 * The plain-text body: the daemon's sentence, when, and where to act.
	 *
	 * @param array $alert Alert.
	 */
	private function body( array $alert ): string {
		$lines = array(
			$alert['message'],
			'',
			/* translators: %s: date and time. */
			sprintf( __( 'Raised: %s', 'shelfguard' ), wp_date( 'Y-m-d H:i', (int) floor( $alert['created_at'] / 1000 ) ) ),
			/* translators: %s: URL of the Shelfguard admin screen. */
			sprintf( __( 'Seller standing in wp-admin: %s', 'shelfguard' ), admin_url( 'admin.php?page=' . AdminPage::SLUG . '#metrics' ) ),
			'',
			__( 'Acknowledge the alert in wp-admin to clear its notice. Shelfguard sends one e-mail per alert.', 'shelfguard' ),
		);
		return implode( "\n", $lines );
	}

	/**
	 * Stores the log, forgetting ids that are old and no longer open at the daemon.
	 *
	 * @param array $log    Log.
	 * @param array $alerts Open alerts.
	 * @param int   $now    Unix time.
	 */
	private function save( array $log, array $alerts, int $now ): void {
		$open = array_flip( array_column( $alerts, 'id' ) );
		foreach ( $log as $id => $entry ) {
			if ( ! isset( $open[ $id ] ) && (int) $entry['at'] < $now - self::REMEMBER_S ) {
				unset( $log[ $id ] );
			}
		}
		if ( count( $log ) > self::REMEMBERED_MAX ) {
			uasort(
				$log,
				static function ( $a, $b ) {
					return (int) $b['at'] <=> (int) $a['at'];
				}
			);
			$log = array_slice( $log, 0, self::REMEMBERED_MAX, true );
		}
		update_option( self::OPTION, $log, false );
	}
}
