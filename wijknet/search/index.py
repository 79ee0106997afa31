"""Build the search files from a Catalog: the lunr index, the documents and the taxonomy.

Design (measured, see ``benchmarks/search.py``):

- Refs are short base-36 keys (the entry's position among the listed entries): a ref is
  repeated in every posting of the inverted index, so slugs would cost a third of it.
- Text fields hold normalised text (``DutchAnalysis.normalize``), so "taalcafé" and
  "taalcafe" are one word on both sides.
- Themes, target groups, kinds and areas are indexed as one compact token per term (e.g.
  ``0t8``) instead of their labels and synonyms: the labels and synonyms live once in
  ``search/taxonomy.json`` and the query side turns "senioren" or "nieuw-west" into the
  token (see :mod:`wijknet.search.query`). An entry tagged with a wijk carries the tokens
  of its gebied, stadsdeel and city as well, so "nieuw-west" finds it.
- Only the first ``description_words`` words of the description are indexed, and field
  vector scores are rounded to ``precision`` decimals: both are payload knobs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from collections import defaultdict

from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.tokenizer import Tokenizer

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.search.analysis import STEMMER, STOP_WORD_FILTER, TRIMMER, DutchAnalysis

# Index fields: "t" title and organisation, "s" summary, place and the start of the
# description, "c" the taxonomy tokens. One-letter names, because every field vector and
# posting repeats them; three fields, because each field costs a vector per entry.
TOKEN_FIELD = "c"
TOKEN_PREFIX = {"kinds": "0s", "themes": "0t", "audiences": "0d", "areas": "0g"}

_URL = re.compile(r"\(?\b(?:https?://|www\.|mailto:)\S+")
_MARKUP = re.compile(r"<[^>]*>|[*_`#>\[\]()|~]")


@dataclass(frozen=True)
class SearchConfig:
    """The knobs of the index: field boosts, description length and score precision."""

    boosts: dict[str, float] = field(default_factory=lambda: {"t": 6.0, "s": 2.0, "c": 3.0})
    # index field → the parts of an entry it holds (see ``entry_fields``)
    layout: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {"t": ("title", "organisation"), "s": ("summary", "place", "description"), "c": ("terms", "areas")}
    )
    description_words: int = 20
    precision: int = 1

    def fields(self) -> tuple[str, ...]:
        return tuple(self.layout)


def to_ref(position: int) -> str:
    """Base-36 key of a listed entry's position."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        position, rest = divmod(position, 36)
        text = digits[rest] + text
        if position == 0:
            return text


def term_token(vocabulary: str, index: int) -> str:
    """The index token of a taxonomy term: no vowels, so the Dutch stemmer leaves it."""
    return f"{TOKEN_PREFIX[vocabulary]}{index}"


def term_tokens(catalog: Catalog) -> dict[str, dict[str, str]]:
    """vocabulary → term id → token, from the order of the taxonomy files."""
    return {
        vocabulary: {term.id: term_token(vocabulary, position) for position, term in enumerate(catalog.taxonomy.vocabulary(vocabulary))}
        for vocabulary in TOKEN_PREFIX
    }


def plain_description(markdown_text: str) -> str:
    """The description's words without link targets or Markdown/HTML punctuation."""
    return _MARKUP.sub(" ", _URL.sub(" ", markdown_text))


def entry_fields(
    entry: Entry, catalog: Catalog, analysis: DutchAnalysis, tokens: dict[str, dict[str, str]], config: SearchConfig
) -> dict[str, str]:
    """The normalised text of each part of an entry that the index may hold."""
    place_parts = []
    if entry.location is not None:
        place_parts += [entry.location.name or "", entry.location.address or "", entry.location.postcode or ""]
    description = analysis.normalize(plain_description(entry.description)).split()
    categories = [tokens["kinds"][entry.kind]]
    categories += [tokens["themes"][theme] for theme in entry.themes]
    categories += [tokens["audiences"][audience] for audience in entry.audiences]
    areas = [tokens["areas"][area] for area in catalog.area_closure(entry)]
    return {
        "title": analysis.normalize(entry.title),
        "organisation": analysis.normalize(entry.organisation or ""),
        "summary": analysis.normalize(entry.summary),
        "place": analysis.normalize(" ".join(place_parts)),
        "description": " ".join(description[: config.description_words]),
        "terms": " ".join(categories),
        "areas": " ".join(areas),
    }


def _round_vectors(serialized: dict[str, Any], precision: int) -> None:
    for _, vector in serialized["fieldVectors"]:
        for position in range(1, len(vector), 2):
            value = round(vector[position], precision)
            vector[position] = int(value) if value == int(value) else value


