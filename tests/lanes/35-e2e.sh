#!/usr/bin/env bash
# End to end: the real plugin in a real WordPress 6.8 (served by php -S, with the WooCommerce
# stand-in, or a real WooCommerce when SHELFGUARD_WOOCOMMERCE_DIR is set) and the real daemon,
# talking over HTTP in both directions with one run-time secret (tests/e2e/*.e2e.ts).
# Its own site, port and database, so it never disturbs the plugin lane's site (.wp-test).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

export SHELFGUARD_WP_DIR=${SHELFGUARD_E2E_WP_DIR:-$repo/var/wp-e2e}
export SHELFGUARD_WP_PORT=${SHELFGUARD_E2E_WP_PORT:-8093}
export SHELFGUARD_WP_DB=${SHELFGUARD_E2E_WP_DB:-shelfguard_wp_e2e}

if [ ! -f plugin/vendor/autoload.php ]; then
  command -v composer >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null; }
  COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload -q -d plugin
fi

# The WordPress packages the plugin lane already downloaded serve this site too.
if ! ls "$SHELFGUARD_WP_DIR"/debs/wordpress_*.deb >/dev/null 2>&1 && ls .wp-test/debs/wordpress_*.deb >/dev/null 2>&1; then
  mkdir -p "$SHELFGUARD_WP_DIR/debs" && cp .wp-test/debs/*.deb "$SHELFGUARD_WP_DIR/debs/"
fi

started=$(date +%s)
bash tests/setup/wordpress.sh install
# The connector reads stock through WooCommerce's REST API; the stand-in gets those routes here.
cp tests/e2e/site/*.php "$SHELFGUARD_WP_DIR/docroot/wp-content/mu-plugins/"
trap 'bash tests/setup/wordpress.sh stop' EXIT
bash tests/setup/wordpress.sh start
echo "e2e site ready on port $SHELFGUARD_WP_PORT in $(( $(date +%s) - started )) s"

node --experimental-vm-modules node_modules/jest/bin/jest.js --ci -c tests/e2e/jest.config.js

# PHP warnings or fatals on the site fail the lane even when every assertion passed.
if grep -E "PHP (Fatal|Warning|Parse)" "$SHELFGUARD_WP_DIR/debug.log" 2>/dev/null; then
  echo "the e2e site logged PHP errors (above)" >&2
  exit 1
fi
