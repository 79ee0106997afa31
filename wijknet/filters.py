"""The overview's filters, for every page that filters entries the same way (the overview,
the map): the groups, their URL parameters and what each entry carries for them.

A filter group is a URL parameter (``?thema=geld&stadsdeel=oost``) over the terms of one
vocabulary (for areas: of one level). Within a group terms combine with OR, between groups
with AND (``theme/static/js/filters.js``). Without JavaScript every option is a link to the
term's own page.

The overview shows its first page of cards in the HTML; to filter all entries and show more
the browser loads one small file, the *overview list* (:func:`overview_list`), and takes the
cards themselves from the search's document fragments (``docs/search.md``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

from wijknet.content.models import Entry
from wijknet.engine.model import BuildContext
from wijknet.jsondump import dump_json

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


OVERVIEW_LIST_FORMAT = 1


def overview_list(build: BuildContext, entries: Sequence[Entry]) -> bytes:
    """The overview list: what the overview's script needs to filter ``entries`` (the listed
    entries in the overview's order) and to find their cards, written once per build.

    ``lijst`` holds one row per entry in that order: ``[position, kind, [themes], [target
    groups], [areas]]``. ``position`` is the entry's place among the listed entries, which is
    its ref in the search index (base 36 there) and so tells which document fragment holds
    its card; the other values are positions in the id lists at the top. ``ouders`` gives each
    area's parent (-1 for none), so the script rolls an area up to the stadsdelen and wijken
    around it as :meth:`Catalog.area_closure` does; ``soortnamen`` and ``gebiedsnamen`` are
    the labels a card shows. ``berichten`` is the number of listed entries (the fragments'
    ``documents``), to see that both come from the same build.
    """
    catalog = build.catalog
    taxonomy = catalog.taxonomy
    kinds, themes, audiences, areas = (
        taxonomy.kinds.ids(),
        taxonomy.themes.ids(),
        taxonomy.audiences.ids(),
        taxonomy.areas.ids(),
    )
    kind_at, theme_at, audience_at, area_at = (
        {term: index for index, term in enumerate(ids)} for ids in (kinds, themes, audiences, areas)
    )
    position_of = {entry.slug: position for position, entry in enumerate(catalog.listed)}
    rows = [
        [
            position_of[entry.slug],
            kind_at[entry.kind],
            [theme_at[term] for term in entry.themes],
            [audience_at[term] for term in entry.audiences],
            [area_at[term] for term in entry.areas],
        ]
        for entry in entries
    ]
    return dump_json(
        {
            "formaat": OVERVIEW_LIST_FORMAT,
            "berichten": len(position_of),
            "soorten": kinds,
            "soortnamen": [term.label for term in taxonomy.kinds],
            "themas": themes,
            "doelgroepen": audiences,
            "gebieden": areas,
            "gebiedsnamen": [area.label for area in taxonomy.areas],
            "ouders": [area_at.get(area.parent, -1) if area.parent else -1 for area in taxonomy.areas],
            "lijst": rows,
        }
    )


def overview_list_name(data: bytes) -> str:
    """Where the overview list is written: its name carries a hash of its bytes, so it can
    be cached for good (like the search's shards)."""
    return f"overzicht/lijst.{hashlib.sha256(data).hexdigest()[:10]}.json"
