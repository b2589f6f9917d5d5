#!/usr/bin/env bash
# Re-runs every worked example of docs/plan-format.md with the real CLI and compares the outputs
# with the expected files kept next to each example, so that the documentation stays true.
#
#   docs/examples/check.sh [SPM]       SPM: the spm binary (default: $SPM, else build/bin/spm)
#
# An example folder holds plan.json (and plan-v2.json ... for plan versions), transactions.csv, quotas.csv, optional credits.csv,
# credit_rules.csv, assignments.csv, scores.csv, hierarchy.csv, relationships.csv, fx_rates.csv,
# and period.txt (the --period of the run). With settle.txt it is a lifecycle example (`spm comp
# settle`, with adjustments.csv, draws.csv, cancellations.csv, events.csv, terminations.csv,
# paid.csv, payees.csv as given) and expected_pay.csv, expected_pay_lines.csv, expected_held.csv
# are compared too; with a variants/ folder it is a what-if (`spm comp whatif`, quota factors in
# quota_factors.txt) and only expected_whatif.csv is compared.
# The run's statements.csv must equal expected_statements.csv; lines.csv and rejects.csv are
# compared too when expected_lines.csv / expected_rejects.csv exist (an example without
# expected_rejects.csv must reject nothing). explain.txt (optional) lists "payee period" pairs
# whose `spm comp explain` output must equal expected_explain.txt.
# validation/ holds invalid plans: `spm comp validate` output plus "exit N" must equal
# NAME.expected.txt for each NAME.json.
#
# Exit status: 0 when everything matches, 1 on any difference (shown as a diff), 2 on usage.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=docs/examples/check_common.sh
source "$root/docs/examples/check_common.sh" "$@"

for dir in "$here"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/period.txt" ] || continue
  checked=$((checked + 1))
  out="$tmp/$name"
  args=()
  for plan in "$dir"/plan*.json; do args+=(--plan "$(basename "$plan")"); done  # versions
  args+=(--transactions transactions.csv --quotas quotas.csv)
  for extra in credits credit_rules assignments scores hierarchy relationships fx_rates \
               adjustments draws cancellations events terminations paid payees; do
    [ -f "$dir/$extra.csv" ] && args+=("--${extra//_/-}" "$extra.csv")
  done
  # settle.txt marks a lifecycle example (spm comp settle); variants/ a what-if example.
  action=run
  [ -f "$dir/settle.txt" ] && action=settle
  if [ -d "$dir/variants" ]; then
    action=whatif
    for v in "$dir"/variants/*.json; do args+=(--variant "variants/$(basename "$v")"); done
    [ -f "$dir/quota_factors.txt" ] && while read -r qf; do
      [ -n "$qf" ] && args+=(--quota-factor "$qf")
    done < "$dir/quota_factors.txt"
  fi
  period=$(tr -d '[:space:]' < "$dir/period.txt")
  if ! (cd "$dir" && "$spm" comp "$action" "${args[@]}" --period "$period" --out "$out" > "$tmp/log" 2>&1); then
    echo "FAIL $name: spm comp $action failed"
    cat "$tmp/log"
    failed=$((failed + 1))
    continue
  fi
  ok=1
  if [ "$action" = whatif ]; then
    compare "$dir/expected_whatif.csv" "$out/whatif.csv" "$name: whatif.csv" || ok=0
    if [ "$ok" = 1 ]; then echo "ok   $name"; else failed=$((failed + 1)); fi
    continue
  fi
  for f in pay pay_lines held; do
    if [ -f "$dir/expected_$f.csv" ]; then compare "$dir/expected_$f.csv" "$out/$f.csv" "$name: $f.csv" || ok=0; fi
  done
  compare "$dir/expected_statements.csv" "$out/statements.csv" "$name: statements.csv" || ok=0
  if [ -f "$dir/expected_lines.csv" ]; then
    compare "$dir/expected_lines.csv" "$out/lines.csv" "$name: lines.csv" || ok=0
  fi
  compare_rejects "$dir" "$out" "$name" || ok=0
  if [ -f "$dir/explain.txt" ]; then
    : > "$tmp/explain"
    while read -r payee p; do
      [ -n "$payee" ] || continue
      (cd "$dir" && "$spm" comp explain "${args[@]}" --payee "$payee" --period "$p") >> "$tmp/explain" 2>&1
    done < "$dir/explain.txt"
    compare "$dir/expected_explain.txt" "$tmp/explain" "$name: explain" || ok=0
  fi
  if [ "$ok" = 1 ]; then echo "ok   $name"; else failed=$((failed + 1)); fi
done

if [ -d "$here/validation" ]; then
  for plan in "$here"/validation/*.json; do
    checked=$((checked + 1))
    base=${plan%.json}
    label="validation/$(basename "$plan")"
    (cd "$here/validation" && "$spm" comp validate --plan "$(basename "$plan")"; echo "exit $?") > "$tmp/validate" 2>&1
    if compare "$base.expected.txt" "$tmp/validate" "$label"; then
      echo "ok   $label"
    else
      failed=$((failed + 1))
    fi
  done
fi

checked=$((checked + 1))
if (cd "$here" && "$spm" comp validate --plan demo-plan.json) > "$tmp/demo" 2>&1; then
  echo "ok   demo-plan.json is valid"
else
  echo "FAIL demo-plan.json does not validate"
  cat "$tmp/demo"
  failed=$((failed + 1))
fi

echo "$checked checks, $failed failed"
[ "$failed" -eq 0 ]
