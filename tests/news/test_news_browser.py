"""The news pages in real Chromium: axe-core finds no WCAG 2.1 A/AA violations, with and
without JavaScript the content is there."""

from __future__ import annotations

import pytest
from testkit.serving import axe_violations

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("path", ["/nieuws/", "/nieuws/pagina/2/", "/nieuws/bericht-12/", "/"])
def test_news_pages_have_no_axe_violations(browser, news_url, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(news_url + path)
        page.wait_for_load_state("load")
        assert axe_violations(page, AXE_TAGS) == []
    finally:
        context.close()


def test_news_works_without_javascript(browser, news_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(news_url + "/nieuws/")
        page.get_by_role("link", name="Volgende pagina").click()
        assert page.url.endswith("/nieuws/pagina/2/")
        page.get_by_role("link", name="Nieuwsbericht 01 uit de buurt").click()
        assert page.locator("main h1").inner_text() == "Nieuwsbericht 01 uit de buurt"
    finally:
        context.close()
