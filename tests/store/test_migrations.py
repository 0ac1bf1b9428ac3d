"""Schema migrations (``toolkit/store/migrations``, ``toolkit/store/upgrade.py``), on SQLite and
the real PostgreSQL (as its owner, as ``python -m toolkit migrate`` runs them).

A database made by a toolkit before migrations, with rows in every table, upgrades keeping
every row; a new one at head is exactly ``schema.py`` (so a change of ``schema.py`` without a
revision fails here); a database a newer toolkit upgraded is refused, unchanged, with a message
and never a traceback; pages opening a new data folder at once upgrade it once; a failed
upgrade leaves the database as it was. In CI a missing PostgreSQL fails
(``tests/support/pgserver.py``).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, ForeignKey, Integer, Table, inspect, text
from sqlalchemy.exc import DBAPIError

from tests.support import legacy
from tests.support.commands import toolkit
from tests.support.pages import audit_page, opened_at_once
from tests.support.pgserver import OWNER_ROLE, SERVERS_ROLE
from toolkit.core.errors import SchemaNewerThanToolkit
from toolkit.store import Store, migrations, roles, schema, upgrade
from toolkit.store.migrations import HEAD, REVISIONS
from toolkit.store.store import make_engine

NEWER = "0999"  # a revision this toolkit does not know
#: what the rows kept get in the columns added since: moderation answers' and supervision
#: ratings' revision (0003); an action is not immediate (0004)
ADDED_BY_0003 = {"revision": 1, "immediate": False}


@dataclass
class Database:
    """An empty database: the owner's URL (who migrates), the servers' URL (who uses it; the
    same file on SQLite) and, on SQLite, its data folder."""

    kind: str
    owner_url: str
    servers_url: str
    data_dir: Path | None

    def engine(self) -> Engine:
        return make_engine(self.owner_url)

    def toolkit(self, *args: str) -> subprocess.CompletedProcess:
        """``python -m toolkit ARGS`` from an administrator's shell for this database."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOS_TOOLKIT_")}
        if self.data_dir is not None:
            args = (*args, "--data-dir", str(self.data_dir))
        else:
            env["SOS_TOOLKIT_OWNER_DATABASE_URL"] = self.owner_url
            env["SOS_TOOLKIT_DATABASE_URL"] = self.servers_url
        return toolkit(env, *args)


def embedded(tmp_path: Path) -> Database:
    """A new data folder, whose store is the SQLite file in it."""
    data = tmp_path / "data"
    data.mkdir()
    url = f"sqlite:///{data / 'toolkit.sqlite'}"
    return Database("sqlite", url, url, data)


@pytest.fixture(params=["sqlite", "postgresql"])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        yield embedded(tmp_path)
        return
    server = request.getfixturevalue("postgres_server")
    servers_url = server.new_database(set_up=False)
    yield Database("postgresql", server.as_role(servers_url, OWNER_ROLE), servers_url, None)
    server.drop_database(servers_url)


