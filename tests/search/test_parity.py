"""lunr.py (our Python query side) and lunr.js (search.js in Chromium) give the same
results for the same queries on the same index: same refs in the same order, with the same
words covered, matched terms and scores (to six decimals)."""

from __future__ import annotations

import pytest

from wijknet.search.quality import load_queries

QUERIES = [
    "eenzame ouderen nieuw-west",
    "hulp bij schulden",
    "taalcafe",
    "Taalcafé",
    "wandelen dementie oost",
    "digid hulp",
    "senioren bewegen",
    "schuldhulpp",
    "dementei",
    "65-plussers",
    "yoga",
    "oude",  # as typed: prefix on the last word
    "taalc",
    "nieuw-we",
    "mantelzorgers wandelen gaasperdam",
    "psychische klachten",
    "huis van de wijk",
    "ouderen:",  # lunr syntax that throws when parsed
    "title:taal^10 +hulp -geld ~2 *",
    "(a+b)",
    "~",
    "de het een",  # only stop words
    "",
    "zzzzqqqq",
    "'; DROP TABLE",
    "ЖЖЖ 你好",
    "buurtkamer 1092",
]


def _python(searcher, query: str) -> dict:
    result = searcher.search(query)
    return {
        "words": result.words,
        "typo": result.typo,
        "hits": [[hit.ref, hit.coverage, hit.terms, int(hit.score * 1_000_000 + 0.5)] for hit in result.hits],
    }


def _browser(page, query: str) -> dict:
    return page.evaluate(
        """q => { const r = S.search(q, true);
                 return {words: r.words, typo: r.typo, error: r.error || null,
                         hits: r.hits.map(h => [h.ref, h.coverage, h.terms, Math.floor(h.score * 1e6 + 0.5)])}; }""",
        query,
    )


@pytest.mark.browser
def test_python_and_browser_rank_identically(search_page, sample_searcher, repo_root):
    page, errors = search_page
    quality = [item["query"] for item in load_queries(repo_root / "tests/search_quality/queries.yaml")]
    queries = QUERIES + quality
    assert len(queries) >= 20
    compared_hits = 0
    for query in queries:
        expected = _python(sample_searcher, query)
        got = _browser(page, query)
        assert got["error"] is None, (query, got["error"])
        got.pop("error")
        got["hits"] = [[ref, coverage, tuple(terms), score] for ref, coverage, terms, score in got["hits"]]
        assert got == expected, query
        compared_hits += len(expected["hits"])
    assert not errors
    assert compared_hits > 500  # the comparison covered real result lists, not empty ones


@pytest.mark.browser
def test_browser_normalises_like_python(search_page, analysis):
    page, _ = search_page
    for text in ["Taalcafé (Noord)!", "65-plussers", "ÉÉN café, één crème", "o'neill e-mail@x.nl", "İstanbul"]:
        assert page.evaluate("t => wijknetSearch.normalize(t)", text) == analysis.normalize(text)
        assert page.evaluate("t => wijknetSearch.queryWords(t)", text)[:8] == [
            w for i, w in enumerate(analysis.words(text)) if w not in analysis.words(text)[:i]
        ][:8]
