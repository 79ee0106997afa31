"""Render a site plan into an output folder: only what changed, on every core.

A build runs as named stages (see "How a build runs" in ``docs/architecture.md``):

0. setup (:func:`wijknet.engine.registry.setup`): each provider's work that both sides read
   (the map's geometry), before anything is written; it may stop the build;
1. :func:`plan_stage`: what the last build into this folder left (its manifest in the build
   cache) and whether its pages can be kept at all (same build-wide inputs and templates).
2. the *file side*, :func:`write_files_stage`: the providers that make mostly files (search
   index, exports, Cijfers) are planned and their files written in a forked process while
   this one goes on;
3. :func:`prepare_stage` and the page plan: work several providers share (matching), then
   every other provider's pages and files;
4. :func:`triage_stage`: a file is written when its bytes changed; a page is *kept* when the
   file on disk was written by the last build from the same inputs (see
   :mod:`wijknet.engine.fingerprints`), else it is to be rendered;
5. :func:`render_stage`: the pages to render, in a pool of forked processes when there are
   many, each written only when its bytes differ, atomically (temporary file, then rename),
   so a server never sends half a file;
6. :func:`finish_stage`: files of the last build no longer planned are removed and the new
   manifest is written.

The result is the same bytes as a clean build of the same input: the page cache only skips
work whose result is known; it never decides what a page contains.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from jinja2 import Environment

from wijknet.engine.cache import folder_digest
from wijknet.engine.cards import CardRenderer
from wijknet.engine.fingerprints import (
    CatalogAnswers,
    Fingerprinter,
    Manifest,
    RecordingCatalog,
    Unfingerprintable,
    Written,
    manifest_path,
    on_disk_as_written,
)
from wijknet.engine.model import BuildContext, File, Page
from wijknet.engine.registry import plan, prepare, setup
from wijknet.engine.templates import compile_templates, make_environment
from wijknet.processes import Pool, SideProcess, default_jobs

__all__ = ["RenderReport", "OutsideOutput", "default_jobs", "import_build_modules", "render_site"]

# Below this much work (see _weight) forking render workers costs more than it saves. One
# unit is about one entry card: a city-wide facet page or the overview alone is thousands.
PARALLEL_MINIMUM = 600


@dataclass(frozen=True)
class RenderReport:
    files: int  # files in the plan
    rendered: int  # pages rendered (the others were kept)
    written: int  # files whose bytes were written
    removed: int  # files of the last build no longer planned


class OutsideOutput(Exception):
    """A planned path points outside the output folder."""


class _CurrentCatalog:
    """The ``catalog`` global: forwards to the recorder of the page being rendered, so
    questions asked from imported macros are recorded too."""

    def __init__(self) -> None:
        self.recorder: RecordingCatalog | None = None

    def __getattr__(self, name: str):
        return getattr(self.recorder, name)


@dataclass
class _Job:
    """What rendering one page needs; inherited by forked workers, never pickled."""

    env: Environment
    build: BuildContext
    items: list
    root: Path
    previous: dict[str, Written]
    current: "_CurrentCatalog"
    fingerprints: Fingerprinter
    fresh: bool = False  # the output is a new folder nobody reads yet (see render_site)


# In place of a page's fingerprint: "not made yet". When no page can be kept (first build,
# changed build-wide inputs) the fingerprints are only needed for the manifest, so each
# worker makes those of the pages it renders instead of the main process making them all.
LATER = "later"


def _render_one(job: _Job, index: int, inputs: str | None) -> tuple[int, Written, bool]:
    page: Page = job.items[index]
    if inputs == LATER:
        try:
            inputs = job.fingerprints.digest((page.template, page.path, page.context))
        except Unfingerprintable:
            inputs = None
    recorder = RecordingCatalog(job.build.catalog, job.fingerprints)
    job.current.recorder = recorder
    try:
        html = job.env.get_template(page.template).render(page_url=job.build.urls.url_of_output(page.path), **page.context)
    finally:
        job.current.recorder = None
    content = html.encode("utf-8")
    written, changed = _write_if_changed(job.root, page.path, content, job.previous.get(page.path), job.fresh)
    if recorder.untracked or inputs is None:
        written.inputs, written.calls = None, {}
    else:
        written.inputs, written.calls = inputs, recorder.calls
    return index, written, changed


def _render_task(job: _Job, task: tuple[int, str | None]) -> tuple[int, Written, bool]:
    return _render_one(job, *task)


def entry_fingerprints(build: BuildContext) -> Fingerprinter:
    """A fingerprinter that knows every catalog entry by the digest of its file: an entry is
    a function of its file once code, taxonomy and settings are fixed (all in the build key),
    and naming it by that digest is much cheaper than serialising it for every page."""
    catalog = build.catalog
    digests = getattr(catalog, "digests", None) or {}
    return Fingerprinter({slug: (catalog.by_slug[slug], digest) for slug, digest in digests.items() if slug in catalog.by_slug})


def _weight(page: Page) -> int:
    """A rough measure of the work of rendering a page: one, plus the length of every list
    in its context (pages that list entries cost about one unit per entry)."""
    return 1 + sum(len(value) for value in page.context.values() if isinstance(value, (list, tuple)))


def _listed_entries(pages: Iterable[Page]) -> list:
    """Every entry the pages list (in ``entries`` or ``cards`` of their context), once each."""
    from wijknet.content.models import Entry

    seen: dict[int, Entry] = {}
    for page in pages:
        for name in ("entries", "cards"):
            for item in page.context.get(name) or ():
                entry = item[0] if isinstance(item, tuple) and item else item
                if isinstance(entry, Entry):
                    seen.setdefault(id(entry), entry)
    return list(seen.values())


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=20).hexdigest()


def _write_if_changed(
    root: Path, relative: str, content: bytes, previous: Written | None, fresh: bool = False
) -> tuple[Written, bool]:
    """Write ``content`` unless the file already holds exactly these bytes. In a ``fresh``
    folder (new, read by nobody yet) the file is written in place: no reader can see half
    of it, so the temporary file and rename are not needed."""
    digest = _digest(content)
    if previous is not None and previous.digest == digest and on_disk_as_written(root, relative, previous):
        return Written(digest, previous.size, previous.mtime_ns), False
    target = root / relative
    if fresh:
        stat = _write_new(target, content)
        return Written(digest, stat.st_size, stat.st_mtime_ns), True
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _write_new(temporary, content)
    os.replace(temporary, target)
    stat = os.stat(target)
    return Written(digest, stat.st_size, stat.st_mtime_ns), True


def _write_new(path: Path, content: bytes) -> os.stat_result:
    """Write ``content`` to ``path``, making its folder only when it is missing: most files
    go into a folder that is already there, and a ``mkdir`` per file costs as much as the
    write on some file systems. Returns the file's ``stat`` (taken before it is closed)."""
    try:
        handle = open(path, "wb")
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "wb")
    with handle:
        handle.write(content)
        handle.flush()
        return os.fstat(handle.fileno())


