"""Pull-request routing: labels and reviewers for the entry files a pull request changes.

Each changed entry gets the label ``soort: <kind>`` and one ``stadsdeel: <id>`` label per
stadsdeel it is in (``stadsdeel: <city id>`` for a city-wide entry). Reviewers are the
moderators of those stadsdelen from ``taxonomy/gebieden.yaml``; a stadsdeel without
moderators, and a city-wide entry, go to the moderators listed on the city itself.

Entry files are read leniently here: a submission with problems still needs a moderator,
so every valid id in it counts even when the file as a whole is invalid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from wijknet.safe_yaml import load_bytes
from wijknet.taxonomy import Taxonomy

_SLUG_FILE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.md")
_HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
TAXONOMY_LABEL = "taxonomie"


@dataclass(frozen=True)
class RoutedEntry:
    """One changed entry file and where it belongs."""

    path: str
    slug: str
    kind: str | None
    stadsdelen: tuple[str, ...]
    deleted: bool

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "slug": self.slug,
            "kind": self.kind,
            "stadsdelen": list(self.stadsdelen),
            "deleted": self.deleted,
        }


@dataclass(frozen=True)
class Routing:
    """Labels, reviewers and which files CI should validate."""

    entries: tuple[RoutedEntry, ...]
    labels: tuple[str, ...]
    reviewers: tuple[str, ...]
    validate_files: tuple[str, ...]
    validate_all: bool

    def as_dict(self) -> dict:
        return {
            "entries": [entry.as_dict() for entry in self.entries],
            "labels": list(self.labels),
            "reviewers": list(self.reviewers),
            "validate_files": list(self.validate_files),
            "validate_all": self.validate_all,
        }


def normalise_path(path: str) -> str:
    path = path.strip().replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def read_changed_files(text: str) -> list[str]:
    """Paths from a file with one path per line (blank lines ignored)."""
    return [normalise_path(line) for line in text.splitlines() if line.strip()]


def _ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _route_entry(path: str, file: Path, taxonomy: Taxonomy) -> RoutedEntry:
    slug = path.rsplit("/", 1)[-1][: -len(".md")]
    if not file.is_file():
        return RoutedEntry(path, slug, None, (), deleted=True)
    try:
        data = load_bytes(file.read_bytes()).data or {}
    except OSError:
        data = {}
    kind = data.get("soort") if isinstance(data.get("soort"), str) and data.get("soort") in taxonomy.kinds else None
    areas = taxonomy.areas
    found: set[str] = set()
    for area_id in _ids(data.get("werkgebied")):
        if area_id not in areas:
            continue
        if areas.level_of(area_id) == "stad":
            found.add(area_id)
        else:
            stadsdeel = areas.stadsdeel_of(area_id)
            if stadsdeel:
                found.add(stadsdeel)
    order = {area.id: index for index, area in enumerate(areas.terms)}
    return RoutedEntry(path, slug, kind, tuple(sorted(found, key=order.__getitem__)), deleted=False)


def _handles(values: Iterable[str]) -> list[str]:
    handles = []
    for value in values:
        handle = value.strip().lstrip("@")
        if _HANDLE.fullmatch(handle):
            handles.append(handle)
    return handles


def route(
    changed: Iterable[str],
    root: Path,
    taxonomy: Taxonomy,
    content_dir: str = "content/initiatieven",
    setup_paths: Iterable[str] = ("taxonomy/", "site.yaml"),
    exclude_reviewers: Iterable[str] = (),
) -> Routing:
    """Route the changed paths (relative to ``root``, the repository).

    ``validate_all`` is set when the taxonomy or settings changed, or when a file under the
    content folder is not a plain ``<slug>.md`` (the full validation names the problem);
    otherwise ``validate_files`` lists the changed entry files that still exist.
    """
    prefix = content_dir.strip("/") + "/"
    setup = tuple(setup_paths)
    entries: list[RoutedEntry] = []
    validate_all = False
    setup_changed = False
    for path in sorted({normalise_path(p) for p in changed if p.strip()}):
        if any(path == s or (s.endswith("/") and path.startswith(s)) for s in setup):
            setup_changed = True
        if not path.startswith(prefix):
            continue
        name = path[len(prefix) :]
        if not _SLUG_FILE.fullmatch(name):
            validate_all = True  # odd names or sub-folders: let the full validation explain
            continue
        entries.append(_route_entry(path, root / path, taxonomy))
    areas = taxonomy.areas
    city = areas.city
    labels: set[str] = set()
    moderators: set[str] = set()
    for entry in entries:
        if entry.kind:
            labels.add(f"soort: {entry.kind}")
        for area_id in entry.stadsdelen:
            labels.add(f"stadsdeel: {area_id}")
            own = _handles(areas.by_id[area_id].moderators)
            moderators.update(own or _handles(city.moderators))
    if setup_changed:
        labels.add(TAXONOMY_LABEL)
        moderators.update(_handles(city.moderators))
    excluded = {handle.lower() for handle in _handles(exclude_reviewers)}
    reviewers = sorted((h for h in moderators if h.lower() not in excluded), key=lambda h: (h.lower(), h))
    validate_all = validate_all or setup_changed
    files = () if validate_all else tuple(entry.path for entry in entries if not entry.deleted)
    return Routing(
        entries=tuple(entries),
        labels=tuple(sorted(labels)),
        reviewers=tuple(reviewers),
        validate_files=files,
        validate_all=validate_all,
    )


def github_output(routing: Routing) -> str:
    """Lines for ``$GITHUB_OUTPUT``: every value on one line, lists as JSON.

    ``labels-body`` and ``reviewers-body`` are ready-made request bodies for the REST calls
    that add labels and request reviewers, so the workflow only passes them on.
    """
    from wijknet.jsondump import dump_json

    def dump(value) -> str:
        return dump_json(value).decode("utf-8")

    values = {
        "labels": dump(list(routing.labels)),
        "reviewers": dump(list(routing.reviewers)),
        "labels-body": dump({"labels": list(routing.labels)}),
        "reviewers-body": dump({"reviewers": list(routing.reviewers)}),
        "has-labels": "true" if routing.labels else "false",
        "has-reviewers": "true" if routing.reviewers else "false",
        "validate-all": "true" if routing.validate_all else "false",
        # Safe to split on spaces: only plain <slug>.md paths are ever listed here.
        "validate-files": " ".join(routing.validate_files),
    }
    return "".join(f"{key}={value}\n" for key, value in values.items())
