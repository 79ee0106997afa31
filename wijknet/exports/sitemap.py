"""``sitemap.xml`` and ``robots.txt``.

The sitemap lists the pages people should find: the home page, the named pages, every listed
entry (``lastmod`` its check date) and every facet page that has entries (``lastmod`` the
newest check among them). Stopped entries and expired questions keep a page but are left
out, as everywhere else.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from wijknet.content.catalog import Catalog
from wijknet.engine.urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
NAMED_PAGES = ("overzicht", "agenda", "zoeken", "meedoen", "over", "toegankelijkheid", "aanmelden", "cijfers", "vragen")


def sitemap_urls(catalog: Catalog, urls: Urls) -> list[tuple[str, str | None]]:
    """(absolute URL, lastmod or None) for every page in the sitemap, in a fixed order."""
    listed = catalog.listed
    newest = max((entry.checked for entry in listed), default=None)
    items: list[tuple[str, str | None]] = [(urls.home(), newest.isoformat() if newest else None)]
    items += [(urls.page(name), None) for name in NAMED_PAGES]
    items += [(urls.entry(entry.slug), entry.checked.isoformat()) for entry in listed]  # slug order
    for vocabulary, terms in catalog.facets.items():
        for term_id in sorted(terms):
            lastmod = max(entry.checked for entry in terms[term_id]).isoformat()
            items.append((urls.facet(vocabulary, term_id), lastmod))
    return [(urls.absolute(url), lastmod) for url, lastmod in items]


def sitemap(catalog: Catalog, urls: Urls) -> bytes:
    """The sitemap protocol 0.9 document."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for location, lastmod in sitemap_urls(catalog, urls):
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = location
        if lastmod is not None:
            ET.SubElement(url, "lastmod").text = lastmod
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(catalog: Catalog, urls: Urls) -> bytes:
    """Allow every crawler everything and point to the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(urls.file(SITEMAP_PATH))}\n"
    return text.encode("utf-8")
