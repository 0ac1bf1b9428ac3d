"""Where the toolkit keeps its data, from environment variables (with sensible local defaults).

- ``SOS_TOOLKIT_DATA_DIR``: folder for the embedded SQLite store and local settings
  (default: ``data/`` beside the repository).
- ``SOS_TOOLKIT_DATABASE_URL``: any SQLAlchemy URL, e.g. ``postgresql+psycopg://…``; when set
  it wins over the data directory's SQLite file. Under JupyterHub it is the *servers'*
  PostgreSQL role, which may not change the schema (``toolkit/store/roles.py``).
- ``SOS_TOOLKIT_OWNER_DATABASE_URL``: the database's *owner*, held only by administrators in
  their own shell, for the commands that change the schema (``setup-database``, ``restore``);
  when unset those commands use ``database_url()``.
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


def owner_database_url() -> str:
    """The account that may create and change the tables: administrators' commands only."""
    return os.environ.get("SOS_TOOLKIT_OWNER_DATABASE_URL") or database_url()


def hub_user() -> str | None:
    """The user JupyterHub logged in, when running under the Hub."""
    return os.environ.get("JUPYTERHUB_USER") or None
