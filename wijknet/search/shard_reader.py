"""The Python reader of the sharded search files: what ``theme/static/js/search.js`` does in
the browser, for the tests and the benchmark (the build never imports it).

- :class:`ShardedIndex` reads the files through a ``fetch(path)`` function (a dict lookup in
  the tests, counted in the benchmark) and assembles partial indexes.
- :class:`ShardedSearcher` is :class:`wijknet.search.query.Searcher` on a sharded index.

The design and the formats are in ``docs/search.md``.
"""

from __future__ import annotations

import bisect
import json
from typing import Any, Callable, Iterable

from lunr.index import Index

from wijknet.search.index import to_ref
from wijknet.search.query import Clause, Searcher
from wijknet.search.shards import fragment_name, read_front_coded, shard_name

PREFIX_END = "\uffff"  # above every character a term can hold: [p, p + PREFIX_END) holds all terms starting with p


def fuzzy_accepts(node, word: str) -> bool:
    """Whether lunr's token set ``node`` (from ``TokenSet.from_fuzzy_string``) holds ``word``:
    what ``TokenSet.intersect`` keeps of an index that has the word (an edge ``*`` takes
    any character)."""
    if not word:
        return node.final
    rest = word[1:]
    nxt = node.edges.get(word[0])
    if nxt is not None and fuzzy_accepts(nxt, rest):
        return True
    star = node.edges.get("*")
    return star is not None and fuzzy_accepts(star, rest)


class ShardedIndex:
    """The sharded files of one build, read through ``fetch(path) -> bytes`` (paths relative
    to the manifest's folder); every file is fetched at most once. ``fetched`` lists them."""

    def __init__(self, fetch: Callable[[str], bytes], manifest_name: str = "manifest.json"):
        self._fetch = fetch
        self.fetched: list[str] = []
        self._files: dict[str, Any] = {}
        self.manifest = self.file(manifest_name)
        self.fields: list[str] = list(self.manifest["fields"])
        self.scale: int = self.manifest["scale"]
        self._starts = [shard[0] for shard in self.manifest["shards"]]
        self._shard_files: list[list[str]] = []
        number = 0
        for _, *hashes in self.manifest["shards"]:
            self._shard_files.append([shard_name(number + k, digest) for k, digest in enumerate(hashes)])
            number += len(hashes)
        self._shard_terms: dict[int, dict[str, tuple[int, list[tuple[list[str], list[float]]]]]] = {}
        self._dictionary: list[str] | None = None

    def file(self, name: str) -> Any:
        known = self._files.get(name)
        if known is None:
            known = self._files[name] = json.loads(self._fetch(name))
            self.fetched.append(name)
        return known

    def shard_of(self, term: str) -> int:
        return bisect.bisect_right(self._starts, term) - 1

    def shards_between(self, low: str, high: str) -> range:
        """The shards that may hold a term ``t`` with ``low <= t < high``."""
        return range(self.shard_of(low), bisect.bisect_left(self._starts, high))

    def shard_terms(self, shard: int) -> dict[str, tuple[int, list[tuple[list[str], list[float]]]]]:
        """term → (``_index``, per field (refs, weights)) of one shard, its parts joined."""
        known = self._shard_terms.get(shard)
        if known is not None:
            return known
        terms: dict[str, tuple[int, list[tuple[list[str], list[float]]]]] = {}
        scale = self.scale
        for name in self._shard_files[shard]:
            for term, index, per_field in self.file(name)["terms"]:
                if term not in terms:
                    terms[term] = (index, [([], []) for _ in per_field])
                for (refs, weights), (gaps, scaled) in zip(terms[term][1], per_field):
                    position = -1
                    for gap in gaps:
                        position += gap + 1
                        refs.append(to_ref(position))
                    weights.extend(value / scale for value in scaled)
        self._shard_terms[shard] = terms
        return terms

    def fragment(self, position: int) -> dict[str, Any]:
        """The card of the entry at ``position``, from its fragment."""
        about = self.manifest["fragments"]
        number = position // about["size"]
        data = self.file(fragment_name(number, about["blocks"][number // about["block"]]))
        return data["documents"][position - data["first"]]

    def dictionary(self) -> list[str]:
        if self._dictionary is None:
            self._dictionary = read_front_coded(self.file(self.manifest["dictionary"])["terms"])
        return self._dictionary

    def terms_for(self, exact: Iterable[str], prefixes: Iterable[str]) -> set[str]:
        """The index terms among ``exact`` and every index term starting with a prefix."""
        found: set[str] = set()
        for term in exact:
            if term in self.shard_terms(self.shard_of(term)):
                found.add(term)
        for prefix in prefixes:
            for shard in self.shards_between(prefix, prefix + PREFIX_END):
                found.update(term for term in self.shard_terms(shard) if term.startswith(prefix))
        return found

    def fuzzy_terms(self, term: str) -> set[str]:
        """The index terms lunr's edit-distance-1 automaton of ``term`` accepts."""
        from lunr.token_set import TokenSet

        automaton = TokenSet.from_fuzzy_string(term, 1)
        return {candidate for candidate in self.dictionary() if fuzzy_accepts(automaton, candidate)}

    def assemble(self, terms: Iterable[str]) -> dict[str, Any]:
        """A serialized lunr index of exactly ``terms`` (index terms), global ``_index`` kept."""
        inverted = []
        vectors: dict[str, list[tuple[int, float]]] = {}
        for term in sorted(terms):
            index, per_field = self.shard_terms(self.shard_of(term))[term]
            posting: dict[str, Any] = {"_index": index}
            for name, (refs, weights) in zip(self.fields, per_field):
                posting[name] = {ref: {} for ref in refs}
                for ref, weight in zip(refs, weights):
                    vectors.setdefault(f"{name}/{ref}", []).append((index, weight))
            inverted.append([term, posting])
        field_vectors = [[key, [number for pair in sorted(elements) for number in pair]] for key, elements in vectors.items()]
        manifest = self.manifest
        return {
            "version": manifest["version"],
            "fields": self.fields,
            "fieldVectors": field_vectors,
            "invertedIndex": inverted,
            "pipeline": manifest["pipeline"],
        }



class ShardedSearcher(Searcher):
    """:class:`~wijknet.search.query.Searcher` on the sharded files: each pass assembles the
    partial index of the terms its clauses can expand to (see ``docs/search.md``)."""

    def __init__(self, sharded: ShardedIndex, taxonomy: dict[str, Any], analysis):
        from lunr.pipeline import Pipeline

        analysis.register()
        self.sharded = sharded
        self._prepare(taxonomy, analysis, Pipeline.load(sharded.manifest["pipeline"]), sharded.fields)

    def index_for(self, groups: list[list[Clause]]) -> Index:
        return Index.load(self.sharded.assemble(needed_terms(self.sharded, groups)))


def needed_terms(sharded: ShardedIndex, groups: list[list[Clause]]) -> set[str]:
    """Every index term the clauses of ``groups`` can expand to, fetching the shards that hold them."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    fuzzy: set[str] = set()
    for group in groups:
        for clause in group:
            {"prefix": prefixes, "fuzzy": fuzzy}.get(clause.kind, exact).add(clause.term)
    terms = sharded.terms_for(sorted(exact), sorted(prefixes))
    for term in sorted(fuzzy):
        terms |= sharded.terms_for(sorted(sharded.fuzzy_terms(term)), ())
    return terms
