#!/usr/bin/env bash
# Regenerate every golden file from its generator (Debian's python3 with scipy and statsmodels), then fail if
# anything differs from what is committed: the goldens are only as good as their reproducibility.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
$PY scripts/golden/native_hash.py > tests/golden/native-hash.json
$PY scripts/golden/runtime_assignments.py > tests/golden/runtime-assignments.json
$PY scripts/golden/stats.py
$PY scripts/golden/attribution.py
$PY tests/report/quantile_golden.py
if ! git diff --exit-code --stat -- tests/golden tests/report/quantile.golden.json; then
  echo "golden files differ from their generators' output (see the diff above)" >&2
  exit 1
fi
echo "golden files reproduce exactly"
