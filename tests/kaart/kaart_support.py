"""Fixture sites for the map tests, built once per session with the real build, and helpers
(imported by name: ``from kaart_support import ...``, a name no other test folder uses).

``real_site`` is the repository itself: its content (the sample sociale kaart), taxonomy,
settings and buurt polygons, built for the test date.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from testkit import FIXTURES, REPO, TEST_DATE
from testkit.serving import serve

from wijknet.build import build_site
from wijknet.content.catalog import Catalog
from wijknet.project import Project

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class BuiltSite:
    """A built site folder, its project and its catalog."""

    output: Path
    project: Project
    catalog: Catalog
    base: str = "/"

    def path(self, url: str) -> Path:
        inner = url[len(self.base) :] if url.startswith(self.base) else url.lstrip("/")
        target = self.output / inner
        return target / "index.html" if url.endswith("/") or not inner else target

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(url).read_text(encoding="utf-8"), "html.parser")

    def json(self, url: str):
        return json.loads(self.path(url).read_bytes())

    def gz(self, url: str) -> int:
        return len(gzip.compress(self.path(url).read_bytes(), 9))


def build(project: Project, output: Path, cache: Path | None = None, base: str = "/") -> BuiltSite:
    build_site(project, output, TEST_DATE, cache_dir=cache, use_cache=cache is not None)
    catalog = project.load(TEST_DATE).catalog
    return BuiltSite(output, project, catalog, base)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> BuiltSite:
    root = tmp_path_factory.mktemp("kaart-echt")
    return build(Project.at(REPO), root / "output", root / "cache")


@pytest.fixture(scope="session")
def zaanstad_site(tmp_path_factory) -> BuiltSite:
    root = tmp_path_factory.mktemp("kaart-zaanstad")
    return build(Project.at(FIXTURES / "zaanstad"), root / "output", base="/buurt/")


@pytest.fixture(scope="session")
def real_url(real_site):
    with serve(real_site.output) as url:
        yield url


def placed(catalog: Catalog) -> list:
    """Listed entries with coordinates."""
    return [e for e in catalog.listed if e.location is not None and e.location.lat is not None]
