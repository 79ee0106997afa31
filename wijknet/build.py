"""Build a site: validate everything, then bring the output folder up to date.

The fast path, used by ``wijknet build``, ``invoke build/livereload`` and ``wijknet serve``:

1. Load and validate every entry, reusing validated entries whose files did not change
   (:mod:`wijknet.content.cache`). Invalid content raises :class:`ContentError` before the
   output folder is touched.
2. Render with the same renderer the Pelican plugin uses (:mod:`wijknet.site.render`), in
   this process and its forked workers: no second load in a Pelican subprocess. The theme,
   browser libraries and site URL come from the project's ``pelicanconf.py`` (read as plain
   Python; ``wijknet`` never imports Pelican), so ``pelican content -s pelicanconf.py`` and
   ``wijknet build`` give the same bytes.
3. A first build (or one whose last state is unknown) renders everything into a temporary
   folder next to the output and swaps it in. Later builds update the folder in place:
   unchanged pages are not rendered, unchanged files not written, files no longer part of
   the site removed. Either way the result is byte-identical to a clean build.

Caches (validated entries, what each output file was made from) live in
``$WIJKNET_CACHE_DIR`` or ``~/.cache/wijknet/<project>/`` (``$XDG_CACHE_HOME`` honoured),
outside the content repository so they never end up in a commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import runpy
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wijknet.content.cache import EntryCache, Memo, code_version, folder_digest
from wijknet.content.catalog import ContentError, load_catalog
from wijknet.project import Project
from wijknet.site.model import BuildContext, File
from wijknet.site.render import default_jobs, render_site, static_files
from wijknet.site.render_cache import Manifest, manifest_path
from wijknet.site.urls import Urls

PACKAGE_ROOT = Path(__file__).resolve().parent.parent

# Browser libraries from node_modules, copied to output/static/vendor/<same path>.
VENDOR_FILES = (
    "lunr/lunr.js",
    "lunr-languages/lunr.stemmer.support.js",
    "lunr-languages/lunr.nl.js",
)


class BuildError(Exception):
    """The site cannot be built for a reason other than invalid content; says why."""


@dataclass(frozen=True)
class BuildReport:
    output: Path
    files: int
    entries: int
    seconds: float
    rendered: int = 0  # pages rendered (the rest were unchanged)
    written: int = 0  # files written (the rest already held the same bytes)
    removed: int = 0  # files removed because they are no longer part of the site


def pelican_settings_file(project: Project, settings_file: Path | str | None = None) -> Path:
    """``settings_file``, else the project's ``pelicanconf.py``, else the one next to this package."""
    if settings_file:
        return Path(settings_file).resolve()
    for candidate in (project.root / "pelicanconf.py", PACKAGE_ROOT / "pelicanconf.py"):
        if candidate.is_file():
            return candidate
    raise BuildError("pelicanconf.py niet gevonden")


def read_pelican_settings(path: Path) -> dict[str, Any]:
    """The settings a ``pelicanconf.py`` defines, read as plain Python (no Pelican needed)."""
    try:
        values = runpy.run_path(str(path), run_name="pelicanconf")
    except Exception as error:  # noqa: BLE001  any error in the settings file stops the build
        raise BuildError(f"{path} kan niet gelezen worden: {error}") from error
    return {name: value for name, value in values.items() if name.isupper()}


def setting(settings: dict[str, Any], name: str) -> Any:
    """An environment variable wins over the Pelican setting of the same name."""
    return os.environ.get(name) or settings.get(name) or None


def vendor_files(node_modules: Path) -> list[File]:
    """The browser libraries as files under ``static/vendor/``; fails when one is missing."""
    missing = [name for name in VENDOR_FILES if not (node_modules / name).is_file()]
    if missing:
        raise BuildError(
            f"browserbibliotheken ontbreken in {node_modules} ({', '.join(missing)}): voer eerst `make install` uit"
        )
    return [File(f"static/vendor/{name}", (node_modules / name).read_bytes()) for name in VENDOR_FILES]


def theme_static_files(theme: Path, conf: dict[str, Any]) -> list[File]:
    """The theme's static files where Pelican would copy them (THEME_STATIC_PATHS → THEME_STATIC_DIR)."""
    target = str(conf.get("THEME_STATIC_DIR", "theme")).strip("/")
    files: list[File] = []
    for folder in conf.get("THEME_STATIC_PATHS", ["static"]):
        files += static_files(theme / folder, target)
    return files


