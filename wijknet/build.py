"""Build a site: validate in-process, run Pelican into a fresh folder, swap it in.

``wijknet`` never imports Pelican: it runs ``python -m pelican`` with the project's
``pelicanconf.py`` and passes the content, taxonomy, settings and date through environment
variables. The output folder is replaced only after a complete, successful build, so invalid
content or a crash never leaves it half-written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from wijknet.content.catalog import ContentError
from wijknet.project import Project

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class BuildError(Exception):
    """Pelican failed for a reason other than invalid content; carries its output."""


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    entries: int
    seconds: float


def pelican_settings_file(project: Project, settings_file: Path | str | None = None) -> Path:
    """``settings_file``, else the project's ``pelicanconf.py``, else the one next to this package."""
    if settings_file:
        return Path(settings_file).resolve()
    for candidate in (project.root / "pelicanconf.py", PACKAGE_ROOT / "pelicanconf.py"):
        if candidate.is_file():
            return candidate
    raise BuildError("pelicanconf.py niet gevonden")


def _pelican_path(project: Project) -> Path:
    """The folder Pelican is told to read: the content root (Pelican itself reads nothing there)."""
    content = project.content
    return content.parent if content.name == "initiatieven" else content


def build_site(
    project: Project,
    output_dir: Path | str,
    today: dt.date,
    pelican_settings: Path | str | None = None,
) -> BuildReport:
    """Validate, build with Pelican into a temporary folder next to ``output_dir``, swap it in.

    Raises :class:`ContentError` (with every problem) for invalid content before anything is
    written, SettingsError/TaxonomyError for broken settings or taxonomy, and
    :class:`BuildError` when Pelican fails.
    """
    started = time.perf_counter()
    result = project.load(today)
    if result.problems:
        raise ContentError(result.problems)
    output = Path(output_dir).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.bouw-", dir=output.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for everyone to read
    env = dict(os.environ)
    env.update(
        WIJKNET_ROOT=str(project.root),
        WIJKNET_CONTENT=str(project.content),
        WIJKNET_TAXONOMY=str(project.taxonomy_dir),
        WIJKNET_SETTINGS=str(project.settings_path),
        WIJKNET_DATE=today.isoformat(),
    )
    command = [
        sys.executable, "-m", "pelican", str(_pelican_path(project)),
        "-s", str(pelican_settings_file(project, pelican_settings)),
        "-o", str(staging), "-q",
    ]  # fmt: skip
    try:
        completed = subprocess.run(command, env=env, cwd=str(project.root), capture_output=True, text=True)
        if completed.returncode != 0 or not (staging / "index.html").is_file():
            raise BuildError((completed.stdout + completed.stderr).strip() or "Pelican bouwde geen index.html")
        _swap(staging, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    files = sum(1 for path in output.rglob("*") if path.is_file())
    return BuildReport(output, files, len(result.catalog.entries), time.perf_counter() - started)


def _swap(staging: Path, output: Path) -> None:
    """Put the new site in place; the old one is removed only once the new one is there."""
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.oud-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        output.rename(old)
    staging.rename(output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
