"""Where the toolkit keeps its data, from environment variables (with sensible local defaults).

- ``SOS_TOOLKIT_DATA_DIR``: folder for the embedded SQLite store and local settings
  (default: ``data/`` beside the repository).
- ``SOS_TOOLKIT_DATABASE_URL``: any SQLAlchemy URL, e.g. ``postgresql+psycopg://…``; when set
  it wins over the data directory's SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    path = Path(os.environ.get("SOS_TOOLKIT_DATA_DIR", REPO_DIR / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("SOS_TOOLKIT_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'toolkit.sqlite'}"


def hub_user() -> str | None:
    """The user JupyterHub logged in, when running under the Hub."""
    return os.environ.get("JUPYTERHUB_USER") or None
