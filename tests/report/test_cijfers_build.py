"""The Cijfers page in a real build (``wijknet.build.build_site``, Pelican and the theme)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from testkit.serving import axe_violations, serve_directory

from wijknet.build import build_site
from wijknet.project import Project

from .conftest import EXPECTED_MONTHLY, TODAY


@pytest.fixture(scope="module")
def built(history_repo, tmp_path_factory):
    output = tmp_path_factory.mktemp("bouw") / "output"
    build_site(Project.at(history_repo), output, TODAY)
    return output


def test_cijfers_page_in_the_built_site(built):
    soup = BeautifulSoup((built / "cijfers" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one('meta[http-equiv="Content-Security-Policy"]')
    assert soup.select_one('form[role="search"] input#zoekveld')
    main = soup.select_one("main#inhoud")
    assert main.select_one("h1").get_text(strip=True) == "Cijfers"
    assert main.select_one('#tabel-soorten tr[data-id="voorziening"] td').get_text() == "2"
    months = [row["data-maand"] for row in main.select("#tabel-maanden tbody tr")]
    assert months == [m["month"] for m in EXPECTED_MONTHLY]
    assert len(main.select('svg[role="img"]')) == 4
    assert not soup.select("[style], style")  # the CSP forbids inline styles
    # the facet links on the page point at pages the build wrote
    for link in main.select("table a[href]"):
        assert (built / link["href"].lstrip("/") / "index.html").is_file(), link["href"]


@pytest.mark.browser
def test_cijfers_page_has_no_axe_violations(built, browser):
    url, stop = serve_directory(built)
    page = browser.new_page(today=TODAY)  # the page lives on the build date
    try:
        page.goto(f"{url}/cijfers/")
        assert axe_violations(page) == []
        # the charts are named images for assistive technology
        names = page.eval_on_selector_all(
            "svg[role=img]", "els => els.map(e => e.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent).join(': '))"
        )
        assert names[0].startswith("Berichten per soort: Staafdiagram")
    finally:
        page.close()
        stop()
