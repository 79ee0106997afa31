"""``wijknet import-hsds PATH``: import an Open Referral HSDS 3.0 dataset as entries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wijknet.commands.common import date_arg, load_city
from wijknet.project import today_in


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-hsds",
        help="zet een HSDS 3.0-dataset (Open Referral) om in bestanden voor de site",
        description=(
            "Zet de diensten uit een HSDS 3.0-dataset om in bestanden: een map met datapackage.json "
            "en CSV-tabellen, een datapackage.json, of JSON (een dienst, een lijst, een pagina, of een "
            "map met zulke bestanden). Thema's, doelgroepen en gebieden van andere sociale kaarten "
            "vertaalt taxonomy/hsds.yaml. Een tweede keer draaien verandert niets; met de hand "
            "aangepaste bestanden blijven staan."
        ),
    )
    parser.add_argument("path", metavar="PATH", help="de dataset: een map, datapackage.json of een JSON-bestand")
    parser.add_argument("--content", metavar="DIR", help="map met de inhoud (standaard: content)")
    parser.add_argument("--date", type=date_arg, metavar="YYYY-MM-DD", help="datum voor 'gecontroleerd' als de bron die niet geeft (standaard: vandaag)")
    parser.add_argument("--taxonomy", metavar="DIR", help="map met de taxonomie (standaard: taxonomy)")
    parser.add_argument("--settings", metavar="FILE", help="site-instellingen (standaard: site.yaml)")
    parser.add_argument("--mapping", metavar="FILE", help="de vertaaltabel (standaard: TAXONOMY/hsds.yaml)")
    parser.add_argument("--root", metavar="DIR", default=".", help="de map van de site (standaard: .)")
    parser.add_argument("--dry-run", action="store_true", help="alleen laten zien wat er zou gebeuren")
    parser.set_defaults(handler=run)


def _content_root(root: Path, content: str | None) -> Path:
    path = Path(content).resolve() if content else root / "content"
    return path.parent if path.name == "initiatieven" else path


def run(args: argparse.Namespace) -> int:
    from wijknet.importers.areas import BuurtenError, WijkLocator
    from wijknet.importers.hsds import ImportOptions, SourceError, format_report, read_dataset, run_import
    from wijknet.importers.hsds_mapping import MAPPING_FILE, MappingError, load_hsds_mapping
    from wijknet.importers.manifest import ManifestError
    from wijknet.project import Project

    project = Project.at(args.root, None, args.taxonomy, args.settings)
    city = load_city(project, "text", "nl", out=sys.stderr)
    if city is None:
        return 2
    settings, taxonomy = city
    try:
        mapping = load_hsds_mapping(Path(args.mapping) if args.mapping else project.taxonomy_dir / MAPPING_FILE, taxonomy)
        locator = None
        if mapping.data.buurten is not None:
            locator = WijkLocator.from_geojson(project.root / mapping.data.buurten.file, mapping.data.buurten.cbs_buurtcode, taxonomy)
        dataset = read_dataset(Path(args.path))
        options = ImportOptions(
            source=Path(args.path),
            content_root=_content_root(project.root, args.content),
            mapping=mapping,
            taxonomy=taxonomy,
            settings=settings,
            checked=args.date or today_in(settings.timezone),
            locator=locator,
            dry_run=args.dry_run,
        )
        report = run_import(options, dataset)
    except (MappingError, BuurtenError) as error:
        sys.stderr.write("\n".join(error.problems) + "\n")
        return 2
    except (SourceError, ManifestError) as error:
        sys.stderr.write(f"{error}\n")
        return 2
    sys.stdout.write(format_report(report, dry_run=args.dry_run))
    return 1 if report.failed else 0
