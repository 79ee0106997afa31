"""Check a written ``data/hsds/`` folder against the official HSDS 3.0 schemas.

Every object in every file is validated with ``jsonschema`` (the draft the specification
declares, ``$ref``s resolved from the vendored files): each CSV row against its table (the
columns, with the columns the tabular form requires), every JSON file against the object
it holds (a full service, an organization, a taxonomy, a term) or, for a list, the API's
``Page`` plus each item. Beyond the schemas: ids are unique per table, every id a row
points to exists, ``datapackage.json`` names every table with the columns its file has, and
no file is there that this layout does not describe. Used by the tests and benchmarks.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from wijknet.hsds.tables import referenced_table
from wijknet.hsds_format import Standard, read_csv_table, standard

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_LISTS = {"services": "service", "organizations": "organization", "taxonomies": "taxonomy", "taxonomy_terms": "taxonomy_term"}


def validate_dataset(folder: Path, schemas: Standard | None = None) -> tuple[list[str], dict[str, int]]:
    """The problems of the dataset in ``folder`` (empty when it is valid) and how many
    objects of each kind were checked."""
    schemas = schemas or standard()
    folder = Path(folder)
    problems: list[str] = []
    counts: dict[str, int] = {}

    def check(name: str, instance: Any, where: str, tabular: bool = False) -> None:
        counts[name] = counts.get(name, 0) + 1
        problems.extend(f"{where}: {error}" for error in schemas.errors(name, instance, tabular=tabular))

    # --- the tabular form ------------------------------------------------------------------
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"datapackage.json: {error}"], counts
    resources = {resource.get("path"): resource for resource in package.get("resources", [])}
    ids: dict[str, set[str]] = {}
    rows_of: dict[str, list[dict[str, Any]]] = {}
    for table in schemas.tables:
        resource = resources.get(table.path)
        if resource is None:
            problems.append(f"datapackage.json: geen resource voor {table.path}")
            continue
        fields = [field["name"] for field in resource.get("schema", {}).get("fields", [])]
        data = (folder / table.path).read_bytes() if (folder / table.path).is_file() else None
        if data is None:
            problems.append(f"{table.path}: ontbreekt")
            continue
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))), [])
        if header != fields or header != list(table.column_names):
            problems.append(f"{table.path}: kolommen {header} wijken af van de tabel en datapackage.json")
        rows, _unknown = read_csv_table(data, table)
        rows_of[table.name] = rows
        seen: set[str] = set()
        for number, row in enumerate(rows, start=2):
            check(table.name, row, f"{table.path}:{number}", tabular=True)
            if row.get("id") in seen:
                problems.append(f"{table.path}:{number}: id {row.get('id')} komt twee keer voor")
            seen.add(row.get("id"))
        ids[table.name] = seen
    for table in schemas.tables:
        for number, row in enumerate(rows_of.get(table.name, []), start=2):
            for column, value in row.items():
                target = referenced_table(table.name, column)
                if target and value not in ids.get(target, set()):
                    problems.append(f"{table.path}:{number}: {column} {value} staat niet in {schemas.table(target).path}")
    extra = set(resources) - {table.path for table in schemas.tables}
    problems.extend(f"datapackage.json: onbekende resource {path}" for path in sorted(extra))

    # --- the API layout --------------------------------------------------------------------
    known = {table.path for table in schemas.tables} | {"datapackage.json"}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(folder).as_posix()
        if relative in known:
            continue
        if relative == "index.json":
            check("root", _json(path, problems), relative)
            continue
        match = re.fullmatch(rf"(?P<list>{'|'.join(_LISTS)})/(?:page-(?P<page>[1-9][0-9]*)|(?P<id>{_UUID}))\.json", relative)
        if match is None:
            problems.append(f"{relative}: hoort niet bij deze indeling")
            continue
        data = _json(path, problems)
        name = _LISTS[match["list"]]
        if match["page"]:
            check("Page", data, relative)
            for index, item in enumerate((data or {}).get("contents", [])):
                check(name, item, f"{relative}: contents/{index}")
            if data and data.get("page_number") != int(match["page"]):
                problems.append(f"{relative}: page_number is {data.get('page_number')}")
            continue
        check(name, data, relative)
        if isinstance(data, dict) and data.get("id") != match["id"]:
            problems.append(f"{relative}: id {data.get('id')} past niet bij de bestandsnaam")
        if name == "organization" and isinstance(data, dict):
            for index, item in enumerate(data.get("services", [])):
                check("service", item, f"{relative}: services/{index}")
    return problems, counts


def _json(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        problems.append(f"{path.name}: geen JSON ({error})")
        return None
