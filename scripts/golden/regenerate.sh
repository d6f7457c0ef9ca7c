#!/usr/bin/env bash
# Regenerate every golden file from its generator (Debian's python3 with scipy and statsmodels), then fail if
# anything differs from what is committed by more than a few units in the last place (numpy's kernels differ by
# CPU; scripts/golden/compare.py says why that is the right bar). Files that reproduce are restored byte for byte,
# so the work tree stays clean; files that do not are left regenerated for `git diff`.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
$PY scripts/golden/native_hash.py > tests/golden/native-hash.json
$PY scripts/golden/runtime_assignments.py > tests/golden/runtime-assignments.json
$PY scripts/golden/stats.py
$PY scripts/golden/stats_tails.py
$PY scripts/golden/attribution.py
$PY tests/report/quantile_golden.py
files=(tests/golden/*.json tests/report/quantile.golden.json)
if ! $PY scripts/golden/compare.py "${files[@]}"; then
  echo "golden files differ from their generators' output (see above; git diff shows the regenerated files)" >&2
  exit 1
fi
git checkout -- "${files[@]}"
echo "golden files reproduce"
