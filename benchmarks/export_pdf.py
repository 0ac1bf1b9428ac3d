"""Exporting one audit to PDF (target ≤ 3 s): the record of a completed, moderated demo audit.

Baseline, same run, same process: WeasyPrint rendering a one-paragraph HTML page — the fixed cost
of any PDF. The ratio shows what the whole audit (every section, actions and moderation) adds.
The first export in a fresh process (WeasyPrint imported, fonts found) is reported separately.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from common import median, record

from toolkit.audit import records
from toolkit.demo.seed import moderated_demo
from toolkit.store import Store

ONE_PARAGRAPH = "<!DOCTYPE html><html><body><p>One paragraph of text.</p></body></html>"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.sqlite")
        audit_id = moderated_demo(store)
        t = time.perf_counter()
        records.audit_record_pdf(store, audit_id)
        first_seconds = time.perf_counter() - t
        export_s, export_cpu_s, baseline_s = [], [], []
        for _ in range(args.runs):
            t, cpu = time.perf_counter(), time.process_time()
            pdf = records.audit_record_pdf(store, audit_id)
            export_s.append(time.perf_counter() - t)
            export_cpu_s.append(time.process_time() - cpu)
            t = time.perf_counter()
            records.html_to_pdf(ONE_PARAGRAPH)
            baseline_s.append(time.perf_counter() - t)
        store.close()
    figures = {
        "runs": args.runs,
        "pdf_bytes": len(pdf),
        "first_export_in_new_process_s": round(first_seconds, 2),
        "export_median_s": round(median(export_s), 2),
        "export_max_s": round(max(export_s), 2),
        # CPU seconds of this process: what the export costs when the machine is not shared
        "export_cpu_median_s": round(median(export_cpu_s), 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
        "baseline_one_paragraph_median_s": round(median(baseline_s), 3),
        "ratio_to_baseline": round(median(export_s) / median(baseline_s), 1),
        "target": "export median <= 3 s",
        "met": median(export_s) <= 3,
    }
    record("export_pdf", figures)


if __name__ == "__main__":
    main()
