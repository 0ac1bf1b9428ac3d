#!/usr/bin/env bash
# The test command: install what the tests need (Python packages, Debian's chromium), then
#   ruff check · ruff format --check · mypy (strict: core, forms, store) · notebooks stored
#   without outputs · pytest tests/
# Extra arguments go to pytest (e.g. bash test.sh -m "not e2e", or bash test.sh tests/unit/test_forms.py
# for one file). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
PY="$VENV/bin/python"

# --- Python environment -------------------------------------------------------------------
bash tools/install.sh requirements-test.txt  # the lock CI tested: see tools/lock.sh

# --- Debian packages: Chromium for the browser tests (Debian's package; Playwright downloads nothing) -------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
# WeasyPrint (PDF records and reports) needs Pango; the record tests read PDFs with poppler's pdftotext/pdftoppm
for pkg in libpango-1.0-0 libpangoft2-1.0-0 poppler-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# PostgreSQL: the store suite runs on it too (tests/support/pgserver.py starts a private server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# the Hub tests install the people's servers' copy with Debian's Python (deploy/jupyterhub/install.sh)
dpkg -s python3-venv >/dev/null 2>&1 || need_apt+=(python3-venv)
# npm fetches axe-core for the accessibility tests
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# OpenLDAP for the Hub's LDAP log-in test (tests/support/ldap_server.py starts a private slapd; its
# certificates are made with openssl)
[ -x /usr/sbin/slapd ] || need_apt+=(slapd)
command -v ldapsearch >/dev/null 2>&1 || need_apt+=(ldap-utils)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "== installing ${need_apt[*]} with apt-get"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if [[ " ${need_apt[*]} " == *" slapd "* ]]; then
    # no directory of the machine's own (its postinst would make one and start it on port 389):
    # the tests bring theirs
    echo "slapd slapd/no_configuration boolean true" | $SUDO debconf-set-selections
  fi
  $SUDO apt-get update
  # through env: sudo drops DEBIAN_FRONTEND from the environment, and debconf would then ask
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_apt[@]}"
fi

# --- JupyterHub's proxy for the Hub test, from the npm registry into .cache/chp ------------
CHP=.cache/chp/node_modules/.bin/configurable-http-proxy
if [ ! -x "$CHP" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "== installing npm with apt-get"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y npm
  fi
  echo "== installing configurable-http-proxy from the npm registry into .cache/chp"
  mkdir -p .cache/chp
  npm install --prefix .cache/chp --no-audit --no-fund --loglevel=error configurable-http-proxy@4
fi

# --- checks: each runs even when an earlier one failed; the exit code says if any did --------
failed=()
step() {
  local name="$1"
  shift
  echo "== $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

notebooks_have_no_outputs() {
  shopt -s nullglob
  local notebooks=(notebooks/*.ipynb)
  shopt -u nullglob
  if [ "${#notebooks[@]}" -eq 0 ]; then
    echo "no notebooks"
    return 0
  fi
  # --keep-id: stable, named cell ids ("app") are fine; outputs, counts and metadata are not
  "$VENV/bin/nbstripout" --verify --keep-id "${notebooks[@]}"
}

step "ruff check" "$VENV/bin/ruff" check .
step "ruff format --check" "$VENV/bin/ruff" format --check .
# strict on the layers everything else stands on; pyproject.toml's [tool.mypy] says how
step "mypy (strict: core, forms, store)" "$VENV/bin/mypy" toolkit/core toolkit/forms toolkit/store
step "notebooks stored without outputs (nbstripout --verify)" notebooks_have_no_outputs
# no path given: pytest takes pyproject.toml's testpaths (tests/); a path given runs only that
step "pytest" "$PY" -m pytest "$@"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "All checks passed."
