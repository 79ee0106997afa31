"""The search page in a real build, in real Chromium."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect
from testkit import unhashed
from testkit.serving import axe_violations

from wijknet.build import SEARCH_LIBRARIES


def _open(browser, url, javascript=True, route=None):
    """A fresh context on ``url``: (context, page, page errors, requested URLs). ``route``,
    a (pattern, handler) pair, is set on the context before the page opens."""
    context = browser.new_context(java_script_enabled=javascript)
    if route:
        context.route(*route)
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return context, page, errors, requests


def _entries_in_area(output, area: str) -> list[str]:
    """The URLs of the entries in ``area`` or an area inside it, in ref order, from the
    complete files (what the filter must give)."""
    documents = json.loads((output / "search" / "documents.json").read_text(encoding="utf-8"))
    areas = json.loads((output / "search" / "taxonomy.json").read_text(encoding="utf-8"))["areas"]

    def inside(area_id: str | None) -> bool:
        while area_id:
            if area_id == area:
                return True
            area_id = areas[area_id].get("parent")
        return False

    refs = sorted(documents, key=lambda ref: int(ref, 36))
    return [documents[ref]["url"] for ref in refs if any(inside(a) for a in documents[ref]["areas"])]


def _wait_results(page):
    # wait_for_function evaluates a string in the page, which the site's CSP forbids
    expect(page.locator("#zoek-status")).to_have_text(re.compile(r"\.$"))


def test_search_page_and_files_are_written(built_site):
    output, _ = built_site
    soup = BeautifulSoup((output / "zoeken" / "index.html").read_text(encoding="utf-8"), "html.parser")
    form = soup.select_one("form#zoekformulier[role=search]")
    assert form is not None and form.get("action") == "/zoeken/"
    assert form["data-manifest"] == "/search/manifest.json"
    assert not form.get("data-index") and not form.get("data-documents")
    assert soup.select_one("#zoek-status[aria-live=polite]") is not None
    assert soup.select_one("nav#zoek-paginas.pagination[hidden]") is not None
    assert {o["value"] for o in soup.select("select[name=soort] option") if o["value"]} <= {
        "initiatief", "vraag", "activiteit", "voorziening",
    }
    assert soup.select_one("#zoeken-zonder-js a[href='/thema/']") is not None
    # the page runs search.js only; its worker (search.js again) imports lunr, its stemmer
    # support and the Dutch stemmer, in that order, as one file (one request)
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert [unhashed(src).rsplit("/", 1)[1] for src in scripts] == ["search.js"]
    libraries = form["data-libraries"].split()
    assert [unhashed(src) for src in libraries] == ["/static/vendor/lunr-nl.min.js"]
    assert all((output / src.lstrip("/")).is_file() for src in scripts + libraries)
    bundle = (output / libraries[0].lstrip("/")).read_bytes()
    parts = [(output / "static" / "vendor" / name).read_bytes().rstrip() for name in SEARCH_LIBRARIES]
    assert bundle == b";\n".join(parts) + b"\n"
    # inline scripts break the CSP; JSON-LD (breadcrumbs for search engines) is a data block, never run
    assert not soup.select('script:not([src]):not([type="application/ld+json"])'), "inline scripts break the CSP"
    index = json.loads((output / "search" / "index.json").read_text(encoding="utf-8"))
    documents = json.loads((output / "search" / "documents.json").read_text(encoding="utf-8"))
    manifest = json.loads((output / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert index["version"] == "2.3.9" and index["pipeline"] == ["stemmer-nl"]
    slugs = {doc["slug"] for doc in documents.values()}
    assert "repair-cafe-gestopt" not in slugs and "taalcafe-banne" in slugs
    assert {ref for ref, _ in index["fieldVectors"] for ref in [ref.split("/", 1)[1]]} == set(documents)
    assert manifest["documents"] == len(documents) and (output / "search" / manifest["dictionary"]).is_file()


@pytest.mark.browser
def test_without_javascript_the_page_says_so(browser, built_site):
    _, url = built_site
    context, page, _, _ = _open(browser, f"{url}/zoeken/", javascript=False)
    assert page.is_visible("#zoeken-zonder-js")
    assert not page.is_visible("#zoekformulier")
    assert page.locator("#zoeken-zonder-js a[href='/gebied/']").count() == 1
    context.close()


@pytest.mark.browser
def test_typing_searches_lazily_with_highlights(browser, built_site):
    _, url = built_site
    context, page, errors, requests = _open(browser, f"{url}/zoeken/")
    assert page.is_visible("#zoekformulier") and not page.is_visible("#zoeken-zonder-js")
    # the worker and its libraries start with the page (code only: a first search then waits
    # for the index alone)
    for _ in range(50):
        if [r for r in requests if unhashed(r).endswith("/vendor/lunr-nl.min.js")]:
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the worker did not start with the page")
    page.wait_for_timeout(200)
    assert not [r for r in requests if "/search/" in r], "nothing of the index loads before someone searches"
    page.focus("#zoekterm")
    expect(page.locator("#zoekterm")).to_be_focused()
    page.wait_for_timeout(300)
    assert [r for r in requests if r.endswith("/search/manifest.json")], "the manifest loads when the box gets focus"
    assert not [r for r in requests if "/search/t/" in r or "/search/d/" in r]
    page.fill("#zoekterm", "taalcafe")
    _wait_results(page)
    assert [r for r in requests if "/search/t/" in r] and [r for r in requests if "/search/d/" in r]
    links = page.locator("#zoek-resultaten li h2 a")
    assert links.first.get_attribute("href") == "/initiatieven/taalcafe-banne/"
    assert page.locator("#zoek-resultaten li").first.locator("mark").first.text_content() == "Taalcafé"
    assert re.fullmatch(r"(1 resultaat|\d+ resultaten)\.", page.text_content("#zoek-status"))
    assert "q=taalcafe" in page.url
    # prefix matching on the last word, while typing
    page.fill("#zoekterm", "koffieoch")
    expect(page.locator("#zoek-resultaten a").first).to_have_attribute("href", re.compile("koffieochtend"))
    assert not [r for r in requests if r.endswith(("/search/index.json", "/search/documents.json"))]
    files = [r for r in requests if not unhashed(r).endswith("/js/search.js")]
    assert len(files) == len(set(files)), "typing on fetches only what is new"
    # search.js twice: the page's script, then the worker that parses and searches
    assert len([r for r in requests if unhashed(r).endswith("/js/search.js")]) == 2
    assert not errors
    context.close()


@pytest.mark.browser
def test_the_index_does_not_wait_for_the_workers_libraries(browser, built_site):
    """On a slow network the box can get focus while the worker still loads its libraries,
    and a worker reads no message before they are there. The page then fetches the manifest
    and the taxonomy itself and hands them to the worker: they are on their way at once, and
    each is fetched once."""
    _, url = built_site
    held = []
    libraries = re.compile(r"/vendor/lunr-nl\.min\.[0-9a-f]+\.js$")
    context, page, errors, requests = _open(browser, f"{url}/zoeken/", route=(libraries, lambda route: held.append(route)))
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the worker did not ask for its libraries")
    page.focus("#zoekterm")
    page.fill("#zoekterm", "taalcafe")
    for _ in range(50):
        if [r for r in requests if r.endswith("/search/taxonomy.json")]:
            break
        page.wait_for_timeout(100)
    assert [r for r in requests if r.endswith("/search/manifest.json")], "the manifest waited for the libraries"
    assert [r for r in requests if r.endswith("/search/taxonomy.json")]
    assert not [r for r in requests if "/search/t/" in r], "no shard before the stemmer is there"
    held[0].continue_()
    _wait_results(page)
    assert page.locator("#zoek-resultaten li h2 a").first.get_attribute("href") == "/initiatieven/taalcafe-banne/"
    search = [r for r in requests if "/search/" in r]
    assert len(search) == len(set(search)), "every file is fetched once"
    assert not errors
    context.close()


@pytest.mark.browser
def test_filters_typos_syntax_and_suggestions(browser, built_site):
    output, url = built_site
    context, page, errors, _ = _open(browser, f"{url}/zoeken/?q=ontmoeting&soort=activiteit")
    _wait_results(page)
    assert page.input_value("#filter-soort") == "activiteit"
    hrefs = page.eval_on_selector_all("#zoek-resultaten h2 a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs == ["/initiatieven/koffieochtend-vandaag/"]
    page.select_option("#filter-soort", "")
    expect(page.locator("#zoek-resultaten li").nth(1)).to_be_visible()
    # a filter without words: every entry in the area or an area inside it, in ref order
    page.fill("#zoekterm", "")
    area = page.eval_on_selector("#filter-gebied optgroup option", "o => o.value")
    page.select_option("#filter-gebied", area)
    # this render has started once the address is the area alone, and is done once the list is
    # no longer busy (the status before it also read "N resultaten.")
    expect(page).to_have_url(re.compile(rf"/zoeken/\?gebied={re.escape(area)}$"))
    expect(page.locator("#zoek-resultaten:not([aria-busy])")).to_have_count(1)
    expect(page.locator("#zoek-status")).to_have_text(re.compile(r"^\d+ resultat?en?\.$"))
    hrefs = page.eval_on_selector_all("#zoek-resultaten h2 a", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs == _entries_in_area(output, area)
    page.select_option("#filter-gebied", "")
    assert "soort=" not in page.url
    for query in ['ouderen: ^2 ~1 +(-"x")*', "title:taal", "\\", "*"]:
        page.fill("#zoekterm", query)
        page.wait_for_timeout(250)
    page.fill("#zoekterm", "taalcaffe")  # one letter too many: typo pass
    expect(page.locator("#zoek-status")).to_contain_text("lijken")
    assert page.locator("#zoek-resultaten a[href='/initiatieven/taalcafe-banne/']").count() == 1
    page.fill("#zoekterm", "sportclub")
    expect(page.locator("#zoek-suggesties")).to_be_visible()
    assert page.text_content("#zoek-status").startswith("Niets gevonden")
    assert page.locator("#zoek-suggesties a[href='/thema/sport-en-bewegen/']").count() == 1
    assert not errors
    context.close()


@pytest.mark.browser
def test_keyboard_submit_moves_focus_to_results(browser, built_site):
    _, url = built_site
    context, page, errors, _ = _open(browser, f"{url}/zoeken/")
    page.focus("#zoekterm")
    page.keyboard.type("mantelzorg")
    page.keyboard.press("Enter")
    _wait_results(page)
    assert page.evaluate("document.activeElement.id") == "zoek-resultaten"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/initiatieven/stedelijk-mantelzorgsteunpunt/"
    assert not errors
    context.close()


@pytest.mark.browser
def test_search_page_with_results_passes_axe(browser, built_site):
    _, url = built_site
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/zoeken/?q=ontmoeting")
    _wait_results(page)
    assert axe_violations(page) == []
    context.close()
