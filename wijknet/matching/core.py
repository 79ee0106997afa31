"""Vraag en aanbod: rank the initiatives, services and activities that can answer a question.

For every open question (a listed, active ``vraag`` that has not expired on the build date)
every candidate (a listed, active ``initiatief``, ``voorziening`` or upcoming ``activiteit``)
that shares at least one theme gets a score between 0 and 1: the weighted mean of five parts,
each between 0 and 1 (see the weights below):

- themes: mostly the share of the question's themes the entry has, partly the share of the
  entry's themes the question has (so that an entry tagged with everything is no universal fit);
- target groups: the share of the question's target groups the entry serves (an entry for
  ``iedereen`` gets partial credit; "professionals" usually names the asker and is left out);
- area nearness: same wijk > same gebied > same stadsdeel > city-wide > the rest by the
  distance between area centroids;
- text: the cosine similarity of the question's and the entry's Dutch terms (stemmed, stop
  words removed, weighted by rarity);
- freshness: how recently a person checked the entry (``gecontroleerd``).

Ties are broken by slug, so the ranking is the same on every run. Everything is precomputed
once per catalog (:class:`MatchIndex`) so that a build with thousands of entries stays fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.content.rules import ACTIVITY, FACILITY, INITIATIVE, QUESTION
from wijknet.matching.text import Analyze, dutch_analyzer, term_words
from wijknet.taxonomy import AreaTree

# --- weights ---------------------------------------------------------------------------

THEME_WEIGHT = 3.0
"""Weight of the shared themes: with the text the strongest signal of what a question is about."""

AUDIENCE_WEIGHT = 1.5
"""Weight of the share of the question's target groups the entry serves."""

AREA_WEIGHT = 1.5
"""Weight of area nearness: help nearby is better, but a specialised service further away
often answers a question better than a general one next door."""

TEXT_WEIGHT = 4.0
"""Weight of the text similarity (after :data:`TEXT_SATURATION`): the words of a question say
what is needed more precisely than its themes."""

FRESHNESS_WEIGHT = 0.5
"""Weight of freshness: a recently checked entry is more likely to still be there."""

WEIGHTS: dict[str, float] = {
    "themes": THEME_WEIGHT,
    "audiences": AUDIENCE_WEIGHT,
    "area": AREA_WEIGHT,
    "text": TEXT_WEIGHT,
    "freshness": FRESHNESS_WEIGHT,
}
"""The weights by part; the score is the weighted mean of the parts."""

# --- how each part is measured -------------------------------------------------------------

NEARNESS_BY_LEVEL: dict[str, float] = {"wijk": 1.0, "gebied": 0.75, "stadsdeel": 0.5}
"""Nearness when the question and the entry share an area of this level (the deepest one)."""

CITY_WIDE_NEARNESS = 0.35
"""Nearness of a city-wide entry, and of every entry for a city-wide question."""

FAR_NEARNESS_MAX = 0.3
"""Nearness of an entry in another stadsdeel at distance 0; it decays with the distance, so
such entries always rank below city-wide ones with otherwise equal parts."""

FAR_SCALE_KM = 4.0
"""Distance over which the nearness of an entry in another stadsdeel falls by a factor e."""

THEME_SPECIFICITY_SHARE = 0.3
"""Part of the theme score that rewards focus: the share of the entry's own themes that the
question has. The rest is the share of the question's themes the entry covers. Without it an
entry tagged with every theme would fit every question."""

ASKER_AUDIENCES: tuple[str, ...] = ("professionals",)
"""Target groups that in a question usually name who asks, not who needs help; they are left
out of the target-group part when the question names other groups too."""

EVERYONE_AUDIENCE = "iedereen"
"""The target group that means "everyone"."""

EVERYONE_AUDIENCE_CREDIT = 0.5
"""Target-group part for an entry for everyone that shares no specific target group."""

TEXT_SATURATION = 0.35
"""Cosine similarity that already counts as a full text match; texts of different lengths
rarely get higher."""

