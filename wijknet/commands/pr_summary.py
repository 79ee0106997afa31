"""``wijknet pr-summary``: a Dutch job summary of a pull-request check (Markdown)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wijknet.commands.common import print_problems, setup_problems
from wijknet.commands.pr_routing import changed_paths, routing_for
from wijknet.project import Project
from wijknet.settings import SettingsError
from wijknet.taxonomy import TaxonomyError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "pr-summary",
        help="samenvatting in het Nederlands van de controle van een pull request (Markdown)",
    )
    parser.add_argument(
        "--problems", metavar="FILE", required=True,
        help="de uitvoer van 'wijknet validate --format json' ('-' = standaardinvoer)",
    )
    parser.add_argument("paths", nargs="*", help="gewijzigde bestanden, voor labels en moderatoren")
    parser.add_argument("--changed-files", metavar="FILE", help="bestand met één gewijzigd pad per regel")
    parser.add_argument("--root", metavar="DIR", default=".", help="de map van de repository (standaard: .)")
    parser.add_argument("--taxonomy", metavar="DIR", help="map met de taxonomie (standaard: taxonomy)")
    parser.add_argument("--settings", metavar="FILE", help="site-instellingen (standaard: site.yaml)")
    parser.add_argument("--exclude-reviewer", action="append", default=[], metavar="LOGIN")
    parser.add_argument("--preview-artifact", default="", metavar="NAME", help="naam van het artefact met de voorbeeldsite")
    parser.set_defaults(handler=run)


def _read_problems(name: str) -> list[dict]:
    text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    data = json.loads(text) if text.strip() else []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ValueError("expected a JSON list of problems")
    return data


def run(args: argparse.Namespace) -> int:
    from wijknet.report.summary import render_summary

    try:
        problems = _read_problems(args.problems)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"Kan de lijst met fouten niet lezen: {error}\n")
        return 2
    project = Project.at(args.root, None, args.taxonomy, args.settings)
    routing = None
    repository, branch = "", "main"
    try:
        settings = project.load_settings()
        repository, branch = settings.repository, settings.branch
        paths = changed_paths(args)
        if paths:
            routing = routing_for(project, settings, project.load_taxonomy(), paths, args.exclude_reviewer)
    except (SettingsError, TaxonomyError) as error:
        # The problems list already names these; the summary still has to be written.
        print_problems(setup_problems(error), "text", "nl", out=sys.stderr)
    except OSError as error:
        sys.stderr.write(f"Kan de lijst met bestanden niet lezen: {error}\n")
        return 2
    sys.stdout.write(
        render_summary(problems, routing, repository=repository, branch=branch, preview_artifact=args.preview_artifact)
    )
    return 0
