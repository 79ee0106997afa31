"""Long facet lists are split over pages linked with rel="prev"/"next".

A generated site of 260 entries (all in Amsterdam, so the city page holds every listed
entry) is built once. Following rel="next" from a facet page must visit every entry of that
facet exactly once, in title order; every page says where it stands; the page list, titles
and head links are right; a short list stays on one page; and a paginated page passes axe
and fits a phone screen in Chromium.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from testkit import REPO, make_content, tree
from testkit.generated import generate_named_entries
from testkit.serving import serve

from wijknet.build import build_site
from wijknet.project import Project
from wijknet.site.pages import FACET_PAGE_SIZE, PAGE_LINKS_ALL, by_title, page_links

from site_support import BUILD_DATE, Site, axe_violations

SIZE = 260


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("paged")
    content = make_content(root, entries=generate_named_entries(SIZE, today=BUILD_DATE))
    project = Project.at(REPO, content=content)
    build_site(project, root / "output", BUILD_DATE, cache_dir=root / "cache")
    return Site(root / "output", project)


def _catalog(site: Site):
    return site.project.load(BUILD_DATE).catalog


def walk(site: Site, url: str) -> list[tuple[str, object]]:
    """(url, soup) of the first page and every page after it by rel="next"."""
    pages = []
    seen = set()
    while url:
        assert url not in seen, f"rel=next goes round in a circle at {url}"
        seen.add(url)
        soup = site.html(url)
        pages.append((url, soup))
        following = soup.select('a[rel="next"]')
        assert len(following) <= 1
        url = following[0]["href"] if following else ""
    return pages


def entry_links(soup) -> list[str]:
    """The entries listed under "Berichten", in page order."""
    return [a["href"] for a in soup.select("#berichten ~ ul.cards a[href^='/initiatieven/']")]


def test_following_next_visits_every_entry_once_in_title_order(big_site):
    catalog = _catalog(big_site)
    for vocabulary, prefix in (("areas", "gebied"), ("kinds", "soort")):
        for term_id, entries in catalog.facets[vocabulary].items():
            pages = walk(big_site, f"/{prefix}/{term_id}/")
            expected = [f"/initiatieven/{entry.slug}/" for entry in by_title(entries)]
            found = [link for _, soup in pages for link in entry_links(soup)]
            assert found == expected, (vocabulary, term_id)
            assert len(pages) == max(1, -(-len(expected) // FACET_PAGE_SIZE))


def test_the_city_page_is_split_and_every_page_says_where_it_stands(big_site):
    listed = len(_catalog(big_site).listed)
    assert listed > 2 * FACET_PAGE_SIZE, "the fixture must need at least three pages"
    pages = walk(big_site, "/gebied/amsterdam/")
    count = len(pages)
    titles = set()
    for number, (url, soup) in enumerate(pages, 1):
        first = (number - 1) * FACET_PAGE_SIZE + 1
        last = min(number * FACET_PAGE_SIZE, listed)
        assert url == ("/gebied/amsterdam/" if number == 1 else f"/gebied/amsterdam/pagina/{number}/")
        heading = soup.select_one("#berichten").get_text(" ", strip=True)
        assert heading == f"Berichten {first} tot en met {last} van {listed}"
        assert f"Pagina {number} van {count}" in soup.select_one(".pagination-note").get_text()
        # the total stays the facet's total on every page
        assert soup.select_one(".facet-count strong").get_text(strip=True) == f"{listed} berichten"
        # rel links in the page and in the head agree
        previous = soup.select_one('a[rel="prev"]')
        head_previous = soup.select_one('link[rel="prev"]')
        head_next = soup.select_one('link[rel="next"]')
        if number == 1:
            assert previous is None and head_previous is None
        else:
            expected_previous = "/gebied/amsterdam/" if number == 2 else f"/gebied/amsterdam/pagina/{number - 1}/"
            assert previous["href"] == head_previous["href"] == expected_previous
        assert (head_next is None) == (number == count)
        # the page list marks this page, links the others
        current = soup.select(".pagination-pages a[aria-current='page']")
        assert [a.get_text(" ", strip=True) for a in current] == [f"Pagina {number}"]
        assert soup.select_one("link[rel='canonical']")["href"].endswith(url)
        titles.add(soup.title.get_text())
    assert len(titles) == count, "every page has its own title"


def test_a_short_list_stays_on_one_page(big_site):
    catalog = _catalog(big_site)
    short = [(term, entries) for term, entries in catalog.facets["themes"].items() if len(entries) <= FACET_PAGE_SIZE]
    assert short, "the fixture must have a theme with a short list"
    term, entries = short[0]
    soup = big_site.html(f"/thema/{term}/")
    assert soup.select_one(".pagination") is None and soup.select_one("link[rel='next']") is None
    assert soup.select_one("#berichten").get_text(strip=True) == "Alle berichten"
    assert not (big_site.output / "thema" / term / "pagina").exists()


def test_exactly_the_pages_the_count_needs_exist(big_site):
    listed = len(_catalog(big_site).listed)
    count = -(-listed // FACET_PAGE_SIZE)
    pages = sorted(path.parent.name for path in (big_site.output / "gebied" / "amsterdam" / "pagina").glob("*/index.html"))
    assert pages == sorted(str(n) for n in range(2, count + 1))


@pytest.mark.parametrize(
    ("number", "count", "expected"),
    [
        (1, 1, [1]),
        (3, PAGE_LINKS_ALL, list(range(1, PAGE_LINKS_ALL + 1))),
        (1, 20, [1, 2, 3, 0, 20]),
        (10, 20, [1, 0, 8, 9, 10, 11, 12, 0, 20]),
        (20, 20, [1, 0, 18, 19, 20]),
        (4, 20, [1, 2, 3, 4, 5, 6, 0, 20]),
    ],
)
def test_page_links_show_the_ends_and_the_neighbours(number, count, expected):
    links = page_links(number, count, lambda n: f"/p/{n}/")
    assert [n for n, _ in links] == expected
    assert all(url == (f"/p/{n}/" if n else "") for n, url in links)


def test_a_paginated_page_passes_axe_and_fits_a_phone(browser, big_site):
    with serve(big_site.output) as base:
        for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
            context = browser.new_context(viewport=viewport, bypass_csp=True)
            page = context.new_page()
            try:
                for path in ("/gebied/amsterdam/", "/gebied/amsterdam/pagina/2/"):
                    page.goto(base + path)
                    assert axe_violations(page) == [], (path, viewport)
                    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
                # the keyboard reaches "Volgende pagina" and it leads to page 2
                page.goto(base + "/gebied/amsterdam/")
                page.locator('a[rel="next"]').first.focus()
                page.keyboard.press("Enter")
                page.wait_for_url(re.compile(r"/gebied/amsterdam/pagina/2/$"))
            finally:
                context.close()


def test_pages_dropped_when_a_list_gets_shorter_and_incremental_equals_clean(big_site, tmp_path):
    content = make_content(tmp_path, content=big_site.project.content.parent)
    project = Project.at(REPO, content=content)
    output, cache = tmp_path / "output", tmp_path / "cache"
    build_site(project, output, BUILD_DATE, cache_dir=cache)
    catalog = project.load(BUILD_DATE).catalog
    assert (output / "gebied" / "amsterdam" / "pagina" / "3" / "index.html").is_file()
    # remove listed entries until the city list fits on two pages
    surplus = len(catalog.listed) - 2 * FACET_PAGE_SIZE
    for entry in catalog.listed[:surplus]:
        (content / "initiatieven" / f"{entry.slug}.md").unlink()
    report = build_site(project, output, BUILD_DATE, cache_dir=cache)
    assert report.removed >= surplus + 1
    assert not (output / "gebied" / "amsterdam" / "pagina" / "3").exists()
    clean = tmp_path / "clean"
    build_site(project, clean, BUILD_DATE, use_cache=False)
    assert tree(output) == tree(clean)


FILTER_FIELDS = {"soort": "kind", "thema": "themes", "doelgroep": "audiences", "stadsdeel": "areas", "wijk": "areas"}


def _expected_counts(catalog, chosen: dict[str, list[str]]) -> tuple[int, dict[tuple[str, str], int]]:
    """What the overview must show for ``chosen``, from the definition: an option counts the
    entries with its value that meet every other group's choice."""

    def values(entry, group):
        if group == "soort":
            return {entry.kind}
        if FILTER_FIELDS[group] == "areas":
            return set(catalog.area_closure(entry))
        return set(getattr(entry, FILTER_FIELDS[group]))

    def meets(entry, group):
        return not chosen.get(group) or bool(values(entry, group) & set(chosen[group]))

    shown = sum(all(meets(entry, group) for group in FILTER_FIELDS) for entry in catalog.listed)
    counts: dict[tuple[str, str], int] = {}
    for entry in catalog.listed:
        for group in FILTER_FIELDS:
            if all(meets(entry, other) for other in FILTER_FIELDS if other != group):
                for value in values(entry, group):
                    counts[(group, value)] = counts.get((group, value), 0) + 1
    return shown, counts


