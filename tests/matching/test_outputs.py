"""What a build gets from matching: the vragen page, data/matches.json, the question feeds
and the sections on entry pages, rendered with the real templates."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from wijknet.matching import pages, sections
from wijknet.matching.core import GOOD_MATCH_SCORE, MAX_MATCHES, SHOWN_MATCHES
from wijknet.dutch.analysis import DutchAnalysis
from wijknet.providers import site_build
from wijknet.search.provider import dutch_analysis
from wijknet.engine.model import BuildContext, File, Page
from wijknet.site.pages import entry_page
from wijknet.engine.urls import Urls

from .conftest import render_page

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def build(catalog):
    return site_build(catalog, Urls(catalog.settings.site_url))


@pytest.fixture(scope="module")
def outputs(build):
    return {item.path: item for item in pages.provide(build)}


def test_matching_runs_once_per_build(build, outputs):
    first = pages.build_matches(build)
    sections.entry_sections(build, build.catalog.by_slug["kookclub-voor-mannen-transvaalbuurt"])
    assert pages.build_matches(build) is first


def test_matching_and_search_share_the_builds_dutch_analysis(build, outputs, monkeypatch):
    shared = build.dutch_analysis()  # read by matching

    def read_again(*args, **kwargs):
        raise AssertionError("the Dutch analysis is read twice in one build")

    monkeypatch.setattr(DutchAnalysis, "from_node_modules", read_again)
    assert dutch_analysis(build) is shared


def test_provider_outputs(build, outputs):
    stadsdelen = [area.id for area in build.catalog.taxonomy.areas.of_level("stadsdeel")]
    expected = {"vragen/index.html", "data/matches.json"} | {f"feeds/vragen/{sd}.atom.xml" for sd in stadsdelen}
    assert set(outputs) == expected
    assert isinstance(outputs["vragen/index.html"], Page)
    assert isinstance(outputs["data/matches.json"], File)


def test_matches_json_shape(build, outputs):
    data = json.loads(outputs["data/matches.json"].content)
    assert data["date"] == "2026-11-23"
    assert set(data["method"]["weights"]) == {"themes", "audiences", "area", "text", "freshness"}
    slugs = [q["slug"] for q in data["questions"]]
    assert slugs == sorted(slugs)
    assert "maatje-gezocht-meneer-82-transvaalbuurt" in slugs
    assert "tolk-gezocht-ouderavond-indische-buurt" not in slugs  # expired
    for question in data["questions"]:
        assert set(question) == {"slug", "title", "url", "themes", "audiences", "areas", "checked", "expires", "match_count", "matches"}
        assert question["url"] == f"https://wijknet.example/initiatieven/{question['slug']}/"
        assert len(question["matches"]) <= MAX_MATCHES <= max(question["match_count"], MAX_MATCHES)
        scores = [m["score"] for m in question["matches"]]
        assert scores == sorted(scores, reverse=True)
        assert [m["rank"] for m in question["matches"]] == list(range(1, len(scores) + 1))
        for match in question["matches"]:
            assert set(match) == {"rank", "slug", "title", "kind", "url", "score", "parts", "reasons", "explanation"}
            assert match["kind"] in ("initiatief", "voorziening", "activiteit")
            assert match["explanation"] == " · ".join(match["reasons"])
    text = outputs["data/matches.json"].content.decode("utf-8")
    assert " · " in text and "\\u00b7" not in text  # ensure_ascii=False: readable UTF-8


def test_matches_json_is_byte_identical_across_builds(catalog, outputs):
    again = site_build(catalog, Urls(catalog.settings.site_url))
    second = {item.path: item for item in pages.provide(again)}
    assert second["data/matches.json"].content == outputs["data/matches.json"].content
    assert second["feeds/vragen/oost.atom.xml"].content == outputs["feeds/vragen/oost.atom.xml"].content


def test_question_feeds_parse_and_hold_the_stadsdeel_questions(build, outputs):
    matches = pages.build_matches(build)
    for stadsdeel in build.catalog.taxonomy.areas.of_level("stadsdeel"):
        root = ET.fromstring(outputs[f"feeds/vragen/{stadsdeel.id}.atom.xml"].content)
        assert root.tag == f"{ATOM}feed"
        assert root.find(f"{ATOM}id").text == f"https://wijknet.example/feeds/vragen/{stadsdeel.id}.atom.xml"
        links = [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]
        expected = [q for q in matches.questions if stadsdeel.id in build.catalog.stadsdelen_of(q)]
        assert len(links) == len(expected)
    oost = ET.fromstring(outputs["feeds/vragen/oost.atom.xml"].content)
    links = [entry.find(f"{ATOM}link").get("href") for entry in oost.findall(f"{ATOM}entry")]
    assert "https://wijknet.example/initiatieven/maatje-gezocht-meneer-82-transvaalbuurt/" in links
    assert "https://wijknet.example/initiatieven/ervaringsdeskundige-gezocht-praatgroep/" in links  # city-wide
    assert "https://wijknet.example/initiatieven/vrijwilligers-gezocht-kledingbank-zuidoost/" not in links
    updated = [entry.find(f"{ATOM}updated").text for entry in oost.findall(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)


def test_vragen_page_lists_open_questions_per_stadsdeel_newest_first(build, outputs):
    html = render_page(build, outputs["vragen/index.html"])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("main h1").get_text() == "Vragen"
    sections_by_id = {section.h2["id"]: section for section in soup.select("main section.question-group")}
    assert list(sections_by_id)[0] == "vragen-amsterdam"
    oost = sections_by_id["vragen-oost"]
    titles = [a.get_text() for a in oost.select(".card-title a")]
    assert "Wie kan een maatje zijn voor een eenzame meneer (82) in de Transvaalbuurt?" in titles
    dates = [t["datetime"] for t in oost.select(".card-meta time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(titles)
    zuidoost_links = [a["href"] for a in sections_by_id["vragen-zuidoost"].select(".card-title a")]
    assert "/initiatieven/vrijwilligers-gezocht-kledingbank-zuidoost/" in zuidoost_links
    all_links = [a["href"] for a in soup.select("main .card-title a")]
    assert "/initiatieven/tolk-gezocht-ouderavond-indische-buurt/" not in all_links  # expired
    counts = [p.get_text() for p in oost.select(".match-count")]
    assert counts and all("kunnen helpen" in text or "kan helpen" in text for text in counts)
    assert oost.select_one('a[href="/feeds/vragen/oost.atom.xml"]')
    assert len(soup.select('head link[rel="alternate"][href^="/feeds/vragen/"]')) == 9
    assert not soup.select("main script")


def _entry_html(build, slug):
    return BeautifulSoup(render_page(build, entry_page(build, build.catalog.by_slug[slug])), "html.parser")


def test_question_page_shows_top_matches_with_explanations(build):
    soup = _entry_html(build, "maatje-gezocht-meneer-82-transvaalbuurt")
    section = soup.select_one("section.matches")
    assert section.h2.get_text() == "Wie kan helpen?"
    items = section.select("ol.match-list > li")
    assert len(items) == SHOWN_MATCHES
    links = [li.select_one(".card-title a")["href"] for li in items]
    assert "/initiatieven/kookclub-voor-mannen-transvaalbuurt/" in links
    reasons = [li.select_one(".match-reason").get_text() for li in items]
    assert all(reason.startswith("Waarom dit past: zelfde thema") for reason in reasons)


def test_entry_page_shows_open_questions_it_matches_well(build):
    matches = pages.build_matches(build)
    soup = _entry_html(build, "kledingbank-zuidoost")
    section = soup.select_one("section.matches")
    assert section.h2.get_text().startswith("Open vragen")
    links = [a["href"] for a in section.select(".card-title a")]
    assert "/initiatieven/vrijwilligers-gezocht-kledingbank-zuidoost/" in links
    assert all(m.score >= GOOD_MATCH_SCORE for m in matches.for_entry("kledingbank-zuidoost"))


@pytest.mark.parametrize(
    "slug",
    ["buurtmoestuin-betondorp", "ruilwinkel-spaarndammerbuurt", "workshop-veilig-online-voor-ouders", "tolk-gezocht-ouderavond-indische-buurt"],
)
def test_no_matching_section_on_paused_stopped_past_or_closed_pages(build, slug):
    assert sections.entry_sections(build, build.catalog.by_slug[slug]) == []
    assert not _entry_html(build, slug).select("section.matches")


def test_untrusted_text_is_escaped(catalog):
    from .conftest import catalog_of, make_entry

    q = make_entry(catalog, "vraag-met-html", soort="vraag", titel="<script>alert(1)</script> hulp gezocht", themas=["eenzaamheid"], werkgebied=["transvaalbuurt"])
    offer = make_entry(catalog, "aanbod-met-html", titel="<b>Koffie</b> voor iedereen", werkgebied=["transvaalbuurt"])
    build = site_build(catalog_of(catalog, [q, offer]), Urls(catalog.settings.site_url))
    page = next(item for item in pages.provide(build) if item.path == "vragen/index.html")
    html = render_page(build, page)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    section_html = render_page(build, entry_page(build, build.catalog.by_slug["vraag-met-html"]))
    assert "<b>Koffie</b>" not in section_html and "&lt;b&gt;Koffie&lt;/b&gt;" in section_html
