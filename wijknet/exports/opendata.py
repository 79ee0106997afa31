"""Open data: every listed entry as JSON (``data/initiatieven.json``) and CSV
(``data/initiatieven.csv``).

Both hold the same records: ``slug``, the content keys in Dutch as in the content format
(``titel``, ``soort``, ``contact`` ...; ``status`` always present), ``beschrijving`` (the
Markdown text) and ``url`` (the entry page, absolute). Stopped entries and expired questions
are left out, as everywhere else.

The CSV columns come from the pydantic models, in the content format's order: a nested part
becomes one column per field (``contact.email``, ``wanneer.start``), a list is one cell with
the values joined by ``;``. UTF-8 with a header row, RFC 4180 quoting, CRLF line ends.

Spreadsheet formula injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return could be run as a formula when someone opens the file in a spreadsheet. Such
text cells get a leading ``'`` (the usual guard); this also applies to phone numbers such as
``+31 20 123 4567``, which then read ``'+31 20 123 4567``. Numbers (``locatie.lat``,
``locatie.lon``) are written as numbers and never guarded. The JSON file holds the values
unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import json.encoder
import types
import typing
from typing import Any

from pydantic import BaseModel

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry, EntryFields
from wijknet.engine.urls import Urls

LIST_SEPARATOR = ";"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def entry_record(catalog: Catalog, urls: Urls, entry: Entry) -> dict[str, Any]:
    """One entry as open data: slug, content keys, description and page URL."""
    record: dict[str, Any] = {"slug": entry.slug}
    record.update(entry.front_matter())
    record.setdefault("status", entry.status)
    record["beschrijving"] = entry.description
    record["url"] = urls.absolute(urls.entry(entry.slug))
    return record


# The standard library's string encoder for ensure_ascii=False (its C version when built;
# like json.dumps, it refuses anything but text, so a non-text key raises TypeError).
_ENCODE_TEXT = json.encoder.encode_basestring


def indented_json(value: Any, level: int = 0) -> str:
    """Exactly ``json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2)`` (indented
    ``level`` steps deeper), for JSON data with text keys, five times faster: with ``indent``
    the standard library falls back to its pure-Python encoder; here each scalar goes through
    the C one. A test compares the two on every sample entry and on random JSON."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        parts = [_ENCODE_TEXT(key) + ": " + indented_json(value[key], level + 1) for key in sorted(value)]
        return "{" + inner + ("," + inner).join(parts) + "\n" + "  " * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        return "[" + inner + ("," + inner).join(indented_json(item, level + 1) for item in value) + "\n" + "  " * level + "]"
    if isinstance(value, str):
        return _ENCODE_TEXT(value)
    return json.dumps(value)


def json_export(catalog: Catalog, urls: Urls, memo=None) -> bytes:
    """``data/initiatieven.json``: one JSON array, sorted by slug.

    Written record by record, each exactly as ``json.dumps`` (``indent=2``) writes it inside
    the array, so that ``memo`` (a :class:`~wijknet.engine.cache.BuildCache`) can remember
    each entry's text by its content: the indenting encoder is slow on thousands of records.
    """

    def item(entry: Entry) -> str:
        return "  " + indented_json(entry_record(catalog, urls, entry), level=1)  # one level deeper

    entries = catalog.listed  # in slug order, as the catalog keeps its entries
    if not entries:
        return b"[]\n"
    items = [memo.entry("export-json", entry, lambda: item(entry)) if memo else item(entry) for entry in entries]
    return ("[\n" + ",\n".join(items) + "\n]\n").encode("utf-8")


def _part_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``Part | None`` (or ``Optional[Part]``), if any."""
    is_union = isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
    candidates = typing.get_args(annotation) if is_union else (annotation,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def csv_columns() -> list[str]:
    """The CSV header, derived from the models: nested parts flattened as ``part.key``."""
    columns = ["slug"]
    for name, field in EntryFields.model_fields.items():
        key = field.alias or name
        part = _part_model(field.annotation)
        if part is None:
            columns.append(key)
        else:
            columns.extend(f"{key}.{sub.alias or sub_name}" for sub_name, sub in part.model_fields.items())
    columns.extend(["beschrijving", "url"])
    return columns


def guard_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would treat as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return guard_formula(LIST_SEPARATOR.join(str(item) for item in value))
    return guard_formula(str(value))


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """A record with nested mappings as ``key.subkey`` entries."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for sub_key, sub_value in value.items():
                flat[f"{key}.{sub_key}"] = sub_value
        else:
            flat[key] = value
    return flat


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(values)
    return buffer.getvalue()


def csv_export(catalog: Catalog, urls: Urls, memo=None) -> bytes:
    """``data/initiatieven.csv``: the JSON records, flat, one row per entry (each row
    remembered by the entry's content in ``memo``, as in :func:`json_export`)."""
    columns = csv_columns()
    known = set(columns)

    def row(entry: Entry) -> str:
        flat = flatten(entry_record(catalog, urls, entry))
        unknown = set(flat) - known
        if unknown:  # a field added to the data but not the models would be lost silently
            raise ValueError(f"no CSV column for {sorted(unknown)}")
        return _csv_line([_cell(flat.get(column)) for column in columns])

    lines = [_csv_line(columns)]
    lines += [memo.entry("export-csv", entry, lambda: row(entry)) if memo else row(entry) for entry in catalog.listed]
    return "".join(lines).encode("utf-8")
