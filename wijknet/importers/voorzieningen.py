"""Import a list of social facilities (GeoJSON points) as ``voorziening`` entries.

Steps: read the points, keep the chosen domains, find each point's wijk in the buurt
polygons, map its category to themes, target groups and a summary (the mapping table),
give it a slug, validate it with the content models, and write it with the content writer.

Idempotent: the manifest remembers which source id became which file and the hash of the
text written. A second run with the same input writes nothing. A file edited by hand, or
deleted, is left as it is and reported.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from wijknet.content.models import ValidationContext
from wijknet.content.rules import FACILITY
from wijknet.importers.areas import WijkLocator
from wijknet.importers.manifest import read_manifest, render_manifest, write_text_atomic
from wijknet.importers.mapping import Mapping
from wijknet.importers.writing import Candidate, assign_slugs, place_entries
from wijknet.settings import SiteSettings
from wijknet.slugs import SLUG_MIN_LENGTH, slugify
from wijknet.taxonomy import Taxonomy

MANIFEST_NAME = ".voorzieningen-import.json"
KIND = FACILITY


class SourceError(Exception):
    """The source file cannot be read at all."""


@dataclass(frozen=True)
class Facility:
    """One source record, with the text repairs from the mapping table applied."""

    source_id: str
    name: str
    domain: str
    category: str
    subtype: str
    street: str
    house_number: str
    postcode: str
    stadsdeel: str
    lon: float | None
    lat: float | None

    @property
    def label(self) -> str:
        return f"{self.source_id} ({self.name})" if self.name else self.source_id


@dataclass(frozen=True)
class Notice:
    """Something a person should know about one record."""

    source_id: str
    name: str
    message: str

    def line(self) -> str:
        return f"{self.source_id} ({self.name}): {self.message}" if self.name else f"{self.source_id}: {self.message}"


@dataclass
class ImportReport:
    """What a run did, per source record."""

    created: list[str] = field(default_factory=list)  # slugs
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)  # not mapped, no area, unreadable
    invalid: list[Notice] = field(default_factory=list)  # did not validate: not written
    hand_edited: list[Notice] = field(default_factory=list)  # left alone
    deleted: list[Notice] = field(default_factory=list)  # stays deleted
    gone_from_source: list[Notice] = field(default_factory=list)
    remarks: list[Notice] = field(default_factory=list)  # imported, but with a fallback
    per_domain: Counter = field(default_factory=Counter)  # entries in place after the run
    per_stadsdeel: Counter = field(default_factory=Counter)
    manifest_written: bool = False

    @property
    def files_written(self) -> int:
        return len(self.created) + len(self.updated)

    @property
    def failed(self) -> bool:
        """Records that should have become entries but did not."""
        return bool(self.skipped or self.invalid)


@dataclass(frozen=True)
class ImportOptions:
    """Everything one run needs."""

    source: Path
    content_root: Path  # the folder laid out like content/ (entries in initiatieven/)
    mapping: Mapping
    locator: WijkLocator
    taxonomy: Taxonomy
    settings: SiteSettings
    checked: dt.date  # written as `gecontroleerd`; also "today" for validation
    domains: tuple[str, ...]
    dry_run: bool = False

    @property
    def entries_dir(self) -> Path:
        return self.content_root / "initiatieven"

    @property
    def manifest_path(self) -> Path:
        return self.content_root / MANIFEST_NAME


# --- reading the source ------------------------------------------------------------------


def _text(properties: dict[str, Any], key: str) -> str:
    value = properties.get(key)
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _point(feature: dict[str, Any]) -> tuple[float | None, float | None]:
    geometry = feature.get("geometry") or {}
    coordinates = geometry.get("coordinates") if geometry.get("type") == "Point" else None
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None, None
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError):
        return None, None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None, None
    return lon, lat


def read_facilities(path: Path, mapping: Mapping) -> tuple[list[Facility], list[Notice]]:
    """Every record of the source file, sorted by source id, and the records that cannot be read."""
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SourceError(f"{path}: kan het bestand niet lezen ({error.strerror or error})") from None
    except ValueError as error:
        raise SourceError(f"{path}: geen geldige GeoJSON ({error})") from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise SourceError(f"{path}: verwacht een GeoJSON FeatureCollection")
    names = mapping.source
    facilities: dict[str, Facility] = {}
    problems: list[Notice] = []
    for index, feature in enumerate(features):
        properties = (feature or {}).get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            problems.append(Notice(f"punt {index + 1}", "", "heeft geen gegevens (properties)"))
            continue
        source_id = _text(properties, names.id)
        name = mapping.correct(_text(properties, names.name))
        if not source_id:
            problems.append(Notice(f"punt {index + 1}", name, f"heeft geen '{names.id}'"))
            continue
        if source_id in facilities:
            problems.append(Notice(source_id, name, f"'{names.id}' komt twee keer voor; alleen de eerste telt"))
            continue
        lon, lat = _point(feature)
        facilities[source_id] = Facility(
            source_id=source_id,
            name=name,
            domain=_text(properties, names.domain),
            category=_text(properties, names.category),
            subtype=_text(properties, names.subtype),
            street=mapping.correct(_text(properties, names.street)),
            house_number=_text(properties, names.house_number),
            postcode=_text(properties, names.postcode),
            stadsdeel=_text(properties, names.stadsdeel),
            lon=lon,
            lat=lat,
        )
    return [facilities[key] for key in sorted(facilities)], problems


def available_domains(facilities: Iterable[Facility]) -> list[str]:
    return sorted({facility.domain for facility in facilities if facility.domain})


# --- one record → entry data -------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A record that has everything but its slug."""

    facility: Facility
    area_id: str
    data: dict[str, Any]  # entry data by content key, without slug and gecontroleerd
    base_slug: str


