# Shared by the example checkers (sourced, not run): finds the spm binary, makes a scratch folder
# and defines compare. Before sourcing, set `root` to the repository root; takes the binary from
# the checker's first argument, $SPM, or build/bin/spm. Also compare_rejects and
# compare_stdout for the pieces every checker compares.
spm=${1:-${SPM:-$root/build/bin/spm}}
case "$spm" in /*) ;; *) spm="$PWD/$spm" ;; esac
if [ ! -x "$spm" ]; then
  echo "check.sh: no spm binary at $spm (build the spm_cli target or pass its path)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
checked=0

compare() {  # compare EXPECTED ACTUAL LABEL: shows the diff and returns 1 when they differ
  if ! diff -u "$1" "$2" > "$tmp/diff"; then
    echo "FAIL $3"
    cat "$tmp/diff"
    return 1
  fi
  return 0
}

compare_rejects() {  # compare_rejects DIR OUT LABEL: OUT/rejects.csv = DIR/expected_rejects.csv, else header only
  if [ -f "$1/expected_rejects.csv" ]; then
    compare "$1/expected_rejects.csv" "$2/rejects.csv" "$3: rejects.csv"
  elif [ -f "$2/rejects.csv" ] && [ "$(wc -l < "$2/rejects.csv")" -gt 1 ]; then
    echo "FAIL $3: unexpected rejects"
    cat "$2/rejects.csv"
    return 1
  fi
}

compare_stdout() {  # compare_stdout EXPECTED LOG OUT LABEL: the printed summary, with OUT written as OUT
  sed "s|$3|OUT|g" "$2" > "$tmp/stdout"
  compare "$1" "$tmp/stdout" "$4: printed summary"
}
