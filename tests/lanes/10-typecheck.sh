#!/usr/bin/env bash
# TypeScript strict type check of the daemon and its tests.
set -euo pipefail
npx tsc -p tsconfig.json --noEmit
