"""The Dutch index builder, the query side and the provider (no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijknet.dutch.analysis import DutchAnalysis, SearchAssetsError
from wijknet.search.index import SearchConfig, build_index, to_ref
from wijknet.search.provider import provide, search_files
from wijknet.search.query import within_one_edit
from wijknet.engine.model import File, Page


def test_missing_lunr_languages_says_run_make_install(tmp_path):
    with pytest.raises(SearchAssetsError, match="make install"):
        DutchAnalysis.from_node_modules(tmp_path)


def test_stop_words_and_word_characters_come_from_lunr_nl(analysis):
    assert {"de", "het", "een", "bij", "van"} <= analysis.stop_words
    assert "ouderen" not in analysis.stop_words
    assert len(analysis.stop_words) > 90
    assert analysis.source.endswith("lunr-languages/lunr.nl.js")


def test_trimmer_keeps_every_letter_and_digit(analysis):
    # lunr.py's stock Dutch trimmer cut q, x, y and digits off word edges ("yoga" -> "oga")
    from lunr.token import Token

    trim = analysis.register()["trimmer-nl"]
    for raw, kept in [("yoga", "yoga"), ("quiz!", "quiz"), ("(xtc)", "xtc"), ("1092", "1092"), ("café", "café")]:
        assert str(trim(Token(raw))) == kept


def test_normalize_folds_case_diacritics_and_punctuation(analysis):
    assert analysis.normalize("Taalcafé (Noord)!") == "taalcafe noord"
    assert analysis.normalize("65-plussers") == "65 plussers"
    assert analysis.words("Hulp bij de schulden?") == ["hulp", "schulden"]


def test_index_is_lunr_2_3_9_with_the_dutch_search_pipeline(sample_files, sample_build):
    index = json.loads(sample_files["search/index.json"])
    documents = json.loads(sample_files["search/documents.json"])
    assert index["version"] == "2.3.9"
    assert index["pipeline"] == ["stemmer-nl"]
    listed = sample_build.catalog.listed
    assert len(documents) == len(listed)
    assert set(documents) == {to_ref(i) for i in range(len(listed))}
    for ref, doc in documents.items():
        assert set(doc) == {"slug", "title", "url", "summary", "kind", "themes", "audiences", "areas"}
        assert doc["url"] == f"/initiatieven/{doc['slug']}/"
    assert {doc["slug"] for doc in documents.values()} == {entry.slug for entry in listed}
    assert "ruilwinkel-spaarndammerbuurt" not in {doc["slug"] for doc in documents.values()}  # gestopt
    # terms are stems, and every field vector belongs to a document
    terms = {term for term, _ in index["invertedIndex"]}
    assert "ouder" in terms and "ouderen" not in terms
    assert {key.split("/", 1)[1] for key, _ in index["fieldVectors"]} == set(documents)


def test_build_is_deterministic(sample_build, analysis, sample_files):
    assert search_files(sample_build, analysis) == sample_files


def test_provider_yields_the_files_and_the_search_page(sample_build):
    items = list(provide(sample_build))
    paths = {item.path: item for item in items}
    assert {"search/index.json", "search/documents.json", "search/taxonomy.json"} <= set(paths)
    assert all(isinstance(paths[p], File) for p in paths if p.startswith("search/"))
    page = paths["zoeken/index.html"]
    assert isinstance(page, Page) and page.template == "zoeken.html"
    names = [select["name"] for select in page.context["search_filters"]]
    assert names == ["soort", "thema", "gebied"]


def test_description_budget_and_precision_are_knobs(sample_build, analysis):
    small = build_index(sample_build.catalog, analysis, SearchConfig(description_words=0, precision=1))
    big = build_index(sample_build.catalog, analysis, SearchConfig(description_words=200, precision=3))
    assert len(json.dumps(small)) < len(json.dumps(big))
    values = [v for _, vector in small["fieldVectors"] for v in vector[1::2]]
    assert all(round(v, 1) == v for v in values)


@pytest.mark.parametrize(
    "query, slug",
    [
        ("taalcafé", "taalcafe-noord"),
        ("taalcafe", "taalcafe-noord"),
        ("TAALCAFE!", "taalcafe-noord"),
        ("senioren stoel", "stoelyoga-voor-senioren-rivierenbuurt"),  # synonym of ouderen
        ("schuldhulpp", "inloop-hulp-bij-geldzaken-slotervaart"),  # typo pass
        ("yoga", "stoelyoga-voor-senioren-rivierenbuurt"),
    ],
)
def test_queries_find_the_entry_first(sample_searcher, sample_build, query, slug):
    documents = {ref: entry.slug for ref, entry in zip(map(to_ref, range(10**6)), sample_build.catalog.listed)}
    result = sample_searcher.search(query)
    assert documents[result.hits[0].ref] == slug


def test_area_names_find_entries_tagged_with_a_wijk_inside(sample_searcher, sample_build):
    catalog = sample_build.catalog
    slugs = [catalog.listed[int(hit.ref, 36)].slug for hit in sample_searcher.search("nieuw-west").hits]
    inside = [e.slug for e in catalog.listed if "nieuw-west" in catalog.area_closure(e) and "nieuw-west" not in e.areas]
    assert inside and set(inside) <= set(slugs)
    result = sample_searcher.search("nieuw-west")
    assert all(hit.coverage == 2 for hit in result.hits[: len(inside)])


def test_a_synonym_finds_every_entry_with_its_theme(sample_searcher, sample_build):
    catalog = sample_build.catalog
    found = {catalog.listed[int(hit.ref, 36)].slug for hit in sample_searcher.search("financien").hits}
    tagged = {entry.slug for entry in catalog.listed if "geld" in entry.themes}
    assert tagged and tagged <= found


def test_typo_pass_only_when_nothing_matches_every_word(sample_searcher):
    assert not sample_searcher.search("schuldhulp").typo
    assert sample_searcher.search("schuldhulpp").typo
    assert not sample_searcher.search("hulp").typo  # short words get no edit distance


def test_within_one_edit():
    assert within_one_edit("schuldhulp", "schuldhulpp")
    assert within_one_edit("dementie", "dementei")  # swapped neighbours
    assert within_one_edit("taal", "taak")
    assert not within_one_edit("taal", "tafel")
    assert not within_one_edit("ab", "ba c")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_no_query_throws(sample_searcher, text):
    sample_searcher.search(text)
    sample_searcher.search(text + " :^~*+-()")
