"""schema.org JSON-LD that search engines accept, checked on every page of a built site
against one table of required and recommended properties (Google's event rich results for
``Event``; breadcrumbs and the site's search box on every page)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from testkit import REPO, TEST_DATE

from wijknet.build import build_site
from wijknet.project import Project

FIXTURE = REPO / "tests" / "hsds" / "fixture"  # entries with every field an export can use
SITE = "https://wijknet.example"

# Per type: what must be there ("required") and what should be there when the entry has the
# data ("recommended"); a dotted name looks inside a nested object.
PROPERTIES: dict[str, dict[str, tuple[str, ...]]] = {
    "Event": {
        "required": ("name", "startDate", "location", "location.address"),
        "recommended": ("description", "endDate", "eventStatus", "eventAttendanceMode", "organizer", "offers"),
    },
    "Service": {
        "required": ("name", "areaServed", "availableChannel"),
        "recommended": ("description", "provider", "availableChannel.servicePhone", "availableChannel.serviceUrl", "hoursAvailable"),
    },
    "Organization": {"required": ("name",), "recommended": ()},
    "Place": {"required": ("name", "address"), "recommended": ()},
    "PostalAddress": {"required": ("addressLocality", "addressCountry"), "recommended": ("streetAddress", "postalCode")},
    "Offer": {"required": ("url",), "recommended": ("price", "priceCurrency", "description")},
    "OpeningHoursSpecification": {"required": ("dayOfWeek", "opens", "closes"), "recommended": ()},
    "BreadcrumbList": {"required": ("itemListElement",), "recommended": ()},
    "ListItem": {"required": ("position", "name", "item"), "recommended": ()},
    "WebSite": {"required": ("name", "url", "potentialAction"), "recommended": ()},
    "SearchAction": {"required": ("target", "query-input"), "recommended": ()},
}
# Entries of the fixture that have the data for every recommended property of their type.
COMPLETE = {"Event": "concert-in-de-kerk", "Service": "mantelzorgsteunpunt-west"}


def _get(data: dict, dotted: str):
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _objects(value):
    """Every object with an ``@type`` in ``value``, nested ones included."""
    if isinstance(value, list):
        for item in value:
            yield from _objects(item)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from _objects(item)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("schema-org")
    build_site(Project.at(REPO, content=FIXTURE), root / "output", TEST_DATE, cache_dir=root / "cache")
    output = root / "output"
    pages = {}
    for path in sorted(output.rglob("*.html")):
        if path.relative_to(output).parts[0] == "admin":
            continue  # the moderators' desk: Decap CMS's application, not a page for search engines
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        blocks = [json.loads(script.string) for script in soup.select('script[type="application/ld+json"]')]
        pages[path.relative_to(output).as_posix()] = (soup, blocks)
    return pages


def test_every_object_has_the_required_properties(site):
    seen = set()
    for path, (_soup, blocks) in site.items():
        for item in _objects(blocks):
            rules = PROPERTIES.get(item["@type"])
            if rules is None:
                continue
            seen.add(item["@type"])
            missing = [name for name in rules["required"] if _get(item, name) in (None, "", [])]
            assert not missing, f"{path}: {item['@type']} without {missing}"
    assert seen == set(PROPERTIES), f"types never seen: {set(PROPERTIES) - seen}"


@pytest.mark.parametrize("kind", sorted(COMPLETE))
def test_an_entry_with_the_data_has_every_recommended_property(site, kind):
    _soup, blocks = site[f"initiatieven/{COMPLETE[kind]}/index.html"]
    [item] = [block for block in blocks if block.get("@type") == kind]
    missing = [name for name in PROPERTIES[kind]["recommended"] if _get(item, name) in (None, "", [])]
    assert not missing, f"{kind} without {missing}"


def test_event_dates_locations_and_offers(site):
    [concert] = [b for b in site["initiatieven/concert-in-de-kerk/index.html"][1] if b["@type"] == "Event"]
    assert concert["startDate"] == "2027-02-14T19:30:00+01:00" and concert["endDate"] == "2027-02-14T21:00:00+01:00"
    assert concert["location"]["address"]["@type"] == "PostalAddress"
    assert concert["location"]["address"]["streetAddress"] == "Van der Pekstraat 1"
    assert concert["offers"] == {"@type": "Offer", "description": "€ 7,50 aan de deur", "price": "7.50",
                                 "priceCurrency": "EUR", "url": f"{SITE}/initiatieven/concert-in-de-kerk/"}  # fmt: skip
    assert concert["organizer"] == {"@type": "Organization", "name": "Buurtkoor Noord", "url": "https://koor-noord.example",
                                    "contactPoint": concert["organizer"]["contactPoint"]}  # fmt: skip
    [market] = [b for b in site["initiatieven/zomermarkt-hele-stad/index.html"][1] if b["@type"] == "Event"]
    assert market["startDate"] == "2027-06-26"  # all day: a date, no time to give an offset to
    assert market["location"]["address"] == {"@type": "PostalAddress", "addressLocality": "Amsterdam",
                                             "addressRegion": "Noord-Holland", "addressCountry": "NL"}  # fmt: skip
    assert market["offers"]["price"] == "0"
    [walk] = [b for b in site["initiatieven/wandeling-flevopark/index.html"][1] if b["@type"] == "Event"]
    assert walk["location"]["name"] == "Ingang Flevopark bij de Kramatweg"  # a place without a street address
    assert walk["location"]["address"]["addressLocality"] == "Amsterdam"  # still has the city as its address
    assert walk["location"]["geo"]["latitude"] == 52.36186
    for path, (_soup, blocks) in site.items():
        for item in _objects(blocks):
            if item["@type"] == "Event" and "T" in item["startDate"]:
                assert re.search(r"[+-]\d\d:\d\d$", item["startDate"]), f"{path}: a time without its UTC offset"


def test_service_hours_and_channel(site):
    [service] = [b for b in site["initiatieven/mantelzorgsteunpunt-west/index.html"][1] if b["@type"] == "Service"]
    assert service["provider"] == {"@type": "Organization", "name": "Stichting Mantelzorg Amsterdam"}
    assert service["availableChannel"]["servicePhone"]["telephone"] == "+31 20 765 4321"
    assert service["availableChannel"]["serviceUrl"] == "https://mantelzorg.example/west"
    weekdays = [f"https://schema.org/{day}" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
    assert service["hoursAvailable"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "09:00", "closes": "12:30"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Thursday"], "opens": "19:00", "closes": "21:00"},
    ]
    [free] = [b for b in site["initiatieven/spreekuur-in-overleg/index.html"][1] if b["@type"] == "Service"]
    assert "hoursAvailable" not in free  # "in overleg" says no days or hours


def test_every_page_has_its_breadcrumbs(site):
    for path, (soup, blocks) in site.items():
        [crumbs] = [item for item in _objects(blocks) if item["@type"] == "BreadcrumbList"]
        items = crumbs["itemListElement"]
        assert [item["position"] for item in items] == list(range(1, len(items) + 1)), path
        assert items[0]["item"] == f"{SITE}/" and items[0]["name"] == "Beginpagina", path
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert items[-1]["item"] == canonical, path
        if path != "index.html":
            assert len(items) >= 2, f"{path}: only the home page is one step"
        visible = soup.select("nav.breadcrumbs a")
        if visible:  # pages that show their trail show the same one
            assert [(a["href"], a.get_text()) for a in visible] == [(urlsplit(i["item"]).path, i["name"]) for i in items], path


def test_the_home_page_has_the_site_and_its_search_box(site):
    soup, blocks = site["index.html"]
    [website] = [item for item in _objects(blocks) if item["@type"] == "WebSite"]
    assert website["url"] == f"{SITE}/" and website["name"] == "Wijknet Amsterdam"
    action = website["potentialAction"]
    assert action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert template == f"{SITE}/zoeken/?q={{search_term_string}}"
    form = soup.select_one("form[role=search]")  # the site's own search box asks the same page the same way
    assert form["action"] == urlsplit(template).path and form.select_one("input[name=q]")
    assert not [item for path, (_s, b) in site.items() if path != "index.html" for item in _objects(b) if item["@type"] == "WebSite"]
