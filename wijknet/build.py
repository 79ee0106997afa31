"""Build a site: validate everything, then bring the output folder up to date.

The fast path, used by ``wijknet build``, ``invoke build/livereload`` and ``wijknet serve``:

1. Load and validate every entry, reusing validated entries whose files did not change
   (the build cache, :mod:`wijknet.engine.cache`). Invalid content raises :class:`ContentError` before the
   output folder is touched.
2. Render with :mod:`wijknet.engine.render`, in this process and its forked workers. The
   host (Pelican, through the ``wijknet_pelican`` plugin) calls this function from its
   generator and passes its settings (theme, browser libraries, site URL) and the pages it
   rendered itself (the news); ``wijknet`` never imports Pelican. Called directly, the
   defaults are the theme and ``node_modules`` next to this package.
3. A first build (or one whose last state is unknown) renders everything into a temporary
   folder next to the output and swaps it in. Later builds update the folder in place:
   unchanged pages are not rendered, unchanged files not written, files no longer part of
   the site removed. Either way the result is byte-identical to a clean build.

The build cache (validated entries, provider steps, what each output file was made from) lives in
``$WIJKNET_CACHE_DIR`` or ``~/.cache/wijknet/<project>/`` (``$XDG_CACHE_HOME`` honoured),
outside the content repository so they never end up in a commit.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from wijknet.content.files import ContentError, entry_files  # not the catalog: a no-op rebuild loads no content models
from wijknet.engine.assets import HASHED_SUFFIXES, AssetManifest, static_files
from wijknet.engine.cache import BuildCache, atomic_write, code_version, folder_digest
from wijknet.engine.fingerprints import Manifest, manifest_path, on_disk_as_written
from wijknet.engine.model import BuildContext, File
from wijknet.engine.urls import Urls
from wijknet.hsds_format import STANDARD_DIR
from wijknet.news import NewsItem, add_news
from wijknet.processes import default_jobs, without_cycle_collector
from wijknet.project import Project

PACKAGE_ROOT = Path(__file__).resolve().parent.parent

# The map's libraries (kaart/): Leaflet and its marker clusters, their minified builds.
MAP_VENDOR_FILES = (
    "leaflet/dist/leaflet.js",
    "leaflet/dist/leaflet.css",
    "leaflet.markercluster/dist/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css",
)

# Browser libraries from node_modules, copied to output/static/vendor/<same path>.
VENDOR_FILES = (
    # the minified builds the npm packages ship: the search page's code is part of what the
    # first search costs on a slow connection (benchmarks/search.py)
    "lunr/lunr.min.js",
    "lunr-languages/min/lunr.stemmer.support.min.js",
    "lunr-languages/min/lunr.nl.min.js",
    "yaml/LICENSE",
    *MAP_VENDOR_FILES,
)

# The search's libraries (lunr, its stemmer support and the Dutch stemmer) also as one file,
# in this order: the search's worker loads them with one request instead of three in a row,
# each a round trip on a phone network (benchmarks/search.py). Their licence banners stay in.
SEARCH_LIBRARIES = VENDOR_FILES[:3]
SEARCH_BUNDLE = "lunr-nl.min.js"
"""Under ``static/vendor/``: :data:`SEARCH_LIBRARIES` joined."""

# The moderators' desk (admin/) loads more: Decap CMS's bundle with the parts it loads
# later, and the YAML library as ES modules. Folder → the names of the files to copy
# (shell patterns, also in its subfolders), copied the same way.
VENDOR_FOLDERS = (
    ("decap-cms/dist", ("decap-cms.js", "*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")),
    ("yaml/browser/dist", ("*.js",)),
)

VENDOR_PACKAGES = ("lunr", "lunr-languages", "decap-cms/package.json", "yaml/package.json")
"""What stands for the browser libraries in a build's fingerprint (a package's version
fixes its files)."""


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


def setting(settings: dict[str, Any], name: str) -> Any:
    """An environment variable wins over the Pelican setting of the same name."""
    return os.environ.get(name) or settings.get(name) or None


def vendor_names(node_modules: Path) -> list[str]:
    """The paths under ``node_modules`` of every browser library file the site serves;
    fails when one is missing."""
    missing = [name for name in VENDOR_FILES if not (node_modules / name).is_file()]
    names = list(VENDOR_FILES)
    for folder, patterns in VENDOR_FOLDERS:
        found = sorted(
            path.relative_to(node_modules).as_posix()
            for path in (node_modules / folder).rglob("*")
            if path.is_file() and any(fnmatch.fnmatchcase(path.name, pattern) for pattern in patterns)
        )
        if not found:
            missing.append(folder)
        names += found
    if missing:
        raise BuildError(
            f"browserbibliotheken ontbreken in {node_modules} ({', '.join(missing)}): voer eerst `make install` uit"
        )
    return names


def vendor_files(node_modules: Path) -> list[File]:
    """The browser libraries as files under ``static/vendor/``, and :data:`SEARCH_BUNDLE`;
    fails when one is missing."""
    files = [File(f"static/vendor/{name}", (node_modules / name).read_bytes()) for name in vendor_names(node_modules)]
    return files + [search_bundle(node_modules)]


def search_bundle(node_modules: Path) -> File:
    """:data:`SEARCH_LIBRARIES` as one script (each part ends its last statement itself)."""
    parts = [(node_modules / name).read_bytes().rstrip() for name in SEARCH_LIBRARIES]
    return File(f"static/vendor/{SEARCH_BUNDLE}", b";\n".join(parts) + b"\n")


def theme_static_files(theme: Path, conf: Mapping[str, Any]) -> list[File]:
    """The theme's static files where Pelican would copy them (THEME_STATIC_PATHS → THEME_STATIC_DIR)."""
    target = str(conf.get("THEME_STATIC_DIR", "static")).strip("/")
    files: list[File] = []
    for folder in conf.get("THEME_STATIC_PATHS", ["static"]):
        files += static_files(theme / folder, target)
    return files