FRESHNESS_HORIZON_DAYS = 730
"""An entry checked this many days ago or longer gets no freshness credit."""

COMMON_TERM_SHARE = 0.2
"""Terms found in more than this share of the candidates are ignored in the text part: they
say little about fit ("buurt", "week", boilerplate) and would make matching slow."""

COMMON_TERM_MIN_ENTRIES = 50
"""A term is only ever "common" when it is in more than this many candidates: in a small
catalog every shared word still counts."""

DESCRIPTION_CHARS = 1_000
"""Only the start of a description is read: it says what the entry is about, and long texts
would slow the build without improving the ranking."""

# --- what is kept and shown ------------------------------------------------------------

MAX_MATCHES = 10
"""Matches kept per question (in ``data/matches.json``)."""

SHOWN_MATCHES = 5
"""Matches shown on a question's page."""

MIN_SCORE = 0.35
"""Below this score an entry is not a match at all."""

GOOD_MATCH_SCORE = 0.5
"""An entry page lists the open questions for which it is a match with at least this score."""

REASON_WORDS = 3
"""Most shared words named in an explanation."""

REASON_WORD_MIN_LENGTH = 4
"""Shorter shared words ("ken", "wil") say little about why an entry fits, so they are not named."""

TEXT_REASON_MIN = 0.25
"""Shared words are named only when the text part is at least this large."""

RECENT_CHECK_DAYS = 30
"""An entry checked this recently is explained as "onlangs gecontroleerd"."""

CANDIDATE_KINDS = (INITIATIVE, FACILITY, ACTIVITY)
QUESTION_KIND = QUESTION


# --- who takes part -------------------------------------------------------------------------


def is_open_question(catalog: Catalog, entry: Entry) -> bool:
    """A question that is listed, active and not expired on ``catalog.today``."""
    return entry.kind == QUESTION_KIND and entry.status == "actief" and catalog.is_listed(entry)


def is_candidate(catalog: Catalog, entry: Entry) -> bool:
    """An entry that may answer questions: listed, active, and not a past activity."""
    return (
        entry.kind in CANDIDATE_KINDS
        and entry.status == "actief"
        and catalog.is_listed(entry)
        and not catalog.is_past_activity(entry)
    )


