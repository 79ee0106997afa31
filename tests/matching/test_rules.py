"""The matching rules: who takes part, area nearness, expiry, explanations, determinism."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from wijknet.matching import match_catalog
from wijknet.matching.core import (
    CITY_WIDE_NEARNESS,
    FAR_NEARNESS_MAX,
    NEARNESS_BY_LEVEL,
    MatchIndex,
    is_candidate,
    open_questions,
)

from .conftest import catalog_of, make_entry

DAY = dt.timedelta(days=1)


def question(base, slug="maatje-gezocht", **fields):
    data = {
        "soort": "vraag",
        "titel": "Maatje gezocht voor een eenzame meneer",
        "samenvatting": "Wie komt één keer per week koffie drinken met een eenzame meneer?",
        "themas": ["eenzaamheid"],
        "doelgroepen": ["ouderen"],
        "werkgebied": ["transvaalbuurt"],
        "gecontroleerd": "2026-11-20",
    }
    data.update(fields)
    return make_entry(base, slug, **data)


def offer(base, slug, **fields):
    data = {
        "soort": "initiatief",
        "titel": "Koffie en een praatje",
        "samenvatting": "Elke week koffie drinken met buurtgenoten tegen eenzaamheid.",
        "themas": ["eenzaamheid"],
        "doelgroepen": ["ouderen"],
        "werkgebied": ["transvaalbuurt"],
        "gecontroleerd": "2026-11-01",
    }
    data.update(fields)
    return make_entry(base, slug, **data)


def ranked(catalog, slug="maatje-gezocht"):
    return [match.entry for match in match_catalog(catalog).by_question.get(slug, ())]


# --- area nearness ---------------------------------------------------------------------


def test_nearness_order_same_wijk_gebied_stadsdeel_city_then_distance(catalog):
    # Slugs are in the reverse of the expected order, so a tie broken by slug would fail.
    areas = {
        "f-zelfde-wijk": "transvaalbuurt",
        "e-zelfde-gebied": "dapperbuurt",
        "d-zelfde-stadsdeel": "indische-buurt-west",
        "c-hele-stad": "amsterdam",
        "b-ander-stadsdeel-dichtbij": "weesperbuurt-plantage",
        "a-ander-stadsdeel-ver": "gein",
    }
    entries = [offer(catalog, slug, werkgebied=[area]) for slug, area in areas.items()]
    result = ranked(catalog_of(catalog, [question(catalog), *entries]))
    assert result == list(areas)


def test_nearness_values_keep_their_order():
    levels = [NEARNESS_BY_LEVEL["wijk"], NEARNESS_BY_LEVEL["gebied"], NEARNESS_BY_LEVEL["stadsdeel"]]
    assert levels == sorted(levels, reverse=True)
    assert NEARNESS_BY_LEVEL["stadsdeel"] > CITY_WIDE_NEARNESS > FAR_NEARNESS_MAX


def test_question_for_a_gebied_counts_entries_inside_it_as_same_gebied(catalog):
    q = question(catalog, werkgebied=["oud-oost"])
    inside = offer(catalog, "binnen", werkgebied=["transvaalbuurt"])
    elsewhere = offer(catalog, "anders", werkgebied=["indische-buurt-west"])
    result = match_catalog(catalog_of(catalog, [q, inside, elsewhere]))
    first, second = result.by_question[q.slug]
    assert (first.entry, second.entry) == ("binnen", "anders")
    assert first.parts["area"] == NEARNESS_BY_LEVEL["gebied"]
    assert "in gebied Oud-Oost" in first.reasons
    assert "in stadsdeel Oost" in second.reasons


def test_city_wide_question_treats_every_place_alike(catalog):
    q = question(catalog, werkgebied=["amsterdam"])
    entries = [offer(catalog, "b-oost", werkgebied=["transvaalbuurt"]), offer(catalog, "a-zuidoost", werkgebied=["gein"])]
    found = match_catalog(catalog_of(catalog, [q, *entries])).by_question[q.slug]
    assert [m.entry for m in found] == ["a-zuidoost", "b-oost"]  # equal scores: by slug
    assert found[0].score == found[1].score


# --- who takes part --------------------------------------------------------------------


def test_paused_stopped_and_past_entries_never_match(catalog):
    q = question(catalog)
    good = offer(catalog, "actief-aanbod")
    paused = offer(catalog, "gepauzeerd-aanbod", status="gepauzeerd")
    stopped = offer(catalog, "gestopt-aanbod", status="gestopt")
    past = offer(
        catalog, "afgelopen-activiteit", soort="activiteit", wanneer={"start": "2026-11-22 10:00", "einde": "2026-11-22 12:00"}
    )
    today = offer(catalog, "activiteit-vandaag", soort="activiteit", wanneer={"start": "2026-11-23 10:00"})
    coming = offer(catalog, "activiteit-straks", soort="activiteit", wanneer={"start": "2027-01-10"})
    other_question = question(catalog, "andere-vraag")
    cat = catalog_of(catalog, [q, good, paused, stopped, past, today, coming, other_question])
    result = match_catalog(cat)
    assert sorted(ranked(cat)) == ["actief-aanbod", "activiteit-straks", "activiteit-vandaag"]
    for slug in ("gepauzeerd-aanbod", "gestopt-aanbod", "afgelopen-activiteit", "andere-vraag", "maatje-gezocht"):
        assert result.for_entry(slug) == ()


def test_sample_content_excluded_entries_never_match(catalog):
    excluded = {e.slug for e in catalog.entries if e.kind != "vraag" and not is_candidate(catalog, e)}
    # the sample content has paused, stopped and past entries: they must be in this set
    assert {
        "buurtmoestuin-betondorp",
        "fietsles-voor-vrouwen-geuzenveld",
        "inloopspreekuur-buurtteam-landlust",
        "ruilwinkel-spaarndammerbuurt",
        "tekenatelier-kinderen-indische-buurt",
        "vrijwilligersmarkt-zuidoost",
        "workshop-veilig-online-voor-ouders",
    } <= excluded
    result = match_catalog(catalog)
    matched = {m.entry for found in result.by_question.values() for m in found}
    assert matched and not (matched & excluded)


def test_paused_question_is_not_open(catalog):
    q = question(catalog, status="gepauzeerd")
    cat = catalog_of(catalog, [q, offer(catalog, "aanbod")])
    assert open_questions(cat) == ()
    assert match_catalog(cat).by_question == {}


# --- expiry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, last_open_day",
    [
        ({"gecontroleerd": "2026-08-25"}, dt.date(2026, 11, 23)),  # default: 90 days after the check
        ({"gecontroleerd": "2026-11-01", "verloopt": "2026-12-01"}, dt.date(2026, 12, 1)),  # explicit
    ],
    ids=["default-90-days", "verloopt"],
)
def test_question_is_open_through_its_expiry_date_and_not_after(catalog, fields, last_open_day):
    q = question(catalog, **fields)
    assert q.question_expires() == last_open_day
    entries = [q, offer(catalog, "aanbod", gecontroleerd="2026-08-01")]
    for today, is_open in ((last_open_day - DAY, True), (last_open_day, True), (last_open_day + DAY, False)):
        result = match_catalog(catalog_of(catalog, entries, today=today))
        assert (q.slug in result.by_question) is is_open, today
        assert bool(result.for_entry("aanbod")) is is_open, today


def test_sample_expired_questions_are_not_matched(catalog):
    result = match_catalog(catalog)
    for slug in ("buren-gezocht-buurtpreventie-gein", "samenwerking-geldspreekuur-rivierenbuurt", "tolk-gezocht-ouderavond-indische-buurt"):
        assert catalog.is_expired_question(catalog.by_slug[slug])
        assert slug not in result.by_question
    assert "maatje-gezocht-meneer-82-transvaalbuurt" in result.by_question


# --- scores and explanations -----------------------------------------------------------


def test_an_entry_without_a_shared_theme_is_no_match(catalog):
    q = question(catalog)
    unrelated = offer(catalog, "fietsles", themas=["sport-en-bewegen"], samenvatting="Fietsles in de Transvaalbuurt.")
    assert ranked(catalog_of(catalog, [q, unrelated])) == []


def test_more_shared_themes_and_words_rank_higher(catalog):
    q = question(catalog, themas=["eenzaamheid", "vrijwilligerswerk"], samenvatting="Wie wil maatje zijn en wandelen met een eenzame meneer?")
    one_theme = offer(catalog, "a-een-thema", samenvatting="Gezellig samen zijn in de buurt, met muziek.")
    two_themes = offer(catalog, "b-twee-themas", themas=["eenzaamheid", "vrijwilligerswerk"], samenvatting="Gezellig samen zijn in de buurt, met muziek.")
    words = offer(catalog, "c-woorden", samenvatting="Een vrijwillig maatje komt wandelen met een eenzame buurtbewoner.")
    assert ranked(catalog_of(catalog, [q, one_theme, two_themes]))[0] == "b-twee-themas"
    assert ranked(catalog_of(catalog, [q, one_theme, words]))[0] == "c-woorden"


def test_explanation_names_theme_and_place_in_dutch(catalog):
    result = match_catalog(catalog)
    found = {m.entry: m for m in result.by_question["maatje-gezocht-meneer-82-transvaalbuurt"]}
    kookclub = found["kookclub-voor-mannen-transvaalbuurt"]
    assert kookclub.explanation.startswith("zelfde thema: eenzaamheid · ")
    assert "in de Transvaalbuurt" in kookclub.reasons
    assert all(0 <= value <= 1 for value in kookclub.parts.values())
    assert 0 < kookclub.score <= 1


def test_far_entries_say_how_far(catalog):
    result = match_catalog(catalog)
    reasons = [r for found in result.by_question.values() for m in found for r in m.reasons if r.endswith("km verderop")]
    assert reasons and all(r.split()[0].replace(",", "").isdigit() for r in reasons)


# --- determinism -------------------------------------------------------------------------


def test_same_input_same_matches(catalog, analyzer):
    first = match_catalog(catalog, analyzer)
    shuffled = list(catalog.entries)
    random.Random(7).shuffle(shuffled)
    second = match_catalog(catalog_of(catalog, shuffled), analyzer)
    assert first == second
    assert list(first.by_question) == sorted(first.by_question)


def test_equal_entries_are_ordered_by_slug(catalog):
    q = question(catalog)
    twins = [offer(catalog, slug) for slug in ("c-drie", "a-een", "b-twee")]
    assert ranked(catalog_of(catalog, [q, *twins])) == ["a-een", "b-twee", "c-drie"]


def test_index_handles_an_empty_catalog(catalog):
    empty = catalog_of(catalog, [question(catalog)])
    assert MatchIndex(empty).rank(empty.entries[0]) == ((), 0)
    assert match_catalog(empty).by_question == {"maatje-gezocht": ()}


def test_area_table_distances_agree_with_haversine_km(catalog):
    from wijknet.matching.core import AreaTable
    from wijknet.taxonomy import haversine_km

    areas = catalog.taxonomy.areas
    table = AreaTable(areas)
    for a, b in (("transvaalbuurt", "gein"), ("jordaan", "ijburg-oost"), ("centrum", "noord")):
        expected = haversine_km(areas.by_id[a].centroid, areas.by_id[b].centroid)
        assert table.km[table.position[a], table.position[b]] == pytest.approx(expected, rel=1e-9)
    city = areas.city.id
    assert table.where(["transvaalbuurt"], [city]) == "in heel Amsterdam"
    assert table.where(["transvaalbuurt"], ["dapperbuurt", "gein"]) == "in gebied Oud-Oost"
    assert table.where(["gein"], ["jordaan"]).endswith(" km verderop")
