"""The bad-input corpus: every file's exact problems (line, key, Dutch message).

The expectations live in ``tests/content/bad/expected.yaml``. The corpus is checked three
ways: through the real command line (JSON output), through ``load_catalog`` in-process, and
file by file through ``load_bytes`` + ``validate_loaded``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from testkit import REPO

from wijknet.content.catalog import load_catalog
from wijknet.safe_yaml import load_bytes
from wijknet.content.validation import validate_loaded

from .conftest import TODAY

BAD = Path(__file__).resolve().parent / "bad"
EXPECTED: dict[str, list[dict]] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
FILES = sorted(str(path.relative_to(BAD)) for path in BAD.rglob("*.md"))
# files whose only problem spans files: checked through the command and the catalog
CROSS_FILE = {name for name, problems in EXPECTED.items() if any("wordt ook gebruikt door" in p["message"] for p in problems)}


def test_corpus_is_complete():
    assert len(FILES) >= 35
    assert sorted(EXPECTED) == FILES, "every corpus file needs an entry in expected.yaml, and vice versa"
    assert sum(1 for problems in EXPECTED.values() if problems) >= 35


def _by_file(problems: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {name: [] for name in FILES}
    for problem in problems:
        name = str(Path(problem["file"]).resolve().relative_to(BAD))
        found[name].append({"line": problem["line"], "key": problem["key"], "message": problem["message"]})
    return found


@pytest.fixture(scope="module")
def cli_output():
    completed = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "validate", "--content", str(BAD), "--format", "json", "--date", TODAY.isoformat()],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    return completed


def test_cli_exit_code_and_no_traceback(cli_output):
    assert cli_output.returncode == 1
    assert "Traceback" not in cli_output.stderr
    assert cli_output.stderr == ""


@pytest.mark.parametrize("name", FILES)
def test_cli_reports_exactly(cli_output, name):
    found = _by_file(json.loads(cli_output.stdout))
    assert found[name] == EXPECTED[name]


def test_catalog_in_process(context):
    result = load_catalog(BAD, context.taxonomy, context.settings, TODAY, display_root=REPO)
    assert result.catalog is None
    assert result.files == len(FILES)
    found = _by_file([{**p.as_dict("nl"), "file": str(REPO / p.file)} for p in result.problems])
    assert found == EXPECTED


@pytest.mark.parametrize("name", sorted(set(FILES) - CROSS_FILE))
def test_each_file_in_process(context, name):
    path = BAD / name
    result = validate_loaded(load_bytes(path.read_bytes()), path.stem, name, context)
    found = [{"line": p.line, "key": p.key, "message": p.message("nl")} for p in result.problems]
    assert found == EXPECTED[name]
    assert (result.entry is not None) == (not EXPECTED[name])
    for problem in result.problems:  # English exists for everything a volunteer can see
        assert problem.message("en") and problem.message("en") != problem.message("nl")
