"""Several submissions published together by the local forge: each gets its own branch with one
commit that adds (or changes) exactly its file; one refused submission, a branch made by someone
else in between, or a crash halfway leaves every other submission with exactly one branch."""

from __future__ import annotations

import os

import pytest

from wijknet.submissions.forges import PERMANENT, ForgeError, Published
from wijknet.submissions.forges.local import GitError, LocalForge
from wijknet.submissions.intake import Candidate
from wijknet.submissions.publisher import Publisher
from wijknet.submissions.spool import FAILED, SUBMITTED, Spool

from testkit import git
from testkit.gitrepo import commit_all

from .conftest import branches, settings_for, wait_for

CONTENT = "content/initiatieven"


class Crash(BaseException):
    """The process dies here (kill -9)."""


def _forge(repo) -> LocalForge:
    return LocalForge(repo, CONTENT, "main", "Test", "t@example.org")


def _add(spool: Spool, count: int, action: str = "nieuw", slug: str = "proef") -> list:
    rows = []
    for number in range(count):
        text = f"---\ntitel: Proef {number}\n---\nTekst {number}, met één accent.\n"
        candidate = Candidate(f"k-{action}-{number}", action, slug, f"Proef {number}", "initiatief", ("oost",), text, {})
        rows.append(spool.add(candidate)[0])
    return rows


def _diff(repo, branch: str) -> str:
    return git(repo, "diff", "--name-status", f"main...{branch}").strip()


def test_each_submission_gets_a_branch_that_adds_only_its_own_file(site_repo, tmp_path):
    main_before = git(site_repo, "rev-parse", "main")
    tree_before = git(site_repo, "ls-tree", "-r", "main")
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 5)
    outcomes = _forge(site_repo).publish_many(rows)
    assert [o.branch for o in outcomes] == [row.branch for row in rows]
    assert branches(site_repo) == sorted(row.branch for row in rows)
    for row in rows:
        assert _diff(site_repo, row.branch) == f"A\t{CONTENT}/{row.slug}.md"
        assert git(site_repo, "show", f"{row.branch}:{CONTENT}/{row.slug}.md") == row.file_text
        assert git(site_repo, "rev-list", "--parents", "-1", row.branch).split()[1:] == [main_before.strip()]
        assert git(site_repo, "log", "-1", "--format=%s", row.branch).strip() == f"Nieuwe inzending: {row.title}"
    assert git(site_repo, "rev-parse", "main") == main_before
    assert git(site_repo, "ls-tree", "-r", "main") == tree_before
    assert git(site_repo, "status", "--porcelain") == ""


def test_a_correction_among_new_ones_changes_the_existing_file(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 2) + _add(spool, 1, action="wijziging", slug="taalcafe-noord")
    _forge(site_repo).publish_many(rows)
    assert _diff(site_repo, rows[2].branch) == f"M\t{CONTENT}/taalcafe-noord.md"
    assert git(site_repo, "show", f"{rows[2].branch}:{CONTENT}/taalcafe-noord.md") == rows[2].file_text
    assert _diff(site_repo, rows[0].branch) == f"A\t{CONTENT}/proef.md"


def test_names_that_are_not_utf8_on_the_base_branch_stay_as_they_are(site_repo, tmp_path):
    (site_repo / os.fsdecode(b"caf\xe9.txt")).write_bytes(b"latin-1\n")
    commit_all(site_repo, "Oude bestandsnaam")
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 2)
    _forge(site_repo).publish_many(rows)
    assert _diff(site_repo, rows[1].branch) == f"A\t{CONTENT}/{rows[1].slug}.md"


