"""HSDS 3.0 (Open Referral) as wijknet reads and writes it, below the export and the importer.

- :class:`Standard`: the official JSON Schemas in ``standards/hsds-3.0/schema/`` (copied
  unchanged into the repository): the tables of the tabular form (name, file, columns in
  the schema's order, column types) and validation with ``jsonschema``, using the JSON
  Schema draft that ``openapi.json`` declares (``jsonSchemaDialect``). The files refer to
  each other by name (``"$ref": "phone.json"``); those references are resolved from the
  folder through a ``referencing`` registry, never over the network.
- :func:`stable_id`: UUIDs that survive rebuilds (UUID 5 over the site URL and a key).
- :func:`nest_services` and friends: rows of the tabular form joined into the nested
  objects of the HSDS API (a full service, an organization with its services). The export
  builds its JSON this way and the importer reads a datapackage this way.
- :func:`read_csv_table`: a CSV table back into typed rows.
- The conventions both directions share: the status words and the ``link_type`` of the
  attributes that carry our taxonomy terms.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from wijknet.taxonomy import VOCABULARIES

STANDARD_DIR = Path(__file__).resolve().parent.parent / "standards" / "hsds-3.0"
"""The vendored specification: ``schema/``, ``examples/``, licence and sources."""

HSDS_VERSION = "3.0"
UPSTREAM_SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
"""Where the schemas live upstream: the base URI the local copies are registered under, so
``$ref``s (relative, or absolute as in ``openapi.json``) find the local files."""
OPENAPI_URL = UPSTREAM_SCHEMA + "openapi.json"

# --- conventions shared by the export and the importer -------------------------------------

STATUS_TO_HSDS = {"actief": "active", "gepauzeerd": "temporarily closed"}
"""Our ``status`` → HSDS service ``status`` (``gestopt`` entries are never exported)."""
STATUS_FROM_HSDS = {"active": "actief", "temporarily closed": "gepauzeerd"}
"""HSDS service ``status`` → ours; ``inactive`` and ``defunct`` services are not imported."""

LINK_TYPES = {spec.id: spec.key for spec in VOCABULARIES}
"""Vocabulary → the ``link_type`` of the attributes that link a service (or, for areas, a
service area) to a term of that vocabulary: the content format's key (``soort``, ``themas``,
``doelgroepen``, ``werkgebied``)."""
PAGE_LINK_TYPE = "pagina"
"""The ``link_type`` of the attribute whose ``value`` is the entry's page on the site."""

OWN_ORGANIZATION = "Geen aparte organisatie bekend: dit aanbod is zijn eigen organisatie."
"""The description of the organization an entry without ``organisatie`` gets (the tabular form
requires one for every service): named after the entry, and left out again on import."""


def stable_id(site_url: str, *key: str) -> str:
    """A UUID that depends only on the site and ``key`` (``stable_id(url, "service", slug)``):
    the same entry keeps its id in every build, and two sites never share one."""
    return IdMaker(site_url)(*key)


