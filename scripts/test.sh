#!/usr/bin/env bash
# Installs what is missing, builds, runs every C++ test (ctest) and every Python test (pytest).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/configure.sh
jobs=$(nproc)
cmake --build build -j "$jobs"

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
set +e
ctest --test-dir build --output-on-failure -j "$jobs" 2>&1 | tee "$log/ctest.txt"
ctest_rc=${PIPESTATUS[0]}
set -e

.venv/bin/python -m pip install --quiet --no-build-isolation "$root"
set +e
.venv/bin/python -m pytest tests/python -q -p no:cacheprovider 2>&1 | tee "$log/pytest.txt"
pytest_rc=${PIPESTATUS[0]}
set -e

echo
echo "== summary =="
echo "ctest:  $(grep -E 'tests passed|tests failed' "$log/ctest.txt" | tail -1)"
echo "pytest: $(tail -1 "$log/pytest.txt")"
[ "$ctest_rc" -eq 0 ] && [ "$pytest_rc" -eq 0 ]
