# Shared by the example checkers (sourced, not run): finds the spm binary, makes a scratch folder
# and defines compare. Before sourcing, set `root` to the repository root; takes the binary from
# the checker's first argument, $SPM, or build/bin/spm.
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
