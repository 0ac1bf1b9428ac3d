"""The quality assurance report: computing it for 10,000 audits (target ≤ 2 s) and 100,000
(target ≤ 10 × the 10,000 figure: cost grows linearly), and exporting a quarter's HTML
(target ≤ 15 s, a fresh kernel included; baseline: a fresh process executing a one-cell
notebook with nbclient, the kernel start every export pays).

"Computing the whole report" is loading the audits (one query per table) and every section's
tables, for a period covering every generated audit (two years), charts not drawn. Baseline,
same run and database: ``pandas.read_sql`` of the whole answers table, the least any report
that reads the answers must cost. Figures are medians of ``--runs`` runs.

    .venv/bin/python benchmarks/report.py                 # 10,000 and the quarter's export
    .venv/bin/python benchmarks/report.py --large         # also 100,000 (generating takes ~2 min)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from common import ROOT, median, record

from toolkit.demo.generate import generate
from toolkit.reports import Filters, build_report, parse_period
from toolkit.reports.privacy import Viewer
from toolkit.store import Store

WHOLE = parse_period("2024-10-01/2026-09-30")


def timed(fn, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t)
    return seconds


def compute_figures(folder: Path, audits: int, runs: int) -> dict[str, float]:
    store = Store(f"sqlite:///{folder / 'toolkit.sqlite'}")
    t = time.perf_counter()
    generate(store, audits, seed=1)
    generated = time.perf_counter() - t
    viewer = Viewer(key=b"benchmark")
    report = timed(lambda: build_report(store, Filters(WHOLE), viewer), runs)
    with store.engine.connect() as conn:
        baseline = timed(lambda: pd.read_sql("select * from answers", conn), runs)
    store.close()
    return {
        f"generate_{audits}_s": round(generated, 1),
        f"report_{audits}_median_s": round(median(report), 3),
        f"baseline_read_answers_{audits}_median_s": round(median(baseline), 3),
        f"ratio_report_to_baseline_{audits}": round(median(report) / median(baseline), 2),
    }


def export_seconds(folder: Path, runs: int) -> list[float]:
    env = {**os.environ, "SOS_TOOLKIT_DATA_DIR": str(folder)}
    env.pop("SOS_TOOLKIT_DATABASE_URL", None)
    command = [sys.executable, "-m", "toolkit", "report", "--quarter", "2026Q3"]
    command += ["--format", "html", "--out", str(folder / "out")]
    return timed(
        lambda: subprocess.run(command, env=env, check=True, cwd=ROOT, capture_output=True), runs
    )


TRIVIAL_NOTEBOOK = """
import nbformat
from nbclient import NotebookClient
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
NotebookClient(nb, kernel_name="python3").execute()
"""


def kernel_baseline_seconds(runs: int) -> list[float]:
    """A fresh process executing a one-cell notebook: the kernel start every export pays."""
    command = [sys.executable, "-c", TRIVIAL_NOTEBOOK]
    return timed(lambda: subprocess.run(command, check=True, capture_output=True), runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--large", action="store_true", help="also 100,000 audits (slow to generate)"
    )
    args = parser.parse_args()
    figures: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "10k"
        small.mkdir()
        figures.update(compute_figures(small, 10_000, args.runs))
        export = export_seconds(small, args.runs)
        kernel = kernel_baseline_seconds(args.runs)
        figures["export_quarter_html_10000_median_s"] = round(median(export), 2)
        figures["baseline_one_cell_notebook_median_s"] = round(median(kernel), 2)
        figures["ratio_export_to_one_cell_notebook"] = round(median(export) / median(kernel), 2)
        figures["target_report_10000_s"] = 2
        figures["target_export_s"] = 15
        if args.large:
            large = Path(tmp) / "100k"
            large.mkdir()
            figures.update(compute_figures(large, 100_000, args.runs))
            figures["ratio_100000_to_10000"] = round(
                figures["report_100000_median_s"] / figures["report_10000_median_s"], 2
            )
            figures["target_ratio_100000_to_10000"] = 10
    record("report", figures)


if __name__ == "__main__":
    main()
