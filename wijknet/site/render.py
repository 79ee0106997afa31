"""Render a site plan into an output folder: only what changed, on every core.

The plan (:func:`wijknet.site.registry.plan`) is made in full on every build. The file
providers that do not read the matching (search index, exports, Cijfers) are planned, and
their files written, in a forked process while this process matches and plans the pages
and the matching files. Each page is either *kept* (the file on
disk was written by the last build from the same inputs, see :mod:`wijknet.site.render_cache`)
or *rendered*, in a pool of forked processes when there are many. A rendered page or a file is written only when its
bytes differ from what is on disk, atomically (temporary file, then rename), so a server
never sends half a file. Files of the last build that are no longer planned are removed.

The result is the same bytes as a clean build of the same input: the page cache only skips
work whose result is known; it never decides what a page contains.

Processes are forked (the catalog and the compiled templates are inherited, never
pickled). ``wijknet serve`` and ``invoke livereload`` build from a watcher thread while a
server thread runs: the forked children only render and write files and never take a lock
another thread may hold (no logging, no printing), which is what makes forking there safe.
``WIJKNET_JOBS=1`` builds in one process without forking.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape

from wijknet.content.cache import MEMO_KEY
from wijknet.site.format import template_filters, template_globals
from wijknet.site.markup import markdown_renderer
from wijknet.site.model import BuildContext, File, Page
from wijknet.site.registry import FILE_PROVIDERS, PROVIDERS, plan, prepare
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
from wijknet.site.render_cards import CardRenderer

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


def default_jobs() -> int:
    """``WIJKNET_JOBS`` or the number of cores."""
    try:
        return max(1, int(os.environ.get("WIJKNET_JOBS", "")))
    except ValueError:
        return max(1, os.cpu_count() or 1)


def make_environment(theme_dir: Path, build: BuildContext, cache_dir: Path | None = None) -> Environment:
    """The theme's Jinja environment with the contract's filters and globals.

    ``auto_reload`` is off: templates do not change during a build, and checking their
    modification time on every include costs more than rendering small pages. With a
    ``cache_dir``, compiled templates are kept there between builds (Jinja checks each
    against its source).
    """
    env = Environment(
        loader=FileSystemLoader(str(Path(theme_dir) / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=FileSystemBytecodeCache(str(_template_cache(Path(cache_dir)))) if cache_dir else None,
    )
    env.filters.update(template_filters(build.catalog))
    env.globals.update(template_globals(build))
    env.filters["markdown"] = markdown_renderer()  # one converter per build, reused
    return env


def _template_cache(cache_dir: Path) -> Path:
    """The folder for compiled templates of this version of the code. Jinja checks a
    compiled template against its source, but not against the environment's options (which
    live in this code), hence one folder per code version; older ones are removed."""
    import shutil

    from wijknet.content.cache import code_version

    base = cache_dir / "templates"
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


def compile_templates(env: Environment) -> None:
    """Compile every template of the theme now, so processes forked later share them
    instead of each compiling the ones it includes."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)


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
    fingerprints: Fingerprinter
    fresh: bool = False  # the output is a new folder nobody reads yet (see render_site)


_WORKER_JOB: list[_Job] = []  # set in each forked worker by its initializer


def _start_worker(job: _Job) -> None:
    _WORKER_JOB[:] = [job]


def _render_in_worker(task: tuple[int, str | None]) -> tuple[int, Written, bool]:
    return _render_one(_WORKER_JOB[0], *task)


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


def entry_fingerprints(build: BuildContext) -> Fingerprinter:
    """A fingerprinter that knows every catalog entry by the digest of its file: an entry is
    a function of its file once code, taxonomy and settings are fixed (all in the build key),
    and naming it by that digest is much cheaper than serialising it for every page."""
    catalog = build.catalog
    digests = getattr(catalog, "digests", None) or {}
    return Fingerprinter({slug: (catalog.by_slug[slug], digest) for slug, digest in digests.items() if slug in catalog.by_slug})


