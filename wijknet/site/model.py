"""What a build writes: pages (rendered from a template) and files (bytes as they are).

Providers (see :mod:`wijknet.site.registry`) turn a :class:`BuildContext` into pages and
files. They are pure: no Pelican, no clock, no writing to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from wijknet.content.catalog import Catalog
from wijknet.site.urls import Urls


@dataclass(frozen=True)
class Page:
    """A page rendered from ``template`` with ``context`` at ``path`` (under the output folder)."""

    path: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class File:
    """A file written as it is: feeds, data exports, the search index."""

    path: str
    content: bytes


@dataclass
class BuildContext:
    """Everything providers read. ``shared`` holds results computed once per build;
    ``news`` the host's latest news items (:class:`wijknet.news.NewsItem`), newest first."""

    catalog: Catalog
    urls: Urls
    news: tuple = ()
    shared: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, compute):
        """Compute a value once per build and share it between providers."""
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]
