#!/usr/bin/env bash
# Installs and starts what the test lanes need on a fresh Debian machine of this kind: PHP with
# the extensions WordPress and the plugin use, PHPUnit, PHP_CodeSniffer, Chromium; MariaDB when it
# does not answer. Needs root for apt-get; otherwise it says what is missing and fails.
set -euo pipefail

need_packages=()
command -v php >/dev/null 2>&1 || need_packages+=(php-cli)
for ext in mysqli xml mbstring curl; do
  if command -v php >/dev/null 2>&1 && ! php -m 2>/dev/null | grep -qi "^${ext}\$"; then
    case "$ext" in mysqli) need_packages+=(php-mysql);; *) need_packages+=("php-${ext}");; esac
  fi
done
command -v php >/dev/null 2>&1 || need_packages+=(php-mysql php-xml php-mbstring php-curl)
command -v phpunit >/dev/null 2>&1 || need_packages+=(phpunit)
command -v phpcs >/dev/null 2>&1 || need_packages+=(php-codesniffer)
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
command -v zip >/dev/null 2>&1 || need_packages+=(zip)
command -v unzip >/dev/null 2>&1 || need_packages+=(unzip)
command -v composer >/dev/null 2>&1 || need_packages+=(composer)

if [ "${#need_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${need_packages[*]} — install them (apt-get install ${need_packages[*]}) or run as root" >&2
    exit 1
  fi
  echo "installing Debian packages: ${need_packages[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
fi

mariadb_answers() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1' >/dev/null 2>&1; }
if ! mariadb_answers; then
  if [ "$(id -u)" -ne 0 ] || [ ! -x /usr/sbin/mariadbd ]; then
    echo "MariaDB does not answer on 127.0.0.1:3306 and cannot be started from here" >&2
    exit 1
  fi
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do mariadb_answers && break; sleep 0.5; done
  mariadb_answers || { echo "MariaDB did not come up within 30 s" >&2; exit 1; }
fi
mariadb -h 127.0.0.1 -u root -e 'CREATE DATABASE IF NOT EXISTS test' >/dev/null

# A fresh clone has no node_modules: install exactly what the lock file records.
[ -d node_modules ] || npm ci --no-audit --no-fund
