"""Static assets under content-hashed names: ``static/css/site.css`` is also written as
``static/css/site.<hash>.css``, and pages name that copy.

A name that changes with the content can be cached by a browser for a year: a new
stylesheet is a new name. The build makes one :class:`AssetManifest` from the theme's
static files and the browser libraries (:func:`wijknet.build.site_assets`) and hands it to
the URL scheme (:class:`wijknet.engine.urls.Urls`), so ``urls.static('css/site.css')``
gives the hashed name; the build context carries it like the rest of the URL scheme. The
unhashed files stay where they were, for old links and for files that name each other by
relative URL (``desk.js`` imports ``./desk-files.js``).

The search shards have hashed names of their own (:mod:`wijknet.search.shards`), made the
same way (the first ten hex digits of SHA-256). ``wijknet serve`` and the production web
server recognise both by :data:`wijknet.http_headers.HASHED_ASSET_PATTERN`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from wijknet.engine.model import File

HASH_DIGITS = 10
"""Hex digits of SHA-256 in a hashed name (as the search shards)."""

HASHED_SUFFIXES = (".css", ".js")
"""Which static files get a hashed copy: what pages load by ``<link>`` and ``<script>``."""


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:HASH_DIGITS]


def hashed_name(path: str, content: bytes) -> str:
    """``css/site.css`` with these bytes → ``css/site.<hash>.css``."""
    folder, slash, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return f"{path}.{content_hash(content)}"
    return f"{folder}{slash}{stem}.{content_hash(content)}.{suffix}"


@dataclass(frozen=True)
class AssetManifest:
    """The hashed name of every static asset, by its path under ``static/``
    (``css/site.css`` → ``css/site.1a2b3c4d5e.css``). Paths it does not know keep their name."""

    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, files: Iterable[File], folder: str = "static") -> "AssetManifest":
        """The manifest of the CSS and JS files among ``files`` that lie under ``folder``."""
        prefix = f"{folder.strip('/')}/"
        names = {}
        for item in files:
            if item.path.startswith(prefix) and item.path.endswith(HASHED_SUFFIXES):
                relative = item.path[len(prefix) :]
                names[relative] = hashed_name(relative, item.content)
        return cls(dict(sorted(names.items())))

    def name(self, path: str) -> str:
        """The name to link to for ``path`` (under ``static/``): hashed when known."""
        return self.names.get(path, path)

    def copies(self, files: Iterable[File], folder: str = "static") -> list[File]:
        """The hashed copies of the files this manifest names (the same bytes, hashed path)."""
        prefix = f"{folder.strip('/')}/"
        found = []
        for item in files:
            relative = item.path[len(prefix) :] if item.path.startswith(prefix) else None
            if relative is not None and relative in self.names:
                found.append(File(prefix + self.names[relative], item.content))
        return found

    def digest(self) -> str:
        """One digest of every name: part of the build key, so pages naming an asset are
        rendered again when it changes."""
        text = "\n".join(f"{path}\0{hashed}" for path, hashed in sorted(self.names.items()))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def static_files(folder: Path, prefix: str) -> list[File]:
    """Every file under ``folder`` as a :class:`File` at ``prefix/<relative path>``."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [
        File(f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]
