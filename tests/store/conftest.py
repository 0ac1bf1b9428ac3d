"""Fixtures of the store suite: it runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server on loopback for the whole session (see ``tests/support/pgserver.py``):
    fails in CI when PostgreSQL is missing, skips locally with the reason."""
    from tests.support.pgserver import start_or_explain

    server = start_or_explain()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a new PostgreSQL database per test."""
    from tests.support.pgserver import empty_database

    yield from empty_database(request, request.param, tmp_path / "t.sqlite")


@pytest.fixture
def store(database_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Every store test runs on both databases. On SQLite the file is the data folder's, where
    the command line finds it (``--data-dir``); on PostgreSQL ``SOS_TOOLKIT_DATABASE_URL`` points
    at the test's database, as a council's deployment sets it, so the command line and every
    store the test opens use it."""
    from toolkit.store import Store

    if database_url.startswith("sqlite"):
        url = f"sqlite:///{data_dir / 'toolkit.sqlite'}"
    else:
        url = database_url
        monkeypatch.setenv("SOS_TOOLKIT_DATABASE_URL", url)
    the_store = Store(url)
    yield the_store
    the_store.close()