def test_one_refused_submission_leaves_the_others_published(site_repo, tmp_path, monkeypatch):
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 3)
    forge = _forge(site_repo)
    real = forge.git.run

    def run(*args, **kwargs):
        if args[0] == "commit-tree" and rows[1].title in (kwargs.get("input") or ""):
            raise GitError("git commit-tree: refused", kind=PERMANENT)
        return real(*args, **kwargs)

    monkeypatch.setattr(forge.git, "run", run)
    Publisher(spool, forge, settings_for(site_repo)).publish_rows([spool.get(row.id) for row in rows])
    states = [(spool.get(row.id).status, spool.get(row.id).failure) for row in rows]
    assert states == [(SUBMITTED, ""), (FAILED, PERMANENT), (SUBMITTED, "")]
    assert branches(site_repo) == sorted([rows[0].branch, rows[2].branch])


def test_a_branch_made_in_between_is_kept_and_the_others_are_made(site_repo, tmp_path, monkeypatch):
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 3)
    forge = _forge(site_repo)
    real = forge.git.run
    main = git(site_repo, "rev-parse", "main").strip()

    def run(*args, **kwargs):
        if args[:1] == ("update-ref",) and "--stdin" in args and len(branches(site_repo)) == 0:
            git(site_repo, "update-ref", f"refs/heads/{rows[1].branch}", main)  # an earlier attempt, just now
        return real(*args, **kwargs)

    monkeypatch.setattr(forge.git, "run", run)
    outcomes = forge.publish_many(rows)
    assert all(isinstance(outcome, Published) for outcome in outcomes), outcomes
    assert branches(site_repo) == sorted(row.branch for row in rows)
    assert git(site_repo, "rev-parse", rows[1].branch).strip() == main  # not moved


def test_a_crash_halfway_through_creating_the_branches_gives_each_one_branch(site_repo, tmp_path, monkeypatch):
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 4)
    forge = _forge(site_repo)
    real = forge.git.run

    def run(*args, **kwargs):
        if args[:1] == ("update-ref",) and "--stdin" in args:
            transactions = kwargs["input"].split("commit\n")
            real(*args, **{**kwargs, "input": "commit\n".join(transactions[:2]) + "commit\n"})
            raise Crash("killed after two of four branches")
        return real(*args, **kwargs)

    monkeypatch.setattr(forge.git, "run", run)
    with pytest.raises(Crash):
        forge.publish_many(rows)
    assert branches(site_repo) == sorted(row.branch for row in rows[:2])
    made = {branch: git(site_repo, "rev-parse", branch) for branch in branches(site_repo)}
    # the restarted service publishes the same rows again, together
    outcomes = _forge(site_repo).publish_many([spool.get(row.id) for row in rows])
    assert [outcome.branch for outcome in outcomes] == [row.branch for row in rows]
    assert branches(site_repo) == sorted(row.branch for row in rows)
    assert all(git(site_repo, "rev-parse", branch) == tip for branch, tip in made.items())


def test_the_publisher_takes_due_rows_in_batches_and_records_each_outcome(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    rows = _add(spool, 7)
    calls = []

    class Recording:
        name = "opname"

        def publish(self, submission):
            raise AssertionError("published one by one")

        def publish_many(self, submissions):
            calls.append([s.id for s in submissions])
            return [Published(s.slug, s.branch, "") if s.id != rows[4].id else ForgeError("kapot", kind=PERMANENT) for s in submissions]

    publisher = Publisher(spool, Recording(), settings_for(site_repo, publish_batch=3, publish_workers=1))
    publisher.start()
    try:
        wait_for(lambda: not spool.due(10.0**12, set()), timeout=20)
    finally:
        publisher.stop()
    assert calls == [[row.id for row in rows[:3]], [row.id for row in rows[3:6]], [rows[6].id]]
    assert [spool.get(row.id).status for row in rows] == [SUBMITTED] * 4 + [FAILED] + [SUBMITTED] * 2


def test_a_forge_that_publishes_one_at_a_time_gets_one_row_per_worker(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    _add(spool, 3)

    class OneByOne:
        name = "een-voor-een"

        def publish(self, submission):
            return Published(submission.slug, submission.branch, "")

    publisher = Publisher(spool, OneByOne(), settings_for(site_repo, publish_batch=3))
    assert len(publisher._claim()) == 1  # the other rows stay free for the other workers
