"""Which export files a build writes, and where (the contract's paths)."""

from __future__ import annotations

from wijknet.content.cache import build_memo
from wijknet.exports import atom, ical, opendata, sitemap
from wijknet.site.model import BuildContext, File

JSON_PATH = "data/initiatieven.json"
CSV_PATH = "data/initiatieven.csv"
ICS_PATH = "agenda.ics"


def files(build: BuildContext) -> list[File]:
    """Open data, the agenda, every feed, the sitemap and robots.txt."""
    catalog, urls = build.catalog, build.urls
    # Remembered between builds by what each file reads (see wijknet.content.cache.BuildMemo).
    memo = build_memo(build)
    memo = memo if memo.active else None
    result = [
        File(JSON_PATH, opendata.json_export(catalog, urls, memo)),
        File(CSV_PATH, opendata.csv_export(catalog, urls, memo)),
        File(ICS_PATH, ical.calendar(catalog, urls)),
    ]
    result += [File(feed.path, atom.render_feed(catalog, urls, feed, memo)) for feed in atom.feeds(catalog, urls)]
    result.append(File(sitemap.SITEMAP_PATH, sitemap.sitemap(catalog, urls)))
    result.append(File(sitemap.ROBOTS_PATH, sitemap.robots(catalog, urls)))
    return result
