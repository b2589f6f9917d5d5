#!/usr/bin/env bash
# Installs what libspm needs to build and test, and nothing when it is all present.
# System packages come from apt (Debian 12/13, Ubuntu); Python tools go into ./.venv so that a
# Python that refuses global pip installs (PEP 668) is never touched.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

apt_packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-program-options-dev libeigen3-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libyaml-cpp-dev
  python3 python3-dev python3-venv python3-pip
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
    $sudo apt-get update
    $sudo apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# Python: a project virtual environment. SPM_PYTHON picks the interpreter (default python3).
venv="$root/.venv"
python="${SPM_PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  echo "install-deps: creating $venv"
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" - "$root/scripts/requirements-dev.txt" <<'PY' 2>/dev/null
import sys, importlib.metadata as md, re
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, _, floor = re.split(r"(>=)", line)
    have = md.version(name)
    want = tuple(int(x) for x in floor.split("."))
    got = tuple(int(re.match(r"\d+", x).group()) for x in have.split(".")[:len(want)])
    if got < want:
        raise SystemExit(1)
PY
then
  echo "install-deps: installing Python tools into $venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -r "$root/scripts/requirements-dev.txt"
fi
