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
    from toolkit.backup_cli import add_commands  # backup / restore

    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        from toolkit import serve
        from toolkit.forms.loader import FormError

        options = {"notebooks_dir": args.notebooks} if args.notebooks else {}
        try:
            serve.serve(port=args.port, data_dir=args.data_dir, seed=not args.no_demo, **options)
        except FormError as exc:
            print(f"The toolkit cannot start: a form definition is broken.\n{exc}", file=sys.stderr)
            return 2
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
    if args.command in ("backup", "restore"):
        from toolkit.backup_cli import run_command

        return run_command(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
