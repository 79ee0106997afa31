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

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.engine.format import entry_state, iso_moment, when_nl
from wijknet.jsondump import dump_json  # noqa: F401  (part of this module's interface)
from wijknet.dutch.analysis import STEMMER, STOP_WORD_FILTER, TRIMMER, DutchAnalysis, nltk_version

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


# lunr's BM25 parameters (lunr.Builder defaults: the browser scores queries with the same).
_K1 = 1.2
_B = 0.75
LUNR_VERSION = "2.3.9"


def _check_tokens(analysis: DutchAnalysis, tokens: dict[str, dict[str, str]]) -> None:
    for by_id in tokens.values():
        for token in by_id.values():
            if analysis.stem(token) != token:  # a token the stemmer changes could never be found
                raise ValueError(f"search token {token} is changed by the stemmer")


def _pipeline(analysis: DutchAnalysis):
    """lunr's indexing pipeline with the Dutch functions (trimmer, stop words, stemmer)."""
    from lunr.pipeline import Pipeline

    functions = analysis.register()
    pipeline = Pipeline()
    pipeline.add(functions[TRIMMER], functions[STOP_WORD_FILTER], functions[STEMMER])
    return pipeline


# lunr.tokenizer.SEPARATOR_CHARS, the characters lunr's default tokenizer splits on.
_LUNR_SEPARATORS = re.compile("[ \t\n\r\f\v\xa0-]+")


class PipelineWords:
    """lunr's tokenizer and Dutch pipeline, run once per distinct word.

    The three pipeline functions look at one token at a time, so a word always gives the
    same terms: remembering them per word gives lunr's result at a fraction of the cost
    (lunr.py's tokenizer walks the text one character at a time). Words are cut where lunr's
    tokenizer cuts them: at its separator characters, after lower-casing.

    ``known`` (a dict this object adds to, e.g. :func:`words_namespace`) holds the terms of
    words met before; lunr (which loads nltk: 0.1-0.2 s) is imported only for a new word.
    """

    def __init__(self, analysis: DutchAnalysis, known: dict[tuple[str, str], tuple[str, ...]] | None = None) -> None:
        self._analysis = analysis
        self._pipeline = None
        self._words: dict[tuple[str, str], tuple[str, ...]] = known if known is not None else {}

    def lunr_terms(self, text: str, field_name: str) -> tuple[str, ...]:
        """What lunr's tokenizer and the pipeline make of ``text`` (the slow, reference way)."""
        from lunr.tokenizer import Tokenizer

        if self._pipeline is None:
            self._pipeline = _pipeline(self._analysis)
        return tuple(str(term) for term in self._pipeline.run(Tokenizer(text), field_name))

    def terms(self, text: str, field_name: str) -> tuple[str, ...]:
        words = self._words
        result: list[str] = []
        for word in _LUNR_SEPARATORS.split(text.lower()):
            if not word:
                continue
            key = (word, field_name)
            terms = words.get(key)
            if terms is None:
                terms = words[key] = self.lunr_terms(word, field_name)
            result.extend(terms)
        return tuple(result)


