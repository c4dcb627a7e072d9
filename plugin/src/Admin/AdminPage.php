<?php
/**
 * The Shelfguard page under the WooCommerce menu: mounts the React app built into plugin/build/
 * and enqueued through its generated index.asset.php, so WordPress supplies React, components
 * and api-fetch (with the REST nonce). Without a build, it says so instead of breaking.
 *
 * @package Shelfguard
 */

namespace Shelfguard\Admin;

defined( 'ABSPATH' ) || exit;

/** The admin page. */
final class AdminPage {

	const SLUG   = 'shelfguard';
	const HANDLE = 'shelfguard-admin';

	/** @var string Main plugin file. */
	private $file;
	/** @var string Hook suffix of the page. */
	private $hook = '';

	/**
	 * @param string $file Main plugin file.
	 */
	public function __construct( string $file ) {
		$this->file = $file;
	}

	/** Hooks the menu and the scripts. */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_menu' ), 60 );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
	}

	/** Adds WooCommerce → Shelfguard. */
	public function add_menu(): void {
		$this->hook = (string) add_submenu_page( 'woocommerce', __( 'Shelfguard', 'shelfguard' ), __( 'Shelfguard', 'shelfguard' ), 'manage_woocommerce', self::SLUG, array( $this, 'render' ) );
	}

	/** The generated asset description, or null when the UI has not been built. */
	private function asset(): ?array {
		$path = plugin_dir_path( $this->file ) . 'build/index.asset.php';
		if ( ! is_readable( $path ) || ! is_readable( plugin_dir_path( $this->file ) . 'build/index.js' ) ) {
			return null;
		}
		$asset = require $path;
		return is_array( $asset ) ? $asset : null;
	}

	/**
	 * Enqueues the app on its own page only.
	 *
	 * @param string $hook Current admin page hook suffix.
	 */
	public function enqueue( $hook ): void {
		if ( '' === $this->hook || $hook !== $this->hook ) {
			return;
		}
		$asset = $this->asset();
		if ( null === $asset ) {
			return;
		}
		$url = plugin_dir_url( $this->file ) . 'build/';
		wp_enqueue_script( self::HANDLE, $url . 'index.js', $asset['dependencies'] ?? array(), $asset['version'] ?? SHELFGUARD_VERSION, true );
		wp_set_script_translations( self::HANDLE, 'shelfguard' );
		if ( is_readable( plugin_dir_path( $this->file ) . 'build/index.css' ) ) {
			wp_enqueue_style( self::HANDLE, $url . 'index.css', array( 'wp-components' ), $asset['version'] ?? SHELFGUARD_VERSION );
		}
		// Only what the app needs to find its routes; never the secret or the admin token.
		wp_add_inline_script(
			self::HANDLE,
			'window.shelfguardAdmin = ' . wp_json_encode(
				array(
					'restNamespace' => 'shelfguard/v1',
					'settingsUrl'   => admin_url( 'admin.php?page=' . SettingsPage::SLUG ),
				)
			) . ';',
			'before'
		);
	}

	/** The page: the app's mount point, or a notice when the build is missing. */
	public function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You need the manage_woocommerce capability to use Shelfguard.', 'shelfguard' ), 403 );
		}
		echo '<div class="wrap"><h1>' . esc_html__( 'Shelfguard', 'shelfguard' ) . '</h1>';
		if ( null === $this->asset() ) {
			echo '<div class="notice notice-warning inline"><p>' . esc_html__( 'The Shelfguard admin app has not been built yet (plugin/build/index.js and index.asset.php are missing). Build it with the admin UI\'s build script; delivery and the settings work without it.', 'shelfguard' ) . '</p></div>';
		}
		echo '<div id="shelfguard-admin-root"></div></div>';
	}
}
