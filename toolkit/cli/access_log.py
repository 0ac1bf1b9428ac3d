"""``python -m toolkit access-log``: who looked, for the administrator; and how the other
administrator commands record themselves in that log (as ``cli:<command>``, by the system user
who ran them).

Kept apart from :mod:`toolkit.cli.main` so the command line imports nothing heavy until used.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import Any

#: ``--format``: CSV as quality assurance downloads it (UTC), or an aligned table (UK time)
FORMATS = ("table", "csv")


def add_command(commands: Any) -> None:
    log = commands.add_parser(
        "access-log",
        help="print who opened, downloaded or exported records (and who was refused)",
        description="The access log from --since to --until (whole days, UK time, both "
        "included), optionally only what shows one audit (it and its moderations).",
    )
    log.add_argument("--since", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    log.add_argument("--until", metavar="DATE", help="last day, YYYY-MM-DD (default: today)")
    log.add_argument("--audit", type=int, metavar="ID", help="only what shows this audit")
    log.add_argument("--format", choices=FORMATS, default="table")
    log.add_argument("--data-dir", help="data folder (default as for serve)")


def _command_fields(command: str, **fields: Any) -> dict[str, Any]:
    from toolkit.store.access import system_actor

    return {
        "action": "command",
        "record_kind": "command",
        "record_id": None,
        **fields,
        "screen": f"cli:{command}",
        "actor": system_actor(),
    }


def command_looking(store: Any, command: str, **fields: Any) -> AbstractContextManager[None]:
    """Around what an administrator command reads (``action``, ``record_kind``, ``record_id``,
    ``detail``): one row by the system user, a refused one when there is no such record."""
    return store.looking(**_command_fields(command, **fields))


def record_command(store: Any, command: str, **fields: Any) -> None:
    """An administrator command that ran to its end: one row by the system user."""
    store.record_access(**_command_fields(command, **fields))


def run_command(args: Any) -> int:
    """Print the log; a malformed date prints nothing on standard output and exits 2."""
    import datetime as dt

    from toolkit.audit.who_looked import log_table, period_bounds
    from toolkit.core.validation import parse_date
    from toolkit.server import serve
    from toolkit.store import InvalidAnswer, NotFound, Store
    from toolkit.store.access import access_csv

    try:
        start = parse_date(args.since, "--since")
        end = parse_date(args.until, "--until") or dt.date.today()
        if start is None:
            raise InvalidAnswer("--since needs a day, like 2026-11-22")
        since, until = period_bounds(start, end)
    except (InvalidAnswer, ValueError) as exc:
        print(f"toolkit access-log: {exc}", file=sys.stderr)
        return 2
    serve.use_data_dir(args.data_dir)
    store = Store()
    try:
        records = None
        if args.audit is not None:
            store.audit(args.audit)  # NotFound for an audit that never was
            records = store.records_showing(args.audit)
        rows = store.access_log_for_admin(since=since, until=until, records=records)
        detail = f"{start} to {end}" + (f", audit #{args.audit}" if args.audit else "")
        record_command(store, "access-log", detail=detail)
    except NotFound as exc:
        print(f"toolkit access-log: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    sys.stdout.write(access_csv(rows) if args.format == "csv" else log_table(rows) + "\n")
    return 0
