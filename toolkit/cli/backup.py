"""``python -m toolkit backup --to FILE`` and ``restore --from FILE``.

See :mod:`toolkit.store.backup` for the format and the checks.
Kept apart from :mod:`toolkit.store.backup` so the command line imports nothing heavy until used.
Errors and warnings go to standard error, and name tables and counts only: never a stored value.
"""

from __future__ import annotations

import sys
from typing import Any


def add_commands(commands: Any) -> None:
    """``backup --to FILE`` and ``restore --from FILE`` on the toolkit's command line."""
    take = commands.add_parser(
        "backup",
        help="write the whole store to one JSON file (a consistent snapshot, with a manifest)",
        description="Write every table of the store (SQLite or the database in "
        "SOS_TOOLKIT_DATABASE_URL) to FILE, read in one snapshot; safe while people are saving. "
        "The file carries a manifest (rows and a SHA-256 checksum per table) and is read back "
        "and checked before it takes its name.",
    )
    take.add_argument("--to", required=True, metavar="FILE", help="the backup file to write")
    take.add_argument("--data-dir", help="data folder (default as for serve)")
    back = commands.add_parser(
        "restore",
        help="check a backup against its manifest and load it into an empty store",
        description="Check FILE (made by `backup`, from SQLite or PostgreSQL) against its "
        "manifest, then load it into an empty store, all or nothing, and compare what the "
        "database holds with the manifest before committing. A file that does not match is "
        "refused and nothing is written.",
    )
    back.add_argument("--from", dest="source", required=True, metavar="FILE")
    back.add_argument("--data-dir", help="data folder (default as for serve)")
    back.add_argument(
        "--check",
        action="store_true",
        help="only check FILE against its manifest; write nothing",
    )
    back.add_argument(
        "--unverified",
        action="store_true",
        help="accept a backup made before backups carried a manifest (restored with a warning)",
    )


def run_command(args: Any) -> int:
    from toolkit.store import StoreError

    try:
        return _backup(args) if args.command == "backup" else _restore(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _backup(args: Any) -> int:
    from toolkit.cli.access_log import record_command
    from toolkit.server import serve
    from toolkit.store import Store
    from toolkit.store.backup import backup

    serve.use_data_dir(args.data_dir)
    store = Store()  # as the store's own account: the servers' role reads every table
    try:
        counts = backup(store.engine, args.to)
        record_command(store, "backup", detail=f"{sum(counts.values())} rows to {args.to}")
    finally:
        store.close()
    print(f"Backed up {sum(counts.values())} rows to {args.to}: {counts}")
    return 0


def _restore(args: Any) -> int:
    """Connects as the owner (``SOS_TOOLKIT_OWNER_DATABASE_URL``): it makes a new database's
    tables, grants the servers' role as ``setup-database`` does, and moves the id sequences,
    which the servers' role may not."""
    from toolkit import config
    from toolkit.cli.access_log import record_command
    from toolkit.server import serve
    from toolkit.store import Store, roles
    from toolkit.store.backup import read_backup, restore

    found = read_backup(args.source, allow_unverified=args.unverified)
    rows = sum(len(r) for r in found.tables.values())
    if not found.verified:
        print(
            f"warning: {args.source} has no manifest (made before backups carried one): it is "
            "checked against the schema only, not shown to be complete.",
            file=sys.stderr,
        )
    if args.check:
        said = "matches its manifest" if found.verified else "is readable"
        print(f"{args.source} {said}: {rows} rows in {len(found.tables)} tables.")
        return 0
    serve.use_data_dir(args.data_dir)
    roles.set_up_as_owner()
    store = Store(config.owner_database_url())
    try:
        counts = restore(store.engine, found)  # into an empty store: recorded after
        record_command(store, "restore", detail=f"{sum(counts.values())} rows from {args.source}")
    finally:
        store.close()
    proof = "checked against its manifest and read back" if found.verified else "read back"
    print(f"Restored {sum(counts.values())} rows from {args.source} ({proof}): {counts}")
    return 0
