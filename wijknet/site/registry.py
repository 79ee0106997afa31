"""The providers that make up a site, in order. A provider is ``provide(build) -> iterable``
of :class:`~wijknet.site.model.Page` and :class:`~wijknet.site.model.File`."""

from __future__ import annotations

import importlib
from typing import Callable, Iterable

from wijknet.site.model import BuildContext, File, Page

PROVIDERS: tuple[str, ...] = (
    "wijknet.site.pages",  # home, entries, facets, overview, agenda, static pages
    "wijknet.exports",  # feeds, open data, agenda.ics, sitemap, robots.txt
    "wijknet.search.provider",  # search index and documents, search page
    "wijknet.submissions.pages",  # the form to add an entry (aanmelden)
    "wijknet.report.pages",  # cijfers
    "wijknet.matching.pages",  # vragen, matches
)


# Providers that make mostly files (indexes, exports) and few pages: the renderer plans them
# in a forked process while this one prepares and plans the pages, so both use a core. Not
# matching's files: they read the shared preparation (see PREPARE), so they are planned with
# the pages, after it.
FILE_PROVIDERS: frozenset[str] = frozenset({"wijknet.exports", "wijknet.search.provider", "wijknet.report.pages"})


# Work several providers share, done once before the build is split over processes (the
# page side and the file side both need it): ``module:function``, called with the build.
PREPARE: tuple[str, ...] = ("wijknet.matching.pages:build_matches",)


def _function(module_name: str, function: str) -> Callable:
    """``module.function``; a missing module or function is an error, never a skipped room."""
    return getattr(importlib.import_module(module_name), function)


def prepare(build: BuildContext) -> None:
    """Run every :data:`PREPARE` step (results land in ``build.shared``)."""
    for spec in PREPARE:
        name, _, function = spec.partition(":")
        _function(name, function)(build)


def providers(names: Iterable[str] = PROVIDERS) -> list[Callable[[BuildContext], Iterable[Page | File]]]:
    """The ``provide`` function of every provider module in ``names``."""
    return [_function(name, "provide") for name in names]


def plan(build: BuildContext, names: Iterable[str] = PROVIDERS, extra: Iterable[Page | File] = ()) -> list[Page | File]:
    """Every page and file of the site (of the providers in ``names``, plus ``extra``),
    sorted by path; duplicate paths are an error."""
    items: dict[str, Page | File] = {}
    for item in (item for provide in providers(names) for item in provide(build)):
        if item.path in items:
            raise ValueError(f"two outputs for {item.path}")
        items[item.path] = item
    for item in extra:
        if item.path in items:
            raise ValueError(f"two outputs for {item.path}")
        items[item.path] = item
    return [items[path] for path in sorted(items)]


# Modules that add sections to entry pages: ``entry_sections(build, entry)`` returns a list
# of ``(template_name, context)`` pairs that the entry template includes in order.
ENTRY_SECTION_PROVIDERS: tuple[str, ...] = ("wijknet.matching.sections",)


def entry_sections(build: BuildContext, entry) -> list[tuple[str, dict]]:
    """Extra sections for one entry page from every section provider."""
    sections: list[tuple[str, dict]] = []
    for name in ENTRY_SECTION_PROVIDERS:
        sections.extend(_function(name, "entry_sections")(build, entry))
    return sections
