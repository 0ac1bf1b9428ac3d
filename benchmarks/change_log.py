"""The insert-only change log: what typing costs when every save is a row, and what reading
the history costs when bursts are collapsed as it is read.

One audit is typed into as the page saves it: each text box saves on every keystroke, so
``--fields`` boxes of ``--chars`` characters each are ``fields × chars`` saves, one burst (one
entry of the history) per box. Measured: a save's 95th percentile, the history's median read,
and the rows and bytes the audit's change log holds. Baseline, same run, same file: a bare
SQLAlchemy SELECT of that audit's change rows (what any history must cost at least).
"""

from __future__ import annotations

import argparse
import tempfile
import time

from bulk import fill
from common import median, percentile, record
from sqlalchemy import func, select

from toolkit.forms.loader import registry
from toolkit.store import Store, schema


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audits", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=39)  # areas 6-18: three boxes each
    parser.add_argument("--chars", type=int, default=200)
    parser.add_argument("--reads", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.sqlite")
        auditor_id, practitioner_id = fill(store, args.audits)
        auditor = store.person(auditor_id)
        form = registry().latest("collaborative_case_audit")
        audit = store.create_audit(
            form, child_id="LL-BENCH", auditor=auditor,
            practitioner=store.person(practitioner_id), created_by=auditor,
        )  # fmt: skip
        boxes = ("auditor_rationale", "strengths", "areas_to_develop")
        keys = [f"area_{n}.{box}" for n in range(6, 19) for box in boxes][: args.fields]
        typed = "The plan is understood by the family and the school. " * 10
        save_ms = []
        for key in keys:
            for n in range(1, args.chars + 1):
                t = time.perf_counter()
                store.save_answer(audit.id, key, typed[:n], auditor)
                save_ms.append((time.perf_counter() - t) * 1000)
        c = schema.changes.c
        history_ms, bare_ms = [], []
        for _ in range(args.reads):
            t = time.perf_counter()
            entries = store.history(audit.id, auditor)
            history_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            with store.engine.connect() as conn:
                conn.execute(select(schema.changes).where(c.audit_id == audit.id)).all()
            bare_ms.append((time.perf_counter() - t) * 1000)
        with store.engine.connect() as conn:
            rows, size = conn.execute(
                select(
                    func.count(),
                    func.sum(
                        func.coalesce(func.length(c.old_value), 0)
                        + func.coalesce(func.length(c.new_value), 0)
                        + 60  # ids, keys, who, times
                    ),
                ).where(c.audit_id == audit.id)
            ).one()
        figures = {
            "saves": len(save_ms),
            "history_entries": len(entries),
            "change_rows": rows,
            "change_bytes_approx": int(size or 0),
            "save_p95_ms": round(percentile(save_ms, 95), 2),
            "history_median_ms": round(median(history_ms), 2),
            "bare_select_median_ms": round(median(bare_ms), 2),
            "ratio_history_to_bare": round(median(history_ms) / median(bare_ms), 2),
        }
        store.close()
        record("change_log", figures)


if __name__ == "__main__":
    main()
