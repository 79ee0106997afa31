"""``wijknet import-voorzieningen FILE``: import a facility list as ``voorziening`` entries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijknet.commands.common import date_arg, load_city
from wijknet.project import today_in


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-voorzieningen",
        help="zet een lijst met voorzieningen (GeoJSON) om in bestanden voor de sociale kaart",
        description=(
            "Zet de punten uit FILE om in bestanden van de soort 'voorziening'. De indeling "
            "(categorie naar thema's en doelgroepen) staat in taxonomy/voorzieningen.yaml. "
            "Een tweede keer draaien verandert niets; met de hand aangepaste bestanden blijven staan."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="de voorzieningen als GeoJSON (punten)")
    parser.add_argument(
        "--domains", metavar="LIJST", help='domeinen, met komma\'s gescheiden (standaard: zie voorzieningen.yaml)'
    )
    parser.add_argument("--buurten", metavar="GEOJSON", help="de buurtgrenzen (standaard: zie voorzieningen.yaml)")
    parser.add_argument("--content", metavar="DIR", help="map met de inhoud (standaard: content)")
    parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="datum voor 'gecontroleerd' (standaard: vandaag)")
    parser.add_argument("--taxonomy", metavar="DIR", help="map met de taxonomie (standaard: taxonomy)")
    parser.add_argument("--settings", metavar="FILE", help="site-instellingen (standaard: site.yaml)")
    parser.add_argument("--mapping", metavar="FILE", help="de indeling (standaard: TAXONOMY/voorzieningen.yaml)")
    parser.add_argument("--root", metavar="DIR", default=".", help="de map van de site (standaard: .)")
    parser.add_argument("--dry-run", action="store_true", help="alleen laten zien wat er zou gebeuren")
    parser.set_defaults(handler=run)


def _content_root(root: Path, content: str | None) -> Path:
    path = Path(content).resolve() if content else root / "content"
    return path.parent if path.name == "initiatieven" else path


def run(args: argparse.Namespace) -> int:
    from wijknet.importers.areas import BuurtenError, WijkLocator
    from wijknet.importers.manifest import ManifestError
    from wijknet.importers.mapping import MAPPING_FILE, MappingError, load_mapping
    from wijknet.importers.voorzieningen import (
        ImportOptions,
        SourceError,
        available_domains,
        format_report,
        read_facilities,
        run_import,
    )
    from wijknet.project import Project

    project = Project.at(args.root, None, args.taxonomy, args.settings)
    city = load_city(project, "text", "nl", out=sys.stderr)
    if city is None:
        return 2
    settings, taxonomy = city
    try:
        mapping = load_mapping(Path(args.mapping) if args.mapping else project.taxonomy_dir / MAPPING_FILE, taxonomy)
        buurten = Path(args.buurten) if args.buurten else None
        if buurten is None and mapping.data.buurten.file:
            buurten = project.root / mapping.data.buurten.file
        if buurten is None:
            sys.stderr.write("Geef de buurtgrenzen op met --buurten (of 'buurten.bestand' in de indeling).\n")
            return 2
        locator = WijkLocator.from_geojson(buurten, mapping.data.buurten.cbs_buurtcode, taxonomy)
        source = Path(args.file)
        domains = tuple(
            part.strip() for part in (args.domains.split(",") if args.domains else mapping.data.default_domains) if part.strip()
        )
        facilities, _ = read_facilities(source, mapping)
        known = available_domains(facilities)
        unknown = [domain for domain in domains if domain not in known]
        if not domains or unknown:
            wrong = ", ".join(f"'{d}'" for d in unknown) or "(geen)"
            sys.stderr.write(f"Onbekend domein: {wrong}. In {source.name} staan: {', '.join(known)}.\n")
            return 2
        options = ImportOptions(
            source=source,
            content_root=_content_root(project.root, args.content),
            mapping=mapping,
            locator=locator,
            taxonomy=taxonomy,
            settings=settings,
            checked=args.date or today_in(settings.timezone),
            domains=domains,
            dry_run=args.dry_run,
        )
        report = run_import(options)
    except (MappingError, BuurtenError) as error:
        sys.stderr.write("\n".join(error.problems) + "\n")
        return 2
    except (SourceError, ManifestError) as error:
        sys.stderr.write(f"{error}\n")
        return 2
    sys.stdout.write(format_report(report, dry_run=args.dry_run))
    return 1 if report.failed else 0
