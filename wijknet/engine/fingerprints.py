"""What a page was made from, so an unchanged page need not be rendered again.

A page's bytes are a function of its template files, the build-wide inputs (code, taxonomy,
settings, build date, site URL), its own context, and whatever its templates ask the
``catalog`` global while rendering. The first three are fingerprinted before rendering;
the last is recorded while rendering (:class:`RecordingCatalog`) and checked again on the
next build by asking the new catalog the same questions. A page is only skipped when all of
it matches; anything that cannot be fingerprinted makes the page render every time.

Template filters may only depend on their arguments and on the build-wide inputs (taxonomy,
settings, date): they are not recorded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from wijknet.engine.cache import BuildCache, read_pickle, write_pickle

MANIFEST_FORMAT = 1


class Unfingerprintable(Exception):
    """A value whose content cannot be summarised safely; its page is always rendered."""


class Fingerprinter:
    """Digests of context values, made with pickle (fast, in C) where a pickle says what a
    value contains: pydantic models are replaced by a digest of their JSON (memoised per
    object for one build: objects stay alive), and objects that stand for the whole build
    (the catalog, the taxonomy) or code (functions) cannot be fingerprinted. Dataclasses are
    pickled by value (their fields go through the same rules). Two equal values may still
    get different digests (pickle notes shared objects); that only costs a render.

    ``known`` names models by a digest the caller vouches for, as ``id → (object, digest)``
    or ``key → (object, digest)``: the build passes every catalog entry with the digest of
    its file, which is far cheaper than its JSON and just as exact.
    """

    def __init__(self, known: dict[Any, tuple[Any, str]] | None = None) -> None:
        self._models: dict[int, tuple[Any, str]] = {}
        for value, digest in (known or {}).values():
            self._models[id(value)] = (value, f"known:{digest}")

    def digest(self, value: Any) -> str:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = self._persistent_id
        try:
            pickler.dump(value)
        except Unfingerprintable:
            raise
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
            raise Unfingerprintable(str(error)) from None
        return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()

    def _persistent_id(self, value: Any):
        kind = type(value)
        if kind in _PLAIN_TYPES or kind is type or isinstance(value, (str, int, float)):
            return None  # classes are pickled by name
        if isinstance(value, BaseModel):
            # Shared objects (entries) appear in thousands of pages: digest once.
            memo = self._models.get(id(value))
            if memo is None or memo[0] is not value:
                text = f"{kind.__qualname__}:{value.model_dump_json()}"
                memo = (value, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest())
                self._models[id(value)] = memo
            return memo[1]
        if dataclasses.is_dataclass(value):
            if kind.__module__.startswith(_WHOLE_BUILD_MODULES):
                raise Unfingerprintable(kind.__qualname__)
            return None  # by value: pickle asks again for every field
        if isinstance(value, (set, frozenset)):
            raise Unfingerprintable("set: no stable order")
        if kind.__module__.startswith(_BUILD_WIDE_MODULES):
            return f"build-wide:{kind.__qualname__}"  # in the build fingerprint already
        if callable(value) or kind.__module__.startswith(_WHOLE_BUILD_MODULES):
            raise Unfingerprintable(kind.__qualname__)
        return None


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), tuple, list, dict, bytes, dt.date, dt.datetime})
# Taxonomy, settings and URLs are part of the build fingerprint (see wijknet.build.build_inputs).
_BUILD_WIDE_MODULES = ("wijknet.taxonomy", "wijknet.settings", "wijknet.engine.urls")
# The catalog, the build context and Jinja objects stand for more than a page can show.
_WHOLE_BUILD_MODULES = ("wijknet.content.catalog", "wijknet.engine.model", "jinja2")


# Catalog attributes that are build-wide inputs already (in the build fingerprint).
BUILD_WIDE = frozenset({"taxonomy", "settings", "today"})
PLAIN = (str, int, float, bool, type(None))


class RecordingCatalog:
    """The ``catalog`` a template sees: the real one, noting every question and its answer.

    Only questions with plain arguments (ids, numbers) can be asked again next build; any
    other question marks the page as untracked (always rendered).
    """

    def __init__(self, catalog, fingerprints: Fingerprinter):
        self._catalog = catalog
        self._fingerprints = fingerprints
        self.calls: dict[tuple, str] = {}
        self.untracked = False

    def __getattr__(self, name: str):
        value = getattr(self._catalog, name)
        if name in BUILD_WIDE or name.startswith("_"):
            return value
        if callable(value):
            def call(*args, **kwargs):
                result = value(*args, **kwargs)
                self._note((name, "call", args, tuple(sorted(kwargs.items()))), result)
                return result

            return call
        self._note((name, "get", (), ()), value)
        return value

    def _note(self, key: tuple, result: Any) -> None:
        if not all(isinstance(arg, PLAIN) for arg in key[2]) or not all(isinstance(v, PLAIN) for _, v in key[3]):
            self.untracked = True
            return
        try:
            self.calls[key] = self._fingerprints.digest(result)
        except Unfingerprintable:
            self.untracked = True


class CatalogAnswers:
    """Answers of the new catalog to recorded questions, each computed once per build."""

    def __init__(self, catalog, fingerprints: Fingerprinter):
        self._catalog = catalog
        self._fingerprints = fingerprints
        self._answers: dict[tuple, str | None] = {}

    def answer(self, key: tuple) -> str | None:
        if key not in self._answers:
            name, how, args, kwargs = key
            try:
                value = getattr(self._catalog, name)
                result = value(*args, **dict(kwargs)) if how == "call" else value
                self._answers[key] = self._fingerprints.digest(result)
            except Exception:  # noqa: BLE001  a question the new catalog cannot answer: render again
                self._answers[key] = None
        return self._answers[key]

    def still_true(self, calls: dict[tuple, str]) -> bool:
        return all(self.answer(key) == digest for key, digest in calls.items())


@dataclasses.dataclass
class Written:
    """One output file as the last build left it."""

    digest: str  # of the bytes
    size: int
    mtime_ns: int
    inputs: str | None = None  # page: fingerprint of template + context; None: always render
    calls: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Manifest:
    """Every file a build wrote into one output folder, with what each page was made from."""

    output: str
    build: str  # fingerprint of the build-wide inputs
    files: dict[str, Written]

    @classmethod
    def read(cls, path: Path, output: Path) -> "Manifest | None":
        stored = read_pickle(path)
        if not isinstance(stored, dict) or stored.get("format") != MANIFEST_FORMAT or stored.get("output") != str(output):
            return None
        return cls(stored["output"], stored["build"], stored["files"])

    def write(self, path: Path) -> None:
        write_pickle(path, {"format": MANIFEST_FORMAT, "output": self.output, "build": self.build, "files": self.files})


def manifest_path(cache: BuildCache, output: Path) -> Path | None:
    """One manifest per output folder, in the build cache (None without one)."""
    name = hashlib.sha256(str(output).encode()).hexdigest()[:20]
    return cache.path("outputs", f"{name}.pickle")


def on_disk_as_written(root: Path, relative: str, written: Written) -> bool:
    """The file is still there exactly as the last build wrote it (cheap check: size and time).
    Called for every file of the site in a rebuild: the path is joined as text, which costs
    a third of joining a ``Path``."""
    try:
        stat = os.stat(f"{os.fspath(root)}/{relative}")
    except OSError:
        return False
    return stat.st_size == written.size and stat.st_mtime_ns == written.mtime_ns