def open_questions(catalog: Catalog) -> tuple[Entry, ...]:
    """Every open question, by slug."""
    return tuple(entry for entry in catalog.entries if is_open_question(catalog, entry))


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """One entry as an answer to one question."""

    question: str
    entry: str
    score: float
    parts: Mapping[str, float]
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The reasons in one line, e.g. "zelfde thema: eenzaamheid · in de Transvaalbuurt"."""
        return " · ".join(self.reasons)


@dataclass(frozen=True)
class Matches:
    """The matching of one catalog: per question its ranked matches, per entry its questions."""

    questions: tuple[Entry, ...]
    by_question: Mapping[str, tuple[Match, ...]]
    by_entry: Mapping[str, tuple[Match, ...]] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)

    def for_question(self, slug: str, limit: int = SHOWN_MATCHES) -> tuple[Match, ...]:
        """The best matches of an open question (empty for anything else)."""
        return self.by_question.get(slug, ())[:limit]

    def count(self, slug: str) -> int:
        """How many entries match an open question (not only the ones kept)."""
        return self.counts.get(slug, 0)

    def for_entry(self, slug: str) -> tuple[Match, ...]:
        """The open questions an entry matches well, best first."""
        return self.by_entry.get(slug, ())


# --- explanations ---------------------------------------------------------------------------


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _listing(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} en {labels[-1]}"


def area_phrase(areas: AreaTree, area_id: str) -> str:
    """Where something is, as Dutch words: "in de Transvaalbuurt", "in gebied Oud-Oost"."""
    area = areas.by_id[area_id]
    if area.level == "stad":
        return f"in heel {area.label}"
    if area.level == "stadsdeel":
        return f"in stadsdeel {area.label}"
    if area.level == "gebied":
        return f"in gebied {area.label}"
    if area.label.lower().endswith("buurt") and not area.label.lower().startswith("de "):
        return f"in de {area.label}"
    return f"in wijk {area.label}"


def distance_phrase(km: float) -> str:
    """A distance in Dutch notation: "3,2 km verderop"."""
    return f"{km:.1f}".replace(".", ",") + " km verderop"


# --- areas ------------------------------------------------------------------------------------

_NEARNESS_LEVELS = ("wijk", "gebied", "stadsdeel")  # deepest first


class AreaTable:
    """How near every area is to every other, computed once per taxonomy with numpy.

    Row: the question's area; column: the entry's area. The extra last column is padding
    (nearness 0) for entries with fewer areas than the widest one.
    """

    def __init__(self, areas: AreaTree):
        self.areas = areas
        self.ids: list[str] = areas.ids()
        self.position = {area_id: index for index, area_id in enumerate(self.ids)}
        size = len(self.ids)
        self.pad = size
        # For each area, its own index or its ancestor's at each level (-1 when none).
        at_level = {level: np.full(size, -1, dtype=np.intp) for level in _NEARNESS_LEVELS}
        for index, area_id in enumerate(self.ids):
            for candidate in areas.with_ancestors(area_id):
                level = areas.level_of(candidate)
                if level in at_level:
                    at_level[level][index] = self.position[candidate]
        # The deepest area both lie in (below the city), or -1.
        self.shared = np.full((size, size), -1, dtype=np.intp)
        shared_nearness = np.zeros((size, size), dtype=np.float64)
        for level in _NEARNESS_LEVELS:
            column = at_level[level]
            same = (column[:, None] == column[None, :]) & (column[:, None] >= 0) & (self.shared < 0)
            self.shared = np.where(same, column[:, None], self.shared)
            shared_nearness = np.where(same, NEARNESS_BY_LEVEL[level], shared_nearness)
        is_city = np.array([areas.level_of(area_id) == "stad" for area_id in self.ids])
        self.city_wide = is_city[:, None] | is_city[None, :]
        # Distances between centroids (NaN when an area has none).
        lat = np.radians([area.centroid.lat if area.centroid else np.nan for area in areas.terms])
        lon = np.radians([area.centroid.lon if area.centroid else np.nan for area in areas.terms])
        h = np.sin((lat[None, :] - lat[:, None]) / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(
            (lon[None, :] - lon[:, None]) / 2
        ) ** 2
        self.km = 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        far = np.nan_to_num(FAR_NEARNESS_MAX * np.exp(-self.km / FAR_SCALE_KM), nan=0.0)
        nearness = np.where(self.city_wide, CITY_WIDE_NEARNESS, np.where(self.shared >= 0, shared_nearness, far))
        self.nearness = np.zeros((size, size + 1), dtype=np.float64)
        self.nearness[:, :size] = nearness

    def where(self, question_areas: list[str], entry_areas: list[str]) -> str | None:
        """The area reason for the nearest pair of areas, in Dutch."""
        best = None
        for question_area in question_areas:
            row = self.position[question_area]
            for entry_area in entry_areas:
                column = self.position[entry_area]
                key = (self.nearness[row, column], -row, -column)
                if best is None or key > best[0]:
                    best = (key, row, column)
        if best is None:
            return None
        _, row, column = best
        if self.city_wide[row, column]:
            city = self.areas.city.id
            return area_phrase(self.areas, city) if city in entry_areas else None
        if self.shared[row, column] >= 0:
            return area_phrase(self.areas, self.ids[self.shared[row, column]])
        if not math.isnan(self.km[row, column]):
            return distance_phrase(float(self.km[row, column]))
        return None


def target_audiences(question: Entry) -> list[str]:
    """The target groups of a question that say who needs help (see :data:`ASKER_AUDIENCES`)."""
    wanted = [a for a in question.audiences if a not in ASKER_AUDIENCES]
    return wanted or list(question.audiences)


def entry_text(entry: Entry) -> str:
    """The text matching reads: title, summary, organisation and the start of the description."""
    parts = [entry.title, entry.summary, entry.organisation or "", entry.description[:DESCRIPTION_CHARS]]
    return "\n".join(parts)


def bits(positions: Mapping[str, int], terms: list[str]) -> int:
    """The bit set of ``terms``."""
    value = 0
    for term in terms:
        value |= positions[term]
    return value


# --- the index ---------------------------------------------------------------------------------


class MatchIndex:
    """Everything about the candidates that does not depend on the question, computed once."""

    def __init__(self, catalog: Catalog, analyze: Analyze | None = None):
        self.catalog = catalog
        self.analyze = analyze or dutch_analyzer()
        taxonomy = catalog.taxonomy
        self.candidates: tuple[Entry, ...] = tuple(e for e in catalog.entries if is_candidate(catalog, e))
        self.position = {entry.slug: index for index, entry in enumerate(self.candidates)}
        count = len(self.candidates)
        self.area_table = AreaTable(taxonomy.areas)
        self.theme_labels = {term.id: _lower_first(term.label) for term in taxonomy.themes}
        self.audience_labels = {term.id: _lower_first(term.label) for term in taxonomy.audiences}

        # Themes and target groups as bit sets: counting shared terms is then one AND and one
        # popcount per candidate.
        if max(len(taxonomy.themes), len(taxonomy.audiences)) > 64:
            raise ValueError("matching supports at most 64 themes and 64 target groups")
        self.theme_bit = {term: 1 << index for index, term in enumerate(taxonomy.themes.ids())}
        self.audience_bit = {term: 1 << index for index, term in enumerate(taxonomy.audiences.ids())}
        self.themes = np.zeros(count, dtype=np.uint64)
        self.theme_counts = np.zeros(count, dtype=np.float64)
        self.audiences = np.zeros(count, dtype=np.uint64)
        self.for_everyone = np.zeros(count, dtype=bool)
        width = max((len(e.areas) for e in self.candidates), default=1)
        self.entry_areas = np.full((count, width), self.area_table.pad, dtype=np.intp)
        self.freshness = np.zeros(count, dtype=np.float64)

        # Place names count in the area part; in the text they would count twice.
        self.place_terms = frozenset(
            term for area in taxonomy.areas for term in self.analyze(area.label.replace("/", " "))
        )
        self.entry_terms: list[frozenset[str]] = []
        postings: dict[str, list[int]] = {}
        today = catalog.today
        for index, entry in enumerate(self.candidates):
            self.themes[index] = bits(self.theme_bit, entry.themes)
            self.theme_counts[index] = max(1, len(entry.themes))
            self.audiences[index] = bits(self.audience_bit, entry.audiences)
            self.for_everyone[index] = EVERYONE_AUDIENCE in entry.audiences
            for slot, area in enumerate(entry.areas):
                self.entry_areas[index, slot] = self.area_table.position[area]
            self.freshness[index] = max(0.0, 1.0 - (today - entry.checked).days / FRESHNESS_HORIZON_DAYS)
            own_terms = frozenset(self.analyze(entry_text(entry))) - self.place_terms
            self.entry_terms.append(own_terms)
            for term in own_terms:
                postings.setdefault(term, []).append(index)

        # Text: rarer terms weigh more (squared idf, as in a cosine of idf-weighted vectors).
        self.idf: dict[str, float] = {}
        self.postings: dict[str, np.ndarray] = {}
        squares = np.zeros(count, dtype=np.float64)
        common = max(COMMON_TERM_MIN_ENTRIES, COMMON_TERM_SHARE * count)
        for term in sorted(postings):
            if len(postings[term]) > common:
                continue
            members = np.asarray(postings[term], dtype=np.intp)
            weight = math.log(1.0 + count / len(members))
            self.idf[term] = weight
            self.postings[term] = members
            squares[members] += weight * weight
        self.text_norm = np.sqrt(squares)
        # rarest first, then alphabetical: the order shared words are named in
        self.term_order = {term: n for n, term in enumerate(sorted(self.idf, key=lambda t: (-self.idf[t], t)))}
        self.text_norm[self.text_norm == 0] = 1.0

    # -- one question -------------------------------------------------------------------------

    def question_terms(self, question: Entry, headline: bool = False) -> dict[str, str]:
        """The question's terms (without place names), each with the word it came from; with
        ``headline`` only those of its title and summary."""
        text = f"{question.title}\n{question.summary}" if headline else entry_text(question)
        return {term: word for term, word in term_words(self.analyze, text).items() if term not in self.place_terms}

    def scores(
        self, question: Entry, terms: Mapping[str, str] | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
        """The score and its parts for every candidate that shares a theme with ``question``,
        and those candidates' indices (in slug order)."""
        terms = self.question_terms(question) if terms is None else terms
        shared_all = np.bitwise_count(self.themes & np.uint64(bits(self.theme_bit, question.themes)))
        chosen = np.flatnonzero(shared_all)
        shared = shared_all[chosen].astype(np.float64)
        theme_part = (1 - THEME_SPECIFICITY_SHARE) * shared / max(1, len(question.themes))
        theme_part = theme_part + THEME_SPECIFICITY_SHARE * shared / self.theme_counts[chosen]

        wanted = target_audiences(question)
        if wanted:
            wanted_bits = np.uint64(bits(self.audience_bit, wanted))
            audience_part = np.bitwise_count(self.audiences[chosen] & wanted_bits) / len(wanted)
            if any(a != EVERYONE_AUDIENCE for a in wanted):
                everyone = (audience_part == 0) & self.for_everyone[chosen]
                audience_part = np.where(everyone, EVERYONE_AUDIENCE_CREDIT, audience_part)
        else:
            audience_part = np.zeros(chosen.size)

        rows = [self.area_table.position[area] for area in question.areas]
        per_area = self.area_table.nearness[rows].max(axis=0)
        area_part = per_area[self.entry_areas[chosen]].max(axis=1)

        known = [term for term in sorted(terms) if term in self.postings]
        if known:
            members = np.concatenate([self.postings[term] for term in known])
            weights = np.repeat([self.idf[term] ** 2 for term in known], [self.postings[term].size for term in known])
            dot = np.bincount(members, weights=weights, minlength=len(self.candidates))[chosen]
            query_norm = math.sqrt(sum(self.idf[term] ** 2 for term in known))
            text_part = np.minimum(1.0, dot / (self.text_norm[chosen] * query_norm) / TEXT_SATURATION)
        else:
            text_part = np.zeros(chosen.size)

        parts = {
            "themes": theme_part,
            "audiences": audience_part,
            "area": area_part,
            "text": text_part,
            "freshness": self.freshness[chosen],
        }
        total = sum(WEIGHTS[name] * value for name, value in parts.items()) / sum(WEIGHTS.values())
        return total, parts, chosen

    def rank(self, question: Entry, limit: int = MAX_MATCHES) -> tuple[tuple[Match, ...], int]:
        """The best candidates for ``question``, best first, ties by slug; and how many
        candidates scored at least :data:`MIN_SCORE` in all."""
        if not self.candidates:
            return (), 0
        terms = self.question_terms(question)
        total, parts, chosen = self.scores(question, terms)
        # Rounded before sorting so that float noise never reorders equal scores.
        rounded = np.round(total, 6)
        keep = np.flatnonzero(rounded >= MIN_SCORE)
        # ``chosen`` is in slug order, so its index breaks ties by slug
        order = keep[np.lexsort((keep, -rounded[keep]))][:limit]
        # Explanations name words of the question's title and summary only: the words of a
        # description ("krijgt", "mail") match often but say little.
        headline = self.question_terms(question, headline=True) if order.size else {}
        scores = total[order].tolist()
        columns = {name: np.round(values[order], 4).tolist() for name, values in parts.items()}
        matches = tuple(
            self._match(question, int(chosen[i]), scores[n], {name: column[n] for name, column in columns.items()}, headline)
            for n, i in enumerate(order)
        )
        return matches, int(keep.size)

    def _match(
        self, question: Entry, index: int, score: float, parts: dict[str, float], terms: Mapping[str, str]
    ) -> Match:
        entry = self.candidates[index]
        return Match(
            question=question.slug,
            entry=entry.slug,
            score=round(score, 4),
            parts=parts,
            reasons=self.reasons(question, index, parts, terms),
        )

    # -- explanations -------------------------------------------------------------------------

    def reasons(
        self, question: Entry, index: int, parts: Mapping[str, float], terms: Mapping[str, str]
    ) -> tuple[str, ...]:
        """Why candidate ``index`` fits ``question``, in short Dutch phrases."""
        entry = self.candidates[index]
        reasons: list[str] = []
        themes = [self.theme_labels[t] for t in question.themes if t in entry.themes]
        if themes:
            reasons.append(("zelfde thema's: " if len(themes) > 1 else "zelfde thema: ") + _listing(themes))
        groups = [
            self.audience_labels[a]
            for a in target_audiences(question)
            if a in entry.audiences and a != EVERYONE_AUDIENCE
        ]
        if groups:
            reasons.append("ook voor " + _listing(groups))
        where = self.area_table.where(question.areas, entry.areas)
        if where:
            reasons.append(where)
        if parts["text"] >= TEXT_REASON_MIN:
            words = self.shared_words(index, terms)
            if words:
                reasons.append("zelfde woorden: " + ", ".join(words))
        if (self.catalog.today - entry.checked).days <= RECENT_CHECK_DAYS:
            reasons.append("onlangs gecontroleerd")
        return tuple(reasons)

    def shared_words(self, index: int, terms: Mapping[str, str]) -> list[str]:
        """Up to :data:`REASON_WORDS` shared words, rarest first, as written in the question."""
        order = self.term_order
        shared = sorted((t for t in self.entry_terms[index].intersection(terms) if t in order), key=order.__getitem__)
        words = [terms[term] for term in shared if len(terms[term]) >= REASON_WORD_MIN_LENGTH]
        return words[:REASON_WORDS]


