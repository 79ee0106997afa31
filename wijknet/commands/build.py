"""``wijknet build``: validate, then build the site with Pelican, in this process.

Pelican is reached through the ``wijknet.hosts`` entry point (the plugin in
``plugins/wijknet_pelican/``), so nothing in ``wijknet/`` imports it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijknet.commands.common import add_project_options, build_date, print_problems, project_from, setup_problems
from wijknet.content import messages
from wijknet.content.files import ContentError, entry_files
from wijknet.settings import SettingsError
from wijknet.taxonomy import TaxonomyError


def register(subparsers) -> None:
    parser = subparsers.add_parser("build", help="controleer de inhoud en bouw de site")
    add_project_options(parser)
    parser.add_argument("--output", metavar="DIR", help="map voor de site (standaard: output)")
    parser.add_argument("--pelican-settings", metavar="FILE", help="Pelican-instellingen (standaard: pelicanconf.py)")
    parser.set_defaults(handler=run)


def host_build():
    """The build function of the installed host (Pelican's plugin), from its entry point."""
    from importlib.metadata import entry_points

    from wijknet.build import BuildError

    found = sorted(entry_points(group="wijknet.hosts"), key=lambda point: point.name)
    if not found:
        raise BuildError("geen bouwomgeving gevonden (entry point 'wijknet.hosts'): voer eerst `make install` uit")
    return found[0].load()


def run(args: argparse.Namespace) -> int:
    from wijknet.build import BuildError

    project = project_from(args)
    output = Path(args.output) if args.output else project.root / "output"
    try:
        # the settings give the date; build_site loads them again, with the taxonomy
        today = build_date(args, project.load_settings().timezone)
        report = host_build()(project, output, today, args.pelican_settings)
    except (SettingsError, TaxonomyError) as error:
        print_problems(setup_problems(error), "text", args.lang)
        return 1
    except ContentError as error:
        print_problems(error.problems, "text", args.lang)
        files = len({p.file for p in error.problems})
        summary = messages.render(
            "summary_problems", args.lang, {"problems": len(error.problems), "files": files, "count": len(entry_files(project.content))}
        )
        print(summary)
        print("De site is niet gebouwd; de uitvoermap is niet veranderd.", file=sys.stderr)
        return 1
    except BuildError as error:
        print(f"Bouwen mislukt:\n{error}", file=sys.stderr)
        return 1
    print(
        f"Site gebouwd in {report.output}: {report.entries} berichten, {report.files} bestanden, "
        f"{report.seconds:.1f} s (datum {today.isoformat()})."
    )
    return 0
