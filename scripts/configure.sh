#!/usr/bin/env bash
# Configures ./build the same way for scripts/demo.sh and scripts/test.sh, so switching between
# them never rebuilds from scratch. Extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [ ! -f "$root/build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$root/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSPM_WERROR=ON "$@"
else
  cmake -S "$root" -B "$root/build" "$@" >/dev/null
fi
