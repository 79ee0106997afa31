"""The browser's scorer (``createScorer`` in ``search.js``) against lunr.js's own query.

The sharded searcher does not load a lunr index: it scores the postings of the terms a
query expands to, and must give lunr's results with lunr's scores bit for bit. The
differential test in ``test_shards.py`` holds that on the sample content; this one holds it
on many small random indexes built by lunr.js itself, with words that share prefixes and
hold digits, documents that match in all three fields, and one scorer reused for every
query of an index (its arrays carry over from query to query), both ways of sorting."""

from __future__ import annotations

import pytest

RANDOM_INDEXES = 40
QUERIES_PER_INDEX = 60

COMPARE = """
async ({seed, indexes, queries}) => {
    let state = seed;
    const random = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
    const pick = list => list[Math.floor(random() * list.length)];
    const I = wijknetSearch.internals;
    const fields = ["t", "s", "c"], text = ["t", "s"];
    const word = () => { let w = ""; for (let i = 1 + Math.floor(random() * 4); i > 0; i--) w += pick("ab1c"); return w; };
    const mismatches = [];
    let compared = 0, hits = 0, ordered = 0;
    for (let n = 0; n < indexes; n++) {
        const vocabulary = Array.from({length: 30}, word);
        const tokens = ["0t1", "0t2", "0t3", "1a2"];
        const count = 20 + Math.floor(random() * 150);
        const words = k => Array.from({length: Math.floor(random() * k)}, () => pick(vocabulary)).join(" ");
        const docs = Array.from({length: count}, (_, d) => ({
            id: d.toString(36), t: words(4), s: words(12),
            c: Array.from({length: Math.floor(random() * 3)}, () => pick(tokens)).join(" ")}));
        const serialized = JSON.parse(JSON.stringify(lunr(function () {
            this.pipeline.reset(); this.searchPipeline.reset();
            this.ref("id"); this.field("t", {boost: 3}); this.field("s"); this.field("c", {boost: 2});
            docs.forEach(doc => this.add(doc));
        })));
        const index = lunr.Index.load(serialized);
        // the postings as the sharded searcher decodes them: positions and weights per field
        const weight = {};
        serialized.fieldVectors.forEach(([key, elements]) => {
            for (let i = 0; i < elements.length; i += 2) weight[key + " " + elements[i]] = elements[i + 1];
        });
        const entries = {};
        serialized.invertedIndex.forEach(([term, posting]) => {
            entries[term] = {term, index: posting._index, fields: fields.map(name => {
                const positions = Object.keys(posting[name]).map(ref => parseInt(ref, 36)).sort((a, b) => a - b);
                return [Int32Array.from(positions),
                        Float64Array.from(positions.map(p => weight[name + "/" + p.toString(36) + " " + posting._index]))];
            })};
        });
        const terms = Object.keys(entries);
        // every third index ranks with the comparator sort instead of packed keys
        const scorer = I.createScorer(fields, count, n % 3 === 0 ? 0 : undefined);
        for (let q = 0; q < queries; q++) {
            const groups = Array.from({length: 1 + Math.floor(random() * 3)}, () => {
                const stem = random() < 0.8 ? pick(vocabulary) : word();
                const group = [{term: stem, kind: "exact", fields: text, boost: I.BOOST.exact}];
                if (random() < 0.6) group.push({term: stem.slice(0, 1 + Math.floor(random() * 2)), kind: "prefix", fields: text, boost: I.BOOST.prefix});
                if (random() < 0.3) group.push({term: stem, kind: "fuzzy", fields: text, boost: I.BOOST.fuzzy});
                if (random() < 0.6) group.push({term: pick(tokens), kind: "token", fields: ["c"], boost: I.BOOST.token});
                return group;
            });
            const clauses = I.lunrClauses(groups);
            const expansions = clauses.map(clause => {
                const automaton = clause.kind === "fuzzy" ? lunr.TokenSet.fromFuzzyString(clause.term, 1) : null;
                const matching = terms.filter(t => clause.kind === "prefix" ? t.startsWith(clause.term)
                    : automaton ? I.fuzzyAccepts(automaton, t, 0) : t === clause.term);
                const inOrder = I.inLunrOrder(clause, matching, fields);
                if (inOrder.join(" ") !== matching.slice().sort().join(" ")) ordered++;
                return inOrder.map(t => entries[t]);
            });
            const key = list => JSON.stringify(list.map(h => [h.ref, h.score, h.coverage, h.covered, h.terms]));
            const expected = I.runLunr(index, groups);
            const got = scorer.score(groups, clauses, expansions, I.groupCover(groups));
            if (key(got) !== key(expected)) mismatches.push([n, q, JSON.stringify(groups), key(expected).slice(0, 300), key(got).slice(0, 300)]);
            compared++;
            hits += expected.length;
        }
    }
    return {mismatches: mismatches.slice(0, 5), failed: mismatches.length, compared, hits, ordered};
}
"""


@pytest.mark.browser
def test_scorer_equals_lunrs_query_on_random_indexes(search_page):
    page, errors = search_page
    outcome = page.evaluate(COMPARE, {"seed": 2026, "indexes": RANDOM_INDEXES, "queries": QUERIES_PER_INDEX})
    assert outcome["failed"] == 0, outcome["mismatches"]
    assert outcome["compared"] == RANDOM_INDEXES * QUERIES_PER_INDEX and outcome["hits"] > 50_000
    assert outcome["ordered"] > 100, "expansions whose lunr order is not the sorted order were compared"
    assert not errors