class _Side:
    """The file side of a build, in a forked process: plan the file providers, write their
    files and render their few pages, then send back what was written (or the error)."""

    def __init__(self, work):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def run() -> None:
            try:
                result = ("ok", work())
            except BaseException as error:  # noqa: BLE001  handed to the parent, raised there
                import traceback

                result = ("error", error, traceback.format_exc())
            try:
                send.send(result)
            except Exception:  # noqa: BLE001  an error that cannot be pickled: send its text
                send.send(("error", None, result[-1] if result[0] == "error" else "unpicklable result"))
            send.close()

        self._process = context.Process(target=run, name="wijknet-files", daemon=True)
        self._process.start()
        send.close()

    def result(self):
        try:
            message = self._receive.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the file side of the build stopped (exit code {self._process.exitcode})") from None
        self._process.join()
        if message[0] == "error":
            _, error, text = message
            if error is None:
                raise RuntimeError(text)
            raise error
        return message[1]

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


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
    import hashlib

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
    target.parent.mkdir(parents=True, exist_ok=True)
    if fresh:
        target.write_bytes(content)
        stat = os.stat(target)
        return Written(digest, stat.st_size, stat.st_mtime_ns), True
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
    fresh: bool = False,
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
    files it did not write alone. ``fresh`` says ``output`` is a new, empty folder that
    nobody reads until the build is done (a staging folder): files are written in place.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    fingerprints = entry_fingerprints(build)
    templates_digest = _templates_digest(Path(theme_dir))
    build_key = fingerprints.digest((build_inputs, templates_digest, build.urls.site_url))
    manifest_file = manifest_path(cache_dir, Path(manifest_for or output).resolve()) if cache_dir else None
    manifest = Manifest.read(manifest_file, Path(manifest_for or output).resolve()) if manifest_file else None
    previous = manifest.files if manifest is not None else {}
    pages_reusable = manifest is not None and manifest.build == build_key
    answers = CatalogAnswers(build.catalog, fingerprints)
    jobs = jobs or default_jobs()

    def triage(items: list[Page | File], files: dict[str, Written]) -> tuple[list[tuple[int, str | None]], int]:
        """Write files that changed; return the pages that must be rendered and how many
        files were written."""
        to_render = []
        written = 0
        for index, item in enumerate(items):
            old = previous.get(item.path)
            if isinstance(item, File):
                files[item.path], changed = _write_if_changed(output, item.path, item.content, old, fresh)
                written += changed
                continue
            if not pages_reusable:
                to_render.append((index, LATER))
                continue
            try:
                inputs = fingerprints.digest((item.template, item.path, item.context))
            except Unfingerprintable:
                inputs = None
            if (
                old is not None
                and inputs is not None
                and old.inputs == inputs
                and on_disk_as_written(output, item.path, old)
                and answers.still_true(old.calls)
            ):
                files[item.path] = old
            else:
                to_render.append((index, inputs))
        return to_render, written

    env = make_environment(Path(theme_dir), build, cache_dir)
    cards: CardRenderer = env.globals["entry_card"].renderer
    cards.persist = templates_digest
    current = _CurrentCatalog()
    env.globals["catalog"] = current
    # The file side forks first and makes its files while this process prepares (matching)
    # and plans the pages and the providers that need the preparation.
    page_names = [name for name in PROVIDERS if name not in FILE_PROVIDERS]
    file_names = [name for name in PROVIDERS if name in FILE_PROVIDERS]

    def file_side(forked: bool) -> tuple[dict[str, Written], int, int]:
        """Plan the file providers, write their files, render their pages."""
        if forked:
            memo = build.shared.get(MEMO_KEY)
            if memo is not None:
                memo.forked()
        rest = plan(build, file_names, extra_files)
        _check_paths(rest)
        files: dict[str, Written] = {}
        to_render, written = triage(rest, files)
        job = _Job(env, build, rest, output, previous, current, fingerprints, fresh)
        for index, inputs in to_render:
            _, record, changed = _render_one(job, index, inputs)
            files[rest[index].path] = record
            written += changed
        if forked and build.shared.get(MEMO_KEY) is not None:
            build.shared[MEMO_KEY].save()  # this process's memos; the parent saves its own
        return files, len(to_render), written

    if jobs > 1:
        # with remembered stems an edit may need no stemmer at all: then do not load it here
        from wijknet.search.analysis import stems_known

        import_build_modules(stemmer=not stems_known())
        compile_templates(env)
    side = _Side(lambda: file_side(True)) if jobs > 1 else None
    pool = None
    try:
        prepare(build)  # computed once, for this process's pages and the providers that need it
        pages = plan(build, page_names)
        _check_paths(pages)
        files: dict[str, Written] = {}
        to_render, written = triage(pages, files)
        rendered = len(to_render)
        page_job = _Job(env, build, pages, output, previous, current, fingerprints, fresh)
        work = sum(_weight(pages[index]) for index, _ in to_render)
        if jobs > 1 and len(to_render) > 1 and work >= PARALLEL_MINIMUM:
            # heaviest first, so one big page does not start last and keep a core waiting
            to_render.sort(key=lambda task: -_weight(pages[task[0]]))
            cards.warm(env, _listed_entries(pages[index] for index, _ in to_render))
            chunk = max(1, min(64, len(to_render) // (jobs * 8)))
            pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker, initargs=(page_job,))
            results = pool.imap_unordered(_render_in_worker, to_render, chunksize=chunk)
        else:
            results = (_render_one(page_job, index, inputs) for index, inputs in to_render)
        for index, record, changed in results:
            files[pages[index].path] = record
            written += changed
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        side_files, side_rendered, side_written = side.result() if side is not None else file_side(False)
        side = None
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if side is not None:
            side.stop()
    for path in side_files:
        if path in files:
            raise ValueError(f"two outputs for {path}")
    files.update(side_files)
    rendered += side_rendered
    written += side_written

    # A folder that is ours alone and has no manifest may hold files of an unknown build.
    # A fresh folder holds only what this build wrote: nothing to remove.
    removed = 0 if fresh else _remove_stale(output, files, previous, remove_unplanned and manifest is None)
    if manifest_file is not None:
        Manifest(str(Path(manifest_for or output).resolve()), build_key, files).write(manifest_file)
    return RenderReport(files=len(files), rendered=rendered, written=written, removed=removed)


def import_build_modules(stemmer: bool = True) -> None:
    """Import what both sides of a build import, once, before they part: every provider
    module, and the Dutch stemmer (nltk's import alone takes 0.2 s), which the file side
    (search index) and this process (matching) both use. ``wijknet build`` does this while
    the entries are being validated; then it costs nothing here."""
    from wijknet.site.registry import providers

    providers()
    if stemmer:
        import nltk.stem.snowball  # noqa: F401


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
