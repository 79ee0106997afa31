"""Import an Open Referral HSDS 3.0 dataset as entries (``wijknet import-hsds PATH``).

Steps: read the dataset (a tabular datapackage, or JSON: full services, a page of the API,
the tabular form as JSON, or a folder of such files), check every record against the
official schemas, turn each service into entry data (the inverse of
:mod:`wijknet.hsds.export`, with the mapping table ``taxonomy/hsds.yaml`` for other
directories' terms and areas), and write valid entries through
:func:`wijknet.importers.writing.place_entries`: idempotent, hand edits kept, a manifest
(``.hsds-import.json`` beside ``initiatieven/``) from service id to file.

A service whose data does not make a valid entry is skipped and reported, never half
written; what is left out of a service that is imported (a phone number that is not valid,
a location outside the city) is reported as a remark.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from wijknet.content.models import Contact, ValidationContext
from wijknet.content.rules import ACTIVITY, LANGUAGE_CODES, LIMITS, PATTERNS, kinds_requiring
from wijknet.dutch.hours import DAY_CODES, Hours, Slot, write_hours
from wijknet.importers.areas import WijkLocator
from wijknet.importers.hsds_mapping import Found, HsdsMapping
from wijknet.importers.manifest import read_manifest, render_manifest, write_text_atomic
from wijknet.importers.writing import Candidate, assign_slugs, place_entries
from wijknet.hsds_format import (
    LINK_TYPES,
    OWN_ORGANIZATION,
    PAGE_LINK_TYPE,
    STATUS_FROM_HSDS,
    Standard,
    Table,
    nest_services,
    read_csv_table,
    standard,
)
from wijknet.settings import SiteSettings
from wijknet.slugs import SLUG_MIN_LENGTH, is_valid_slug, slugify
from wijknet.taxonomy import Taxonomy

MANIFEST_NAME = ".hsds-import.json"
_VOCABULARY_OF_LINK = {link_type: vocabulary for vocabulary, link_type in LINK_TYPES.items()}


class SourceError(Exception):
    """The dataset cannot be read at all."""


@dataclass(frozen=True)
class Notice:
    """Something a person should know about one record (``where``: a service id, a file, a row)."""

    where: str
    name: str
    message: str

    def line(self) -> str:
        return f"{self.where} ({self.name}): {self.message}" if self.name else f"{self.where}: {self.message}"


@dataclass
class Dataset:
    """The services of a dataset, nested, and what could not be read."""

    services: list[dict[str, Any]] = field(default_factory=list)
    form: str = ""  # "datapackage" or "JSON", for the report
    problems: list[Notice] = field(default_factory=list)  # records left out
    remarks: list[Notice] = field(default_factory=list)  # read, with a note


@dataclass
class ImportReport:
    """What a run did."""

    form: str = ""
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)
    invalid: list[Notice] = field(default_factory=list)
    hand_edited: list[Notice] = field(default_factory=list)
    deleted: list[Notice] = field(default_factory=list)
    gone_from_source: list[Notice] = field(default_factory=list)
    remarks: list[Notice] = field(default_factory=list)
    per_kind: Counter = field(default_factory=Counter)
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
    content_root: Path  # laid out like content/ (entries in initiatieven/)
    mapping: HsdsMapping
    taxonomy: Taxonomy
    settings: SiteSettings
    checked: dt.date  # the run's date: "today" for validation, `gecontroleerd` without assured_date
    locator: WijkLocator | None = None
    dry_run: bool = False

    @property
    def entries_dir(self) -> Path:
        return self.content_root / "initiatieven"

    @property
    def manifest_path(self) -> Path:
        return self.content_root / MANIFEST_NAME


# --- reading a dataset ---------------------------------------------------------------------


def read_dataset(path: Path, schemas: Standard | None = None) -> Dataset:
    """The services in ``path``: a folder with ``datapackage.json`` or the CSV tables, a
    ``datapackage.json``, a JSON file, or a folder of JSON files (``data/hsds/services/``)."""
    schemas = schemas or standard()
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: bestaat niet")
    if path.is_dir():
        if (path / "datapackage.json").is_file() or any(path.glob("*.csv")):
            return _read_tabular(path, path / "datapackage.json", schemas)
        folder = path / "services" if (path / "services").is_dir() else path
        files = sorted(folder.glob("*.json"))
        whole = [file for file in files if not re.fullmatch(r"page-\d+\.json", file.name)]
        return _read_json_files(whole or files, schemas)
    if path.suffix.lower() != ".json":
        raise SourceError(f"{path}: verwacht een map, datapackage.json of een JSON-bestand")
    data = _load_json(path)
    if isinstance(data, dict) and "resources" in data:
        return _read_tabular(path.parent, path, schemas)
    return _read_json_files([path], schemas, loaded={path: data})


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise SourceError(f"{path}: kan het bestand niet lezen ({error.strerror or error})") from None
    except ValueError as error:
        raise SourceError(f"{path}: geen geldige JSON ({error})") from None


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` when it is a plain relative path that stays inside ``folder``."""
    parts = PurePosixPath(relative).parts
    if not relative or PurePosixPath(relative).is_absolute() or ".." in parts or "://" in relative:
        return None
    return folder.joinpath(*parts)


