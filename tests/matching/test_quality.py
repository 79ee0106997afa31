"""The ranking against what professionals expect (tests/matching/expectations.yaml)."""

from __future__ import annotations

from wijknet.matching import match_catalog
from wijknet.matching.quality import load_expectations, recall_at_k, recall_per_question

from .conftest import HERE

RECALL_TARGET = 0.85


def test_expectations_cover_enough_real_questions(catalog):
    expectations = load_expectations(HERE / "expectations.yaml")
    assert expectations.today == catalog.today
    assert len(expectations.questions) >= 15
    matches = match_catalog(catalog)
    open_slugs = {question.slug for question in matches.questions}
    # every expected question is open and every expected entry exists and may match
    assert set(expectations.questions) <= open_slugs
    for expected in expectations.questions.values():
        for slug in expected:
            entry = catalog.by_slug[slug]
            assert entry.kind != "vraag" and entry.status == "actief", slug


def test_recall_at_5_meets_the_target(catalog, analyzer):
    expectations = load_expectations(HERE / "expectations.yaml")
    matches = match_catalog(catalog, analyzer)
    recall = recall_at_k(matches, expectations, 5)
    per_question = recall_per_question(matches, expectations, 5)
    misses = {slug: value for slug, value in per_question.items() if value < 1}
    assert recall >= RECALL_TARGET, f"recall@5 {recall:.3f}; missed: {misses}"


def test_obvious_answers_come_first(catalog, analyzer):
    matches = match_catalog(catalog, analyzer)
    top = {slug: found[0].entry for slug, found in matches.by_question.items() if found}
    assert top["vrijwilligers-gezocht-kledingbank-zuidoost"] == "kledingbank-zuidoost"
    assert top["ouders-puber-drugs-zuid"] == "ouderavond-puber-drugs-alcohol-zuid"
    assert top["digid-en-toeslagen-indische-buurt"] == "computer-en-digid-spreekuur-indische-buurt"
