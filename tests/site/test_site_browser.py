"""The site in real Chromium: accessibility (axe-core), keyboard use, the filters, and the
XSS corpus (no script runs, no dialog opens)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from site_support import axe_violations, xss_entries

pytestmark = pytest.mark.browser

AXE_PAGES = [
    "/",
    "/initiatieven/buurtmaaltijd-dapperbuurt/",  # initiatief
    "/initiatieven/maatje-gezocht-oost/",  # vraag
    "/initiatieven/workshop-vallen-voorkomen/",  # activiteit
    "/initiatieven/inloop-spreekuur-pauze/",  # voorziening (gepauzeerd)
    "/initiatieven/repair-cafe-gestopt/",
    "/thema/ontmoeting/",
    "/gebied/oost/",
    "/overzicht/?thema=ontmoeting&stadsdeel=oost",
    "/agenda/",
    "/meedoen/",
]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_wcag_21_aa_violations(page, amsterdam_url, path):
    page.goto(amsterdam_url + path)
    page.wait_for_load_state("load")
    assert axe_violations(page) == []


def test_axe_on_a_phone_screen(browser, amsterdam_url):
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    try:
        for path in ("/", "/overzicht/", "/initiatieven/buurtmaaltijd-dapperbuurt/"):
            page.goto(amsterdam_url + path)
            assert axe_violations(page) == [], path
            # nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    finally:
        context.close()


def _visible_count(page) -> int:
    """The cards listed once the list has settled (filtered cards come from the search's fragments)."""
    expect(page.locator("#filter-status")).not_to_have_text(re.compile("geladen"))
    expect(page.locator("[data-results]")).not_to_have_attribute("aria-busy", "true")
    return page.locator("[data-results] > li:not([hidden])").count()


def _check(page, name: str) -> None:
    """Tick a filter; its group starts closed, so open it first as a visitor would."""
    label = page.locator("label.filter-option", has_text=re.compile(rf"^{name} \("))
    label.evaluate("label => { label.closest('details').open = true; }")
    page.get_by_role("checkbox", name=re.compile(rf"^{name} \(")).check()


def test_filters_combine_update_counts_and_live_in_the_url(page, amsterdam_url):
    page.goto(amsterdam_url + "/overzicht/")
    total = _visible_count(page)
    assert total == 8  # 10 entries minus the gestopt one and the expired question
    assert page.locator(".filter-options a").count() == 0  # links became checkboxes
    _check(page, "Ontmoeting")
    assert _visible_count(page) == 3
    assert page.url.endswith("/overzicht/?thema=ontmoeting")
    assert page.locator("#filter-status").inner_text() == "3 berichten met deze filters"
    # counts in other groups follow the selection
    assert page.locator("label:has(input#filter-stadsdeel-oost) .count").text_content() == "(2)"
    assert page.locator("label:has(input#filter-stadsdeel-noord) .count").text_content() == "(1)"
    _check(page, "Oost")
    assert _visible_count(page) == 2  # AND between groups
    assert "thema=ontmoeting" in page.url and "stadsdeel=oost" in page.url
    _check(page, "Noord")
    assert _visible_count(page) == 3  # OR within a group
    page.go_back()
    assert _visible_count(page) == 2
    assert page.get_by_role("checkbox", name=re.compile(r"^Noord")).is_checked() is False
    page.go_back()
    assert _visible_count(page) == 3
    assert page.get_by_role("checkbox", name=re.compile(r"^Oost")).is_checked() is False
    # a shared link opens with the same filters
    page.goto(amsterdam_url + "/overzicht/?soort=activiteit&wijk=dapperbuurt")
    assert _visible_count(page) == 1
    assert page.locator("#filter-wijk-dapperbuurt").is_checked()
    assert page.locator("#filter-status").get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Wis alle filters").click()
    assert _visible_count(page) == total
    assert page.url.endswith("/overzicht/")


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
                href: el.getAttribute('href'), outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                shadow: s.boxShadow, top: el.getBoundingClientRect().top}; }"""
    )


def test_keyboard_only(page, amsterdam_url):
    page.goto(amsterdam_url + "/")
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["href"] == "#inhoud" and skip["top"] >= 0  # the skip link shows itself
    assert skip["outline"] != "none" and skip["width"] >= 2
    # the header in reading order: site name, menu, search field, search button
    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["outline"] != "none" and focused["width"] >= 2, focused  # visible focus
        order.append(focused["href"] or focused["id"] or focused["text"])
    assert order == ["/", "/overzicht/", "/agenda/", "/vragen/", "/thema/", "/gebied/", "/meedoen/", "zoekveld", "Zoek", "zoekveld-start"]
    # the skip link moves focus to the main content
    page.goto(amsterdam_url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "zoekveld-start"


def test_filters_work_with_the_keyboard(page, amsterdam_url):
    page.goto(amsterdam_url + "/overzicht/")
    page.focus("#zoekveld")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('details[data-group=thema]') !== null && document.activeElement.tagName === 'SUMMARY'"):
            page.keyboard.press("Enter")  # the group opens
        if page.evaluate("document.activeElement.id") == "filter-thema-ontmoeting":
            break
    else:
        pytest.fail("could not reach the theme filter with Tab")
    focused = _focused(page)
    assert focused["outline"] != "none"
    page.keyboard.press("Space")
    assert _visible_count(page) == 3
    assert page.url.endswith("?thema=ontmoeting")


def test_xss_corpus_runs_no_script(browser, xss_site, xss_url):
    # Without the CSP: escaping and sanitising alone must keep every payload inert.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    paths = ["/", "/overzicht/", "/agenda/", "/thema/ontmoeting/", "/gebied/dapperbuurt/", "/soort/vraag/"]
    paths += [f"/initiatieven/{slug}/" for slug in sorted(xss_entries())]
    try:
        for path in paths:
            page.goto(xss_url + path)
            page.wait_for_load_state("load")
            # hover and click everything that might carry a handler
            for link in page.locator("main a").all()[:40]:
                link.hover()
            state = page.evaluate(
                """() => ({
                  scripts: [...document.scripts].map(s => s.src ? 'src' : s.type),
                  handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
                      .filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name)),
                  badLinks: [...document.querySelectorAll('[href],[src],[action]')]
                      .map(el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action'))
                      .filter(u => /^\\s*(javascript|data:text)/i.test(u)),
                  dangerous: document.querySelectorAll('main iframe, main img, main svg, main object, main embed, main form:not([role=search]), main style, main math').length,
                  jsonld: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
                })"""
            )
            assert state["handlers"] == [], path
            assert state["badLinks"] == [], path
            assert state["dangerous"] == 0, path
            assert all(kind in ("src", "application/ld+json", "application/json") for kind in state["scripts"]), (path, state["scripts"])
            for block in state["jsonld"]:
                json.loads(block)  # still one intact JSON document: nothing broke out
            if path.startswith("/initiatieven/xss-"):
                title = page.locator("h1").inner_text()
                assert title.startswith("</script><script>alert(1)</script>"), title  # shown as text
        assert dialogs == []
        assert errors == []
    finally:
        context.close()


def test_print_stylesheet_hides_navigation_and_keeps_the_list(page, amsterdam_url):
    page.goto(amsterdam_url + "/overzicht/?thema=ontmoeting")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".filters").is_hidden()
    assert _visible_count(page) == 3
    assert page.locator("[data-results] > li:visible").count() == 3
    page.goto(amsterdam_url + "/initiatieven/buurtmaaltijd-dapperbuurt/")
    assert page.locator(".correction").is_hidden()
    assert page.locator(".contact-list").is_visible()
