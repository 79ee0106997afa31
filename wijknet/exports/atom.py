"""The site's Atom feeds: every listed entry, one per theme and one per stadsdeel (the feed
model and writer: :mod:`wijknet.feeds`)."""

from __future__ import annotations

from wijknet.content.catalog import Catalog
from wijknet.engine.urls import Urls
from wijknet.feeds import (
    ALL_FEED,
    FEED_LIMIT,
    Feed,
    FeedLink,
    area_feed_path,
    feed_links,
    newest_first,
    render_feed,
    theme_feed_path,
)

__all__ = [
    "ALL_FEED", "FEED_LIMIT", "Feed", "FeedLink", "area_feed_path", "feed_links", "feeds", "newest_first",
    "render_feed", "theme_feed_path",
]  # fmt: skip


def feeds(catalog: Catalog, urls: Urls) -> list[Feed]:
    """Every feed of the site: all entries, per theme, per stadsdeel."""
    site_name = catalog.settings.site_name
    result = [Feed(ALL_FEED, f"{site_name}: alles", urls.home(), newest_first(catalog.listed))]
    for theme in catalog.taxonomy.themes:
        members = catalog.facets["themes"].get(theme.id, ())
        result.append(
            Feed(theme_feed_path(theme.id), f"{site_name}: thema {theme.label}", urls.facet("themes", theme.id), newest_first(members))
        )
    for stadsdeel in catalog.taxonomy.areas.of_level("stadsdeel"):
        members = [entry for entry in catalog.listed if stadsdeel.id in catalog.stadsdelen_of(entry)]
        result.append(
            Feed(
                area_feed_path(stadsdeel.id),
                f"{site_name}: stadsdeel {stadsdeel.label}",
                urls.facet("areas", stadsdeel.id),
                newest_first(members),
            )
        )
    return result
