"""Saving one answer with 100,000 audits in the store: 95th percentile (target ≤ 2 ms, issue
16; it was ≤ 10 ms at 10,000 audits before).

Baseline, same run, same database file: a bare SQLAlchemy upsert of one row and commit — what
any save must cost at least. The ratio shows what validation, permissions, revision check,
change log and state update add.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from bulk import fill
from common import median, percentile, record
from sqlalchemy import text

from toolkit.forms.loader import registry
from toolkit.store import Store

TARGET_MS = 2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audits", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.sqlite")
        t0 = time.perf_counter()
        auditor_id, practitioner_id = fill(store, args.audits)
        fill_seconds = time.perf_counter() - t0
        auditor = store.person(auditor_id)
        practitioner = store.person(practitioner_id)
        form = registry().latest("collaborative_case_audit")
        audit = store.create_audit(
            form,
            child_id="LL-BENCH",
            auditor=auditor,
            practitioner=practitioner,
            created_by=auditor,
        )
        keys = form.scale_keys("area_scale")
        toolkit_ms, bare_ms = [], []
        with store.engine.connect() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS bare (k TEXT PRIMARY KEY, v TEXT)"))
            conn.commit()
        for i in range(args.saves):
            key = keys[i % len(keys)]
            t = time.perf_counter()
            store.save_answer(audit.id, key, i % 11, auditor)
            toolkit_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            with store.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO bare (k, v) VALUES (:k, :v) "
                        "ON CONFLICT(k) DO UPDATE SET v = excluded.v"
                    ),
                    {"k": key, "v": json.dumps(i % 11)},
                )
            bare_ms.append((time.perf_counter() - t) * 1000)
        figures = {
            "audits_in_store": store.count_audits(),
            "saves": args.saves,
            "fill_seconds": round(fill_seconds, 1),
            "save_p95_ms": round(percentile(toolkit_ms, 95), 2),
            "save_median_ms": round(median(toolkit_ms), 2),
            "bare_upsert_p95_ms": round(percentile(bare_ms, 95), 2),
            "ratio_p95_to_bare": round(percentile(toolkit_ms, 95) / percentile(bare_ms, 95), 2),
            "target": f"save p95 <= {TARGET_MS} ms",
            "met": percentile(toolkit_ms, 95) <= TARGET_MS,
        }
        record(f"save_answer_{args.audits}", figures)


if __name__ == "__main__":
    main()
