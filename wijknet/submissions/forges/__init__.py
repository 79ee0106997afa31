"""Forges: where a stored submission becomes a branch with one commit (and maybe a PR)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wijknet.safe_text import escape_controls
from wijknet.submissions.settings import ServiceSettings
from wijknet.submissions.spool import Stored


TRANSIENT = "tijdelijk"
"""The forge or the network failed for now (a lock, a 5xx, a rate limit): retried with
backoff, at most ``max_attempts`` times; after a restart it gets another round."""
SETUP = "instelling"
"""The service's own setup is wrong (a bad token, a missing base branch): not retried until
the service restarts, after someone fixed it."""
PERMANENT = "blijvend"
"""This submission itself is refused (git refuses its commit, the forge calls it invalid):
never retried, not even after a restart; a moderator sees it in ``wijknet review``."""


class ForgeError(Exception):
    """Publishing failed; ``kind`` says whether and when to try again (see :data:`TRANSIENT`,
    :data:`SETUP`, :data:`PERMANENT`). ``retry_after`` is a hint in seconds.

    ``transient=False`` without a kind means :data:`SETUP`."""

    def __init__(self, message: str, transient: bool = True, retry_after: float | None = None, kind: str | None = None):
        super().__init__(message)
        self.kind = kind or (TRANSIENT if transient else SETUP)
        self.transient = self.kind == TRANSIENT
        self.retry_after = retry_after


@dataclass(frozen=True)
class Published:
    slug: str
    branch: str
    url: str


class Forge(Protocol):
    """Where submissions become branches. A forge may also offer ``publish_many(submissions)
    -> list[Published | ForgeError]``: several at once, each with its own outcome, in order;
    the publisher then hands it the rows that wait together (see the local forge)."""

    name: str

    def publish(self, submission: Stored) -> Published:
        """Create the branch (and pull request); safe to call again for the same submission."""
        ...


def commit_message(submission: Stored) -> str:
    """The commit message; the untrusted title with control characters escaped (git refuses
    a NUL, and ESC or BEL would reach every moderator's terminal in ``git log``)."""
    prefix = "Wijziging" if submission.action == "wijziging" else "Nieuwe inzending"
    return f"{prefix}: {escape_controls(submission.title)}\n\nInzending {submission.id} via het webformulier.\n"


def make_forge(settings: ServiceSettings, content_dir: str, base_branch: str) -> Forge:
    """The forge the settings ask for."""
    if settings.forge == "github":
        from wijknet.submissions.forges.github import GitHubForge

        return GitHubForge(settings, content_dir, base_branch)
    from wijknet.submissions.forges.local import LocalForge

    return LocalForge(settings.repo, content_dir, base_branch, settings.author_name, settings.author_email)