def _address(facility: Facility, mapping: Mapping) -> tuple[str | None, str | None]:
    """Street and house number; a remark when the house number was left out."""
    if not facility.street:
        return None, None
    number = facility.house_number
    digits = re.match(r"\d+", number)
    if digits and int(digits.group()) > mapping.data.max_house_number:
        return facility.street, f"huisnummer '{number}' lijkt geen huisnummer; alleen de straat is overgenomen"
    return (f"{facility.street} {number}" if number else facility.street), None


def _stadsdeel_id(taxonomy: Taxonomy, label: str) -> str | None:
    wanted = label.casefold()
    for area in taxonomy.areas.of_level("stadsdeel"):
        if area.label.casefold() == wanted:
            return area.id
    return None


def _base_slug(facility: Facility) -> str:
    slug = slugify(facility.name)
    if len(slug) < SLUG_MIN_LENGTH:
        # a name like "AB" or "??" does not make a slug; put its kind in front
        slug = slugify(f"{facility.subtype or facility.category} {facility.name}")
    return slug


def make_draft(facility: Facility, wijk_id: str | None, options: ImportOptions) -> tuple[Draft | None, Notice | None]:
    """The entry data of one record, or the reason it is skipped; plus a remark, if any."""
    mapping, taxonomy = options.mapping, options.taxonomy
    resolved = mapping.resolve(facility.domain, facility.category, facility.subtype)
    if resolved is None:
        where = f"'{facility.domain}' > '{facility.category}'"
        return None, Notice(facility.source_id, facility.name, f"categorie {where} staat niet in {mapping.path.name}")
    remarks: list[str] = []
    if wijk_id is not None:
        area_id, level = wijk_id, "wijk"
    else:
        stadsdeel = _stadsdeel_id(taxonomy, facility.stadsdeel) if facility.stadsdeel else None
        if stadsdeel is None:
            reason = "heeft geen coördinaten" if facility.lat is None else "ligt buiten alle buurten"
            detail = f"stadsdeel '{facility.stadsdeel}' is onbekend" if facility.stadsdeel else "er is ook geen stadsdeel"
            return None, Notice(facility.source_id, facility.name, f"{reason} en {detail}: overgeslagen")
        area_id, level = stadsdeel, "stadsdeel"
        reason = "heeft geen coördinaten" if facility.lat is None else "ligt buiten alle buurten"
        remarks.append(f"{reason}; werkgebied is stadsdeel {taxonomy.areas.label(stadsdeel)}")
    address, address_remark = _address(facility, mapping)
    if address_remark:
        remarks.append(address_remark)
    location: dict[str, Any] = {}
    if address:
        location["adres"] = address
    if facility.postcode:
        location["postcode"] = facility.postcode
    if facility.lat is not None and facility.lon is not None:
        location["lat"] = round(facility.lat, 6)
        location["lon"] = round(facility.lon, 6)
    place = mapping.place_phrase(level, taxonomy.areas.label(area_id))
    data: dict[str, Any] = {
        "titel": facility.name,
        "soort": KIND,
        "samenvatting": mapping.summary(resolved, place),
        "themas": list(resolved.themes),
        "doelgroepen": list(resolved.audiences),
        "werkgebied": [area_id],
    }
    organisation = mapping.organisation_in(facility.name)
    if organisation:
        data["organisatie"] = organisation
    if location:
        data["locatie"] = location
    if mapping.data.description.strip():
        data["beschrijving"] = mapping.data.description.strip()
    draft = Draft(facility, area_id, data, _base_slug(facility))
    remark = Notice(facility.source_id, facility.name, "; ".join(remarks)) if remarks else None
    return draft, remark


# --- slugs -------------------------------------------------------------------------------


