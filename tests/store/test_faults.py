"""Faults the store and the screens must survive: the database locked by another writer, a
read-only data folder, a full disk, a broken form definition. The user is told, nothing is
half-written, and once the fault is gone a retry saves.

How each fault is made (the tests run as root, who may write anywhere, so chmod alone proves
nothing):
- locked: a second connection holds the write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL
  ``LOCK TABLE … EXCLUSIVE``) for longer than the store waits (5 s);
- read-only: the data folder and file made read-only with chmod and the save run as the
  unprivileged ``nobody`` user in a subprocess — the real thing; and, for the screens,
  SQLite opened with ``?mode=ro``, which gives the very error (SQLITE_READONLY) a read-only
  file gives; on PostgreSQL, a database set to ``default_transaction_read_only``;
- disk full: SQLite's ``max_page_count`` capped at the file's size, which makes SQLite report
  SQLITE_FULL ("database or disk is full") exactly as a full disk does.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import psycopg
import pytest
from sqlalchemy import event

from tests.notebooks.test_notebooks import execute, outputs
from tests.support.audits import new_audit
from tests.widgets.test_widgets import _walk, env, open_as  # noqa: F401 - the fixture is used by name
from toolkit.store import SaveFailed, Store
from toolkit.store.backup import dump

REPO_DIR = Path(__file__).resolve().parents[2]
KEY = "area_6.auditor_rationale"
SCALE = "area_6.collaborative_scale"


@pytest.fixture
def store(data_dir: Path):  # the SQLite file's own faults: read-only and full
    """The faults of the screens below are an SQLite file's (a read-only data folder, a full
    disk); PostgreSQL's are tested above with a server of its own."""
    the_store = Store(f"sqlite:///{data_dir / 'toolkit.sqlite'}")
    yield the_store
    the_store.close()


def _people_and_audit(store: Store):
    auditor = store.add_person("Ada Auditor", ["auditor"])
    practitioner = store.add_person("Pat Practitioner", ["practitioner"])
    audit = new_audit(store, auditor, practitioner, "LL-1")
    return auditor, audit


class WriteLock:
    """Another connection holding the write lock until ``release()``."""

    def __init__(self, url: str):
        if url.startswith("sqlite"):
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            dsn = url.replace("postgresql+psycopg://", "postgresql://")
            self.conn = psycopg.connect(dsn)
            self.conn.execute("LOCK TABLE answers IN ACCESS EXCLUSIVE MODE")

    def release(self) -> None:
        self.conn.rollback()
        self.conn.close()


def test_a_locked_database_says_busy_saves_nothing_and_a_retry_saves(database_url: str):
    store = Store(database_url)
    auditor, audit = _people_and_audit(store)
    store.save_answer(audit.id, KEY, "before", auditor)
    before = dump(store.engine)["tables"]
    lock = WriteLock(database_url)
    try:
        with pytest.raises(SaveFailed, match=r"busy.*nothing was saved"):
            store.save_answer(audit.id, KEY, "during the lock", auditor, expected_revision=1)
    finally:
        lock.release()
    assert dump(store.engine)["tables"] == before  # nothing half-written
    assert store.save_answer(audit.id, KEY, "after", auditor, expected_revision=1).revision == 2
    assert store.answer_values(audit.id)[KEY] == "after"
    store.close()


