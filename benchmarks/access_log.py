"""Opening an audit with the access log ÷ without it: 95th percentile, on SQLite with 10,000
audits and 1,000,000 rows already in the log (target: the log adds at most 2 ms at p95).

The openings run in rounds (5 by default); the figure is the median over the rounds of
(p95 with the log − p95 without), as other benchmarks here take medians of runs.
An opening is what the audit app's opening does in the store: read the audit (with the
permission check), read its answers, and — with the log — write the one new row, in its own
transaction (``Store.looking``). The two kinds alternate, on random audits, in the same run and
on the same file, so the machine's noise falls on both alike; the CPU time of each opening
is measured too (it leaves out waiting for a CPU on a busy machine). The log's growth is
measured from the database file (checkpointed) across the logged openings.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from bulk import fill
from common import median, percentile, record
from sqlalchemy import func, select

from toolkit.store import Store, schema

#: an SQLAlchemy DATETIME as SQLite stores it: 2026-01-01 00:00:00.000000
_FILL_LOG = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows)
INSERT INTO access_log (at, person_id, actor, action, record_kind, record_id, screen, allowed)
SELECT strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || (i * 20) || ' seconds') || '.000000',
       :person, 'bench', CASE WHEN i % 10 = 0 THEN 'download' ELSE 'open' END, 'audit',
       CAST(:first + (i * 7919) % :audits AS TEXT), 'audit.ipynb', i % 50 != 0
FROM n
"""


def file_bytes(store: Store, path: Path) -> int:
    """The database file's size with everything written into it (no WAL left over)."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return os.path.getsize(path)


def log_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.access_log)).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audits", type=int, default=10_000)
    parser.add_argument("--log-rows", type=int, default=1_000_000)
    parser.add_argument("--opens", type=int, default=10_000, help="openings of each kind")
    parser.add_argument("--rounds", type=int, default=5, help="the openings in so many rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        store = Store(f"sqlite:///{path}")
        t0 = time.perf_counter()
        auditor_id, _practitioner_id = fill(store, args.audits)
        fill_audits_s = time.perf_counter() - t0
        auditor = store.person(auditor_id)
        with store.engine.connect() as conn:
            first, last = conn.execute(
                select(func.min(schema.audits.c.id), func.max(schema.audits.c.id))
            ).one()
        t0 = time.perf_counter()
        with store.engine.begin() as conn:
            conn.exec_driver_sql(
                _FILL_LOG.replace(":rows", str(args.log_rows))
                .replace(":person", str(auditor_id))
                .replace(":first", str(first))
                .replace(":audits", str(last - first + 1))
            )
        fill_log_s = time.perf_counter() - t0
        rows_before = log_rows(store)
        bytes_before = file_bytes(store, path)

        rng = random.Random(11)
        log_write_ms: list[float] = []

        def open_plain(audit_id: int) -> None:
            store.audit(audit_id, auditor)
            store.answers(audit_id, auditor)

        def open_logged(audit_id: int) -> None:
            with store.looking(
                action="open",
                record_kind="audit",
                record_id=audit_id,
                screen="audit.ipynb",
                person=auditor,
            ):
                store.audit(audit_id, auditor)
                read = time.perf_counter()
            log_write_ms.append((time.perf_counter() - read) * 1000)  # the row's own write
            store.answers(audit_id, auditor)

        for audit_id in range(first, first + 50):  # warm the caches and the pool
            open_plain(audit_id)
        wall: dict[str, list[float]] = {"plain": [], "logged": []}
        cpu: dict[str, list[float]] = {"plain": [], "logged": []}
        round_adds: list[float] = []  # per round: p95 with the log − p95 without
        load_before = os.getloadavg()[0]
        per_round = args.opens // args.rounds
        for _round in range(args.rounds):
            mark = {kind: len(times) for kind, times in wall.items()}
            for i in range(2 * per_round):
                audit_id = rng.randint(first, last)
                kind, opening = ("logged", open_logged) if i % 2 else ("plain", open_plain)
                t, c = time.perf_counter(), time.process_time()
                opening(audit_id)
                wall[kind].append((time.perf_counter() - t) * 1000)
                cpu[kind].append((time.process_time() - c) * 1000)
            this = {kind: percentile(times[mark[kind] :], 95) for kind, times in wall.items()}
            round_adds.append(this["logged"] - this["plain"])
        load_after = os.getloadavg()[0]
        added_rows = log_rows(store) - rows_before
        added_bytes = file_bytes(store, path) - bytes_before
        per_10000 = 10_000 / added_rows
        p95 = {kind: percentile(times, 95) for kind, times in wall.items()}
        cpu_p95 = {kind: percentile(times, 95) for kind, times in cpu.items()}
        adds = median(round_adds)
        figures = {
            "audits_in_store": store.count_audits(),
            "log_rows_before": rows_before,
            "openings_each": args.opens,
            "cpus": os.cpu_count(),
            "load_average_1min_before_after": f"{load_before:.1f} / {load_after:.1f}",
            "fill_audits_s": round(fill_audits_s, 1),
            "fill_log_s": round(fill_log_s, 1),
            "open_without_log_p95_ms": round(p95["plain"], 2),
            "open_without_log_median_ms": round(median(wall["plain"]), 2),
            "open_with_log_p95_ms": round(p95["logged"], 2),
            "open_with_log_median_ms": round(median(wall["logged"]), 2),
            "rounds": args.rounds,
            "log_adds_p95_ms_median_of_rounds": round(adds, 2),
            "log_adds_p95_ms_each_round": ", ".join(f"{a:.2f}" for a in round_adds),
            "log_adds_p95_ms_all_openings": round(p95["logged"] - p95["plain"], 2),
            "ratio_p95_with_to_without": round(p95["logged"] / p95["plain"], 2),
            "cpu_open_without_log_p95_ms": round(cpu_p95["plain"], 2),
            "cpu_open_with_log_p95_ms": round(cpu_p95["logged"], 2),
            "cpu_log_adds_p95_ms": round(cpu_p95["logged"] - cpu_p95["plain"], 2),
            "log_row_write_p95_ms": round(percentile(log_write_ms, 95), 2),
            "log_row_write_median_ms": round(median(log_write_ms), 2),
            "growth_rows_per_10000_opens": round(added_rows * per_10000),
            "growth_bytes_per_10000_opens": round(added_bytes * per_10000),
            "growth_bytes_per_row": round(added_bytes / added_rows),
            "target": "the log adds <= 2 ms at p95 (median of the rounds)",
            "met": adds <= 2,
        }
        store.close()
        print(
            f"p95 with the log ÷ without: {figures['ratio_p95_with_to_without']} "
            f"({p95['logged']:.2f} ms ÷ {p95['plain']:.2f} ms; adds {adds:.2f} ms; "
            f"the row's own write p95 {figures['log_row_write_p95_ms']} ms)"
        )
        record("access_log", figures)


if __name__ == "__main__":
    main()