# --- the whole catalog ------------------------------------------------------------------------


def matching_view(entry: Entry) -> tuple:
    """Every field of an entry that matching reads (directly or through the catalog's
    ``is_listed``/``is_past_activity``/``question_expires``), and nothing else: two catalogs
    whose entries have the same views on the same day match the same. Keep this in step
    with the code above; ``tests/perf`` checks that other fields do not change the matches."""
    return (
        entry.slug, entry.kind, entry.status, tuple(entry.themes), tuple(entry.audiences), tuple(entry.areas),
        entry.checked, entry.when, entry.expires, entry_text(entry),
    )  # fmt: skip



def match_catalog(catalog: Catalog, analyze: Analyze | None = None) -> Matches:
    """Match every open question of ``catalog`` against every candidate."""
    index = MatchIndex(catalog, analyze)
    questions = open_questions(catalog)
    ranked = {question.slug: index.rank(question) for question in questions}
    by_question = {slug: matches for slug, (matches, _) in ranked.items()}
    by_entry: dict[str, list[Match]] = {}
    for slug in sorted(by_question):
        for match in by_question[slug]:
            if match.score >= GOOD_MATCH_SCORE:
                by_entry.setdefault(match.entry, []).append(match)
    return Matches(
        questions=questions,
        by_question=by_question,
        counts={slug: count for slug, (_, count) in ranked.items()},
        by_entry={
            slug: tuple(sorted(found, key=lambda m: (-m.score, m.question)))
            for slug, found in sorted(by_entry.items())
        },
    )
