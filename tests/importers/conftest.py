"""Fixtures for the importer tests: the repository's real taxonomy, settings and mapping
table, the real buurt polygons, and a small hand-made facility list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from testkit import REPO, TEST_DATE

from wijknet.importers.areas import WijkLocator
from wijknet.importers.mapping import MAPPING_FILE, load_mapping
from wijknet.importers.voorzieningen import ImportOptions, ImportReport, run_import
from wijknet.project import Project

DATA = Path(__file__).resolve().parent / "data"
FIXTURE_SOURCE = DATA / "voorzieningen.geojson"
OPEN_DATA = REPO / "data" / "amsterdam"  # the City's open data, kept in the repository
REAL_SOURCE = OPEN_DATA / "amsterdam_maatschappelijke_voorzieningen.geojson"
DATE = TEST_DATE


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.at(REPO)


@pytest.fixture(scope="session")
def taxonomy(project):
    return project.load_taxonomy()


@pytest.fixture(scope="session")
def settings(project):
    return project.load_settings()


@pytest.fixture(scope="session")
def mapping(taxonomy):
    return load_mapping(REPO / "taxonomy" / MAPPING_FILE, taxonomy)


@pytest.fixture(scope="session")
def buurten_path(mapping) -> Path:
    """The real buurt polygons, as the mapping table names them (inside the repository)."""
    return REPO / mapping.data.buurten.file


@pytest.fixture(scope="session")
def locator(mapping, taxonomy, buurten_path) -> WijkLocator:
    return WijkLocator.from_geojson(buurten_path, mapping.data.buurten.cbs_buurtcode, taxonomy)


@pytest.fixture
def run(mapping, locator, taxonomy, settings):
    """Run the importer into a content folder; returns the report."""

    def run_it(
        content_root: Path,
        source: Path = FIXTURE_SOURCE,
        date: dt.date = DATE,
        domains: tuple[str, ...] = ("Basisvoorzieningen", "Jeugd en Zorg"),
        dry_run: bool = False,
    ) -> ImportReport:
        options = ImportOptions(
            source=source,
            content_root=content_root,
            mapping=mapping,
            locator=locator,
            taxonomy=taxonomy,
            settings=settings,
            checked=date,
            domains=domains,
            dry_run=dry_run,
        )
        return run_import(options)

    return run_it


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time (ns)."""
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