class _MemoBuilder(Builder):
    """lunr's Builder with the tokenizer and pipeline output of each field remembered in
    ``memo`` (``get``/``put``), so a rebuild only analyses text that changed. ``add`` does
    exactly what lunr's does when no metadata is kept (the default), so the index is the same."""

    def __init__(self, memo) -> None:
        super().__init__()
        self._memo = memo

    def add(self, doc, attributes=None):
        if self.metadata_whitelist or any(field.extractor is not None for field in self._fields.values()):
            return super().add(doc, attributes)
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            value = doc[field_name]
            key = (field_name, value)
            terms = self._memo.get(key)
            if terms is None:
                terms = tuple(str(term) for term in self.pipeline.run(Tokenizer(value), field_name))
                self._memo.put(key, terms)
            field_terms: dict[str, int] = defaultdict(int)
            field_ref = str(FieldRef(doc_ref, field_name))
            self.field_term_frequencies[field_ref] = field_terms
            self.field_lengths[field_ref] = len(terms)
            for term_key in terms:
                field_terms[term_key] += 1
                posting = self.inverted_index.get(term_key)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term_key] = posting
                if doc_ref not in posting[field_name]:
                    posting[field_name][doc_ref] = defaultdict(list)


def build_index(
    catalog: Catalog, analysis: DutchAnalysis, config: SearchConfig | None = None, memo=None
) -> dict[str, Any]:
    """The serialized lunr index (lunr.js 2.3.9 format, search pipeline ``["stemmer-nl"]``).

    ``memo`` (optional, ``get``/``put``) remembers each field's analysed terms between builds.
    """
    config = config or SearchConfig()
    functions = analysis.register()
    tokens = term_tokens(catalog)
    for by_id in tokens.values():
        for token in by_id.values():
            if analysis.stem(token) != token:  # a token the stemmer changes could never be found
                raise ValueError(f"search token {token} is changed by the stemmer")
    builder = _MemoBuilder(memo) if memo is not None else Builder()
    builder.pipeline.add(functions[TRIMMER], functions[STOP_WORD_FILTER], functions[STEMMER])
    builder.search_pipeline.add(functions[STEMMER])
    builder.ref("ref")
    for name in config.fields():
        builder.field(name, boost=config.boosts[name])
    for position, entry in enumerate(catalog.listed):
        sources = entry_fields(entry, catalog, analysis, tokens, config)
        document = {name: " ".join(sources[part] for part in parts if sources[part]) for name, parts in config.layout.items()}
        document["ref"] = to_ref(position)
        builder.add(document)
    serialized = builder.build().serialize()
    _round_vectors(serialized, config.precision)
    return serialized


def build_documents(catalog: Catalog, urls) -> dict[str, dict[str, Any]]:
    """``{ref: {slug, title, url, summary, kind, themes, audiences, areas}}`` for every listed entry."""
    return {
        to_ref(position): {
            "slug": entry.slug,
            "title": entry.title,
            "url": urls.entry(entry.slug),
            "summary": entry.summary,
            "kind": entry.kind,
            "themes": list(entry.themes),
            "audiences": list(entry.audiences),
            "areas": list(entry.areas),
        }
        for position, entry in enumerate(catalog.listed)
    }


def build_taxonomy(catalog: Catalog, analysis: DutchAnalysis, urls) -> dict[str, Any]:
    """Labels, synonyms, tokens and facet links of every term, for the query side and the UI.

    ``phrases`` are the normalised label, plural and synonyms: the query side matches them
    against the query's words. Areas also carry their parent (to roll filters up).
    """
    tokens = term_tokens(catalog)
    result: dict[str, Any] = {}
    for vocabulary in TOKEN_PREFIX:
        terms: dict[str, Any] = {}
        for term in catalog.taxonomy.vocabulary(vocabulary):
            phrases = [term.label, *([term.plural] if term.plural else []), *term.synonyms]
            normalised: list[str] = []
            for phrase in phrases:
                text = analysis.normalize(phrase)
                if text and text not in normalised:
                    normalised.append(text)
            count = catalog.facet_count(vocabulary, term.id)
            item: dict[str, Any] = {
                "label": term.label,
                "token": tokens[vocabulary][term.id],
                "phrases": normalised,
                "count": count,
            }
            if count:
                item["url"] = urls.facet(vocabulary, term.id)
            if vocabulary == "kinds" and term.plural:
                item["plural"] = term.plural
            if vocabulary == "areas":
                item["level"] = term.level
                if term.parent:
                    item["parent"] = term.parent
            terms[term.id] = item
        result[vocabulary] = terms
    return result


def dump_json(data: Any) -> bytes:
    """Compact, deterministic JSON bytes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
