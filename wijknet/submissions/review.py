"""Reviewing submissions: list what waits, with its validation result; merge or reject.

For the local forge the branches ``inzending/*`` are the truth: each file is validated
again, as CI would. The spool adds what must stay out of the repository: the submitter's
own contact, for moderators only. For the GitHub forge the pull requests are reviewed on
GitHub; ``wijknet review`` then lists the spool.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from wijknet.safe_yaml import load_bytes
from wijknet.content.models import ValidationContext
from wijknet.content.validation import Problem, validate_loaded
from wijknet.submissions.forges.local import Git, GitError, marker_ref
from wijknet.submissions.spool import FAILED, MERGED, RECEIVED, REJECTED, SUBMITTED, Spool, Stored

BRANCH_PREFIX = "inzending/"


class ReviewError(Exception):
    """A review action cannot be done; the message says why."""


@dataclass
class ReviewItem:
    id: str
    branch: str
    slug: str
    title: str
    action: str  # nieuw | wijziging
    status: str
    problems: list[Problem] = field(default_factory=list)
    submitter: dict[str, str] = field(default_factory=dict)
    url: str = ""
    error: str = ""  # why publishing failed (the last try), for rows without a branch
    failure: str = ""  # its kind: tijdelijk, instelling, blijvend
    attempts: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems


def _split_branch(branch: str) -> tuple[str, str]:
    """``inzending/<slug>-<id>`` -> (slug, id)."""
    name = branch.removeprefix(BRANCH_PREFIX)
    slug, _, submission_id = name.rpartition("-")
    return slug, submission_id


class LocalReview:
    """Review actions on a local repository (the local forge)."""

    def __init__(self, repo: Path, content_dir: str, base_branch: str, spool: Spool | None = None):
        self.git = Git(repo, "Wijknet redactie", "redactie@wijknet.invalid")
        self.repo = Path(repo)
        self.content_dir = content_dir.strip("/")
        self.base_branch = base_branch
        self.spool = spool

    def branches(self) -> list[str]:
        out = self.git.run("for-each-ref", "--format=%(refname:short)", f"refs/heads/{BRANCH_PREFIX}")
        return sorted(line.strip() for line in out.splitlines() if line.strip())

    def _changed_file(self, branch: str) -> str | None:
        out = self.git.run("diff", "--name-only", f"{self.base_branch}...{branch}", "--", self.content_dir)
        files = [line for line in out.splitlines() if line.endswith(".md")]
        return files[0] if files else None

    def pending(self, context: ValidationContext) -> list[ReviewItem]:
        """Every ``inzending/*`` branch with its validation result and the submitter's contact."""
        items = []
        for branch in self.branches():
            slug, submission_id = _split_branch(branch)
            stored = self.spool.get(submission_id) if self.spool else None
            path = self._changed_file(branch) or f"{self.content_dir}/{slug}.md"
            raw = self.git.run("show", f"{branch}:{path}", check=False)
            loaded = load_bytes(raw.encode())
            result = validate_loaded(loaded, Path(path).stem, path, context)
            items.append(
                ReviewItem(
                    id=submission_id,
                    branch=branch,
                    slug=Path(path).stem,
                    title=result.entry.title if result.entry else (stored.title if stored else slug),
                    action=stored.action if stored else ("wijziging" if self._on_base(path) else "nieuw"),
                    status=stored.status if stored else SUBMITTED,
                    problems=result.problems,
                    submitter=stored.submitter if stored else {},
                )
            )
        if self.spool is not None:  # accepted, but no branch: waiting, retrying or failed
            have_branch = {item.id for item in items}
            items += [_item_from_stored(s) for s in self.spool.unpublished() if s.id not in have_branch]
        return items

    def _on_base(self, path: str) -> bool:
        return self.git.ok("cat-file", "-e", f"{self.base_branch}:{path}")

    def branch_of(self, submission_id: str) -> str:
        for branch in self.branches():
            if _split_branch(branch)[1] == submission_id:
                return branch
        raise ReviewError(f"geen branch gevonden voor inzending {submission_id}")

    def merge(self, submission_id: str) -> str:
        """Merge the submission's branch into the base branch; returns the merge commit."""
        branch = self.branch_of(submission_id)
        title = self._subject(branch)
        message = f"Inzending {submission_id} samengevoegd: {title}"
        head = self.git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False).strip()
        if head == self.base_branch:
            # the base branch is checked out: a normal merge keeps the working tree in step
            try:
                self.git.run("merge", "--no-ff", "-m", message, branch)
            except GitError as error:
                self.git.run("merge", "--abort", check=False)
                raise ReviewError(f"samenvoegen lukt niet: {error}") from None
            commit = self.git.run("rev-parse", "HEAD").strip()
        else:
            tree = self.git.run("merge-tree", "--write-tree", self.base_branch, branch, check=False).splitlines()
            if not tree or len(tree[0].strip()) != 40 or len(tree) > 1:
                raise ReviewError(f"samenvoegen lukt niet: {branch} botst met {self.base_branch}")
            base = self.git.run("rev-parse", self.base_branch).strip()
            tip = self.git.run("rev-parse", branch).strip()
            commit = self.git.run("commit-tree", tree[0].strip(), "-p", base, "-p", tip, input=message + "\n").strip()
            self.git.run("update-ref", f"refs/heads/{self.base_branch}", commit, base)
        self._delete_branch(branch, submission_id)
        if self.spool:
            self.spool.set_status(submission_id, MERGED)
        return commit

    def reject(self, submission_id: str, reason: str) -> str:
        """Delete the branch and record why (the spool keeps the reason)."""
        branch = self.branch_of(submission_id)
        self._delete_branch(branch, submission_id)
        if self.spool:
            self.spool.set_status(submission_id, REJECTED, reason)
        return branch

    def _delete_branch(self, branch: str, submission_id: str) -> None:
        """The branch and, when the forge made one, its marker (see the local forge)."""
        self.git.run("update-ref", "--stdin", input=f"delete refs/heads/{branch}\ndelete {marker_ref(submission_id)}\n")

    def _subject(self, branch: str) -> str:
        return self.git.run("log", "-1", "--format=%s", branch).strip()


def spool_items(spool: Spool) -> list[ReviewItem]:
    """Pending submissions as the spool knows them (the GitHub forge)."""
    items = []
    for stored in spool.all((RECEIVED, SUBMITTED, FAILED)):
        items.append(_item_from_stored(stored))
    return items


def _item_from_stored(stored: Stored) -> ReviewItem:
    return ReviewItem(
        id=stored.id,
        branch=stored.branch,
        slug=stored.slug,
        title=stored.title,
        action=stored.action,
        status=stored.status,
        submitter=stored.submitter,
        url=stored.url,
        error=stored.last_error,
        failure=stored.failure,
        attempts=stored.attempts,
    )


def today_for(timezone: str, fixed: dt.date | None) -> dt.date:
    from wijknet.project import today_in

    return fixed or today_in(timezone)
