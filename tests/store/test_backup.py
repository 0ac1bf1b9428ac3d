"""Backup and restore: a round trip gives back every row, on SQLite, on PostgreSQL and across; a
file that does not match its manifest is refused, saying which table, showing no stored text and
writing nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.commands import toolkit as run_toolkit
from tests.support.pgserver import OWNER_ROLE, SERVERS_ROLE, empty_database
from toolkit.demo.seed import seed_demo
from toolkit.store import Store
from toolkit.store.backup import BackupError, backup, dump, manifest, restore

REPO_DIR = Path(__file__).resolve().parents[2]


def _resealed(data: dict) -> dict:
    """The file with a manifest made for its rows as they now are (a careful forger's edit)."""
    return {**data, "manifest": manifest(data["tables"])}


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
    """Where the backup is restored: chosen by the test's ``target`` parameter; on PostgreSQL
    as the owner, who alone restores (it moves the id sequences)."""
    yield from empty_database(request, request.param, tmp_path / "restored.sqlite", OWNER_ROLE)


@pytest.mark.parametrize("target_url", ["sqlite", "postgresql"], indirect=True)
def test_a_backup_restores_every_row_exactly(database_url: str, target_url: str, tmp_path: Path):
    source = Store(database_url)
    seed_demo(source)
    file = tmp_path / "backup.json"
    counts = backup(source.engine, file)
    assert counts["answers"] > 50
    assert counts["audits"] == 6
    assert counts["changes"] > 0

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


def test_a_file_the_database_refuses_is_refused_whole_and_nothing_is_written(
    database_url: str, tmp_path: Path
):
    """A duplicate key behind a manifest that matches it: the database refuses the row, and
    the rows written before it are rolled back."""
    store = Store(database_url)
    seed_demo(store)
    file = tmp_path / "backup.json"
    backup(store.engine, file)
    data = json.loads(file.read_text())
    data["tables"]["answers"].append(dict(data["tables"]["answers"][0]))  # a duplicate key
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_resealed(data)))
    empty = Store(f"sqlite:///{tmp_path}/empty.sqlite")
    with pytest.raises(Exception, match=r"while writing table answers.*Nothing was restored"):
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
        return run_toolkit(env, *args, timeout=120)

    first, second = tmp_path / "one", tmp_path / "two"
    assert toolkit("seed-demo", "--data-dir", str(first)).returncode == 0
    made = toolkit("backup", "--to", str(tmp_path / "b.json"), "--data-dir", str(first))
    assert made.returncode == 0, made.stderr
    assert "Backed up" in made.stdout
    back = toolkit("restore", "--from", str(tmp_path / "b.json"), "--data-dir", str(second))
    assert back.returncode == 0, back.stderr
    again = toolkit("restore", "--from", str(tmp_path / "b.json"), "--data-dir", str(second))
    assert again.returncode == 1
    assert "empty store" in again.stderr
    a = Store(f"sqlite:///{first}/toolkit.sqlite")
    b = Store(f"sqlite:///{second}/toolkit.sqlite")
    tables_a, tables_b = dump(a.engine)["tables"], dump(b.engine)["tables"]
    # each store's access log holds the command run on it: the backup, then (after) the restore
    assert [r["screen"] for r in tables_a.pop("access_log")] == ["cli:backup"]
    assert [r["screen"] for r in tables_b.pop("access_log")] == ["cli:restore"]
    assert tables_a == tables_b
    a.close()
    b.close()


# --- a backup proves itself -----------------------------------------------------------------

CHILD_TEXT = "Zephyrine's nan keeps the blue rabbit under the stairs for her"


def _drop_other_answers(data: dict) -> None:
    answers = data["tables"]["answers"]
    data["tables"]["answers"] = [a for a in answers if CHILD_TEXT in (a["value"] or "")]


def _edit_the_text(data: dict) -> None:
    for row in data["tables"]["answers"]:
        if CHILD_TEXT in (row["value"] or ""):
            row["value"] = row["value"].replace("blue", "red")


def _duplicate_the_row_resealed(data: dict) -> None:
    row = next(a for a in data["tables"]["answers"] if CHILD_TEXT in (a["value"] or ""))
    data["tables"]["answers"].append(dict(row))
    data.update(_resealed(data))


def _text_in_a_time_column_resealed(data: dict) -> None:
    row = next(a for a in data["tables"]["answers"] if CHILD_TEXT in (a["value"] or ""))
    row["updated_at"] = CHILD_TEXT
    data.update(_resealed(data))


def _manifest_removed(data: dict) -> None:
    del data["manifest"]


def _table_removed(data: dict) -> None:
    del data["tables"]["changes"]


CORRUPTIONS = [
    # how the file is damaged, the table the error names, words it says
    (_drop_other_answers, "answers", "manifest says"),
    (_edit_the_text, "answers", "do not match the manifest's checksum"),
    (_duplicate_the_row_resealed, "answers", "breaks one of its rules"),
    (_text_in_a_time_column_resealed, "answers", "not a date or time"),
    (_manifest_removed, None, "no readable manifest"),
    (_table_removed, "changes", "which the file lacks"),
]


