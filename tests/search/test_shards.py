"""The sharded search files, and the differential test: the complete index and the sharded
one give the same refs, in the same order, with the same scores, for the quality queries
and 600 generated ones, in Python (lunr.py) and in Chromium (lunr.js, search.js)."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re

import pytest

from wijknet.search.quality import load_queries
from wijknet.search.shards import (
    MANIFEST_PATH,
    ShardConfig,
    cut_shards,
    fragment_name,
    front_coded,
    read_front_coded,
    shard_files,
    shard_name,
    term_postings,
)
from wijknet.search.index import build_cards, index_documents, serialize_index, to_ref

from .conftest import SCRIPTS, TINY, sharded_searcher

GENERATED = 600


def generated_queries(documents: dict, taxonomy: dict, count: int = GENERATED, seed: int = 13) -> list[str]:
    """Queries as people type them, made from the sample's own titles, summaries and
    taxonomy: words, word pairs and triples, words cut short while typing, words with one
    typo, labels and synonyms, with punctuation, capitals and stop words mixed in."""
    rng = random.Random(seed)
    words = sorted({w for doc in documents.values() for w in re.findall(r"\w+", f"{doc['title']} {doc['summary']}") if len(w) > 1})
    phrases = sorted({p for vocabulary in taxonomy.values() for term in vocabulary.values() for p in term["phrases"]})

    def typo(word: str) -> str:
        if len(word) < 3:
            return word + "e"
        i = rng.randrange(len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == 1:
            return word[:i] + word[i + 1 :]
        if kind == 2:
            return word[:i] + rng.choice("aeiounrst") + word[i:]
        return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]

    makers = [
        lambda: rng.choice(words),
        lambda: " ".join(rng.sample(words, 2)),
        lambda: " ".join(rng.sample(words, 3)),
        lambda: (lambda w: w[: rng.randint(2, max(2, len(w) - 1))])(rng.choice(words)),
        lambda: f"{rng.choice(words)} {(lambda w: w[: rng.randint(3, max(3, len(w)))])(rng.choice(words))}",
        lambda: typo(rng.choice([w for w in words if len(w) >= 5])),
        lambda: f"{rng.choice(words)} {typo(rng.choice([w for w in words if len(w) >= 5]))}",
        lambda: rng.choice(phrases),
        lambda: f"{rng.choice(phrases)} {rng.choice(words)}",
        lambda: rng.choice(phrases)[: rng.randint(3, 12)],
        lambda: f"de {rng.choice(words).upper()} van het {rng.choice(words)}?",
    ]
    queries: list[str] = []
    while len(queries) < count:
        query = rng.choice(makers)()
        if query not in queries:
            queries.append(query)
    return queries


@pytest.fixture(scope="module")
def all_queries(sample_files, repo_root) -> list[str]:
    quality = [item["query"] for item in load_queries(repo_root / "tests/search_quality/queries.yaml")]
    documents = json.loads(sample_files["search/documents.json"])
    taxonomy = json.loads(sample_files["search/taxonomy.json"])
    return quality + generated_queries(documents, taxonomy)


def _hits(result) -> list[tuple]:
    return [(hit.ref, hit.score, hit.coverage, hit.terms) for hit in result.hits]


# --- the files ------------------------------------------------------------------------------


def test_manifest_names_every_file_and_shards_cover_every_term(sample_files):
    manifest = json.loads(sample_files[MANIFEST_PATH])
    index = json.loads(sample_files["search/index.json"])
    documents = json.loads(sample_files["search/documents.json"])
    assert manifest["format"] == 1 and manifest["version"] == index["version"] == "2.3.9"
    assert manifest["fields"] == index["fields"] and manifest["pipeline"] == index["pipeline"] == ["stemmer-nl"]
    assert manifest["documents"] == len(documents) and manifest["scale"] == 10
    starts = [shard[0] for shard in manifest["shards"]]
    assert starts[0] == "" and starts == sorted(starts) and len(set(starts)) == len(starts)
    named = {f"search/{manifest['dictionary']}", MANIFEST_PATH, "search/index.json", "search/documents.json", "search/taxonomy.json"}
    number = 0
    by_term = {}
    for i, (start, *hashes) in enumerate(manifest["shards"]):
        high = starts[i + 1] if i + 1 < len(starts) else None
        for digest in hashes:
            path = f"search/{shard_name(number, digest)}"
            named.add(path)
            number += 1
            data = sample_files[path]
            assert digest == hashlib.sha256(data).hexdigest()[:10]
            for term, term_index, per_field in json.loads(data)["terms"]:
                assert start <= term and (high is None or term < high), (term, start, high)
                by_term.setdefault(term, []).append((term_index, per_field))
    fragments = manifest["fragments"]
    for n in range(fragments["count"]):
        named.add(f"search/{fragment_name(n, fragments['blocks'][n // fragments['block']])}")
    assert named == set(sample_files), "every file is named by the manifest, and every name exists"
    # every term, with its global _index, its postings and their weights exactly as index.json
    weights = {}
    for key, elements in index["fieldVectors"]:
        for i in range(0, len(elements), 2):
            weights[(key, elements[i])] = elements[i + 1]
    assert sorted(by_term) == [term for term, _ in index["invertedIndex"]]
    for term, posting in index["invertedIndex"]:
        [(term_index, per_field)] = by_term[term]
        assert term_index == posting["_index"]
        for name, (gaps, scaled) in zip(manifest["fields"], per_field):
            positions, position = [], -1
            for gap in gaps:
                position += gap + 1
                positions.append(position)
            refs = [to_ref(p) for p in positions]
            assert refs == sorted(posting[name], key=lambda ref: int(ref, 36))
            assert [value / 10 for value in scaled] == [weights[(f"{name}/{ref}", term_index)] for ref in refs]
    dictionary = json.loads(sample_files[f"search/{manifest['dictionary']}"])["terms"]
    assert read_front_coded(dictionary) == [term for term, _ in index["invertedIndex"]]


def test_fragments_hold_every_card_in_ref_order(sample_files, sample_build):
    manifest = json.loads(sample_files[MANIFEST_PATH])
    documents = json.loads(sample_files["search/documents.json"])
    fragments = manifest["fragments"]
    cards = []
    for n in range(fragments["count"]):
        data = json.loads(sample_files[f"search/{fragment_name(n, fragments['blocks'][n // fragments['block']])}"])
        assert data["first"] == n * fragments["size"] and 0 < len(data["documents"]) <= fragments["size"]
        cards += data["documents"]
    assert len(cards) == len(documents)
    for position, card in enumerate(cards):
        doc = documents[to_ref(position)]
        assert {key: card[key] for key in doc} == doc
        assert set(card) == set(doc) | {"state", "when", "organisation"}
    activity = next(card for card in cards if card["when"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d)?", activity["when"]["start"]) and activity["when"]["text"]
    assert {card["state"] for card in cards} <= {"", "gestopt", "gesloten", "afgelopen", "gepauzeerd"}


def test_shards_are_small_and_smaller_than_the_complete_index(sample_files):
    shards = [data for path, data in sample_files.items() if path.startswith("search/t/")]
    sizes = [len(gzip.compress(data, 9)) for data in shards]
    assert len(shards) > 3 and max(sizes) <= ShardConfig().shard_bytes
    assert sum(sizes) < len(gzip.compress(sample_files["search/index.json"], 9))
    assert len(gzip.compress(sample_files[MANIFEST_PATH], 9)) < 2048


def test_a_common_term_is_split_into_parts_not_dropped(tiny_files):
    manifest = json.loads(tiny_files[MANIFEST_PATH])
    index = dict(json.loads(tiny_files["search/index.json"])["invertedIndex"])
    numbers, number = [], 0
    for shard in manifest["shards"]:
        numbers.append(number)
        number += len(shard) - 1
    split = [(i, shard) for i, shard in enumerate(manifest["shards"]) if len(shard) > 2]
    assert len(split) >= 5, "with tiny shards the most common terms need more than one file"
    for i, (start, *hashes) in split:
        joined = {name: [] for name in manifest["fields"]}
        for k, digest in enumerate(hashes):
            [[term, term_index, per_field]] = json.loads(tiny_files[f"search/{shard_name(numbers[i] + k, digest)}"])["terms"]
            assert term == start and term_index == index[term]["_index"]
            for name, (gaps, _) in zip(manifest["fields"], per_field):
                position = -1
                for gap in gaps:
                    position += gap + 1
                    joined[name].append(to_ref(position))
        for name in manifest["fields"]:
            assert joined[name] == sorted(index[start][name], key=lambda ref: int(ref, 36)), (start, name)


def test_the_first_shard_starts_at_the_empty_string_even_when_its_term_is_split():
    rng = random.Random(5)
    postings = lambda n: [(sorted(rng.sample(range(50_000), n)), [rng.randrange(300) for _ in range(n)])]  # noqa: E731
    terms = [("00", 0, postings(20_000)), ("a", 1, postings(3)), ("b", 2, postings(3))]
    shards = cut_shards(terms, 1024)
    assert shards[0][0] == "" and len(shards[0][1]) > 1, "the common first term is split, its shard still starts at ''"
    assert [start for start, _ in shards[1:]] == ["a"]


def test_front_coding_round_trips():
    terms = ["", "a", "aa", "ab", "b" * 40, "b" * 41 + "c", "zorg", "zorgen", "zz"]
    assert read_front_coded(front_coded(terms)) == terms


def test_term_postings_read_back_from_the_field_vectors_equal_the_collected_ones(sample_build, analysis):
    documents = index_documents(sample_build.catalog, analysis)
    collected: dict = {}
    serialized = serialize_index(documents, postings=collected)
    assert term_postings(serialized, 10, collected) == term_postings(serialized, 10)


def test_shard_files_are_deterministic(sample_build, analysis):
    serialized = serialize_index(index_documents(sample_build.catalog, analysis))
    cards = build_cards(sample_build.catalog, sample_build.urls)
    assert shard_files(serialized, cards, 1) == shard_files(json.loads(json.dumps(serialized)), cards, 1)


# --- the differential test --------------------------------------------------------------------


@pytest.mark.parametrize("files_fixture", ["sample_files", "tiny_files"])
def test_sharded_search_equals_the_complete_index_in_python(request, files_fixture, sample_searcher, analysis, all_queries):
    files = request.getfixturevalue(files_fixture)
    assert len(all_queries) >= 40 + 500
    searcher = sharded_searcher(files, analysis)
    typo = prefix = compared = 0
    for query in all_queries:
        expected = sample_searcher.search(query)
        got = searcher.search(query)
        assert (got.words, got.typo, _hits(got)) == (expected.words, expected.typo, _hits(expected)), query
        typo += expected.typo
        if expected.words:
            stem = searcher.stem(expected.words[-1])
            prefix += any(term.startswith(stem) and term != stem for hit in expected.hits for term in hit.terms)
        compared += len(expected.hits)
    assert typo >= 20 and prefix >= 50 and compared > 30_000  # typo pass, prefixes and long lists were compared
    fetched = searcher.sharded.fetched
    assert len(fetched) == len(set(fetched)), "every file is fetched once"


@pytest.mark.browser
def test_sharded_search_equals_the_complete_index_in_chromium(search_page, sample_files, tiny_files, analysis, all_queries):
    page, errors = search_page
    outcome = page.evaluate(
        """async queries => {
            const mismatches = [];
            const rows = [];
            let typo = 0, hits = 0;
            const key = r => JSON.stringify([r.words, r.typo, r.error || null,
                r.hits.map(h => [h.ref, h.score, h.coverage, h.terms])]);
            for (const q of queries) {
                const complete = S.search(q, true);
                const sharded = await SH.search(q, true);
                const tiny = await TINY.search(q, true);
                if (key(sharded) !== key(complete)) mismatches.push(["default", q]);
                if (key(tiny) !== key(complete)) mismatches.push(["tiny", q]);
                typo += complete.typo ? 1 : 0;
                hits += complete.hits.length;
                rows.push([q, sharded.hits.map(h => [h.ref, Math.floor(h.score * 1e6 + 0.5)])]);
            }
            return {mismatches, rows, typo, hits, fetched: SH.fetched.length, unique: new Set(SH.fetched).size};
        }""",
        all_queries,
    )
    assert outcome["mismatches"] == []
    assert outcome["typo"] >= 20 and outcome["hits"] > 30_000
    assert outcome["fetched"] == outcome["unique"], "the browser fetched every file once"
    # and the browser's sharded search ranks as the Python one does (scores to six decimals)
    python = sharded_searcher(sample_files, analysis)
    for query, browser_hits in outcome["rows"]:
        expected = [[hit.ref, int(hit.score * 1_000_000 + 0.5)] for hit in python.search(query).hits]
        assert browser_hits == expected, query
    assert not errors


@pytest.mark.browser
def test_the_worker_hands_the_page_the_same_hits(search_page, all_queries):
    """The page gets its results from the worker in columns (packResult/unpackResult): the
    hits it rebuilds are those of the sharded searcher, field for field."""
    page, errors = search_page
    outcome = page.evaluate(
        """async ([queries, scripts]) => {
            const here = name => new URL(name, location.href).href;
            const worker = wijknetSearch.createWorkerSearcher(here("search.js"), scripts.map(name => here("vendor/" + name)),
                here("search/manifest.json"), here("search/taxonomy.json"));
            await worker.load();
            const key = r => JSON.stringify([r.words, r.typo, r.error || null,
                r.hits.map(h => [h.ref, h.score, h.coverage, h.covered, h.terms])]);
            const mismatches = [];
            let hits = 0;
            for (const q of queries) {
                const direct = await SH.search(q, true);
                if (key(await worker.search(q, true)) !== key(direct)) mismatches.push(q);
                hits += direct.hits.length;
            }
            return {mismatches, hits, inWorker: worker.inWorker()};
        }""",
        [all_queries, [name for name in SCRIPTS if name.startswith("lunr")]],  # the search's libraries, not the map's
    )
    assert outcome["inWorker"], "the search ran in a worker"
    assert outcome["mismatches"] == [] and outcome["hits"] > 30_000
    assert not errors
