"""Backup and restore of the whole store as one portable JSON file, the same on SQLite and
PostgreSQL (``python -m toolkit backup --to FILE`` / ``restore --from FILE``).

Why JSON rather than SQLite's backup API or ``pg_dump``: one format and one command for both
databases; a backup taken from SQLite restores into PostgreSQL (the way an authority moves up
when it outgrows one machine) and back; no ``pg_dump`` whose version must match the server's;
and a restore is checked row by row against the schema before anything is committed.

Consistency: every table is read in ONE read transaction — a snapshot (SQLite WAL: the first
read fixes what the transaction sees; PostgreSQL: ``REPEATABLE READ``), so a backup taken while
people are saving never holds an answer without its audit or half of a change. The file is
written beside its destination, read back and checked, and renamed into place, so a crash
leaves no half backup.

Proof: the file carries a manifest — each table's columns, number of rows and a SHA-256 over a
canonical form of its rows (:func:`table_digest`: the same on SQLite and PostgreSQL). Restore
checks the rows against it before writing anything and refuses a file that does not match
(rows removed, added or edited by hand, a truncated copy), naming the table. It then writes
into an empty store in one transaction, reads every table back from the database and compares
it with the manifest again before committing, and moves PostgreSQL's id sequences past the
restored ids. A refusal names tables, columns and counts, never a stored value: the file holds
children's records, and an error message ends up in terminals and logs.

A backup made before manifests (format 1) cannot prove it is complete, so it is refused unless
the administrator says they trust it (``restore --unverified``); it is then restored as before,
with a warning, and still read back and compared with the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Engine, Integer, Table, func, insert, select, text
from sqlalchemy.exc import DataError, IntegrityError

import toolkit.store.schema as schema
import toolkit.store.upgrade as upgrade
from toolkit.store.errors import SaveFailed, StoreError

FORMAT = "sos-toolkit-backup"
FORMAT_VERSION = 2  # 2: with a manifest; 1: without (before backups proved themselves)
UNVERIFIED_VERSION = 1
NOTHING_RESTORED = "Nothing was restored."
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class BackupError(StoreError):
    """The backup file cannot be restored here; the message says why. Nothing was changed."""


# --- rows as JSON, and their digest ---------------------------------------------------------


def _encode(value: Any) -> Any:
    """A value as the backup holds it; times as UTC with their offset, whatever the database."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def table_digest(table: Table, rows: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 over a table's rows as the backup holds them, in primary-key order (sorted here,
    not by the database, whose text collation differs between SQLite and PostgreSQL)."""
    keys = [c.name for c in table.primary_key.columns]
    rows = list(rows)
    try:
        ordered = sorted(rows, key=lambda row: tuple(_order(row.get(k)) for k in keys))
    except TypeError:  # keys no sane file holds (lists, mappings): any fixed order will do
        ordered = sorted(rows, key=lambda row: _canonical([row.get(k) for k in keys]))
    return hashlib.sha256(_canonical(ordered).encode("ascii")).hexdigest()


def _order(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def manifest(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """What a backup's rows must be: for each table its columns (those of the schema the rows
    have; all of them for an empty table), row count and digest."""
    entries = {}
    for name, rows in tables.items():
        table = schema.metadata.tables[name]
        held = {k for row in rows for k in row}
        entries[name] = {
            "columns": [c.key for c in table.c if c.key in held or not rows],
            "rows": len(rows),
            "sha256": table_digest(table, rows),
        }
    return {"format_version": FORMAT_VERSION, "tables": entries}


def _read_rows(
    conn: Any, table: Table, columns: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """A table's rows (``columns`` only, when given) as the backup holds them."""
    chosen = [table.c[c] for c in columns] if columns is not None else list(table.c)
    names = [c.name for c in chosen]
    times = [c.name for c in chosen if isinstance(c.type, (DateTime, Date))]
    rows = []
    for found in conn.execute(select(*chosen).order_by(*table.primary_key.columns)):
        row = dict(zip(names, found, strict=True))
        for name in times:  # the only values that are not JSON already
            row[name] = _encode(row[name])
        rows.append(row)
    return rows


# --- taking a backup ------------------------------------------------------------------------


