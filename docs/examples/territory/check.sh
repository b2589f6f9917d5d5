#!/usr/bin/env bash
# Re-runs the worked examples of docs/territory.md ("Command line") with the real CLI and
# compares the outputs with the expected files kept next to each example.
#
#   docs/examples/territory/check.sh [SPM]   SPM: the spm binary (default: $SPM, else build/bin/spm)
#
# An example folder holds its input files and args.txt: the `spm territory evaluate` arguments
# (one line, file names relative to the folder, no --out). Compared: territories.csv =
# expected_territories.csv; rejects.csv = expected_rejects.csv when it exists, else it must be
# empty (a header only); the printed summary = expected_stdout.txt (the output folder written as
# OUT). Only evaluate is checked here: its numbers are exact and worked by hand, while balance's
# depend on the solver (tests/cli checks its files and columns).
#
# Exit status: 0 when everything matches, 1 on any difference (shown as a diff), 2 on usage.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=docs/examples/check_common.sh
source "$root/docs/examples/check_common.sh" "$@"

for dir in "$here"/*/; do
  dir=${dir%/}
  name=$(basename "$dir")
  [ -f "$dir/args.txt" ] || continue
  checked=$((checked + 1))
  read -r -a args < "$dir/args.txt"
  out="$tmp/$name"
  if ! (cd "$dir" && "$spm" territory evaluate "${args[@]}" --out "$out") > "$tmp/log" 2>&1; then
    echo "FAIL $name: spm territory evaluate failed"
    cat "$tmp/log"
    failed=$((failed + 1))
    continue
  fi
  ok=1
  compare "$dir/expected_territories.csv" "$out/territories.csv" "$name: territories.csv" || ok=0
  compare_rejects "$dir" "$out" "$name" || ok=0
  compare_stdout "$dir/expected_stdout.txt" "$tmp/log" "$out" "$name" || ok=0
  if [ "$ok" = 1 ]; then echo "ok   $name"; else failed=$((failed + 1)); fi
done

echo "$checked checks, $failed failed"
[ "$failed" -eq 0 ]
