"""The one Jinja environment factory: the theme's templates with the theme contract's
filters and globals (:mod:`wijknet.engine.format`), for the site build and for the pages
the submission service renders alike."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, select_autoescape

from wijknet.engine.format import template_filters, template_globals
from wijknet.engine.markup import markdown_renderer
from wijknet.engine.model import BuildContext


def make_environment(theme_dir: Path, build: BuildContext, *, for_build: bool = False) -> Environment:
    """The theme's Jinja environment for ``build``.

    ``for_build``: one build in one thread. Templates do not change during a build, so
    ``auto_reload`` is off (checking modification times on every include costs more than
    rendering small pages), every template stays compiled, compiled templates are kept in
    the build cache between builds (Jinja checks each against its source), and one
    Markdown converter is reused. Otherwise (the submission service: many requests, several
    threads) Jinja's defaults and a converter per text.
    """
    bytecode = build.cache.folder("templates") if for_build else None
    options = dict(auto_reload=False, cache_size=-1) if for_build else {}
    env = Environment(
        loader=FileSystemLoader(str(Path(theme_dir) / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=FileSystemBytecodeCache(str(bytecode)) if bytecode is not None else None,
        **options,
    )
    env.filters.update(template_filters(build.catalog))
    env.globals.update(template_globals(build))
    if for_build:
        env.filters["markdown"] = markdown_renderer()  # one converter per build, reused
    return env


def compile_templates(env: Environment) -> None:
    """Compile every template of the theme now, so processes forked later share them
    instead of each compiling the ones it includes."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