def test_overview_filter_counts_follow_the_definition_on_a_long_list(browser, big_site):
    catalog = _catalog(big_site)
    themes = sorted(catalog.facets["themes"], key=lambda t: -len(catalog.facets["themes"][t]))
    selections = [
        {},
        {"thema": [themes[0]]},
        {"thema": [themes[0], themes[1]], "stadsdeel": ["oost", "noord"]},
        {"soort": ["activiteit"], "doelgroep": [sorted(catalog.facets["audiences"])[0]], "stadsdeel": ["west"]},
    ]
    with serve(big_site.output) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            for chosen in selections:
                query = "&".join(f"{group}={value}" for group, values in chosen.items() for value in values)
                page.goto(f"{base}/overzicht/" + (f"?{query}" if query else ""))
                shown, expected = _expected_counts(catalog, chosen)
                # the count of every match (the list shows the first of them, more on request)
                status = page.locator("#filter-status")
                number = "1 bericht" if shown == 1 else f"{shown} berichten"
                expect(status).to_have_text(re.compile(rf"^{number}( met deze filters)?$"))
                found = page.evaluate(
                    """() => Array.from(document.querySelectorAll('.filters input[type=checkbox]')).map(
                        (input) => [input.name, input.value, input.closest('label').querySelector('.count').textContent])"""
                )
                assert len(found) > 40
                for group, value, text in found:
                    assert text == f"({expected.get((group, value), 0)})", (chosen, group, value)
        finally:
            context.close()
