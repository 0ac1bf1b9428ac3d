#!/usr/bin/env bash
# Install a lock into .venv, exactly: every package at its locked version, checked against its
# locked sha256, then the toolkit itself (editable, no dependencies of its own choosing).
#   bash tools/install.sh requirements.txt        # what run.sh needs
#   bash tools/install.sh requirements-test.txt   # what test.sh and CI need
# Creates .venv when missing; installs only when the lock or pyproject.toml changed since the
# last install of that lock (a stamp in .venv). Refresh a lock with: bash tools/lock.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

lock="${1:?which lock: requirements.txt or requirements-test.txt}"
VENV=.venv
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  echo "== creating $VENV" >&2
  python3 -m venv "$VENV"
fi

stamp="$VENV/.sos-toolkit-${lock%.txt}.stamp"
wanted="$(cat "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi

echo "== installing $lock into $VENV" >&2
# the locked pip first, so that every machine installs the rest with the installer CI used
pip_lock="$VENV/.sos-toolkit-pip.txt"
awk '/^pip==/ {keep = 1} keep && /^[^ ]/ && !/^pip==/ {exit} keep' "$lock" > "$pip_lock"
"$PY" -m pip install --quiet --require-hashes --no-deps -r "$pip_lock"
"$PY" -m pip install --quiet --require-hashes -r "$lock"
# the build backend is the locked setuptools just installed: nothing is fetched for the build
"$PY" -m pip install --quiet --no-deps --no-build-isolation -e .
# a lock older than pyproject.toml (a dependency added or its floor raised) shows here
case "$lock" in
  requirements-test.txt) extras=(test postgres) ;;  # as tools/lock.sh compiles it
  *) extras=() ;;
esac
if ! "$PY" tools/lock_check.py "${extras[@]}"; then
  echo "$lock does not satisfy pyproject.toml: refresh it with bash tools/lock.sh" >&2
  exit 1
fi
echo "$wanted" > "$stamp"
