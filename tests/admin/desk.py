"""Running the desk's file code (theme/static/js/desk-files.js) in node, for the tests."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from functools import lru_cache
from typing import Any

import pytest
from testkit import REPO, TEST_DATE

from wijknet.admin.config import desk_facts
from wijknet.project import Project

DRIVER = REPO / "tests" / "admin" / "desk_driver.mjs"
ENTRIES = "initiatieven"
NEWS = "nieuws"


@lru_cache(maxsize=1)
def repo_facts() -> dict[str, Any]:
    """desk.json's facts for the repository's own taxonomy and settings."""
    project = Project.at(REPO)
    return desk_facts(project.load_taxonomy(), project.load_settings())


def run_desk(calls: list[dict[str, Any]], facts: dict[str, Any] | None = None, today: dt.date = TEST_DATE) -> list[Any]:
    """Each call's result; a call that throws in JavaScript fails the test with its message."""
    results = run_desk_raw(calls, facts, today)
    for result in results:
        if "error" in result:
            pytest.fail(f"desk-files.js threw: {result['error']}")
    return [result["ok"] for result in results]


def run_desk_raw(calls: list[dict[str, Any]], facts: dict[str, Any] | None = None, today: dt.date = TEST_DATE) -> list[dict]:
    """Like :func:`run_desk`, but each result as ``{"ok": ...}`` or ``{"error": message}``."""
    node = shutil.which("node")
    assert node, "node is needed for this test (make install)"
    payload = json.dumps({"facts": facts or repo_facts(), "today": today.isoformat(), "calls": calls})
    done = subprocess.run(
        [node, "--no-warnings", str(DRIVER)],
        input=payload, capture_output=True, text=True, cwd=REPO, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(old, new) line pairs that differ, for texts with the same number of lines."""
    old, new = before.split("\n"), after.split("\n")
    assert len(old) == len(new), (before, after)
    return [(a, b) for a, b in zip(old, new) if a != b]
