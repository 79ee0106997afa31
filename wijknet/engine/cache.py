"""The one build cache: namespaces of remembered values between builds.

A :class:`BuildCache` lives in one folder (outside the repository, see
:func:`wijknet.build.default_cache_dir`) and is carried on the build context as
``build.cache``. Everything a build remembers goes through it:

- :meth:`BuildCache.store` opens a *namespace*: one file, written atomically (temporary
  file, then rename), valid for the code version plus what the caller says it depends on.
  A namespace read with other dependencies starts empty. Each keeps only what one build
  used, so deleted entries drop out.
- :meth:`BuildCache.entries` is the namespace of validated entries
  (:class:`EntryCache`), which depends on the taxonomy and the settings.
- :meth:`BuildCache.keyed` and :meth:`BuildCache.entry` remember pure, costly steps of
  the providers (search terms and index, export fragments, feeds, matching, JSON-LD,
  cards), in namespaces that depend on the build-wide inputs
  (:meth:`BuildCache.for_build`); a key must name every other input, and an entry stands
  for itself by its *content digest* (its file's name and bytes).
- :meth:`BuildCache.folder` is a folder of files for one code version (compiled templates).

Without a folder (``BuildCache(None)``) nothing is remembered and every value is computed:
providers never depend on the cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

if TYPE_CHECKING:  # annotations only: a rebuild with nothing to do never loads the content models
    from wijknet.content.models import Entry

CACHE_FORMAT = 2
WIJKNET_PACKAGE = Path(__file__).resolve().parent.parent
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError)


NAMESPACES: Mapping[str, str] = {
    # namespace: what its values depend on (besides the code version, part of every key)
    "entries": "the entry file's name and bytes; the taxonomy files and site.yaml (build date rule checked again)",
    "stems": "the word; the nltk version",
    "search-words": "the word and the index field; the versions of lunr and nltk, the Dutch word characters and stop words",
    "search-terms": "the entry's content digest and the search configuration; build-wide inputs",
    "search-index": "every indexed document's terms and the shard configuration; build-wide inputs",
    "export-json": "the entry's content digest; build-wide inputs",
    "export-csv": "the entry's content digest; build-wide inputs",
    "feeds": "the feed's path, title, page and its entries' content digests; build-wide inputs",
    "jsonld": "the entry's content digest; build-wide inputs",
    "hsds": "the entry's content digest; build-wide inputs (the HSDS schemas among them)",
    "matching": "what matching reads of every entry (matching_view); build-wide inputs",
    "matching-terms": "the text analysed; build-wide inputs",
    "cards": "the entry's content digest, the card's arguments, the templates; build-wide inputs",
    "kaart": "the map's polygon file (its digest), the map settings and the areas of the taxonomy (ids, labels, levels, parents, codes)",
}
"""Every namespace of the build cache and what its values depend on. *Build-wide inputs*
are the code version, the taxonomy, site.yaml, the build date, ``SUBMISSIONS_URL``, the HSDS
schemas, the Pelican settings file, the site URL and the browser search libraries
(:func:`wijknet.build.build_inputs`, :func:`wijknet.build.attach_cache`). The output
manifests, build states and compiled templates are files of the cache too (see
``docs/architecture.md``, "How a build runs")."""


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


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def read_pickle(path: Path) -> Any:
    """What a cache file holds, or None when it cannot be read (a cache is never an error)."""
    try:
        with Path(path).open("rb") as handle:
            return pickle.load(handle)
    except _UNREADABLE:
        return None


def write_pickle(path: Path, value: Any) -> None:
    atomic_write(Path(path), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def setup_key(*depends_on: str) -> str:
    """The key of a namespace: the cache format, the code version and its dependencies."""
    return hashlib.sha256("\0".join((str(CACHE_FORMAT), code_version(), *depends_on)).encode()).hexdigest()


class Store:
    """One namespace (key → value) in one file; valid for one setup (see :func:`setup_key`).

    ``None`` is never stored. :meth:`save` keeps only what this build read or added.
    """

    def __init__(self, path: Path | None, setup: str, depends_on: tuple[str, ...] = ()):
        self.path = Path(path) if path is not None else None
        self.setup = setup
        self.depends_on = depends_on
        self._stored: dict = {}
        self._used: dict = {}
        self._changed = False
        stored = read_pickle(self.path) if self.path is not None else None
        if isinstance(stored, dict) and stored.get("setup") == setup:
            self._stored = stored.get("values", {})

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
        if self.path is None or (not self._changed and len(self._used) == len(self._stored)):
            return
        write_pickle(self.path, {"setup": self.setup, "depends_on": self.depends_on, "values": self._used})
        self._stored = dict(self._used)
        self._changed = False


class EntryCache(Store):
    """Validated entries by their file's key (name and bytes), for one taxonomy, settings and
    code. The one rule that depends on the build date (``gecontroleerd`` not in the future)
    is checked again on every hit; an entry that fails it is validated in full."""

    def get(self, key: str, today: dt.date) -> Entry | None:  # type: ignore[override]
        entry = super().get(key)
        if entry is None or entry.checked > today:
            return None
        return entry


class LiveStore(Store):
    """A namespace of one dict that a build fills as it goes (stems by word): the dict is
    handed out once and written back when it grew."""

    def live(self) -> dict:
        value = self.get("live")
        if value is None:
            value = {}
            self.put("live", value)
            self._changed = False
        self._size = len(value)
        return value

    def save(self) -> None:
        value = self._used.get("live")
        if value is not None and len(value) != getattr(self, "_size", 0):
            self._changed = True
            self._size = len(value)
        super().save()

    # The dict itself: :meth:`live` puts it in when the store is opened (BuildCache.live_dict).

    def size(self) -> int:
        return len(self._used["live"])

    def added_since(self, size: int) -> list[tuple]:
        """What was added to the dict after it held ``size`` items (a dict keeps its order)."""
        return list(self._used["live"].items())[size:]

    def extend(self, items: Iterable[tuple]) -> None:
        """Add what another process learned; written at :meth:`save` as this process's own."""
        value = self._used["live"]
        for key, item in items:
            value.setdefault(key, item)


