"""The site's own pages: home, one page per entry, facet pages, the overview, the agenda and
the fixed pages (meedoen, over, toegankelijkheid).

A provider in the sense of :mod:`wijknet.engine.registry`: it returns :class:`Page` objects
(template name plus context) and never renders or writes anything itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from wijknet.content.models import Entry, moment_key
from wijknet.engine import hooks
from wijknet.engine.model import BuildContext, File, Page
from wijknet.engine.registry import Provider
from wijknet.feeds import feed_links
from wijknet.filters import TermLink, filter_groups, filter_param, overview_list, overview_list_name, term_links
from wijknet.service_links import correction_url, correction_via
from wijknet.engine.format import entry_state
from wijknet.taxonomy import VOCABULARY, VOCABULARY_IDS

VOCABULARIES = VOCABULARY_IDS

# How a vocabulary is named on the site (page titles, filter groups).
VOCABULARY_NAMES = {spec.id: (spec.label, spec.label_plural) for spec in VOCABULARY.values()}

STATIC_PAGES = ("meedoen", "over", "toegankelijkheid")
# Entries per facet page: a long list is split over pages linked with rel="prev"/"next", so
# a phone never loads thousands of cards (a city-wide page at 5,000 entries was 2.7 MB).
FACET_PAGE_SIZE = 100
# Cards on a page of the overview. The first page is what a phone loads; with JavaScript
# "Toon meer berichten" adds this many at a time, without it the overview is split over pages.
OVERVIEW_PAGE_SIZE = 24
# Activities on a page of the agenda, in whole days: a new page starts at the first day after
# a page holds this many (a day is never cut in two), so a phone never loads a city's whole
# half year of activities (at 5,000 entries that page was 618 KB of HTML).
AGENDA_PAGE_SIZE = 100
# Where the overview's script finds the cards beyond the first page: the search's manifest,
# which names its document fragments (docs/search.md).
SEARCH_MANIFEST = "search/manifest.json"
# With more pages than this, the page list shows the first, the last and the ones near the
# current page, with a gap ("…") between.
PAGE_LINKS_ALL = 9
HOME_RECENT = 6
HOME_AGENDA = 5


@dataclass(frozen=True)
class TermMention:
    """A term as an entry page or a breadcrumb shows it: its label, linked to its facet page
    when there is one to link to (``url`` is "" when the term has no listed entries)."""

    vocabulary: str
    id: str
    label: str
    url: str


@dataclass(frozen=True)
class Pagination:
    """Where a page stands in a list split over pages (see ``partials/pagination.html``)."""

    number: int
    count: int
    previous_url: str
    next_url: str
    first: int  # position of the first entry on this page (1-based)
    last: int  # position of the last one
    total: int
    links: tuple[tuple[int, str], ...]  # (page number, URL); number 0 marks a gap


def page_links(number: int, count: int, url_of) -> tuple[tuple[int, str], ...]:
    """Links to every page, or with many pages to the first, the last and those near
    ``number``; a (0, "") pair marks a gap."""
    if count <= PAGE_LINKS_ALL:
        shown = list(range(1, count + 1))
    else:
        shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    links: list[tuple[int, str]] = []
    for position, page in enumerate(shown):
        if position and page - shown[position - 1] > 1:
            links.append((0, ""))
        links.append((page, url_of(page)))
    return tuple(links)


def split_over_pages(entries: list, size: int, url_of) -> list[tuple[str, list, Pagination]]:
    """``entries`` cut into pages of ``size``: each page's URL (``url_of(number)``), its
    entries and where it stands; an empty list still has one page."""
    chunks = [entries[start : start + size] for start in range(0, len(entries), size)] or [[]]
    return _paged(chunks, [len(chunk) for chunk in chunks], url_of)


def split_days_over_pages(days: list[tuple[dt.date, list]], size: int, url_of) -> list[tuple[str, list, Pagination]]:
    """``days`` (a date and its entries, in order) cut into pages of whole days, a new page
    starting once a page holds ``size`` entries; each page's URL, its days and where it
    stands (``first``, ``last`` and ``total`` count entries). No days still give one page."""
    groups: list[list[tuple[dt.date, list]]] = [[]]
    held = 0
    for day in days:
        if held >= size:
            groups.append([])
            held = 0
        groups[-1].append(day)
        held += len(day[1])
    return _paged(groups, [sum(len(entries) for _, entries in group) for group in groups], url_of)


def _paged(groups: list[list], counts: list[int], url_of) -> list[tuple[str, list, Pagination]]:
    """Each group as a page: its URL, the group and where it stands, ``counts`` giving the
    entries on each page."""
    count, total = len(groups), sum(counts)
    pages = []
    before = 0
    for number, (group, on_page) in enumerate(zip(groups, counts), 1):
        pagination = Pagination(
            number=number,
            count=count,
            previous_url=url_of(number - 1) if number > 1 else "",
            next_url=url_of(number + 1) if number < count else "",
            first=before + 1,
            last=before + on_page,
            total=total,
            links=page_links(number, count, url_of),
        )
        pages.append((url_of(number), group, pagination))
        before += on_page
    return pages


def by_title(entries: Iterable[Entry]) -> list[Entry]:
    """People look for names: sort lists by title, then slug for a stable order."""
    return sorted(entries, key=lambda entry: (entry.title.casefold(), entry.slug))


def _jsonld(build: BuildContext, entry: Entry) -> str:
    """The entry's schema.org JSON-LD: the first provider's that gives one (the exports)."""
    return next((text for text in hooks.call(build, hooks.entry_jsonld, build, entry) if text), "")


def _sections(build: BuildContext, entry: Entry) -> list[tuple[str, dict]]:
    """What other providers add to the entry page (matching), as (template, context) pairs."""
    found = hooks.call(build, hooks.entry_sections, build, entry)
    return [(section.template, dict(section.context)) for sections in found for section in sections]


def _area_links(build: BuildContext, area_ids: Iterable[str]) -> list[TermLink]:
    """Links to area facet pages, with the number of listed entries in each."""
    catalog, urls = build.catalog, build.urls
    areas = catalog.taxonomy.areas
    links = []
    for area_id in area_ids:
        area = areas.by_id[area_id]
        count = catalog.facet_count("areas", area.id)
        links.append(TermLink("areas", area.id, area.label, count, urls.facet("areas", area.id), area.level))
    return links


def mentions(build: BuildContext, vocabulary: str, term_ids: Iterable[str], always_link: bool = False) -> list[TermMention]:
    """Terms as a page names them: linked to their facet page when it exists (or ``always_link``)."""
    catalog, urls = build.catalog, build.urls
    terms = catalog.taxonomy.vocabulary(vocabulary)
    return [
        TermMention(
            vocabulary,
            term_id,
            terms.label(term_id),
            urls.facet(vocabulary, term_id) if always_link or catalog.facet_count(vocabulary, term_id) else "",
        )
        for term_id in term_ids
    ]


def home_page(build: BuildContext) -> Page:
    catalog = build.catalog
    return Page(
        build.urls.output_path(build.urls.home()),
        "home.html",
        {
            "featured": catalog.featured,
            "recent": catalog.recent(HOME_RECENT),
            "upcoming": catalog.upcoming_activities[:HOME_AGENDA],
            "upcoming_total": len(catalog.upcoming_activities),
            "themes": term_links(build, "themes"),
            "stadsdelen": term_links(build, "areas", "stadsdeel"),
            "kinds": term_links(build, "kinds"),
            "listed_total": len(catalog.listed),
            # what other providers add below the featured entries (see hooks.home_sections)
            "sections": [section for found in hooks.call(build, hooks.home_sections, build) for section in found],
        },
    )


def entry_page(build: BuildContext, entry: Entry) -> Page:
    catalog, urls = build.catalog, build.urls
    url = urls.entry(entry.slug)
    areas = catalog.taxonomy.areas
    city = areas.city.id
    # Nearest parent first, without the city: "wijk (gebied, stadsdeel)".
    parents = {area_id: [areas.by_id[a].label for a in areas.ancestors(area_id) if a != city] for area_id in entry.areas}
    return Page(
        urls.output_path(url),
        "entry.html",
        {
            "entry": entry,
            "state": entry_state(catalog, entry),
            "listed": catalog.is_listed(entry),
            "featured": catalog.is_featured(entry),
            "question_expires": entry.question_expires(),
            "related": catalog.related(entry),
            "sections": _sections(build, entry),
            "jsonld": _jsonld(build, entry),
            "theme_terms": mentions(build, "themes", entry.themes),
            "audience_terms": mentions(build, "audiences", entry.audiences),
            "area_terms": mentions(build, "areas", entry.areas),
            "area_parents": parents,
            # "Klopt er iets niet?": the service's form, or GitHub's edit page without one
            "correction_url": correction_url(catalog.settings, entry),
            "correction_via": correction_via(catalog.settings),
        },
    )


def facet_pages(build: BuildContext, vocabulary: str, term_id: str) -> list[Page]:
    """A facet's list of entries, on as many pages as :data:`FACET_PAGE_SIZE` needs."""
    catalog, urls = build.catalog, build.urls
    term = catalog.taxonomy.vocabulary(vocabulary).by_id[term_id]
    entries = by_title(catalog.facets[vocabulary][term_id])
    context: dict = {
        "vocabulary": vocabulary,
        "vocabulary_name": VOCABULARY_NAMES[vocabulary][0],
        "vocabulary_plural": VOCABULARY_NAMES[vocabulary][1],
        "term": term,
        "count": len(entries),
        "kind_counts": [
            (kind, count)
            for kind in catalog.taxonomy.kinds
            if (count := sum(1 for entry in entries if entry.kind == kind.id))
        ],
        "parents": [],
        "children": [],
        "filter_param": filter_param(vocabulary, getattr(term, "level", None)),
        # the feed of the page's theme or stadsdeel (every page announces the feed of all)
        "feeds": feed_links(catalog, urls, vocabulary, term_id)[1:],
    }
    if vocabulary == "areas":
        areas = catalog.taxonomy.areas
        context["parents"] = mentions(build, "areas", reversed(areas.ancestors(term_id)), always_link=True)  # breadcrumb
        context["children"] = [
            link for link in _area_links(build, areas.children.get(term_id, ())) if link.count
        ]
        context["level"] = term.level
    return [
        Page(urls.output_path(url), "facet.html", {**context, "entries": chunk, "pagination": pagination})
        for url, chunk, pagination in split_over_pages(entries, FACET_PAGE_SIZE, lambda n: urls.facet_page(vocabulary, term_id, n))
    ]


