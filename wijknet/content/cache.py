"""A cache of validated entries between builds, keyed by what validation reads.

An entry is the same as last time when its file has the same bytes and name, the taxonomy
and site settings are the same and the validating code is the same: then its validated
:class:`~wijknet.content.models.Entry` is taken from the cache instead of parsing and
validating the file again. The one rule that depends on the build date (``gecontroleerd``
not in the future) is checked again on every hit; an entry that fails it is validated in
full, so the problem is reported exactly as without a cache.

Only valid entries are stored: invalid files are rare and their problems name the path
they were read from. The cache lives in one pickle file, replaced atomically, so two builds
that run at the same time can only lose each other's additions, never corrupt it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from wijknet.content.models import Entry

CACHE_FORMAT = 1
WIJKNET_PACKAGE = Path(__file__).resolve().parent.parent


def code_version(package: Path = WIJKNET_PACKAGE) -> str:
    """A digest of every Python source file of ``wijknet``: new code, new cache.

    Computed once per process: code read after the process started is not the code that
    runs (a long-running ``wijknet serve`` keeps its modules), so a later digest would lie.
    """
    return _code_version(Path(package))


@lru_cache(maxsize=4)
def _code_version(package: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def folder_digest(*paths: Path) -> str:
    """A digest of the names and bytes of every file under ``paths`` (files or folders)."""
    digest = hashlib.sha256()
    for root in paths:
        root = Path(root)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for path in files:
            digest.update(str(path.relative_to(root) if path != root else path.name).encode())
            digest.update(b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_key(path: Path, raw: bytes) -> str:
    """The key of one entry file: its name (the slug) and its bytes."""
    return hashlib.sha256(path.name.encode() + b"\0" + raw).hexdigest()


class EntryCache:
    """Validated entries by :func:`file_key`, valid for one taxonomy, settings and code."""

    def __init__(self, folder: Path, setup: str):
        self.path = Path(folder) / "entries.pickle"
        self.setup = setup
        self._entries: dict[str, Entry] = {}
        self._used: dict[str, Entry] = {}
        self._changed = False
        self._read()

    @classmethod
    def for_setup(cls, folder: Path, taxonomy_dir: Path, settings_path: Path) -> "EntryCache":
        """The cache for this taxonomy, settings file and version of the code."""
        setup = hashlib.sha256(
            f"{CACHE_FORMAT}\0{code_version()}\0{folder_digest(taxonomy_dir)}\0{folder_digest(settings_path)}".encode()
        ).hexdigest()
        return cls(folder, setup)

    def _read(self) -> None:
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return
        if isinstance(stored, dict) and stored.get("setup") == self.setup:
            self._entries = stored.get("entries", {})

    def get(self, key: str, today: dt.date) -> Entry | None:
        """The cached entry, if it is still valid on ``today``."""
        entry = self._entries.get(key)
        if entry is None or entry.checked > today:
            return None
        self._used[key] = entry
        return entry

    def put(self, key: str, entry: Entry) -> None:
        self._used[key] = entry
        self._changed = True

    def save(self) -> None:
        """Keep the entries used by this build (so deleted files drop out) and nothing else."""
        if not self._changed and len(self._used) == len(self._entries):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".entries-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump({"setup": self.setup, "entries": self._used}, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self._entries = dict(self._used)
        self._changed = False


class Memo:
    """A small persistent memo (key → value) for one setup; keeps only what a build used.

    Used for work that is pure but costly and repeats between builds, such as the search
    index's per-field token lists. ``None`` is never stored.
    """

    def __init__(self, path: Path, setup: str):
        self.path = Path(path)
        self.setup = setup
        self._stored: dict = {}
        self._used: dict = {}
        self._changed = False
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)
            if isinstance(stored, dict) and stored.get("setup") == setup:
                self._stored = stored.get("values", {})
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            pass

    def get(self, key):
        value = self._used.get(key)
        if value is None:
            value = self._stored.get(key)
            if value is not None:
                self._used[key] = value
        return value

    def put(self, key, value) -> None:
        if value is not None:
            self._used[key] = value
            self._changed = True

    def save(self) -> None:
        if not self._changed and len(self._used) == len(self._stored):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".memo-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump({"setup": self.setup, "values": self._used}, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self._stored = dict(self._used)
        self._changed = False


class BuildMemo:
    """Persistent memos of one build setup (code, taxonomy, settings, date, site URL), one
    file per namespace, read on first use. Providers use it through :func:`build_memo`.

    Values are remembered under a key that must name every input of the computation: an
    entry's *content digest* (its file's name and bytes, see :func:`file_key`) stands for
    the entry, because with the setup fixed an entry is a function of its file. A memo that
    is not attached (no cache) computes every time, so providers never depend on it.
    """

    def __init__(self, folder: Path | None, setup: str, catalog=None):
        self.folder = Path(folder) / "memo" if folder is not None else None
        self.setup = setup
        self._catalog = catalog
        self._digests: Mapping[str, str] = getattr(catalog, "digests", {}) or {}
        self._memos: dict[str, Memo] = {}
        self._inherited: set[str] = set()

    @property
    def active(self) -> bool:
        return self.folder is not None

    def _memo(self, namespace: str) -> Memo:
        memo = self._memos.get(namespace)
        if memo is None:
            memo = self._memos[namespace] = Memo(self.folder / f"{namespace}.pickle", self.setup)
        return memo

    def digest_of(self, entry: Entry) -> str | None:
        """The content digest of a catalog entry (None for an entry not loaded from a file)."""
        if self._catalog is None or self._catalog.by_slug.get(entry.slug) is not entry:
            return None
        return self._digests.get(entry.slug)

    def entries_key(self, entries: Iterable[Entry]) -> str | None:
        """One key for a sequence of entries (order counts); None if one has no digest."""
        digest = hashlib.blake2b(digest_size=20)
        for entry in entries:
            known = self.digest_of(entry)
            if known is None:
                return None
            digest.update(f"{entry.slug}\0{known}\n".encode())
        return digest.hexdigest()

    def keyed(self, namespace: str, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` (hashable; ``None`` means do not remember)."""
        if self.folder is None or key is None:
            return compute()
        memo = self._memo(namespace)
        value = memo.get(key)
        if value is None:
            value = compute()
            memo.put(key, value)
        return value

    def entry(self, namespace: str, entry: Entry, compute: Callable[[], Any]) -> Any:
        """``compute()`` for one entry, remembered by the entry's content digest."""
        digest = self.digest_of(entry) if self.folder is not None else None
        return self.keyed(namespace, None if digest is None else (entry.slug, digest), compute)

    def forked(self) -> None:
        """In a forked process: leave the memos read before the fork to the parent."""
        self._inherited = set(self._memos)

    def save(self) -> None:
        """Write the memos this process read (each keeps only what this build used)."""
        for namespace, memo in self._memos.items():
            if namespace not in self._inherited:
                memo.save()


MEMO_KEY = "build.memo"
_NO_MEMO = BuildMemo(None, "")


def build_memo(build) -> BuildMemo:
    """The build's memo, or one that always computes."""
    return build.shared.get(MEMO_KEY) or _NO_MEMO
