"""What Pelican made in the last build, kept in the build cache for the next one.

Pelican's share of a build is the news (article pages, the paginated list, the Atom feed,
the latest items for the home page) and the settings it hands the build (theme, static
layout, browser libraries, site URL). None of it depends on the entries. When nothing
Pelican reads has changed, a rebuild after an entry edit takes Pelican's share from here
and calls :func:`wijknet.build.build_site` directly, without importing and starting
Pelican: the same ``HostInput``, so the same bytes.

What the remembered share depends on (its key):

- the build-wide inputs (:func:`wijknet.build.build_inputs`: wijknet's code, the taxonomy,
  site.yaml, the build date, ``SUBMISSIONS_URL``) with the Pelican settings file and the
  host fingerprint (that file, the plugin's code, every news file);
- the content folder Pelican reads, and the ``WIJKNET_*``/``SUBMISSIONS_*`` environment;
- the installed versions of Pelican, Markdown and Jinja2;
- the theme folder the last run used, by its digest (checked on every use).

A build that asked for a clean output (``DELETE_OUTPUT_DIRECTORY``, ``use_cache=False``)
neither reads nor writes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from wijknet.build import HostInput, build_inputs, default_cache_dir, environment_inputs, usable_cache_dir
from wijknet.engine.cache import BuildCache, folder_digest, read_pickle, write_pickle
from wijknet.project import Project

LIBRARIES = ("pelican", "markdown", "jinja2")


def _versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


@dataclass(frozen=True)
class HostMemory:
    """Pelican's share of the last build for one content folder, in the build cache."""

    file: Path
    key: str

    @classmethod
    def for_build(
        cls, project: Project, content_path: Path, today: dt.date, conf_file: Path, fingerprint: str, cache_dir: Path | str | None
    ) -> "HostMemory | None":
        """The memory of this build's host share; None when there is no usable cache folder."""
        folder = usable_cache_dir(Path(cache_dir) if cache_dir else default_cache_dir(project))
        if folder is None:
            return None
        where = hashlib.sha256(str(content_path.resolve()).encode()).hexdigest()[:20]
        file = BuildCache(folder).path("host", f"{where}.pickle")
        parts = (build_inputs(project, today, f"{conf_file}\0{fingerprint}"), str(content_path.resolve()), environment_inputs(), _versions())
        return cls(file, hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest())

    def recall(self) -> HostInput | None:
        """The host share of the last build, when it was made from the same inputs and its
        theme is unchanged; else None (Pelican must run)."""
        stored = read_pickle(self.file)
        if not isinstance(stored, dict) or stored.get("key") != self.key:
            return None
        host = stored.get("host")
        if not isinstance(host, HostInput):
            return None
        theme = Path(str(host.settings.get("THEME", "")))
        if not theme.is_dir() or folder_digest(theme) != stored.get("theme"):
            return None
        return host

    def remember(self, host: HostInput) -> None:
        """Keep ``host``, the share of a build that just succeeded."""
        theme = Path(str(host.settings.get("THEME", "")))
        if not theme.is_dir():
            return
        try:
            write_pickle(self.file, {"key": self.key, "theme": folder_digest(theme), "host": host})
        except OSError:
            pass  # a cache that cannot be written makes the next build slower, not wrong

    def forget(self) -> None:
        self.file.unlink(missing_ok=True)