def facet_index_page(build: BuildContext, vocabulary: str) -> Page:
    catalog, urls = build.catalog, build.urls
    context: dict = {
        "vocabulary": vocabulary,
        "vocabulary_name": VOCABULARY_NAMES[vocabulary][0],
        "vocabulary_plural": VOCABULARY_NAMES[vocabulary][1],
        "terms": term_links(build, vocabulary),
        "tree": [],
    }
    if vocabulary == "areas":
        # Areas as a tree: each stadsdeel with the gebieden and wijken below it that have entries.
        areas = catalog.taxonomy.areas
        tree = []
        for stadsdeel in term_links(build, "areas", "stadsdeel"):
            below = [link for link in _area_links(build, areas.descendants(stadsdeel.id)) if link.count]
            tree.append((stadsdeel, below))
        context["tree"] = tree
        context["city"] = _area_links(build, [areas.city.id])[0]
    return Page(urls.output_path(urls.facet_index(vocabulary)), "facet_index.html", context)


def overview_url(build: BuildContext, number: int) -> str:
    """Page ``number`` of the overview (page 1 is ``overzicht/`` itself), numbered like the
    facet pages (``overzicht/pagina/2/``)."""
    urls = build.urls
    return urls.page("overzicht") if number <= 1 else urls.page(f"overzicht/pagina/{number}")