def test_a_read_only_postgresql_database_says_so_and_changes_nothing(postgres_server):
    url = postgres_server.new_database()
    store = Store(url)
    auditor, audit = _people_and_audit(store)
    before = dump(store.engine)["tables"]
    name = url.rsplit("/", 1)[1]
    postgres_server._admin(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    store.engine.dispose()  # new connections pick the setting up
    with pytest.raises(SaveFailed, match="read-only; nothing was saved"):
        store.save_answer(audit.id, KEY, "x", auditor)
    assert dump(store.engine)["tables"] == before
    store.close()
    postgres_server.drop_database(url)


def test_a_full_disk_says_so_and_nothing_is_half_written(tmp_path: Path):
    url = f"sqlite:///{tmp_path}/full.sqlite"
    store = Store(url)
    auditor, audit = _people_and_audit(store)
    store.save_answer(audit.id, KEY, "short", auditor)
    with sqlite3.connect(tmp_path / "full.sqlite") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    before = dump(store.engine)["tables"]
    event.listen(
        store.engine,
        "connect",
        lambda dbapi, _r: dbapi.execute(f"PRAGMA max_page_count={pages}"),
    )
    store.engine.dispose()
    big = "A long rationale. " * 500  # ~9,000 characters: needs new pages
    with pytest.raises(SaveFailed, match="disk is full; nothing was saved"):
        store.save_answer(audit.id, KEY, big, auditor, expected_revision=1)
    assert dump(store.engine)["tables"] == before
    store.close()
    fresh = Store(url)  # space again: the same save goes through
    assert fresh.save_answer(audit.id, KEY, big, auditor, expected_revision=1).revision == 2
    fresh.close()


def _immutable(paths: list[Path], on: bool) -> bool:
    """``chattr +i``: not even root may write; False when this file system cannot do it."""
    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


def test_a_read_only_data_folder_is_reported_and_nothing_changes():
    """The real fault on a real folder: the folder and the file made immutable (chattr +i,
    which binds root too, unlike chmod), then a save through the store."""
    folder = Path(tempfile.mkdtemp(prefix="sos-ro-"))
    db = folder / "toolkit.sqlite"
    store = Store(f"sqlite:///{db}")
    auditor, audit = _people_and_audit(store)
    store.save_answer(audit.id, KEY, "kept", auditor)
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # leave no -wal/-shm beside it
    snapshot = dump(Store(f"sqlite:///{db}").engine)["tables"]
    if not _immutable([db, folder], True):
        pytest.skip("chattr +i is not possible on this file system")
    try:
        reader = Store(f"sqlite:///{db}")
        with pytest.raises(SaveFailed, match="read-only; nothing was saved"):
            reader.save_answer(audit.id, KEY, "changed", auditor, expected_revision=1)
        reader.close()
    finally:
        _immutable([db, folder], False)
    after = Store(f"sqlite:///{db}")
    assert dump(after.engine)["tables"] == snapshot
    after.close()
    subprocess.run(["rm", "-rf", str(folder)], check=False)


# --- what the user sees ---------------------------------------------------------------------


def _area_6(app):
    app.screen.show_section("areas_of_practice", "area_6")
    return app.screen.views


def test_a_busy_database_shows_not_saved_and_a_retry_after_the_lock_saves(env, monkeypatch):  # noqa: F811
    store, auditor, _p, _s, audit = env
    app = open_as(store, auditor, monkeypatch, audit.id)
    views = _area_6(app)
    scale, text = views[SCALE], views[KEY]
    lock = WriteLock(store.url)
    try:
        scale.input.value = 7
        text.input.value = "Typed while the database was locked"
    finally:
        lock.release()
    for view in (scale, text):
        assert "✗ Not saved" in view.status.value
        assert "busy" in view.status.value
        assert "nothing was saved" in view.status.value
    assert scale.input.value is None  # the scale shows what is stored, not the refused 7
    assert text.input.value == "Typed while the database was locked"  # typed text is kept
    assert store.answer_values(audit.id).get(SCALE) is None
    scale.input.value = 7  # the same choice again: the retry
    text.input.value += "."
    assert "✓ Saved" in scale.status.value
    assert "✓ Saved" in text.status.value
    values = store.answer_values(audit.id)
    assert values[SCALE] == 7
    assert values[KEY] == "Typed while the database was locked."


def test_a_read_only_store_tells_the_user_and_keeps_nothing(env, monkeypatch, tmp_path):  # noqa: F811
    store, auditor, _p, _s, audit = env
    path = store.url.removeprefix("sqlite:///")
    app = open_as(store, auditor, monkeypatch, audit.id)
    view = _area_6(app)[SCALE]
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    store.engine = read_only.engine  # the data folder turns read-only while the audit is open
    view.input.value = 4
    assert "✗ Not saved" in view.status.value
    assert "read-only" in view.status.value
    assert Store(store.url).answer_values(audit.id).get(SCALE) is None
    read_only.close()


def test_a_record_whose_opening_cannot_be_recorded_is_not_shown(env, monkeypatch):  # noqa: F811
    """Every look at a child's record is recorded: when the access log cannot be written (the
    data folder read-only), the audit is not opened and the person is told why."""
    store, auditor, _p, _s, audit = env
    path = store.url.removeprefix("sqlite:///")
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    app = open_as(read_only, auditor, monkeypatch, audit.id)
    assert "every opening of a record must be recorded" in app.messages.value
    assert "read-only" in app.messages.value
    assert not any(type(w).__name__ == "AuditScreen" for w in _walk(app))
    read_only.close()


def test_a_full_disk_tells_the_user(env, monkeypatch):  # noqa: F811
    store, auditor, _p, _s, audit = env
    path = store.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    full = Store(store.url)
    event.listen(
        full.engine, "connect", lambda dbapi, _r: dbapi.execute(f"PRAGMA max_page_count={pages}")
    )
    full.engine.dispose()
    app = open_as(full, auditor, monkeypatch, audit.id)
    view = _area_6(app)[KEY]
    view.input.value = "x" * 9000
    assert "✗ Not saved" in view.status.value
    assert "disk is full" in view.status.value
    assert store.answer_values(audit.id).get(KEY) is None
    full.close()


# --- a broken form definition ----------------------------------------------------------------


@pytest.fixture
def broken_forms(tmp_path: Path) -> Path:
    """A copy of the forms folder with one scale field missing its scale."""
    folder = tmp_path / "forms"
    folder.mkdir()
    for path in (REPO_DIR / "forms").glob("*.yaml"):
        (folder / path.name).write_text(path.read_text())
    form = folder / "collaborative_audit.yaml"
    text = form.read_text()
    assert "kind: scale" in text
    form.write_text(text.replace("kind: scale", "kind: scales", 1))
    return folder


def test_serve_refuses_to_start_with_a_broken_form_and_says_why(broken_forms: Path, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "serve", "--port", "1", "--data-dir", str(tmp_path)],
        cwd=REPO_DIR,
        env={**os.environ, "SOS_TOOLKIT_FORMS_DIR": str(broken_forms)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "a form definition is broken" in done.stderr
    assert "collaborative_audit.yaml" in done.stderr
    assert "kind" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.notebook
def test_the_notebook_with_a_broken_form_shows_the_message_not_a_traceback(
    broken_forms: Path, tmp_path: Path
):
    nb = execute(
        REPO_DIR / "notebooks" / "audit.ipynb",
        {
            "SOS_TOOLKIT_DATA_DIR": str(tmp_path),
            "SOS_TOOLKIT_FORMS_DIR": str(broken_forms),
            "QUERY_STRING": "",
        },
    )
    outs = outputs(nb)
    assert not [o for o in outs if o.output_type == "error"]
    assert not [o for o in outs if o.output_type == "stream" and o.name == "stderr"]
    assert isinstance(nb, nbformat.NotebookNode)


def test_the_broken_form_message_is_what_the_app_shows(broken_forms, monkeypatch, tmp_path):
    from IPython.display import display as _display  # noqa: F401 - patched below

    from toolkit.apps.audit import app as audit_app
    from toolkit.forms import loader

    monkeypatch.setenv("SOS_TOOLKIT_FORMS_DIR", str(broken_forms))
    monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(tmp_path))
    loader._registry_for.cache_clear()
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda widget: shown.append(widget))
    try:
        audit_app.app()
    finally:
        loader._registry_for.cache_clear()
    (box,) = shown
    message = box.children[1].value
    assert "a form definition is broken" in message
    assert "collaborative_audit.yaml" in message
    assert not any(type(c).__name__ == "AuditApp" for c in box.children)


def test_concurrent_saves_from_two_threads_never_lose_or_mix_an_answer(database_url: str):
    """Two sessions saving the same field at once: each save either lands or is a Conflict."""
    from toolkit.store import Conflict

    store = Store(database_url)
    auditor, audit = _people_and_audit(store)
    results: list[str] = []

    def writer(name: str) -> None:
        other = Store(database_url)
        try:
            other.save_answer(audit.id, KEY, name, auditor, expected_revision=0)
            results.append(name)
        except Conflict:
            results.append("conflict")
        except SaveFailed:
            results.append("busy")
        finally:
            other.close()

    threads = [threading.Thread(target=writer, args=(f"writer {i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r.startswith("writer")]
    assert len(winners) == 1, results
    assert store.answer_values(audit.id)[KEY] == winners[0]
    assert store.answers(audit.id)[KEY].revision == 1
    store.close()
