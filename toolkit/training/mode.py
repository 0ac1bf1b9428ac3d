"""Demonstration mode: the training store, kept apart from live data.

A page is in demonstration mode when its address says ``?mode=demo`` or the server was started
with ``SOS_TOOLKIT_MODE=demo``. Its store is a separate SQLite file, ``<data dir>/training.sqlite``,
whatever the live database is, so no demonstration row can land in the live store.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs

from toolkit import config

MODE_ENV = "SOS_TOOLKIT_MODE"
TRAINING_FILE = "training.sqlite"


def demo_mode() -> bool:
    """True when this page (or the whole server) is a demonstration."""
    if os.environ.get(MODE_ENV, "").strip().lower() == "demo":
        return True
    asked = parse_qs(os.environ.get("QUERY_STRING", "")).get("mode", [""])[-1]
    return asked.strip().lower() == "demo"


def training_path() -> Path:
    """The training store's SQLite file, in the data folder beside the live one."""
    return config.data_dir() / TRAINING_FILE


def training_url() -> str:
    url = f"sqlite:///{training_path()}"
    if url == config.database_url():
        raise RuntimeError("The training store must not be the live database.")
    return url


def is_training_url(url: str) -> bool:
    return url.endswith("/" + TRAINING_FILE)
