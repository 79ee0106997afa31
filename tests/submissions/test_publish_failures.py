"""Publishing failures are classified, bounded and visible; control characters never reach a
commit message or a moderator's terminal raw."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wijknet.safe_text import escape_controls
from wijknet.submissions.forges import PERMANENT, SETUP, TRANSIENT, ForgeError, Published
from wijknet.submissions.forges.local import LocalForge, git_failure_kind
from wijknet.submissions.intake import Candidate
from wijknet.submissions.publisher import Publisher
from wijknet.submissions.spool import FAILED, RECEIVED, SUBMITTED, Spool

from testkit import REPO, git

from .conftest import TODAY, branches, settings_for

HOSTILE_TITLE = "Buurt\x1b[2J\x1b]0;pwned\x07koffie\x00 \u202egnirtsmoor\u0085"


def _stored(spool: Spool, title: str = "Proef", key: str = "k"):
    candidate = Candidate(key, "nieuw", "proef", title, "initiatief", ("oost",), "---\ntitel: Proef\n---\n", {"naam": "A"})
    stored, _ = spool.add(candidate)
    return stored


class FailingForge:
    name = "failing"

    def __init__(self, error: BaseException, succeed_after: int | None = None):
        self.error = error
        self.calls = 0
        self.succeed_after = succeed_after

    def publish(self, submission):
        self.calls += 1
        if self.succeed_after is not None and self.calls > self.succeed_after:
            return Published(submission.slug, submission.branch, "")
        raise self.error


def test_escape_controls_shows_every_unsafe_character():
    assert escape_controls(HOSTILE_TITLE) == (
        "Buurt\\x1b[2J\\x1b]0;pwned\\x07koffie\\x00 \\u202egnirtsmoor\\x85"
    )
    assert escape_controls("Zoë's café 👍 \t") == "Zoë's café 👍 \\x09"
    assert escape_controls("a\nb", keep_newlines=True) == "a\nb"


def test_a_hostile_title_becomes_a_commit_with_an_escaped_subject(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored = _stored(spool, HOSTILE_TITLE)
    forge = LocalForge(site_repo, "content/initiatieven", "main", "Test", "t@example.org")
    published = forge.publish(stored)  # git commit-tree refused the raw NUL before
    subject = git(site_repo, "log", "-1", "--format=%s", published.branch).strip()
    assert subject == "Nieuwe inzending: " + escape_controls(HOSTILE_TITLE)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in subject)


@pytest.mark.parametrize(
    ("command", "stderr", "kind"),
    [
        ("update-ref", "fatal: cannot lock ref 'refs/heads/x': Unable to create '/r/.git/refs/heads/x.lock'", TRANSIENT),
        ("read-tree", "fatal: Unable to create '/r/.git/index.lock': File exists.", TRANSIENT),
        ("commit-tree", "error: a NUL byte in commit log message not allowed.", PERMANENT),
        ("hash-object", "fatal: unable to hash object: invalid", PERMANENT),
        ("rev-parse", "fatal: not a git repository (or any of the parent directories): .git", SETUP),
        ("rev-parse", "fatal: Needed a single revision", SETUP),
        ("for-each-ref", "fatal: something unexpected", TRANSIENT),
    ],
)
def test_git_failures_are_classified(command, stderr, kind):
    assert git_failure_kind(command, stderr) == kind


def test_a_permanent_failure_is_not_retried_not_even_after_a_restart(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored = _stored(spool)
    forge = FailingForge(ForgeError("git commit-tree: refused", kind=PERMANENT))
    publisher = Publisher(spool, forge, settings_for(site_repo))
    publisher.publish_one(spool.get(stored.id))
    row = spool.get(stored.id)
    assert (row.status, row.failure, row.attempts, forge.calls) == (FAILED, PERMANENT, 1, 1)
    assert spool.requeue_failed() == 0  # what a restart does first
    assert spool.get(stored.id).status == FAILED
    assert [s.id for s in spool.unpublished()] == [stored.id]


def test_a_setup_failure_waits_for_a_restart(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored = _stored(spool)
    publisher = Publisher(spool, FailingForge(ForgeError("GitHub 401", transient=False)), settings_for(site_repo))
    publisher.publish_one(spool.get(stored.id))
    assert (spool.get(stored.id).status, spool.get(stored.id).failure) == (FAILED, SETUP)
    assert spool.requeue_failed() == 1 and spool.get(stored.id).status == RECEIVED


@pytest.mark.parametrize("error", [ForgeError("GitHub 502"), RuntimeError("a bug")])
def test_transient_failures_and_bugs_give_up_after_max_attempts(site_repo, tmp_path, error):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored = _stored(spool)
    forge = FailingForge(error)
    publisher = Publisher(spool, forge, settings_for(site_repo, max_attempts=4))
    for _ in range(10):
        row = spool.get(stored.id)
        if row.status != RECEIVED:
            break
        publisher.publish_one(row)
    row = spool.get(stored.id)
    assert (row.status, row.failure, row.attempts, forge.calls) == (FAILED, TRANSIENT, 4, 4)
    assert row.last_error


def test_a_transient_failure_that_clears_is_published(site_repo, tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3")
    stored = _stored(spool)
    publisher = Publisher(spool, FailingForge(ForgeError("GitHub 503"), succeed_after=2), settings_for(site_repo))
    for _ in range(3):
        publisher.publish_one(spool.get(stored.id))
    assert spool.get(stored.id).status == SUBMITTED


def test_a_spool_from_before_failure_kinds_is_upgraded(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    Spool(path).close()
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE submissions DROP COLUMN failure")
    db.commit()
    db.close()
    spool = Spool(path)
    assert _stored(spool).failure == ""


def test_review_shows_submissions_without_a_branch_with_their_error_escaped(site_repo, tmp_path):
    spool_path = site_repo / ".submissions" / "spool.sqlite3"
    spool = Spool(spool_path)
    waiting = _stored(spool, "Gewoon wachten", key="a")
    refused = _stored(spool, HOSTILE_TITLE, key="b")
    spool.mark_failed(refused.id, 1, "git commit-tree: kapot \x1b[31m", PERMANENT)
    spool.close()
    env = {**os.environ, "WIJKNET_REPO": str(site_repo)}
    done = subprocess.run([sys.executable, "-m", "wijknet.cli", "review", "--date", TODAY.isoformat()],
                          capture_output=True, text=True, env=env, cwd=REPO, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert f"{refused.id}  nog geen branch  [nieuw, fout, geldig]" in out
    assert escape_controls(HOSTILE_TITLE) in out
    assert "publiceren mislukt na 1 poging(en) (blijvend: wordt niet opnieuw geprobeerd): git commit-tree: kapot \\x1b[31m" in out
    assert f"{waiting.id}  nog geen branch  [nieuw, ontvangen, geldig]" in out
    assert branches(site_repo) == []
    as_json = subprocess.run([sys.executable, "-m", "wijknet.cli", "review", "--format", "json", "--date", TODAY.isoformat()],
                             capture_output=True, text=True, env=env, cwd=REPO, check=False)  # fmt: skip
    assert '"failure": "blijvend"' in as_json.stdout
