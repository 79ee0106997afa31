"""The monthly history from a real git repository with fixed commit dates."""

from __future__ import annotations

import pytest
from testkit import git

from wijknet.report.history import HistoryUnavailable, month_range, parse_log, read_history

from .conftest import EXPECTED_MONTHLY, TODAY


def test_monthly_figures_match_the_known_history(history_repo):
    history = read_history(history_repo / "content" / "initiatieven")
    assert [m.as_dict() for m in history.monthly(until=TODAY)] == EXPECTED_MONTHLY


def test_without_a_date_the_later_commit_counts(history_repo):
    monthly = read_history(history_repo / "content" / "initiatieven").monthly()
    assert monthly[-1].as_dict() == {"month": "2027-04", "new": 0, "changed": 1, "removed": 0}
    assert len(monthly) == 16  # 2026-01 .. 2027-04, gaps filled


def test_only_entry_files_count(history_repo):
    paths = {change.path for change in read_history(history_repo / "content" / "initiatieven").changes}
    assert "notes.txt" not in paths
    assert paths == {f"{slug}.md" for slug in ("a-oud", "b-bijna", "c-prikbord", "d-activiteit", "e-vraag",
                                               "f-gestopt", "g-stad", "h-weg")}


def test_history_is_read_from_a_subfolder_of_the_repository(history_repo):
    # The repository root holds site.yaml and taxonomy/ too; their commit must not count.
    history = read_history(history_repo / "content" / "initiatieven")
    assert min(change.day for change in history.changes).isoformat() == "2026-01-15"


def test_not_a_git_repository(plain_project):
    with pytest.raises(HistoryUnavailable):
        read_history(plain_project / "content" / "initiatieven")


def test_shallow_clone_is_refused(history_repo, tmp_path):
    clone = tmp_path / "ondiep"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history_repo}", str(clone))
    with pytest.raises(HistoryUnavailable, match="shallow"):
        read_history(clone / "content" / "initiatieven")


def test_parse_log_first_appearance_is_new_and_deletion_is_removed():
    text = (
        "\0aaa 2026-01-31\n\nA\tx.md\nA\ty.md\n"
        "\0bbb 2026-02-01\n\nM\tx.md\nD\ty.md\nM\tREADME.txt\n"
        "\0ccc 2026-02-15\n\nA\ty.md\nM\tx.md\n"
    )
    monthly = parse_log(text).monthly()
    assert [m.as_dict() for m in monthly] == [
        {"month": "2026-01", "new": 2, "changed": 0, "removed": 0},
        # x changed twice: one entry; y deleted, then back: changed (not new a second time)
        {"month": "2026-02", "new": 0, "changed": 2, "removed": 1},
    ]


def test_month_range_crosses_years():
    assert month_range("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
