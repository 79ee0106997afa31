"""The local forge: real git on a repository on disk, with plumbing only.

A submission becomes one branch ``inzending/<slug>-<id>`` with one commit on top of the
base branch. Blobs, trees and commits are written with ``hash-object``, a temporary index
(``GIT_INDEX_FILE``) and ``commit-tree``; the branch is created with ``update-ref``. The base
branch, HEAD, the real index and the working tree are never touched.

Publishing again (after a crash between creating the branch and the spool hearing of it) finds
the earlier branch by name, never by listing branches, so the cost of a publish does not grow
with their number. Usually the branch has the name the spool planned. When the base branch
took the planned slug in the meantime, the branch gets a free slug instead, and a second ref
``refs/wijknet/inzending/<id>``, created in the same transaction, points at its commit: later
attempts find the branch through it, whatever the base branch does next.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from pathlib import Path

from wijknet.submissions.forges import PERMANENT, SETUP, TRANSIENT, ForgeError, Published, commit_message
from wijknet.submissions.spool import Stored, branch_name, next_free_slug

ZERO = "0" * 40


class GitError(ForgeError):
    """git failed; the kind follows from what git said (see :func:`git_failure_kind`)."""


# What git says when another process holds a lock or the machine is short of something:
# worth another try. Other failures of the commands that carry the submission's own data
# (its blob, its commit message) mean git refuses this submission.
_TRANSIENT_GIT = ("lock", "unable to create", "temporarily", "resource busy", "no space left",
                  "interrupted", "timed out", "cannot allocate")  # fmt: skip
_SETUP_GIT = ("not a git repository", "permission denied", "unknown revision", "bad revision",
              "needed a single revision", "does not exist")  # fmt: skip
_SUBMISSION_COMMANDS = ("hash-object", "commit-tree", "update-index", "mktree")


def git_failure_kind(command: str, stderr: str) -> str:
    text = stderr.lower()
    if any(marker in text for marker in _TRANSIENT_GIT):
        return TRANSIENT
    if any(marker in text for marker in _SETUP_GIT):
        return SETUP
    return PERMANENT if command in _SUBMISSION_COMMANDS else TRANSIENT


class Git:
    """Runs git in one repository with a clean, predictable environment."""

    def __init__(self, repo: Path, author_name: str = "Wijknet", author_email: str = "wijknet@invalid"):
        self.repo = Path(repo)
        self._env = {
            key: value for key, value in os.environ.items() if not key.startswith("GIT_") or key in ("GIT_EXEC_PATH",)
        }
        self._env.update(
            GIT_AUTHOR_NAME=author_name,
            GIT_AUTHOR_EMAIL=author_email,
            GIT_COMMITTER_NAME=author_name,
            GIT_COMMITTER_EMAIL=author_email,
            GIT_TERMINAL_PROMPT="0",
            LC_ALL="C",
        )

    def run(self, *args: str, input: str | None = None, env: dict[str, str] | None = None, check: bool = True) -> str:
        result = subprocess.run(
            ["git", "-C", str(self.repo), *args],
            input=input.encode() if input is not None else None,
            capture_output=True,
            env={**self._env, **(env or {})},
        )
        if check and result.returncode != 0:
            stderr = result.stderr.decode(errors="replace").strip()
            raise GitError(f"git {' '.join(args[:2])}: {stderr}", kind=git_failure_kind(args[0], stderr))
        return result.stdout.decode()

    def output(self, *args: str) -> bytes | None:
        """Raw stdout of a git command, or ``None`` when it fails (file contents stay bytes)."""
        result = subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True, env=self._env)
        return result.stdout if result.returncode == 0 else None

    def ok(self, *args: str) -> bool:
        return subprocess.run(["git", "-C", str(self.repo), *args], capture_output=True, env=self._env).returncode == 0

    def resolve(self, *names: str) -> list[str | None]:
        """The object id of each revision name, ``None`` for a name that does not exist; one
        git process, and each ref is read directly (no listing)."""
        if any(not name or any(c.isspace() for c in name) for name in names):
            raise ValueError(f"revision names without white space expected: {names!r}")
        out = self.run("cat-file", "--batch-check=%(objectname)", input="".join(f"{name}\n" for name in names))
        answers = out.splitlines()
        if len(answers) != len(names):
            raise GitError(f"git cat-file: {len(answers)} answers for {len(names)} names", kind=TRANSIENT)
        found: list[str | None] = []
        for name, answer in zip(names, answers):
            if answer == f"{name} missing":
                found.append(None)
            elif answer and all(c in "0123456789abcdef" for c in answer):
                found.append(answer)
            else:  # "ambiguous" or a surprise: do not guess
                raise GitError(f"git cat-file: {answer}", kind=TRANSIENT)
        return found


def marker_ref(submission_id: str) -> str:
    """The ref that points at a submission's commit when its branch is not the planned name."""
    return f"refs/wijknet/inzending/{submission_id}"


