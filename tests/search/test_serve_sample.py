"""The search page of the sample content (783 entries), built and served as ``make serve``
serves it (``wijknet.commands.serve.make_app`` under uvicorn), in real Chromium."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect
from testkit import REPO, TEST_DATE, make_site
from testkit.browser import PERFORMANCE_WATCH, long_tasks_of, performance_watch
from testkit.serving import axe_violations, serve_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sample_served(tmp_path_factory):
    from wijknet.commands.serve import build_once, make_app
    from wijknet.submissions.settings import ServiceSettings

    repo = make_site(
        tmp_path_factory.mktemp("serve") / "site", content=REPO / "content", files={".gitignore": ".submissions/\n"}, commit="Begin"
    )
    output = repo / "output"
    previous = os.environ.get("SUBMISSIONS_URL")
    os.environ["SUBMISSIONS_URL"] = "/"  # as `wijknet serve` builds
    try:
        assert build_once(repo, output, TEST_DATE)
    finally:
        if previous is None:
            os.environ.pop("SUBMISSIONS_URL", None)
        else:
            os.environ["SUBMISSIONS_URL"] = previous
    with serve_app(make_app(ServiceSettings(repo=repo, today=TEST_DATE), output)) as url:
        yield url


def _page(browser, url: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    return context, page, errors, requests


def _done(page):
    expect(page.locator("#zoek-status")).to_have_text(re.compile(r"\.$"))


def _search(page, text: str) -> str:
    before = page.text_content("#zoek-status")
    page.fill("#zoekterm", text)
    if before:
        expect(page.locator("#zoek-status")).not_to_have_text(before)
    _done(page)
    return page.text_content("#zoek-status")


def test_searching_never_loads_the_complete_index(browser, sample_served):
    context, page, errors, requests = _page(browser, f"{sample_served}/zoeken/")
    page.focus("#zoekterm")
    for text in ["eenzame ouderen nieuw-west", "dementei", "taalc", "senioren bewegen", "hulp bij schulden", "ouderen"]:
        _search(page, text)
    page.click("#zoek-paginas a[rel=next]")
    expect(page).to_have_url(re.compile("pagina=2"))
    _done(page)
    page.select_option("#filter-soort", "activiteit")
    expect(page).not_to_have_url(re.compile("pagina=2"))
    _done(page)
    search = [r for r in requests if "/search/" in r]
    assert not [r for r in search if r.endswith(("/search/index.json", "/search/documents.json"))]
    assert any(r.endswith("/search/manifest.json") for r in search)
    assert any("/search/terms." in r for r in search), "the typo pass loaded the dictionary"
    assert len([r for r in search if "/search/t/" in r]) >= 5 and len([r for r in search if "/search/d/" in r]) >= 10
    assert len(search) == len(set(search)), "every file is fetched once"
    assert not errors
    context.close()


def test_bekijk_alle_n_pages_beyond_the_first_20(browser, sample_served):
    context, page, errors, _ = _page(browser, f"{sample_served}/zoeken/?q=ouderen")
    _done(page)
    count = int(re.match(r"(\d+) resultaten\.", page.text_content("#zoek-status")).group(1))
    assert count > 40
    assert page.locator("#zoek-resultaten > li").count() == 20
    pages = page.locator("#zoek-paginas")
    expect(pages).to_be_visible()
    assert pages.locator(".pagination-note").text_content() == f"Bekijk alle {count} resultaten, 20 per pagina:"
    assert pages.locator("a[aria-current=page]").text_content() == "Pagina 1"
    last = -(-count // 20)
    assert pages.locator(".pagination-pages a").last.get_attribute("data-pagina") == str(last)
    first_page = page.eval_on_selector_all("#zoek-resultaten h2 a", "as => as.map(a => a.href)")
    pages.locator("a", has_text="Pagina 2").click()
    expect(page.locator("#zoek-status")).to_have_text(f"{count} resultaten, pagina 2 van {last}.")
    second_page = page.eval_on_selector_all("#zoek-resultaten h2 a", "as => as.map(a => a.href)")
    assert len(second_page) == 20 and not set(first_page) & set(second_page)
    assert "pagina=2" in page.url
    assert page.evaluate("document.activeElement.href") == second_page[0], "focus moves to the first result of the page"
    # the address of a page shows that page
    page.goto(page.url)
    _done(page)
    assert page.eval_on_selector_all("#zoek-resultaten h2 a", "as => as.map(a => a.href)") == second_page
    page.click(f"#zoek-paginas .pagination-pages a[data-pagina='{last}']")
    expect(page.locator("#zoek-status")).to_have_text(f"{count} resultaten, pagina {last} van {last}.")
    assert page.locator("#zoek-resultaten > li").count() == count - 20 * (last - 1)
    assert axe_violations(page) == []
    assert not errors
    context.close()


def test_results_say_which_words_matched(browser, sample_served):
    context, page, errors, _ = _page(browser, f"{sample_served}/zoeken/?q=ouderen+qqqq")
    _done(page)
    first = page.locator("#zoek-resultaten > li").first
    assert first.locator(".card-matched").text_content() == "Gevonden op: ouderen. Niet op: qqqq."
    assert first.locator(".card-matched strong").text_content() == "ouderen"
    _search(page, "senioren wandelen")  # a synonym of a target group and a word of the text
    lines = page.eval_on_selector_all("#zoek-resultaten .card-matched", "ps => ps.map(p => p.textContent)")
    assert lines[0] == "Gevonden op: senioren, wandelen."
    assert not errors
    context.close()


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_result_cards_read_well_at_every_width(browser, sample_served, width):
    context, page, errors, _ = _page(browser, f"{sample_served}/zoeken/?q=eenzame+ouderen", width)
    _done(page)
    boxes = page.eval_on_selector_all(
        "#zoek-resultaten > li",
        """items => items.map(li => { const card = li.matches('.card') ? li : li.querySelector('.card'), title = li.querySelector('.card-title'),
               summary = li.querySelector('.card-summary');
               return [card.getBoundingClientRect().width, title.getBoundingClientRect().width,
                       summary.getBoundingClientRect().width, title.getBoundingClientRect().top < summary.getBoundingClientRect().top]; })""",
    )
    assert len(boxes) == 20
    for card, title, summary, title_above in boxes:
        # title and summary each take the card's width, one above the other (at 1280 px the
        # title used to be squeezed into a column of a letter or two)
        assert title > 0.8 * (card - 40) and summary > 0.8 * (card - 40) and title_above, (width, card, title, summary)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), "nothing sticks out sideways"
    assert not errors
    context.close()


def test_filters_give_the_counts_their_options_promise(browser, sample_served):
    context, page, errors, _ = _page(browser, f"{sample_served}/zoeken/")
    checked = 0
    for name in ("soort", "thema", "gebied"):
        options = page.eval_on_selector_all(
            f"#filter-{name} option", "os => os.filter(o => o.value).map(o => [o.value, o.textContent])"
        )
        for value, label in options[:12]:
            expected = int(re.search(r"\((\d+)\)$", label).group(1))
            page.select_option(f"#filter-{name}", value)
            # the render for this option has started once the address carries it, and has
            # finished once the list is no longer busy (the status of the option before may
            # promise the same count while this list is still being filled)
            expect(page).to_have_url(re.compile(rf"[?&]{name}={re.escape(value)}(&|$)"))
            expect(page.locator("#zoek-resultaten:not([aria-busy])")).to_have_count(1)
            text = f"{expected} resultaten." if expected != 1 else "1 resultaat."
            expect(page.locator("#zoek-status")).to_have_text(text)
            assert page.locator("#zoek-resultaten > li").count() == min(20, expected)
            checked += 1
        page.select_option(f"#filter-{name}", "")
    assert checked >= 20
    assert not errors
    context.close()


def search_blocks_nothing(browser, url: str, label: str) -> None:
    """``zoeken/?q=schulden`` opened, a query typed, a typo searched: no long task (> 50 ms) on
    the main thread is the search's work, and no callback of search.js takes 50 ms (its parsing
    and searching happen in a worker). Prints the largest long task of any kind and how long the
    page took to evaluate search.js itself (loading code, not searching)."""
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    try:
        page.add_init_script(PERFORMANCE_WATCH)
        page.goto(url + "/zoeken/?q=schulden")
        expect(page.locator("#zoek-status")).to_have_text(re.compile(r"resultaten?\.$"))
        page.fill("#zoekterm", "")
        page.type("#zoekterm", "hulp bij schulden", delay=60)
        expect(page.locator("#zoekterm")).to_have_value("hulp bij schulden")
        expect(page).to_have_url(re.compile(r"q=hulp\+bij\+schulden"))
        expect(page.locator("#zoek-status")).to_have_text(re.compile(r"\.$"))
        page.fill("#zoekterm", "schuldhulpverlenign")  # the typo pass loads the term dictionary
        expect(page.locator("#zoek-status")).to_have_text(re.compile(r"(lijken|Niets gevonden)"))
        page.wait_for_timeout(300)
        watch = performance_watch(page)
        tasks, runs, evaluation = long_tasks_of(watch, "/js/search.js")
        largest = max((task["duration"] for task in watch["long_tasks"]), default=0)
        print(f"{label}: {len(watch['long_tasks'])} long tasks on the main thread, the largest {largest:.0f} ms; "
              f"of the search: {[round(task['duration']) for task in tasks]}; evaluating search.js itself {evaluation:.0f} ms")
        assert tasks == [] and runs == [], (tasks, runs)
    finally:
        context.close()


def test_searching_blocks_the_page_for_no_long_task(browser, sample_served):
    search_blocks_nothing(browser, sample_served, "zoeken/?q=schulden at 783 entries")


@pytest.mark.slow
def test_searching_blocks_the_page_for_no_long_task_at_5000_entries(browser, tmp_path_factory):
    from testkit import make_content
    from testkit.generated import generate_named_entries
    from testkit.serving import serve

    from wijknet.build import build_site
    from wijknet.project import Project

    root = tmp_path_factory.mktemp("search-5000")
    content = make_content(root, entries=generate_named_entries(5000, today=TEST_DATE))
    build_site(Project.at(REPO, content=content), root / "output", TEST_DATE, cache_dir=root / "cache")
    with serve(root / "output") as url:
        search_blocks_nothing(browser, url, "zoeken/?q=schulden at 5,000 entries")
