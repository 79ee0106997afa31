"""Labels and reviewers for the changed files of a pull request (``wijknet pr-routing``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wijknet.report.routing import route
from wijknet.taxonomy import load_taxonomy

from .conftest import entry, make_project

MODERATORS = {
    "amsterdam": ["stad-redactie"],
    "oost": ["oost-mod", "@Tweede-Oost"],
    "zuidoost": ["zo-mod"],
    # west: none listed -> the city's moderators
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("routing"), MODERATORS)
    folder = root / "content" / "initiatieven"
    # An invalid submission (unknown theme, no contact) still goes to its stadsdeel.
    (folder / "kapot.md").write_text(
        "---\ntitel: Kapot\nsoort: activiteit\nthemas: [bestaat-niet]\nwerkgebied: [dapperbuurt, nergens]\n---\n",
        encoding="utf-8",
    )
    (folder / "geen-yaml.md").write_text("geen front matter\n", encoding="utf-8")
    (folder / "west.md").write_text(entry("West", "initiatief", "[geld]", "[oud-west-de-baarsjes]", "2027-01-01"),
                                    encoding="utf-8")
    return root


def run_routing(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "pr-routing", "--root", str(root), *args],
        capture_output=True, text=True,
    )


def routed(project, *paths, exclude=()):
    return route(paths, project, load_taxonomy(project / "taxonomy"), exclude_reviewers=exclude)


def test_one_entry_in_oost(project):
    routing = routed(project, "content/initiatieven/a-oud.md")
    assert routing.labels == ("soort: initiatief", "stadsdeel: oost")
    assert routing.reviewers == ("oost-mod", "Tweede-Oost")
    assert routing.validate_files == ("content/initiatieven/a-oud.md",)
    assert not routing.validate_all


def test_entry_in_two_stadsdelen(project):
    routing = routed(project, "content/initiatieven/c-prikbord.md")
    assert routing.entries[0].stadsdelen == ("oost", "zuidoost")
    assert routing.labels == ("soort: initiatief", "stadsdeel: oost", "stadsdeel: zuidoost")
    assert routing.reviewers == ("oost-mod", "Tweede-Oost", "zo-mod")


def test_citywide_entry_goes_to_the_city_moderators(project):
    routing = routed(project, "content/initiatieven/g-stad.md")
    assert routing.labels == ("soort: voorziening", "stadsdeel: amsterdam")
    assert routing.reviewers == ("stad-redactie",)


def test_stadsdeel_without_moderators_falls_back_to_the_city(project):
    routing = routed(project, "content/initiatieven/west.md")
    assert routing.labels == ("soort: initiatief", "stadsdeel: west")
    assert routing.reviewers == ("stad-redactie",)


def test_invalid_entry_is_routed_by_what_is_valid_in_it(project):
    routing = routed(project, "content/initiatieven/kapot.md", "content/initiatieven/geen-yaml.md")
    by_slug = {e.slug: e for e in routing.entries}
    assert by_slug["kapot"].kind == "activiteit"
    assert by_slug["kapot"].stadsdelen == ("oost",)
    assert by_slug["geen-yaml"].kind is None and by_slug["geen-yaml"].stadsdelen == ()
    assert routing.labels == ("soort: activiteit", "stadsdeel: oost")


def test_author_is_not_asked_to_review(project):
    routing = routed(project, "content/initiatieven/a-oud.md", exclude=["tweede-oost"])
    assert routing.reviewers == ("oost-mod",)


def test_deleted_entry_and_other_files(project):
    routing = routed(project, "content/initiatieven/verdwenen.md", "README.md", "theme/templates/x.html")
    assert [e.deleted for e in routing.entries] == [True]
    assert routing.labels == ()
    assert routing.reviewers == ()
    assert routing.validate_files == ()


def test_taxonomy_change_validates_everything(project):
    routing = routed(project, "taxonomy/themas.yaml", "content/initiatieven/a-oud.md")
    assert routing.validate_all
    assert routing.validate_files == ()
    assert "taxonomie" in routing.labels
    assert "stad-redactie" in routing.reviewers


@pytest.mark.parametrize("path", ["content/initiatieven/Hoofdletter.md", "content/initiatieven/sub/x.md",
                                  "content/initiatieven/$(touch x).md", "content/initiatieven/a b.md"])
def test_odd_file_names_are_never_passed_on(project, path):
    routing = routed(project, path, "content/initiatieven/a-oud.md")
    assert routing.validate_all
    assert routing.validate_files == ()


def test_command_json(project):
    result = run_routing(project, "./content/initiatieven/a-oud.md", "content/initiatieven/d-activiteit.md")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["labels"] == ["soort: activiteit", "soort: initiatief", "stadsdeel: oost", "stadsdeel: zuidoost"]
    assert data["reviewers"] == ["oost-mod", "Tweede-Oost", "zo-mod"]
    assert data["validate_files"] == ["content/initiatieven/a-oud.md", "content/initiatieven/d-activiteit.md"]


def test_command_github_output_from_a_file(project, tmp_path):
    changed = tmp_path / "changed.txt"
    changed.write_text("content/initiatieven/g-stad.md\n\nREADME.md\n", encoding="utf-8")
    result = run_routing(project, "--changed-files", str(changed), "--format", "github-output",
                         "--exclude-reviewer", "iemand")
    assert result.returncode == 0, result.stderr
    outputs = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert json.loads(outputs["labels-body"]) == {"labels": ["soort: voorziening", "stadsdeel: amsterdam"]}
    assert json.loads(outputs["reviewers-body"]) == {"reviewers": ["stad-redactie"]}
    assert outputs["has-labels"] == "true" and outputs["has-reviewers"] == "true"
    assert outputs["validate-files"] == "content/initiatieven/g-stad.md"
    assert outputs["validate-all"] == "false"
    assert all("\n" not in value for value in outputs.values())


def test_command_stdin_and_nothing_to_route(project):
    result = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "pr-routing", "--root", str(project), "--changed-files", "-",
         "--format", "github-output"],
        input="docs/moderatie.md\n", capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "has-labels=false\n" in result.stdout and "has-reviewers=false\n" in result.stdout
