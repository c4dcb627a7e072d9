<?php
/**
 * Must-use plugin of the test site: no update checks, avatars or other calls to the outside
 * world, so the debug log only holds what the tests caused.
 *
 * @package Shelfguard\Tests
 */

add_filter( 'pre_site_transient_update_core', '__return_null' );
add_filter( 'pre_site_transient_update_plugins', '__return_null' );
add_filter( 'pre_site_transient_update_themes', '__return_null' );
add_filter( 'pre_option_show_avatars', '__return_zero' );
add_filter( 'pre_wp_mail', '__return_false' );
remove_action( 'init', 'wp_schedule_update_checks' );