def dump(engine: Engine) -> dict[str, Any]:
    """Every table's rows, read in one snapshot, as JSON-ready data with their manifest."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            for table in schema.metadata.sorted_tables:
                tables[table.name] = _read_rows(conn, table)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "taken_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "database": engine.dialect.name,
        "manifest": manifest(tables),
        "tables": tables,
    }


def backup(engine: Engine, path: Path | str) -> dict[str, int]:
    """Write the store to ``path``, read the file back and check it against its manifest
    before it takes the name; returns the number of rows per table."""
    path = Path(path)
    data = dump(engine)
    tmp = path.with_name(path.name + ".partial")
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        read_backup(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return {name: len(rows) for name, rows in data["tables"].items()}


# --- reading and checking a backup file -----------------------------------------------------


@dataclass(frozen=True)
class BackupFile:
    """A backup file read and checked: its rows per table, and the manifest they match."""

    path: Path
    tables: dict[str, list[dict[str, Any]]]
    manifest: dict[str, Any]
    verified: bool  # False: a format 1 file, restored on the administrator's word


def _names(names: Iterable[Any]) -> str:
    """Names from a file, for a message: only those that look like names (a hand-edited file
    could hold anything there, even a child's record)."""
    shown = sorted(str(n) for n in names if isinstance(n, str) and _NAME.match(n))
    others = sum(1 for n in names if not (isinstance(n, str) and _NAME.match(n)))
    return ", ".join(shown + ([f"{others} other(s) that are not names"] if others else []))


def read_backup(path: Path | str, allow_unverified: bool = False) -> BackupFile:
    """The backup at ``path``, checked against its manifest; :class:`BackupError` says what is
    wrong (naming tables, never a stored value)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"There is no backup file {path}.") from None
    except OSError as exc:
        raise BackupError(f"{path} cannot be read: {exc.strerror}.") from None
    except UnicodeDecodeError as exc:
        raise BackupError(
            f"{path} is not a toolkit backup (not UTF-8 text: {exc.reason})."
        ) from None
    except json.JSONDecodeError as exc:  # the place only, not the text there
        where = f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise BackupError(f"{path} is not a toolkit backup (not JSON: {where}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a toolkit backup.")
    version = data.get("version")
    if version not in (FORMAT_VERSION, UNVERIFIED_VERSION):
        shown = version if isinstance(version, int) else "unknown"
        raise BackupError(
            f"{path} is backup format {shown}; this toolkit reads {FORMAT_VERSION} (and "
            f"{UNVERIFIED_VERSION}, made before backups carried a manifest)."
        )
    tables = _tables_of(path, data.get("tables"))
    if version == UNVERIFIED_VERSION:
        if not allow_unverified:
            raise BackupError(
                f"{path} was made by an older toolkit and carries no manifest, so it cannot show "
                "that it is complete and unchanged. If you trust it, restore it with "
                "--unverified (it is then checked against the schema as before). "
                f"{NOTHING_RESTORED}"
            )
        return BackupFile(path, tables, manifest(tables), verified=False)
    expected = _check_manifest(path, data.get("manifest"), tables, version)
    return BackupFile(path, tables, expected, verified=True)


def _tables_of(path: Path, tables: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(tables, dict):
        raise BackupError(f"{path} is not a toolkit backup: it has no tables.")
    unknown = set(tables) - set(schema.metadata.tables)
    if unknown:
        raise BackupError(
            f"{path} has tables this toolkit does not know: {_names(unknown)}. {NOTHING_RESTORED}"
        )
    for name, rows in tables.items():
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BackupError(
                f"Table {name} in {path} is not a list of rows: the file is damaged. "
                f"{NOTHING_RESTORED}"
            )
        columns = set(schema.metadata.tables[name].c.keys())
        unknown = {k for row in rows for k in row} - columns
        if unknown:
            raise BackupError(
                f"Table {name} in {path} has columns this toolkit does not know: "
                f"{_names(unknown)}. {NOTHING_RESTORED}"
            )
    return tables


def _check_manifest(
    path: Path, expected: Any, tables: dict[str, list[dict[str, Any]]], version: int
) -> dict[str, Any]:
    """The file's rows against what its manifest says they are; returns the manifest."""
    entries = expected.get("tables") if isinstance(expected, dict) else None
    if (
        not isinstance(expected, dict)
        or not isinstance(entries, dict)
        or expected.get("format_version") != version
    ):
        raise BackupError(
            f"{path} has no readable manifest, so it cannot show that it is complete: the file "
            f"is damaged or was edited. {NOTHING_RESTORED}"
        )
    missing, extra = set(entries) - set(tables), set(tables) - set(entries)
    if missing:
        raise BackupError(
            f"The manifest of {path} lists table {_names(missing)}, which the file lacks: the "
            f"file is damaged or was edited. {NOTHING_RESTORED}"
        )
    if extra:
        raise BackupError(
            f"Table {_names(extra)} in {path} is not in its manifest: the file is damaged or "
            f"was edited. {NOTHING_RESTORED}"
        )
    for name, rows in tables.items():
        entry = entries[name]
        if not isinstance(entry, dict):
            raise BackupError(
                f"The manifest of {path} is damaged at table {name}. {NOTHING_RESTORED}"
            )
        if entry.get("rows") != len(rows):
            said = entry.get("rows") if isinstance(entry.get("rows"), int) else "another number"
            raise BackupError(
                f"Table {name} in {path} has {len(rows)} rows but its manifest says {said}: the "
                f"file is damaged or was edited. {NOTHING_RESTORED}"
            )
        columns = entry.get("columns")
        known = schema.metadata.tables[name].c.keys()
        held = set(columns) if isinstance(columns, list) and set(columns) <= set(known) else None
        if held is None or any(row.keys() != held for row in rows):
            raise BackupError(
                f"The rows of table {name} in {path} do not have the columns its manifest lists: "
                f"the file is damaged or was edited. {NOTHING_RESTORED}"
            )
        if entry.get("sha256") != table_digest(schema.metadata.tables[name], rows):
            raise BackupError(
                f"The rows of table {name} in {path} do not match the manifest's checksum: the "
                f"file is damaged or was edited. {NOTHING_RESTORED}"
            )
    return expected


# --- restoring ------------------------------------------------------------------------------


def restore(
    engine: Engine, source: Path | str | BackupFile, allow_unverified: bool = False
) -> dict[str, int]:
    """Load a backup into an EMPTY store, all or nothing; returns rows restored per table."""
    found = source if isinstance(source, BackupFile) else read_backup(source, allow_unverified)
    upgrade.bring_up_to_date(engine)  # a new database: the owner makes its tables
    counts: dict[str, int] = {}
    writing: Table | None = None
    try:
        with engine.begin() as conn:
            for table in schema.metadata.sorted_tables:
                if conn.execute(select(func.count()).select_from(table)).scalar_one():
                    raise BackupError(
                        f"The store already has {table.name}; restore only into an empty store "
                        f"(a new data folder or database), so nothing is overwritten. "
                        f"{NOTHING_RESTORED}"
                    )
            for writing in schema.metadata.sorted_tables:
                rows = found.tables.get(writing.name, [])
                if rows:
                    conn.execute(insert(writing), _decoded(writing, rows))
                counts[writing.name] = len(rows)
            writing = None
            _check_read_back(conn, found)
            if engine.dialect.name == "postgresql":
                _advance_sequences(conn)
    except BackupError:
        raise
    except Exception as exc:  # any database refusal: nothing was committed
        where = f" while writing table {writing.name}" if writing is not None else ""
        raise SaveFailed(
            f"The database refused the restore{where}: {_refusal(exc)}. {NOTHING_RESTORED}"
        ) from exc
    return counts


def _decoded(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    times = [c for c in table.c if isinstance(c.type, (DateTime, Date))]
    try:
        if not times:
            return rows
        decoded = []
        for row in rows:
            row = dict(row)
            for column in times:  # the only values JSON does not hold as they are
                if column.name in row:
                    row[column.name] = _decode(column, row[column.name])
            decoded.append(row)
        return decoded
    except (TypeError, ValueError):
        raise BackupError(
            f"Table {table.name} in the backup holds a value in a date or time column that is "
            f"not a date or time. {NOTHING_RESTORED}"
        ) from None


def _check_read_back(conn: Any, found: BackupFile) -> None:
    """Every restored table, read back from the database, against the manifest."""
    for name, entry in found.manifest["tables"].items():
        table = schema.metadata.tables[name]
        rows = _read_rows(conn, table, entry["columns"])
        if table_digest(table, rows) != entry["sha256"]:
            raise BackupError(
                f"Table {name}, read back from the database after writing it, does not match "
                f"the backup (the database changed a value on the way in). {NOTHING_RESTORED}"
            )


def _refusal(exc: Exception) -> str:
    """What the database refused, in words that carry no stored value (the database's own
    message and SQLAlchemy's quote the row)."""
    if isinstance(exc, IntegrityError):
        return (
            "a row breaks one of its rules (a duplicate, a missing value or a link to a row "
            "that is not there)"
        )
    if isinstance(exc, DataError):
        return "a value does not fit its column"
    return f"{type(getattr(exc, 'orig', None) or exc).__name__}"


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
