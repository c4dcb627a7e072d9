#!/usr/bin/env bash
# The admin UI: installs its own dependencies (admin-ui/, npm ci) when missing, builds it into
# plugin/build/ with @wordpress/scripts, checks the asset file lists WordPress's scripts, runs the
# jest unit tests, then drives headless Chromium against a real WordPress 6.8 with the plugin
# active, a daemon and marketplace sandboxes (tests/admin-ui/e2e/admin-ui.e2e.ts). Screenshots go
# to var/wp-admin-ui/screenshots/ (gitignored) on every run; the ones the README shows are copied
# to docs/screenshots/ only with SHELFGUARD_UPDATE_SCREENSHOTS=1, because rewriting committed
# images on every run dirties every developer's working tree. Its own site, port and database, so it never disturbs the other lanes' sites.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

export SHELFGUARD_WP_DIR=${SHELFGUARD_ADMIN_UI_WP_DIR:-$repo/var/wp-admin-ui}
export SHELFGUARD_WP_PORT=${SHELFGUARD_ADMIN_UI_WP_PORT:-8094}
export SHELFGUARD_WP_DB=${SHELFGUARD_ADMIN_UI_WP_DB:-shelfguard_wp_admin_ui}
export SHELFGUARD_SCREENSHOTS_DIR=$SHELFGUARD_WP_DIR/screenshots
readme_screenshots=(overview channels products history metrics reconciliation orders products-structure channels-connect dead-letters)

# The release package builds the UI into plugin/build/ and zips the plugin; the site below runs
# from plugin/ itself, and the zip is checked for what an install needs.
zip_path=$(bash scripts/package-plugin.sh | tail -n 1 | cut -d' ' -f1)
for needed in shelfguard/shelfguard.php shelfguard/build/index.js shelfguard/build/index.asset.php shelfguard/vendor/autoload.php; do
  unzip -l "$zip_path" "$needed" >/dev/null || { echo "the plugin package $zip_path lacks $needed" >&2; exit 1; }
done
if unzip -l "$zip_path" | grep -qE 'shelfguard/(tests|node_modules)/'; then echo "the plugin package carries development files" >&2; exit 1; fi
echo "plugin package: $zip_path ($(wc -c <"$zip_path") bytes)"
grep -q "'wp-api-fetch'" plugin/build/index.asset.php && grep -q "'wp-components'" plugin/build/index.asset.php \
  || { echo "plugin/build/index.asset.php does not list wp-api-fetch and wp-components" >&2; exit 1; }
# A CSS import in JavaScript would appear here as a script handle and WordPress would drop the app.
if grep -qE "'[^']*\.css'" plugin/build/index.asset.php; then echo "the asset file lists a stylesheet as a script dependency" >&2; exit 1; fi
echo "bundle: index.js $(wc -c <plugin/build/index.js) bytes ($(gzip -c plugin/build/index.js | wc -c) gzipped), index.css $(wc -c <plugin/build/index.css) bytes"
(cd admin-ui && npx wp-scripts test-unit-js --config jest.config.js --ci)

if [ ! -f plugin/vendor/autoload.php ]; then
  command -v composer >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq composer >/dev/null; }
  COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload -q -d plugin
fi
# The WordPress packages another lane already downloaded serve this site too.
if ! ls "$SHELFGUARD_WP_DIR"/debs/wordpress_*.deb >/dev/null 2>&1 && ls .wp-test/debs/wordpress_*.deb >/dev/null 2>&1; then
  mkdir -p "$SHELFGUARD_WP_DIR/debs" && cp .wp-test/debs/*.deb "$SHELFGUARD_WP_DIR/debs/"
fi
bash tests/setup/wordpress.sh install
trap 'bash tests/setup/wordpress.sh stop' EXIT
bash tests/setup/wordpress.sh start

rm -rf "$SHELFGUARD_SCREENSHOTS_DIR"
node_modules/.bin/tsx tests/admin-ui/e2e/admin-ui.e2e.ts

if [ "${SHELFGUARD_UPDATE_SCREENSHOTS:-0}" = 1 ]; then
  mkdir -p docs/screenshots
  for name in "${readme_screenshots[@]}"; do cp "$SHELFGUARD_SCREENSHOTS_DIR/$name.png" "docs/screenshots/admin-$name.png"; done
  echo "copied ${readme_screenshots[*]} screenshots into docs/screenshots/"
else
  echo "screenshots in $SHELFGUARD_SCREENSHOTS_DIR (SHELFGUARD_UPDATE_SCREENSHOTS=1 copies the README's into docs/screenshots/)"
fi

if grep -E "PHP (Fatal|Warning|Parse)" "$SHELFGUARD_WP_DIR/debug.log" 2>/dev/null; then
  echo "the admin UI's test site logged PHP errors (above)" >&2
  exit 1
fi