def default_cache_dir(project: Project) -> Path:
    """Where this project's build caches live (outside the repository)."""
    explicit = os.environ.get("WIJKNET_CACHE_DIR")
    base = Path(explicit) if explicit else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wijknet"
    name = hashlib.sha256(str(project.root).encode()).hexdigest()[:16]
    return base / name


def build_inputs(project: Project, today: dt.date, extra: str = "") -> str:
    """A fingerprint of everything every page depends on besides its own context."""
    parts = [
        code_version(),
        folder_digest(project.taxonomy_dir),
        folder_digest(project.settings_path),
        today.isoformat(),
        os.environ.get("SUBMISSIONS_URL", ""),
        extra,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def attach_memos(build: BuildContext, cache_dir: Path | None, node_modules: Path) -> list[Memo]:
    """Persistent memos for pure, costly steps (the search index's text analysis)."""
    if cache_dir is None:
        return []
    from wijknet.search.provider import TERMS_MEMO

    setup = hashlib.sha256(f"{code_version()}\0{folder_digest(node_modules / 'lunr-languages')}".encode()).hexdigest()
    memo = Memo(Path(cache_dir) / "search-terms.pickle", setup)
    build.shared[TERMS_MEMO] = memo
    return [memo]


def load_valid_catalog(project: Project, today: dt.date, cache_dir: Path | None, jobs: int):
    """Settings, taxonomy and every entry, validated; raises ContentError with every problem."""
    settings = project.load_settings()
    taxonomy = project.load_taxonomy()
    cache = EntryCache.for_setup(cache_dir, project.taxonomy_dir, project.settings_path) if cache_dir else None
    result = load_catalog(
        project.content, taxonomy, settings, today, display_root=Path.cwd(), cache=cache, jobs=jobs
    )
    if result.problems:
        raise ContentError(result.problems)
    if cache is not None:
        cache.save()
    return result.catalog


def build_site(
    project: Project,
    output_dir: Path | str,
    today: dt.date,
    pelican_settings: Path | str | None = None,
    *,
    cache_dir: Path | str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> BuildReport:
    """Validate, then bring ``output_dir`` up to date (see the module docstring).

    Raises :class:`ContentError` (with every problem) for invalid content before anything is
    written, SettingsError/TaxonomyError for broken settings or taxonomy, and
    :class:`BuildError` when the site cannot be built for another reason.
    ``use_cache=False`` builds from scratch and keeps no state.
    """
    started = time.perf_counter()
    jobs = jobs or default_jobs()
    cache = (Path(cache_dir) if cache_dir else default_cache_dir(project)) if use_cache else None
    catalog = load_valid_catalog(project, today, cache, jobs)

    conf_file = pelican_settings_file(project, pelican_settings)
    conf = read_pelican_settings(conf_file)
    theme = Path(conf.get("THEME") or PACKAGE_ROOT / "theme")
    node_modules = Path(setting(conf, "WIJKNET_NODE_MODULES") or project.root / "node_modules")
    extra = vendor_files(node_modules) + theme_static_files(theme, conf)
    site_url = conf.get("WIJKNET_SITE_URL") or catalog.settings.site_url
    build = BuildContext(catalog=catalog, urls=Urls(site_url))
    memos = attach_memos(build, cache, node_modules)
    inputs = build_inputs(project, today, str(conf_file))

    output = Path(output_dir).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    known = cache is not None and output.is_dir() and Manifest.read(manifest_path(cache, output), output) is not None
    options = dict(theme_dir=theme, build_inputs=inputs, extra_files=extra, cache_dir=cache,
                   manifest_for=output, remove_unplanned=True, jobs=jobs)  # fmt: skip
    if known:
        try:
            report = render_site(build, output, **options)
        except BaseException:
            manifest_path(cache, output).unlink(missing_ok=True)  # state unknown: next build starts clean
            raise
    else:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.bouw-", dir=output.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for everyone to read
        try:
            report = render_site(build, staging, **options)
            if not (staging / "index.html").is_file():
                raise BuildError("de bouw maakte geen index.html")
            _swap(staging, output)
        except BaseException:
            if cache is not None:
                manifest_path(cache, output).unlink(missing_ok=True)
            raise
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    for memo in memos:
        memo.save()
    return BuildReport(
        output, report.files, len(catalog.entries), time.perf_counter() - started,
        rendered=report.rendered, written=report.written, removed=report.removed,
    )  # fmt: skip


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
