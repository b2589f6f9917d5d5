#!/usr/bin/env bash
# Fresh machine to a running demo: installs what is missing, builds ./build, runs `spm demo`.
# Arguments go to `spm demo` (e.g. --size large --seed 7 --out DIR).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/configure.sh
cmake --build build --target spm_cli -j "$(nproc)"
exec build/bin/spm demo "$@"
