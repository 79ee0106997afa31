"""The wijknet generator: load and validate, plan, render and write.

Everything that can fail (settings, taxonomy, content, missing browser libraries, templates)
fails in ``__init__``: Pelican creates generators before it cleans or writes the output
folder, so invalid content never leaves a half-written site.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from wijknet.content.catalog import ContentError
from wijknet.project import Project, today_in
from wijknet.site.format import template_filters, template_globals
from wijknet.site.model import BuildContext, File, Page
from wijknet.site.registry import plan
from wijknet.site.urls import Urls

# Browser libraries from node_modules, copied to output/static/vendor/<same path>.
VENDOR_FILES = (
    "lunr/lunr.js",
    "lunr-languages/lunr.stemmer.support.js",
    "lunr-languages/lunr.nl.js",
)


class WijknetBuildError(Exception):
    """The site cannot be built; the message says why and what to do."""


def _setting(settings: dict, name: str) -> str | None:
    """An environment variable wins over the Pelican setting of the same name."""
    return os.environ.get(name) or settings.get(name) or None


def project_from_settings(settings: dict, content_path: str) -> Project:
    root = _setting(settings, "WIJKNET_ROOT") or os.getcwd()
    return Project.at(
        root,
        content=_setting(settings, "WIJKNET_CONTENT") or content_path,
        taxonomy=_setting(settings, "WIJKNET_TAXONOMY"),
        settings=_setting(settings, "WIJKNET_SETTINGS"),
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
        project = project_from_settings(settings, path)
        try:
            site_settings = project.load_settings()
            date = _setting(settings, "WIJKNET_DATE")
            today = dt.date.fromisoformat(date) if date else today_in(site_settings.timezone)
            result = project.load(today)
        except (SettingsError, TaxonomyError) as error:
            from wijknet.commands.common import setup_problems

            raise WijknetBuildError(problems_text(setup_problems(error))) from None
        if result.problems:
            raise WijknetBuildError(problems_text(result.problems)) from ContentError(result.problems)

        node_modules = Path(_setting(settings, "WIJKNET_NODE_MODULES") or project.root / "node_modules")
        missing = [name for name in VENDOR_FILES if not (node_modules / name).is_file()]
        if missing:
            raise WijknetBuildError(
                f"browserbibliotheken ontbreken in {node_modules} ({', '.join(missing)}): voer eerst `make install` uit"
            )
        self.vendor = [(node_modules / name, name) for name in VENDOR_FILES]

        site_url = settings.get("WIJKNET_SITE_URL") or site_settings.site_url
        build = BuildContext(catalog=result.catalog, urls=Urls(site_url))
        env = Environment(
            loader=FileSystemLoader(str(Path(theme) / "templates")),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(template_filters(build.catalog))
        env.globals.update(template_globals(build))
        # Render everything now, before Pelican touches the output folder.
        self.files: list[tuple[str, bytes]] = []
        for item in plan(build):
            if isinstance(item, Page):
                html = env.get_template(item.template).render(
                    page_url=build.urls.url_of_output(item.path), **item.context
                )
                self.files.append((item.path, html.encode("utf-8")))
            elif isinstance(item, File):
                self.files.append((item.path, item.content))
        self.catalog = build.catalog

    def generate_output(self, writer) -> None:
        root = self.output_path.resolve()
        for relative, content in self.files:
            target = (root / relative).resolve()
            if not target.is_relative_to(root):
                raise WijknetBuildError(f"uitvoerpad buiten de uitvoermap: {relative}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        for source, name in self.vendor:
            target = root / "static" / "vendor" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