def asset_manifest(theme: Path, conf: Mapping[str, Any], node_modules: Path) -> AssetManifest:
    """The content-hashed names of what pages load: the theme's CSS and JS and those of the
    browser libraries in :data:`VENDOR_FILES` (a missing library is left out here; the build
    names it). The Pelican host asks too, for the news pages it renders itself."""
    named = [
        File(f"static/vendor/{name}", (node_modules / name).read_bytes())
        for name in VENDOR_FILES
        if name.endswith(HASHED_SUFFIXES) and (node_modules / name).is_file()
    ]
    if all((node_modules / name).is_file() for name in SEARCH_LIBRARIES):
        named.append(search_bundle(node_modules))
    return AssetManifest.of(theme_static_files(theme, conf) + named)


def site_assets(theme: Path, conf: Mapping[str, Any], node_modules: Path) -> tuple[list[File], AssetManifest]:
    """The theme's static files and the browser libraries, each under its own name, plus a
    content-hashed copy of those :func:`asset_manifest` names; and that manifest (the same
    one, made from the files already read)."""
    vendor, theme_files = vendor_files(node_modules), theme_static_files(theme, conf)
    named = {f"static/vendor/{name}" for name in (*VENDOR_FILES, SEARCH_BUNDLE)}
    assets = AssetManifest.of(theme_files + [item for item in vendor if item.path in named])
    plain = vendor + theme_files
    return plain + assets.copies(plain), assets


def node_modules_of(project: Project, conf: Mapping[str, Any]) -> Path:
    """Where the browser libraries come from: ``WIJKNET_NODE_MODULES`` (environment, then the
    host's settings), else the project's ``node_modules``, else the one next to this package."""
    return Path(setting(conf, "WIJKNET_NODE_MODULES") or _default_node_modules(project))


def default_cache_dir(project: Project) -> Path:
    """Where this project's build caches live (outside the repository)."""
    explicit = os.environ.get("WIJKNET_CACHE_DIR")
    base = Path(explicit) if explicit else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wijknet"
    name = hashlib.sha256(str(project.root).encode()).hexdigest()[:16]
    return base / name


def usable_cache_dir(folder: Path) -> Path | None:
    """``folder`` when the build can keep its caches there, else None (with a warning on
    stderr): a read-only home or a mistyped ``WIJKNET_CACHE_DIR`` makes a slower build, not
    a failed one."""
    import sys

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            pass
    except OSError as error:
        print(
            f"Let op: de cachemap {folder} is niet te gebruiken ({error.strerror or error}); "
            "de site wordt zonder cache gebouwd. Zet WIJKNET_CACHE_DIR op een map waarin je mag schrijven.",
            file=sys.stderr,
        )
        return None
    return folder