def words_namespace(memo, analysis: DutchAnalysis) -> dict[tuple[str, str], tuple[str, ...]]:
    """The terms of every word met in earlier builds, by (word, index field), remembered in
    the build cache ``memo``: valid for one lunr, one nltk and one set of Dutch word
    characters and stop words (``lunr.nl.js``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        lunr_version = version("lunr")
    except PackageNotFoundError:
        lunr_version = "?"
    dutch = hashlib.sha256(f"{analysis.word_characters}\0{' '.join(sorted(analysis.stop_words))}".encode()).hexdigest()
    return memo.live_dict("search-words", f"lunr {lunr_version}", f"nltk {nltk_version()}", dutch)


IndexDocument = tuple[str, tuple[tuple[str, ...], ...]]
"""A document as the index sees it: its ref and, per index field, its terms in order."""


def index_documents(
    catalog: Catalog, analysis: DutchAnalysis, config: SearchConfig | None = None, memo=None
) -> list[IndexDocument]:
    """Every listed entry's ref and analysed terms per index field (what lunr's ``add`` reads).

    ``memo`` (a :class:`~wijknet.engine.cache.BuildCache`) remembers an entry's terms by its
    content digest, so a rebuild only analyses entries that changed.
    """
    config = config or SearchConfig()
    tokens = term_tokens(catalog)
    _check_tokens(analysis, tokens)
    state: dict[str, Any] = {}

    def terms_of(entry: Entry) -> tuple[tuple[str, ...], ...]:
        if "words" not in state:
            state["words"] = PipelineWords(analysis, words_namespace(memo, analysis) if memo is not None else None)
        words = state["words"]
        sources = entry_fields(entry, catalog, analysis, tokens, config)
        return tuple(
            words.terms(" ".join(sources[part] for part in parts if sources[part]), name)
            for name, parts in config.layout.items()
        )

    setup = repr(config)
    documents = []
    for position, entry in enumerate(catalog.listed):
        if memo is not None and (digest := memo.digest_of(entry)) is not None:
            terms = memo.keyed("search-terms", (entry.slug, digest, setup), lambda: terms_of(entry))
        else:
            terms = terms_of(entry)
        documents.append((to_ref(position), terms))
    return documents


def serialize_index(
    documents: list[IndexDocument], config: SearchConfig | None = None, postings: dict[int, list] | None = None
) -> dict[str, Any]:
    """The serialized lunr index of ``documents``: exactly what ``lunr.Builder`` (with
    ``add`` for each document, ``build()`` and ``serialize()``) gives, with the field vector
    scores then rounded to ``config.precision`` decimals, in a fraction of the time (no token
    set, no Vector objects: the index file never holds them).

    With ``postings`` (a dict) it also gets, per term ``_index``, per field the positions of
    the documents holding the term (ascending) and their weights times ``10 ** precision``:
    what the term shards hold (:mod:`wijknet.search.shards`)."""
    config = config or SearchConfig()
    fields = config.fields()
    boosts = [config.boosts[name] for name in fields]
    inverted: dict[str, dict[str, Any]] = {}
    counts_by_field: list[tuple[str, int, dict[str, int], int]] = []
    totals = [0] * len(fields)
    for ref, per_field in documents:
        for slot, terms in enumerate(per_field):
            counts: dict[str, int] = {}
            for term in terms:
                counts[term] = counts.get(term, 0) + 1
            counts_by_field.append((ref, slot, counts, len(terms)))
            totals[slot] += len(terms)
            name = fields[slot]
            for term in counts:  # first occurrence order: the order lunr numbers new terms in
                posting = inverted.get(term)
                if posting is None:
                    posting = {field_name: {} for field_name in fields}
                    posting["_index"] = len(inverted)
                    inverted[term] = posting
                posting[name][ref] = {}
    document_count = len(documents)
    averages = [total / document_count if document_count else 0 for total in totals]
    idf_cache: dict[str, float] = {}
    precision = config.precision
    field_vectors = []
    scale = 10**precision
    field_count = len(fields)
    for ref, slot, counts, length in counts_by_field:
        position = int(ref, 36) if postings is not None else 0
        boost = boosts[slot]
        # (an empty field has no terms; lunr never divides by its average length then)
        norm = _K1 * (1 - _B + _B * (length / averages[slot])) if counts else 0.0
        elements = []
        for term, tf in counts.items():
            posting = inverted[term]
            idf = idf_cache.get(term)
            if idf is None:
                with_term = sum(len(posting[field_name]) for field_name in fields)
                x = (document_count - with_term + 0.5) / (with_term + 0.5)
                idf = idf_cache[term] = math.log(1 + abs(x))
            # lunr: idf * ((k1 + 1) * tf) / (norm + tf) * field boost * document boost (1),
            # rounded to 3 decimals when built and when serialized (the same twice)
            value = round(round(idf * ((_K1 + 1) * tf) / (norm + tf) * boost, 3), precision)
            elements.append((posting["_index"], int(value) if value == int(value) else value))
            if postings is not None:
                per_field = postings.get(posting["_index"])
                if per_field is None:
                    per_field = postings[posting["_index"]] = [([], []) for _ in range(field_count)]
                per_field[slot][0].append(position)
                per_field[slot][1].append(round(value * scale))
        elements.sort()
        field_vectors.append([f"{fields[slot]}/{ref}", [number for pair in elements for number in pair]])
    return {
        "version": LUNR_VERSION,
        "fields": list(fields),
        "fieldVectors": field_vectors,
        "invertedIndex": [[term, inverted[term]] for term in sorted(inverted)],
        "pipeline": [STEMMER],
    }


def index_key(documents: list[IndexDocument], config: SearchConfig | None = None) -> str:
    """A digest of everything the index is made from (for remembering the index file)."""
    digest = hashlib.blake2b(repr(config or SearchConfig()).encode(), digest_size=20)
    for ref, per_field in documents:
        digest.update(ref.encode())
        for terms in per_field:
            digest.update(b"\x00" + "\x01".join(terms).encode())
        digest.update(b"\x02")
    return digest.hexdigest()


def build_index(
    catalog: Catalog, analysis: DutchAnalysis, config: SearchConfig | None = None, memo=None
) -> dict[str, Any]:
    """The serialized lunr index (lunr.js 2.3.9 format, search pipeline ``["stemmer-nl"]``).

    ``memo`` (optional :class:`~wijknet.engine.cache.BuildCache`) remembers each entry's
    analysed terms between builds.
    """
    return serialize_index(index_documents(catalog, analysis, config, memo), config)


def build_index_with_lunr(catalog: Catalog, analysis: DutchAnalysis, config: SearchConfig | None = None) -> dict[str, Any]:
    """The same index made by lunr.py's own Builder: the reference :func:`build_index` is
    tested against (slower: it also builds the token set and vectors a file never holds)."""
    from lunr.builder import Builder

    config = config or SearchConfig()
    functions = analysis.register()
    tokens = term_tokens(catalog)
    _check_tokens(analysis, tokens)
    builder = Builder()
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


def build_cards(catalog: Catalog, urls) -> list[dict[str, Any]]:
    """What a result card shows of every listed entry, in ref order (the fields of
    ``partials/entry_card.html``; the format is in ``docs/search.md``)."""
    cards = []
    for entry in catalog.listed:
        when = None
        if entry.when is not None:
            when = {"start": iso_moment(entry.when.start), "text": when_nl(entry.when.start, entry.when.end)}
        cards.append(
            {
                "slug": entry.slug,
                "title": entry.title,
                "url": urls.entry(entry.slug),
                "summary": entry.summary,
                "kind": entry.kind,
                "state": entry_state(catalog, entry),
                "when": when,
                "organisation": entry.organisation or "",
                "themes": list(entry.themes),
                "audiences": list(entry.audiences),
                "areas": list(entry.areas),
            }
        )
    return cards
