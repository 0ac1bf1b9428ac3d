"""Serve the notebooks with Voilà, set up for use by a team rather than for development.

:func:`voila_command` builds the command line; :func:`serve` prepares the store and then
replaces this process with Voilà (so signals and exit codes are Voilà's own).

The deployment settings (all confirmed against Voilà 0.5's ``voila/app.py`` and
``voila/configuration.py``, and jupyter_server's ``MappingKernelManager``):

- ``--Voila.ip=127.0.0.1``: listen on loopback only; a proxy or JupyterHub sits in front.
- ``--Voila.port_retries=0``: fail rather than silently take another port.
- ``--strip_sources=True``: code cells never reach the browser.
- ``--show_tracebacks=False``: errors are logged on the server, never shown to users.
- ``--VoilaConfiguration.allow_template_override=NO`` and ``allow_theme_override=NO``:
  ``?voila-template=`` / ``?voila-theme=`` in the address are ignored.
- ``--MappingKernelManager.cull_idle_timeout`` / ``cull_interval``: each page visit starts a
  kernel; one left idle (a tab left open overnight) is shut down.
- ``--VoilaConfiguration.template=sos-toolkit``: Voilà's lab page with the toolkit's honest
  connection state (:data:`TEMPLATE_ROOT`, found through ``JUPYTER_PATH``): a banner and every
  field marked not saved once the page's kernel or the server is gone.
- ``--VoilaConfiguration.http_header_envs=Cookie`` (standalone only): the page's kernel gets the
  request's ``Cookie:`` header as ``HTTP_COOKIE``, so it knows which browser's chosen person to
  show (:mod:`toolkit.store.chosen_people`). Under JupyterHub the Hub's login decides instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.config import REPO_DIR

if TYPE_CHECKING:
    from toolkit.store.upgrade import Upgrade

DEFAULT_PORT = 8866
#: The Jupyter data folder holding the toolkit's Voilà template (``voila/templates/sos-toolkit``)
TEMPLATE_ROOT = Path(__file__).parent / "share" / "jupyter"
TEMPLATE = "sos-toolkit"
NOTEBOOKS_DIR = REPO_DIR / "notebooks"
HOME_NOTEBOOK = "audit.ipynb"
#: Seconds a kernel may sit idle before it is shut down, and how often that is checked
#: (``SOS_TOOLKIT_CULL_IDLE_TIMEOUT`` / ``SOS_TOOLKIT_CULL_INTERVAL`` override them, e.g. in tests).
CULL_IDLE_TIMEOUT = 1800
CULL_INTERVAL = 60
#: Seconds Voilà waits for a page's output after its cell has run (Voilà's default is 4).
IOPUB_TIMEOUT = 60


def _seconds(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def voila_settings() -> list[str]:
    """Voilà and kernel options every deployment shares, standalone or under JupyterHub:
    no code, no tracebacks, no template or theme overrides from the address, idle kernels
    culled. (Full ``Class.trait`` names, so jupyter-server's Voilà extension takes them too.)"""
    cull_idle_timeout = _seconds("SOS_TOOLKIT_CULL_IDLE_TIMEOUT", CULL_IDLE_TIMEOUT)
    cull_interval = _seconds("SOS_TOOLKIT_CULL_INTERVAL", CULL_INTERVAL)
    return [
        f"--VoilaConfiguration.template={TEMPLATE}",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        # a kernel still busy after the timeout is left alone; a closed tab's kernel is not
        "--MappingKernelManager.cull_busy=False",
        # nor is an idle one behind a tab left open overnight: the page can reopen where it was
        "--MappingKernelManager.cull_connected=True",
        # when many pages open at once the kernels' output arrives late; Voilà's default wait
        # (4 s after the cell finishes) then drops the app's widgets and the page stays blank
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT}",
    ]


def deployment_settings(port: int = DEFAULT_PORT) -> list[str]:
    """Standalone Voilà for a shared deployment: loopback, a fixed port, then
    :func:`voila_settings`."""
    return [
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.http_header_envs=Cookie",  # which browser: its chosen person
        *voila_settings(),
    ] + (["--preheat_kernel=True"] if os.environ.get("SOS_TOOLKIT_PREHEAT") == "1" else [])


def voila_command(
    port: int = DEFAULT_PORT,
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    python: str = sys.executable,
) -> list[str]:
    """The full command line that starts Voilà on the notebooks folder (through
    :mod:`toolkit.server.quick_start`, which spares Voilà a second of start-up)."""
    return [
        python, "-m", "toolkit.server.quick_start", "voila", str(notebooks_dir),
        *deployment_settings(port),
    ]  # fmt: skip


