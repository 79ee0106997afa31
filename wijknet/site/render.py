"""Render a site plan into an output folder: only what changed, on every core.

The plan (:func:`wijknet.site.registry.plan`) is made in full on every build; it is cheap
next to rendering. Then each page is either *kept* (the file on disk was written by the last
build from the same inputs, see :mod:`wijknet.site.render_cache`) or *rendered*, in a pool of
forked processes when there are many. A rendered page or a file is written only when its
bytes differ from what is on disk, atomically (temporary file, then rename), so a server
never sends half a file. Files of the last build that are no longer planned are removed.

The result is the same bytes as a clean build of the same input: the page cache only skips
work whose result is known; it never decides what a page contains.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape

from wijknet.site.format import template_filters, template_globals
from wijknet.site.model import BuildContext, File, Page
from wijknet.site.registry import FILE_PROVIDERS, PROVIDERS, plan
from wijknet.site.render_cache import (
    CatalogAnswers,
    Fingerprinter,
    Manifest,
    RecordingCatalog,
    Unfingerprintable,
    Written,
    manifest_path,
    on_disk_as_written,
)

# Below this many pages to render, forking costs more than it saves.
PARALLEL_MINIMUM = 64


@dataclass(frozen=True)
class RenderReport:
    files: int  # files in the plan
    rendered: int  # pages rendered (the others were kept)
    written: int  # files whose bytes were written
    removed: int  # files of the last build no longer planned


class OutsideOutput(Exception):
    """A planned path points outside the output folder."""


def default_jobs() -> int:
    """``WIJKNET_JOBS`` or the number of cores."""
    try:
        return max(1, int(os.environ.get("WIJKNET_JOBS", "")))
    except ValueError:
        return max(1, os.cpu_count() or 1)


def make_environment(theme_dir: Path, build: BuildContext) -> Environment:
    """The theme's Jinja environment with the contract's filters and globals.

    ``auto_reload`` is off: templates do not change during a build, and checking their
    modification time on every include costs more than rendering small pages.
    """
    env = Environment(
        loader=FileSystemLoader(str(Path(theme_dir) / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
    )
    env.filters.update(template_filters(build.catalog))
    env.globals.update(template_globals(build))
    return env


class _CurrentCatalog:
    """The ``catalog`` global: forwards to the recorder of the page being rendered, so
    questions asked from imported macros are recorded too."""

    def __init__(self) -> None:
        self.recorder: RecordingCatalog | None = None

    def __getattr__(self, name: str):
        return getattr(self.recorder, name)


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


@dataclass
class _Job:
    """What a render worker needs; inherited by forking, never pickled."""

    env: Environment
    build: BuildContext
    items: list
    root: Path
    previous: dict[str, Written]
    current: _CurrentCatalog


_WORKER_JOB: list[_Job] = []  # set in each forked worker by its initializer


def _start_worker(job: _Job) -> None:
    _WORKER_JOB[:] = [job]


def _render_in_worker(task: tuple[int, str | None]) -> tuple[int, Written, bool]:
    return _render_one(_WORKER_JOB[0], *task)


def _render_one(job: _Job, index: int, inputs: str | None) -> tuple[int, Written, bool]:
    page: Page = job.items[index]
    fingerprints = Fingerprinter()
    recorder = RecordingCatalog(job.build.catalog, fingerprints)
    job.current.recorder = recorder
    try:
        html = job.env.get_template(page.template).render(page_url=job.build.urls.url_of_output(page.path), **page.context)
    finally:
        job.current.recorder = None
    content = html.encode("utf-8")
    written, changed = _write_if_changed(job.root, page.path, content, job.previous.get(page.path))
    if recorder.untracked or inputs is None:
        written.inputs, written.calls = None, {}
    else:
        written.inputs, written.calls = inputs, recorder.calls
    return index, written, changed


def _digest(content: bytes) -> str:
    import hashlib

    return hashlib.blake2b(content, digest_size=20).hexdigest()


def _write_if_changed(root: Path, relative: str, content: bytes, previous: Written | None) -> tuple[Written, bool]:
    """Write ``content`` unless the file already holds exactly these bytes."""
    digest = _digest(content)
    if previous is not None and previous.digest == digest and on_disk_as_written(root, relative, previous):
        return Written(digest, previous.size, previous.mtime_ns), False
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)
    stat = os.stat(target)
    return Written(digest, stat.st_size, stat.st_mtime_ns), True


def _check_paths(items: Iterable[Page | File]) -> None:
    """Planned paths are relative and stay inside the output folder (checked on the text:
    resolving ten thousand paths on disk costs more than rendering a page)."""
    for item in items:
        parts = item.path.split("/")
        if not item.path or item.path.startswith("/") or "\\" in item.path or any(part in ("", ".", "..") for part in parts):
            raise OutsideOutput(f"uitvoerpad buiten de uitvoermap: {item.path}")


def render_site(
    build: BuildContext,
    output: Path,
    *,
    theme_dir: Path,
    build_inputs: str,
    extra_files: Iterable[File] = (),
    cache_dir: Path | None = None,
    manifest_for: Path | None = None,
    remove_unplanned: bool = False,
    jobs: int | None = None,
) -> RenderReport:
    """Plan the site and bring ``output`` up to date with it.

    ``build_inputs`` fingerprints everything build-wide (code, taxonomy, settings, date, site
    URL): when it changes, every page is rendered again (and still only written when its
    bytes change). ``manifest_for`` is the folder the manifest is kept for (``output``
    unless a build renders into a staging folder that will take its place).
    Files the last build wrote that are no longer planned are removed. Without a manifest,
    ``remove_unplanned`` removes every unplanned file in ``output`` (a folder that is ours
    alone, e.g. a staging folder); Pelican's output folder is shared, so the plugin leaves
    files it did not write alone.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    fingerprints = Fingerprinter()
    templates_digest = _templates_digest(Path(theme_dir))
    build_key = fingerprints.digest((build_inputs, templates_digest, build.urls.site_url))
    manifest_file = manifest_path(cache_dir, Path(manifest_for or output).resolve()) if cache_dir else None
    manifest = Manifest.read(manifest_file, Path(manifest_for or output).resolve()) if manifest_file else None
    previous = manifest.files if manifest is not None else {}
    pages_reusable = manifest is not None and manifest.build == build_key
    answers = CatalogAnswers(build.catalog, fingerprints)
    files: dict[str, Written] = {}
    counts = {"rendered": 0, "written": 0}

    def triage(items: list[Page | File]) -> list[tuple[int, str | None]]:
        """Write files that changed; return the pages that must be rendered."""
        to_render = []
        for index, item in enumerate(items):
            old = previous.get(item.path)
            if isinstance(item, File):
                files[item.path], changed = _write_if_changed(output, item.path, item.content, old)
                counts["written"] += changed
                continue
            try:
                inputs = fingerprints.digest((item.template, item.path, item.context))
            except Unfingerprintable:
                inputs = None
            if (
                pages_reusable
                and old is not None
                and inputs is not None
                and old.inputs == inputs
                and on_disk_as_written(output, item.path, old)
                and answers.still_true(old.calls)
            ):
                files[item.path] = old
            else:
                to_render.append((index, inputs))
        counts["rendered"] += len(to_render)
        return to_render

    def collect(results) -> None:
        for index_path, written, changed in results:
            files[index_path] = written
            counts["written"] += changed

    env = make_environment(Path(theme_dir), build)
    current = _CurrentCatalog()
    env.globals["catalog"] = current

    # Pages first; the file providers are planned while the pages render in workers.
    page_names = [name for name in PROVIDERS if name not in FILE_PROVIDERS]
    file_names = [name for name in PROVIDERS if name in FILE_PROVIDERS]
    pages = plan(build, page_names)
    _check_paths(pages)
    page_job = _Job(env, build, pages, output, previous, current)
    to_render = triage(pages)
    jobs = jobs or default_jobs()
    pool = None
    pending = None
    if to_render:
        for name in sorted({pages[index].template for index, _ in to_render}):
            env.get_template(name)  # compile once, before forking
    if jobs > 1 and len(to_render) >= PARALLEL_MINIMUM:
        chunk = max(1, min(64, len(to_render) // (jobs * 8)))
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(page_job,))
        pending = pool.imap_unordered(_render_in_worker, to_render, chunksize=chunk)
    try:
        rest = plan(build, file_names)
        seen = {item.path for item in pages}
        for item in [*rest, *extra_files]:
            if item.path in seen:
                raise ValueError(f"two outputs for {item.path}")
            seen.add(item.path)
        rest = sorted([*rest, *extra_files], key=lambda item: item.path)
        _check_paths(rest)
        rest_job = _Job(env, build, rest, output, previous, current)
        collect((rest[i].path, w, c) for i, w, c in (_render_one(rest_job, i, inputs) for i, inputs in triage(rest)))
        if pending is not None:
            collect((pages[i].path, w, c) for i, w, c in pending)
        else:
            collect((pages[i].path, w, c) for i, w, c in (_render_one(page_job, i, inputs) for i, inputs in to_render))
    finally:
        if pool is not None:
            pool.terminate() if pending is None else pool.close()
            pool.join()

    # A folder that is ours alone and has no manifest may hold files of an unknown build.
    removed = _remove_stale(output, files, previous, remove_unplanned and manifest is None)
    if manifest_file is not None:
        Manifest(str(Path(manifest_for or output).resolve()), build_key, files).write(manifest_file)
    return RenderReport(files=len(files), rendered=counts["rendered"], written=counts["written"], removed=removed)


def _templates_digest(theme_dir: Path) -> str:
    from wijknet.content.cache import folder_digest

    return folder_digest(theme_dir / "templates")


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
