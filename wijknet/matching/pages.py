"""The matching room's outputs: the ``vragen`` page, ``data/matches.json`` and an Atom feed of
open questions per stadsdeel (``feeds/vragen/<stadsdeel>.atom.xml``).

Part of the matching provider (:data:`wijknet.matching.provider.PROVIDER`). Matching runs once per build
(:func:`build_matches`), shared with the entry page sections.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Iterable

from wijknet.content.models import Entry
from wijknet.engine.model import BuildContext, File, Page
from wijknet.feeds import Feed, FeedLink, newest_first, render_feed
from wijknet.jsondump import dump_json
from wijknet.matching.core import (
    GOOD_MATCH_SCORE,
    MAX_MATCHES,
    MIN_SCORE,
    SHOWN_MATCHES,
    WEIGHTS,
    Match,
    Matches,
    match_catalog,
    matching_view,
)
from wijknet.matching.text import TermAnalyzer
from wijknet.taxonomy import Area

MATCHES_FILE = "data/matches.json"
QUESTIONS_PAGE = "vragen"


def build_matches(build: BuildContext) -> Matches:
    """The matching of this build's catalog, computed once and shared.

    With the build's memo, remembered between builds by what matching reads of every entry
    (:func:`~wijknet.matching.core.matching_view`): an edit that changes none of it (contact
    details, the end of a long description) does not match everything again.
    """
    return build.once(_remembered_matches)


class _RememberingAnalyzer:
    """The Dutch analyzer, with each text's terms remembered between builds (by a digest of
    the text): most entries' texts do not change from one build to the next."""

    def __init__(self, analyzer, memo):
        self._analyzer = analyzer
        self._memo = memo
        self.words = analyzer.words
        self.stem = analyzer.stem

    def __call__(self, text: str) -> list[str]:
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        return list(self._memo.keyed("matching-terms", key, lambda: tuple(self._analyzer(text))))


def _remembered_matches(build: BuildContext) -> Matches:
    catalog = build.catalog
    memo = build.cache
    if not memo.active:
        return match_catalog(catalog, TermAnalyzer(build.dutch_analysis()))
    # repr, not pickle: a pickled model holds a set, whose order changes between processes
    key = hashlib.blake2b(repr([matching_view(e) for e in catalog.entries]).encode(), digest_size=20).hexdigest()

    def compute() -> Matches:
        # stored with the questions' slugs: the entries themselves are the catalog's
        matches = match_catalog(catalog, _RememberingAnalyzer(TermAnalyzer(build.dutch_analysis()), memo))
        return dataclasses.replace(matches, questions=tuple(question.slug for question in matches.questions))

    stored = memo.keyed("matching", key, compute)
    return dataclasses.replace(stored, questions=tuple(catalog.by_slug[slug] for slug in stored.questions))


def question_feed_path(stadsdeel_id: str) -> str:
    return f"feeds/vragen/{stadsdeel_id}.atom.xml"


@dataclass(frozen=True)
class QuestionRow:
    """One open question on the ``vragen`` page."""

    entry: Entry
    url: str
    match_count: int
    expires: dt.date


@dataclass(frozen=True)
class QuestionGroup:
    """The open questions of one stadsdeel (or the city-wide ones)."""

    id: str
    title: str
    questions: tuple[QuestionRow, ...]
    feed_url: str | None
    feed_title: str | None


def question_groups(build: BuildContext, matches: Matches) -> list[QuestionGroup]:
    """City-wide questions first, then each stadsdeel with open questions, in taxonomy order;
    newest first within a group (a question's check date is when it was posted or renewed)."""
    catalog, urls = build.catalog, build.urls
    areas = catalog.taxonomy.areas
    city = areas.city

    def row(entry: Entry) -> QuestionRow:
        return QuestionRow(entry, urls.entry(entry.slug), matches.count(entry.slug), entry.question_expires())

    city_wide = [q for q in matches.questions if city.id in q.areas]
    groups = []
    if city_wide:
        groups.append(
            QuestionGroup(city.id, f"In heel {city.label}", tuple(row(q) for q in newest_first(city_wide, limit=None)), None, None)
        )
    for stadsdeel in areas.of_level("stadsdeel"):
        local = [q for q in matches.questions if city.id not in q.areas and stadsdeel.id in catalog.stadsdelen_of(q)]
        if local:
            groups.append(
                QuestionGroup(
                    stadsdeel.id,
                    f"Stadsdeel {stadsdeel.label}",
                    tuple(row(q) for q in newest_first(local, limit=None)),
                    urls.file(question_feed_path(stadsdeel.id)),
                    f"Volg nieuwe vragen in stadsdeel {stadsdeel.label}",
                )
            )
    return groups