def template_root(app: Path) -> Path:
    """Where :data:`TEMPLATE_ROOT` is in a copy of the toolkit at ``app`` (the Hub's)."""
    return app / TEMPLATE_ROOT.relative_to(REPO_DIR)


def with_template(jupyter_path: str | None) -> str:
    """``JUPYTER_PATH`` with the toolkit's template folder added (last: a deployment's own
    folders keep their precedence)."""
    folders = [f for f in (jupyter_path or "").split(os.pathsep) if f]
    if str(TEMPLATE_ROOT) not in folders:
        folders.append(str(TEMPLATE_ROOT))
    return os.pathsep.join(folders)


def urls(port: int = DEFAULT_PORT) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    return {"app": f"{base}/voila/render/{HOME_NOTEBOOK}", "tree": f"{base}/"}


def upgrade_embedded_store() -> Upgrade | None:
    """Upgrade the embedded SQLite store to this version's schema before anyone is served, so
    no page waits for it. None on PostgreSQL: only its owner upgrades it (``migrate``); the
    store checks it when opened."""
    from toolkit import config
    from toolkit.store import upgrade
    from toolkit.store.store import make_engine

    url = config.database_url()
    if not url.startswith("sqlite"):
        return None
    engine = make_engine(url)
    try:
        return upgrade.bring_up_to_date(engine)
    finally:
        engine.dispose()


def prepare_store(seed: bool = True) -> dict[str, Any]:
    """Create the tables (the store does so when opened) and, when it is empty, seed the demo:
    the named people, their six audits and two supervision sessions, then two years of other
    teams' past audits for the reports (:mod:`toolkit.demo.history`)."""
    from toolkit.demo.history import add_history
    from toolkit.demo.seed import seed_demo, seed_supervision
    from toolkit.store import Store

    if not seed:
        return {"created": False, "people": {}, "audits": {}}
    store = Store()
    try:
        seeded = seed_demo(store)
        if seeded["created"]:
            seeded["supervision"] = seed_supervision(store)
            seeded["history"] = add_history(store)
        return seeded
    finally:
        store.close()


def what_was_seeded(seeded: dict[str, Any]) -> str:
    """What :func:`prepare_store` added, in a sentence (the run command and ``seed-demo``)."""
    history = seeded["history"]
    return (
        f"added the demo people ({len(seeded['people'])}) and audits ({len(seeded['audits'])}), "
        f"{len(seeded['supervision'])} supervision sessions, "
        f"and for the reports {history['audits']} past audits of {history['people']} more "
        "people in other teams. All of it is fictional demonstration data."
    )


def use_data_dir(data_dir: Path | str | None) -> None:
    """Point this process, and the kernels Voilà will start, at ``data_dir``."""
    if data_dir is not None:
        path = Path(data_dir).expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        os.environ["SOS_TOOLKIT_DATA_DIR"] = str(path)


def serve(
    port: int = DEFAULT_PORT,
    data_dir: Path | str | None = None,
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    seed: bool = True,
) -> None:
    """Prepare the store, print where to go, then replace this process with Voilà."""
    from toolkit import config

    use_data_dir(data_dir)
    from toolkit.forms.loader import check_all

    check_all()  # a broken form stops here, with its message, before anyone is served
    upgraded = upgrade_embedded_store()  # a newer toolkit's database stops here, unchanged
    seeded = prepare_store(seed=seed)
    where = (
        os.environ.get("SOS_TOOLKIT_DATABASE_URL") and "the database in SOS_TOOLKIT_DATABASE_URL"
    )
    print(f"Data: {where or config.data_dir()}", flush=True)
    if upgraded is not None and upgraded.changed:
        if upgraded.new:
            print(f"Made the store's tables (schema revision {upgraded.after}).", flush=True)
        else:
            print(f"Upgraded the store: {upgraded.summary()}.", flush=True)
    if seeded["created"]:
        print(f"The store was empty: {what_was_seeded(seeded)}", flush=True)
    links = urls(port)
    print(f"Open the audit app at {links['app']}", flush=True)
    print(f"All notebooks: {links['tree']}", flush=True)
    command = voila_command(port, notebooks_dir)
    os.environ["JUPYTER_PATH"] = with_template(os.environ.get("JUPYTER_PATH"))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)