class LocalForge:
    """Branches in a local repository."""

    name = "local"

    def __init__(self, repo: Path, content_dir: str, base_branch: str, author_name: str, author_email: str):
        self.git = Git(repo, author_name, author_email)
        self.content_dir = content_dir.strip("/")
        self.base_branch = base_branch
        self._ref_lock = threading.Lock()

    def _slug_for(self, submission: Stored, base: str) -> str:
        if submission.action != "nieuw":
            return submission.slug
        out = self.git.run("ls-tree", "--name-only", f"{base}:{self.content_dir}", check=False)
        taken = {name.removesuffix(".md") for name in out.splitlines() if name.endswith(".md")}
        # the spool picked a free slug on the content it knew; main may have moved since
        base_slug = submission.slug
        return base_slug if base_slug not in taken else next_free_slug(base_slug, taken)

    def publish(self, submission: Stored) -> Published:
        base, planned, marked = self.git.resolve(
            f"refs/heads/{self.base_branch}^{{commit}}", f"refs/heads/{submission.branch}", marker_ref(submission.id)
        )
        if planned is not None:  # published before a crash, before the spool heard of it
            return Published(submission.slug, submission.branch, "")
        if marked is not None:
            earlier = self._marked_branch(submission, marked)
            if earlier is not None:
                return earlier
        if base is None:
            raise GitError(f"de basisbranch {self.base_branch} bestaat niet", kind=SETUP)
        slug = self._slug_for(submission, base)
        path = f"{self.content_dir}/{slug}.md"
        blob = self.git.run("hash-object", "-w", "--stdin", input=submission.file_text).strip()
        with tempfile.TemporaryDirectory(prefix="wijknet-index-") as scratch:
            index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self.git.run("read-tree", base, env=index)
            self.git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=index)
            tree = self.git.run("write-tree", env=index).strip()
        commit = self.git.run("commit-tree", tree, "-p", base, input=commit_message(submission)).strip()
        branch = branch_name(slug, submission.id)
        # "create": never move an existing ref; the branch and its marker come in one transaction
        updates = f"create refs/heads/{branch} {commit}\n"
        if branch != submission.branch:
            updates += f"create {marker_ref(submission.id)} {commit}\n"
        with self._ref_lock:
            self.git.run("update-ref", "-m", "wijknet inzending", "--stdin", input=updates)
        return Published(slug, branch, "")

    def _marked_branch(self, submission: Stored, commit: str) -> Published | None:
        """The branch an earlier attempt made under another slug; ``None`` (and the marker
        removed) when that branch is gone."""
        changed = self.git.run("diff-tree", "--no-commit-id", "--name-only", "-r", commit).splitlines()
        prefix = f"{self.content_dir}/"
        slugs = [p.removeprefix(prefix).removesuffix(".md") for p in changed if p.startswith(prefix) and p.endswith(".md")]
        if len(slugs) == 1:
            branch = branch_name(slugs[0], submission.id)
            if self.git.resolve(f"refs/heads/{branch}") != [None]:
                return Published(slugs[0], branch, "")
        self.git.run("update-ref", "-d", marker_ref(submission.id), commit)
        return None
