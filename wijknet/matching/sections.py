"""Sections on entry pages (the ``entry_sections`` hook, see :mod:`wijknet.engine.hooks`).

- An open question's page: its best matches with why they fit.
- An initiative's, service's or activity's page: the open questions it matches well
  (score at least :data:`~wijknet.matching.core.GOOD_MATCH_SCORE`).
"""

from __future__ import annotations

from dataclasses import dataclass

from wijknet.content.models import Entry
from wijknet.matching.core import SHOWN_MATCHES, Match
from wijknet.matching.pages import QUESTIONS_PAGE, build_matches
from wijknet.engine.hooks import Section
from wijknet.engine.model import BuildContext

QUESTION_TEMPLATE = "partials/matches_question.html"
ENTRY_TEMPLATE = "partials/matches_entry.html"

ENTRY_QUESTIONS_SHOWN = 5
"""Most open questions listed on one entry page."""


@dataclass(frozen=True)
class MatchItem:
    """One linked entry in a matches section, as the section shows it: the entry, its link
    and why it fits (the ranking decided the order; ``data/matches.json`` has the scores)."""

    entry: Entry
    url: str
    explanation: str
    reasons: tuple[str, ...]


def _item(build: BuildContext, slug: str, match: Match) -> MatchItem:
    entry = build.catalog.by_slug[slug]
    return MatchItem(entry, build.urls.entry(slug), match.explanation, match.reasons)


def entry_sections(build: BuildContext, entry: Entry) -> list[Section]:
    """The matching sections for one entry page (none for closed questions, paused, stopped
    and past entries, and entries that match no open question well)."""
    matches = build_matches(build)
    if entry.slug in matches.by_question:
        items = [_item(build, match.entry, match) for match in matches.for_question(entry.slug, SHOWN_MATCHES)]
        return [
            Section(
                QUESTION_TEMPLATE,
                {
                    "question": entry,
                    "matches": items,
                    "count": matches.count(entry.slug),
                    "questions_url": build.urls.page(QUESTIONS_PAGE),
                },
            )
        ]
    found = matches.for_entry(entry.slug)
    if not found:
        return []
    items = [_item(build, match.question, match) for match in found[:ENTRY_QUESTIONS_SHOWN]]
    return [
        Section(
            ENTRY_TEMPLATE,
            {
                "entry": entry,
                "questions": items,
                "count": len(found),
                "questions_url": build.urls.page(QUESTIONS_PAGE),
            },
        )
    ]