class IdMaker:
    """:func:`stable_id` for one site: ``uuid.uuid5(uuid5(NAMESPACE_URL, site + "/"),
    "/".join(key))``, computed with one SHA-1 (a build makes tens of thousands)."""

    def __init__(self, site_url: str):
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, site_url.rstrip("/") + "/").bytes

    def __call__(self, *key: str) -> str:
        digest = bytearray(hashlib.sha1(self.namespace + "/".join(key).encode("utf-8")).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
        hexed = digest.hex()
        return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


# --- the vendored schemas -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table of the tabular form."""

    name: str
    type: str  # the JSON Schema type: string or number
    format: str | None
    title: str
    description: str
    required: bool
    unique: bool


@dataclass(frozen=True, eq=False)
class Table:
    """One table of the tabular form: an HSDS object (``service``) and its CSV file."""

    name: str  # the object: service, phone, service_at_location ...
    path: str  # the CSV file: services.csv
    order: int
    description: str
    columns: tuple[Column, ...]

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @cached_property
    def position(self) -> dict[str, int]:
        """Column name → its place in a row."""
        return {name: index for index, name in enumerate(self.column_names)}


class Standard:
    """The schemas of one folder (:data:`STANDARD_DIR` unless told otherwise); made once per
    folder and process by :func:`standard`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        schema_dir = self.folder / "schema"
        self.schemas: dict[str, dict[str, Any]] = {}
        for path in sorted(schema_dir.glob("*.json")):
            if path.name != "openapi.json":
                self.schemas[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        self.openapi: dict[str, Any] = json.loads((schema_dir / "openapi.json").read_text(encoding="utf-8"))

    @property
    def dialect(self) -> str:
        """The JSON Schema draft the specification declares for its schemas."""
        return self.openapi["jsonSchemaDialect"]

    @cached_property
    def tables(self) -> tuple[Table, ...]:
        """Every table of the tabular form, in the specification's order."""
        tables = []
        for name, schema in self.schemas.items():
            meta = schema.get("datapackage_metadata")
            if not meta or "path" not in schema:
                continue
            required = set(schema.get("required", ())) | set(schema.get("tabular_required", ()))
            columns = tuple(
                Column(
                    name=key,
                    type=spec["type"],
                    format=spec.get("format"),
                    title=spec.get("title", key),
                    description=spec.get("description", ""),
                    required=key in required,
                    unique=bool(spec.get("constraints", {}).get("unique")),
                )
                for key, spec in schema["properties"].items()
                if spec.get("type") in ("string", "number", "integer", "boolean")
            )
            tables.append(Table(name, schema["path"], int(meta.get("order", 99)), schema.get("description", ""), columns))
        return tuple(sorted(tables, key=lambda table: (table.order, table.name)))

    def table(self, name: str) -> Table:
        return self._tables_by_name[name]

    @cached_property
    def _tables_by_name(self) -> dict[str, Table]:
        return {table.name: table for table in self.tables}

    @cached_property
    def table_of_path(self) -> dict[str, Table]:
        return {table.path: table for table in self.tables}

    # --- validation -----------------------------------------------------------------------

    @cached_property
    def _registry(self):
        from referencing import Registry, Resource
        from referencing.jsonschema import specification_with

        specification = specification_with(self.dialect)
        resources = [(UPSTREAM_SCHEMA + f"{name}.json", Resource(contents=schema, specification=specification))
                     for name, schema in self.schemas.items()]  # fmt: skip
        resources.append((UPSTREAM_SCHEMA + "openapi.json", Resource(contents=self.openapi, specification=specification)))
        # No ``retrieve``: a reference to a file that is not here is an error, never a download.
        return Registry().with_resources(resources)

    @lru_cache(maxsize=64)
    def validator(self, name: str, tabular: bool = False):
        """A validator for the object ``name`` (``service``), or, ``tabular``, for one row of
        its table: its columns only, with the columns the tabular form requires."""
        from jsonschema.validators import validator_for

        if name in ("Page", "root"):
            schema = self._api_schema(name)
        elif tabular:
            source = self.schemas[name]
            table = self.table(name)
            schema = {
                "type": "object",
                "properties": {column: source["properties"][column] for column in table.column_names},
                "required": [column.name for column in table.columns if column.required],
            }
        else:
            schema = {"$ref": UPSTREAM_SCHEMA + f"{name}.json"}
        cls = validator_for({"$schema": self.dialect})
        return cls(schema, registry=self._registry, format_checker=cls.FORMAT_CHECKER)

    def _api_schema(self, name: str) -> dict[str, Any]:
        """``Page``: the paging fields of a list answer; ``root``: the answer of ``GET /``."""
        if name == "Page":
            return {"$ref": UPSTREAM_SCHEMA + "openapi.json#/components/schemas/Page"}
        answer = self.openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        return answer

    def errors(self, name: str, instance: Any, tabular: bool = False) -> list[str]:
        """Why ``instance`` is not a valid ``name`` (empty when it is), each as ``path: message``
        in Dutch (the field's path inside the object; ``(geheel)`` for the object itself)."""
        found = []
        for error in sorted(self.validator(name, tabular).iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            where = "/".join(str(part) for part in error.absolute_path) or "(geheel)"
            found.append(f"{where}: {dutch_message(error)}")
        return found


_TYPES_NL = {"string": "tekst", "number": "een getal", "integer": "een geheel getal", "boolean": "waar of onwaar",
             "object": "een object", "array": "een lijst", "null": "leeg"}  # fmt: skip
_FORMATS_NL = {"uuid": "UUID", "uri": "webadres (URI)", "email": "e-mailadres",
               "date-time": "datum met tijd (RFC 3339)", "date": "datum (JJJJ-MM-DD)"}  # fmt: skip


def dutch_message(error) -> str:
    """A ``jsonschema`` error in plain Dutch, with the value that is wrong."""
    value = json.dumps(error.instance, ensure_ascii=False)
    if len(value) > 60:
        value = value[:57] + "..."
    keyword = error.validator
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"'{missing}' ontbreekt (verplicht)"
    if keyword == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"{value} moet {' of '.join(_TYPES_NL.get(str(kind), str(kind)) for kind in wanted)} zijn"
    if keyword == "format":
        return f"{value} is geen {_FORMATS_NL.get(str(error.validator_value), str(error.validator_value))}"
    if keyword == "enum":
        return f"{value} is geen toegestane waarde; kies uit {', '.join(map(str, error.validator_value))}"
    return f"{value} klopt niet ({keyword}: {error.message})"


@lru_cache(maxsize=4)
def standard(folder: Path = STANDARD_DIR) -> Standard:
    """The vendored schemas, read once per process."""
    return Standard(folder)


# --- rows and nested objects ----------------------------------------------------------------

Rows = Mapping[str, list[dict[str, Any]]]
"""Rows by table name (``service``, ``phone`` ...), as in the tabular form (flat, linked by ids)."""


_TERM_IN_ATTRIBUTE = ("id", "code", "name", "description", "taxonomy_id")


def _by(rows: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(row)
    return grouped


class Nesting:
    """Joins the rows of a dataset into the nested objects of the HSDS API, as the official
    examples nest them (``examples/service_full.json``)."""

    def __init__(self, rows: Rows, vocabularies: "Nesting | None" = None):
        """``vocabularies``: a nesting whose taxonomies and terms to use (made once, shared
        by the nestings of single services)."""
        self.rows = rows
        self._groups: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        self.organizations = self._index("organization")
        self.programs = self._index("program")
        self.locations = self._index("location")
        if vocabularies is not None:
            self.terms, self.taxonomies = vocabularies.terms, vocabularies.taxonomies
        else:
            self.terms, self.taxonomies = self._index("taxonomy_term"), self._index("taxonomy")

    def _index(self, table: str) -> dict[str, dict[str, Any]]:
        return {row["id"]: row for row in self.rows.get(table, ()) if row.get("id")}

    def linked(self, table: str, key: str, value: str) -> list[dict[str, Any]]:
        """The rows of ``table`` whose ``key`` is ``value`` (grouped once per table and key)."""
        grouped = self._groups.get((table, key))
        if grouped is None:
            grouped = self._groups[(table, key)] = _by(self.rows.get(table, ()), key)
        return grouped.get(value, [])

    @staticmethod
    def _put(target: dict[str, Any], key: str, items: list[dict[str, Any]]) -> None:
        if items:
            target[key] = items

    @staticmethod
    def _child(row: dict[str, Any], parent_key: str) -> dict[str, Any]:
        """A row nested under its parent, without the id that points back to that parent
        (as the official examples nest them)."""
        return {key: value for key, value in row.items() if key != parent_key}

    def _children(self, rows: Iterable[dict[str, Any]], parent_key: str) -> list[dict[str, Any]]:
        return [self.with_attributes(self._child(row, parent_key)) for row in rows]

    def term(self, term_id: str, detail: bool = True) -> dict[str, Any] | None:
        """A taxonomy term with its taxonomy (``taxonomy_detail``); without ``detail``, the
        fields that identify it (``id``, ``code``, ``name``, ``description``,
        ``taxonomy_id``), as an attribute nests it: the whole term is one request away."""
        term = self.terms.get(term_id)
        if term is None:
            return None
        if not detail:
            return {key: term[key] for key in _TERM_IN_ATTRIBUTE if key in term}
        result = dict(term)
        taxonomy = self.taxonomies.get(term.get("taxonomy_id", ""))
        if taxonomy is not None:
            result["taxonomy_detail"] = dict(taxonomy)
        return result

    def with_attributes(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` (a copy the caller owns) with its attributes, each with its term (see
        :meth:`term`: the term names its taxonomy by ``taxonomy_id``; the taxonomy is not
        repeated in every attribute)."""
        attributes = []
        for attribute in self.linked("attribute", "link_id", row.get("id", "")):
            item = self._child(attribute, "link_id")
            term = self.term(attribute.get("taxonomy_term_id", ""), detail=False)
            if term is not None:
                item["taxonomy_term"] = term
            attributes.append(item)
        if attributes:
            row["attributes"] = attributes
        return row

    def phone(self, row: dict[str, Any], parent_key: str) -> dict[str, Any]:
        result = self.with_attributes(self._child(row, parent_key))
        self._put(result, "languages", self._children(self.linked("language", "phone_id", row["id"]), "phone_id"))
        return result

    def contact(self, row: dict[str, Any], parent_key: str) -> dict[str, Any]:
        result = self.with_attributes(self._child(row, parent_key))
        self._put(result, "phones", [self.phone(item, "contact_id") for item in self.linked("phone", "contact_id", row["id"])])
        return result

    def location(self, row: dict[str, Any]) -> dict[str, Any]:
        result = self.with_attributes(dict(row))
        key = row["id"]
        self._put(result, "languages", self._children(self.linked("language", "location_id", key), "location_id"))
        self._put(result, "addresses", self._children(self.linked("address", "location_id", key), "location_id"))
        self._put(result, "contacts", [self.contact(item, "location_id") for item in self.linked("contact", "location_id", key)])
        self._put(result, "accessibility", self._children(self.linked("accessibility", "location_id", key), "location_id"))
        self._put(result, "phones", [self.phone(item, "location_id") for item in self.linked("phone", "location_id", key)])
        self._put(result, "schedules", self._children(self.linked("schedule", "location_id", key), "location_id"))
        return result

    def organization(self, organization_id: str) -> dict[str, Any] | None:
        """The organization's own fields, as a service list nests it."""
        row = self.organizations.get(organization_id)
        return dict(row) if row is not None else None

    def service_summary(self, row: dict[str, Any]) -> dict[str, Any]:
        """A service with its one-to-one parts (``GET /services`` lists these)."""
        result = dict(row)
        organization = self.organization(row.get("organization_id", ""))
        if organization is not None:
            result["organization"] = organization
        program = self.programs.get(row.get("program_id", ""))
        if program is not None:
            result["program"] = dict(program)
        return result

    def full_service(self, row: dict[str, Any]) -> dict[str, Any]:
        """A service with everything linked to it (``GET /services/{id}``)."""
        result = self.with_attributes(self.service_summary(row))
        key = row["id"]
        self._put(result, "phones", [self.phone(item, "service_id") for item in self.linked("phone", "service_id", key)])
        self._put(result, "schedules", self._children(self.linked("schedule", "service_id", key), "service_id"))
        self._put(result, "service_areas", self._children(self.linked("service_area", "service_id", key), "service_id"))
        places = []
        for item in self.linked("service_at_location", "service_id", key):
            place = self.with_attributes(self._child(item, "service_id"))
            location = self.locations.get(item.get("location_id", ""))
            if location is not None:
                place["location"] = self.location(location)
            places.append(place)
        self._put(result, "service_at_locations", places)
        self._put(result, "languages", self._children(self.linked("language", "service_id", key), "service_id"))
        self._put(result, "funding", self._children(self.linked("funding", "service_id", key), "service_id"))
        self._put(result, "cost_options", self._children(self.linked("cost_option", "service_id", key), "service_id"))
        self._put(result, "required_documents", self._children(self.linked("required_document", "service_id", key), "service_id"))
        self._put(result, "contacts", [self.contact(item, "service_id") for item in self.linked("contact", "service_id", key)])
        return result

    def full_organization(self, organization_id: str) -> dict[str, Any]:
        """An organization with its services as summaries (``GET /organizations/{id}``)."""
        result = self.with_attributes(dict(self.organizations[organization_id]))
        services = [self._child(service, "organization_id") for service in self.linked("service", "organization_id", organization_id)]
        self._put(result, "services", services)
        return result


def nest_services(rows: Rows) -> list[dict[str, Any]]:
    """Every service of ``rows`` as a full, nested service, in row order."""
    nesting = Nesting(rows)
    return [nesting.full_service(row) for row in rows.get("service", []) if row.get("id")]


# --- CSV ------------------------------------------------------------------------------------


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-]?[0-9][0-9 ().+-]*")


def guard_cell(text: str) -> str:
    """Text a spreadsheet would run as a formula, with a ``'`` in front. Numbers and phone
    numbers (``+31 20 123 4567``, ``-4.9``) stay as they are: without letters or operators
    other than ``+``/``-`` between digits they cannot call anything, and HSDS tools read
    them as data."""
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER_LIKE.fullmatch(text):
        return "'" + text
    return text


def unguard_cell(text: str) -> str:
    """The text :func:`guard_cell` guarded, as it was."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES) and not _NUMBER_LIKE.fullmatch(text[1:]):
        return text[1:]
    return text


def typed_cell(column: Column | None, text: str) -> Any:
    """A CSV cell as the JSON value its column holds: numbers for ``number`` columns."""
    if column is not None and column.type in ("number", "integer"):
        try:
            number = float(text)
        except ValueError:
            return text  # left for validation to report
        return int(number) if number.is_integer() else number
    return text


def read_csv_table(data: bytes | str, table: Table) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows of one CSV table (empty cells left out, guarded cells as they were), and the
    columns its header names that the table does not have."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {column.name: column for column in table.columns}
    unknown = [name for name in (reader.fieldnames or []) if name not in columns]
    rows = []
    for record in reader:
        row = {key: typed_cell(columns.get(key), unguard_cell(value)) for key, value in record.items() if key and value not in (None, "")}
        rows.append(row)
    return rows, unknown
