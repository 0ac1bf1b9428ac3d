#!/usr/bin/env bash
# Refresh the lock: every package that run.sh (requirements.txt) and test.sh and CI
# (requirements-test.txt) install, pinned to one version with the sha256 of each of its files on
# PyPI, for every platform and for each Python that pyproject.toml's requires-python allows.
#   bash tools/lock.sh             # follow pyproject.toml, keeping every pin it still allows
#   bash tools/lock.sh --upgrade   # the newest version of everything (then run bash test.sh)
#   bash tools/lock.sh --upgrade-package jupyterhub
# Extra arguments go to `uv pip compile`. uv is used to write the lock only; installing from it
# needs nothing but pip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION=0.13.9
TOOLS=.cache/lock-tools
UV="$TOOLS/bin/uv"
if [ "$("$UV" --version 2>/dev/null | cut -d" " -f2)" != "$UV_VERSION" ]; then
  echo "== installing uv $UV_VERSION into $TOOLS" >&2
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi

# The lowest Python the toolkit supports: the lock forks where a newer Python gets newer releases.
python_floor="$(sed -n 's/^requires-python = ">=\([0-9.]*\)".*/\1/p' pyproject.toml)"

compile() {
  local output="$1"
  shift
  "$UV" pip compile --quiet pyproject.toml tools/installers.in "$@" \
    --universal --python-version "$python_floor" --generate-hashes \
    --index-url https://pypi.org/simple \
    --custom-compile-command "bash tools/lock.sh" --output-file "$output"
}

# the test lock first, then the runtime lock within it: the two give a package the same version
compile requirements-test.txt --extra test --extra postgres "$@"
compile requirements.txt --constraints requirements-test.txt "$@"
echo "Locked: requirements.txt ($(grep -c '==' requirements.txt) pins)," \
  "requirements-test.txt ($(grep -c '==' requirements-test.txt) pins)." >&2
