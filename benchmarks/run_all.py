"""Run every benchmark and write ``benchmarks/results.md`` from ``results.json``.

.venv/bin/python benchmarks/run_all.py          # all
.venv/bin/python benchmarks/run_all.py --quick  # fewer runs, for a smoke check
.venv/bin/python benchmarks/run_all.py --large  # also the report over 100,000 audits
.venv/bin/python benchmarks/run_all.py --hub    # also 20 people through a real JupyterHub (slow)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_JSON = HERE / "results.json"
RESULTS_MD = HERE / "results.md"


def run(script: str, *args: str, env: dict[str, str] | None = None) -> None:
    print(f"== {script} {' '.join(args)}", flush=True)
    subprocess.run(
        [sys.executable, str(HERE / script), *args],
        cwd=HERE,
        check=True,
        env={**os.environ, **(env or {})},
    )


def write_markdown() -> None:
    data = json.loads(RESULTS_JSON.read_text())
    lines = [
        "# Benchmark results",
        "",
        f"Written {dt.datetime.now():%Y-%m-%d %H:%M} on {platform.node()} "
        f"({platform.machine()}, Python {platform.python_version()}). Every figure is a median or "
        "percentile of repeated runs, with its baseline measured in the same run.",
        "",
    ]
    for name, figures in sorted(data.items()):
        lines += [f"## {name}", "", "| figure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in figures.items()]
        lines.append("")
    RESULTS_MD.write_text("\n".join(lines))
    print(f"wrote {RESULTS_MD}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--large", action="store_true", help="also the report over 100,000 audits (a few minutes)"
    )
    parser.add_argument("--hub", action="store_true", help="also run hub_load.py (minutes)")
    args = parser.parse_args()
    runs = "5" if args.quick else "9"
    run("startup.py", "--runs", runs)
    run("save_answer.py", "--audits", "100000", "--saves", "200" if args.quick else "1000")
    run("save_round_trip.py", "--clicks", "50" if args.quick else "200")
    run("access_log.py", *(["--opens", "2000"] if args.quick else []))
    run("allocation_import.py", "--rows", "5000", "--runs", runs)
    run("export_pdf.py", "--runs", runs)
    run("report.py", "--runs", "5", *(["--large"] if args.large else []))
    # Voilà's kernel preheating (option name checked in voila/configuration.py: preheat_kernel)
    # SOS_TOOLKIT_PREHEAT=1 makes toolkit serve pass --preheat_kernel=True
    run(
        "startup.py",
        "--runs",
        runs,
        "--name",
        "startup_preheated",
        env={"SOS_TOOLKIT_PREHEAT": "1"},
    )
    run("load.py", "--runs", "5", "--users", "10")
    run("light_clients.py", "--runs", "5", "--users", "10")
    if args.hub:
        run("save_round_trip.py", "--hub", "--clicks", "50" if args.quick else "200")
        run("hub_load.py", "--users", "20", "--wave", "5")
    write_markdown()


if __name__ == "__main__":
    main()
