"""The overview's filters, for every page that filters entries the same way (the overview,
the map): the groups, their URL parameters and what each entry carries for them.

A filter group is a URL parameter (``?thema=geld&stadsdeel=oost``) over the terms of one
vocabulary (for areas: of one level). Within a group terms combine with OR, between groups
with AND (``theme/static/js/filters.js``). Without JavaScript every option is a link to the
term's own page.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijknet.content.models import Entry
from wijknet.engine.model import BuildContext

# Filter groups: (group key = URL parameter, vocabulary, area level or None).
FILTER_GROUPS = (
    ("soort", "kinds", None),
    ("thema", "themes", None),
    ("doelgroep", "audiences", None),
    ("stadsdeel", "areas", "stadsdeel"),
    ("wijk", "areas", "wijk"),
)
FILTER_GROUP_NAMES = {
    "soort": "Soort",
    "thema": "Thema",
    "doelgroep": "Doelgroep",
    "stadsdeel": "Stadsdeel",
    "wijk": "Wijk",
}


@dataclass(frozen=True)
class TermLink:
    """A taxonomy term with the number of listed entries and its facet page URL."""

    vocabulary: str
    id: str
    label: str
    count: int
    url: str
    level: str = ""


@dataclass(frozen=True)
class FilterGroup:
    key: str
    name: str
    vocabulary: str
    options: tuple[TermLink, ...]


def term_links(build: BuildContext, vocabulary: str, level: str | None = None) -> tuple[TermLink, ...]:
    """Terms of a vocabulary that have listed entries, in taxonomy order."""
    catalog, urls = build.catalog, build.urls
    links = []
    for term in catalog.taxonomy.vocabulary(vocabulary):
        term_level = getattr(term, "level", "")
        if level is not None and term_level != level:
            continue
        count = catalog.facet_count(vocabulary, term.id)
        if count:
            links.append(TermLink(vocabulary, term.id, term.label, count, urls.facet(vocabulary, term.id), term_level))
    return tuple(links)


def filter_param(vocabulary: str, level: str | None = None) -> str:
    """The URL parameter that filters on a term of ``vocabulary`` (and area ``level``), or
    "" when there is no such filter (gebied, the city)."""
    for key, group_vocabulary, group_level in FILTER_GROUPS:
        if group_vocabulary == vocabulary and group_level in (None, level):
            return key
    return ""


def filter_groups(build: BuildContext) -> tuple[FilterGroup, ...]:
    return tuple(
        FilterGroup(key, FILTER_GROUP_NAMES[key], vocabulary, term_links(build, vocabulary, level))
        for key, vocabulary, level in FILTER_GROUPS
    )


def filter_data(build: BuildContext, entry: Entry) -> dict[str, str]:
    """``data-*`` values an overview card carries for the filter script (space-separated ids)."""
    catalog = build.catalog
    return {
        "soort": entry.kind,
        "thema": " ".join(entry.themes),
        "doelgroep": " ".join(entry.audiences),
        "gebied": " ".join(catalog.area_closure(entry)),
    }
