"""Run the workflows' own shell steps, as written in the YAML, on a small git repository.

The steps that need GitHub (``gh``), the network or a full build (``make``) are left out;
the rest runs with bash exactly as a runner would, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY
and RUNNER_TEMP set, and ``${{ }}`` expressions filled in from the event and step outputs.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from testkit import REPO, git

from report.conftest import entry, make_project

from .test_workflows import load

EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


def run_job(job: dict, repo: Path, temp: Path, context: dict[str, str], wanted) -> dict:
    """Run the steps for which ``wanted(step)`` is true; return results keyed by step name."""
    outputs: dict[str, dict[str, str]] = {}

    def evaluate(text: str) -> str:
        def value(match: re.Match) -> str:
            expression = match.group(1)
            if expression.startswith("steps."):
                _, step_id, _, key = expression.split(".", 3)
                return outputs.get(step_id, {}).get(key, "")
            return context[expression]  # an unknown expression fails the test

        return EXPRESSION.sub(value, str(text))

    summary = temp / "summary.md"
    results = {}
    job_env = {key: evaluate(value) for key, value in job.get("env", {}).items()}
    for index, step in enumerate(job["steps"]):
        if "run" not in step or not wanted(step):
            continue
        output_file = temp / f"output-{index}"
        output_file.touch()
        env = {
            **os.environ, **job_env,
            **{key: evaluate(value) for key, value in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(temp),
            "GITHUB_REPOSITORY": "voorbeeld/wijknet-test",
        }
        completed = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True)
        if not step.get("continue-on-error"):
            assert completed.returncode == 0, f"{step.get('name')}: {completed.stderr}"
        if "id" in step:
            outputs[step["id"]] = dict(
                line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines() if "=" in line
            )
        results[step.get("name")] = completed
    results["summary"] = summary.read_text(encoding="utf-8") if summary.exists() else ""
    results["outputs"] = outputs
    return results


def _local_step(step: dict) -> bool:
    run = str(step["run"])
    return not (run.startswith("make ") or "gh " in run or "exit 1" in run)


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory):
    """A repository with a base commit and a pull request that adds one good and one bad entry."""
    root = make_project(tmp_path_factory.mktemp("pr") / "site", {"oost": ["oost-mod", "de-maker"]})
    for path in (root / "content" / "initiatieven").glob("*.md"):
        path.unlink()  # the shared fixture's dates lie after the real "today"
    (root / "content" / "initiatieven" / "bestaand.md").write_text(
        entry("Bestaand", "voorziening", "[geld]", "[dapperbuurt]", "2025-06-01"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "basis")
    base = git(root, "rev-parse", "HEAD").strip()
    folder = root / "content" / "initiatieven"
    (folder / "goed-oost.md").write_text(
        entry("Goed in Oost", "activiteit", "[cultuur]", "[dapperbuurt]", "2025-06-01",
              extra="wanneer:\n  start: 2025-07-01\n"), encoding="utf-8")
    (folder / "fout-oost.md").write_text(
        entry("Fout in Oost", "initiatief", "[eenzaam]", "[dapperbuurt]", "2025-06-01"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "inzending")
    (root / ".venv").symlink_to(REPO / ".venv")  # the workflow calls .venv/bin/wijknet
    temp = root.parent / "runner-temp"
    temp.mkdir()
    context = {
        "github.event.pull_request.base.sha": base,
        "github.event.pull_request.user.login": "de-maker",
        "github.event.pull_request.number": "7",
    }
    job = load(REPO / ".github" / "workflows" / "pull-request.yml")["jobs"]["controle"]
    return run_job(job, root, temp, context, _local_step)


def test_changed_files_are_routed(pull_request):
    route = pull_request["outputs"]["route"]
    assert route["labels"] == '["soort: activiteit","soort: initiatief","stadsdeel: oost"]'
    assert route["reviewers-body"] == '{"reviewers":["oost-mod"]}'  # the author is not asked
    assert route["validate-files"] == "content/initiatieven/fout-oost.md content/initiatieven/goed-oost.md"


def test_problems_become_annotations_on_the_line(pull_request):
    validate = pull_request["Inhoud en taxonomie controleren"]
    assert validate.returncode == 1
    assert validate.stdout.startswith("::error file=content/initiatieven/fout-oost.md,line=5,title=themas::")
    assert "goed-oost" not in validate.stdout


def test_dutch_summary(pull_request):
    summary = pull_request["summary"]
    assert "### `content/initiatieven/fout-oost.md`" in summary
    assert 'Bedoel je "eenzaamheid"' in summary
    assert "| `content/initiatieven/goed-oost.md` | activiteit | oost |" in summary
    assert "`voorbeeld-site-pr-7`" in summary


def test_nightly_report_step(tmp_path):
    root = make_project(tmp_path / "site")
    for path in (root / "content" / "initiatieven").glob("*.md"):
        path.unlink()
    (root / "content" / "initiatieven" / "oud.md").write_text(
        entry("Heel oud", "voorziening", "[geld]", "[dapperbuurt]", "2020-01-01"), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "basis")
    (root / ".venv").symlink_to(REPO / ".venv")
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    job = load(REPO / ".github" / "workflows" / "onderhoud.yml")["jobs"]["rapport"]
    results = run_job(job, root, temp, {"github.token": "x", "github.repository": "voorbeeld/wijknet-test"},
                      _local_step)
    report = (temp / "onderhoud.md").read_text(encoding="utf-8")
    assert report.startswith("# Onderhoud Wijknet Test")
    assert "## Langer dan 12 maanden niet gecontroleerd (1)" in report
    assert results["summary"] == report