def _check_paths(items: Iterable[Page | File]) -> None:
    """Planned paths are relative and stay inside the output folder (checked on the text:
    resolving ten thousand paths on disk costs more than rendering a page)."""
    for item in items:
        parts = item.path.split("/")
        if not item.path or item.path.startswith("/") or "\\" in item.path or any(part in ("", ".", "..") for part in parts):
            raise OutsideOutput(f"uitvoerpad buiten de uitvoermap: {item.path}")


@dataclass
class _Run:
    """One render of a site into a folder: what every stage reads."""

    build: BuildContext
    output: Path
    manifest_for: Path
    env: Environment
    cards: CardRenderer
    current: "_CurrentCatalog"
    fingerprints: Fingerprinter
    build_key: str
    previous: dict[str, Written]
    known_manifest: bool  # a manifest of the last build into this folder was read
    pages_reusable: bool
    answers: CatalogAnswers
    fresh: bool
    jobs: int
    extra_files: list[File] = field(default_factory=list)


def plan_stage(build: BuildContext, output: Path, theme_dir: Path, build_inputs: str, extra_files: Iterable[File],
               manifest_for: Path | None, fresh: bool, jobs: int) -> _Run:  # fmt: skip
    """Read what the last build into this folder left and set up the templates.

    A page can be kept only when the build-wide inputs (``build_inputs``: code, taxonomy,
    settings, date), the templates, the site URL and the hashed names of the static assets
    are what they were (a changed stylesheet is a new name on every page)."""
    output.mkdir(parents=True, exist_ok=True)
    target = Path(manifest_for or output).resolve()
    fingerprints = entry_fingerprints(build)
    build_key = fingerprints.digest((build_inputs, folder_digest(Path(theme_dir) / "templates"), build.urls.key()))
    manifest_file = manifest_path(build.cache, target)
    manifest = Manifest.read(manifest_file, target) if manifest_file is not None else None
    env = make_environment(Path(theme_dir), build, for_build=True)
    cards: CardRenderer = env.globals["entry_card"].renderer
    cards.persist = build_key
    current = _CurrentCatalog()
    env.globals["catalog"] = current
    return _Run(
        build, output, target, env, cards, current, fingerprints, build_key,
        previous=manifest.files if manifest is not None else {},
        known_manifest=manifest is not None,
        pages_reusable=manifest is not None and manifest.build == build_key,
        answers=CatalogAnswers(build.catalog, fingerprints),
        fresh=fresh, jobs=jobs, extra_files=list(extra_files),
    )  # fmt: skip


