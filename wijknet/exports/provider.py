"""Which export files a build writes, and where (the contract's paths)."""

from __future__ import annotations

from typing import Iterable

from wijknet.content.models import Entry
from wijknet.engine.model import BuildContext, File
from wijknet.engine.registry import Provider
from wijknet.exports import atom, ical, jsonld, opendata, sitemap

JSON_PATH = "data/initiatieven.json"
CSV_PATH = "data/initiatieven.csv"
ICS_PATH = "agenda.ics"


def files(build: BuildContext) -> list[File]:
    """Open data, the agenda, every feed, the sitemap and robots.txt."""
    catalog, urls = build.catalog, build.urls
    # Remembered between builds by what each file reads (see wijknet.engine.cache).
    memo = build.cache if build.cache.active else None
    result = [
        File(JSON_PATH, opendata.json_export(catalog, urls, memo)),
        File(CSV_PATH, opendata.csv_export(catalog, urls, memo)),
        File(ICS_PATH, ical.calendar(catalog, urls)),
    ]
    result += [File(feed.path, atom.render_feed(catalog, urls, feed, memo)) for feed in atom.feeds(catalog, urls)]
    result.append(File(sitemap.SITEMAP_PATH, sitemap.sitemap(catalog, urls)))
    result.append(File(sitemap.ROBOTS_PATH, sitemap.robots(catalog, urls)))
    return result


def provide(build: BuildContext) -> Iterable[File]:
    """Every export file of the site, in the contract's paths."""
    return files(build)


def entry_jsonld(build: BuildContext, entry: Entry) -> str:
    """The ``entry_jsonld`` hook: an entry's schema.org JSON-LD. It reads only the entry,
    taxonomy, settings and URLs, so it is remembered by the entry's content."""
    return build.cache.entry("jsonld", entry, lambda: jsonld.entry_jsonld(build.catalog, build.urls, entry))


def page_jsonld(build: BuildContext, page_url: str, trail: list[tuple[str, str]]) -> str:
    """The ``page_jsonld`` hook: a page's ``BreadcrumbList`` (and on the home page the
    ``WebSite`` with its search box)."""
    return jsonld.page_jsonld(build.catalog.settings, build.urls, page_url, trail)


PROVIDER = Provider(
    "exports", provide, hooks={"entry_jsonld": entry_jsonld, "page_jsonld": page_jsonld}, files_side=True
)
"""Feeds, open data, agenda.ics, sitemap and robots.txt; JSON-LD on every page."""
