"""``python -m toolkit backup --to FILE`` and ``restore --from FILE`` (see :mod:`toolkit.backup`).

Kept apart from :mod:`toolkit.backup` so the command line imports nothing heavy until used.
"""

from __future__ import annotations

from typing import Any


def add_commands(commands: Any) -> None:
    """``backup --to FILE`` and ``restore --from FILE`` on the toolkit's command line."""
    take = commands.add_parser(
        "backup",
        help="write the whole store to one JSON file (a consistent snapshot)",
        description="Write every table of the store (SQLite or the database in "
        "SOS_TOOLKIT_DATABASE_URL) to FILE, read in one snapshot; safe while people are saving.",
    )
    take.add_argument("--to", required=True, metavar="FILE", help="the backup file to write")
    take.add_argument("--data-dir", help="data folder (default as for serve)")
    back = commands.add_parser(
        "restore",
        help="load a backup into an empty store",
        description="Load FILE (made by `backup`, from SQLite or PostgreSQL) into an empty store, "
        "all or nothing.",
    )
    back.add_argument("--from", dest="source", required=True, metavar="FILE")
    back.add_argument("--data-dir", help="data folder (default as for serve)")


def run_command(args: Any) -> int:
    from toolkit import serve
    from toolkit.access_cli import record_command
    from toolkit.backup import backup, restore
    from toolkit.store import Store, StoreError

    serve.use_data_dir(args.data_dir)
    store = Store()
    try:
        if args.command == "backup":
            counts = backup(store.engine, args.to)
            record_command(store, "backup", detail=f"{sum(counts.values())} rows to {args.to}")
            print(f"Backed up {sum(counts.values())} rows to {args.to}: {counts}")
        else:
            counts = restore(store.engine, args.source)  # into an empty store: recorded after
            record_command(
                store, "restore", detail=f"{sum(counts.values())} rows from {args.source}"
            )
            print(f"Restored {sum(counts.values())} rows from {args.source}: {counts}")
    except StoreError as exc:
        print(f"error: {exc}")
        return 1
    finally:
        store.close()
    return 0
