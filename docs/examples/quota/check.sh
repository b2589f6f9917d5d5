#!/usr/bin/env bash
# Re-runs every worked example of docs/quota.md with the real CLI and compares the outputs with
# the expected files kept next to each example, so that the documentation stays true.
#
#   docs/examples/quota/check.sh [SPM]   SPM: the spm binary (default: $SPM, else build/bin/spm)
#
# An example folder holds its input files and args.txt: the `spm quota ACTION` arguments (one
# line, file names relative to the folder, no --out). ACTION is the word in action.txt, or
# allocate when there is no action.txt. What is compared, by action:
#
#   allocate  quotas.csv = expected_quotas.csv; trace.csv = expected_trace.csv when it exists.
#             explain.txt (optional) lists node ids, one a line: `spm quota explain ARGS --rep ID`
#             for each, concatenated, must equal expected_explain.txt.
#   phase     period_quotas.csv = expected_period_quotas.csv
#   capacity  capacity.csv = expected_capacity.csv
#   fairness  fairness.csv = expected_fairness.csv
#
# For every action: rejects.csv = expected_rejects.csv when it exists, else it must be empty (a
# header only); the exit status must be the number in expected_exit.txt (default 0); and when
# expected_stdout.txt exists, the printed summary must equal it (with the output folder written
# as OUT).
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
  action=allocate
  [ -f "$dir/action.txt" ] && action=$(tr -d '[:space:]' < "$dir/action.txt")
  read -r -a args < "$dir/args.txt"
  out="$tmp/$name"
  (cd "$dir" && "$spm" quota "$action" "${args[@]}" --out "$out") > "$tmp/log" 2>&1
  status=$?
  want=0
  [ -f "$dir/expected_exit.txt" ] && want=$(tr -d '[:space:]' < "$dir/expected_exit.txt")
  if [ "$status" != "$want" ]; then
    echo "FAIL $name: spm quota $action exited $status, expected $want"
    cat "$tmp/log"
    failed=$((failed + 1))
    continue
  fi
  ok=1
  case "$action" in
    allocate) pairs="quotas trace" ;;
    phase) pairs="period_quotas" ;;
    capacity) pairs="capacity" ;;
    fairness) pairs="fairness" ;;
    *) echo "FAIL $name: unknown action '$action' in action.txt"; failed=$((failed + 1)); continue ;;
  esac
  first=1
  for f in $pairs; do
    if [ -f "$dir/expected_$f.csv" ]; then
      compare "$dir/expected_$f.csv" "$out/$f.csv" "$name: $f.csv" || ok=0
    elif [ "$first" = 1 ]; then
      echo "FAIL $name: no expected_$f.csv"
      ok=0
    fi
    first=0
  done
  compare_rejects "$dir" "$out" "$name" || ok=0
  if [ -f "$dir/expected_stdout.txt" ]; then
    compare_stdout "$dir/expected_stdout.txt" "$tmp/log" "$out" "$name" || ok=0
  fi
  if [ -f "$dir/explain.txt" ]; then
    : > "$tmp/explain"
    while read -r node; do
      [ -n "$node" ] || continue
      (cd "$dir" && "$spm" quota explain "${args[@]}" --rep "$node") >> "$tmp/explain" 2>&1
    done < "$dir/explain.txt"
    compare "$dir/expected_explain.txt" "$tmp/explain" "$name: explain" || ok=0
  fi
  if [ "$ok" = 1 ]; then
    echo "ok   $name"
  else
    failed=$((failed + 1))
  fi
done

echo "$checked checks, $failed failed"
[ "$failed" -eq 0 ]
