"""``wijknet pr-routing``: labels and reviewers for the files a pull request changes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wijknet.commands.common import load_city
from wijknet.project import Project


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "pr-routing",
        help="labels en reviewers voor de gewijzigde bestanden van een pull request",
    )
    parser.add_argument("paths", nargs="*", help="gewijzigde bestanden (paden in de repository)")
    parser.add_argument(
        "--changed-files", metavar="FILE", help="bestand met één gewijzigd pad per regel ('-' = standaardinvoer)"
    )
    parser.add_argument("--root", metavar="DIR", default=".", help="de map van de repository (standaard: .)")
    parser.add_argument("--taxonomy", metavar="DIR", help="map met de taxonomie (standaard: taxonomy)")
    parser.add_argument("--settings", metavar="FILE", help="site-instellingen (standaard: site.yaml)")
    parser.add_argument(
        "--exclude-reviewer", action="append", default=[], metavar="LOGIN",
        help="niet als reviewer vragen (de maker van de pull request)",
    )
    parser.add_argument("--format", choices=("json", "github-output"), default="json")
    parser.set_defaults(handler=run)


def changed_paths(args: argparse.Namespace) -> list[str]:
    """The changed paths from ``--changed-files`` and the positional arguments."""
    from wijknet.report.routing import normalise_path, read_changed_files

    paths = [normalise_path(p) for p in args.paths]
    if args.changed_files == "-":
        paths += read_changed_files(sys.stdin.read())
    elif args.changed_files:
        paths += read_changed_files(Path(args.changed_files).read_text(encoding="utf-8"))
    return paths


def routing_for(project: Project, settings, taxonomy, paths: list[str], exclude: list[str]):
    """Route ``paths`` with the project's content folder, taxonomy and settings file."""
    from wijknet.report.routing import route

    candidates = (_relative(project.taxonomy_dir, project.root, folder=True), _relative(project.settings_path, project.root))
    setup = [path for path in candidates if path]
    return route(
        paths, project.root, taxonomy, content_dir=settings.content_dir, setup_paths=setup, exclude_reviewers=exclude
    )


def run(args: argparse.Namespace) -> int:
    from wijknet.report.routing import github_output

    project = Project.at(args.root, None, args.taxonomy, args.settings)
    city = load_city(project, "text", "nl", out=sys.stderr)
    if city is None:
        return 1
    settings, taxonomy = city
    try:
        paths = changed_paths(args)
    except OSError as error:
        sys.stderr.write(f"Kan de lijst met bestanden niet lezen: {error}\n")
        return 2
    routing = routing_for(project, settings, taxonomy, paths, args.exclude_reviewer)
    if args.format == "github-output":
        sys.stdout.write(github_output(routing))
    else:
        json.dump(routing.as_dict(), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    return 0


def _relative(path: Path, root: Path, folder: bool = False) -> str | None:
    """``path`` as a repository path (``taxonomy/``), or None when it is outside ``root``."""
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    return f"{relative}/" if folder else relative
