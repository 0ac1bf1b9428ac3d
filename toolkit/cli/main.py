"""Command line: ``python -m toolkit serve``, ``seed-demo``, ``migrate`` and the rest.

Only ``migrate`` (alias ``setup-database``) and ``restore`` need the database's owner (they
change tables, grant, and move id sequences); every other command works as the servers' role,
which may read and write the working tables but change no table's shape
(``toolkit/store/roles.py``).

Importing this module is cheap (argparse only); the store, forms and Voilà are imported by the
command that needs them. The administrator commands that read or change records (exports,
report, backup, restore, import-people) each write a row to the access log, as ``cli:<command>``
by the system user who ran them (:mod:`toolkit.cli.access_log`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="toolkit", description="Signs of Safety practice toolkit (Voilà apps)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="prepare the store and serve the notebooks with Voilà",
        description="Upgrade the embedded store's tables to this version (SQLite; on PostgreSQL "
        "only check them), add the fictional demo when the store is empty, then run Voilà on the "
        "notebooks folder (loopback only, code and tracebacks hidden).",
    )
    serve.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    serve.add_argument(
        "--data-dir", help="data folder (default: $SOS_TOOLKIT_DATA_DIR, else data/ in the repo)"
    )
    serve.add_argument(
        "--notebooks", help="folder of notebooks to serve (default: notebooks/ in the repo)"
    )
    serve.add_argument(
        "--no-demo", action="store_true", help="do not add the demo people and audits"
    )

    seed = commands.add_parser(
        "seed-demo",
        help="add the fictional people and audits to an empty store",
        description="Add what the run command adds to an empty store: the fictional people "
        "register, their six audits, and two years of other teams' past audits for the reports; "
        "does nothing when the store already has people.",
    )
    seed.add_argument("--data-dir", help="data folder (default as for serve)")

    for name, summary in (
        ("migrate", "as the database's owner: upgrade the tables to this version, grant again"),
        ("setup-database", "the same as migrate (its first name: make the tables, grant)"),
    ):
        setup = commands.add_parser(
            name,
            help=summary,
            description="Connect as the owner (SOS_TOOLKIT_OWNER_DATABASE_URL, else "
            "SOS_TOOLKIT_DATABASE_URL or the data folder's SQLite file) and upgrade the schema to "
            "this version's revision in one transaction (a database made before migrations is "
            "recognised first; one upgraded by a newer version is refused, unchanged), then on "
            "PostgreSQL grant the servers' role exactly what the people's servers need: read "
            "and write the working tables, only add to the change logs and the access log, only "
            "read the schema revision, create, alter and drop nothing. Safe to run again; run "
            "it after every upgrade of the toolkit, before the servers start.",
        )
        setup.add_argument(
            "--servers-role",
            help="the PostgreSQL role the people's servers use "
            "(default: the user in SOS_TOOLKIT_DATABASE_URL)",
        )
        setup.add_argument("--data-dir", help="data folder (default as for serve)")

    people = commands.add_parser(
        "import-people",
        help="add or update the people register from a spreadsheet (.xlsx or .csv)",
        description="Columns: Name, Username, Email, Team, Service, Roles. All or nothing: "
        "every bad row is listed and nobody is changed.",
    )
    people.add_argument("file", help="the spreadsheet")
    people.add_argument("--data-dir", help="data folder (default as for serve)")
    _add_record_commands(commands)
    _add_reporting_commands(commands)
    from toolkit.cli.access_log import add_command  # access-log
    from toolkit.cli.backup import add_commands  # backup / restore

    add_commands(commands)
    add_command(commands)
    return parser


def _add_reporting_commands(commands: argparse._SubParsersAction) -> None:
    generate = commands.add_parser(
        "generate",
        help="fill a store with many fictional audits for reports and benchmarks",
        description="Add reproducible fictional audits (two years, teams, auditors, feedback, "
        "actions, moderations, escalations). Use a data folder of its own, never a live one.",
    )
    generate.add_argument("--audits", type=int, default=5000, help="how many (default 5000)")
    generate.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    generate.add_argument("--data-dir", help="data folder (default as for serve)")
    generate.add_argument(
        "--demo", action="store_true", help="mark them as demonstration audits (reports skip those)"
    )
    report = commands.add_parser(
        "report",
        help="write the quarterly quality assurance report (HTML, PDF, Excel)",
        description="Execute notebooks/quarterly_report.ipynb for a period and export it.",
    )
    when = report.add_mutually_exclusive_group(required=True)
    when.add_argument("--quarter", help="e.g. 2026Q3")
    when.add_argument("--month", help="e.g. 2026-07")
    when.add_argument("--period", help="from/to, e.g. 2026-01-01/2026-06-30")
    report.add_argument("--service", help="only this service area")
    report.add_argument("--team", help="only this team")
    report.add_argument("--out", default=".", help="folder for the files (default: here)")
    report.add_argument(
        "--format", default="html,pdf,xlsx", help="any of html,pdf,xlsx (default: all three)"
    )
    report.add_argument("--data-dir", help="data folder (default as for serve)")


def _run_reporting_command(args: argparse.Namespace) -> int:
    from toolkit.server import serve

    serve.use_data_dir(args.data_dir)
    if args.command == "generate":
        from toolkit.demo.generate import generate
        from toolkit.store import Store

        counts = generate(Store(), args.audits, seed=args.seed, demo=args.demo)
        print(
            ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + " (all fictional)."
        )
        return 0
    from toolkit.cli.access_log import record_command
    from toolkit.reports.export import export_report
    from toolkit.store import Store

    period = args.quarter or args.month or args.period
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    written = export_report(period, args.out, formats, service=args.service, team=args.team)
    store = Store()
    try:
        scope = "".join(
            f", {k} {v}" for k, v in (("service", args.service), ("team", args.team)) if v
        )
        what = f"quarterly report {period}{scope} as {','.join(formats)}"
        record_command(store, "report", action="export", record_kind="period_export", detail=what)
    finally:
        store.close()
    for path in written:
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from toolkit.core.errors import SchemaNotReady

    # PostgreSQL not set up or upgraded by its owner yet (say what to run), or a database a
    # newer toolkit upgraded (say so): a message, never a traceback
    try:
        return _run(args)
    except SchemaNotReady as exc:
        print(f"toolkit: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        from toolkit.forms.loader import FormError
        from toolkit.server import serve

        options = {"notebooks_dir": args.notebooks} if args.notebooks else {}
        try:
            serve.serve(port=args.port, data_dir=args.data_dir, seed=not args.no_demo, **options)
        except FormError as exc:
            print(f"The toolkit cannot start: a form definition is broken.\n{exc}", file=sys.stderr)
            return 2
        return 0  # not reached: serve() becomes Voilà
    if args.command == "seed-demo":
        from toolkit.server import serve

        serve.use_data_dir(args.data_dir)
        result = serve.prepare_store(seed=True)
        if result["created"]:
            said = serve.what_was_seeded(result)
            print(said[0].upper() + said[1:])
        else:
            print("The store already has people; nothing was added.")
        return 0
    if args.command in ("migrate", "setup-database"):
        return _setup_database(args.servers_role, args.data_dir)
    if args.command == "import-people":
        return _import_people(args.file, args.data_dir)
    if args.command in RECORD_COMMANDS:
        return _run_record_command(args)
    if args.command in ("generate", "report"):
        return _run_reporting_command(args)
    if args.command in ("backup", "restore"):
        from toolkit.cli.backup import run_command

        return run_command(args)
    if args.command == "access-log":
        from toolkit.cli import access_log as access_cli

        return access_cli.run_command(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


def _setup_database(servers_role: str | None, data_dir: str | None) -> int:
    """The owner's command (``migrate``, ``setup-database``): the schema upgraded to this
    version's revision and the servers' role granted."""
    from toolkit.server import serve
    from toolkit.store import roles

    serve.use_data_dir(data_dir)
    try:
        setup = roles.set_up_as_owner(servers_role)
    except roles.SetUpFailed as exc:
        print(f"toolkit: could not set up the database: {exc}", file=sys.stderr)
        return 1
    print(f"{setup.database}: " + "; ".join(setup.done) + ".")
    if setup.postgresql and not setup.servers_role:
        print(
            "No servers' role was granted: give --servers-role, or set SOS_TOOLKIT_DATABASE_URL "
            "to the servers' account. The people's servers must never use the owner's account.",
            file=sys.stderr,
        )
        return 1
    if setup.problems:
        print(f"The servers' role {setup.servers_role} is not safe to hand the servers yet:")
        print(*(f"- {p}" for p in setup.problems), sep="\n")
        return 1
    return 0


def _import_people(file: str, data_dir: str | None) -> int:
    """The administrator's way in (no one is signed in at the command line)."""
    from pathlib import Path

    from toolkit.audit.people import import_people
    from toolkit.cli.access_log import record_command
    from toolkit.core.spreadsheets import ImportRejected
    from toolkit.server import serve
    from toolkit.store import Store, StoreError

    serve.use_data_dir(data_dir)
    path = Path(file)
    store = Store()
    try:
        result = import_people(store, path.read_bytes(), path.name, by=None)
        record_command(
            store,
            "import-people",
            detail=f"{path.name}: added {result.added}, updated {result.updated}",
        )
    except ImportRejected as exc:  # every bad row, one a line
        print(exc.summary, *exc.problems, sep="\n", file=sys.stderr)
        return 1
    except (OSError, StoreError) as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Added {result.added} and updated {result.updated} people.")
    return 0


