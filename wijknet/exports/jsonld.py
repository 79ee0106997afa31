"""schema.org JSON-LD: entries, and the breadcrumbs and search box of every page.

The result goes into ``<script type="application/ld+json">``. Every field of an entry is
untrusted, so ``<``, ``>`` and ``&`` (and the JavaScript line separators) are written as
``\\u`` escapes: ``</script>`` in a title cannot end the script element, and the JSON still
reads back as the same text.

Types per kind:

- ``activiteit``: ``Event`` with what Google asks for event rich results: ``name``,
  ``startDate`` (with the UTC offset when it has a time; a bare date for an all-day
  activity), a ``location`` ``Place`` with a ``PostalAddress``; and what it recommends where
  we have it: ``endDate``, ``eventStatus``, ``eventAttendanceMode``, ``organizer``,
  ``offers`` (from ``kosten``), ``description``;
- ``voorziening``: ``Service`` (a service or place on the sociale kaart) with its
  ``provider``, ``areaServed``, ``availableChannel`` (phone and web address) and
  ``hoursAvailable`` when ``tijden`` says which days and hours;
- ``initiatief``: ``Project`` (schema.org's type for an organised, ongoing effort);
- ``vraag``: ``Demand`` (someone asks for help, volunteers or partners) until it expires.

An ``organisatie`` is an ``Organization``. Every page has a ``BreadcrumbList`` (its trail of
links, see :func:`page_jsonld`) and the home page a ``WebSite`` with a ``SearchAction`` that
leads to the search page.
"""

from __future__ import annotations

import json
from typing import Any

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.content.rules import ACTIVITY, FACILITY, INITIATIVE, QUESTION
from wijknet.dutch.hours import DAY_CODES, read_hours
from wijknet.dutch.money import CURRENCY, first_amount, plain_amount
from wijknet.dutch.moments import iso_moment, zone
from wijknet.engine.urls import Urls
from wijknet.settings import SiteSettings

SCHEMA_TYPES = {ACTIVITY: "Event", FACILITY: "Service", INITIATIVE: "Project", QUESTION: "Demand"}

_EVENT_STATUS = {
    "actief": "https://schema.org/EventScheduled",
    "gepauzeerd": "https://schema.org/EventPostponed",
    "gestopt": "https://schema.org/EventCancelled",
}

