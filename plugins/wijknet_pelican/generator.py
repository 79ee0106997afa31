"""The wijknet generator: load and validate, then render with wijknet's renderer.

Everything that can fail on the input (settings, taxonomy, content, missing browser
libraries) fails in ``__init__``: Pelican creates generators before it cleans or writes the
output folder, so invalid content never leaves a half-written site. ``generate_output``
hands the plan to :func:`wijknet.engine.render.render_site`, the same renderer
``wijknet build`` uses: pages render on every core, and with the build cache only what
changed is rendered and written (Pelican copies the theme's static files itself).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from wijknet.build import (
    BuildError,
    attach_cache,
    build_inputs,
    default_cache_dir,
    load_valid_catalog,
    setting,
    usable_cache_dir,
    vendor_files,
)
from wijknet.content.catalog import ContentError
from wijknet.project import Project, today_in
from wijknet.engine.render import default_jobs, render_site
from wijknet.engine.urls import Urls
from wijknet.providers import site_build


class WijknetBuildError(Exception):
    """The site cannot be built; the message says why and what to do."""


def project_from_settings(settings: dict, content_path: str) -> Project:
    root = setting(settings, "WIJKNET_ROOT") or os.getcwd()
    return Project.at(
        root,
        content=setting(settings, "WIJKNET_CONTENT") or content_path,
        taxonomy=setting(settings, "WIJKNET_TAXONOMY"),
        settings=setting(settings, "WIJKNET_SETTINGS"),
    )


def problems_text(problems) -> str:
    lines = [f"{p.file}:{p.line}: {p.key or '-'}: {p.message('nl')}" for p in problems]
    return "de site is niet gebouwd; los eerst deze problemen op:\n" + "\n".join(lines)


class WijknetGenerator:
    """A Pelican generator (duck-typed: Pelican calls ``generate_output``)."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        from wijknet.settings import SettingsError
        from wijknet.taxonomy import TaxonomyError

        self.output_path = Path(output_path)
        self.theme = Path(theme)
        project = project_from_settings(settings, path)
        self.jobs = default_jobs()
        self.cache_dir = None if settings.get("WIJKNET_NO_CACHE") else usable_cache_dir(default_cache_dir(project))
        try:
            site_settings = project.load_settings()
            date = setting(settings, "WIJKNET_DATE")
            self.today = dt.date.fromisoformat(date) if date else today_in(site_settings.timezone)
            catalog = load_valid_catalog(project, self.today, self.cache_dir, self.jobs)
        except (SettingsError, TaxonomyError) as error:
            from wijknet.problems import setup_problems

            raise WijknetBuildError(problems_text(setup_problems(error))) from None
        except ContentError as error:
            raise WijknetBuildError(problems_text(error.problems)) from error

        node_modules = Path(setting(settings, "WIJKNET_NODE_MODULES") or project.root / "node_modules")
        try:
            self.vendor = vendor_files(node_modules)
        except BuildError as error:
            raise WijknetBuildError(str(error)) from None
        site_url = settings.get("WIJKNET_SITE_URL") or site_settings.site_url
        self.build = site_build(catalog, Urls(site_url))
        self.inputs = build_inputs(project, self.today, "pelican")
        self.cache = attach_cache(self.build, self.cache_dir, node_modules, self.inputs)

    def generate_output(self, writer) -> None:
        render_site(
            self.build,
            self.output_path.resolve(),
            theme_dir=self.theme,
            build_inputs=self.inputs,
            extra_files=self.vendor,
            jobs=self.jobs,
        )
        self.cache.save()
