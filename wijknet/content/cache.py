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
from pathlib import Path

from wijknet.content.models import Entry

CACHE_FORMAT = 1
WIJKNET_PACKAGE = Path(__file__).resolve().parent.parent


def code_version(package: Path = WIJKNET_PACKAGE) -> str:
    """A digest of every Python source file of ``wijknet``: new code, new cache."""
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
        self.hits = 0
        self.misses = 0
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
            self.misses += 1
            return None
        self.hits += 1
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
