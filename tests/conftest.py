"""Shared fixtures: the repository root and real Chromium (the static server is in ``serving.py``).

Browser tests never skip silently in CI: with ``CI`` or ``WIJKNET_REQUIRE_BROWSER`` set, a
missing Chromium is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
        yield instance
        instance.close()


