"""The one way to lay out a fixture site, and the digest of a built one.

A fixture site is a folder laid out like the repository: ``site.yaml``, ``taxonomy/`` and
``content/initiatieven/``. :func:`make_site` copies or writes each part (the repository's
own by default), optionally commits it all to a new git repository, and returns the folder;
``wijknet.project.Project.at(folder)`` then loads it like any site. :func:`make_content`
lays out only ``content/``, for a project with the repository's settings and taxonomy.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from testkit.gitrepo import commit_all, git
from testkit.paths import REPO

ENTRIES = "initiatieven"


def make_site(
    root: Path,
    *,
    settings: Path | str | None = REPO / "site.yaml",
    taxonomy: Path | None = REPO / "taxonomy",
    content: Path | None = None,
    entries: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    files: Mapping[str, str] | None = None,
    commit: str | None = None,
    date: str | None = None,
) -> Path:
    """Lay out a site in ``root`` and return ``root``.

    ``settings``: a ``site.yaml`` to copy (with the data files it names, such as the map's
    polygons, at the same place beside it), or its text (a ``str``); ``None`` writes none.
    ``taxonomy``: a folder to copy; ``None`` copies none.
    ``content``: a folder laid out like ``content/`` to copy as the site's ``content/``.
    ``entries``: ``slug -> file text`` (or pairs), written to ``content/initiatieven/``.
    ``files``: more files, by path relative to ``root``.
    ``commit``: a message: ``git init`` on ``main`` and commit everything (on ``date``).
    """
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(settings, str):
        (root / "site.yaml").write_text(settings, encoding="utf-8")
    elif settings is not None:
        shutil.copyfile(settings, root / "site.yaml")
        _copy_data_files(Path(settings), root)
    if taxonomy is not None:
        shutil.copytree(taxonomy, root / "taxonomy")
    if content is not None:
        shutil.copytree(content, root / "content")
    folder = root / "content" / ENTRIES
    folder.mkdir(parents=True, exist_ok=True)
    for slug, text in entries.items() if isinstance(entries, Mapping) else entries:
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if commit is not None:
        git(root, "init", "-q", "-b", "main")
        commit_all(root, commit, date=date)
    return root


def _copy_data_files(settings: Path, root: Path) -> None:
    """Copy the files ``settings`` names to the same place relative to ``root/site.yaml``."""
    from wijknet.settings import load_settings

    folder = settings.resolve().parent
    for path in load_settings(settings).data_files():
        relative = path.resolve().relative_to(folder)  # a path outside its folder cannot be copied
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def make_content(
    root: Path, *, content: Path | None = None, entries: Mapping[str, str] | Iterable[tuple[str, str]] = ()
) -> Path:
    """Only the content part of :func:`make_site`; returns ``root/content``, for
    ``Project.at(REPO, content=...)`` (the repository's settings and taxonomy)."""
    make_site(root, settings=None, taxonomy=None, content=content, entries=entries)
    return root / "content"


def tree(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder``."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


_HASH_IN_NAME = re.compile(r"\.[0-9a-f]{10}(?=\.[a-z0-9]+$)")


def unhashed(url: str) -> str:
    """A static asset's URL without the content hash in its name
    (``/static/css/site.1a2b3c4d5e.css`` → ``/static/css/site.css``); other URLs as they are."""
    return _HASH_IN_NAME.sub("", url)
