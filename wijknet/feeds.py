"""Atom feeds (RFC 4287) of entries: the feed model, the links pages announce and the
Atom writer. Neutral ground: the exports write the site's feeds with it, matching its
question feeds.

The exports' feeds (see :func:`wijknet.exports.atom.feeds`):

- ``feeds/all.atom.xml``: every listed entry;
- ``feeds/thema/<id>.atom.xml``: one per theme;
- ``feeds/gebied/<stadsdeel>.atom.xml``: one per stadsdeel, with the entries tagged in that
  stadsdeel or any area inside it, and the city-wide ones.

Newest ``gecontroleerd`` first (ties by slug), at most :data:`FEED_LIMIT` entries. An entry's
``updated`` is its check date at 00:00 in the city's time zone; its ``id`` is the entry page's
absolute URL, which never changes. A feed's ``updated`` is its newest entry's, or the build
date for an empty feed. Every theme and stadsdeel gets a feed, empty or not, so a subscription
keeps working while a term has no entries.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable
from zoneinfo import ZoneInfo

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.dutch.moments import day_start_iso, zone
from wijknet.engine.urls import Urls

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50
ALL_FEED = "feeds/all.atom.xml"

# Characters XML 1.0 cannot carry at all; untrusted text must not make the feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Feed:
    """One feed: where it is written, its title and the page it belongs to."""

    path: str
    title: str
    page_url: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class FeedLink:
    """A feed for ``<link rel="alternate" type="application/atom+xml" title=... href=...>``."""

    title: str
    href: str
    type: str = "application/atom+xml"


def theme_feed_path(theme_id: str) -> str:
    return f"feeds/thema/{theme_id}.atom.xml"


def area_feed_path(stadsdeel_id: str) -> str:
    return f"feeds/gebied/{stadsdeel_id}.atom.xml"


def newest_first(entries: Iterable[Entry], limit: int | None = FEED_LIMIT) -> tuple[Entry, ...]:
    """Newest check date first, ties by slug; at most ``limit`` (all when None)."""
    ordered = sorted(entries, key=lambda entry: (-entry.checked.toordinal(), entry.slug))
    return tuple(ordered[:limit])


def feed_links(catalog: Catalog, urls: Urls, vocabulary: str | None = None, term_id: str | None = None) -> list[FeedLink]:
    """The feeds a page should announce: always all entries, plus the feed of the page's
    theme, or of the stadsdeel its area lies in."""
    site_name = catalog.settings.site_name
    links = [FeedLink(f"{site_name}: alles", urls.absolute(urls.file(ALL_FEED)))]
    if vocabulary == "themes" and term_id in catalog.taxonomy.themes:
        label = catalog.taxonomy.themes.label(term_id)
        links.append(FeedLink(f"{site_name}: thema {label}", urls.absolute(urls.file(theme_feed_path(term_id)))))
    elif vocabulary == "areas" and term_id in catalog.taxonomy.areas:
        stadsdeel = catalog.taxonomy.areas.stadsdeel_of(term_id)
        if stadsdeel is not None:
            label = catalog.taxonomy.areas.label(stadsdeel)
            links.append(FeedLink(f"{site_name}: stadsdeel {label}", urls.absolute(urls.file(area_feed_path(stadsdeel)))))
    return links


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _child(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _text(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def _entry_element(
    feed: ET.Element, catalog: Catalog, urls: Urls, entry: Entry, tz: ZoneInfo, schemes: dict[str, str]
) -> None:
    """One ``<entry>``; ``tz`` and the category ``schemes`` (by vocabulary) are the feed's."""
    page = urls.absolute(urls.entry(entry.slug))
    element = _child(feed, "entry")
    _child(element, "id", page)
    _child(element, "title", entry.title, type="text")
    _child(element, "updated", day_start_iso(entry.checked, tz))
    _child(element, "link", rel="alternate", type="text/html", href=page)
    _child(element, "summary", entry.summary, type="text")
    taxonomy = catalog.taxonomy
    _child(element, "category", term=entry.kind, label=taxonomy.kinds.label(entry.kind), scheme=schemes["kinds"])
    for theme in entry.themes:
        _child(element, "category", term=theme, label=taxonomy.themes.label(theme), scheme=schemes["themes"])
    for area in entry.areas:
        _child(element, "category", term=area, label=taxonomy.areas.label(area), scheme=schemes["areas"])


def render_feed(catalog: Catalog, urls: Urls, feed: Feed, memo=None) -> bytes:
    """One Atom document, UTF-8; with ``memo`` (the :class:`~wijknet.engine.cache.BuildCache`)
    remembered by the feed's path, title, page and entries (a feed reads nothing else but
    the settings, taxonomy and date, which the memo is kept for)."""
    if memo is not None:
        entries = memo.entries_key(feed.entries)
        key = None if entries is None else (feed.path, feed.title, feed.page_url, entries)
        return memo.keyed("feeds", key, lambda: render_feed(catalog, urls, feed))
    tz = zone(catalog.settings.timezone)
    self_url = urls.absolute(urls.file(feed.path))
    newest = max((entry.checked for entry in feed.entries), default=catalog.today)
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "nl"})
    _child(root, "id", self_url)
    _child(root, "title", feed.title, type="text")
    if catalog.settings.tagline:
        _child(root, "subtitle", catalog.settings.tagline, type="text")
    _child(root, "updated", day_start_iso(newest, tz))
    _child(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _child(root, "link", rel="alternate", type="text/html", href=urls.absolute(feed.page_url))
    author = _child(root, "author")
    _child(author, "name", catalog.settings.site_name)
    _child(author, "uri", urls.absolute(urls.home()))
    schemes = {vocabulary: urls.absolute(urls.facet_index(vocabulary)) for vocabulary in ("kinds", "themes", "areas")}
    for entry in feed.entries:
        _entry_element(root, catalog, urls, entry, tz, schemes)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