def overview_pages(build: BuildContext) -> list[Page | File]:
    """The overview: every listed entry in title order, :data:`OVERVIEW_PAGE_SIZE` a page,
    each page with the filter groups and their counts for all entries; and the overview list
    the first page's script loads to filter them and show more (see :func:`overview_list`)."""
    catalog, urls = build.catalog, build.urls
    entries = by_title(catalog.listed)
    data = overview_list(build, entries)
    list_path = overview_list_name(data)
    context: dict = {
        "groups": filter_groups(build),
        "count": len(entries),
        "page_size": OVERVIEW_PAGE_SIZE,
        "overview_list": urls.file(list_path),
        "search_manifest": urls.file(SEARCH_MANIFEST),
    }
    items: list[Page | File] = [File(list_path, data)]
    for url, chunk, pagination in split_over_pages(entries, OVERVIEW_PAGE_SIZE, lambda number: overview_url(build, number)):
        items.append(Page(urls.output_path(url), "overview.html", {**context, "entries": chunk, "pagination": pagination}))
    return items


def agenda_days(build: BuildContext) -> list[tuple[dt.date, list[Entry]]]:
    """Upcoming activities grouped by day; one that already began is listed under today."""
    today = build.catalog.today
    days: dict[dt.date, list[Entry]] = {}
    for entry in build.catalog.upcoming_activities:
        start_day = moment_key(entry.when.start).date()
        days.setdefault(max(start_day, today), []).append(entry)
    return sorted(days.items())