@pytest.fixture(scope="module")
def toolkit_rows(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return legacy.toolkit_rows(tmp_path_factory.mktemp("source"))


def made_before_migrations(database: Database, kind: str, rows: dict) -> dict:
    """Make ``kind``'s tables as the owner, fill them; returns every row as it then is."""
    engine = database.engine()
    try:
        made = legacy.make(engine, kind)
        legacy.fill(engine, made, rows)
        before = legacy.snapshot(engine)
    finally:
        engine.dispose()
    assert set(before) == set(made.tables)
    assert all(before.values()), "every table has rows, so every row can be compared"
    return before


def differences(engine: Engine) -> list:
    """What Alembic's autogenerate finds between the database and ``schema.py``."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), schema.metadata)


def revisions(url: str) -> tuple[str, ...] | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return upgrade.revisions_of(conn)
    finally:
        engine.dispose()


def assert_kept(before: dict, after: dict) -> None:
    """Every row ``before`` is in ``after`` as it was; the columns added since are empty, but
    for the revisions 0003 gave the rows kept (each counts as written once)."""
    for name, rows in before.items():
        columns = list(rows[0])
        assert [{c: row[c] for c in columns} for row in after[name]] == rows, name
        added = set(after[name][0]) - set(columns)  # e.g. completed_at on an older database
        assert all(row[c] == ADDED_BY_0003.get(c) for row in after[name] for c in added), name


def as_owner(database: Database, *statements: str) -> None:
    engine = database.engine()
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


# --- the revisions ------------------------------------------------------------------------------


def test_the_revisions_are_alembics_own_chain_in_the_order_of_their_files():
    script = ScriptDirectory.from_config(migrations.config())
    chain = tuple(s.revision for s in reversed(list(script.walk_revisions("base", "heads"))))
    assert chain == REVISIONS == ("0001", "0002", "0003", "0004")
    assert script.get_heads() == [HEAD]
    for path in sorted((migrations.LOCATION / "versions").glob("[0-9]*.py")):
        assert script.get_revision(path.name.split("_", 1)[0]).path == str(path)


def imported_by(path: Path) -> set[str]:
    """The top-level packages a Python file imports."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    return imported


def test_no_revision_imports_the_live_schema_or_anything_of_the_toolkit():
    """A revision must make the same tables however ``schema.py`` changes after it."""
    for path in (migrations.LOCATION / "versions").glob("[0-9]*.py"):
        assert imported_by(path) <= {"__future__", "alembic", "sqlalchemy"}, path.name


def test_a_change_of_schema_py_is_caught_and_its_revision_written(tmp_path: Path):
    """The developer's loop: a table added to schema.py is a difference at head (what
    ``test_a_new_database_at_head_is_exactly_schema_py`` fails on) until the revision that
    ``python -m toolkit.store.migrations`` writes is applied."""
    from toolkit.store.migrations.new_revision import write_revision

    copy = tmp_path / "migrations"  # the package's own folder stays as it is
    shutil.copytree(migrations.LOCATION, copy, ignore=shutil.ignore_patterns("__pycache__"))
    engine = make_engine(f"sqlite:///{tmp_path / 'head.sqlite'}")
    probe = Table(
        "probe_notes",
        schema.metadata,
        Column("id", Integer, primary_key=True),
        Column("audit_id", Integer, ForeignKey("audits.id"), nullable=False),
    )
    try:
        upgrade.bring_up_to_date(engine)
        assert [d[0] for d in differences(engine)] == ["add_table"]
        written = write_revision("probe notes", copy)
        with engine.begin() as conn:
            command.upgrade(migrations.config(conn, copy), "head")
        assert differences(engine) == []
    finally:
        schema.metadata.remove(probe)
        engine.dispose()
    following = f"{int(HEAD) + 1:04d}"
    assert written.name == f"{following}_probe_notes.py"
    assert f"revision = '{following}'" in written.read_text()
    assert imported_by(written) <= {"__future__", "alembic", "sqlalchemy"}


def test_a_new_database_at_head_is_exactly_schema_py(database_url: str):
    """Autogenerate's comparison finds nothing: a change of schema.py without a revision (or a
    revision that does not match it) fails here, on both databases."""
    Store(database_url).close()  # SQLite: made on opening; PostgreSQL: made by the owner
    assert revisions(database_url) == (HEAD,)
    engine = make_engine(database_url)
    try:
        assert differences(engine) == []
        assert upgrade.schema_problems(engine) == []
    finally:
        engine.dispose()


# --- databases made before migrations -----------------------------------------------------------


@pytest.mark.parametrize("kind", list(legacy.KINDS))
def test_a_database_made_before_migrations_upgrades_keeping_every_row(
    blank: Database, kind: str, toolkit_rows: dict
):
    before = made_before_migrations(blank, kind, toolkit_rows)
    engine = blank.engine()
    try:
        done = upgrade.bring_up_to_date(engine)
        if blank.kind == "postgresql":
            roles.grant_servers(engine, SERVERS_ROLE)  # what migrate does next
        after = legacy.snapshot(engine)
        assert differences(engine) == []
    finally:
        engine.dispose()
    assert done.recognised == legacy.KINDS[kind][1]
    assert (done.before, done.after) == (None, HEAD)
    assert set(after) == set(schema.metadata.tables)
    assert_kept(before, after)
    assert revisions(blank.servers_url) == (HEAD,)
    store = Store(blank.servers_url)  # the servers' role works in it
    try:
        assert [p.name for p in store.people()] == sorted(r["name"] for r in before["people"])
        newcomer = store.add_person("New Starter", ["practitioner"])
        assert newcomer.id > max(r["id"] for r in before["people"])
    finally:
        store.close()


def test_a_failed_upgrade_leaves_the_database_as_it_was(blank: Database, toolkit_rows: dict):
    """Revision 0002's index cannot be made (its name is taken): the recognition, the stamp and
    the new table all roll back with it — SQLite's DDL too."""
    made_before_migrations(blank, "made_by_073771b", toolkit_rows)
    as_owner(blank, "CREATE INDEX ix_access_log_at ON people (name)")
    engine = blank.engine()
    try:
        before = legacy.snapshot(engine)
        with pytest.raises(DBAPIError):
            upgrade.bring_up_to_date(engine)
        assert legacy.snapshot(engine) == before
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert "access_log" not in tables
    assert upgrade.VERSION_TABLE not in tables


def test_migrate_upgrades_through_the_command_line_and_grants_again(
    blank: Database, toolkit_rows: dict
):
    made_before_migrations(blank, "made_by_073771b", toolkit_rows)
    first = blank.toolkit("migrate")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "recognised a database made before migrations as 0001" in first.stdout
    assert "applied 0002 The access log" in first.stdout
    assert f"revision {HEAD}" in first.stdout
    again = blank.toolkit("migrate")
    assert again.returncode == 0
    assert f"already up to date (revision {HEAD})" in again.stdout
    assert revisions(blank.servers_url) == (HEAD,)
    if blank.kind == "postgresql":
        assert f"granted {SERVERS_ROLE}" in first.stdout
        assert roles.check_servers_url(blank.servers_url) == []
    seeded = blank.toolkit("seed-demo")  # any command now works (it finds people: adds none)
    assert seeded.returncode == 0
    assert "already has people" in seeded.stdout


def test_migrate_on_a_database_it_cannot_open_says_why_and_fails(
    tmp_path: Path, monkeypatch, capsys
):
    from toolkit.cli.main import main

    nowhere = tmp_path / "no such folder" / "toolkit.sqlite"
    monkeypatch.setenv("SOS_TOOLKIT_OWNER_DATABASE_URL", f"sqlite:///{nowhere}")
    assert main(["migrate", "--data-dir", str(tmp_path / "data")]) == 1
    said = capsys.readouterr()
    assert said.err == "toolkit: could not set up the database: unable to open database file\n"
    assert said.out == ""
    assert not nowhere.parent.exists()


def test_the_run_command_upgrades_the_embedded_store_before_voila_starts(
    tmp_path: Path, toolkit_rows: dict, monkeypatch: pytest.MonkeyPatch, capsys
):
    from toolkit.server import serve

    blank = embedded(tmp_path)
    before = made_before_migrations(blank, "made_by_current_main", toolkit_rows)
    as_owner(blank, "DROP TABLE access_log")  # a database made by 073771b: one revision behind
    seen = []

    def voila_instead(path: str, command: list[str]) -> None:
        seen.append(revisions(blank.servers_url))
        raise SystemExit(0)

    monkeypatch.setattr(serve.os, "execv", voila_instead)
    monkeypatch.delenv("SOS_TOOLKIT_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit):
        serve.serve(data_dir=blank.data_dir, seed=False)
    assert seen == [(HEAD,)]  # upgraded before Voilà was started
    printed = capsys.readouterr().out
    assert "Upgraded the store: recognised a database made before migrations as 0001" in printed
    engine = blank.engine()
    try:
        assert legacy.snapshot(engine)["audits"] == before["audits"]
    finally:
        engine.dispose()


# --- a database newer than this toolkit ---------------------------------------------------------


def made_newer(database: Database) -> Database:
    """``database`` at head, with a person, then marked with a revision this toolkit does not
    know (as a newer toolkit's upgrade would leave it)."""
    engine = database.engine()
    try:
        upgrade.bring_up_to_date(engine)
        if database.kind == "postgresql":
            roles.grant_servers(engine, SERVERS_ROLE)
    finally:
        engine.dispose()
    store = Store(database.servers_url)
    store.add_person("Ama Auditor", ["auditor"])
    store.close()
    as_owner(database, f"UPDATE alembic_version SET version_num = '{NEWER}'")
    return database


@pytest.fixture
def newer(blank: Database) -> Database:
    return made_newer(blank)


def test_a_database_newer_than_the_toolkit_is_refused_and_left_alone(newer: Database):
    engine = newer.engine()
    try:
        before = legacy.snapshot(engine)
        with pytest.raises(SchemaNewerThanToolkit, match=rf"revision {NEWER}.*newer version"):
            Store(newer.servers_url)
        with pytest.raises(SchemaNewerThanToolkit):
            upgrade.bring_up_to_date(engine)  # the owner's migrate: refused too
        assert legacy.snapshot(engine) == before
    finally:
        engine.dispose()
    assert revisions(newer.servers_url) == (NEWER,)


def refused_with_a_message(database: Database, command: str) -> None:
    done = database.toolkit(command)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"revision {NEWER}, which this version of the toolkit does not know" in done.stderr
    assert revisions(database.servers_url) == (NEWER,)
    assert "Open the audit app" not in done.stdout  # the run command: Voilà never started


@pytest.mark.parametrize("command", ["migrate", "seed-demo"])
def test_the_commands_refuse_a_newer_database_with_a_message(newer: Database, command: str):
    refused_with_a_message(newer, command)


def test_the_run_command_refuses_a_newer_embedded_store_before_voila_starts(tmp_path: Path):
    refused_with_a_message(made_newer(embedded(tmp_path)), "serve")


def test_an_app_page_on_a_newer_database_says_so(newer: Database, monkeypatch, capfd):
    if newer.kind == "sqlite":
        monkeypatch.setenv("SOS_TOOLKIT_DATA_DIR", str(newer.data_dir))
        monkeypatch.delenv("SOS_TOOLKIT_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("SOS_TOOLKIT_DATABASE_URL", newer.servers_url)
    box = audit_page(monkeypatch)
    notice = box.children[1]
    assert "database-newer" in notice._dom_classes
    assert "upgraded by a newer version of the toolkit" in notice.value
    assert NEWER not in notice.value  # the detail is for the administrator
    assert not any(type(c).__name__ == "AuditApp" for c in box.children)
    assert f"revision {NEWER}" in capfd.readouterr().err  # the server's log


# --- pages opening a new data folder at once -------------------------------------------------


def _people_in_the_store() -> int:
    """What a page sees on opening the store: its people."""
    store = Store()
    try:
        return len(store.people())
    finally:
        store.close()


@pytest.mark.parametrize("kind", [None, "made_by_current_main"])
def test_pages_opening_a_data_folder_at_once_upgrade_it_once(
    tmp_path: Path, kind: str | None, toolkit_rows: dict
):
    database = embedded(tmp_path)
    before = made_before_migrations(database, kind, toolkit_rows) if kind else {"people": []}
    seen = opened_at_once(database.data_dir, _people_in_the_store)
    assert seen == [len(before["people"])] * 3  # no page failed
    engine = database.engine()
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(HEAD,)]
        assert differences(engine) == []
        if kind:
            after = legacy.snapshot(engine)
            assert_kept(before, after)
    finally:
        engine.dispose()