# Characters that may end or confuse a script element, or a JavaScript string in old parsers.
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_safe_json(data: Any) -> str:
    """Deterministic JSON text that is safe inside any ``<script>`` element."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_SAFE.items():  # str.replace scans in C; 30x faster than translate here
        if character in text:
            text = text.replace(character, escaped)
    return text


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _address(settings: SiteSettings, street: str | None = None, postcode: str | None = None) -> dict[str, Any]:
    return _drop_empty(
        {
            "@type": "PostalAddress",
            "streetAddress": street,
            "postalCode": postcode,
            "addressLocality": settings.city_name,
            "addressRegion": settings.province,
            # The phone region is the site's ISO 3166 country code (NL for Amsterdam).
            "addressCountry": settings.phone_region,
        }
    )


def _place(catalog: Catalog, entry: Entry) -> dict[str, Any] | None:
    """The entry's location as a ``Place``; its address is at least the city (Google wants
    an address for every event location)."""
    location = entry.location
    if location is None:
        return None
    address = _address(catalog.settings, location.address, location.postcode)
    geo = None
    if location.lat is not None and location.lon is not None:
        geo = {"@type": "GeoCoordinates", "latitude": location.lat, "longitude": location.lon}
    return _drop_empty({"@type": "Place", "name": location.name, "address": address, "geo": geo})


def _area_place(catalog: Catalog, entry: Entry) -> dict[str, Any]:
    """A place for an event without a location: its areas, in the city."""
    labels = ", ".join(catalog.taxonomy.areas.label(area_id) for area_id in entry.areas)
    return {"@type": "Place", "name": labels, "address": _address(catalog.settings)}


def _areas_served(catalog: Catalog, entry: Entry) -> list[dict[str, Any]]:
    return [
        {"@type": "AdministrativeArea", "name": catalog.taxonomy.areas.label(area_id)} for area_id in entry.areas
    ]


def _contact_point(entry: Entry) -> dict[str, Any] | None:
    contact = entry.contact
    if contact is None:
        return None
    return _drop_empty(
        {
            "@type": "ContactPoint",
            "name": contact.name,
            "email": contact.email,
            "telephone": contact.phone,
            "url": contact.website,
            "availableLanguage": list(entry.languages),
        }
    )


def _organisation(entry: Entry) -> dict[str, Any] | None:
    if not entry.organisation:
        return None
    return {"@type": "Organization", "name": entry.organisation}


def _offer(entry: Entry, url: str) -> dict[str, Any] | None:
    """``kosten`` as an ``Offer``: the text, and the price when the text starts with one."""
    if not entry.cost:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "description": entry.cost, "url": url}
    amount = first_amount(entry.cost)
    if amount is not None:
        offer["price"] = plain_amount(amount)
        offer["priceCurrency"] = CURRENCY
    return offer


_WEEKDAYS = dict(zip(DAY_CODES, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))


def _opening_hours(entry: Entry) -> list[dict[str, Any]]:
    """Weekly ``tijden`` as ``OpeningHoursSpecification``s; none for free text or monthly
    slots (schema.org cannot say "every second Saturday")."""
    hours = read_hours(entry.hours) if entry.hours else None
    if hours is None or any(slot.monthly for slot in hours.slots):
        return []
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{_WEEKDAYS[day]}" for day in slot.days],
            "opens": slot.opens.strftime("%H:%M"),
            "closes": slot.closes.strftime("%H:%M"),
        }
        for slot in hours.slots
    ]


def entry_data(catalog: Catalog, urls: Urls, entry: Entry) -> dict[str, Any]:
    """The JSON-LD object for one entry, as a dict."""
    taxonomy = catalog.taxonomy
    tz = zone(catalog.settings.timezone)
    kind_type = SCHEMA_TYPES.get(entry.kind, "Thing")
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind_type,
        "identifier": entry.slug,
        "name": entry.title,
        "description": entry.summary,
        "url": urls.absolute(urls.entry(entry.slug)),
        "keywords": ", ".join(taxonomy.themes.label(theme) for theme in entry.themes),
    }
    if entry.audiences:
        data["audience"] = [
            {"@type": "Audience", "audienceType": taxonomy.audiences.label(audience)} for audience in entry.audiences
        ]
    place = _place(catalog, entry)
    contact = _contact_point(entry)
    organisation = _organisation(entry)

    if kind_type == "Event":
        data["startDate"] = iso_moment(entry.when.start, tz) if entry.when else None
        data["endDate"] = iso_moment(entry.when.end, tz) if entry.when and entry.when.end else None
        data["eventStatus"] = _EVENT_STATUS[entry.status]
        data["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
        data["location"] = place or _area_place(catalog, entry)
        organizer = organisation or ({"@type": "Person", "name": entry.contact.name} if entry.contact and entry.contact.name else None)
        if organizer is not None:
            website = entry.contact.website if entry.contact else None
            organizer = _drop_empty({**organizer, "url": website, "contactPoint": contact})
        data["organizer"] = organizer
        data["offers"] = _offer(entry, data["url"])
    elif kind_type == "Service":
        data["areaServed"] = _areas_served(catalog, entry)
        data["provider"] = organisation
        data["availableChannel"] = _drop_empty(
            {
                "@type": "ServiceChannel",
                "serviceLocation": place,
                "serviceUrl": entry.contact.website if entry.contact else None,
                "servicePhone": contact,
                "availableLanguage": list(entry.languages),
            }
        )
        data["hoursAvailable"] = _opening_hours(entry)
        data["offers"] = _offer(entry, data["url"])
    elif kind_type == "Project":
        data["areaServed"] = _areas_served(catalog, entry)
        data["parentOrganization"] = organisation
        data["contactPoint"] = contact
        data["location"] = place
        data["knowsLanguage"] = list(entry.languages)
    else:  # Demand
        data["areaServed"] = _areas_served(catalog, entry)
        expires = entry.question_expires()
        data["validThrough"] = expires.isoformat() if expires else None
    data["dateModified"] = entry.checked.isoformat()
    return _drop_empty(data)


def entry_jsonld(catalog: Catalog, urls: Urls, entry: Entry) -> str:
    """JSON-LD text for an entry page, safe to place inside ``<script type="application/ld+json">``."""
    return script_safe_json(entry_data(catalog, urls, entry))


# --- every page: breadcrumbs, and the site's search box on the home page ------------------


def breadcrumb_data(urls: Urls, trail: list[tuple[str, str]]) -> dict[str, Any]:
    """The page's trail of (URL, label) links, home first, as a ``BreadcrumbList``."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": label, "item": urls.absolute(url)}
            for number, (url, label) in enumerate(trail, start=1)
        ],
    }


def website_data(settings: SiteSettings, urls: Urls) -> dict[str, Any]:
    """The site as a ``WebSite`` whose ``SearchAction`` opens the search page with a query."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.site_name,
        "url": urls.absolute(urls.home()),
        "inLanguage": "nl",
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": urls.absolute(urls.page("zoeken")) + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def page_jsonld(settings: SiteSettings, urls: Urls, page_url: str, trail: list[tuple[str, str]]) -> str:
    """JSON-LD text for any page: its ``BreadcrumbList``; on the home page, the ``WebSite``
    first. Safe inside ``<script type="application/ld+json">``."""
    crumbs = breadcrumb_data(urls, list(trail))
    if page_url == urls.home():
        return script_safe_json([website_data(settings, urls), crumbs])
    return script_safe_json(crumbs)
