"""``wijknet validate``: check every entry and the taxonomy, list every problem."""

from __future__ import annotations

import argparse
import sys

from wijknet.commands.common import add_project_options, build_date, print_problems, project_from, load_city
from wijknet.content import messages


def register(subparsers) -> None:
    parser = subparsers.add_parser("validate", help="controleer alle bestanden en de taxonomie")
    add_project_options(parser)
    parser.add_argument("--format", choices=("text", "github", "json"), default="text")
    parser.add_argument("files", nargs="*", help="alleen deze bestanden controleren (standaard: alles)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    project = project_from(args)
    city = load_city(project, args.format, args.lang)
    if city is None:
        return 1
    settings, taxonomy = city
    from pathlib import Path

    from wijknet.content.catalog import load_catalog
    from wijknet.content.models import ValidationContext
    from wijknet.content.validation import validate_file

    today = build_date(args, settings.timezone)
    if args.files:
        context = ValidationContext(taxonomy=taxonomy, settings=settings, today=today)
        results = [validate_file(Path(name), context, name) for name in args.files]
        problems = sorted((p for r in results for p in r.problems), key=lambda p: (p.file, p.line, p.key))
        count = len(results)
    else:
        result = load_catalog(project.content, taxonomy, settings, today, display_root=Path.cwd())
        problems, count = result.problems, result.files
    print_problems(problems, args.format, args.lang)
    if args.format == "text":
        stream = sys.stdout
        if problems:
            files = len({p.file for p in problems})
            stream.write(
                messages.render("summary_problems", args.lang, {"problems": len(problems), "files": files, "count": count})
                + "\n"
            )
        else:
            stream.write(messages.render("valid", args.lang, {"count": count}) + "\n")
    return 1 if problems else 0
