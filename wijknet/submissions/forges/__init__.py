"""Forges: where a stored submission becomes a branch with one commit (and maybe a PR)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wijknet.submissions.settings import ServiceSettings
from wijknet.submissions.spool import Stored


class ForgeError(Exception):
    """Publishing failed. ``transient`` errors are retried; ``retry_after`` is a hint in seconds."""

    def __init__(self, message: str, transient: bool = True, retry_after: float | None = None):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True)
class Published:
    slug: str
    branch: str
    url: str


class Forge(Protocol):
    name: str

    def publish(self, submission: Stored) -> Published:
        """Create the branch (and pull request); safe to call again for the same submission."""
        ...


def commit_message(submission: Stored) -> str:
    prefix = "Wijziging" if submission.action == "wijziging" else "Nieuwe inzending"
    return f"{prefix}: {submission.title}\n\nInzending {submission.id} via het webformulier.\n"


def make_forge(settings: ServiceSettings, content_dir: str, base_branch: str) -> Forge:
    """The forge the settings ask for."""
    if settings.forge == "github":
        from wijknet.submissions.forges.github import GitHubForge

        return GitHubForge(settings, content_dir, base_branch)
    from wijknet.submissions.forges.local import LocalForge

    return LocalForge(settings.repo, content_dir, base_branch, settings.author_name, settings.author_email)
