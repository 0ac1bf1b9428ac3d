"""Importing an allocation spreadsheet of 5,000 rows (target ≤ 10 s, median of the runs).

Baseline, same run, same file: reading every row with openpyxl alone (read-only, values only),
which any import must at least do. The ratio shows what checking each row against the register
and past audits, and creating 5,000 audits with their prefilled answers in one transaction, add.
Each run imports into a fresh copy of the same store (people only, plus 2,000 past audits).
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from pathlib import Path

from common import median, record
from openpyxl import Workbook, load_workbook

from toolkit.audit.allocation import import_allocation
from toolkit.forms.loader import registry
from toolkit.store import Store

TEAMS = 40
PRACTITIONERS_PER_TEAM = 10
AUDITORS = 60
PAST_AUDITS = 2_000


def build_store(path: Path) -> None:
    store = Store(f"sqlite:///{path}")
    support = store.add_person("Bench Support", ["business_support"], username="support")
    workers = [
        store.add_person(
            f"Worker {t}-{n}", ["practitioner"], username=f"w{t}-{n}", team=f"Team {t}", service="S"
        )
        for t in range(TEAMS)
        for n in range(PRACTITIONERS_PER_TEAM)
    ]
    for t in range(TEAMS):
        store.add_person(f"Manager {t}", ["manager"], username=f"m{t}", team=f"Team {t}")
    auditors = [
        store.add_person(f"Auditor {a}", ["auditor"], username=f"a{a}", team=f"Audit {a % 8}")
        for a in range(AUDITORS)
    ]
    form = registry().latest("collaborative_case_audit")
    store.create_audits(  # history the 12-month and duplicate checks look through
        form,
        (
            {
                "child_id": f"LL-OLD-{i}",
                "auditor": auditors[i % AUDITORS],
                "practitioner": workers[i % len(workers)],
            }
            for i in range(PAST_AUDITS)
        ),
        created_by=support,
    )
    store.close()


def spreadsheet(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Allocation")
    sheet.append(["Auditor", "Child's ID", "Allocated worker", "Staying Together worker"])
    for i in range(rows):
        team = i % TEAMS
        sheet.append(
            [
                f"a{i % AUDITORS}",
                f"LL-{100000 + i}",
                f"Worker {team}-{i % PRACTITIONERS_PER_TEAM}",
                None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_only_baseline(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = spreadsheet(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.sqlite"
        build_store(template)
        baseline, toolkit = [], []
        for run in range(args.runs):
            t = time.perf_counter()
            assert read_only_baseline(data) == args.rows + 1
            baseline.append(time.perf_counter() - t)

            copy = Path(tmp) / f"run{run}.sqlite"
            shutil.copy(template, copy)
            store = Store(f"sqlite:///{copy}")
            by = store.person_by_username("support")
            t = time.perf_counter()
            ids = import_allocation(store, data, "allocation.xlsx", by)
            toolkit.append(time.perf_counter() - t)
            assert len(ids) == args.rows
            store.close()
    import_s, read_s = median(toolkit), median(baseline)
    record(
        "allocation_import",
        {
            "rows": args.rows,
            "runs": args.runs,
            "file_kb": round(len(data) / 1024),
            "import_median_s": round(import_s, 2),
            "openpyxl_read_only_median_s": round(read_s, 2),
            "ratio_to_baseline": round(import_s / read_s, 1),
            "target_s": 10,
            "meets_target": import_s <= 10,
        },
    )


if __name__ == "__main__":
    main()
