"""``wijknet build`` on Pelican: the ``wijknet.hosts`` entry point.

Checks first whether anything the last build read has changed (without starting Pelican:
a no-op rebuild stays a fraction of a second). Then, when nothing Pelican reads has changed
(its settings file, the plugin, the news, the theme), it builds with Pelican's share of the
last build (:mod:`wijknet_pelican.memory`); otherwise it runs Pelican in this process with
the project's settings file and the wijknet plugin. ``pelican content`` takes the same path
from its ``PLUGINS`` setting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from pathlib import Path

from wijknet.build import BuildError, BuildReport, HostInput, build_site, check_last_build, pelican_settings_file
from wijknet.project import Project
from wijknet_pelican.generator import WijknetBuildError, content_root, host_fingerprint
from wijknet_pelican.memory import HostMemory
from wijknet_pelican.settings import NEWS_FOLDER


def build(
    project: Project,
    output: Path | str,
    today: dt.date,
    settings_file: Path | str | None = None,
    *,
    cache_dir: Path | str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> BuildReport:
    """Validate and build the site into ``output`` with Pelican hosting the build.

    Raises what :func:`wijknet.build.build_site` raises (ContentError, SettingsError,
    TaxonomyError, BuildError) and :class:`WijknetBuildError` for invalid news.
    """
    conf_file = pelican_settings_file(project, settings_file)
    memory = checked = None
    if use_cache:
        fingerprint = host_fingerprint(conf_file, content_root(project) / NEWS_FOLDER)
        last, checked = check_last_build(project, output, today, conf_file, fingerprint, cache_dir=cache_dir)
        if last is not None:
            return last
        memory = HostMemory.for_build(project, content_root(project), today, conf_file, fingerprint, cache_dir)

    # the city's settings and vocabularies first: their problems are reported as such
    project.load_settings()
    project.load_taxonomy()
    remembered = memory.recall() if memory is not None else None
    if remembered is not None:
        # nothing Pelican reads has changed: its share of the last build, without starting it
        return build_site(project, output, today, conf_file, cache_dir=cache_dir, use_cache=True, jobs=jobs, host=remembered, checked=checked)
    with tempfile.TemporaryDirectory(prefix="wijknet-geen-inhoud-") as empty:
        # Pelican needs a content folder to exist; a site without one has no news
        path = content_root(project) if content_root(project).is_dir() else Path(empty)
        return _run_pelican(project, output, today, conf_file, path, cache_dir=cache_dir, use_cache=use_cache, jobs=jobs, memory=memory, checked=checked)


def _run_pelican(project, output, today, conf_file, path, *, cache_dir, use_cache, jobs, memory=None, checked=None) -> BuildReport:
    from pelican import Pelican
    from pelican.settings import read_settings

    reports: list[BuildReport] = []
    shares: list[HostInput] = []  # what Pelican handed the build, for the next one
    override = {
        "PATH": str(path),
        "OUTPUT_PATH": str(Path(output).resolve()),
        "WIJKNET_ROOT": str(project.root),
        "WIJKNET_CONTENT": str(project.content),
        "WIJKNET_TAXONOMY": str(project.taxonomy_dir),
        "WIJKNET_SETTINGS": str(project.settings_path),
        "WIJKNET_DATE": today.isoformat(),
        "WIJKNET_PELICAN_SETTINGS": str(conf_file),
        "WIJKNET_BUILD_CACHE": str(cache_dir) if cache_dir else None,
        "WIJKNET_BUILD_JOBS": jobs,
        "WIJKNET_CLEAN_BUILD": not use_cache,
        "WIJKNET_BUILD_REPORTS": reports,
        "WIJKNET_HOST_SHARES": shares,
        "WIJKNET_SOURCE_CHECK": checked,
        "FEED_ALL_ATOM": None,  # the plugin sets the feeds; no warning about Pelican's default
        "CATEGORY_FEED_ATOM": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
    }
    try:
        settings = read_settings(str(conf_file), override=override)
    except Exception as error:  # noqa: BLE001  any error in the settings file stops the build
        raise BuildError(f"{conf_file} kan niet gelezen worden: {error}") from error
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's own summary line
            Pelican(settings).run()
    except WijknetBuildError as error:
        if error.original is not None:
            raise error.original from None
        raise
    if not reports:
        raise BuildError(f"de wijknet-plugin staat niet in PLUGINS van {conf_file}; er is niets gebouwd")
    if memory is not None:
        if shares:
            memory.remember(shares[0])
        else:  # a clean build (DELETE_OUTPUT_DIRECTORY) leaves nothing to reuse
            memory.forget()
    return reports[0]
