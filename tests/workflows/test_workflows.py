"""The GitHub workflow files and issue forms: valid against GitHub's schemas (offline),
using only commands that exist, with the permissions and triggers the platform needs."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from testkit import REPO

from wijknet.cli import build_parser

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
# Any attempt to download a schema would go to a closed port and fail: proves "offline".
OFFLINE = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
           "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": ""}


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def check(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, env=OFFLINE, timeout=120)


def test_the_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["onderhoud.yml", "publish.yml", "pull-request.yml", "tests.yml"]


def test_workflows_match_the_github_schema():
    result = check("vendor.github-workflows", *WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "kapot.yml"
    text = (REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    result = check("vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "runs_on" in result.stdout


def test_issue_forms_match_the_github_schema():
    assert [p.name for p in ISSUE_FORMS] == ["meld-een-fout.yml", "nieuw-initiatief.yml"]
    result = check("vendor.github-issue-forms", *ISSUE_FORMS)
    assert result.returncode == 0, result.stdout + result.stderr


def _run_lines():
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                for line in str(step.get("run", "")).splitlines():
                    yield path.name, line.strip()


def _substitute(words: list[str]) -> list[str]:
    """Shell variables become sample values; redirections end the command."""
    result = []
    for word in words:
        if word in (">", ">>", "<<<", "|"):
            break
        result.append(re.sub(r"\$\{?(\w+)\}?", "waarde", word))
    return result


def test_every_wijknet_command_in_a_workflow_parses():
    parser = build_parser()
    seen = set()
    for name, line in _run_lines():
        if not line.startswith(".venv/bin/wijknet "):
            continue
        argv = _substitute(shlex.split(line))[1:]
        try:
            args = parser.parse_args(argv)
        except SystemExit:  # argparse exits on unknown commands or options
            pytest.fail(f"{name}: `{line}` is not a valid wijknet command")
        assert getattr(args, "handler", None), line
        seen.add(argv[0])
    assert seen == {"pr-routing", "validate", "pr-summary", "report"}


def test_every_make_target_in_a_workflow_exists():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    used = {shlex.split(line)[1] for _, line in _run_lines() if line.startswith("make ")}
    assert used == {"install", "html", "publish", "test"}
    assert used <= targets


def test_pull_request_workflow():
    workflow = load(REPO / ".github" / "workflows" / "pull-request.yml")
    assert "pull_request" in workflow["on"]
    job = workflow["jobs"]["controle"]
    assert job["permissions"] == {"contents": "read", "issues": "write", "pull-requests": "write"}
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    runs = "\n".join(str(step.get("run", "")) for step in job["steps"])
    assert "wijknet validate --format github" in runs
    assert '"$GITHUB_STEP_SUMMARY"' in runs
    assert "/issues/$NUMBER/labels" in runs and "/pulls/$NUMBER/requested_reviewers" in runs
    # untrusted values reach the shell only through environment variables
    for step in job["steps"]:
        assert "${{" not in str(step.get("run", "")), step.get("name")


def test_publish_workflow():
    workflow = load(REPO / ".github" / "workflows" / "publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"] == "pages"
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = {s["uses"].split("@")[0] for s in steps if "uses" in s}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= uses
    assert any(s.get("run") == "make publish OUTPUT=output" for s in steps)
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the Cijfers page needs the whole history


def test_nightly_workflow():
    workflow = load(REPO / ".github" / "workflows" / "onderhoud.yml")
    assert workflow["on"]["schedule"][0]["cron"]
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    runs = "\n".join(str(s.get("run", "")) for s in workflow["jobs"]["rapport"]["steps"])
    assert "wijknet report --format markdown" in runs
    assert 'select(.title == "Onderhoud")' in runs
    assert "gh issue edit" in runs and 'gh issue create --title "Onderhoud"' in runs


def _options(form: Path, field_id: str) -> list[str]:
    body = load(form)["body"]
    return next(item for item in body if item.get("id") == field_id)["attributes"]["options"]


def test_issue_form_choices_follow_the_taxonomy():
    from wijknet.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(REPO / "taxonomy")
    form = REPO / ".github" / "ISSUE_TEMPLATE" / "nieuw-initiatief.yml"
    assert _options(form, "soort") == [term.label for term in taxonomy.kinds]
    assert _options(form, "themas") == [term.label for term in taxonomy.themes]
    assert _options(form, "stadsdeel") == [a.label for a in taxonomy.areas.of_level("stadsdeel")] + ["Hele stad"]


def test_tests_workflow_runs_the_readme_test_command_with_a_browser():
    workflow = load(REPO / ".github" / "workflows" / "tests.yml")
    job = workflow["jobs"]["tests"]
    assert [s.get("run") for s in job["steps"] if s.get("run")] == ["make test"]
    assert job["env"]["WIJKNET_REQUIRE_BROWSER"] == "1" and job["env"]["WIJKNET_CHROMIUM"]