# --- records: one audit as HTML/PDF, the audits of a period as CSV/Excel ------------------------
RECORD_COMMANDS = ("export-audit", "export-audits")


def _add_record_commands(commands: argparse._SubParsersAction) -> None:
    one = commands.add_parser(
        "export-audit",
        help="write one audit as a self-contained HTML or PDF record",
        description="The whole audit (sections, scales, rationale, feedback, actions, grade and "
        "moderation) for the child's file. Made offline; written to --output or standard output.",
    )
    one.add_argument("audit_id", type=int, metavar="ID", help="the audit's number")
    one.add_argument("--format", choices=("html", "pdf"), default="html")
    one.add_argument("--output", "-o", help="file to write (default: standard output)")
    one.add_argument("--data-dir", help="data folder (default as for serve)")
    period = commands.add_parser(
        "export-audits",
        help="write the audits of a period as CSV or Excel, one row per audit",
        description="Audits allocated or completed from --from to --to (inclusive). Text that a "
        "spreadsheet could run as a formula is neutralised.",
    )
    period.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    period.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
    period.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    period.add_argument("--output", "-o", help="file to write (default: standard output)")
    period.add_argument("--include-demo", action="store_true", help="include demonstration audits")
    period.add_argument("--data-dir", help="data folder (default as for serve)")


def _run_record_command(args: argparse.Namespace) -> int:
    """Run as the data folder's administrator: every audit can be exported."""
    from toolkit.audit import records
    from toolkit.cli.access_log import command_looking
    from toolkit.core.validation import parse_date
    from toolkit.server import serve
    from toolkit.store import Store, StoreError

    serve.use_data_dir(args.data_dir)
    store = Store()
    try:
        if args.command == "export-audit":
            with command_looking(
                store,
                args.command,
                action="download",
                record_kind="audit",
                record_id=args.audit_id,
                detail=args.format.upper(),
            ):
                html = records.audit_record_html(store, args.audit_id)
            data = records.html_to_pdf(html) if args.format == "pdf" else html.encode("utf-8")
        else:
            start = parse_date(args.start, "--from")
            end = parse_date(args.end, "--to")
            what = f"audits {start} to {end} as {args.format}" + (
                ", demonstration included" if args.include_demo else ""
            )
            with command_looking(
                store, args.command, action="export", record_kind="period_export", detail=what
            ):
                data = records.export_period(
                    store, start, end, args.format, None, args.include_demo
                )
    except StoreError as exc:
        print(f"toolkit: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    if args.output:
        with open(args.output, "wb") as out:
            out.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
