"""The matching pages in real Chromium: no JavaScript needed, no axe violations."""

from __future__ import annotations

import shutil

import pytest
from testkit import REPO
from testkit.serving import axe_violations, serve_directory

from wijknet.matching import pages
from wijknet.engine.model import File
from wijknet.providers import site_build
from wijknet.site.pages import entry_page
from wijknet.engine.urls import Urls

from .conftest import render_page

PAGES = (
    "/vragen/",
    "/initiatieven/maatje-gezocht-meneer-82-transvaalbuurt/",
    "/initiatieven/kledingbank-zuidoost/",
)


@pytest.fixture(scope="module")
def site(catalog, tmp_path_factory):
    root = tmp_path_factory.mktemp("matching-site")
    build = site_build(catalog, Urls("http://127.0.0.1"))
    shutil.copytree(REPO / "theme" / "static", root / "static")
    items = list(pages.provide(build))
    items += [entry_page(build, catalog.by_slug[url.split("/")[2]]) for url in PAGES[1:]]
    for item in items:
        target = root / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(item, File):
            target.write_bytes(item.content)
        else:
            target.write_text(render_page(build, item), encoding="utf-8")
    url, stop = serve_directory(root)
    yield url
    stop()


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_matching_pages_are_axe_clean_without_javascript(browser, site, path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + path)
    # without JavaScript the matches are there
    assert page.locator("main .card-title a").count() >= 1
    context.close()

    page = browser.new_page()
    page.goto(site + path)
    violations = axe_violations(page)
    page.close()
    assert violations == []
