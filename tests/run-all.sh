#!/usr/bin/env bash
# The whole test suite: what the README's second command and CI run. It installs and starts what
# the lanes need (tests/setup/ensure-env.sh), then runs every lane in tests/lanes/ in order and
# ends with one summary line. A lane is a script that exits non-zero when any of its tests fail.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tests/setup/ensure-env.sh || { echo "shelfguard tests: the environment could not be prepared (see above)" >&2; exit 1; }

passed=0; failed=0; failed_lanes=()
for lane in tests/lanes/*.sh; do
  name=$(basename "$lane" .sh)
  echo "=== lane ${name} ==="
  started=$(date +%s)
  if bash "$lane"; then
    passed=$((passed + 1)); echo "=== lane ${name}: passed in $(( $(date +%s) - started )) s ==="
  else
    failed=$((failed + 1)); failed_lanes+=("$name"); echo "=== lane ${name}: FAILED after $(( $(date +%s) - started )) s ==="
  fi
done

[ "$failed" -eq 0 ] || echo "failed lanes: ${failed_lanes[*]}"
echo "lanes: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