def triage_stage(run: _Run, items: list[Page | File], files: dict[str, Written]) -> tuple[list[tuple[int, str | None]], int]:
    """Write the files whose bytes changed; return the pages that must be rendered (index
    and fingerprint) and how many files were written."""
    to_render = []
    written = 0
    for index, item in enumerate(items):
        old = run.previous.get(item.path)
        if isinstance(item, File):
            files[item.path], changed = _write_if_changed(run.output, item.path, item.content, old, run.fresh)
            written += changed
            continue
        if not run.pages_reusable:
            to_render.append((index, LATER))
            continue
        try:
            inputs = run.fingerprints.digest((item.template, item.path, item.context))
        except Unfingerprintable:
            inputs = None
        if (
            old is not None
            and inputs is not None
            and old.inputs == inputs
            and on_disk_as_written(run.output, item.path, old)
            and run.answers.still_true(old.calls)
        ):
            files[item.path] = old
        else:
            to_render.append((index, inputs))
    return to_render, written


def write_files_stage(run: _Run, forked: bool) -> tuple[dict[str, Written], int, int, dict[str, list[tuple]]]:
    """The file side: plan the providers that make mostly files, write their files and
    render their few pages. Returns the files, pages rendered, files written and, in a
    forked process, what it learned for the parent's cache (the stems of new words)."""
    if forked:
        run.build.cache.forked()
    items = plan(run.build, [p for p in run.build.providers if p.files_side], run.extra_files)
    _check_paths(items)
    files: dict[str, Written] = {}
    to_render, written = triage_stage(run, items, files)
    job = _Job(run.env, run.build, items, run.output, run.previous, run.current, run.fingerprints, run.fresh)
    for index, inputs in to_render:
        _, record, changed = _render_one(job, index, inputs)
        files[items[index].path] = record
        written += changed
    learned = {}
    if forked:
        run.build.cache.save()  # this process's namespaces; the parent saves its own
        learned = run.build.cache.learned()
    return files, len(to_render), written, learned


def prepare_stage(run: _Run) -> list[Page | File]:
    """Work shared by several providers (matching), then the plan of every provider that is
    not on the file side."""
    prepare(run.build)
    items = plan(run.build, [p for p in run.build.providers if not p.files_side])
    _check_paths(items)
    return items


