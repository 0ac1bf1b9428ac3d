#!/usr/bin/env bash
# The run command: serve the toolkit's notebooks with Voilà on http://127.0.0.1:8866/.
#   bash run.sh [--port 8866] [--data-dir DIR] [--no-demo]
# Creates .venv when missing and installs the locked requirements.txt only when it (or
# pyproject.toml) changed: see tools/install.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

bash tools/install.sh requirements.txt

exec .venv/bin/python -m toolkit serve "$@"
