"""Fixtures every layer shares: a temporary data folder and store, and a browser that has chosen
nobody. Each layer's own fixtures are in its folder's ``conftest.py`` (the Voilà server and
Chromium in ``tests/e2e``, PostgreSQL in ``tests/store``); helpers are in ``tests/support``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.support.handler_errors"]

REPO_DIR = Path(__file__).resolve().parents[1]
# Every process the tests start (Voilà, its kernels, the Hub, python -m toolkit) imports this
# checkout's toolkit first, never another checkout's or an installed copy.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(REPO_DIR), *(p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)]
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder; ``SOS_TOOLKIT_DATA_DIR`` points at it for the test's duration."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(path))
    monkeypatch.delenv("SOS_TOOLKIT_DATABASE_URL", raising=False)
    return path


@pytest.fixture
def store(data_dir: Path):
    """A :class:`toolkit.store.Store` on a new SQLite file in ``data_dir``."""
    from toolkit.store import Store

    the_store = Store(f"sqlite:///{data_dir / 'toolkit.sqlite'}")
    yield the_store
    the_store.close()


@pytest.fixture(autouse=True)
def _no_chosen_person_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts as a browser that has chosen nobody; ``chosen.choose`` sets the
    page's cookie, and it is put back after the test."""
    monkeypatch.setenv("HTTP_COOKIE", "")


@pytest.fixture
def app_store(store, monkeypatch: pytest.MonkeyPatch):
    """``store``, for building an app as a page would outside JupyterHub: no Hub user and no
    query string (a test sets the ones it needs)."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return store
