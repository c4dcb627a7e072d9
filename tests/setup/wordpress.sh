#!/usr/bin/env bash
# A real WordPress 6.8 (Debian trixie's package) with Shelfguard active, for the plugin's tests.
#
#   tests/setup/wordpress.sh install   unpack WordPress once, then (re)create its database from
#                                      scratch and install it with the plugin activated
#   tests/setup/wordpress.sh start     serve it with php -S (4 workers) in its own process group
#   tests/setup/wordpress.sh stop      stop that server and its workers
#
# Everything lives in SHELFGUARD_WP_DIR (default .wp-test/, gitignored). WooCommerce is the
# stand-in from tests/plugin/woocommerce-stand-in/ (installed as the plugin "woocommerce") unless SHELFGUARD_WOOCOMMERCE_DIR names a real
# WooCommerce plugin folder. The apt steps use private lists so the system's apt state is
# untouched (see shared/wordpress-test-env.md for why each step is there).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
wp_dir=${SHELFGUARD_WP_DIR:-$repo/.wp-test}
port=${SHELFGUARD_WP_PORT:-8089}
db_name=${SHELFGUARD_WP_DB:-shelfguard_wp}
docroot="$wp_dir/docroot"
apt_options=(-q "-oDir::Etc::SourceList=$wp_dir/apt/sources.list" -oDir::Etc::SourceParts=/dev/null "-oDir::State::Lists=$wp_dir/apt/lists")

download_packages() {
  ls "$wp_dir"/debs/wordpress_*.deb "$wp_dir"/debs/wordpress-theme-twentytwentyfive_*.deb >/dev/null 2>&1 && return 0
  mkdir -p "$wp_dir/apt/lists/partial" "$wp_dir/debs"
  # The machine's own Debian mirror, read from its apt sources, with suite trixie.
  local mirror
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list)
  echo "deb $mirror trixie main" >"$wp_dir/apt/sources.list"
  apt-get "${apt_options[@]}" update >/dev/null
  chown _apt "$wp_dir/debs" 2>/dev/null || true
  (cd "$wp_dir/debs" && apt-get "${apt_options[@]}" download wordpress wordpress-theme-twentytwentyfive >/dev/null)
}

install_unbundled_libraries() {
  # Debian's WordPress links to these instead of bundling them.
  local missing=()
  for package in php-getid3 libjs-underscore libjs-lodash libjs-cropper; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
}

unpack_wordpress() {
  [ -f "$docroot/wp-includes/version.php" ] && return 0
  local tree="$wp_dir/tree"
  rm -rf "$tree" "$docroot" && mkdir -p "$tree/usr/share"
  for deb in "$wp_dir"/debs/*.deb; do dpkg -x "$deb" "$tree"; done
  # The unbundled libraries are relative links into /usr/share: make them resolve inside the tree.
  ln -s /usr/share/php "$tree/usr/share/php"
  ln -s /usr/share/javascript "$tree/usr/share/javascript"
  rm -f "$tree/usr/share/wordpress/.htaccess" "$tree/usr/share/wordpress/wp-config.php"
  local dangling
  dangling=$(find "$tree/usr/share/wordpress" -xtype l)
  [ -z "$dangling" ] || { echo "unresolved links in WordPress: $dangling" >&2; exit 1; }
  cp -RL "$tree/usr/share/wordpress" "$docroot"
  rm -rf "$tree"
}

write_config() {
  local salts="" name
  for name in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
    salts+="define( '$name', '$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')' );"$'\n'
  done
  cat >"$docroot/wp-config.php" <<PHP
<?php
// Written by tests/setup/wordpress.sh for the test site; replaced on every install.
define( 'DB_NAME', getenv( 'SHELFGUARD_WP_DB' ) ?: '$db_name' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', '127.0.0.1:3306' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$salts
\$table_prefix = 'wp_';
define( 'WP_HOME', 'http://127.0.0.1:$port' );
define( 'WP_SITEURL', 'http://127.0.0.1:$port' );
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$wp_dir/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
}

link_plugins() {
  local plugins="$docroot/wp-content/plugins" mu="$docroot/wp-content/mu-plugins"
  mkdir -p "$plugins" "$mu"
  rm -rf "$plugins/shelfguard" "$plugins/woocommerce" "${mu:?}"/*
  ln -s "$repo/plugin" "$plugins/shelfguard"
  cp "$repo/tests/plugin/site/offline.php" "$mu/"
  if [ -n "${SHELFGUARD_WOOCOMMERCE_DIR:-}" ]; then
    [ -f "$SHELFGUARD_WOOCOMMERCE_DIR/woocommerce.php" ] || { echo "SHELFGUARD_WOOCOMMERCE_DIR has no woocommerce.php" >&2; exit 1; }
    ln -s "$SHELFGUARD_WOOCOMMERCE_DIR" "$plugins/woocommerce"
  else
    # Installed as the plugin "woocommerce" so that Requires Plugins: woocommerce is satisfied.
    ln -s "$repo/tests/plugin/woocommerce-stand-in" "$plugins/woocommerce"
  fi
}

install_site() {
  download_packages
  install_unbundled_libraries
  unpack_wordpress
  write_config
  link_plugins
  [ -f "$repo/plugin/vendor/autoload.php" ] || (cd "$repo" && COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload -q)
  mariadb -h 127.0.0.1 -P 3306 -u root -e "DROP DATABASE IF EXISTS \`$db_name\`; CREATE DATABASE \`$db_name\`"
  rm -f "$wp_dir/debug.log"
  SHELFGUARD_WP_DIR="$wp_dir" php "$repo/tests/setup/wordpress-install.php" "$docroot"
}

start_server() {
  stop_server
  PHP_CLI_SERVER_WORKERS=4 setsid php -S "127.0.0.1:$port" -t "$docroot" "$repo/tests/setup/wordpress-router.php" \
    >"$wp_dir/server.log" 2>&1 </dev/null &
  echo $! >"$wp_dir/server.pid"
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/wp-json/" && return 0
    sleep 0.1
  done
  echo "WordPress did not answer on port $port" >&2
  exit 1
}

stop_server() {
  [ -f "$wp_dir/server.pid" ] || return 0
  # Killing only the parent leaves the workers holding the port: end the whole process group.
  kill -- "-$(cat "$wp_dir/server.pid")" 2>/dev/null || true
  rm -f "$wp_dir/server.pid"
  sleep 0.2
}

mkdir -p "$wp_dir"
case "${1:-}" in
  install) install_site ;;
  start) start_server ;;
  stop) stop_server ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
