"""Atom feeds: all entries, per theme, per stadsdeel (with roll-up and city-wide entries)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wijknet.content.catalog import Catalog
from wijknet.exports.atom import FEED_LIMIT, feed_links, feeds, newest_first, render_feed

NS = {"a": "http://www.w3.org/2005/Atom"}
BASE = "https://wijknet.example"


def _parse(content: bytes) -> ET.Element:
    root = ET.fromstring(content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def _slugs(root: ET.Element) -> list[str]:
    ids = [element.text for element in root.findall("a:entry/a:id", NS)]
    assert all(i.startswith(f"{BASE}/initiatieven/") for i in ids)
    return [i.removeprefix(f"{BASE}/initiatieven/").rstrip("/") for i in ids]


def test_all_feed_newest_checked_first(outputs):
    root = _parse(outputs["feeds/all.atom.xml"])
    assert _slugs(root) == [
        "script-in-titel-vraag",  # 2027-01-08
        "concert-in-de-kerk",  # 2027-01-05
        "buurtmarkt-hele-stad",  # 2026-12-20, tie broken by slug
        "gezondheidscentrum-west",  # 2026-12-20
        "lezing-afgelopen",  # 2026-11-15: past, but still a listed entry
        "buurtbuik-dapperbuurt-test",  # 2026-11-01
    ]
    ids = [element.text for element in root.iter("{http://www.w3.org/2005/Atom}id")]
    assert len(ids) == len(set(ids))
    assert root.findtext("a:id", namespaces=NS) == f"{BASE}/feeds/all.atom.xml"
    assert root.findtext("a:updated", namespaces=NS) == "2027-01-08T00:00:00+01:00"
    assert root.find("a:link[@rel='self']", NS).get("href") == f"{BASE}/feeds/all.atom.xml"
    assert root.findtext("a:author/a:name", namespaces=NS) == "Wijknet Amsterdam"
    first = root.find("a:entry", NS)
    assert first.findtext("a:title", namespaces=NS) == "Hulp gezocht </script><script>alert(1)</script> & meer"
    assert first.findtext("a:updated", namespaces=NS) == "2027-01-08T00:00:00+01:00"
    assert first.find("a:link[@rel='alternate']", NS).get("href") == f"{BASE}/initiatieven/script-in-titel-vraag/"
    assert first.findtext("a:summary", namespaces=NS).startswith('=HYPERLINK("https://kwaad.example"')
    assert b"<script>" not in outputs["feeds/all.atom.xml"]  # escaped, not raw markup
    summer = root.find("a:entry[a:id='%s/initiatieven/concert-in-de-kerk/']" % BASE, NS)
    assert summer.findtext("a:updated", namespaces=NS) == "2027-01-05T00:00:00+01:00"


def test_every_theme_and_stadsdeel_has_a_feed(outputs, catalog):
    for theme in catalog.taxonomy.themes:
        _parse(outputs[f"feeds/thema/{theme.id}.atom.xml"])
    stadsdelen = [area.id for area in catalog.taxonomy.areas.of_level("stadsdeel")]
    assert len(stadsdelen) == 9
    for area_id in stadsdelen:
        _parse(outputs[f"feeds/gebied/{area_id}.atom.xml"])
    feed_files = [path for path in outputs if path.startswith("feeds/")]
    assert len(feed_files) == 1 + len(catalog.taxonomy.themes) + 9


def test_theme_feeds(outputs):
    assert _slugs(_parse(outputs["feeds/thema/voeding.atom.xml"])) == ["buurtbuik-dapperbuurt-test"]  # not the gestopt one
    assert _slugs(_parse(outputs["feeds/thema/ontmoeting.atom.xml"])) == ["concert-in-de-kerk", "buurtmarkt-hele-stad"]
    assert _slugs(_parse(outputs["feeds/thema/vrijwilligerswerk.atom.xml"])) == []  # only an expired question
    empty = _parse(outputs["feeds/thema/verslaving.atom.xml"])
    assert empty.findtext("a:updated", namespaces=NS) == "2027-01-10T00:00:00+01:00"  # the build date
    assert empty.find("a:link[@rel='alternate']", NS).get("href") == f"{BASE}/thema/verslaving/"


def test_stadsdeel_feeds_roll_up_and_include_city_wide(outputs):
    def members(area_id):
        return set(_slugs(_parse(outputs[f"feeds/gebied/{area_id}.atom.xml"])))

    assert members("oost") == {"buurtbuik-dapperbuurt-test", "buurtmarkt-hele-stad"}  # wijk dapperbuurt
    assert members("noord") == {"concert-in-de-kerk", "lezing-afgelopen", "buurtmarkt-hele-stad"}
    assert members("west") == {"gezondheidscentrum-west", "buurtmarkt-hele-stad"}
    assert members("centrum") == {"script-in-titel-vraag", "buurtmarkt-hele-stad"}
    assert members("zuidoost") == {"buurtmarkt-hele-stad"}


def test_feeds_hold_at_most_fifty_entries(catalog, urls):
    template = catalog.by_slug["buurtbuik-dapperbuurt-test"]
    many = tuple(template.model_copy(update={"slug": f"kopie-{index:03d}"}) for index in range(FEED_LIMIT + 10))
    big = Catalog(entries=many, taxonomy=catalog.taxonomy, settings=catalog.settings, today=catalog.today)
    by_path = {feed.path: feed for feed in feeds(big, urls)}
    root = _parse(render_feed(big, urls, by_path["feeds/all.atom.xml"]))
    assert _slugs(root) == [f"kopie-{index:03d}" for index in range(FEED_LIMIT)]


def test_newest_first_without_limit_keeps_every_entry(catalog):
    template = catalog.by_slug["buurtbuik-dapperbuurt-test"]
    many = [template.model_copy(update={"slug": f"kopie-{index:03d}"}) for index in reversed(range(FEED_LIMIT + 10))]
    assert [entry.slug for entry in newest_first(many, limit=None)] == [f"kopie-{index:03d}" for index in range(FEED_LIMIT + 10)]
    assert len(newest_first(many)) == FEED_LIMIT


def test_feed_links_for_pages(catalog, urls):
    assert [link.href for link in feed_links(catalog, urls)] == [f"{BASE}/feeds/all.atom.xml"]
    theme = feed_links(catalog, urls, "themes", "voeding")
    assert [link.href for link in theme] == [f"{BASE}/feeds/all.atom.xml", f"{BASE}/feeds/thema/voeding.atom.xml"]
    assert theme[1].type == "application/atom+xml" and "Voeding" in theme[1].title
    wijk = feed_links(catalog, urls, "areas", "dapperbuurt")
    assert wijk[1].href == f"{BASE}/feeds/gebied/oost.atom.xml"
    assert len(feed_links(catalog, urls, "areas", "amsterdam")) == 1
    assert len(feed_links(catalog, urls, "audiences", "ouderen")) == 1
