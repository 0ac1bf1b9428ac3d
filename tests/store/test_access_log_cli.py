"""Who looked, at the command line: every administrator command records itself (the system user,
``cli:<command>``), and ``access-log`` prints the log by period and audit, as a table or CSV; a
malformed date is a clear error with exit code 2 and nothing on standard output."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from tests.support.audits import completed_audit
from toolkit.cli.main import main
from toolkit.store import Store
from toolkit.store.access import system_actor
from toolkit.store.moderations import Moderations

TODAY = dt.date.today().isoformat()


@pytest.fixture
def world(store: Store) -> dict:
    auditor = store.add_person("Ada Auditor", ["auditor"], team="North")
    practitioner = store.add_person("Priya Practitioner", ["practitioner"], team="South")
    qa = store.add_person("Quinn QA", ["quality_assurance"])
    store.add_person("Mo Moderator", ["moderator"])
    first = completed_audit(store, auditor, practitioner, 6)
    second = completed_audit(store, auditor, practitioner, 2, child_id="LL-2")
    return {"first": first, "second": second, "qa": qa, "practitioner": practitioner}


def commands(store: Store) -> list[tuple]:
    return [
        (r.actor, r.action, r.record_kind, r.record_id, r.screen, r.allowed)
        for r in store.access_log_for_admin()
    ]


def run(data_dir: Path, *args: str) -> int:
    return main([*args, "--data-dir", str(data_dir)])


def test_each_administrator_command_records_itself(
    store, data_dir, world, tmp_path, capsys, monkeypatch
):
    me = system_actor()
    assert me.startswith("system:")
    first = str(world["first"])
    assert run(data_dir, "export-audit", first, "-o", str(tmp_path / "a.html")) == 0
    assert run(data_dir, "export-audit", "999", "-o", str(tmp_path / "b.html")) == 1
    period = ["--from", TODAY, "--to", TODAY]
    assert run(data_dir, "export-audits", *period, "-o", str(tmp_path / "p.csv")) == 0
    report = ["--month", TODAY[:7], "--format", "xlsx", "--out", str(tmp_path)]
    assert run(data_dir, "report", *report) == 0
    people = tmp_path / "people.csv"
    people.write_text("Name,Username,Email,Team,Service,Roles\nRae New,rae,,Team D,S,auditor\n")
    assert run(data_dir, "import-people", str(people)) == 0
    assert run(data_dir, "backup", "--to", str(tmp_path / "b.json")) == 0
    assert commands(store) == [
        (me, "download", "audit", first, "cli:export-audit", True),
        (me, "download", "audit", "999", "cli:export-audit", False),
        (me, "export", "period_export", None, "cli:export-audits", True),
        (me, "export", "period_export", None, "cli:report", True),
        (me, "command", "command", None, "cli:import-people", True),
        (me, "command", "command", None, "cli:backup", True),
    ]
    rows = store.access_log_for_admin()
    assert rows[0].detail == "HTML"
    assert "There is no audit 999" in rows[1].detail
    assert rows[2].detail == f"audits {TODAY} to {TODAY} as csv"
    assert rows[3].detail == f"quarterly report {TODAY[:7]} as xlsx"
    assert rows[4].detail == "people.csv: added 1, updated 0"
    # a restore into an empty store records itself after the restore, beside the rows it brought
    empty = tmp_path / "restored"
    monkeypatch.delenv("SOS_TOOLKIT_DATABASE_URL", raising=False)  # into a new SQLite folder
    assert main(["restore", "--from", str(tmp_path / "b.json"), "--data-dir", str(empty)]) == 0
    restored = Store(f"sqlite:///{empty / 'toolkit.sqlite'}")
    try:
        assert [r.screen for r in restored.access_log_for_admin()] == [
            "cli:export-audit",
            "cli:export-audit",
            "cli:export-audits",
            "cli:report",
            "cli:import-people",
            "cli:restore",  # the backup was taken before its own row was written
        ]
    finally:
        restored.close()


def test_access_log_prints_the_period_and_filters_by_audit(store, data_dir, world, capsys):
    first, second, qa = world["first"], world["second"], world["qa"]
    pat = world["practitioner"]
    for audit_id, person, allowed in ((first, pat, True), (second, qa, True), (first, qa, False)):
        store.record_access(
            action="open",
            record_kind="audit",
            record_id=audit_id,
            screen="audit.ipynb",
            person=person,
            allowed=allowed,
        )
    (m,) = Moderations(store).select_and_allocate(qa, dt.date.today(), 0.0, seed=1)
    store.record_access(
        action="open", record_kind="moderation", record_id=m.id, screen="moderation.ipynb"
    )
    capsys.readouterr()
    assert run(data_dir, "access-log", "--since", TODAY) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["When", "(UK", "time)", "Who"]
    assert len(table) == 1 + 4
    assert "REFUSED" in table[3]
    assert "Priya Practitioner" in table[1]

    only = ["--audit", str(m.audit_id), "--format", "csv"]
    assert run(data_dir, "access-log", "--since", TODAY, *only) == 0
    shown = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    # the audit's own rows and its moderation's (a moderation shows the audit), no other audit's
    expected = [("audit", str(m.audit_id))] * (2 if m.audit_id == first else 1)
    assert sorted((r[3], r[4]) for r in shown) == sorted([*expected, ("moderation", str(m.id))])

    assert run(data_dir, "access-log", "--since", TODAY, "--format", "csv") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("When (UTC),Who,Action")
    # the earlier access-log commands are rows too (who read the log)
    assert sum(",cli:access-log," in line for line in lines) == 2

    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert run(data_dir, "access-log", "--since", yesterday, "--until", yesterday) == 0
    assert capsys.readouterr().out.splitlines()[1:] == []  # nothing happened yesterday


@pytest.mark.parametrize(
    "dates",
    [
        ["--since", "2026-13-01"],
        ["--since", "yesterday"],
        ["--since", "2026-03-01", "--until", "01/03/2026"],
        ["--since", "2026-03-02", "--until", "2026-03-01"],
    ],
)
def test_a_malformed_date_is_an_error_with_nothing_on_standard_output(
    store, data_dir, world, capsys, dates
):
    assert run(data_dir, "access-log", *dates) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith("toolkit access-log: ")
    assert commands(store) == []  # a refused command reads nothing and records nothing
