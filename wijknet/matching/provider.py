"""The matching provider: the ``vragen`` page, ``data/matches.json``, the question feeds,
and the matching sections on entry pages (through the ``entry_sections`` hook)."""

from __future__ import annotations

from wijknet.engine.registry import Provider
from wijknet.matching.pages import build_matches, provide
from wijknet.matching.sections import entry_sections

PROVIDER = Provider("matching", provide, hooks={"entry_sections": entry_sections}, prepare=build_matches)
"""Matching runs in :func:`build_matches` before the build splits over processes, so the
entry pages and the matching files read the same result."""
