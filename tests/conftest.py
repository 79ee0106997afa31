"""Shared fixtures: the repository root and real Chromium. Helpers live in ``testkit/``.

Browser tests never skip silently in CI: with ``CI`` or ``WIJKNET_REQUIRE_BROWSER`` set, a
missing Chromium is a failure, not a skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from testkit import REPO
from testkit.browser import CHROMIUM_ARGS, DatedBrowser, chromium_or_skip


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's, via Playwright)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield DatedBrowser(instance)
        instance.close()