class BuildCache:
    """The build's cache (see the module docstring). ``BuildCache(None)`` remembers nothing."""

    def __init__(self, folder: Path | None, inputs: str = "", digests: Mapping[str, str] | None = None, catalog=None):
        self.root = Path(folder) if folder is not None else None
        self.inputs = inputs
        self._catalog = catalog
        self._digests: Mapping[str, str] = digests or {}
        self._stores: dict[str, Store] = {}
        self._inherited: dict[str, int] = {}  # namespace → size of a live dict at the fork

    @property
    def active(self) -> bool:
        return self.root is not None

    def for_build(self, inputs: str, catalog) -> "BuildCache":
        """This cache for one build: the provider namespaces depend on the build-wide
        ``inputs`` (code, taxonomy, settings, date, site URL, browser libraries), and an
        entry of ``catalog`` is known by its content digest."""
        bound = BuildCache(self.root, inputs, getattr(catalog, "digests", None) or {}, catalog)
        bound._stores = self._stores  # one set of files, saved together
        return bound

    # --- namespaces ------------------------------------------------------------------------
    def store(self, namespace: str, *depends_on: str, kind: type[Store] = Store) -> Store:
        """The namespace ``namespace`` (declared in :data:`NAMESPACES`), valid for the code
        version and ``depends_on``."""
        if namespace not in NAMESPACES:
            raise KeyError(f"undeclared build cache namespace: {namespace}")
        known = self._stores.get(namespace)
        if known is None:
            path = self.root / "memo" / f"{namespace}.pickle" if self.root is not None else None
            known = self._stores[namespace] = kind(path, setup_key(namespace, *depends_on), tuple(depends_on))
        return known

    def entries(self, taxonomy_dir: Path, settings_path: Path) -> EntryCache:
        """Validated entries; depends on the taxonomy and the site settings."""
        store = self.store("entries", folder_digest(taxonomy_dir), folder_digest(settings_path), kind=EntryCache)
        assert isinstance(store, EntryCache)
        return store

    def live_dict(self, namespace: str, *depends_on: str) -> dict:
        """A dict kept in namespace ``namespace``: filled by this build, written at :meth:`save`."""
        store = self.store(namespace, *depends_on, kind=LiveStore)
        assert isinstance(store, LiveStore)
        return store.live()

    def path(self, *parts: str) -> Path | None:
        """A file of this cache (manifests, build states); None without a folder."""
        return self.root.joinpath(*parts) if self.root is not None else None

    def folder(self, name: str) -> Path | None:
        """A folder of files for this version of the code (older versions' are removed)."""
        if self.root is None:
            return None
        base = self.root / name
        folder = base / code_version()[:20]
        if not folder.is_dir():
            if base.is_dir():
                for old in base.iterdir():
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
                    else:
                        old.unlink(missing_ok=True)
            folder.mkdir(parents=True, exist_ok=True)
        return folder

    # --- provider steps, valid for the build-wide inputs -------------------------------------
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
        """``compute()``, remembered under ``key`` (hashable; ``None`` means do not remember)
        in a namespace that depends on the build-wide inputs."""
        if namespace not in NAMESPACES:
            raise KeyError(f"undeclared build cache namespace: {namespace}")
        if self.root is None or key is None or not self.inputs:
            return compute()
        memo = self.store(namespace, self.inputs)
        value = memo.get(key)
        if value is None:
            value = compute()
            memo.put(key, value)
        return value

    def entry(self, namespace: str, entry: Entry, compute: Callable[[], Any]) -> Any:
        """``compute()`` for one entry, remembered by the entry's content digest."""
        digest = self.digest_of(entry) if self.root is not None else None
        return self.keyed(namespace, None if digest is None else (entry.slug, digest), compute)

    # --- processes -----------------------------------------------------------------------------
    def forked(self) -> None:
        """In a forked process: leave the namespaces read before the fork to the parent
        (what this process adds to their live dicts goes back through :meth:`learned`)."""
        self._inherited = {
            namespace: store.size() if isinstance(store, LiveStore) else 0 for namespace, store in self._stores.items()
        }

    def learned(self) -> dict[str, list[tuple]]:
        """In a forked process: what it added to the live dicts it inherited (the stems of
        words only it met), for the parent to keep with :meth:`keep_learned`. Without this
        the next build would meet those words as new again, and load the stemmer for them."""
        return {
            namespace: added
            for namespace, size in self._inherited.items()
            if isinstance(store := self._stores[namespace], LiveStore) and (added := store.added_since(size))
        }

    def keep_learned(self, learned: Mapping[str, list[tuple]]) -> None:
        """Add what a forked process :meth:`learned` to this process's live dicts."""
        for namespace, items in learned.items():
            store = self._stores.get(namespace)
            if isinstance(store, LiveStore):
                store.extend(items)

    def save(self) -> None:
        """Write the namespaces this process read (each keeps only what this build used)."""
        for namespace, store in self._stores.items():
            if namespace not in self._inherited:
                store.save()
