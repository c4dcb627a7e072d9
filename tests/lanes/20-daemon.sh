#!/usr/bin/env bash
# The daemon's jest suites: ledger on SQLite and MariaDB, HTTP API, channels and sandboxes.
set -euo pipefail
node --experimental-vm-modules node_modules/jest/bin/jest.js --ci
