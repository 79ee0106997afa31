"""``wijknet report``: the maintenance report for moderators (text, Markdown or JSON)."""

from __future__ import annotations

import argparse
import sys

from wijknet.commands.common import add_project_options, build_date, print_problems, project_from, setup_problems
from wijknet.settings import SettingsError
from wijknet.taxonomy import TaxonomyError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="onderhoudsoverzicht: wat moet gecontroleerd worden, aantallen, nieuw en gewijzigd per maand",
    )
    add_project_options(parser)
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument(
        "--limit", type=int, default=50, metavar="N", help="hoogstens N berichten per lijst in markdown (standaard 50)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from wijknet.report.history import HistoryUnavailable, read_history
    from wijknet.report.maintenance import build_report
    from wijknet.report.render import render_json, render_markdown, render_text

    project = project_from(args)
    try:
        settings = project.load_settings()
        result = project.load(build_date(args, settings.timezone))
    except (SettingsError, TaxonomyError) as error:
        print_problems(setup_problems(error), "text", args.lang, out=sys.stderr)
        return 1
    if result.catalog is None:
        print_problems(result.problems, "text", args.lang, out=sys.stderr)
        sys.stderr.write("De inhoud is niet geldig; eerst 'wijknet validate' oplossen.\n")
        return 1
    try:
        history, note = read_history(project.content), ""
    except HistoryUnavailable:
        history, note = None, "de inhoud staat niet in een git-repository"
    report = build_report(result.catalog, history, note)
    if args.format == "json":
        sys.stdout.write(render_json(report))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report, limit=max(args.limit, 0)))
    else:
        sys.stdout.write(render_text(report))
    return 0