def assign_slugs_for(drafts: list[Draft], taken: set[str]) -> dict[str, str]:
    """New slugs for drafts (by source id): the name; when that collides, name + wijk;
    then name + wijk + source id (see :func:`wijknet.importers.writing.assign_slugs`)."""
    return assign_slugs(((d.facility.source_id, d.base_slug, (d.area_id, d.facility.source_id)) for d in drafts), taken)


# --- validation and writing --------------------------------------------------------------


def run_import(options: ImportOptions) -> ImportReport:
    """Import the chosen domains of ``options.source``; see the module docstring."""
    report = ImportReport()
    facilities, unreadable = read_facilities(options.source, options.mapping)
    report.skipped.extend(unreadable)
    chosen = [facility for facility in facilities if facility.domain in options.domains]
    wijken = options.locator.locate(
        [(f.lon, f.lat) if f.lat is not None else (math.nan, math.nan) for f in chosen]
    )

    drafts: list[Draft] = []
    for facility, wijk_id in zip(chosen, wijken):
        draft, notice = make_draft(facility, wijk_id, options)
        if draft is None:
            report.skipped.append(notice)  # type: ignore[arg-type]
            continue
        if notice is not None:
            report.remarks.append(notice)
        drafts.append(draft)

    manifest = read_manifest(options.manifest_path)
    existing_files = {path.stem for path in options.entries_dir.glob("*.md")} if options.entries_dir.is_dir() else set()
    taken = existing_files | {record.slug for record in manifest.values()}
    new_slugs = assign_slugs_for([d for d in drafts if d.facility.source_id not in manifest], taken)

    context = ValidationContext(taxonomy=options.taxonomy, settings=options.settings, today=options.checked)
    by_id = {draft.facility.source_id: draft for draft in drafts}
    candidates = [Candidate(draft.facility.source_id, draft.facility.name, draft.data) for draft in drafts]
    placement = place_entries(candidates, new_slugs, manifest, options.entries_dir, context, options.dry_run)
    for placed in placement.placed:
        draft, facility = by_id[placed.candidate.source_id], by_id[placed.candidate.source_id].facility
        notice = Notice(facility.source_id, facility.name, placed.message)
        if placed.outcome in ("created", "updated", "unchanged"):
            getattr(report, placed.outcome).append(placed.slug)
        elif placed.outcome == "no_slug":
            report.skipped.append(notice)
        elif placed.outcome == "deleted":
            report.deleted.append(notice)
        elif placed.outcome == "hand_edited":
            report.hand_edited.append(notice)
        else:
            report.invalid.append(notice)
        if placed.outcome in ("created", "updated", "unchanged", "hand_edited"):
            _count(report, draft, options)
    records = placement.records

    all_ids = {facility.source_id for facility in facilities}
    for source_id in sorted(set(manifest) - all_ids):
        report.gone_from_source.append(
            Notice(source_id, "", f"staat niet meer in de bron; {manifest[source_id].slug}.md blijft staan")
        )

    manifest_text = render_manifest(records)
    current = options.manifest_path.read_text(encoding="utf-8") if options.manifest_path.exists() else None
    if manifest_text != current and (records or current is not None):
        if not options.dry_run:
            write_text_atomic(options.manifest_path, manifest_text)
        report.manifest_written = True
    return report


def _count(report: ImportReport, draft: Draft, options: ImportOptions) -> None:
    report.per_domain[draft.facility.domain] += 1
    stadsdeel = options.taxonomy.areas.stadsdeel_of(draft.area_id)
    report.per_stadsdeel[options.taxonomy.areas.label(stadsdeel) if stadsdeel else "?"] += 1


def format_report(report: ImportReport, dry_run: bool = False) -> str:
    """The report for people, in Dutch."""
    lines: list[str] = []
    verb = "zou schrijven" if dry_run else "geschreven"
    lines.append(
        f"Voorzieningen: {len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
        f"{len(report.unchanged)} ongewijzigd ({report.files_written} bestanden {verb})."
    )
    if report.per_domain:
        lines.append("Per domein: " + ", ".join(f"{k} {v}" for k, v in sorted(report.per_domain.items())))
    if report.per_stadsdeel:
        lines.append("Per stadsdeel: " + ", ".join(f"{k} {v}" for k, v in sorted(report.per_stadsdeel.items())))
    sections = (
        ("Overgeslagen", report.skipped),
        ("Niet geldig (niet geschreven)", report.invalid),
        ("Met de hand aangepast (niet overschreven)", report.hand_edited),
        ("Verwijderd (blijft weg)", report.deleted),
        ("Niet meer in de bron", report.gone_from_source),
        ("Opmerkingen", report.remarks),
    )
    for title, notices in sections:
        if notices:
            lines.append(f"{title} ({len(notices)}):")
            lines.extend(f"  - {notice.line()}" for notice in notices)
    return "\n".join(lines) + "\n"
