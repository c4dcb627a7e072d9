#!/usr/bin/env bash
# Builds the installable WordPress plugin: the admin UI compiled into plugin/build/ (the folder is
# generated, never committed), the plugin's own class-map autoloader, and a zip of plugin/ under
# the folder name WordPress expects (shelfguard/), without tests or development files.
# Usage: npm run package:plugin  → var/dist/shelfguard-<version>.zip
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^ \* Version:[[:space:]]*//p' plugin/shelfguard.php | head -n 1)
[ -n "$version" ] || { echo "plugin/shelfguard.php has no 'Version:' header" >&2; exit 1; }
command -v composer >/dev/null 2>&1 || { echo "composer is needed to generate the plugin's autoloader (apt-get install composer)" >&2; exit 1; }
command -v zip >/dev/null 2>&1 || { echo "zip is needed to package the plugin (apt-get install zip)" >&2; exit 1; }

# Only the package's path goes to stdout (callers read it); installing and building talk on stderr.
[ -d admin-ui/node_modules ] || (cd admin-ui && npm ci --no-audit --no-fund) >&2
(cd admin-ui && npm run --silent build >&2)
grep -q "'wp-components'" plugin/build/index.asset.php || { echo "the admin UI build did not write plugin/build/index.asset.php" >&2; exit 1; }
COMPOSER_ALLOW_SUPERUSER=1 composer dump-autoload -q --optimize -d plugin

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/shelfguard"
# What a site needs: the bootstrap, the classes, the built UI, the autoloader, the readme.
cp -R plugin/shelfguard.php plugin/uninstall.php plugin/readme.txt plugin/src plugin/build plugin/vendor "$staging/shelfguard/"
mkdir -p var/dist
out="$PWD/var/dist/shelfguard-$version.zip"
rm -f "$out"
(cd "$staging" && zip -qr "$out" shelfguard)
echo "$out ($(wc -c <"$out") bytes)"
