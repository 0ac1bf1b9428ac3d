"""Least privilege in PostgreSQL (``toolkit/store/roles.py``): the servers' role reads and
writes the working tables, only adds to the change logs and the access log, and creates,
alters and drops nothing; only the owner sets the schema up; the Hub hands out nothing else.

Every refusal asserted here is PostgreSQL's own ``insufficient_privilege`` (SQLSTATE 42501),
so a mistyped statement cannot pass for a refused one. PostgreSQL is required: in CI its
absence fails these tests (``tests/support/pgserver.py``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import insert, select

from tests.support.audits import new_audit
from tests.support.commands import toolkit
from tests.support.pages import audit_page
from tests.support.pgserver import OWNER_ROLE, SERVERS_ROLE
from toolkit.store import Store, roles, schema
from toolkit.store.backup import dump
from toolkit.store.migrations import HEAD
from toolkit.store.upgrade import SchemaNotReady, schema_problems
from toolkit.supervision.store import SupervisionStore

REPO_DIR = Path(__file__).resolve().parents[2]
CONFIG = REPO_DIR / "deploy" / "jupyterhub" / "jupyterhub_config.py"
UNIQUE_ITEM = ("completion_skips", "item")
LOGS = ("changes", "thematic_changes", "access_log", "record_changes", "completion_skips")


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def refused(url: str, statement: str) -> bool:
    """True when PostgreSQL refuses ``statement`` for lack of privilege (nothing else counts)."""
    with psycopg.connect(_dsn(url)) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
        conn.rollback()
    return False


def as_owner(postgres_server, url: str, statement: str) -> None:
    """Change the database as its owner does (committed)."""
    with psycopg.connect(_dsn(postgres_server.as_role(url, OWNER_ROLE)), autocommit=True) as conn:
        conn.execute(statement)


def runs(url: str, statement: str) -> list[tuple]:
    """Run ``statement`` in a transaction that is rolled back; returns its rows."""
    with psycopg.connect(_dsn(url)) as conn:
        cursor = conn.execute(statement)
        rows = cursor.fetchall() if cursor.description else []
        conn.rollback()
    return rows


def _seeded_database(postgres_server):
    url = postgres_server.new_database()
    store = Store(url)
    auditor = store.add_person("Ama Auditor", ["auditor"], username="ama")
    practitioner = store.add_person("Pat Practitioner", ["practitioner"], username="pat")
    audit = new_audit(store, auditor, practitioner)
    store.save_answer(audit.id, "area_6.auditor_rationale", "Plan is clear", auditor)
    store.record_access(
        action="open", record_kind="audit", record_id=audit.id, screen="audit.ipynb", person=auditor
    )
    with store.unit_of_work() as work:
        conn, stamp = work.conn, work.stamp
        thematic_id = conn.execute(
            insert(schema.thematic_audits).values(
                authority="bexley", service_areas="[]", child_id="LL-1", auditor_id=auditor.id,
                state="in_progress", created_at=stamp, updated_at=stamp,
            )
        ).inserted_primary_key[0]  # fmt: skip
        conn.execute(
            insert(schema.thematic_changes).values(
                thematic_audit_id=thematic_id, field_key="state", old_value=None,
                new_value=json.dumps("in_progress"), changed_by=auditor.id, changed_at=stamp,
            )
        )  # fmt: skip
        conn.execute(
            insert(schema.completion_skips).values(
                audit_id=audit.id, item="area:area_7", reason="Not in the file",
                skipped_by=auditor.id, skipped_at=stamp,
            )
        )  # fmt: skip
    sup = SupervisionStore(store)  # a note saved: a row in record_changes
    session = sup.create_session("ears", auditor, supervisee=practitioner)
    sup.save_note(session.id, "learning", "Ask the school first", auditor, 0)
    store.close()
    return url


@pytest.fixture(scope="module")
def servers_url(postgres_server):
    """A database set up by its owner, as the servers' role, with a row in every log; shared
    by the tests that change nothing (every statement is refused or rolled back)."""
    url = _seeded_database(postgres_server)
    yield url
    postgres_server.drop_database(url)


@pytest.fixture
def own_servers_url(postgres_server):
    """As ``servers_url``, for one test that changes the database as its owner."""
    url = _seeded_database(postgres_server)
    yield url
    postgres_server.drop_database(url)


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE answers",
        "DROP TABLE changes",
        "ALTER TABLE answers ADD COLUMN probe text",
        "ALTER TABLE changes DROP COLUMN reason",
        "ALTER TABLE access_log RENAME TO old_log",
        "CREATE TABLE probe (id integer)",
        "CREATE TEMPORARY TABLE probe (id integer)",
        "CREATE SCHEMA probe",
        "CREATE INDEX probe ON answers (value)",
        "CREATE VIEW probe AS SELECT 1",
        "CREATE FUNCTION probe() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
        "TRUNCATE answers",
        "SELECT setval('changes_id_seq', 1)",
    ],
)
def test_the_servers_role_creates_alters_and_drops_nothing(servers_url: str, statement: str):
    assert refused(servers_url, statement), f"the servers' role may run: {statement}"


@pytest.mark.parametrize("table", LOGS)
def test_the_logs_take_inserts_and_reads_but_no_update_or_delete(servers_url: str, table: str):
    assert refused(servers_url, f"UPDATE {table} SET id = id")
    assert refused(servers_url, f"DELETE FROM {table}")
    assert refused(servers_url, f"TRUNCATE {table}")
    ((count,),) = runs(servers_url, f"SELECT count(*) FROM {table}")
    assert count >= 1
    names = [c.name for c in schema.metadata.tables[table].columns if c.name != "id"]
    columns = ", ".join(names)
    # a skip is unique per audit and item: the copy is of another item
    values = ", ".join(f"{n} || '-copy'" if (table, n) == UNIQUE_ITEM else n for n in names)
    copied = runs(
        servers_url,
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} LIMIT 1 RETURNING id",
    )
    assert len(copied) == 1  # …a row can be added (with a new id from the sequence)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE alembic_version SET version_num = '0999'",
        "DELETE FROM alembic_version",
        "INSERT INTO alembic_version VALUES ('0999')",
    ],
)
def test_the_servers_role_reads_the_schema_revision_but_cannot_change_it(
    servers_url: str, statement: str
):
    """A role that could write it could make every server refuse the database as newer."""
    assert refused(servers_url, statement)
    assert runs(servers_url, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_the_logs_are_the_append_only_tables_and_the_rest_are_writable(servers_url: str):
    assert sorted(roles.append_only_tables()) == sorted(LOGS)
    # the working tables take updates and deletes: a refused one would break the apps
    assert runs(servers_url, "UPDATE answers SET revision = revision RETURNING 1")
    assert runs(servers_url, "DELETE FROM answers RETURNING 1")


def test_the_store_is_unchanged_after_every_refusal(servers_url: str, postgres_server):
    store = Store(servers_url)
    before = dump(store.engine)["tables"]
    for statement in ("DROP TABLE answers", "DELETE FROM changes", "UPDATE access_log SET id = 0"):
        assert refused(servers_url, statement)
    assert dump(store.engine)["tables"] == before
    assert schema_problems(store.engine) == []
    store.close()


def test_only_the_servers_role_passes_the_hubs_check(servers_url: str, postgres_server):
    assert roles.check_servers_url(servers_url) == []
    owner = roles.check_servers_url(postgres_server.as_role(servers_url, OWNER_ROLE))
    assert any("owns access_log, actions" in p for p in owner)
    assert any("may create tables in the schema" in p for p in owner)
    superuser = roles.check_servers_url(postgres_server.as_role(servers_url, "postgres"))
    assert any("is a superuser" in p for p in superuser)
    assert roles.check_servers_url("sqlite:////tmp/toolkit.sqlite")


def test_a_role_given_too_much_by_hand_fails_the_check_until_setup_runs_again(postgres_server):
    url = postgres_server.new_database()
    as_owner(postgres_server, url, f"GRANT UPDATE, DELETE ON changes TO {SERVERS_ROLE}")
    problems = roles.check_servers_url(url)
    assert any("may UPDATE and DELETE changes" in p for p in problems), problems
    env = {**os.environ, "SOS_TOOLKIT_OWNER_DATABASE_URL": postgres_server.as_role(url, OWNER_ROLE)}
    env["SOS_TOOLKIT_DATABASE_URL"] = url
    again = _toolkit(env, "setup-database")
    assert again.returncode == 0, again.stdout + again.stderr
    assert roles.check_servers_url(url) == []
    postgres_server.drop_database(url)


def test_a_table_the_owner_adds_later_is_insert_only_for_the_servers(
    own_servers_url, postgres_server
):
    servers_url = own_servers_url
    as_owner(
        postgres_server, servers_url, "CREATE TABLE later_log (id serial PRIMARY KEY, note text)"
    )
    assert runs(servers_url, "INSERT INTO later_log (note) VALUES ('x') RETURNING id")
    assert refused(servers_url, "UPDATE later_log SET note = 'y'")
    assert refused(servers_url, "DELETE FROM later_log")
    assert roles.check_servers_url(servers_url) == []


def test_the_servers_role_on_a_database_not_set_up_is_told_to_run_setup_database(
    postgres_server,
):
    url = postgres_server.new_database(set_up=False)
    with pytest.raises(SchemaNotReady, match="python -m toolkit setup-database"):
        Store(url)
    ((tables,),) = runs(
        postgres_server.as_role(url, OWNER_ROLE),
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
    )
    assert tables == 0  # nothing was attempted
    postgres_server.drop_database(url)


def test_a_database_behind_this_version_is_explained_not_attempted(
    own_servers_url, postgres_server
):
    """At the revision before this toolkit's head (as if the toolkit was upgraded and the owner
    has not run ``migrate`` yet): the servers' role is told what to run, and changes nothing."""
    servers_url = own_servers_url
    as_owner(
        postgres_server,
        servers_url,
        "DROP TABLE completion_skips; ALTER TABLE actions DROP COLUMN immediate; "
        "UPDATE alembic_version SET version_num = '0003'",
    )
    with pytest.raises(
        SchemaNotReady, match=r"revision 0003.*needs revision 0004.*toolkit migrate"
    ):
        Store(servers_url)
    problems = roles.check_servers_url(servers_url)
    assert len(problems) == 1
    assert "python -m toolkit migrate" in problems[0]
    ((tables,),) = runs(
        servers_url, "SELECT count(*) FROM pg_tables WHERE tablename = 'completion_skips'"
    )
    assert tables == 0  # nothing was attempted


