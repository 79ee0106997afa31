"""Publishing again after a crash gives exactly one branch, found by name: the local forge never
lists branches to find an earlier one, and the spool's own queries do not grow with its rows."""

from __future__ import annotations

import sqlite3

import pytest

from wijknet.submissions.forges.local import LocalForge, marker_ref
from wijknet.submissions.intake import Candidate
from wijknet.submissions.publisher import Publisher
from wijknet.submissions.review import LocalReview
from wijknet.submissions.spool import RECEIVED, SUBMITTED, Spool

from testkit import git
from testkit.gitrepo import commit_all

from .conftest import branches, settings_for

CONTENT = "content/initiatieven"


class Crash(BaseException):
    """The process dies here (kill -9): nothing after this step runs, nothing is recorded."""


def _candidate(slug: str = "proef", key: str = "k") -> Candidate:
    return Candidate(key, "nieuw", slug, "Proef", "initiatief", ("oost",), f"---\ntitel: Proef {key}\n---\n", {})


def _forge(repo) -> LocalForge:
    return LocalForge(repo, CONTENT, "main", "Test", "t@example.org")


def _crash_before(forge: LocalForge, command: str, monkeypatch) -> list[tuple[str, ...]]:
    """Make ``forge`` die just before it runs the git ``command``; returns the commands it ran."""
    ran: list[tuple[str, ...]] = []
    real = forge.git.run

    def run(*args, **kwargs):
        if args[0] == command:
            raise Crash(command)
        ran.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(forge.git, "run", run)
    return ran


def _refs(repo, prefix: str) -> list[str]:
    return sorted(git(repo, "for-each-ref", "--format=%(refname)", prefix).split())


def test_a_crash_between_the_commit_and_the_branch_is_published_once_by_the_next_attempt(site_repo, tmp_path, monkeypatch):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored, _ = spool.add(_candidate())
    main_before = git(site_repo, "rev-parse", "main")
    crashing = _forge(site_repo)
    ran = _crash_before(crashing, "update-ref", monkeypatch)
    with pytest.raises(Crash):
        crashing.publish(stored)
    assert "commit-tree" in [args[0] for args in ran]  # the commit was made, the branch not
    assert branches(site_repo) == []

    # the restarted service: a new forge, the row still waiting in the spool
    Publisher(spool, _forge(site_repo), settings_for(site_repo)).publish_one(spool.get(stored.id))
    row = spool.get(stored.id)
    assert (row.status, row.branch) == (SUBMITTED, stored.branch)
    assert branches(site_repo) == [stored.branch]
    assert git(site_repo, "rev-list", "--count", f"main..{stored.branch}").strip() == "1"
    assert git(site_repo, "rev-parse", "main") == main_before


