"""Shared fixtures: the repository root and real Chromium (the static server is in ``serving.py``).

Browser tests never skip silently in CI: with ``CI`` or ``WIJKNET_REQUIRE_BROWSER`` set, a
missing Chromium is a failure, not a skip.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from clock_support import TEST_DATE, city_noon

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("WIJKNET_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _browser_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("WIJKNET_REQUIRE_BROWSER"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's, via Playwright)."""
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found (install Debian's 'chromium'; `make test` does this)"
        if _browser_required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield DatedBrowser(instance)
        instance.close()


class DatedBrowser:
    """The browser, with every new page's clock set to the build date (Playwright's clock
    API), so pages never disagree with the site about what day it is. Pass ``today=`` for a
    site built for another date; the clock then runs on from midday of that day."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, *, today: dt.date = TEST_DATE, **options):
        context = self._browser.new_context(**options)
        if options.get("java_script_enabled", True):  # without scripts no page reads a clock
            context.clock.install(time=city_noon(today))
        return context

    def new_page(self, *, today: dt.date = TEST_DATE, **options):
        page = self._browser.new_page(**options)  # closing the page closes its own context
        if options.get("java_script_enabled", True):
            page.context.clock.install(time=city_noon(today))
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)


