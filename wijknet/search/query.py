"""The query side of search, in Python: the reference that ``search.js`` mirrors.

A query is cleaned into words (the same normalisation as the index, stop words dropped;
all lunr query syntax disappears with the punctuation, and queries are built with lunr's
programmatic API, so no input can throw). Each word becomes a *group* of lunr clauses:

- its stem, exactly, in the text fields;
- for the last word, also its stem as a prefix (results update while typing);
- in the typo pass, for words of 5+ letters, its stem with edit distance 1;
- the token of every taxonomy term whose label, plural or synonym matches the query's
  words there (longest phrase wins; "senioren" → ouderen, "nieuw west" → Nieuw-West).

lunr scores all clauses together; the ranking then puts documents that match every word
group first (an AND over words that still lets one word match a synonym *or* the text),
then by score, then by ref. When no document matches every word, a second pass adds the
typo clauses and is used if it covers more words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lunr.index import Index
from lunr.query import Query

from wijknet.dutch.analysis import DutchAnalysis
from wijknet.search.index import TOKEN_FIELD

MAX_WORDS = 8
PREFIX_MIN = 3  # shortest last word that is also matched as a prefix
PHRASE_PREFIX_MIN = 3  # shortest last word that may complete a taxonomy phrase
FUZZY_MIN = 5  # shortest word that gets edit distance 1 in the typo pass
# Clause boosts weigh clauses within one field (lunr divides by the query vector's length per
# field), so only exact : prefix : fuzzy matters; tokens are weighed by the field boost of "c".
BOOST = {"exact": 10, "prefix": 3, "fuzzy": 2, "token": 1}
SCORE_SCALE = 1_000_000  # scores are compared as integers so Python and JS tie alike


@dataclass(frozen=True)
class Clause:
    term: str
    kind: str  # exact | prefix | fuzzy | token
    fields: tuple[str, ...]
    boost: int

    def matches(self, index_term: str) -> bool:
        if self.kind == "prefix":
            return index_term.startswith(self.term)
        if self.kind == "fuzzy":
            return within_one_edit(index_term, self.term)
        return index_term == self.term


@dataclass
class Hit:
    ref: str
    score: float
    coverage: int
    terms: tuple[str, ...]  # matched index terms (stems), for highlighting


@dataclass
class SearchResult:
    words: list[str]
    hits: list[Hit] = field(default_factory=list)
    typo: bool = False

    @property
    def refs(self) -> list[str]:
        return [hit.ref for hit in self.hits]


def within_one_edit(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours (or none)
    turns ``a`` into ``b``: lunr's edit distance 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def query_words(text: str, analysis: DutchAnalysis) -> list[str]:
    """The words a query searches for: normalised, no stop words, no repeats, at most 8."""
    words: list[str] = []
    for word in analysis.words(text):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


class Phrases:
    """Taxonomy labels and synonyms as stem sequences, from ``search/taxonomy.json``."""

    def __init__(self, taxonomy: dict[str, Any], analysis: DutchAnalysis):
        self.items: list[tuple[tuple[str, ...], str]] = []
        for vocabulary in sorted(taxonomy):
            for term_id in sorted(taxonomy[vocabulary]):
                term = taxonomy[vocabulary][term_id]
                for phrase in term["phrases"]:
                    stems = tuple(analysis.stem(word) for word in phrase.split() if word not in analysis.stop_words)
                    if stems:
                        self.items.append((stems, term["token"]))

    def match(self, stems: list[str], prefix_last: bool, fuzzy: bool) -> list[tuple[int, int, str]]:
        """``(start, end, token)`` spans where a phrase matches the query's stems; spans
        inside a longer matching span are dropped."""
        found: list[tuple[int, int, str]] = []
        last = len(stems) - 1
        for start in range(len(stems)):
            for phrase, token in self.items:
                end = start + len(phrase) - 1
                if end > last:
                    continue
                ok = True
                for offset, stem in enumerate(phrase):
                    query_stem = stems[start + offset]
                    if stem == query_stem:
                        continue
                    at_end = start + offset == end
                    if at_end and prefix_last and end == last and len(query_stem) >= PHRASE_PREFIX_MIN and stem.startswith(query_stem):
                        continue
                    if fuzzy and len(phrase) == 1 and len(query_stem) >= FUZZY_MIN and within_one_edit(stem, query_stem):
                        continue
                    ok = False
                    break
                if ok and (start, end, token) not in found:
                    found.append((start, end, token))
        return [
            span
            for span in found
            if not any(
                other[0] <= span[0] and span[1] <= other[1] and other[1] - other[0] > span[1] - span[0] for other in found
            )
        ]


def plan(
    words: list[str], stem, phrases: Phrases, text_fields: tuple[str, ...], fuzzy: bool, prefix_last: bool = True
) -> list[list[Clause]]:
    """One group of clauses per word (see the module docstring)."""
    stems = [stem(word) for word in words]
    groups: list[list[Clause]] = []
    for position, word in enumerate(words):
        group = [Clause(stems[position], "exact", text_fields, BOOST["exact"])]
        if prefix_last and position == len(words) - 1 and len(word) >= PREFIX_MIN:
            group.append(Clause(stems[position], "prefix", text_fields, BOOST["prefix"]))
        if fuzzy and len(word) >= FUZZY_MIN:
            group.append(Clause(stems[position], "fuzzy", text_fields, BOOST["fuzzy"]))
        groups.append(group)
    for start, end, token in phrases.match(stems, prefix_last, fuzzy):
        for position in range(start, end + 1):
            clause = Clause(token, "token", (TOKEN_FIELD,), BOOST["token"])
            if clause not in groups[position]:
                groups[position].append(clause)
    return groups


def run_lunr(index: Index, groups: list[list[Clause]]) -> list[Hit]:
    """Run every clause in one lunr query and rank by words covered, score, ref."""
    query = index.create_query()
    seen: set[tuple[str, str]] = set()
    for group in groups:
        for clause in group:
            if (clause.term, clause.kind) in seen:
                continue
            seen.add((clause.term, clause.kind))
            options: dict[str, Any] = {"fields": list(clause.fields), "boost": clause.boost, "use_pipeline": False}
            if clause.kind == "prefix":
                options["wildcard"] = Query.WILDCARD_TRAILING
            elif clause.kind == "fuzzy":
                options["edit_distance"] = 1
            query.clause(term=clause.term, **options)
    hits: list[Hit] = []
    for result in index.query(query):
        matched = [(term, name) for term, by_field in result["match_data"].metadata.items() for name in by_field]
        coverage = sum(
            1
            for group in groups
            if any(name in clause.fields and clause.matches(term) for term, name in matched for clause in group)
        )
        terms = tuple(sorted({term for term, name in matched if name != TOKEN_FIELD}))
        hits.append(Hit(result["ref"], result["score"], coverage, terms))
    hits.sort(key=lambda hit: (-hit.coverage, -int(hit.score * SCORE_SCALE + 0.5), int(hit.ref, 36)))
    return hits


class Searcher:
    """Search a serialized index the way the browser does (for tests and benchmarks)."""

    def __init__(self, serialized_index: dict[str, Any], taxonomy: dict[str, Any], analysis: DutchAnalysis):
        analysis.register()
        self.index = Index.load(serialized_index)
        self._prepare(taxonomy, analysis, self.index.pipeline, self.index.fields)

    def _prepare(self, taxonomy: dict[str, Any], analysis: DutchAnalysis, pipeline, fields) -> None:
        self.analysis = analysis
        self.phrases = Phrases(taxonomy, analysis)

        def stem(word: str) -> str:
            return pipeline.run_string(word)[0]

        self.stem = stem
        self.text_fields = tuple(name for name in fields if name != TOKEN_FIELD)

    def index_for(self, groups: list[list[Clause]]) -> Index:
        """The index a pass runs on: here the complete one."""
        return self.index

    def _run(self, words: list[str], fuzzy: bool, prefix_last: bool) -> list[Hit]:
        groups = plan(words, self.stem, self.phrases, self.text_fields, fuzzy=fuzzy, prefix_last=prefix_last)
        return run_lunr(self.index_for(groups), groups)

    def search(self, text: str, prefix_last: bool = True) -> SearchResult:
        words = query_words(text, self.analysis)
        result = SearchResult(words)
        if not words:
            return result
        hits = self._run(words, False, prefix_last)
        best = hits[0].coverage if hits else 0
        if best < len(words) and any(len(word) >= FUZZY_MIN for word in words):
            fuzzy_hits = self._run(words, True, prefix_last)
            if fuzzy_hits and fuzzy_hits[0].coverage > best:
                return SearchResult(words, fuzzy_hits, typo=True)
        result.hits = hits
        return result
