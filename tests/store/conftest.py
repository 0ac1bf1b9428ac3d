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
