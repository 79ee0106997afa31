"""Entries as they are on the base branch, for the correction form the service renders.

A correction becomes a commit on top of the base branch (``main``), so the form shows the
entry as it is there, not as it happens to be in the working tree. Per commit of the base
branch the service lists the entry files once (``git ls-tree``) and reads and validates an
entry through the core (loader and models) the first time someone asks for it; after that a
request costs a dictionary lookup. Which commit the branch points at is checked at most every
``refresh`` seconds. Unknown slugs never reach git beyond that one listing, so made-up
addresses cannot make the service do work or fill its memory.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from wijknet.safe_yaml import load_bytes
from wijknet.content.models import Entry, ValidationContext
from wijknet.content.validation import validate_loaded
from wijknet.slugs import is_valid_slug
from wijknet.submissions.forges.local import Git


class BranchEntries:
    """The entries of ``content_dir`` on ``branch`` of the git repository ``repo``."""

    def __init__(
        self, repo: Path, content_dir: str, branch: str, refresh: float = 2.0, clock: Callable[[], float] = time.monotonic
    ):
        self.git = Git(repo)
        self.content_dir = content_dir.strip("/")
        self.branch = branch
        self.refresh = refresh
        self.clock = clock
        self._lock = threading.Lock()
        self._commit: str | None = None
        self._checked = float("-inf")
        self._slugs: frozenset[str] = frozenset()
        self._key: tuple | None = None
        self._entries: dict[str, Entry | None] = {}

    def _current(self) -> str | None:
        """The branch's commit (looked up at most every ``refresh`` seconds); call with the lock."""
        now = self.clock()
        if now - self._checked < self.refresh:
            return self._commit
        self._checked = now
        out = self.git.output("rev-parse", "--verify", "--quiet", f"refs/heads/{self.branch}^{{commit}}")
        commit = out.decode().strip() if out else None
        if commit != self._commit:
            listing = self.git.output("ls-tree", "--name-only", f"{commit}:{self.content_dir}") if commit else None
            names = listing.decode("utf-8", errors="replace").splitlines() if listing else []
            self._commit = commit
            self._slugs = frozenset(name[:-3] for name in names if name.endswith(".md"))
        return self._commit

    def commit(self) -> str | None:
        """The commit the branch points at; ``None`` without git or without the branch."""
        with self._lock:
            return self._current()

    def get(self, slug: str, context: ValidationContext) -> Entry | None:
        """The valid entry ``slug`` on the branch; ``None`` if it is not there or not valid."""
        if not is_valid_slug(slug):
            return None
        with self._lock:
            commit = self._current()
            if commit is None or slug not in self._slugs:
                return None
            # Taxonomy, settings and date are part of the key: validation depends on them.
            key = (commit, context.today, context.taxonomy, context.settings)
            if not self._same(key):
                self._key, self._entries = key, {}
            if slug in self._entries:
                return self._entries[slug]
        entry = self._read(commit, slug, context)  # outside the lock: other requests go on
        with self._lock:
            if self._same(key):
                self._entries[slug] = entry
        return entry

    def _same(self, key: tuple) -> bool:
        # identity for the taxonomy and settings objects: the service loads new ones on change
        old = self._key
        return old is not None and old[:2] == key[:2] and old[2] is key[2] and old[3] is key[3]

    def _read(self, commit: str, slug: str, context: ValidationContext) -> Entry | None:
        path = f"{self.content_dir}/{slug}.md"
        raw = self.git.output("cat-file", "blob", f"{commit}:{path}")
        if raw is None:
            return None
        return validate_loaded(load_bytes(raw), slug, path, context).entry
