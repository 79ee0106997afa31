"""sitemap.xml and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://wijknet.example"


def _entries(outputs) -> dict[str, str | None]:
    root = ET.fromstring(outputs["sitemap.xml"])
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    pairs = [(url.findtext("s:loc", namespaces=NS), url.findtext("s:lastmod", namespaces=NS)) for url in root.findall("s:url", NS)]
    locations = [loc for loc, _ in pairs]
    assert len(locations) == len(set(locations))
    return dict(pairs)


def test_sitemap_pages(outputs):
    pages = _entries(outputs)
    assert all(url.startswith(BASE + "/") for url in pages)
    assert pages[f"{BASE}/"] == "2027-01-08"  # the newest check
    for name in ("overzicht", "agenda", "zoeken", "meedoen", "over", "toegankelijkheid", "aanmelden", "cijfers", "vragen"):
        assert f"{BASE}/{name}/" in pages
    assert pages[f"{BASE}/initiatieven/buurtbuik-dapperbuurt-test/"] == "2026-11-01"
    assert f"{BASE}/initiatieven/lezing-afgelopen/" in pages
    assert f"{BASE}/initiatieven/gestopt-voedselhulp/" not in pages
    assert f"{BASE}/initiatieven/oude-vraag-klusjes/" not in pages
    entries = [url for url in pages if "/initiatieven/" in url]
    assert len(entries) == 6


def test_sitemap_facet_pages_with_entries(outputs):
    pages = _entries(outputs)
    assert pages[f"{BASE}/thema/voeding/"] == "2026-11-01"
    assert pages[f"{BASE}/gebied/oost/"] == "2026-11-01"  # rolled up from the wijk dapperbuurt
    assert pages[f"{BASE}/gebied/dapperbuurt/"] == "2026-11-01"
    assert f"{BASE}/gebied/amsterdam/" in pages
    assert f"{BASE}/soort/voorziening/" in pages
    assert f"{BASE}/doelgroep/ouderen/" in pages
    assert f"{BASE}/thema/vrijwilligerswerk/" not in pages  # only an expired question had it
    assert f"{BASE}/thema/verslaving/" not in pages
    assert f"{BASE}/gebied/zuidoost/" not in pages  # no entry is tagged there (city-wide ones sit on amsterdam)


def test_robots_points_to_the_sitemap(outputs):
    text = outputs["robots.txt"].decode("utf-8")
    assert "User-agent: *\nAllow: /\n" in text
    assert f"Sitemap: {BASE}/sitemap.xml\n" in text
