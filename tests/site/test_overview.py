"""The overview at any size: a first page of cards in the HTML, the filters with the counts of
all entries, pages without JavaScript, "Toon meer berichten" and filters on all entries with it.

A generated site of 130 entries (six pages of 24) is built once. Without JavaScript,
following rel="next" from ``overzicht/`` visits every listed entry exactly once, in title
order. In Chromium: the next cards come from the search's fragments and look exactly like the
server's, focus moves to the first new card, a filter shows every match (as many as its facet
page), the filters live in the URL, axe finds nothing, nothing shifts at 360 px. At 5,000
entries (slow) the overview's HTML stays small.
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from testkit import REPO, make_content
from testkit.browser import PERFORMANCE_WATCH, performance_watch
from testkit.generated import generate_named_entries
from testkit.serving import serve

from wijknet.build import build_site
from wijknet.project import Project
from wijknet.site.pages import OVERVIEW_PAGE_SIZE, by_title

from site_support import BUILD_DATE, Site, axe_violations

SIZE = 130
MAX_CLS = 0.05


def _build(root, size: int) -> Site:
    content = make_content(root, entries=generate_named_entries(size, today=BUILD_DATE))
    project = Project.at(REPO, content=content)
    build_site(project, root / "output", BUILD_DATE, cache_dir=root / "cache")
    return Site(root / "output", project)


@pytest.fixture(scope="module")
def overview_site(tmp_path_factory) -> Site:
    return _build(tmp_path_factory.mktemp("overview"), SIZE)


@pytest.fixture(scope="module")
def overview_url(overview_site):
    with serve(overview_site.output) as url:
        yield url


def _listed(site: Site):
    return site.project.load(BUILD_DATE).catalog.listed


def _entry_links(soup) -> list[str]:
    return [a["href"] for a in soup.select("[data-results] > li .card-title a")]


def _walk(site: Site, url: str) -> list[tuple[str, object]]:
    pages, seen = [], set()
    while url:
        assert url not in seen, f"rel=next goes round in a circle at {url}"
        seen.add(url)
        soup = site.html(url)
        pages.append((url, soup))
        following = soup.select('a[rel="next"]')
        url = following[0]["href"] if following else ""
    return pages


def test_the_first_page_holds_one_page_of_cards_and_the_counts_of_all_entries(overview_site):
    listed = _listed(overview_site)
    catalog = overview_site.project.load(BUILD_DATE).catalog
    assert len(listed) > 5 * OVERVIEW_PAGE_SIZE, "the fixture must need several pages"
    soup = overview_site.html("/overzicht/")
    expected = [f"/initiatieven/{entry.slug}/" for entry in by_title(listed)]
    assert _entry_links(soup) == expected[:OVERVIEW_PAGE_SIZE]
    assert soup.select_one("#filter-status").get_text(strip=True) == f"{len(listed)} berichten"
    # every option counts all entries: the count of its facet page
    for link in soup.select(".filter-options a"):
        vocabulary = {"soort": "kinds", "thema": "themes", "doelgroep": "audiences", "gebied": "areas"}[link["href"].split("/")[1]]
        count = catalog.facet_count(vocabulary, link["data-value"])
        assert link.select_one(".count").get_text() == f"({count})"
    # the groups start closed on every screen: the script opens and closes nothing
    assert soup.select(".filter-group") and not soup.select(".filter-group[open]")
    overview = soup.select_one("[data-overview]")
    assert overview["data-page-size"] == str(OVERVIEW_PAGE_SIZE) and overview["data-total"] == str(len(listed))


def test_without_javascript_next_pages_reach_every_entry_once_in_title_order(overview_site):
    listed = _listed(overview_site)
    pages = _walk(overview_site, "/overzicht/")
    found = [link for _, soup in pages for link in _entry_links(soup)]
    assert found == [f"/initiatieven/{entry.slug}/" for entry in by_title(listed)]
    count = -(-len(listed) // OVERVIEW_PAGE_SIZE)
    assert [url for url, _ in pages] == ["/overzicht/"] + [f"/overzicht/pagina/{n}/" for n in range(2, count + 1)]
    titles = {soup.title.get_text() for _, soup in pages}
    assert len(titles) == count, "every page has its own title"
    for number, (url, soup) in enumerate(pages, 1):
        assert soup.select_one("link[rel='canonical']")["href"].endswith(url)
        assert [a.get_text(" ", strip=True) for a in soup.select(".pagination-pages a[aria-current='page']")] == [f"Pagina {number}"]
        # every page keeps the filters as links to the facet pages
        assert soup.select(".filter-options a[href^='/thema/']")
        if number > 1:
            first = (number - 1) * OVERVIEW_PAGE_SIZE + 1
            last = min(number * OVERVIEW_PAGE_SIZE, len(listed))
            assert soup.select_one("#resultaten-titel").get_text(strip=True) == f"Berichten {first} tot en met {last} van {len(listed)}"
            assert not soup.select("script[src$='overview.js']"), "only the first page runs the script"


def _card_shape(page, selector: str) -> list:
    """Each card under ``selector`` as (tag, attributes, text) of every element, whitespace aside."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).map((li) =>
            Array.from(li.querySelectorAll('*')).map((el) => [el.tagName,
              Array.from(el.attributes).map((a) => a.name + '=' + a.value).sort().join(' '),
              Array.from(el.childNodes).filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim()]))""",
        selector,
    )


@pytest.mark.browser
def test_toon_meer_adds_the_next_cards_as_the_server_makes_them_and_moves_focus(browser, overview_site, overview_url):
    listed = _listed(overview_site)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(overview_url + "/overzicht/pagina/2/")
        server_page_two = _card_shape(page, "[data-results] > li")
        requests: list[str] = []
        page.on("request", lambda request: requests.append(urlsplit(request.url).path))
        page.goto(overview_url + "/overzicht/")
        cards = page.locator("[data-results] > li")
        assert cards.count() == OVERVIEW_PAGE_SIZE
        assert page.locator(".pagination").is_hidden(), "with the script the page list gives way to the button"
        more = page.get_by_role("button", name="Toon meer berichten")
        more.focus()
        page.keyboard.press("Enter")
        expect(cards).to_have_count(2 * OVERVIEW_PAGE_SIZE)
        shapes = _card_shape(page, "[data-results] > li")
        assert shapes[OVERVIEW_PAGE_SIZE:] == server_page_two
        # the focus is on the first new card
        first_new = f"/initiatieven/{by_title(listed)[OVERVIEW_PAGE_SIZE].slug}/"
        assert page.evaluate("document.activeElement.getAttribute('href')") == first_new
        assert re.fullmatch(rf"Je ziet {2 * OVERVIEW_PAGE_SIZE} van de {len(listed)} berichten, op volgorde van naam\.", page.locator("[data-progress]").inner_text())
        # the cards came from the search's fragments and the overview list, nothing else
        assert any(path.startswith("/search/d/") for path in requests)
        assert any(re.fullmatch(r"/overzicht/lijst\.[0-9a-f]{10}\.json", path) for path in requests)
        assert not [path for path in requests if path.endswith(("documents.json", "index.json"))]
        # to the end: every entry once, in title order, then no button
        while more.is_visible():
            more.click()
            page.wait_for_timeout(50)
        expect(cards).to_have_count(len(listed))
        hrefs = page.eval_on_selector_all("[data-results] .card-title a", "as => as.map(a => a.getAttribute('href'))")
        assert hrefs == [f"/initiatieven/{entry.slug}/" for entry in by_title(listed)]
    finally:
        page.close()


def _facet_links(site: Site, url: str) -> set[str]:
    return {a["href"] for _, soup in _walk(site, url) for a in soup.select("#berichten ~ ul.cards .card-title a")}


@pytest.mark.browser
def test_a_filter_shows_every_match_counts_like_the_facet_page_and_lives_in_the_url(browser, overview_site, overview_url):
    catalog = overview_site.project.load(BUILD_DATE).catalog
    kind = max(catalog.facets["kinds"], key=lambda term: len(catalog.facets["kinds"][term]))
    expected = _facet_links(overview_site, f"/soort/{kind}/")
    assert len(expected) > OVERVIEW_PAGE_SIZE, "the kind must need more than one page"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(overview_url + "/overzicht/")
        page.locator("details[data-group=soort] summary").click()
        page.locator(f"#filter-soort-{kind}").check()
        status = page.locator("#filter-status")
        expect(status).to_have_text(f"{len(expected)} berichten met deze filters")
        assert page.url.endswith(f"/overzicht/?soort={kind}")
        expect(page.locator("details[data-group=soort] summary")).to_contain_text("1 gekozen")
        cards = page.locator("[data-results] > li")
        expect(cards).to_have_count(OVERVIEW_PAGE_SIZE)
        more = page.get_by_role("button", name="Toon meer berichten")
        while more.is_visible():
            more.click()
            page.wait_for_timeout(50)
        found = page.eval_on_selector_all("[data-results] .card-title a", "as => as.map(a => a.getAttribute('href'))")
        assert len(found) == len(expected) and set(found) == expected
        titles = page.eval_on_selector_all("[data-results] .card-title a", "as => as.map(a => a.textContent)")
        assert titles == [entry.title for entry in by_title(e for e in catalog.listed if f"/initiatieven/{e.slug}/" in expected)]
        # a shared link opens with the same filter; clearing it brings back the first page
        page.goto(overview_url + f"/overzicht/?soort={kind}")
        expect(status).to_have_text(f"{len(expected)} berichten met deze filters")
        assert page.locator(f"#filter-soort-{kind}").is_checked()
        page.get_by_role("button", name="Wis alle filters").click()
        expect(status).to_have_text(f"{len(catalog.listed)} berichten")
        assert page.url.endswith("/overzicht/")
        page.go_back()
        expect(status).to_have_text(f"{len(expected)} berichten met deze filters")
    finally:
        page.close()


@pytest.mark.browser
def test_axe_and_a_phone_screen(browser, overview_url):
    for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        page = context.new_page()
        try:
            page.goto(overview_url + "/overzicht/")
            page.get_by_role("button", name="Toon meer berichten").click()
            expect(page.locator("[data-results] > li")).to_have_count(2 * OVERVIEW_PAGE_SIZE)
            page.locator("details[data-group=soort] summary").click()
            page.locator("#filter-soort-activiteit").check()
            expect(page.locator("#filter-status")).to_contain_text("met deze filters")
            assert axe_violations(page) == [], viewport
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            page.goto(overview_url + "/overzicht/pagina/2/")
            assert axe_violations(page) == [], viewport
        finally:
            context.close()


@pytest.mark.browser
def test_without_javascript_the_page_list_shows_and_no_button(browser, overview_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(overview_url + "/overzicht/")
        assert page.locator(".pagination").is_visible()
        assert page.get_by_role("button", name="Toon meer berichten").count() == 0
        page.locator('.pagination a[rel="next"]').click()
        page.wait_for_url(re.compile(r"/overzicht/pagina/2/$"))
    finally:
        context.close()


def _layout_shift(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    try:
        page.add_init_script(PERFORMANCE_WATCH)
        page.goto(url)
        page.wait_for_load_state("load")
        expect(page.locator("#filter-status")).not_to_have_text(re.compile("geladen"))
        page.wait_for_timeout(500)
        return performance_watch(page)["cls"]
    finally:
        context.close()


@pytest.mark.browser
def test_nothing_shifts_when_the_filters_start_at_360_px(browser, overview_site, overview_url):
    catalog = overview_site.project.load(BUILD_DATE).catalog
    theme = max(catalog.facets["themes"], key=lambda term: len(catalog.facets["themes"][term]))
    for path in ("/overzicht/", f"/overzicht/?thema={theme}", f"/overzicht/?thema={theme}&stadsdeel=oost"):
        shift = _layout_shift(browser, overview_url + path)
        print(f"CLS {path}: {shift:.4f}")
        assert shift <= MAX_CLS, (path, shift)


@pytest.mark.slow
@pytest.mark.browser
def test_at_5000_entries_the_overview_stays_small(browser, tmp_path_factory):
    site = _build(tmp_path_factory.mktemp("overview-5000"), 5000)
    html = site.path("/overzicht/").read_bytes()
    table = next((site.output / "overzicht").glob("lijst.*.json")).read_bytes()
    print(f"overzicht/ at 5,000 entries: {len(html) / 1024:.0f} KB HTML ({len(gzip.compress(html)) / 1024:.0f} KB gz); "
          f"overview list {len(table) / 1024:.0f} KB ({len(gzip.compress(table)) / 1024:.0f} KB gz)")
    # the first page holds one page of cards and the filters: it does not grow with the entries
    assert len(html) < 150 * 1024
    soup = site.html("/overzicht/")
    assert len(soup.select("[data-results] > li")) == OVERVIEW_PAGE_SIZE
    with serve(site.output) as url:
        assert _layout_shift(browser, url + "/overzicht/") <= MAX_CLS
        page = browser.new_page()
        try:
            page.goto(url + "/overzicht/?soort=activiteit")
            count = len(site.project.load(BUILD_DATE).catalog.facets["kinds"]["activiteit"])
            expect(page.locator("#filter-status")).to_have_text(f"{count} berichten met deze filters")
            expect(page.locator("[data-results] > li")).to_have_count(OVERVIEW_PAGE_SIZE)
        finally:
            page.close()
