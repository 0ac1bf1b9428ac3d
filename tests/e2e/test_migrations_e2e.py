"""A page opened after a newer toolkit upgraded the store (the run command still serving the
older one) shows a plain message, under a real Voilà in Chromium, and changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.browser import open_app, screenshot
from tests.support.voila import start_voila_server

NEWER = "0999"


@pytest.mark.e2e
def test_a_page_on_a_store_a_newer_toolkit_upgraded_says_so_and_changes_nothing(
    tmp_path: Path, page
):
    server = start_voila_server(tmp_path)
    try:
        path = server.data_dir / "toolkit.sqlite"
        with sqlite3.connect(path) as conn:  # as a newer toolkit's upgrade would leave it
            conn.execute("UPDATE alembic_version SET version_num = ?", (NEWER,))
            people = conn.execute("SELECT count(*) FROM people").fetchone()
        notice = open_app(page, server, selector=".database-newer")
        said = notice.inner_text()
        assert "upgraded by a newer version of the toolkit" in said
        assert "Nothing has been changed" in said
        assert "tell your administrator" in said
        assert NEWER not in said  # the revision is for the administrator: the server's log
        assert page.locator(".audit-app").count() == 0
        assert "Traceback" not in page.content()
        screenshot(page, "database-newer")
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(NEWER,)]
            assert conn.execute("SELECT count(*) FROM people").fetchone() == people
        assert f"revision {NEWER}, which this version of the toolkit does not know" in server.log()
    finally:
        server.close()