def question_feeds(build: BuildContext, matches: Matches) -> list[Feed]:
    """One feed per stadsdeel, empty or not, so a subscription keeps working; city-wide
    questions are in every one."""
    catalog, urls = build.catalog, build.urls
    site_name = catalog.settings.site_name
    page = urls.page(QUESTIONS_PAGE)
    feeds = []
    for stadsdeel in catalog.taxonomy.areas.of_level("stadsdeel"):
        members = [q for q in matches.questions if stadsdeel.id in catalog.stadsdelen_of(q)]
        feeds.append(
            Feed(
                question_feed_path(stadsdeel.id),
                f"{site_name}: vragen in stadsdeel {stadsdeel.label}",
                page,
                newest_first(members),
            )
        )
    return feeds


def feed_links(build: BuildContext) -> list[FeedLink]:
    """The question feeds, for ``<link rel="alternate">`` and the list on the page."""
    catalog, urls = build.catalog, build.urls
    stadsdelen: list[Area] = catalog.taxonomy.areas.of_level("stadsdeel")
    return [
        FeedLink(f"Vragen in stadsdeel {area.label}", urls.file(question_feed_path(area.id))) for area in stadsdelen
    ]


def questions_page(build: BuildContext, matches: Matches) -> Page:
    urls = build.urls
    groups = question_groups(build, matches)
    return Page(
        urls.output_path(urls.page(QUESTIONS_PAGE)),
        "vragen.html",
        {
            "groups": groups,
            "count": len(matches.questions),
            "feeds": feed_links(build),
            "shown_matches": SHOWN_MATCHES,
        },
    )


def _match_record(build: BuildContext, rank: int, match: Match) -> dict[str, Any]:
    catalog, urls = build.catalog, build.urls
    entry = catalog.by_slug[match.entry]
    return {
        "rank": rank,
        "slug": entry.slug,
        "title": entry.title,
        "kind": entry.kind,
        "url": urls.absolute(urls.entry(entry.slug)),
        "score": match.score,
        "parts": dict(match.parts),
        "reasons": list(match.reasons),
        "explanation": match.explanation,
    }


def matches_document(build: BuildContext, matches: Matches) -> dict[str, Any]:
    """``data/matches.json``: every open question with its ranked matches and scores."""
    catalog, urls = build.catalog, build.urls
    questions = []
    for question in matches.questions:  # by slug
        questions.append(
            {
                "slug": question.slug,
                "title": question.title,
                "url": urls.absolute(urls.entry(question.slug)),
                "themes": list(question.themes),
                "audiences": list(question.audiences),
                "areas": list(question.areas),
                "checked": question.checked.isoformat(),
                "expires": question.question_expires().isoformat(),
                "match_count": matches.count(question.slug),
                "matches": [
                    _match_record(build, rank, match)
                    for rank, match in enumerate(matches.by_question.get(question.slug, ()), start=1)
                ],
            }
        )
    return {
        "date": catalog.today.isoformat(),
        "method": {
            "weights": dict(WEIGHTS),
            "min_score": MIN_SCORE,
            "good_match_score": GOOD_MATCH_SCORE,
            "max_matches": MAX_MATCHES,
            "description": (
                "Per open vraag: gewogen gemiddelde van gedeelde thema's, doelgroepen, nabijheid van het "
                "werkgebied, overeenkomst van de tekst en hoe recent het bericht is gecontroleerd (elk 0 tot 1)."
            ),
        },
        "questions": questions,
    }


def matches_json(build: BuildContext, matches: Matches) -> bytes:
    # Compact: the C encoder is ten times faster than the indenting one on thousands of matches.
    return dump_json(matches_document(build, matches)) + b"\n"


def provide(build: BuildContext) -> Iterable[Page | File]:
    """The ``vragen`` page, ``data/matches.json`` and the question feeds."""
    matches = build_matches(build)
    memo = build.cache if build.cache.active else None
    yield questions_page(build, matches)
    yield File(MATCHES_FILE, matches_json(build, matches))
    for feed in question_feeds(build, matches):
        yield File(feed.path, render_feed(build.catalog, build.urls, feed, memo))
