#!/usr/bin/env bash
# The WordPress plugin: static checks (phpcs with plugin/phpcs.xml.dist, tests/plugin/lint.php),
# then PHPUnit against a real WordPress 6.8 on MariaDB with the plugin active, served by php -S,
# then the checkout-overhead benchmark with the daemon down (fails above 50 ms at p95).
# Sets up what it needs itself; SHELFGUARD_WOOCOMMERCE_DIR=<real WooCommerce folder> runs the
# same suite against a real WooCommerce instead of the stand-in.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v composer >/dev/null 2>&1; then
  echo "installing composer (Debian package) to generate the plugin's autoloader"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null; }
fi
COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload -q -d plugin

bash tests/setup/wordpress.sh install
trap 'bash tests/setup/wordpress.sh stop' EXIT
bash tests/setup/wordpress.sh start

phpunit -c tests/plugin/phpunit.xml.dist
php tests/plugin/bench/checkout-overhead.php "${SHELFGUARD_BENCH_ORDERS:-60}"

# PHP warnings or fatals on the test site fail the lane even when every assertion passed.
if grep -E "PHP (Fatal|Warning|Parse)" "${SHELFGUARD_WP_DIR:-.wp-test}/debug.log" 2>/dev/null; then
  echo "the test site logged PHP errors (above)" >&2
  exit 1
fi
