"""The local forge: real git on a repository on disk, with plumbing only.

A submission becomes one branch ``inzending/<slug>-<id>`` with one commit on top of the base
branch that adds its file (or, for a correction, changes it). The base branch, HEAD, the real
index and the working tree are never touched.

Submissions that wait together are published together, with a few git processes for all of
them: one ``cat-file`` looks up the base branch and every earlier branch by name, one
``hash-object`` writes the files, one ``mktree`` per folder level writes the trees, one
``commit-tree`` per submission writes its commit, and one ``update-ref`` creates the branches,
each in its own transaction whose ``create`` never moves an existing ref. Refs are read by
name, never listed, so the cost of a publish does not grow with the number of branches.

Publishing again (after a crash between creating a branch and the spool hearing of it) finds
the earlier branch. Usually it has the name the spool planned. When the base branch took the
planned slug in the meantime, the branch gets a free slug instead, and a second ref
``refs/wijknet/inzending/<id>``, created in the same transaction, points at its commit: later
attempts find the branch through it, whatever the base branch does next.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from wijknet.submissions.forges import PERMANENT, SETUP, TRANSIENT, ForgeError, Published, commit_message
from wijknet.submissions.spool import Stored, branch_name, next_free_slug

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

    def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None, check: bool = True, errors: str = "strict"
    ) -> str:
        """stdout of ``git *args``; ``errors="surrogateescape"`` lets names that are not UTF-8
        pass through unchanged (from one git command into the next)."""
        result = subprocess.run(
            ["git", "-C", str(self.repo), *args],
            input=input.encode(errors=errors) if input is not None else None,
            capture_output=True,
            env={**self._env, **(env or {})},
        )
        if check and result.returncode != 0:
            stderr = result.stderr.decode(errors="replace").strip()
            raise GitError(f"git {' '.join(args[:2])}: {stderr}", kind=git_failure_kind(args[0], stderr))
        return result.stdout.decode(errors=errors)

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


@dataclass(frozen=True)
class _Plan:
    """One submission on its way to a branch."""

    submission: Stored
    slug: str
    branch: str
    commit: str = ""


class LocalForge:
    """Branches in a local repository."""

    name = "local"

    def __init__(self, repo: Path, content_dir: str, base_branch: str, author_name: str, author_email: str):
        self.git = Git(repo, author_name, author_email)
        self.content_dir = content_dir.strip("/")
        self.base_branch = base_branch
        self._ref_lock = threading.Lock()
        self._levels_lock = threading.Lock()
        self._levels: tuple[str, list[dict[str, str]]] | None = None

    def publish(self, submission: Stored) -> Published:
        outcome = self.publish_many([submission])[0]
        if isinstance(outcome, ForgeError):
            raise outcome
        return outcome

    def publish_many(self, submissions: Sequence[Stored]) -> list[Published | ForgeError]:
        """Publish each submission (safe to repeat); the outcome of each, in order. When a step
        shared by several fails, each is tried on its own, so a refusal names the right one."""
        try:
            return self._publish_together(submissions)
        except GitError as error:
            if len(submissions) == 1:
                return [error]
            return [self.publish_many([submission])[0] for submission in submissions]

    def _publish_together(self, submissions: Sequence[Stored]) -> list[Published | ForgeError]:
        names = [f"refs/heads/{self.base_branch}^{{commit}}"]
        for submission in submissions:
            names += [f"refs/heads/{submission.branch}", marker_ref(submission.id)]
        found = self.git.resolve(*names)
        base = found[0]
        outcomes: dict[str, Published | ForgeError] = {}
        for number, submission in enumerate(submissions):
            planned, marked = found[1 + 2 * number], found[2 + 2 * number]
            if planned is not None:  # published before a crash, before the spool heard of it
                outcomes[submission.id] = Published(submission.slug, submission.branch, "")
            elif marked is not None and (earlier := self._marked_branch(submission, marked)) is not None:
                outcomes[submission.id] = earlier
        todo = [submission for submission in submissions if submission.id not in outcomes]
        if todo:
            if base is None:
                raise GitError(f"de basisbranch {self.base_branch} bestaat niet", kind=SETUP)
            outcomes.update(self._create(todo, base))
        return [outcomes[submission.id] for submission in submissions]

    def _base_levels(self, base: str) -> list[dict[str, str]]:
        """The entries of the base commit's root, of each folder down to the content folder,
        and of the content folder: name -> ``mode type id``. Read once per base commit."""
        with self._levels_lock:
            if self._levels is not None and self._levels[0] == base:
                return self._levels[1]
            parts = self.content_dir.split("/") if self.content_dir else []
            folders = [f"{base}:{'/'.join(parts[:depth])}" for depth in range(1, len(parts) + 1)]
            levels = []
            for tree in self.git.resolve(f"{base}^{{tree}}", *folders):
                entries: dict[str, str] = {}
                out = self.git.run("ls-tree", "-z", tree, errors="surrogateescape") if tree else ""  # None: a new folder
                for record in filter(None, out.split("\0")):
                    info, name = record.split("\t", 1)
                    entries[name] = info
                levels.append(entries)
            self._levels = (base, levels)
            return levels

    def _slug_for(self, submission: Stored, taken: set[str]) -> str:
        if submission.action != "nieuw":
            return submission.slug
        # the spool picked a free slug on the content it knew; main may have moved since
        base_slug = submission.slug
        return base_slug if base_slug not in taken else next_free_slug(base_slug, taken)

    def _create(self, todo: list[Stored], base: str) -> dict[str, Published | ForgeError]:
        levels = self._base_levels(base)
        taken = {name.removesuffix(".md") for name in levels[-1] if name.endswith(".md")}
        plans = []
        for submission in todo:
            slug = self._slug_for(submission, taken)
            plans.append(_Plan(submission, slug, branch_name(slug, submission.id)))
        blobs = self._write_blobs([plan.submission.file_text for plan in plans])
        trees = self._write_trees(levels, [(f"{plan.slug}.md", blob) for plan, blob in zip(plans, blobs)])
        outcomes: dict[str, Published | ForgeError] = {}
        ready = []
        for plan, tree in zip(plans, trees):
            try:
                commit = self.git.run("commit-tree", tree, "-p", base, input=commit_message(plan.submission)).strip()
            except GitError as error:  # this submission's own message: its own outcome
                outcomes[plan.submission.id] = error
                continue
            ready.append(replace(plan, commit=commit))
        outcomes.update(self._create_branches(ready))
        return outcomes

    def _write_blobs(self, texts: list[str]) -> list[str]:
        with tempfile.TemporaryDirectory(prefix="wijknet-blobs-") as scratch:
            paths = []
            for number, text in enumerate(texts):
                path = Path(scratch) / f"{number}.md"
                path.write_bytes(text.encode("utf-8"))
                paths.append(str(path))
            out = self.git.run("hash-object", "-w", "--no-filters", "--stdin-paths", input="".join(f"{p}\n" for p in paths))
        blobs = out.split()
        if len(blobs) != len(texts):
            raise GitError(f"git hash-object: {len(blobs)} ids for {len(texts)} files", kind=TRANSIENT)
        return blobs

    def _write_trees(self, levels: list[dict[str, str]], files: list[tuple[str, str]]) -> list[str]:
        """The root tree of the base commit with each file added to the content folder: one
        ``mktree`` per folder level, for all files at once."""
        parts = self.content_dir.split("/") if self.content_dir else []
        children = [(name, f"100644 blob {blob}") for name, blob in files]
        for depth in range(len(parts), -1, -1):
            trees = self._make_trees([{**levels[depth], name: info} for name, info in children])
            if depth:
                children = [(parts[depth - 1], f"040000 tree {tree}") for tree in trees]
        return trees

    def _make_trees(self, listings: list[dict[str, str]]) -> list[str]:
        # -z: names as they are; an empty record ends a tree (--batch)
        text = "".join("".join(f"{info}\t{name}\0" for name, info in listing.items()) + "\0" for listing in listings)
        trees = self.git.run("mktree", "-z", "--batch", input=text, errors="surrogateescape").split()
        if len(trees) != len(listings):
            raise GitError(f"git mktree: {len(trees)} trees for {len(listings)} lists", kind=TRANSIENT)
        return trees

    def _create_branches(self, ready: list[_Plan]) -> dict[str, Published | ForgeError]:
        """One transaction per branch, with its marker when its slug moved. git stops at the
        first refused one; the error then goes up, and :meth:`publish_many` tries each
        submission on its own (those already made are found by name)."""
        if not ready:
            return {}
        lines = []
        for plan in ready:
            lines += ["start", f"create refs/heads/{plan.branch} {plan.commit}"]
            if plan.branch != plan.submission.branch:
                lines.append(f"create {marker_ref(plan.submission.id)} {plan.commit}")
            lines.append("commit")
        with self._ref_lock:
            self.git.run("update-ref", "-m", "wijknet inzending", "--stdin", input="\n".join(lines) + "\n")
        return {plan.submission.id: Published(plan.slug, plan.branch, "") for plan in ready}

    def _marked_branch(self, submission: Stored, commit: str) -> Published | None:
        """The branch an earlier attempt made under another slug; ``None`` (and the marker
        removed) when that branch is gone."""
        changed = self.git.run("diff-tree", "--no-commit-id", "--name-only", "-r", commit).splitlines()
        prefix = f"{self.content_dir}/" if self.content_dir else ""
        slugs = [p.removeprefix(prefix).removesuffix(".md") for p in changed if p.startswith(prefix) and p.endswith(".md")]
        if len(slugs) == 1:
            branch = branch_name(slugs[0], submission.id)
            if self.git.resolve(f"refs/heads/{branch}") != [None]:
                return Published(slugs[0], branch, "")
        self.git.run("update-ref", "-d", marker_ref(submission.id), commit)
        return None
