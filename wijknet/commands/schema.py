"""``wijknet schema``: write (or with ``--check``, compare) ``schema/entry.schema.json``."""

from __future__ import annotations

import argparse
import sys

from wijknet.commands.common import add_project_options, project_from, load_city


def register(subparsers) -> None:
    parser = subparsers.add_parser("schema", help="schrijf het JSON Schema voor editors (schema/entry.schema.json)")
    add_project_options(parser, date=False)
    parser.add_argument("--output", metavar="FILE", help="waar het schema komt (standaard: schema/entry.schema.json)")
    parser.add_argument(
        "--check", action="store_true", help="niets schrijven; exit 1 als het bestand niet klopt met de modellen"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from wijknet.content.schema import SCHEMA_PATH, render_schema

    project = project_from(args)
    city = load_city(project, "text", args.lang)
    if city is None:
        return 1
    settings, taxonomy = city
    target = project.root / (args.output or SCHEMA_PATH)
    text = render_schema(taxonomy, settings)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current == text:
            print(f"{target}: up to date" if args.lang == "en" else f"{target}: klopt")
            return 0
        sys.stderr.write(
            f"{target}: out of date; run 'wijknet schema'\n"
            if args.lang == "en"
            else f"{target}: verouderd; draai 'wijknet schema'\n"
        )
        return 1
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"{target}")
    return 0