@pytest.fixture
def backup_with_child_text(tmp_path: Path) -> dict:
    """A backup (as JSON data) of the demo store plus one answer holding ``CHILD_TEXT``."""
    source = Store(f"sqlite:///{tmp_path}/source.sqlite")
    made = seed_demo(source)
    audit = source.audit(next(iter(made["audits"].values())))
    auditor = source.person(audit.auditor_id)
    source.save_answer(audit.id, "area_6.auditor_rationale", CHILD_TEXT, auditor)
    file = tmp_path / "backup.json"
    backup(source.engine, file)
    source.close()
    data = json.loads(file.read_text(encoding="utf-8"))
    assert CHILD_TEXT in file.read_text(encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("corrupt", "table", "says"), CORRUPTIONS, ids=[c[0].__name__.strip("_") for c in CORRUPTIONS]
)
def test_a_damaged_backup_is_refused_naming_the_table_without_its_text(
    database_url: str,
    backup_with_child_text: dict,
    tmp_path: Path,
    corrupt,
    table: str | None,
    says: str,
):
    data = backup_with_child_text
    corrupt(data)
    bad = tmp_path / "damaged.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    env = {**os.environ, "SOS_TOOLKIT_DATABASE_URL": database_url}
    refused = subprocess.run(
        [sys.executable, "-m", "toolkit", "restore", "--from", str(bad)],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith("error: ")
    assert "Nothing was restored." in refused.stderr
    assert "Traceback" not in refused.stderr
    if table is not None:
        assert f"table {table}" in refused.stderr.lower()
    assert says in refused.stderr
    for words in (CHILD_TEXT, "Zephyrine", "blue rabbit", "red rabbit"):
        assert words not in refused.stderr
    target = Store(database_url)
    try:
        assert all(not rows for rows in dump(target.engine)["tables"].values())
    finally:
        target.close()


def test_a_backup_carries_a_manifest_of_rows_and_checksums(database_url: str, tmp_path: Path):
    store = Store(database_url)
    seed_demo(store)
    file = tmp_path / "backup.json"
    counts = backup(store.engine, file)
    store.close()
    data = json.loads(file.read_text(encoding="utf-8"))
    tables = data["manifest"]["tables"]
    assert data["version"] == data["manifest"]["format_version"] == 2
    assert {name: entry["rows"] for name, entry in tables.items()} == counts
    assert all(len(entry["sha256"]) == 64 for entry in tables.values())
    assert tables["answers"]["columns"][:2] == ["audit_id", "field_key"]
    # the checksum does not depend on the database: the same rows from the other kind agree
    other = Store(f"sqlite:///{tmp_path}/other.sqlite")
    restore(other.engine, file)
    again = tmp_path / "again.json"
    backup(other.engine, again)
    other.close()
    assert json.loads(again.read_text(encoding="utf-8"))["manifest"] == data["manifest"]


def test_a_backup_made_before_manifests_is_refused_unless_trusted(
    database_url: str, tmp_path: Path
):
    source = Store(f"sqlite:///{tmp_path}/source.sqlite")
    seed_demo(source)
    file = tmp_path / "backup.json"
    counts = backup(source.engine, file)
    source.close()
    data = json.loads(file.read_text(encoding="utf-8"))
    old = {k: v for k, v in data.items() if k != "manifest"} | {"version": 1}  # format 1
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(old), encoding="utf-8")

    def toolkit_restore(*flags: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "SOS_TOOLKIT_DATABASE_URL": database_url,
            # restore runs as the owner (it makes tables and moves the id sequences)
            "SOS_TOOLKIT_OWNER_DATABASE_URL": database_url.replace(SERVERS_ROLE, OWNER_ROLE),
        }
        command = [sys.executable, "-m", "toolkit", "restore", "--from", str(old_file), *flags]
        return subprocess.run(
            command, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120
        )

    refused = toolkit_restore()
    assert refused.returncode == 1
    assert "carries no manifest" in refused.stderr
    assert "--unverified" in refused.stderr
    target = Store(database_url)
    assert all(not rows for rows in dump(target.engine)["tables"].values())
    target.close()

    trusted = toolkit_restore("--unverified")
    assert trusted.returncode == 0, trusted.stderr
    assert trusted.stderr.startswith("warning: ")
    assert "no manifest" in trusted.stderr
    assert f"Restored {sum(counts.values())} rows" in trusted.stdout
    target = Store(database_url)
    restored = dump(target.engine)["tables"]
    target.close()
    # the restore records itself in the access log, after the restored rows
    assert [r["screen"] for r in restored.pop("access_log")] == ["cli:restore"]
    assert _normal(restored) == _normal(
        {k: v for k, v in data["tables"].items() if k != "access_log"}
    )


def test_restore_check_only_reads_the_file(tmp_path: Path):
    source = Store(f"sqlite:///{tmp_path}/source.sqlite")
    seed_demo(source)
    file = tmp_path / "backup.json"
    counts = backup(source.engine, file)
    source.close()
    env = {k: v for k, v in os.environ.items() if k != "SOS_TOOLKIT_DATABASE_URL"}
    target = tmp_path / "target"
    checked = subprocess.run(
        [sys.executable, "-m", "toolkit", "restore", "--check", "--from", str(file),
         "--data-dir", str(target)],
        cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert f"matches its manifest: {sum(counts.values())} rows" in checked.stdout
    assert not (target / "toolkit.sqlite").exists()
