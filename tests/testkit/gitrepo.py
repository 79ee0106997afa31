"""The one way tests run git: isolated from the machine's and the caller's git settings."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

AUTHOR = ("Test", "test@voorbeeld.example")


def git(repo: Path, *args: str, date: str | None = None) -> str:
    """Run ``git *args`` in ``repo`` and return its output; fails the test on a non-zero exit.

    No global or system git configuration and no ``GIT_*`` variable of the caller (a test run
    from a git hook has ``GIT_DIR`` set) reach it; author and committer are fixed, and so are
    their dates when ``date`` (ISO 8601) is given.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME=AUTHOR[0],
        GIT_AUTHOR_EMAIL=AUTHOR[1],
        GIT_COMMITTER_NAME=AUTHOR[0],
        GIT_COMMITTER_EMAIL=AUTHOR[1],
    )
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    done = subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def commit_all(repo: Path, message: str, date: str | None = None) -> None:
    """Stage every change in ``repo`` and commit it."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
