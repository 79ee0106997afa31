"""schema.org JSON-LD for entry pages."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from wijknet.exports.jsonld import entry_jsonld

BASE = "https://wijknet.example"


def _data(catalog, urls, slug):
    return json.loads(entry_jsonld(catalog, urls, catalog.by_slug[slug]))


def test_script_in_a_title_cannot_break_out(catalog, urls):
    text = entry_jsonld(catalog, urls, catalog.by_slug["script-in-titel-vraag"])
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    page = f'<html><head><script type="application/ld+json">{text}</script></head><body><p>na</p></body></html>'
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.select("script")
    assert len(scripts) == 1 and soup.select_one("body p").get_text() == "na"
    data = json.loads(scripts[0].string)
    assert data["name"] == "Hulp gezocht </script><script>alert(1)</script> & meer"
    assert data["@type"] == "Demand"
    assert data["validThrough"] == "2027-04-08"  # 90 days after the check
    assert data["url"] == f"{BASE}/initiatieven/script-in-titel-vraag/"


def test_event_with_times_and_place(catalog, urls):
    data = _data(catalog, urls, "concert-in-de-kerk")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["startDate"] == "2027-02-14T19:30:00+01:00"
    assert data["endDate"] == "2027-02-14T21:00:00+01:00"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Kerk aan het Water"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Van der Pekstraat 1",
        "postalCode": "1031 CN",
        "addressLocality": "Amsterdam",
        "addressRegion": "Noord-Holland",
        "addressCountry": "NL",
    }
    assert data["url"] == f"{BASE}/initiatieven/concert-in-de-kerk/"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_date_only_event_without_location(catalog, urls):
    data = _data(catalog, urls, "buurtmarkt-hele-stad")
    assert data["startDate"] == "2027-03-01" and data["endDate"] == "2027-03-02"
    assert data["location"]["name"] == "Amsterdam"  # its area stands in for a place


def test_other_kinds(catalog, urls):
    project = _data(catalog, urls, "buurtbuik-dapperbuurt-test")
    assert project["@type"] == "Project"
    assert project["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 52.36328, "longitude": 4.92967}
    assert project["contactPoint"]["telephone"] == "+31 20 123 4567"
    assert project["parentOrganization"] == {"@type": "Organization", "name": "Stichting Buurtbuik"}
    assert project["areaServed"] == [{"@type": "AdministrativeArea", "name": "Dapperbuurt"}]
    service = _data(catalog, urls, "gezondheidscentrum-west")
    assert service["@type"] == "Service"
    assert service["availableChannel"]["serviceLocation"]["address"]["postalCode"] == "1056 EB"
    assert service["dateModified"] == "2026-12-20"
