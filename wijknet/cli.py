"""The ``wijknet`` command: a thin layer over the core.

Each subcommand lives in ``wijknet/commands/<name>.py`` with ``register(subparsers)``;
adding a command is one module and one line here.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = (
    "validate",
    "build",
    "new",
    "import_voorzieningen",
    "import_hsds",
    "submissions",
    "serve",
    "review",
    "report",
    "pr_routing",
    "pr_summary",
    "schema",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wijknet", description="Wijknet: controleer, bouw en beheer de inhoud van een wijknet-site."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"wijknet.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
