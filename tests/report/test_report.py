"""``wijknet report`` on the fixture repository: sections, counts and monthly figures."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from wijknet.project import Project
from wijknet.report.dates import add_months
from wijknet.report.history import read_history
from wijknet.report.maintenance import build_report
from wijknet.report.render import escape_markdown, render_markdown, render_text

from .conftest import EXPECTED_MONTHLY, TODAY


def run_report(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "report", "--root", str(root), "--date", TODAY.isoformat(), *args],
        capture_output=True, text=True, cwd=root,
    )


@pytest.fixture(scope="module")
def report_json(history_repo):
    result = run_report(history_repo, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def slugs(report, section):
    return [item["slug"] for item in report["sections"][section]]


def test_sections(report_json):
    assert report_json["date"] == "2027-03-15"
    assert slugs(report_json, "not_checked") == ["a-oud"]
    assert slugs(report_json, "check_soon") == ["b-bijna"]
    assert slugs(report_json, "prikbord_expiring") == ["c-prikbord"]
    assert slugs(report_json, "ended_activities") == ["d-activiteit"]
    assert slugs(report_json, "expired_questions") == ["e-vraag"]
    assert report_json["sections"]["not_checked"][0]["date"] == "2027-01-10"
    assert report_json["sections"]["expired_questions"][0]["date"] == "2026-12-30"


def test_stopped_entries_are_left_out(report_json):
    listed = {item["slug"] for items in report_json["sections"].values() for item in items}
    assert "f-gestopt" not in listed  # checked in 2020, but archived


def test_counts(report_json):
    counts = report_json["counts"]
    assert (counts["total"], counts["listed"], counts["paused"], counts["stopped"]) == (7, 5, 1, 1)
    kinds = {c["id"]: c["count"] for c in counts["kinds"]}
    assert kinds == {"initiatief": 2, "vraag": 0, "activiteit": 1, "voorziening": 2}
    themes = {c["id"]: c["count"] for c in counts["themes"] if c["count"]}
    assert themes == {"geld": 2, "ontmoeting": 2, "taal": 2, "cultuur": 1}
    stadsdelen = {c["id"]: c["count"] for c in counts["stadsdelen"] if c["count"]}
    assert stadsdelen == {"oost": 2, "west": 1, "zuidoost": 2}  # c-prikbord is in oost and zuidoost
    assert counts["citywide"]["count"] == 1
    assert counts["checked_last_year"] == 4  # a-oud is overdue


def test_monthly_from_git(report_json):
    assert report_json["monthly"] == EXPECTED_MONTHLY


def test_json_is_deterministic(history_repo, report_json):
    again = run_report(history_repo, "--format", "json")
    assert json.loads(again.stdout) == report_json
    assert again.stdout == run_report(history_repo, "--format", "json").stdout


def test_without_git_the_report_has_counts_and_a_note(plain_project):
    result = run_report(plain_project, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["monthly"] is None
    assert "git" in data["history_note"]
    assert data["counts"]["listed"] == 5


def test_markdown_has_dutch_headings_and_escapes_titles(history_repo):
    result = run_report(history_repo, "--format", "markdown")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Onderhoud Wijknet Test\n")
    for heading in (
        "## Langer dan 12 maanden niet gecontroleerd (1)",
        "## Binnen een maand aan de beurt voor controle (1)",
        "## Prikbord: loopt binnen 14 dagen af (1)",
        "## Activiteiten die voorbij zijn (1)",
        "## Vragen die verlopen zijn (1)",
        "### Per stadsdeel",
        "## Nieuw en gewijzigd per maand",
    ):
        assert heading in text
    assert "| april 2026 | 1 | 1 | 0 |" in text
    # The untrusted title cannot open HTML, a link of its own or @mention someone.
    assert "<b>" not in text
    assert "](https://kwaad.example)" not in text
    assert "@iemand" not in text
    assert "https://github.com/voorbeeld/wijknet-test/edit/main/content/initiatieven/a-oud.md" in text


def test_markdown_limit_cuts_long_lists(history_repo):
    project = Project.at(history_repo)
    catalog = project.load(TODAY).catalog
    report = build_report(catalog, None, "geen git")
    text = render_markdown(report, limit=0)
    assert "En nog 1 andere berichten" in text
    assert "Geen geschiedenis beschikbaar: geen git." in text


def test_text_report(history_repo):
    catalog = Project.at(history_repo).load(TODAY).catalog
    text = render_text(build_report(catalog, read_history(history_repo / "content" / "initiatieven")))
    assert "Langer dan 12 maanden niet gecontroleerd: 1" in text
    assert "  2026-06      0      1      1" in text


def test_invalid_content_fails(history_repo):
    # "today" before an entry's check date makes the content invalid: exit 1, not a report.
    result = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "report", "--root", str(history_repo), "--date", "2026-01-01"],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "gecontroleerd" in result.stderr


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2027, 1, 15), -12, dt.date(2026, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_escape_markdown():
    assert escape_markdown("a|b [x](y) <i> @jan") == "a\\|b \\[x\\]\\(y\\) \\<i\\> @\u200bjan"


def test_markdown_stays_below_the_issue_size_limit(history_repo):
    catalog = Project.at(history_repo).load(TODAY).catalog
    report = build_report(catalog, None)
    full = render_markdown(report, limit=50)
    assert "En nog" not in full
    short = render_markdown(report, limit=50, max_chars=len(full) - 1)
    assert len(short) < len(full)
    assert "En nog 1 andere berichten" in short  # cut, but counted
