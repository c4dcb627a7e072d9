<?php
/**
 * Settings screen markup. Variables: $flash, $secret, $summary (from SettingsPage::render).
 *
 * @package Shelfguard
 */

defined( 'ABSPATH' ) || exit;
?>
<div class="wrap">
	<h1><?php esc_html_e( 'Shelfguard settings', 'shelfguard' ); ?></h1>
	<?php if ( is_array( $flash ) && 2 === count( $flash ) ) : ?>
		<div class="notice notice-<?php echo esc_attr( 'success' === $flash[0] ? 'success' : 'error' ); ?>"><p><?php echo esc_html( $flash[1] ); ?></p></div>
	<?php endif; ?>
	<?php if ( is_string( $secret ) && '' !== $secret ) : ?>
		<div class="notice notice-warning"><p><?php esc_html_e( 'New shared secret (shown once):', 'shelfguard' ); ?></p>
			<p><code id="shelfguard-new-secret"><?php echo esc_html( $secret ); ?></code></p></div>
	<?php endif; ?>

	<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
		<input type="hidden" name="action" value="shelfguard_save_settings" />
		<?php wp_nonce_field( 'shelfguard_save_settings' ); ?>
		<table class="form-table" role="presentation">
			<tr>
				<th scope="row"><label for="shelfguard-daemon-url"><?php esc_html_e( 'Daemon URL', 'shelfguard' ); ?></label></th>
				<td><input type="url" class="regular-text" id="shelfguard-daemon-url" name="daemon_url" value="<?php echo esc_attr( $summary['daemon_url'] ); ?>" required />
					<p class="description"><?php esc_html_e( 'Where the Shelfguard daemon listens, e.g. https://stock.example.com.', 'shelfguard' ); ?></p></td>
			</tr>
			<tr>
				<th scope="row"><label for="shelfguard-admin-token"><?php esc_html_e( 'Daemon admin token', 'shelfguard' ); ?></label></th>
				<td><input type="password" class="regular-text" id="shelfguard-admin-token" name="admin_token" value="" autocomplete="off" placeholder="<?php echo esc_attr( $summary['admin_token_configured'] ? __( 'Saved (leave empty to keep)', 'shelfguard' ) : '' ); ?>" /></td>
			</tr>
			<tr>
				<th scope="row"><label for="shelfguard-alert-email"><?php esc_html_e( 'Alert e-mail', 'shelfguard' ); ?></label></th>
				<td><input type="email" class="regular-text" id="shelfguard-alert-email" name="alert_email" value="<?php echo esc_attr( $summary['alert_email'] ); ?>" placeholder="<?php echo esc_attr( $summary['alert_email_default'] ); ?>" />
					<p class="description"><?php esc_html_e( 'Seller-standing alerts are e-mailed here, once each. Leave empty to use the site admin\'s address.', 'shelfguard' ); ?></p></td>
			</tr>
		</table>
		<?php submit_button( __( 'Save settings', 'shelfguard' ) ); ?>
	</form>

	<h2><?php esc_html_e( 'Shared secret', 'shelfguard' ); ?></h2>
	<p><?php echo esc_html( $summary['secret_configured'] ? __( 'A secret is set. Rotating it keeps the previous one valid for 24 hours.', 'shelfguard' ) : __( 'No secret yet: generate one and give it to the daemon.', 'shelfguard' ) ); ?></p>
	<?php if ( $summary['previous_secret_until'] ) : ?>
		<p><?php /* translators: %s: date and time. */ echo esc_html( sprintf( __( 'The previous secret is accepted until %s.', 'shelfguard' ), wp_date( 'Y-m-d H:i', $summary['previous_secret_until'] ) ) ); ?></p>
	<?php endif; ?>
	<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
		<input type="hidden" name="action" value="shelfguard_rotate_secret" />
		<?php wp_nonce_field( 'shelfguard_rotate_secret' ); ?>
		<?php submit_button( $summary['secret_configured'] ? __( 'Rotate secret', 'shelfguard' ) : __( 'Generate secret', 'shelfguard' ), 'secondary' ); ?>
	</form>

	<h2><?php esc_html_e( 'Connection', 'shelfguard' ); ?></h2>
	<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
		<input type="hidden" name="action" value="shelfguard_test_connection" />
		<?php wp_nonce_field( 'shelfguard_test_connection' ); ?>
		<?php submit_button( __( 'Test connection', 'shelfguard' ), 'secondary' ); ?>
	</form>
</div>
