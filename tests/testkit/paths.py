"""Where the repository and the tests' fixture folders are."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
"""The root of the repository (the folder with ``site.yaml`` and ``wijknet/``)."""

FIXTURES = REPO / "tests" / "fixtures"
"""Small fixture sites: ``amsterdam/`` (the real taxonomy) and ``zaanstad/`` (its own)."""