def test_a_crash_after_the_branch_before_the_spool_heard_of_it_reuses_the_branch(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored, _ = spool.add(_candidate())
    first = _forge(site_repo).publish(stored)  # the branch exists; the spool was never told
    tip = git(site_repo, "rev-parse", first.branch)
    Publisher(spool, _forge(site_repo), settings_for(site_repo)).publish_one(spool.get(stored.id))
    assert branches(site_repo) == [first.branch]
    assert git(site_repo, "rev-parse", first.branch) == tip  # found, not made again
    assert spool.get(stored.id).status == SUBMITTED


def test_a_branch_under_another_slug_is_found_again_whatever_the_base_branch_does(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored, _ = spool.add(_candidate("proef"))
    # after the spool planned "proef", the base branch got a file of that name
    (site_repo / CONTENT / "proef.md").write_text("---\ntitel: Ander\n---\n", encoding="utf-8")
    commit_all(site_repo, "Ander initiatief")
    first = _forge(site_repo).publish(stored)
    assert first.branch == f"inzending/proef-2-{stored.id}" != stored.branch
    assert _refs(site_repo, "refs/wijknet/") == [marker_ref(stored.id)]
    # a crash kept the spool from hearing of it; then the file left the base branch again,
    # so a fresh look would pick "proef": the marker still leads to the branch made before
    git(site_repo, "rm", "-q", f"{CONTENT}/proef.md")
    git(site_repo, "commit", "-q", "-m", "Weg")
    again = _forge(site_repo).publish(stored)
    assert (again.slug, again.branch) == ("proef-2", first.branch)
    assert branches(site_repo) == [first.branch]


def test_a_marker_whose_branch_is_gone_is_replaced_by_a_new_branch(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored, _ = spool.add(_candidate("proef"))
    (site_repo / CONTENT / "proef.md").write_text("---\ntitel: Ander\n---\n", encoding="utf-8")
    commit_all(site_repo, "Ander initiatief")
    first = _forge(site_repo).publish(stored)
    git(site_repo, "update-ref", "-d", f"refs/heads/{first.branch}")  # someone deleted it by hand
    again = _forge(site_repo).publish(stored)
    assert branches(site_repo) == [again.branch] == [first.branch]
    assert git(site_repo, "rev-parse", marker_ref(stored.id)) == git(site_repo, "rev-parse", again.branch)


@pytest.mark.parametrize("action", ["merge", "reject"])
def test_merging_or_rejecting_removes_the_branch_and_its_marker(site_repo, tmp_path, action):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored, _ = spool.add(_candidate("proef"))
    (site_repo / CONTENT / "proef.md").write_text("---\ntitel: Ander\n---\n", encoding="utf-8")
    commit_all(site_repo, "Ander initiatief")
    _forge(site_repo).publish(stored)
    review = LocalReview(site_repo, CONTENT, "main", spool)
    review.merge(stored.id) if action == "merge" else review.reject(stored.id, "Dubbel")
    assert branches(site_repo) == []
    assert _refs(site_repo, "refs/wijknet/") == []


def test_publishing_reads_refs_by_name_and_never_lists_them(site_repo, tmp_path, monkeypatch):
    main = git(site_repo, "rev-parse", "main")
    folder = site_repo / ".git" / "refs" / "heads" / "inzending"
    folder.mkdir(parents=True)
    for number in range(300):  # loose refs, as the forge leaves them
        (folder / f"ander-{number}-{number:010x}").write_text(main)
    spool = Spool(tmp_path / "spool.sqlite3")
    stored, _ = spool.add(_candidate())
    forge = _forge(site_repo)
    ran = _crash_before(forge, "for-each-ref", monkeypatch)
    forge.publish(stored)
    forge.publish(stored)  # again: found by name
    assert {args[0] for args in ran}.isdisjoint({"for-each-ref", "show-ref", "branch", "pack-refs"})
    assert len(branches(site_repo)) == 301 and stored.branch in branches(site_repo)


# --- the spool: the cost of one add or one claim does not grow with the rows ---------------


def _grow(path, count: int, status: str, start: int = 0) -> None:
    """Add ``count`` rows in ``status`` straight into the spool file (fast; no fsync each)."""
    db = sqlite3.connect(path)
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
        " INSERT INTO submissions (id, dedupe_key, action, slug, title, kind, areas, file_text, submitter,"
        " summary, status, branch, created, updated)"
        " SELECT printf('r%09d', i), printf('d%09d', i), 'nieuw', printf('buurtproject-%d', i), 'Proef', 'initiatief',"
        " '[]', 'x', '{}', '{}', ?, printf('inzending/buurtproject-%d-r%09d', i, i), i, i FROM n",
        (start, start + count - 1, status),
    )
    db.commit()
    db.close()


def _steps(spool: Spool, action) -> int:
    """SQLite virtual machine steps that ``action`` takes on the spool's connection: a measure
    of the rows it visits that does not depend on the machine's speed."""
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0

    spool._db.set_progress_handler(count, 1)
    try:
        action()
    finally:
        spool._db.set_progress_handler(None, 1)
    return counted[0]


@pytest.mark.parametrize("status", [RECEIVED, SUBMITTED])
def test_adding_to_a_big_spool_visits_no_more_rows_than_adding_to_a_small_one(tmp_path, status):
    costs = []
    for size in (200, 4000):
        path = tmp_path / f"spool-{size}.sqlite3"
        Spool(path).close()
        _grow(path, size, status)
        spool = Spool(path)
        costs.append(_steps(spool, lambda: spool.add(_candidate("samen-koken", key=f"nieuw-{size}"))))
        spool.close()
    small, big = costs
    assert big < small * 1.5, costs


def test_claiming_the_next_row_does_not_sort_the_whole_queue(tmp_path):
    costs = []
    for size in (200, 4000):
        path = tmp_path / f"spool-{size}.sqlite3"
        Spool(path).close()
        _grow(path, size, RECEIVED)
        spool = Spool(path)
        costs.append(_steps(spool, lambda: spool.due(10.0**12, set(), limit=1)))
        spool.close()
    small, big = costs
    assert big < small * 1.5, costs


def test_slugs_waiting_in_the_spool_are_kept_free(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    slugs = [spool.add(_candidate("samen-koken", key=f"k{n}"))[0].slug for n in range(3)]
    assert slugs == ["samen-koken", "samen-koken-2", "samen-koken-3"]
    # neighbours of the name are no reason to skip a number
    spool.add(_candidate("samen-kokend", key="buur"))
    spool.add(_candidate("samen", key="kort"))
    assert spool.add(_candidate("samen-koken", key="k9"), {"samen-koken-4"})[0].slug == "samen-koken-5"
    assert spool.add(_candidate("samen", key="k10"))[0].slug == "samen-2"


def test_new_rows_are_claimed_in_the_order_they_came_then_retries_whose_time_came(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    first, second, third = (spool.add(_candidate(f"proef-{n}", key=f"k{n}"))[0] for n in range(3))
    spool.mark_retry(first.id, 1, 100.0, "GitHub 502")
    spool.mark_retry(second.id, 1, 50.0, "GitHub 502")
    assert [row.id for row in spool.due(10.0, set(), limit=5)] == [third.id]
    assert [row.id for row in spool.due(200.0, set(), limit=5)] == [third.id, second.id, first.id]
    assert [row.id for row in spool.due(200.0, {third.id}, limit=1)] == [second.id]
