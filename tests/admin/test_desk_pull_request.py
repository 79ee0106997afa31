"""A save at the desk in production is a pull request (Decap's editorial workflow: a branch
``cms/<collection>/<slug>``). The pull-request workflow checks, labels and routes it like
any other: its own shell steps, run on such a branch."""

from __future__ import annotations

from testkit import REPO, TEST_DATE, git

from report.conftest import entry, make_project
from workflows.test_workflow_runs import _local_step, run_job
from workflows.test_workflows import load

from .desk import ENTRIES, changed_lines, run_desk


def test_a_pull_request_from_the_desk_is_checked_labelled_and_routed_like_any_other(tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKNET_TODAY", TEST_DATE.isoformat())
    root = make_project(tmp_path / "site", {"oost": ["oost-mod"]})
    folder = root / "content" / "initiatieven"
    for path in folder.glob("*.md"):
        path.unlink()
    original = entry("Weggeefwinkel", "voorziening", "[armoede]", "[dapperbuurt]", "2025-06-01")
    (folder / "weggeefwinkel.md").write_text(original, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "basis")
    base = git(root, "rev-parse", "HEAD").strip()
    # what the desk commits on its branch: checked today, on the prikbord until a date
    git(root, "checkout", "-q", "-b", "cms/initiatieven/weggeefwinkel")
    changes = {"gecontroleerd": TEST_DATE.isoformat(), "uitgelicht": {"tot": "2026-12-31"}}
    [saved] = run_desk([{"op": "edit", "collection": ENTRIES, "text": original, "changes": changes}])
    assert len(saved.split("\n")) == len(original.split("\n")) + 2  # uitgelicht: and its tot
    (folder / "weggeefwinkel.md").write_text(saved, encoding="utf-8")
    git(root, "commit", "-q", "-am", "Bericht bijgewerkt: weggeefwinkel")
    (root / ".venv").symlink_to(REPO / ".venv")  # the workflow calls .venv/bin/wijknet
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    context = {
        "github.event.pull_request.base.sha": base,
        "github.event.pull_request.user.login": "noor",
        "github.event.pull_request.number": "12",
    }
    job = load(REPO / ".github" / "workflows" / "pull-request.yml")["jobs"]["controle"]
    results = run_job(job, root, temp, context, _local_step)
    route = results["outputs"]["route"]
    assert route["labels"] == '["soort: voorziening","stadsdeel: oost"]'
    assert route["reviewers-body"] == '{"reviewers":["oost-mod"]}'
    assert route["validate-files"] == "content/initiatieven/weggeefwinkel.md"
    assert results["Inhoud en taxonomie controleren"].returncode == 0
    assert "| `content/initiatieven/weggeefwinkel.md` | voorziening | oost |" in results["summary"]
    without_new = "\n".join(line for line in saved.split("\n") if line not in ("uitgelicht:", "  tot: 2026-12-31"))
    assert changed_lines(original, without_new) == [("gecontroleerd: 2025-06-01", f"gecontroleerd: {TEST_DATE.isoformat()}")]
