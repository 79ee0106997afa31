"""What a build writes: pages (rendered from a template) and files (bytes as they are).

Providers (see :mod:`wijknet.engine.registry`) turn a :class:`BuildContext` into pages and
files. They are pure: no Pelican, no clock, no writing to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Hashable, Mapping, TypeVar

from wijknet.engine.cache import BuildCache
from wijknet.engine.urls import Urls

if TYPE_CHECKING:
    from wijknet.content.catalog import Catalog
    from wijknet.dutch.analysis import DutchAnalysis
    from wijknet.engine.registry import Provider

T = TypeVar("T")


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
    """Everything providers read: the catalog, the URL scheme, the providers of this site
    (whose hooks a page may call, see :mod:`wijknet.engine.hooks`) and the build cache.
    ``menu_extra`` holds (href, label) links the host adds to the site menu after the
    site's own (the news list, when there is news)."""

    catalog: Catalog
    urls: Urls
    providers: tuple["Provider", ...] = ()
    menu_extra: tuple[tuple[str, str], ...] = ()
    cache: BuildCache = field(default_factory=lambda: BuildCache(None))
    _computed: dict[tuple[Callable, tuple], Any] = field(default_factory=dict, repr=False)

    def once(self, compute: Callable[..., T], *args: Hashable) -> T:
        """``compute(self, *args)``, computed once per build and shared between providers.

        Keyed by the function itself (a module-level function) and its arguments, so a
        reader can follow what is shared to the one place that makes it."""
        key = (compute, args)
        if key not in self._computed:
            self._computed[key] = compute(self, *args)
        return self._computed[key]

    def computed(self, compute: Callable[..., Any], *args: Hashable) -> bool:
        """Whether :meth:`once` already holds ``compute(self, *args)``."""
        return (compute, args) in self._computed

    def dutch_analysis(self) -> "DutchAnalysis":
        """The build's Dutch text analysis (search and matching), read from
        ``lunr-languages`` once, its stems remembered in the build cache."""
        return self.once(_dutch_analysis)


def _dutch_analysis(build: BuildContext) -> "DutchAnalysis":
    from wijknet.dutch.analysis import DutchAnalysis, stems_namespace

    analysis = DutchAnalysis.from_node_modules()
    analysis.remember_stems(stems_namespace(build.cache))
    return analysis