def render_stage(run: _Run, pages: list[Page | File], to_render: list[tuple[int, str | None]], files: dict[str, Written]) -> int:
    """Render the pages ``to_render``, on every core when there is enough work; returns how
    many files were written."""
    job = _Job(run.env, run.build, pages, run.output, run.previous, run.current, run.fingerprints, run.fresh)
    work = sum(_weight(pages[index]) for index, _ in to_render)
    pool = None
    written = 0
    try:
        if run.jobs > 1 and len(to_render) > 1 and work >= PARALLEL_MINIMUM:
            # heaviest first, so one big page does not start last and keep a core waiting
            to_render.sort(key=lambda task: -_weight(pages[task[0]]))
            run.cards.warm(run.env, _listed_entries(pages[index] for index, _ in to_render))
            chunk = max(1, min(64, len(to_render) // (run.jobs * 8)))
            pool = Pool(run.jobs, _render_task, job)
            results = pool.map_unordered(to_render, chunk)
        else:
            results = (_render_one(job, index, inputs) for index, inputs in to_render)
        for index, record, changed in results:
            files[pages[index].path] = record
            written += changed
        if pool is not None:
            pool.close()
            pool = None
    finally:
        if pool is not None:
            pool.terminate()
    return written


def finish_stage(run: _Run, files: dict[str, Written], side_files: dict[str, Written], remove_unplanned: bool) -> int:
    """Join both sides, remove what the last build wrote and this one did not plan, and write
    the manifest. Returns how many files were removed.

    A folder that is ours alone and has no manifest may hold files of an unknown build
    (``remove_unplanned``); a fresh folder holds only what this build wrote."""
    for path in side_files:
        if path in files:
            raise ValueError(f"two outputs for {path}")
    files.update(side_files)
    removed = 0 if run.fresh else _remove_stale(run.output, files, run.previous, remove_unplanned and not run.known_manifest)
    manifest_file = manifest_path(run.build.cache, run.manifest_for)
    if manifest_file is not None:
        Manifest(str(run.manifest_for), run.build_key, files).write(manifest_file)
    return removed


def render_site(
    build: BuildContext,
    output: Path,
    *,
    theme_dir: Path,
    build_inputs: str,
    extra_files: Iterable[File] = (),
    manifest_for: Path | None = None,
    remove_unplanned: bool = False,
    fresh: bool = False,
    jobs: int | None = None,
) -> RenderReport:
    """Plan the site and bring ``output`` up to date with it (see the module docstring).

    ``build_inputs`` fingerprints everything build-wide (code, taxonomy, settings, date):
    when it changes, every page is rendered again (and still only written when its bytes
    change). The manifest is kept in ``build.cache`` for ``manifest_for`` (``output``
    unless a build renders into a staging folder that will take its place). Without a
    manifest, ``remove_unplanned`` removes every unplanned file in ``output`` (a folder
    that is ours alone); Pelican's output folder is shared, so the plugin leaves files it
    did not write alone. ``fresh`` says ``output`` is a new, empty folder that nobody reads
    until the build is done: files are written in place.
    """
    jobs = jobs or default_jobs()
    setup(build)  # may stop the build: before the output folder is touched
    run = plan_stage(build, Path(output), theme_dir, build_inputs, extra_files, manifest_for, fresh, jobs)
    side = None
    if jobs > 1:
        # with remembered stems an edit may need no stemmer at all: then do not load it here
        import_build_modules(stemmer=not build.dutch_analysis().stems)
        side = SideProcess(lambda: write_files_stage(run, forked=True), "wijknet-files")
    try:
        if side is not None:
            # after the file side has split off: it compiles the few templates of its pages
            # itself, and the render workers forked later from this process share these
            compile_templates(run.env)
        pages = prepare_stage(run)
        files: dict[str, Written] = {}
        to_render, written = triage_stage(run, pages, files)
        written += render_stage(run, pages, to_render, files)
        side_files, side_rendered, side_written, learned = side.result() if side is not None else write_files_stage(run, forked=False)
        side = None
        build.cache.keep_learned(learned)
    finally:
        if side is not None:
            side.stop()
    removed = finish_stage(run, files, side_files, remove_unplanned)
    return RenderReport(files=len(files), rendered=len(to_render) + side_rendered, written=written + side_written, removed=removed)


def import_build_modules(stemmer: bool = True) -> None:
    """Import what both sides of a build import, once, before they part: the Dutch stemmer
    (nltk's import alone takes a while), which the file side (search index) and this
    process (matching) both use. ``wijknet build`` does this while the entries are being
    validated; then it costs nothing here. (Providers are imported by name already.)"""
    if stemmer:
        import nltk.stem.snowball  # noqa: F401


def _remove_stale(output: Path, planned: dict[str, Written], previous: dict[str, Written], everything: bool) -> int:
    """Remove files no longer planned, then folders left empty."""
    if everything:
        candidates = []
        for folder, _, names in os.walk(output):
            base = Path(folder).relative_to(output)
            candidates.extend((base / name).as_posix() for name in names)
    else:
        candidates = list(previous)
    removed = 0
    emptied: set[Path] = set()
    for relative in candidates:
        if relative in planned:
            continue
        path = output / relative
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
        emptied.add(path.parent)
    for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        while folder != output and folder.is_relative_to(output):
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    return removed
