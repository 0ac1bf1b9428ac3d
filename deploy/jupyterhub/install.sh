#!/usr/bin/env bash
# Install the toolkit for the people's servers on the Hub: PREFIX/app (the code, forms and
# notebooks) and PREFIX/venv (a virtual environment of Debian's Python 3 with the toolkit's
# dependencies and jupyterhub-singleuser). Run it as root: the files are root's, readable by
# every server's account and writable by none. Run it again after each update of the toolkit.
#
#   deploy/jupyterhub/install.sh [PREFIX]          PREFIX defaults to /opt/sos-toolkit
#
# SOS_TOOLKIT_PYTHON   the Python that makes the environment (default /usr/bin/python3)
# SOS_TOOLKIT_VENV     keep the environment there instead (PREFIX/venv then links to it)
# SOS_HUB_JUPYTERHUB   the jupyterhub requirement (default: the Hub's own version, from .venv)
# The environment is rebuilt only when pyproject.toml, the Python or that requirement changes.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="${1:-/opt/sos-toolkit}"
PYTHON="${SOS_TOOLKIT_PYTHON:-/usr/bin/python3}"
VENV="${SOS_TOOLKIT_VENV:-$PREFIX/venv}"
if [ -z "${SOS_HUB_JUPYTERHUB:-}" ]; then
  hub_version="$("$REPO/.venv/bin/python" -c 'import jupyterhub; print(jupyterhub.__version__)' 2>/dev/null || true)"
  SOS_HUB_JUPYTERHUB="jupyterhub${hub_version:+==$hub_version}"
fi
umask 022
mkdir -p "$PREFIX" "$(dirname "$VENV")"
chmod 755 "$PREFIX"

# --- the virtual environment ---------------------------------------------------------------
wanted="$({ cat "$REPO/pyproject.toml"; "$PYTHON" --version; echo "$SOS_HUB_JUPYTERHUB"; } | sha256sum | cut -d' ' -f1)"
(
  flock 9  # two installs into one environment wait for each other
  if [ "$(cat "$VENV/.sos-toolkit.stamp" 2>/dev/null || true)" != "$wanted" ]; then
    echo "== making $VENV with $PYTHON"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$PYTHON" - "$REPO/pyproject.toml" >"$VENV/requirements.txt" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["postgres"]))
PY
    echo "$SOS_HUB_JUPYTERHUB" >>"$VENV/requirements.txt"
    "$VENV/bin/pip" install --quiet --requirement "$VENV/requirements.txt"
    echo "$wanted" >"$VENV/.sos-toolkit.stamp"
  fi
) 9>"$VENV.lock"
if [ "$VENV" != "$PREFIX/venv" ]; then
  ln -sfn "$VENV" "$PREFIX/venv"
fi

# --- the toolkit: code, forms, notebooks ------------------------------------------------------
new="$PREFIX/app.new.$$"
old="$PREFIX/app.old.$$"
rm -rf "$new"
mkdir "$new"
cp -r "$REPO/toolkit" "$REPO/forms" "$REPO/notebooks" "$REPO/pyproject.toml" "$new/"
find "$new" \( -name __pycache__ -o -name .ipynb_checkpoints \) -prune -exec rm -rf {} +
if [ -e "$PREFIX/app" ]; then mv "$PREFIX/app" "$old"; fi
mv "$new" "$PREFIX/app"
rm -rf "$old"
"$VENV/bin/python" -m compileall -q "$PREFIX/app/toolkit"  # the accounts cannot write bytecode
# Where the servers and their kernels look for configuration instead of a person's home, all
# root's: Jupyter's configuration folder (JUPYTER_CONFIG_DIR, empty), IPython's profile (empty;
# its security and pid folders as IPython makes them), and the kernel that Voilà starts, which
# uses that profile, keeps no history and never drops a widget message (toolkit/server/kernel.py;
# found first through JUPYTER_PATH)
mkdir -p "$PREFIX/etc/jupyter" "$PREFIX/etc/ipython/profile_default/startup" \
  "$PREFIX/etc/ipython/profile_default/log" "$PREFIX/share/jupyter/kernels/python3"
cat >"$PREFIX/share/jupyter/kernels/python3/kernel.json" <<JSON
{
  "argv": ["$PREFIX/venv/bin/python", "-m", "toolkit.server.kernel", "-f", "{connection_file}",
           "--ipython-dir=$PREFIX/etc/ipython",
           "--ProfileDir.location=$PREFIX/etc/ipython/profile_default",
           "--HistoryManager.enabled=False"],
  "display_name": "Python 3 (ipykernel)",
  "language": "python",
  "metadata": {"debugger": false}
}
JSON
chmod -R u+rwX,go+rX,go-w "$PREFIX/app" "$PREFIX/etc/jupyter" "$PREFIX/share"
chmod -R go+rX,go-w "$PREFIX/etc/ipython"
install -d -m 700 "$PREFIX/etc/ipython/profile_default/security" "$PREFIX/etc/ipython/profile_default/pid"

PYTHONPATH="$PREFIX/app" "$PREFIX/venv/bin/python" -c \
  'import jupyterhub.singleuser, voila, toolkit.hub.authorizer, toolkit.hub.guard, toolkit.server.quick_start'
echo "The toolkit is installed in $PREFIX."
