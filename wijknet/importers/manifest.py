"""The import manifest: which source record became which file, and what was generated.

Entries may not carry unknown keys, so the link between a source id and its file lives
here, next to the entries folder: ``{source_id: {slug, sha256, gecontroleerd}}``. The hash
is of the text the importer wrote; a file whose text no longer has that hash was edited by
hand and is left alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path


class ManifestError(Exception):
    """The manifest file cannot be read."""


@dataclass(frozen=True)
class Record:
    """What the importer wrote for one source record."""

    slug: str
    sha256: str
    checked: str  # the `gecontroleerd` date written, so an unchanged source keeps its date

    def as_json(self) -> dict[str, str]:
        return {"gecontroleerd": self.checked, "sha256": self.sha256, "slug": self.slug}


def text_hash(text: str) -> str:
    """The sha256 of the text as it is stored (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(path: Path) -> dict[str, Record]:
    """The records in ``path``; an absent file is an empty manifest."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path}: kan het overzicht van eerdere imports niet lezen ({error})") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: verwacht een JSON-object")
    records: dict[str, Record] = {}
    for source_id, item in data.items():
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("slug", "sha256")):
            raise ManifestError(f"{path}: {source_id}: verwacht 'slug' en 'sha256'")
        records[source_id] = Record(slug=item["slug"], sha256=item["sha256"], checked=str(item.get("gecontroleerd", "")))
    return records


def render_manifest(records: dict[str, Record]) -> str:
    """The manifest text: sorted keys, one stable form."""
    data = {source_id: records[source_id].as_json() for source_id in sorted(records)}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(text.encode("utf-8"))
    os.replace(temporary, path)
