"""Fixtures for the exports tests: a small catalog from ``tests/exports/fixture/`` with the
repository's real taxonomy and settings, on a fixed build date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from testkit import REPO

from wijknet.exports import provide
from wijknet.project import Project
from wijknet.engine.model import BuildContext
from wijknet.engine.urls import Urls

FIXTURE = Path(__file__).resolve().parent / "fixture"
TODAY = dt.date(2027, 1, 10)


def load_catalog(today: dt.date = TODAY):
    result = Project.at(REPO, content=FIXTURE).load(today)
    assert not result.problems, [problem.message("en") for problem in result.problems]
    return result.catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def urls(catalog):
    return Urls(catalog.settings.site_url)


@pytest.fixture(scope="module")
def outputs(catalog, urls) -> dict[str, bytes]:
    """Every export file by path."""
    return {file.path: file.content for file in provide(BuildContext(catalog, urls))}


@pytest.fixture(scope="module")
def fresh_catalog():
    """A loader for new catalogs (another build date, or a second independent load)."""
    return load_catalog
