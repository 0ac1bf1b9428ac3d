"""Shared by the benchmark scripts: medians, percentiles, and the results file."""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS_JSON = ROOT / "benchmarks" / "results.json"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def record(name: str, figures: dict) -> None:
    """Merge one benchmark's figures into results.json (results.md is written from it)."""
    data = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    data[name] = figures
    RESULTS_JSON.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(json.dumps({name: figures}, indent=2))


async def pause(think: float, rng: random.Random) -> None:
    """A person reading and talking before the next click: uniform in [0.5, 1.5] × think."""
    if think > 0:
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
