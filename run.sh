#!/usr/bin/env bash
# The run command: serve the toolkit's notebooks with Voilà on http://127.0.0.1:8866/.
#   bash run.sh [--port 8866] [--data-dir DIR] [--no-demo]
# Creates .venv when missing and (re)installs the project only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating the virtual environment in $VENV" >&2
  python3 -m venv "$VENV"
fi

stamp="$VENV/.sos-toolkit-run.stamp"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing the toolkit and its dependencies into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e .
  echo "$wanted" > "$stamp"
fi

exec "$VENV/bin/python" -m toolkit serve "$@"
