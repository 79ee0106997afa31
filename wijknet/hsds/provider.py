"""Provider: ``data/hsds/``, the catalogue as an HSDS 3.0 dataset in two shapes.

- the tabular datapackage: ``datapackage.json`` and one CSV file per table
  (:mod:`wijknet.hsds.tables`);
- static JSON laid out like the HSDS API (:mod:`wijknet.hsds.api`).

An entry's rows, its CSV lines and its full service are remembered in the build cache by the
entry's content (namespace ``hsds``): after one edit only that entry is made again, and a
build with nothing changed stops before any provider runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from wijknet.content.models import Entry
from wijknet.engine.model import BuildContext, File
from wijknet.engine.registry import Provider
from wijknet.hsds import api
from wijknet.hsds.export import entry_rows, services_of, taxonomy_rows
from wijknet.hsds.tables import datapackage, row_line, table_csv
from wijknet.hsds_format import Nesting, standard
from wijknet.jsondump import dump_json

FOLDER = "data/hsds"
DATAPACKAGE_PATH = f"{FOLDER}/datapackage.json"


@dataclass(frozen=True)
class EntryPart:
    """What one entry adds to the dataset (remembered by its content): its CSV lines, its
    full service, and the two rows the lists and organizations need."""

    lines: dict[str, list[tuple[str, str]]]  # table → (row id, CSV line)
    service: bytes  # services/{id}.json
    service_row: dict[str, Any]
    organization_row: dict[str, Any]


def _entry_part(build: BuildContext, entry: Entry, vocabularies: Nesting) -> EntryPart:
    rows = entry_rows(build.catalog, build.urls, entry)
    tables = standard()
    lines = {name: [(row["id"], row_line(tables.table(name), row)) for row in table_rows] for name, table_rows in rows.items()}
    service = Nesting(rows, vocabularies).full_service(rows["service"][0])
    return EntryPart(lines, dump_json(service), rows["service"][0], rows["organization"][0])


def dataset_files(build: BuildContext) -> dict[str, bytes]:
    """Every file of ``data/hsds/``, by output path."""
    catalog, urls, memo = build.catalog, build.urls, build.cache
    tables = standard()
    taxonomy = taxonomy_rows(catalog, urls)
    vocabularies = Nesting(taxonomy)
    parts = [memo.entry("hsds", entry, lambda: _entry_part(build, entry, vocabularies)) for entry in services_of(catalog)]

    # Rows several entries share (an organization, a location) appear once, where first met.
    lines: dict[str, dict[str, str]] = {table.name: {} for table in tables.tables}
    for part in parts:
        for name, table_lines in part.lines.items():
            for row_id, line in table_lines:
                lines[name].setdefault(row_id, line)
    for name, table_rows in taxonomy.items():
        for row in table_rows:
            lines[name].setdefault(row["id"], row_line(tables.table(name), row))

    files: dict[str, bytes] = {}
    for table in tables.tables:
        files[f"{FOLDER}/{table.path}"] = table_csv(table, lines[table.name].values())
    files[DATAPACKAGE_PATH] = dump_json(datapackage(tables, catalog, urls))

    # The API layout: full services as remembered; lists and organizations joined here.
    organizations = {part.organization_row["id"]: part.organization_row for part in parts}
    all_rows = {"service": [part.service_row for part in parts], "organization": list(organizations.values())}
    nesting = Nesting(all_rows, vocabularies)
    files[f"{FOLDER}/index.json"] = dump_json(api.root())
    services = all_rows["service"]
    for part in parts:
        files[f"{FOLDER}/services/{part.service_row['id']}.json"] = part.service
    listed = [
        ("services", [nesting.service_summary(row) for row in services]),
        ("organizations", [dict(row) for row in all_rows["organization"]]),
        ("taxonomies", [dict(row) for row in taxonomy["taxonomy"]]),
        ("taxonomy_terms", [nesting.term(row["id"]) for row in taxonomy["taxonomy_term"]]),
    ]
    for folder, items in listed:
        for path, page in api.pages(f"{FOLDER}/{folder}", items):
            files[path] = dump_json(page)
    for row in all_rows["organization"]:
        files[f"{FOLDER}/organizations/{row['id']}.json"] = dump_json(nesting.full_organization(row["id"]))
    for row in taxonomy["taxonomy"]:
        files[f"{FOLDER}/taxonomies/{row['id']}.json"] = dump_json(row)
    for row in taxonomy["taxonomy_term"]:
        files[f"{FOLDER}/taxonomy_terms/{row['id']}.json"] = dump_json(nesting.term(row["id"]))
    return files


def provide(build: BuildContext) -> Iterable[File]:
    """The files of ``data/hsds/``, in path order."""
    files = dataset_files(build)
    for path in sorted(files):
        yield File(path, files[path])


PROVIDER = Provider("hsds", provide, files_side=True)
"""The HSDS 3.0 dataset: datapackage and CSV tables, static JSON in the API layout."""
