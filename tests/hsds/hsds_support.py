"""Fixtures and helpers for the HSDS tests (imported as ``hsds_support``; ``conftest.py`` makes the
fixtures available): a small site built from ``tests/hsds/fixture/`` with the
repository's taxonomy and settings, the HSDS files of the sample content (``content/``),
and the official examples copied into ``standards/hsds-3.0/examples/``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from testkit import REPO, TEST_DATE

from wijknet.build import build_site
from wijknet.engine.urls import Urls
from wijknet.hsds.provider import dataset_files
from wijknet.hsds_format import STANDARD_DIR
from wijknet.project import Project
from wijknet.providers import site_build

FIXTURE = Path(__file__).resolve().parent / "fixture"
EXAMPLES = STANDARD_DIR / "examples"
BUILD_DATE = TEST_DATE


def write_files(files: dict[str, bytes], root: Path) -> Path:
    """Write provider files (paths under the output folder) below ``root``; returns ``root``."""
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return root


def hsds_files_of(project: Project, today: dt.date = BUILD_DATE, cache=None) -> dict[str, bytes]:
    """The ``data/hsds/`` files the build would write for ``project``."""
    result = project.load(today)
    assert not result.problems, [problem.message("en") for problem in result.problems[:5]]
    build = site_build(result.catalog, Urls(result.catalog.settings.site_url), cache)
    return dataset_files(build)


@pytest.fixture(scope="session")
def fixture_project() -> Project:
    return Project.at(REPO, content=FIXTURE)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory, fixture_project) -> Path:
    """The output folder of a real build of the fixture."""
    root = tmp_path_factory.mktemp("hsds-site")
    build_site(fixture_project, root / "output", BUILD_DATE, cache_dir=root / "cache")
    return root / "output"


@pytest.fixture(scope="session")
def fixture_hsds(fixture_site) -> Path:
    return fixture_site / "data" / "hsds"


@pytest.fixture(scope="session")
def sample_hsds(tmp_path_factory) -> Path:
    """``data/hsds/`` of the repository's sample content (``content/initiatieven/``)."""
    root = tmp_path_factory.mktemp("hsds-sample")
    write_files(hsds_files_of(Project.at(REPO)), root)
    return root / "data" / "hsds"


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