def _read_tabular(folder: Path, package_path: Path, schemas: Standard) -> Dataset:
    dataset = Dataset(form="datapackage")
    paths = {table.name: table.path for table in schemas.tables}
    if package_path.is_file():
        try:
            package = json.loads(package_path.read_text(encoding="utf-8-sig"))
            resources = package.get("resources", []) if isinstance(package, dict) else []
        except (OSError, ValueError):
            resources = None
        if resources is None:
            dataset.remarks.append(
                Notice(package_path.name, "", "is geen JSON; de tabellen zijn gelezen onder hun standaardnaam (services.csv ...)")
            )
        else:
            for resource in resources:
                if isinstance(resource, dict) and resource.get("name") in paths and isinstance(resource.get("path"), str):
                    paths[resource["name"]] = resource["path"]
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in schemas.tables:
        file = _inside(folder, paths[table.name])
        if file is None:
            dataset.problems.append(Notice(package_path.name, table.name, f"pad '{paths[table.name]}' ligt buiten de map: overgeslagen"))
            continue
        if not file.is_file():
            continue
        try:
            table_rows, unknown = read_csv_table(file.read_bytes(), table)
        except (OSError, UnicodeDecodeError) as error:
            dataset.problems.append(Notice(file.name, "", f"kan de tabel niet lezen ({error})"))
            continue
        if unknown:
            dataset.remarks.append(Notice(file.name, "", f"kolommen die HSDS 3.0 niet kent, genegeerd: {', '.join(unknown)}"))
        rows[table.name] = _valid_rows(table_rows, table.name, file.name, schemas, dataset)
    _add_services(dataset, nest_services(rows), schemas)
    return dataset


def _valid_rows(rows: list[dict[str, Any]], name: str, file: str, schemas: Standard, dataset: Dataset) -> list[dict[str, Any]]:
    valid = []
    for number, row in enumerate(rows, start=2):
        errors = schemas.errors(name, row, tabular=True)
        if errors:
            dataset.problems.append(Notice(f"{file}:{number}", str(row.get("name", "")), "rij overgeslagen: " + "; ".join(errors[:3])))
            continue
        valid.append(row)
    return valid


def _read_json_files(files: list[Path], schemas: Standard, loaded: dict[Path, Any] | None = None) -> Dataset:
    dataset = Dataset(form="JSON")
    services: list[dict[str, Any]] = []
    for file in files:
        data = (loaded or {}).get(file) if loaded and file in loaded else _load_json(file)
        if isinstance(data, dict) and any(str(key).endswith(".csv") for key in data):  # the tabular form as JSON
            rows = {}
            for key, table_rows in data.items():
                table = schemas.table_of_path.get(str(key))
                if table is not None and isinstance(table_rows, list):
                    cells = [_as_cells(row, table) for row in table_rows if isinstance(row, dict)]
                    rows[table.name] = _valid_rows(cells, table.name, f"{file.name}:{key}", schemas, dataset)
            services += nest_services(rows)
        elif isinstance(data, dict) and isinstance(data.get("contents"), list):  # a page of the API
            services += [item for item in data["contents"] if isinstance(item, dict)]
        elif isinstance(data, list):
            services += [item for item in data if isinstance(item, dict)]
        elif isinstance(data, dict) and "id" in data and "name" in data and "status" in data:
            services.append(data)
        elif len(files) == 1:
            raise SourceError(f"{file}: geen HSDS-diensten gevonden (verwacht een dienst, een lijst of een pagina)")
    _add_services(dataset, services, schemas)
    return dataset


