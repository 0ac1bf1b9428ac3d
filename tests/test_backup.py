"""Backup and restore: a round trip gives back every row, on SQLite, on PostgreSQL and across."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pgserver import empty_database

from toolkit.backup import BackupError, backup, dump, restore
from toolkit.demo import seed_demo
from toolkit.store import Store

REPO_DIR = Path(__file__).resolve().parents[1]


def _normal(tables: dict) -> dict:
    """Rows with every time as an aware UTC instant (SQLite keeps them naive)."""

    def fix(value):
        if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
            moment = dt.datetime.fromisoformat(value)
            return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).isoformat()
        return value

    return {
        name: [{k: fix(v) for k, v in row.items()} for row in rows] for name, rows in tables.items()
    }


@pytest.fixture
def target_url(request: pytest.FixtureRequest, tmp_path: Path):
    """Where the backup is restored: chosen by the test's ``target`` parameter."""
    yield from empty_database(request, request.param, tmp_path / "restored.sqlite")


@pytest.mark.parametrize("target_url", ["sqlite", "postgresql"], indirect=True)
def test_a_backup_restores_every_row_exactly(database_url: str, target_url: str, tmp_path: Path):
    source = Store(database_url)
    seed_demo(source)
    file = tmp_path / "backup.json"
    counts = backup(source.engine, file)
    assert counts["answers"] > 50 and counts["audits"] == 6 and counts["changes"] > 0

    target = Store(target_url)
    assert restore(target.engine, file) == counts
    assert _normal(dump(target.engine)["tables"]) == _normal(dump(source.engine)["tables"])
    qa = next(p for p in target.people() if "quality_assurance" in p.roles)
    for audit in target.audits_for(qa, include_demo=True):
        assert target.answer_values(audit.id) == source.answer_values(audit.id)
        assert target.actions(audit.id) == source.actions(audit.id)
    # new rows after a restore get new ids (PostgreSQL's sequences were moved past the old ones)
    newcomer = target.add_person("New Starter", ["practitioner"])
    assert newcomer.id > max(p.id for p in source.people())
    source.close()
    target.close()


def test_restore_only_into_an_empty_store_and_changes_nothing(database_url: str, tmp_path: Path):
    store = Store(database_url)
    seed_demo(store)
    file = tmp_path / "backup.json"
    backup(store.engine, file)
    before = dump(store.engine)["tables"]
    with pytest.raises(BackupError, match="empty store"):
        restore(store.engine, file)
    assert dump(store.engine)["tables"] == before
    store.close()


def test_a_broken_backup_file_is_refused_and_nothing_is_written(database_url: str, tmp_path: Path):
    store = Store(database_url)
    seed_demo(store)
    file = tmp_path / "backup.json"
    backup(store.engine, file)
    data = json.loads(file.read_text())
    data["tables"]["answers"].append(dict(data["tables"]["answers"][0]))  # a duplicate key
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    empty = Store(f"sqlite:///{tmp_path}/empty.sqlite")
    with pytest.raises(Exception, match="nothing was changed"):
        restore(empty.engine, bad)
    assert all(not rows for rows in dump(empty.engine)["tables"].values())
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(BackupError, match="not a toolkit backup"):
        restore(empty.engine, tmp_path / "junk.json")
    store.close()
    empty.close()


def test_the_backup_and_restore_commands_round_trip(tmp_path: Path):
    def toolkit(*args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k != "SOS_TOOLKIT_DATABASE_URL"}
        return subprocess.run(
            [sys.executable, "-m", "toolkit", *args],
            cwd=REPO_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    first, second = tmp_path / "one", tmp_path / "two"
    assert toolkit("seed-demo", "--data-dir", str(first)).returncode == 0
    made = toolkit("backup", "--to", str(tmp_path / "b.json"), "--data-dir", str(first))
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout
    back = toolkit("restore", "--from", str(tmp_path / "b.json"), "--data-dir", str(second))
    assert back.returncode == 0, back.stderr
    again = toolkit("restore", "--from", str(tmp_path / "b.json"), "--data-dir", str(second))
    assert again.returncode == 1 and "empty store" in again.stdout
    a = Store(f"sqlite:///{first}/toolkit.sqlite")
    b = Store(f"sqlite:///{second}/toolkit.sqlite")
    tables_a, tables_b = dump(a.engine)["tables"], dump(b.engine)["tables"]
    # each store's access log holds the command run on it: the backup, then (after) the restore
    assert [r["screen"] for r in tables_a.pop("access_log")] == ["cli:backup"]
    assert [r["screen"] for r in tables_b.pop("access_log")] == ["cli:restore"]
    assert tables_a == tables_b
    a.close()
    b.close()
