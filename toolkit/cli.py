"""Command line: ``python -m toolkit serve`` and ``python -m toolkit seed-demo``.

Importing this module is cheap (argparse only); the store, forms and Voilà are imported by the
command that needs them.
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
        description="Create the store's tables, add the fictional demo when the store is empty, "
        "then run Voilà on the notebooks folder (loopback only, code and tracebacks hidden).",
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
        description="Add the fictional people register and six audits; does nothing when the "
        "store already has people.",
    )
    seed.add_argument("--data-dir", help="data folder (default as for serve)")
    _add_reporting_commands(commands)
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
    from toolkit import serve

    serve.use_data_dir(args.data_dir)
    if args.command == "generate":
        from toolkit.generate import generate
        from toolkit.store import Store

        counts = generate(Store(), args.audits, seed=args.seed, demo=args.demo)
        print(
            ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + " (all fictional)."
        )
        return 0
    from toolkit.reports.export import export_report

    period = args.quarter or args.month or args.period
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    for path in export_report(period, args.out, formats, service=args.service, team=args.team):
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from toolkit import serve

        options = {"notebooks_dir": args.notebooks} if args.notebooks else {}
        serve.serve(port=args.port, data_dir=args.data_dir, seed=not args.no_demo, **options)
        return 0  # not reached: serve() becomes Voilà
    if args.command == "seed-demo":
        from toolkit import serve

        serve.use_data_dir(args.data_dir)
        result = serve.prepare_store(seed=True)
        if result["created"]:
            print(
                f"Added {len(result['people'])} people and {len(result['audits'])} audits (all fictional)."
            )
        else:
            print("The store already has people; nothing was added.")
        return 0
    if args.command in ("generate", "report"):
        return _run_reporting_command(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
