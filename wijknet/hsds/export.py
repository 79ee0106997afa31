"""The catalogue as HSDS 3.0 rows: the tabular form, one list of flat rows per table.

Every listed entry except questions (``vraag``: a request, not a service) becomes a
``service`` with the rows linked to it. The vocabularies become taxonomies with their terms;
an entry's kind, themes and target groups are ``attribute`` rows linking the service to a
term, its areas are ``service_area`` rows, each linked to its area term the same way. One
more attribute carries the entry's page on the site, which is also how the importer finds
the entry's slug again. ``docs/open-data.md`` has the whole mapping, with what does not map.

Ids are UUID 5 over the site URL and a key (:func:`wijknet.hsds_format.stable_id`): they
survive rebuilds, and equal content gets equal ids (a location used by two entries is one
location). Everything here is a function of one entry, the taxonomy, the settings and the
URLs, so the provider remembers an entry's rows by its content.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.content.rules import QUESTION
from wijknet.dutch.hours import read_hours
from wijknet.dutch.money import CURRENCY, first_amount
from wijknet.dutch.moments import local_moment, zone
from wijknet.engine.format import language_name, when_nl
from wijknet.engine.urls import Urls
from wijknet.hsds_format import LINK_TYPES, OWN_ORGANIZATION, PAGE_LINK_TYPE, STATUS_TO_HSDS, IdMaker
from wijknet.taxonomy import VOCABULARIES, Area

Rows = dict[str, list[dict[str, Any]]]

AREA_LEVELS = {"stad": "Stad", "stadsdeel": "Stadsdeel", "gebied": "Gebied", "wijk": "Wijk"}


def services_of(catalog: Catalog) -> tuple[Entry, ...]:
    """The entries the dataset holds, in slug order."""
    return tuple(entry for entry in catalog.listed if entry.kind != QUESTION)


class Ids:
    """The stable ids of one site (see :func:`wijknet.hsds_format.stable_id`)."""

    def __init__(self, site_url: str):
        self.of = IdMaker(site_url)

    def service(self, slug: str) -> str:
        return self.of("service", slug)

    def taxonomy(self, vocabulary: str) -> str:
        return self.of("taxonomy", vocabulary)

    def term(self, vocabulary: str, term_id: str) -> str:
        return self.of("taxonomy_term", vocabulary, term_id)

    def organization(self, entry: Entry) -> str:
        # an entry without `organisatie` is its own organization: the tabular form requires one
        if entry.organisation:
            return self.of("organization", entry.organisation)
        return self.of("organization-of", entry.slug)


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    """A row without empty values (an empty cell in the CSV, no key in the JSON)."""
    return {key: value for key, value in row.items() if value is not None and value != ""}


def _offset_hours(moment: dt.datetime) -> int | float:
    hours = moment.utcoffset().total_seconds() / 3600  # type: ignore[union-attr]
    return int(hours) if hours.is_integer() else hours


def _clock(moment: dt.datetime, with_offset: bool) -> str:
    text = moment.strftime("%H:%M") if not moment.second else moment.strftime("%H:%M:%S")
    if with_offset:
        text += moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:]
    return text


def when_schedule(entry: Entry, tz: ZoneInfo) -> dict[str, Any]:
    """An activity's ``wanneer`` as one schedule: the dates it runs, the times with their UTC
    offset (exact for one day: the offset of that day), and the date in Dutch."""
    when = entry.when
    assert when is not None
    start_day = when.start.date() if isinstance(when.start, dt.datetime) else when.start
    row: dict[str, Any] = {"dtstart": start_day.isoformat(), "valid_from": start_day.isoformat()}
    if isinstance(when.start, dt.datetime):
        start = local_moment(when.start, tz)
        row["opens_at"] = _clock(start, with_offset=True)
        row["timezone"] = _offset_hours(start)
    if when.end is not None:
        end_day = when.end.date() if isinstance(when.end, dt.datetime) else when.end
        row["valid_to"] = end_day.isoformat()
        if isinstance(when.end, dt.datetime):
            end = local_moment(when.end, tz)
            row["closes_at"] = _clock(end, with_offset=True)
            row.setdefault("timezone", _offset_hours(end))
    row["description"] = when_nl(when.start, when.end)
    return row


def hours_schedules(text: str) -> list[dict[str, Any]]:
    """``tijden`` as schedules: one per slot when the text is structured (weekly or monthly,
    RFC 5545 style), else one that holds only the text. Every schedule keeps the whole text
    as its description; times are local (no fixed UTC offset holds all year)."""
    hours = read_hours(text)
    if hours is None:
        return [{"description": text}]
    rows = []
    for slot in hours.slots:
        byday = ",".join(f"{slot.nth}{day}" for day in slot.days) if slot.monthly else ",".join(slot.days)
        rows.append(
            {
                "freq": "MONTHLY" if slot.monthly else "WEEKLY",
                "wkst": "MO",
                "byday": byday,
                "opens_at": slot.opens.strftime("%H:%M"),
                "closes_at": slot.closes.strftime("%H:%M"),
                "description": text,
                "notes": hours.remark,
            }
        )
    return rows


def _area_description(area: Area, city: str) -> str:
    text = f"{AREA_LEVELS.get(area.level, area.level.capitalize())} {area.label}"
    if area.level != "stad":
        text += f" in {city}"
    return text + (f", gebiedscode {area.code}" if area.code else "")


def entry_rows(catalog: Catalog, urls: Urls, entry: Entry) -> Rows:
    """The rows of one entry, by table name; rows other entries may share (organization,
    location, address) have ids made from their content."""
    settings, taxonomy = catalog.settings, catalog.taxonomy
    ids = Ids(urls.site_url)
    slug = entry.slug
    service_id = ids.service(slug)
    rows: Rows = {}

    def add(table: str, row: dict[str, Any]) -> dict[str, Any]:
        row = _compact(row)
        rows.setdefault(table, []).append(row)
        return row

    contact = entry.contact
    organization_id = ids.organization(entry)
    description = entry.summary + (f"\n\n{entry.description}" if entry.description else "")
    add(
        "service",
        {
            "id": service_id,
            "organization_id": organization_id,
            "name": entry.title,
            "description": description,
            "url": contact.website if contact else None,
            "email": contact.email if contact else None,
            "status": STATUS_TO_HSDS[entry.status],
            "fees_description": entry.cost,
            "assured_date": entry.checked.isoformat(),
        },
    )
    if entry.organisation:
        add("organization", {"id": organization_id, "name": entry.organisation,
                             "description": f"{entry.organisation}: aanbieder op {settings.site_name}."})  # fmt: skip
    else:
        add("organization", {"id": organization_id, "name": entry.title, "description": OWN_ORGANIZATION})

    location = entry.location
    if location is not None:
        place = (location.name, location.address, location.postcode, location.lat, location.lon)
        location_id = ids.of("location", "|".join("" if value is None else str(value) for value in place))
        add(
            "location",
            {"id": location_id, "location_type": "physical", "name": location.name,
             "latitude": location.lat, "longitude": location.lon},
        )  # fmt: skip
        if location.address or location.postcode:
            add(
                "address",
                {
                    "id": ids.of("address", location_id),
                    "location_id": location_id,
                    "address_1": location.address or "",
                    "city": settings.city_name,
                    "state_province": settings.province,
                    "postal_code": location.postcode or "",
                    "country": settings.phone_region,  # ISO 3166 alpha-2, as the phone region is
                    "address_type": "physical",
                },
            )
        add("service_at_location", {"id": ids.of("service_at_location", slug), "service_id": service_id, "location_id": location_id})

    if contact is not None:
        contact_id = ids.of("contact", slug)
        add("contact", {"id": contact_id, "service_id": service_id, "name": contact.name, "email": contact.email})
        if contact.phone:
            add("phone", {"id": ids.of("phone", slug), "service_id": service_id, "contact_id": contact_id,
                          "number": contact.phone, "type": "voice"})  # fmt: skip

    schedules = []
    if entry.when is not None:
        schedules.append(("wanneer", when_schedule(entry, zone(settings.timezone))))
    if entry.hours:
        schedules += [(f"tijden-{number}", row) for number, row in enumerate(hours_schedules(entry.hours), start=1)]
    for key, row in schedules:
        add("schedule", {"id": ids.of("schedule", slug, key), "service_id": service_id, **row})

    for code in entry.languages:
        add("language", {"id": ids.of("language", slug, code), "service_id": service_id,
                         "name": language_name(code), "code": code})  # fmt: skip

    if entry.cost:
        amount = first_amount(entry.cost)
        add(
            "cost_option",
            {
                "id": ids.of("cost_option", slug),
                "service_id": service_id,
                "amount": None if amount is None else (int(amount) if amount == amount.to_integral() else float(amount)),
                "currency": CURRENCY if amount is not None else None,
                "amount_description": entry.cost,
            },
        )

    def link(vocabulary: str, term_id: str, link_id: str, entity: str) -> None:
        add(
            "attribute",
            {
                "id": ids.of("attribute", link_id, vocabulary, term_id),
                "link_id": link_id,
                "taxonomy_term_id": ids.term(vocabulary, term_id),
                "link_type": LINK_TYPES[vocabulary],
                "link_entity": entity,
            },
        )

    link("kinds", entry.kind, service_id, "service")
    for theme in entry.themes:
        link("themes", theme, service_id, "service")
    for audience in entry.audiences:
        link("audiences", audience, service_id, "service")
    add(
        "attribute",
        {
            "id": ids.of("attribute", service_id, PAGE_LINK_TYPE),
            "link_id": service_id,
            "taxonomy_term_id": ids.term(PAGE_LINK_TYPE, PAGE_LINK_TYPE),
            "link_type": PAGE_LINK_TYPE,
            "link_entity": "service",
            "value": urls.absolute(urls.entry(slug)),
        },
    )
    areas = taxonomy.areas
    for area_id in entry.areas:
        area = areas.by_id[area_id]
        area_row_id = ids.of("service_area", slug, area_id)
        add(
            "service_area",
            {
                "id": area_row_id,
                "service_id": service_id,
                "name": area.label,
                "description": _area_description(area, settings.city_name),
                "extent": area.code,
                "extent_type": "text" if area.code else None,
                "uri": urls.absolute(urls.facet("areas", area_id)),
            },
        )
        link("areas", area_id, area_row_id, "service_area")
    return rows


def taxonomy_rows(catalog: Catalog, urls: Urls) -> Rows:
    """The vocabularies as taxonomies with every term (not only the terms in use), plus the
    one-term taxonomy of the page attribute."""
    settings, taxonomy = catalog.settings, catalog.taxonomy
    ids = Ids(urls.site_url)
    rows: Rows = {"taxonomy": [], "taxonomy_term": []}
    for spec in VOCABULARIES:
        name = f"{settings.site_name}: {spec.label_plural.lower()}"
        rows["taxonomy"].append(
            _compact(
                {
                    "id": ids.taxonomy(spec.id),
                    "name": name,
                    "description": f"De {spec.label_plural.lower()} waarmee {settings.site_name} zijn aanbod indeelt "
                    f"(in de berichten: {spec.key}).",
                    "uri": urls.absolute(urls.facet_index(spec.id)),
                }
            )
        )
        for term in taxonomy.vocabulary(spec.id):
            parent = getattr(term, "parent", None)
            rows["taxonomy_term"].append(
                _compact(
                    {
                        "id": ids.term(spec.id, term.id),
                        "code": term.id,
                        "name": term.label,
                        "description": term.description or term.label,
                        "parent_id": ids.term(spec.id, parent) if parent else None,
                        "taxonomy": name,
                        "taxonomy_id": ids.taxonomy(spec.id),
                        "language": "nl",
                        "term_uri": urls.absolute(urls.facet(spec.id, term.id)),
                    }
                )
            )
    page_name = f"{settings.site_name}: pagina's"
    rows["taxonomy"].append(
        {
            "id": ids.taxonomy(PAGE_LINK_TYPE),
            "name": page_name,
            "description": f"Verwijzingen naar {settings.site_name}.",
            "uri": urls.absolute(urls.home()),
        }
    )
    rows["taxonomy_term"].append(
        {
            "id": ids.term(PAGE_LINK_TYPE, PAGE_LINK_TYPE),
            "code": PAGE_LINK_TYPE,
            "name": f"Pagina op {settings.site_name}",
            "description": f"De waarde is het adres van de pagina over dit aanbod op {settings.site_name}.",
            "taxonomy": page_name,
            "taxonomy_id": ids.taxonomy(PAGE_LINK_TYPE),
            "language": "nl",
        }
    )
    return rows
