"""Allocation and the people register from spreadsheets: all or nothing, every bad row named."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from tests.support.register import World, build_world, snapshot
from toolkit.audit.allocation import check_file, import_allocation, template
from toolkit.audit.people import PeopleIndex, import_people, parse_roles
from toolkit.core.spreadsheets import (
    ImportRejected,
    SpreadsheetError,
    csv_bytes,
    neutralise,
    workbook_bytes,
)
from toolkit.store import Store

HEAD = ["Auditor", "Child's ID", "Allocated worker", "Staying Together worker"]


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems_of(world: World, rows: list[list], name: str = "a.xlsx") -> list[str]:
    checked = check_file(world.store, xlsx([HEAD, *rows]), name)
    return [str(p) for p in checked.problems]


def test_good_rows_allocate_audits_in_the_allocated_state(world: World) -> None:
    data = xlsx(
        [HEAD, ["ada", "LL-300001", "olly", None], ["Abe Auditor", "LL-300002", "pat", "sky"]]
    )
    ids = import_allocation(world.store, data, "allocation.xlsx", world["bea"])
    audits = [world.store.audit(i) for i in ids]
    assert [(a.child_id, a.state) for a in audits] == [
        ("LL-300001", "allocated"),
        ("LL-300002", "allocated"),
    ]
    assert audits[0].auditor_id == world["ada"].id
    assert audits[0].practitioner_id == world["olly"].id
    assert audits[0].manager_id == world["mia"].id  # team A's manager, from the register
    assert audits[1].staying_together_id == world["sky"].id
    answers = world.store.answer_values(ids[1])
    assert answers["people.practitioner_name"] == "Pat O'Neil"


def test_every_bad_row_is_listed_and_nothing_is_created(world: World) -> None:
    rows = [
        ["ada", "LL-300001", "olly", None],  # row 2: fine
        ["Nobody Known", "LL-300003", "olly", None],  # row 3: unknown auditor
        ["ada", None, "olly", None],  # row 4: missing child's ID
        ["mia", "LL-300005", "olly", None],  # row 5: not an auditor (and own team)
        ["abe", "LL-300006", "Ghost Worker", None],  # row 6: unknown worker
        ["ada", "LL-300001", "pat", None],  # row 7: duplicate of row 2
        ["ada", "LL-200001", "pat", None],  # row 8: audit #open under way for this child
        ["ada", "@SUM(1)", "pat", None],  # row 9: text starting @ is data, and not an ID
    ]
    before = snapshot(world.store)
    with pytest.raises(ImportRejected) as rejected:
        import_allocation(world.store, xlsx([HEAD, *rows]), "a.xlsx", world["bea"])
    assert snapshot(world.store) == before
    found: dict[int, str] = {}
    for problem in rejected.value.problems:
        found[problem.row] = found.get(problem.row, "") + problem.reason + ". "
    assert sorted(found) == [3, 4, 5, 6, 7, 8, 9]
    assert "unknown auditor" in found[3]
    assert "Nobody Known" in found[3]
    assert "child's ID is missing" in found[4]
    assert "not an auditor" in found[5]
    assert "unknown allocated worker" in found[6]
    assert "duplicate" in found[7]
    assert "row 2" in found[7]
    assert "under way" in found[8]
    assert "LiquidLogic ID" in found[9]
    assert "Row 3:" in str(rejected.value)


def test_the_auditor_must_be_from_another_team(world: World) -> None:
    world.store.add_person("Tara Auditor", ["auditor"], username="tara", team="Team A")
    (problem,) = problems_of(world, [["tara", "LL-300010", "pat", None]])
    assert problem.startswith("Row 2:")
    assert "own team (Team A)" in problem


def test_a_child_audited_in_the_last_12_months_is_a_warning_that_can_be_accepted(
    world: World,
) -> None:
    data = xlsx([HEAD, ["ada", "LL-200002", "olly", None], ["ada", "LL-300011", "olly", None]])
    checked = check_file(world.store, data, "a.xlsx")
    assert not checked.errors
    (warning,) = checked.warnings
    assert warning.row == 2
    assert "last 12 months" in warning.reason
    before = snapshot(world.store)
    with pytest.raises(ImportRejected, match="need accepting"):
        import_allocation(world.store, data, "a.xlsx", world["bea"])
    assert snapshot(world.store) == before
    ids = import_allocation(world.store, data, "a.xlsx", world["bea"], accept_warnings=True)
    assert len(ids) == 2
    # a year and a day later it is no longer recent
    later = dt.date.today() + dt.timedelta(days=366)
    assert not check_file(world.store, data, "a.xlsx", today=later).warnings


def test_csv_with_semicolons_bom_and_other_heading_spellings(world: World) -> None:
    data = "\ufeffauditor;CHILD’S ID;Allocated Worker\nada;LL-300020;olly\n\n".encode()
    ids = import_allocation(world.store, data, "allocation.csv", world["bea"])
    assert world.store.audit(ids[0]).child_id == "LL-300020"


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"", "a.xlsx", "empty file"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "could not be read as an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls", "Excel 97"),
        (b"%PDF-1.7", "a.pdf", "not a spreadsheet"),
        (b"\x00\x01\x02binary", "a.csv", "not a text"),
        (b"Auditor,Allocated worker\nada,olly\n", "a.csv", "missing the column “Child's ID”"),
        (b"Auditor,Child's ID,Allocated worker\n", "a.csv", "no rows"),
        (b"\n\n", "a.csv", "is empty"),
    ],
)
def test_broken_files_are_explained(world: World, data: bytes, name: str, says: str) -> None:
    before = snapshot(world.store)
    with pytest.raises(SpreadsheetError, match=says):
        import_allocation(world.store, data, name, world["bea"])
    assert snapshot(world.store) == before


def test_the_template_has_the_headings_and_reads_back(world: World) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template()))
    assert [c.value for c in book["Allocation"][1]] == HEAD
    with pytest.raises(SpreadsheetError, match="no rows"):
        check_file(world.store, template(), "allocation-template.xlsx")


@pytest.mark.parametrize("text", ["=1+2", "+44 20", "-3", "@SUM(A1)", "\tcmd"])
def test_cells_written_out_never_start_a_formula(text: str) -> None:
    assert neutralise(text) == "'" + text
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes({"S": [["h"], [text]]})))
    cell = book["S"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + text
    (read_back,) = next(csv.reader(io.StringIO(csv_bytes([[text]]).decode("utf-8-sig"))))
    assert not read_back.startswith(("=", "+", "-", "@", "\t"))
    assert neutralise("LL-1") == "LL-1"
    assert neutralise(7) == 7


def test_a_formula_cell_is_read_as_its_value_never_run(world: World) -> None:
    book = openpyxl.Workbook()
    book.active.append(HEAD)
    book.active.append(["ada", '=CONCAT("LL-","300030")', "olly"])
    out = io.BytesIO()
    book.save(out)  # openpyxl saves no cached value: data_only reads None, not the formula
    (problem,) = [str(p) for p in check_file(world.store, out.getvalue(), "f.xlsx").problems]
    assert "child's ID is missing" in problem


# --- the people register ---------------------------------------------------------------------


PEOPLE_HEAD = "Name,Username,Email,Team,Service,Roles\n"


def test_people_import_adds_and_updates(world: World) -> None:
    data = (
        PEOPLE_HEAD
        + "Rae New,rae,rae@example.org,Team D,Children Looked After,Auditor; team manager\n"
        + "Pat O'Neil,pat,pat@example.org,Team B,S1,practitioner\n"
    ).encode()
    result = import_people(world.store, data, "people.csv", world["quinn"])
    assert (result.added, result.updated) == (1, 1)
    rae = world.store.person_by_username("rae")
    assert rae.roles == {"auditor", "manager"}
    assert rae.team == "Team D"
    assert world.store.person_by_username("pat").team == "Team B"


def test_people_import_lists_every_bad_row_and_changes_nobody(world: World) -> None:
    data = (
        PEOPLE_HEAD
        + ",nobody,,,,auditor\n"  # row 2: no name
        + "Zed,zed,not-an-email,,,auditor\n"  # row 3: bad email
        + "Yan,yan,,,,wizard\n"  # row 4: unknown role
        + "Xi,zed,,,,auditor\n"  # row 5: username also on row 3
        + "Wu,wu,,,,\n"  # row 6: no roles
    ).encode()
    before = snapshot(world.store)
    with pytest.raises(ImportRejected) as rejected:
        import_people(world.store, data, "people.csv", world["quinn"])
    assert snapshot(world.store) == before
    rows = [(p.row, p.reason) for p in rejected.value.problems]
    assert [r for r, _ in rows] == [2, 3, 4, 5, 6]
    assert "name is missing" in rows[0][1]
    assert "not an email" in rows[1][1]
    assert "“wizard” is not a role" in rows[2][1]
    assert "also on row 3" in rows[3][1]
    assert "roles are missing" in rows[4][1]


def test_roles_are_read_from_names_or_labels() -> None:
    assert parse_roles("Head of service, deputy_director;Quality Assurance") == {
        "head_of_service",
        "deputy_director",
        "quality_assurance",
    }


def test_people_are_found_by_username_email_or_unique_name(world: World) -> None:
    index = PeopleIndex([*world.people.values()])
    assert index.find("ABE").name == "Abe Auditor"
    assert index.find(" abe@example.org ").name == "Abe Auditor"
    assert index.find("abe  auditor").name == "Abe Auditor"
    world.store.add_person("Abe Auditor", ["auditor"], username="abe2")
    with pytest.raises(ValueError, match="more than one"):
        PeopleIndex(world.store.people()).find("Abe Auditor")


def test_the_register_is_imported_from_the_command_line(tmp_path) -> None:
    import subprocess
    import sys

    data = tmp_path / "data"
    good, bad = tmp_path / "people.csv", tmp_path / "bad.csv"
    good.write_text(PEOPLE_HEAD + "Rae New,rae,rae@example.org,Team D,S,Auditor\n")
    bad.write_text(PEOPLE_HEAD + "Rae New,rae,,,,auditor\nZed,zed,,,,wizard\n,x,,,,auditor\n")
    command = [sys.executable, "-m", "toolkit", "import-people", "--data-dir", str(data)]
    refused = subprocess.run([*command, str(bad)], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert "Row 3: “wizard” is not a role" in refused.stderr
    assert "Row 4:" in refused.stderr
    done = subprocess.run([*command, str(good)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "Added 1 and updated 0 people." in done.stdout
    store = Store(f"sqlite:///{data / 'toolkit.sqlite'}")
    try:
        assert [p.username for p in store.people()] == ["rae"]
    finally:
        store.close()


# --- headings that look like known ones ---------------------------------------------------


def test_a_misspelt_staying_together_heading_is_refused_and_nothing_is_allocated(
    world: World,
) -> None:
    head = ["Auditor", "Child's ID", "Allocated worker", "Stayng Together wrker"]
    data = xlsx([head, ["ada", "LL-300001", "olly", "sky"]])
    before = snapshot(world.store)
    with pytest.raises(SpreadsheetError) as caught:
        import_allocation(world.store, data, "allocation.xlsx", world["bea"])
    message = str(caught.value)
    assert "allocation.xlsx" in message
    assert "column D is headed “Stayng Together wrker”" in message
    assert "looks like “Staying Together worker”" in message
    assert "Nothing was imported" in message
    assert snapshot(world.store) == before

    # spelt right, with headings of the sheet's own that are like no known column: imported
    head = ["Auditor", "Child's ID", "Allocated worker", "Staying Together worker", "Notes"]
    fixed = xlsx([[*head, "Date allocated"], ["ada", "LL-300001", "olly", "sky", "x", "1 May"]])
    (audit_id,) = import_allocation(world.store, fixed, "allocation.xlsx", world["bea"])
    assert world.store.audit(audit_id).staying_together_id == world["sky"].id


def test_a_misspelt_people_register_heading_names_the_heading_it_looks_like(
    store: Store,
) -> None:
    rows = [
        ["Name", "Usrname", "Email adress", "Team", "Service", "Roles"],
        ["Pat O'Neil", "pat", "pat@example.org", "Team A", "CP", "practitioner"],
    ]
    with pytest.raises(SpreadsheetError) as caught:
        import_people(store, xlsx(rows), "people.xlsx", None)
    message = str(caught.value)
    assert "column B is headed “Usrname”, which looks like “Username”" in message
    assert "column C is headed “Email adress”, which looks like “Email”" in message
    assert store.people() == []
