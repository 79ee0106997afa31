"""Fixtures for the command tests: a taxonomy with a YAML error in it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from testkit import REPO

TAXONOMY_PROBLEM = "taxonomy/soorten.yaml:2: -: Ankers (&naam) zijn niet toegestaan."


@pytest.fixture
def broken_taxonomy(tmp_path: Path) -> Path:
    """A copy of the taxonomy whose ``soorten.yaml`` uses an anchor (``TAXONOMY_PROBLEM``)."""
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(REPO / "taxonomy", taxonomy)
    (taxonomy / "soorten.yaml").write_text("- id: a\n  label: &x b\n", encoding="utf-8")
    return taxonomy


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch) -> None:
    """Each test builds with a cache of its own."""
    monkeypatch.setenv("WIJKNET_CACHE_DIR", str(tmp_path / "cache"))