def test_a_column_dropped_by_hand_fails_the_hubs_check(own_servers_url, postgres_server):
    as_owner(
        postgres_server, own_servers_url, "ALTER TABLE thematic_audits DROP COLUMN completed_by"
    )
    (problem,) = roles.check_servers_url(own_servers_url)
    assert "lacks thematic_audits.completed_by" in problem
    assert "restore from a backup" in problem


def _toolkit(env: dict, *args: str) -> subprocess.CompletedProcess:
    return toolkit(env, *args, timeout=120)


def _admin_env(postgres_server, servers_url: str) -> dict:
    """An administrator's shell: the owner's URL for the owner's commands, the servers' URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOS_TOOLKIT_")}
    env["SOS_TOOLKIT_OWNER_DATABASE_URL"] = postgres_server.as_role(servers_url, OWNER_ROLE)
    env["SOS_TOOLKIT_DATABASE_URL"] = servers_url
    return env


def test_setup_database_makes_the_tables_and_grants_the_servers_role(postgres_server):
    url = postgres_server.new_database(set_up=False)
    env = _admin_env(postgres_server, url)
    early = _toolkit({**env, "SOS_TOOLKIT_OWNER_DATABASE_URL": ""}, "seed-demo")
    assert early.returncode == 1
    assert "Traceback" not in early.stderr
    assert "run `python -m toolkit setup-database` as the database's owner" in early.stderr.lower()
    made = _toolkit(env, "setup-database")
    assert made.returncode == 0, made.stdout + made.stderr
    assert re.search(r"created [a-z_, ]*\bchanges\b", made.stdout), made.stdout
    assert f"granted {SERVERS_ROLE}" in made.stdout
    assert "toolkit_owner@" in made.stdout  # which database, the password never shown
    again = _toolkit(env, "setup-database")  # safe to run again (after every upgrade)
    assert again.returncode == 0
    assert "already up to date" in again.stdout
    assert roles.check_servers_url(url) == []
    seeded = _toolkit({**env, "SOS_TOOLKIT_OWNER_DATABASE_URL": ""}, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr  # the servers' role is enough to seed
    store = Store(url)
    assert len(store.people()) > 5
    store.close()
    postgres_server.drop_database(url)


def test_restore_runs_as_the_owner_into_a_new_database_and_the_servers_then_work(
    servers_url: str, postgres_server, tmp_path: Path
):
    backup_file = tmp_path / "backup.json"
    env = _admin_env(postgres_server, servers_url)
    env.pop("SOS_TOOLKIT_OWNER_DATABASE_URL")  # a backup needs no owner
    taken = _toolkit(env, "backup", "--to", str(backup_file))
    assert taken.returncode == 0, taken.stdout + taken.stderr

    target = postgres_server.new_database(set_up=False)
    back = _toolkit(_admin_env(postgres_server, target), "restore", "--from", str(backup_file))
    assert back.returncode == 0, back.stdout + back.stderr
    source, restored = Store(servers_url), Store(target)  # both as the servers' role
    before, after = dump(source.engine)["tables"], dump(restored.engine)["tables"]
    # each command records itself: the source gained its backup's row after the backup was
    # taken; the restored store holds the backed-up rows and then its restore's row
    was, now = before.pop("access_log"), after.pop("access_log")
    assert [r["screen"] for r in was][-1] == "cli:backup"
    assert now[:-1] == was[:-1]
    assert now[-1]["screen"] == "cli:restore"
    assert after == before
    newcomer = restored.add_person("New Starter", ["practitioner"])  # the sequences moved on
    assert newcomer.id > max(p.id for p in source.people())
    with restored.engine.connect() as conn:
        assert conn.execute(select(schema.changes.c.id)).first() is not None
    source.close()
    restored.close()
    assert roles.check_servers_url(target) == []
    postgres_server.drop_database(target)


def _start_hub(database_url: str, **extra: str) -> subprocess.CompletedProcess:
    """Start the Hub as ``tests/support/hub.py`` does, on free loopback ports; a refusal exits while
    the configuration loads, before anything listens. (Should it start, it is stopped.)"""
    from tests.support.voila import free_port

    with tempfile.TemporaryDirectory(prefix="sos-hub-refuses-") as state:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOS_TOOLKIT_")}
        env.update(
            SOS_TOOLKIT_DATABASE_URL=database_url,
            SOS_HUB_STATE_DIR=state,
            SOS_HUB_AUTHENTICATOR="shared-password",
            SOS_HUB_SHARED_PASSWORD="loopback-only-test-password",
            SOS_HUB_BIND_URL=f"http://127.0.0.1:{free_port()}",
            SOS_HUB_API_PORT=str(free_port()),
            SOS_HUB_PROXY_API_PORT=str(free_port()),
            **extra,
        )
        hub = subprocess.Popen(
            [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
            cwd=state,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            output, _ = hub.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGTERM)
            output, _ = hub.communicate(timeout=30)
            pytest.fail(f"The Hub started:\n{output[-3000:]}")
        return subprocess.CompletedProcess(hub.args, hub.returncode, output, "")


def test_the_hub_refuses_to_start_with_the_owners_account(servers_url: str, postgres_server):
    owner = postgres_server.as_role(servers_url, OWNER_ROLE)
    started = _start_hub(owner)
    assert started.returncode != 0
    assert "The Hub will not start" in started.stdout
    assert f"{OWNER_ROLE} owns access_log, actions" in started.stdout
    assert "setup-database" in started.stdout


def test_the_hub_refuses_to_start_holding_the_owners_url(servers_url: str, postgres_server):
    owner = postgres_server.as_role(servers_url, OWNER_ROLE)
    started = _start_hub(servers_url, SOS_TOOLKIT_OWNER_DATABASE_URL=owner)
    assert started.returncode != 0
    assert "SOS_TOOLKIT_OWNER_DATABASE_URL is set in its environment" in started.stdout


def test_an_app_on_a_database_not_set_up_says_so_instead_of_failing(
    postgres_server, monkeypatch, capfd
):
    """A page opened while the schema is behind (e.g. mid-upgrade) shows a plain message;
    the command for the administrator goes to the server's log, not the page."""
    url = postgres_server.new_database(set_up=False)
    monkeypatch.setenv("SOS_TOOLKIT_DATABASE_URL", url)
    box = audit_page(monkeypatch)
    notice = box.children[1]
    assert "database-not-ready" in notice._dom_classes
    assert "not set up for this version" in notice.value
    assert "setup-database" not in notice.value
    assert not any(type(c).__name__ == "AuditApp" for c in box.children)
    assert "python -m toolkit setup-database" in capfd.readouterr().err  # the server's log
    postgres_server.drop_database(url)
