"""The golden site: the main content of a few key pages of the Amsterdam fixture, normalised.

A change to these pages shows up as a diff under tests/golden/site/ that someone reviews.
Regenerate with ``WIJKNET_UPDATE_GOLDEN=1 .venv/bin/pytest tests/site/test_site_golden.py``.
"""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from testkit import REPO

GOLDEN = REPO / "tests" / "golden" / "site"
PAGES = {
    "home": "/",
    "entry": "/initiatieven/buurtmaaltijd-dapperbuurt/",
    "entry-gestopt": "/initiatieven/repair-cafe-gestopt/",
    "facet-gebied-oost": "/gebied/oost/",
    "agenda": "/agenda/",
}


def normalised_main(html: str) -> str:
    """The <main> element, one tag per line, without other rooms' entry sections."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("main")
    for section in main.select("[data-entry-section]"):
        section.decompose()
    return main.prettify()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_golden_pages(amsterdam_site, name):
    actual = normalised_main(amsterdam_site.path(PAGES[name]).read_text(encoding="utf-8"))
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("WIJKNET_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run with WIJKNET_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8"), f"{name} changed; review and regenerate the golden file"
