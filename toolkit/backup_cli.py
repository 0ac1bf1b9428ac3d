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
    """``backup`` reads as the store's own account (the servers' role reads every table);
    ``restore`` connects as the owner (``SOS_TOOLKIT_OWNER_DATABASE_URL``): it makes a new
    database's tables, grants the servers' role as ``setup-database`` does, and moves the id
    sequences, which the servers' role may not."""
    from toolkit import config, serve
    from toolkit.backup import backup, restore
    from toolkit.store import Store, StoreError, roles

    serve.use_data_dir(args.data_dir)
    owner_url = None
    if args.command == "restore":  # as the owner: a new database's tables, grants, id sequences
        roles.set_up_as_owner()
        owner_url = config.owner_database_url()
    store = Store(owner_url)
    try:
        if args.command == "backup":
            counts = backup(store.engine, args.to)
            print(f"Backed up {sum(counts.values())} rows to {args.to}: {counts}")
        else:
            counts = restore(store.engine, args.source)
            print(f"Restored {sum(counts.values())} rows from {args.source}: {counts}")
    except StoreError as exc:
        print(f"error: {exc}")
        return 1
    finally:
        store.close()
    return 0