def agenda_url(build: BuildContext, number: int) -> str:
    """Page ``number`` of the agenda (page 1 is ``agenda/`` itself), numbered like the
    overview's pages (``agenda/pagina/2/``)."""
    urls = build.urls
    return urls.page("agenda") if number <= 1 else urls.page(f"agenda/pagina/{number}")


def agenda_pages(build: BuildContext) -> list[Page]:
    """The agenda: upcoming activities by day, :data:`AGENDA_PAGE_SIZE` or a little more
    (whole days) a page, the pages linked with rel="prev"/"next"."""
    urls = build.urls
    return [
        Page(urls.output_path(url), "agenda.html", {"days": days, "pagination": pagination})
        for url, days, pagination in split_days_over_pages(agenda_days(build), AGENDA_PAGE_SIZE, lambda n: agenda_url(build, n))
    ]


def static_pages(build: BuildContext) -> list[Page]:
    urls = build.urls
    return [Page(urls.output_path(urls.page(name)), f"{name}.html", {}) for name in STATIC_PAGES]


NOT_FOUND_PATH = "404.html"
"""The page a web server shows for a missing path (GitHub Pages and ``wijknet serve`` use
this name); its links are root-relative, so it works at any depth."""


def not_found_page(build: BuildContext) -> Page:
    return Page(NOT_FOUND_PATH, "404.html", {})


def provide(build: BuildContext) -> Iterable[Page]:
    """Every page this module owns."""
    catalog = build.catalog
    yield home_page(build)
    for entry in catalog.entries:  # gestopt too: its page says so
        yield entry_page(build, entry)
    for vocabulary in VOCABULARIES:
        yield facet_index_page(build, vocabulary)
        for term_id in catalog.facets[vocabulary]:
            yield from facet_pages(build, vocabulary, term_id)
    yield from overview_pages(build)
    yield from agenda_pages(build)
    yield from static_pages(build)
    yield not_found_page(build)


PROVIDER = Provider("site", provide)
"""The site pages: home, entries, facets, overview, agenda, static pages."""
