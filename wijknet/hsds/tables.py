"""The tabular form of HSDS: one CSV file per table and ``datapackage.json`` (a Frictionless
Tabular Data Package) that describes them.

The tables, their file names, columns and column order come from the vendored schemas
(:class:`wijknet.hsds_format.Standard`); every table is written, empty ones with their header
only, so a consumer finds the layout the specification describes. CSV: UTF-8, a header row,
RFC 4180 quoting, CRLF line ends; an empty cell is a value that is not there. Text a
spreadsheet would run as a formula gets a leading ``'`` (phone numbers and numbers do not:
see :func:`wijknet.hsds_format.guard_cell`); ``wijknet import-hsds`` removes it again.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from wijknet.content.catalog import Catalog
from wijknet.engine.urls import Urls
from wijknet.hsds_format import HSDS_VERSION, Standard, Table, guard_cell
from wijknet.slugs import slugify

# A column that holds the id of a row of another table (foreign key), by column name.
_REFERENCES = {
    "organization_id": "organization",
    "parent_organization_id": "organization",
    "program_id": "program",
    "service_id": "service",
    "location_id": "location",
    "contact_id": "contact",
    "phone_id": "phone",
    "service_at_location_id": "service_at_location",
    "taxonomy_term_id": "taxonomy_term",
    "taxonomy_id": "taxonomy",
}


def referenced_table(table: str, column: str) -> str | None:
    """The table whose ``id`` the column ``column`` of ``table`` holds, if it holds one."""
    if (table, column) == ("taxonomy_term", "parent_id"):
        return "taxonomy_term"
    return _REFERENCES.get(column)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return guard_cell(str(value))


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def csv_line(values: Iterable[str]) -> str:
    """One CSV line as ``csv.writer`` writes it (RFC 4180, minimal quoting, CRLF), made
    without a writer per line; a test compares the two."""
    return ",".join('"' + value.replace('"', '""') + '"' if value and _NEEDS_QUOTES.search(value) else value for value in values) + "\r\n"


def row_line(table: Table, row: Mapping[str, Any]) -> str:
    """One row as a CSV line, in the table's column order; a key the table does not have is
    an error (it would be lost silently)."""
    position = table.position
    cells = [""] * len(position)
    for key, value in row.items():
        index = position.get(key)
        if index is None:
            raise ValueError(f"{table.name}: no column for {key!r}")
        cells[index] = _cell(value)
    return csv_line(cells)


def table_csv(table: Table, lines: Iterable[str]) -> bytes:
    """A table's file: the header and the given row lines."""
    return (csv_line(table.column_names) + "".join(lines)).encode("utf-8")


def _field(column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "title": column.title, "description": column.description}
    if column.format == "date-time":
        field["type"] = "datetime"
    else:
        field["type"] = "number" if column.type == "number" else column.type
        if column.format in ("uuid", "email", "uri"):
            field["format"] = column.format
    constraints = {key: True for key, wanted in (("required", column.required), ("unique", column.unique)) if wanted}
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(standard: Standard, catalog: Catalog, urls: Urls) -> dict[str, Any]:
    """``datapackage.json``: the package, its licence (``datalicentie`` in ``site.yaml``) and
    one resource per table with its Table Schema and foreign keys."""
    settings = catalog.settings
    tables = {table.name: table for table in standard.tables}
    resources = []
    for table in standard.tables:
        schema: dict[str, Any] = {"fields": [_field(column) for column in table.columns], "primaryKey": ["id"]}
        foreign = []
        for column in table.columns:
            target = referenced_table(table.name, column.name)
            if target in tables:
                foreign.append({"fields": column.name, "reference": {"resource": target, "fields": "id"}})
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.description,
                "schema": schema,
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": slugify(f"{settings.site_name} hsds"),
        "title": f"{settings.site_name}: sociale kaart (HSDS {HSDS_VERSION})",
        "description": (
            f"Initiatieven, voorzieningen en activiteiten van {settings.site_name} als Open Referral "
            f"Human Services Data Specification {HSDS_VERSION}: één CSV-bestand per tabel."
        ),
        "homepage": urls.absolute(urls.home()),
        "keywords": ["HSDS", "Open Referral", "sociale kaart", settings.city_name],
        "sources": [{"title": settings.site_name, "path": urls.absolute(urls.home())}],
        "resources": resources,
    }
    licence = settings.data_licence
    if licence is not None:
        package["licenses"] = [{"name": licence.id, "title": licence.name, "path": licence.url}]
    return package