def _as_cells(row: dict[str, Any], table: Table) -> dict[str, Any]:
    """A row of the tabular form given as JSON, read as its CSV would be: a number in a text
    column (``"external_identifier": 10092008082``) is that text."""
    text_columns = {column.name for column in table.columns if column.type == "string"}
    return {
        key: (f"{value:g}" if isinstance(value, float) else str(value))
        if key in text_columns and isinstance(value, (int, float)) and not isinstance(value, bool)
        else value
        for key, value in row.items()
    }


def _add_services(dataset: Dataset, services: Iterable[dict[str, Any]], schemas: Standard) -> None:
    seen: set[str] = set()
    for service in services:
        where, name = str(service.get("id", "?")), str(service.get("name", ""))
        errors = schemas.errors("service", service)
        if errors:
            dataset.problems.append(Notice(where, name, "geen geldige HSDS-dienst: " + "; ".join(errors[:3])))
            continue
        if where in seen:
            dataset.problems.append(Notice(where, name, "komt twee keer voor; alleen de eerste telt"))
            continue
        seen.add(where)
        dataset.services.append(service)


# --- one service → entry data ---------------------------------------------------------------


def _line(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word so that it fits in ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return head + "…"


def _limit(key: str) -> int:
    return LIMITS[key].max_length or 0


@dataclass
class _Draft:
    """A service on its way to an entry: data, remarks, and the slug it asks for."""

    service: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    remarks: list[str] = field(default_factory=list)
    base_slug: str = ""


def _attributes(service: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(service.get("attributes", []))
    for area in service.get("service_areas", []):
        found += [dict(attribute, _area=area) for attribute in area.get("attributes", [])]
    return found


def _own_terms(service: dict[str, Any], taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Our ids from attributes a wijknet site wrote (see the mapping module)."""
    found: dict[str, list[str]] = {vocabulary: [] for vocabulary in LINK_TYPES}
    for attribute in _attributes(service):
        vocabulary = _VOCABULARY_OF_LINK.get(str(attribute.get("link_type", "")))
        code = str((attribute.get("taxonomy_term") or {}).get("code", ""))
        if vocabulary and code in taxonomy.vocabulary(vocabulary) and code not in found[vocabulary]:
            found[vocabulary].append(code)
    return found


def _page_slug(service: dict[str, Any]) -> str | None:
    for attribute in service.get("attributes", []):
        if attribute.get("link_type") == PAGE_LINK_TYPE:
            segment = urlsplit(str(attribute.get("value", ""))).path.rstrip("/").rsplit("/", 1)[-1]
            if is_valid_slug(segment):
                return segment
    return None


def _words(service: dict[str, Any]) -> list[str]:
    """The texts the mapping's words are looked for in: term names and codes, service names."""
    texts = [str(service.get("name", "")), str(service.get("alternate_name", ""))]
    for attribute in _attributes(service):
        term = attribute.get("taxonomy_term") or {}
        texts += [str(term.get("name", "")), str(term.get("code", ""))]
    return [text for text in texts if text]


def _summary_and_body(service: dict[str, Any], remarks: list[str]) -> tuple[str, str]:
    """``samenvatting`` and ``beschrijving`` from the description: its first paragraph and the
    rest (as the export writes them); a first paragraph that is too long is shortened and the
    whole description kept as the text."""
    text = str(service.get("description") or "").replace("\r\n", "\n").strip()
    first, _, rest = text.partition("\n\n")
    summary = _line(first)
    if len(summary) > _limit("samenvatting"):
        remarks.append("samenvatting ingekort; de hele beschrijving staat in de tekst")
        return _shorten(summary, _limit("samenvatting")), text
    if len(summary) < (LIMITS["samenvatting"].min_length or 0):
        fallback = _line(service.get("alternate_name")) or _line((service.get("organization") or {}).get("name"))
        summary = _line(f"{summary} {fallback}".strip()) if summary else fallback
    return summary, rest.strip()


def _place(service: dict[str, Any], options: ImportOptions, remarks: list[str]) -> dict[str, Any] | None:
    for place in service.get("service_at_locations", []):
        location = place.get("location") or {}
        if location.get("location_type") == "virtual":
            continue
        result: dict[str, Any] = {}
        if location.get("name"):
            result["naam"] = _shorten(_line(location["name"]), _limit("locatie.naam"))
        addresses = sorted(location.get("addresses", []), key=lambda a: a.get("address_type") != "physical")
        if addresses:
            address = addresses[0]
            street = _line(address.get("address_1"))
            if street:
                result["adres"] = _shorten(street, _limit("locatie.adres"))
            postcode = _line(address.get("postal_code"))
            if postcode and PATTERNS["postcode"].match(postcode):
                result["postcode"] = postcode
            elif postcode:
                remarks.append(f"postcode '{postcode}' is geen Nederlandse postcode en is weggelaten")
        lat, lon = location.get("latitude"), location.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and math.isfinite(lat) and math.isfinite(lon):
            if options.settings.bbox.contains(lat, lon):
                result["lat"], result["lon"] = round(float(lat), 6), round(float(lon), 6)
            else:
                remarks.append(f"coördinaten {lat}, {lon} liggen buiten {options.settings.city_name} en zijn weggelaten")
        if result:
            return result
    return None


def _contact(service: dict[str, Any], context: ValidationContext, remarks: list[str]) -> dict[str, Any] | None:
    """The first contact, with the service's e-mail, phone and web address where the contact
    has none; a value the content model refuses is left out (and remarked on)."""
    person = (service.get("contacts") or [{}])[0]
    phones = list(person.get("phones", [])) + list(service.get("phones", []))
    values = {
        "naam": _shorten(_line(person.get("name")), _limit("contact.naam")),
        "email": _line(person.get("email") or service.get("email")),
        "telefoon": next((_line(phone.get("number")).strip('"') for phone in phones if phone.get("number")), ""),
        "website": _line(service.get("url")),
    }
    values = {key: value for key, value in values.items() if value}
    while values:
        try:
            Contact.model_validate(values, context=context)
            break
        except ValidationError as error:
            wrong = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]} & set(values)
            if not wrong:  # nothing left to reach anyone by
                return None
            for key in sorted(wrong):
                remarks.append(f"contact.{key} '{values.pop(key)}' is niet geldig en is weggelaten")
    return values if any(values.get(key) for key in ("email", "telefoon", "website")) else None


def _moment(day: str, clock: str | None, tz: ZoneInfo) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` local time, from a schedule's date and time (a
    time with a UTC offset or ``Z`` is turned into the city's time)."""
    try:
        date = dt.date.fromisoformat(day[:10])
    except ValueError:
        return None
    if not clock:
        return date.isoformat()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?", clock.strip())
    if not match:
        return date.isoformat()
    moment = dt.datetime(date.year, date.month, date.day, int(match[1]), int(match[2]), int(match[3] or 0))
    if match[4]:
        offset = dt.timezone.utc if match[4] == "Z" else dt.timezone(
            dt.timedelta(hours=int(match[4][1:3]), minutes=int(match[4][-2:])) * (1 if match[4][0] == "+" else -1)
        )
        moment = moment.replace(tzinfo=offset).astimezone(tz).replace(tzinfo=None)
    text = moment.strftime("%Y-%m-%d %H:%M")
    return text + (f":{moment.second:02d}" if moment.second else "")


def _is_event(schedule: dict[str, Any]) -> bool:
    return bool(schedule.get("dtstart") or schedule.get("valid_from")) and not schedule.get("freq")


def _when(service: dict[str, Any], tz: ZoneInfo) -> dict[str, Any] | None:
    for schedule in service.get("schedules", []):
        if not _is_event(schedule):
            continue
        start = _moment(str(schedule.get("dtstart") or schedule.get("valid_from")), schedule.get("opens_at"), tz)
        if start is None:
            continue
        when = {"start": start}
        if schedule.get("valid_to"):
            end = _moment(str(schedule["valid_to"]), schedule.get("closes_at"), tz)
            if end is not None:
                when["einde"] = end
        return when
    return None


def _clock(value: Any) -> dt.time | None:
    """``9:00``, ``09:00:00`` or ``17:30+01:00`` as a time of day (the offset left aside: weekly
    hours are local time)."""
    match = re.match(r"(\d{1,2}):(\d{2})", str(value or ""))
    if not match or int(match[1]) > 23:
        return None
    return dt.time(int(match[1]), int(match[2]))


def _slot(schedule: dict[str, Any]) -> Slot | None:
    """A weekly or monthly schedule as a slot (for a Dutch ``tijden`` text)."""
    opens, closes = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
    if opens is None or closes is None:
        return None
    days, nth = [], None
    for part in str(schedule.get("byday", "")).replace(" ", "").upper().split(","):
        match = re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", part)
        if not match:
            return None
        if match[1]:
            if schedule.get("freq") != "MONTHLY" or (nth is not None and nth != int(match[1])):
                return None
            nth = int(match[1])
        days.append(match[2])
    if not days or schedule.get("freq") not in ("WEEKLY", "MONTHLY") or (schedule.get("freq") == "MONTHLY" and nth is None):
        return None
    if int(schedule.get("interval") or 1) != 1:
        return None
    return Slot(tuple(sorted(set(days), key=DAY_CODES.index)), opens, closes, nth)


def _hours(service: dict[str, Any]) -> str | None:
    schedules = [schedule for schedule in service.get("schedules", []) if not _is_event(schedule)]
    descriptions = list(dict.fromkeys(_line(schedule.get("description")) for schedule in schedules if schedule.get("description")))
    if descriptions:
        return "; ".join(descriptions)
    slots = [_slot(schedule) for schedule in schedules]
    if slots and all(slots):
        notes = list(dict.fromkeys(_line(schedule.get("notes")) for schedule in schedules if schedule.get("notes")))
        return write_hours(Hours(tuple(slots), "; ".join(notes)))  # type: ignore[arg-type]
    return None


def _cost(service: dict[str, Any]) -> str | None:
    text = _line(service.get("fees_description") or service.get("fees"))
    if text:
        return text
    options = []
    for option in service.get("cost_options", []):
        described = _line(option.get("amount_description"))
        amount = option.get("amount")
        if isinstance(amount, (int, float)):
            money = "gratis" if amount == 0 else f"{str(option.get('currency') or '').upper()} {amount:g}".strip()
            described = f"{money} {described}".strip() if described else money
        if option.get("option"):
            described = f"{described} ({_line(option['option'])})" if described else _line(option["option"])
        if described:
            options.append(described)
    return "; ".join(options) or None


def make_draft(service: dict[str, Any], options: ImportOptions, wijk: str | None) -> tuple[_Draft | None, str]:
    """The entry data of one service, or why it is skipped."""
    taxonomy, mapping = options.taxonomy, options.mapping
    draft = _Draft(service)
    remarks, data = draft.remarks, draft.data
    status = STATUS_FROM_HSDS.get(str(service.get("status")))
    if status is None:
        return None, f"status '{service.get('status')}': niet overgenomen"
    name = _line(service.get("name"))
    if len(name) < (LIMITS["titel"].min_length or 0):
        return None, "naam te kort voor een titel"
    if len(name) > _limit("titel"):
        remarks.append("titel ingekort")
    data["titel"] = _shorten(name, _limit("titel"))

    own = _own_terms(service, taxonomy)
    # A service that a wijknet site wrote (its kind is one of our ids) says everything itself;
    # words in its name must not add themes it does not have.
    found = Found((), (), ()) if own["kinds"] else mapping.find(_words(service))
    kind = (own["kinds"] or list(found.kinds) or [mapping.defaults.kind])[0]
    data["soort"] = kind
    summary, body = _summary_and_body(service, remarks)
    if len(summary) < (LIMITS["samenvatting"].min_length or 0):
        return None, "geen beschrijving om een samenvatting van te maken"
    data["samenvatting"] = summary

    themes = list(dict.fromkeys([*own["themes"], *found.themes])) or list(mapping.defaults.themes)
    if not themes:
        return None, f"geen thema gevonden: voeg een regel toe aan {mapping.path.name}"
    if len(themes) > 5:
        remarks.append(f"meer dan 5 thema's; de eerste 5 zijn genomen ({', '.join(themes[5:])} niet)")
    data["themas"] = themes[:5]
    audiences = list(dict.fromkeys([*own["audiences"], *found.audiences]))
    if audiences:
        data["doelgroepen"] = audiences[: LIMITS["doelgroepen"].max_items or 10]

    areas = list(own["areas"])
    if not areas:
        for area in service.get("service_areas", []):
            area_id = mapping.area(_line(area.get("extent"))) if area.get("extent_type") == "text" else None
            area_id = area_id or mapping.area(_line(area.get("name")))
            if area_id and area_id not in areas:
                areas.append(area_id)
    if not areas and wijk:
        areas = [wijk]
    if not areas:
        areas = list(mapping.defaults.areas)
        if areas:
            remarks.append(f"geen bekend werkgebied; {', '.join(areas)} genomen")
    if not areas:
        return None, f"geen werkgebied gevonden: zet 'standaard.werkgebied' in {mapping.path.name}"
    data["werkgebied"] = areas[:10]

    organization = service.get("organization") or {}
    # an entry without `organisatie` was exported as its own organization, marked as such
    if _line(organization.get("name")) and organization.get("description") != OWN_ORGANIZATION:
        data["organisatie"] = _shorten(_line(organization["name"]), _limit("organisatie"))
    context = ValidationContext(taxonomy=taxonomy, settings=options.settings, today=options.checked)
    contact = _contact(service, context, remarks)
    if contact:
        data["contact"] = contact
    place = _place(service, options, remarks)
    if place:
        data["locatie"] = place
    tz = ZoneInfo(options.settings.timezone)
    if kind == ACTIVITY:
        when = _when(service, tz)
        if when is None:
            return None, "een activiteit zonder datum (een schema met dtstart of valid_from)"
        data["wanneer"] = when
    hours = _hours(service)
    if hours:
        if len(hours) > _limit("tijden"):
            remarks.append("tijden ingekort")
        data["tijden"] = _shorten(hours, _limit("tijden"))
    cost = _cost(service)
    if cost:
        if len(cost) > _limit("kosten"):
            remarks.append("kosten ingekort")
        data["kosten"] = _shorten(cost, _limit("kosten"))
    languages = []
    for language in service.get("languages", []):
        code = _line(language.get("code")).lower()
        if code in LANGUAGE_CODES and code not in languages:
            languages.append(code)
        elif code and code not in languages:
            remarks.append(f"taalcode '{code}' is geen ISO 639-1-code en is weggelaten")
    if languages:
        data["talen"] = languages[: LIMITS["talen"].max_items or 20]
    assured = _line(service.get("assured_date"))
    try:
        if assured and dt.date.fromisoformat(assured[:10]) <= options.checked:
            data["gecontroleerd"] = assured[:10]
    except ValueError:
        remarks.append(f"assured_date '{assured}' is geen datum")
    if status != "actief":
        data["status"] = status
    if body:
        data["beschrijving"] = body[: _limit("beschrijving")]
    if kind in kinds_requiring("contact") and "contact" not in data:
        return None, f"een {kind} heeft een contact nodig (e-mail, telefoon of website)"
    draft.base_slug = _page_slug(service) or _base_slug(name, kind)
    return draft, ""


def _base_slug(name: str, kind: str) -> str:
    slug = slugify(name)
    return slug if len(slug) >= SLUG_MIN_LENGTH else slugify(f"{kind} {name}")


# --- the run -------------------------------------------------------------------------------


def _first_point(service: dict[str, Any]) -> tuple[float, float]:
    for place in service.get("service_at_locations", []):
        location = place.get("location") or {}
        lat, lon = location.get("latitude"), location.get("longitude")
        if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
            return float(lon), float(lat)
    return math.nan, math.nan


def run_import(options: ImportOptions, dataset: Dataset | None = None) -> ImportReport:
    """Import the services of ``options.source``; see the module docstring."""
    dataset = dataset if dataset is not None else read_dataset(options.source)
    report = ImportReport(form=dataset.form)
    report.skipped.extend(dataset.problems)
    report.remarks.extend(dataset.remarks)
    services = dataset.services
    wijken: list[str | None] = [None] * len(services)
    if options.locator is not None:
        points = [_first_point(service) for service in services]
        inside = [options.settings.bbox.contains(lat, lon) if not math.isnan(lat) else False for lon, lat in points]
        located = options.locator.locate([point if ok else (math.nan, math.nan) for point, ok in zip(points, inside)])
        wijken = list(located)

    drafts: list[_Draft] = []
    for service, wijk in zip(services, wijken):
        where, name = str(service["id"]), _line(service.get("name"))
        draft, reason = make_draft(service, options, wijk)
        if draft is None:
            report.skipped.append(Notice(where, name, reason))
            continue
        if draft.remarks:
            report.remarks.append(Notice(where, name, "; ".join(draft.remarks)))
        drafts.append(draft)

    manifest = read_manifest(options.manifest_path)
    existing = {path.stem for path in options.entries_dir.glob("*.md")} if options.entries_dir.is_dir() else set()
    taken = existing | {record.slug for record in manifest.values()}
    wanted = [
        (str(d.service["id"]), d.base_slug, (d.data.get("organisatie", ""), d.data["werkgebied"][0], str(d.service["id"])[:8]))
        for d in drafts
        if str(d.service["id"]) not in manifest
    ]
    slugs = assign_slugs(wanted, taken)

    context = ValidationContext(taxonomy=options.taxonomy, settings=options.settings, today=options.checked)
    candidates = [Candidate(str(d.service["id"]), _line(d.service.get("name")), d.data) for d in drafts]
    if not options.dry_run:
        options.entries_dir.mkdir(parents=True, exist_ok=True)
    placement = place_entries(candidates, slugs, manifest, options.entries_dir, context, options.dry_run)
    kinds = {str(d.service["id"]): d.data["soort"] for d in drafts}
    for placed in placement.placed:
        notice = Notice(placed.candidate.source_id, placed.candidate.name, placed.message)
        if placed.outcome in ("created", "updated", "unchanged"):
            getattr(report, placed.outcome).append(placed.slug)
        elif placed.outcome == "no_slug":
            report.skipped.append(notice)
        else:
            getattr(report, placed.outcome).append(notice)
        if placed.outcome in ("created", "updated", "unchanged", "hand_edited"):
            report.per_kind[kinds[placed.candidate.source_id]] += 1

    all_ids = {str(service["id"]) for service in services}
    for source_id in sorted(set(manifest) - all_ids):
        report.gone_from_source.append(Notice(source_id, "", f"staat niet meer in de bron; {manifest[source_id].slug}.md blijft staan"))

    manifest_text = render_manifest(placement.records)
    current = options.manifest_path.read_text(encoding="utf-8") if options.manifest_path.exists() else None
    if manifest_text != current and (placement.records or current is not None):
        if not options.dry_run:
            write_text_atomic(options.manifest_path, manifest_text)
        report.manifest_written = True
    return report


def format_report(report: ImportReport, dry_run: bool = False) -> str:
    """The report for people, in Dutch."""
    verb = "zou schrijven" if dry_run else "geschreven"
    lines = [
        f"HSDS ({report.form}): {len(report.created)} nieuw, {len(report.updated)} bijgewerkt, "
        f"{len(report.unchanged)} ongewijzigd ({report.files_written} bestanden {verb})."
    ]
    if report.per_kind:
        lines.append("Per soort: " + ", ".join(f"{kind} {count}" for kind, count in sorted(report.per_kind.items())))
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
