"""Backup and restore of the whole store as one portable JSON file, the same on SQLite and
PostgreSQL (``python -m toolkit backup --to FILE`` / ``restore --from FILE``).

Why JSON rather than SQLite's backup API or ``pg_dump``: one format and one command for both
databases; a backup taken from SQLite restores into PostgreSQL (the way an authority moves up
when it outgrows one machine) and back; no ``pg_dump`` whose version must match the server's;
and a restore is checked row by row against the schema before anything is committed.

Consistency: every table is read in ONE read transaction — a snapshot (SQLite WAL: the first
read fixes what the transaction sees; PostgreSQL: ``REPEATABLE READ``), so a backup taken while
people are saving never holds an answer without its audit or half of a change. The file is
written beside its destination and renamed into place, so a crash leaves no half backup.
Restore goes into an empty store in one transaction (all or nothing), then moves PostgreSQL's
id sequences past the restored ids so new rows do not collide.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Engine, Integer, func, insert, select, text

from toolkit.store import schema, upgrade
from toolkit.store.errors import SaveFailed, StoreError

FORMAT = "sos-toolkit-backup"
FORMAT_VERSION = 1


class BackupError(StoreError):
    """The backup file cannot be restored here; the message says why. Nothing was changed."""


def _encode(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _decode(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        moment = dt.datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    return value


def dump(engine: Engine) -> dict[str, Any]:
    """Every table's rows, read in one snapshot, as JSON-ready data."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            for table in schema.metadata.sorted_tables:
                pk = list(table.primary_key.columns)
                rows = conn.execute(select(table).order_by(*pk)).mappings().all()
                tables[table.name] = [{k: _encode(v) for k, v in r.items()} for r in rows]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "taken_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "database": engine.dialect.name,
        "tables": tables,
    }


def backup(engine: Engine, path: Path | str) -> dict[str, int]:
    """Write the store to ``path``; returns the number of rows per table."""
    path = Path(path)
    data = dump(engine)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)
    return {name: len(rows) for name, rows in data["tables"].items()}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"There is no backup file {path}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a toolkit backup (not JSON: {exc}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a toolkit backup.")
    if data.get("version") != FORMAT_VERSION:
        raise BackupError(f"{path} is backup format {data.get('version')}; this toolkit reads 1.")
    unknown = set(data.get("tables", {})) - set(schema.metadata.tables)
    if unknown:
        raise BackupError(f"{path} has tables this toolkit does not know: {sorted(unknown)}.")
    return data


def restore(engine: Engine, path: Path | str) -> dict[str, int]:
    """Load a backup into an EMPTY store, all or nothing; returns rows restored per table."""
    path = Path(path)
    data = _read(path)
    upgrade.bring_up_to_date(engine)  # a new database: the owner makes its tables
    counts: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            for table in schema.metadata.sorted_tables:
                if conn.execute(select(func.count()).select_from(table)).scalar_one():
                    raise BackupError(
                        f"The store already has {table.name}; restore only into an empty store "
                        "(a new data folder or database), so nothing is overwritten."
                    )
            for table in schema.metadata.sorted_tables:
                rows = data["tables"].get(table.name, [])
                unknown = {k for row in rows for k in row} - set(table.c.keys())
                if unknown:
                    raise BackupError(f"{table.name} in {path} has unknown columns {unknown}.")
                decoded = [{k: _decode(table.c[k], v) for k, v in row.items()} for row in rows]
                if decoded:
                    conn.execute(insert(table), decoded)
                counts[table.name] = len(decoded)
            if engine.dialect.name == "postgresql":
                _advance_sequences(conn)
    except BackupError:
        raise
    except Exception as exc:  # noqa: BLE001 - any database refusal: nothing was committed
        raise SaveFailed(f"The restore was refused and nothing was changed: {exc}") from exc
    return counts


def _advance_sequences(conn: Any) -> None:
    """Explicit ids do not move PostgreSQL's sequences; move each past the largest id."""
    for table in schema.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
            )
        )