def build_inputs(project: Project, today: dt.date, extra: str = "") -> str:
    """A fingerprint of everything every page depends on besides its own context: code,
    taxonomy, settings and the data files they name (the map's polygons), date."""
    parts = [
        code_version(),
        folder_digest(project.taxonomy_dir),
        folder_digest(project.settings_path),
        folder_digest(*_data_files(project)),
        today.isoformat(),
        os.environ.get("SUBMISSIONS_URL", ""),
        folder_digest(STANDARD_DIR / "schema"),  # the HSDS tables the data/hsds/ files are laid out by
        extra,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _data_files(project: Project) -> tuple[Path, ...]:
    """The data files the settings name; none when the settings cannot be read (the build
    reports that when it loads them)."""
    from wijknet.settings import SettingsError

    try:
        return project.load_settings().data_files()
    except SettingsError:
        return ()


def attach_cache(build: BuildContext, cache_dir: Path | None, node_modules: Path, inputs: str) -> BuildCache:
    """Put the build cache on ``build``: its provider namespaces are valid for one set of
    build-wide ``inputs`` (see :func:`build_inputs`), the site URL and the browser search
    libraries. Returns it; ``save()`` it when the build succeeded."""
    setup = hashlib.sha256(
        f"{inputs}\0{build.urls.site_url}\0{folder_digest(node_modules / 'lunr-languages')}".encode()
    ).hexdigest() if cache_dir is not None else ""
    build.cache = BuildCache(cache_dir).for_build(setup, build.catalog)
    return build.cache


def load_valid_catalog(project: Project, today: dt.date, cache_dir: Path | None, jobs: int):
    """Settings, taxonomy and every entry, validated; raises ContentError with every problem."""
    from wijknet.content.catalog import load_catalog  # after the short-circuit, see _build_site
    from wijknet.engine.render import import_build_modules  # see _build_site

    settings = project.load_settings()
    taxonomy = project.load_taxonomy()
    cache = BuildCache(cache_dir).entries(project.taxonomy_dir, project.settings_path) if cache_dir else None
    result = load_catalog(
        project.content, taxonomy, settings, today, display_root=Path.cwd(), cache=cache, jobs=jobs,
        while_waiting=import_build_modules,  # the stemmer
    )  # fmt: skip
    if result.problems:
        raise ContentError(result.problems)
    if cache is not None:
        cache.save()
    return result.catalog


@dataclass(frozen=True)
class HostInput:
    """What the host (Pelican) hands a build: its settings and what it rendered itself.

    ``settings`` holds THEME, THEME_STATIC_DIR/PATHS, WIJKNET_NODE_MODULES and
    WIJKNET_SITE_URL; ``files`` are the host's own pages (the news); ``fingerprint`` is a
    digest of the host's sources (its settings file, plugin code, news files), part of
    every page's inputs; ``news`` the latest news, newest first, for the home page (through
    the ``home_sections`` hook, see :mod:`wijknet.news`) and the menu.
    """

    settings: Mapping[str, Any]
    files: Sequence[File] = ()
    fingerprint: str = ""
    news: tuple[NewsItem, ...] = ()


def build_site(
    project: Project,
    output_dir: Path | str,
    today: dt.date,
    pelican_settings: Path | str | None = None,
    *,
    cache_dir: Path | str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    host: HostInput | None = None,
    checked: SourceCheck | None = None,
) -> BuildReport:
    """Validate, then bring ``output_dir`` up to date (see the module docstring).

    Raises :class:`ContentError` (with every problem) for invalid content before anything is
    written, SettingsError/TaxonomyError for broken settings or taxonomy, and
    :class:`BuildError` when the site cannot be built for another reason.
    ``use_cache=False`` builds from scratch and keeps no state. ``checked`` is the host's
    pre-check (:func:`check_last_build`), used when it read the same sources.
    """
    with without_cycle_collector():
        return _build_site(project, output_dir, today, pelican_settings, cache_dir=cache_dir, use_cache=use_cache, jobs=jobs, host=host, checked=checked)


@dataclass(frozen=True)
class SourceCheck:
    """The source state (:func:`source_state`) a host computed before starting up, for the
    build-wide ``inputs``, theme and browser libraries it was computed with. A build with
    the same three uses it instead of reading every entry file's facts again."""

    inputs: str
    theme: Path
    node_modules: Path
    state: str


def check_last_build(
    project: Project,
    output_dir: Path | str,
    today: dt.date,
    pelican_settings: Path | str | None,
    host_fingerprint: str,
    *,
    cache_dir: Path | str | None = None,
) -> tuple[BuildReport | None, SourceCheck | None]:
    """The report of the last build into ``output_dir`` when nothing it read has changed
    since (else None), and the source state computed to find out (for :func:`build_site`).
    Lets a host skip starting up at all: the theme and browser libraries are the ones the
    last build recorded (its settings file is part of the fingerprint)."""
    started = time.perf_counter()
    cache = usable_cache_dir(Path(cache_dir) if cache_dir else default_cache_dir(project))
    if cache is None:
        return None, None
    output = Path(output_dir).resolve()
    state_file = manifest_path(BuildCache(cache), output).with_suffix(".state")
    last = _read_state(state_file)
    if last is None:
        return None, None
    conf_file = pelican_settings_file(project, pelican_settings)
    inputs = build_inputs(project, today, f"{conf_file}\0{host_fingerprint}")
    theme, node_modules = Path(last["theme"]), Path(last["node_modules"])
    checked = SourceCheck(inputs, theme, node_modules, source_state(project, inputs, conf_file, theme, node_modules))
    unchanged = _unchanged_since_last_build(state_file, checked.state, cache, output)
    if unchanged is None:
        return None, checked
    return BuildReport(output, unchanged[0], unchanged[1], time.perf_counter() - started), checked


def _build_site(
    project: Project,
    output_dir: Path | str,
    today: dt.date,
    pelican_settings: Path | str | None,
    *,
    cache_dir: Path | str | None,
    use_cache: bool,
    jobs: int | None,
    host: HostInput | None = None,
    checked: SourceCheck | None = None,
) -> BuildReport:
    started = time.perf_counter()
    jobs = jobs or default_jobs()
    cache = usable_cache_dir(Path(cache_dir) if cache_dir else default_cache_dir(project)) if use_cache else None
    output = Path(output_dir).resolve()
    conf_file = pelican_settings_file(project, pelican_settings)
    conf = host.settings if host is not None else {}
    theme = Path(conf.get("THEME") or PACKAGE_ROOT / "theme")
    node_modules = node_modules_of(project, conf)
    inputs = build_inputs(project, today, f"{conf_file}\0{host.fingerprint if host is not None else ''}")
    state_file = state = None
    if cache is not None:
        state_file = manifest_path(BuildCache(cache), output).with_suffix(".state")
        if checked is not None and (checked.inputs, checked.theme, checked.node_modules) == (inputs, theme, node_modules):
            state = checked.state  # the host's pre-check read the same sources a moment ago
        else:
            state = source_state(project, inputs, conf_file, theme, node_modules)
        unchanged = _unchanged_since_last_build(state_file, state, cache, output)
        if unchanged is not None:
            return BuildReport(output, unchanged[0], unchanged[1], time.perf_counter() - started)
        state_file.unlink(missing_ok=True)  # written again only when this build succeeds
    catalog = load_valid_catalog(project, today, cache, jobs)
    static, assets = site_assets(theme, conf, node_modules)
    extra = static + list(host.files if host is not None else ())
    site_url = conf.get("WIJKNET_SITE_URL") or catalog.settings.site_url
    # after the short-circuit: a build with nothing to do needs no provider, and no render
    # engine with Jinja and Markdown (about 60 ms of imports in a no-op rebuild)
    from wijknet.engine.render import render_site
    from wijknet.providers import site_build

    build = site_build(catalog, Urls(site_url, assets))
    if host is not None and host.news:
        add_news(build, host.news)
    build_cache = attach_cache(build, cache, node_modules, inputs)
    manifest_file = manifest_path(build_cache, output)

    output.parent.mkdir(parents=True, exist_ok=True)
    # a manifest that cannot be read makes render_site treat every file as unknown: same bytes
    known = manifest_file is not None and output.is_dir() and manifest_file.is_file()
    options = dict(theme_dir=theme, build_inputs=inputs, extra_files=extra,
                   manifest_for=output, remove_unplanned=True, jobs=jobs)  # fmt: skip
    if known:
        try:
            report = render_site(build, output, **options)
        except BaseException:
            manifest_file.unlink(missing_ok=True)  # state unknown: next build starts clean
            raise
    else:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.bouw-", dir=output.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for everyone to read
        try:
            report = render_site(build, staging, **options, fresh=True)
            if not (staging / "index.html").is_file():
                raise BuildError("de bouw maakte geen index.html")
            _swap(staging, output)
        except BaseException:
            if manifest_file is not None:
                manifest_file.unlink(missing_ok=True)
            raise
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    build_cache.save()
    if state_file is not None:
        _write_state(state_file, state, report.files, len(catalog.entries), theme, node_modules)
    return BuildReport(
        output, report.files, len(catalog.entries), time.perf_counter() - started,
        rendered=report.rendered, written=report.written, removed=report.removed,
    )  # fmt: skip


def source_state(project: Project, inputs: str, conf_file: Path, theme: Path, node_modules: Path) -> str:
    """A fingerprint of everything a build reads, from cheap facts: the build-wide ``inputs``
    (:func:`build_inputs`: code, taxonomy, settings, date), the Pelican settings file, the theme, the browser
    libraries, the environment variables the build reads, the git commit of the content
    (the Cijfers page shows its history) and the name, size and modification time of every
    entry file. Equal fingerprints mean the last build's output is still the right one."""
    parts = [
        inputs,
        folder_digest(conf_file, theme, *(node_modules / name for name in VENDOR_PACKAGES)),
        folder_digest(*(node_modules / name for name in MAP_VENDOR_FILES)),
        environment_inputs(),
        _git_head(project.content),
        str(project.content.resolve()),
    ]
    for path in entry_files(project.content):
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(project.content).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


# Environment variables that change how a build runs, not what it makes.
_NOT_INPUTS = frozenset({"WIJKNET_CACHE_DIR", "WIJKNET_JOBS"})


def environment_inputs() -> str:
    """The ``WIJKNET_*`` and ``SUBMISSIONS_*`` environment a build reads, as one string."""
    return repr(sorted((k, v) for k, v in os.environ.items() if k.startswith(("WIJKNET_", "SUBMISSIONS_")) and k not in _NOT_INPUTS))


def _git_head(folder: Path) -> str:
    """The commit checked out in the repository holding ``folder`` ('' outside git)."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _default_node_modules(project: Project) -> Path:
    """The project's ``node_modules``, else the one next to this package."""
    own = project.root / "node_modules"
    return own if own.is_dir() else PACKAGE_ROOT / "node_modules"


def _read_state(state_file: Path) -> dict[str, Any] | None:
    """The last build's state record: its fingerprint, counts, and the theme and browser
    libraries it read; None when there is none or it cannot be read."""
    try:
        stored = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or not {"state", "files", "entries", "theme", "node_modules"} <= stored.keys():
        return None
    return stored


def _unchanged_since_last_build(state_file: Path, state: str, cache: Path, output: Path) -> tuple[int, int] | None:
    """(files, entries) of the last build when it was made from exactly ``state`` and every
    file it wrote is still on disk as written; None when a build is needed."""
    stored = _read_state(state_file)
    if stored is None or stored["state"] != state or not output.is_dir():
        return None
    manifest = Manifest.read(manifest_path(BuildCache(cache), output), output)
    if manifest is None or any(not on_disk_as_written(output, path, written) for path, written in manifest.files.items()):
        return None
    return int(stored["files"]), int(stored["entries"])


def _write_state(state_file: Path, state: str, files: int, entries: int, theme: Path, node_modules: Path) -> None:
    record = {"state": state, "files": files, "entries": entries, "theme": str(theme), "node_modules": str(node_modules)}
    atomic_write(state_file, (json.dumps(record, sort_keys=True) + "\n").encode())


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
