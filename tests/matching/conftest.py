"""Fixtures for the matching tests: the sample content plus our own fixture questions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from testkit import REPO, TEST_DATE

from wijknet.content.catalog import Catalog, load_catalog
from wijknet.content.models import Entry, ValidationContext
from wijknet.matching.text import dutch_analyzer
from wijknet.project import Project
from wijknet.engine.format import template_filters, template_globals

HERE = Path(__file__).resolve().parent
TODAY = TEST_DATE


def sample_catalog(today: dt.date = TODAY, extra_dirs: tuple[Path, ...] = (HERE / "questions",)) -> Catalog:
    """The repository's sample content merged with the fixture questions, valid on ``today``."""
    project = Project.at(REPO)
    taxonomy, settings = project.load_taxonomy(), project.load_settings()
    entries, sources = [], {}
    for folder in (project.content, *extra_dirs):
        result = load_catalog(folder, taxonomy, settings, today)
        assert not result.problems, [p.as_dict("en") for p in result.problems]
        entries.extend(result.catalog.entries)
        sources.update(result.catalog.sources)
    return Catalog(entries=tuple(entries), taxonomy=taxonomy, settings=settings, today=today, sources=sources)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return sample_catalog()


@pytest.fixture(scope="session")
def analyzer():
    return dutch_analyzer(REPO / "node_modules")


def make_entry(catalog_like: Catalog, slug: str, **fields) -> Entry:
    """A validated entry from Dutch content keys, with defaults for the required ones."""
    data = {
        "titel": slug.replace("-", " ").capitalize(),
        "soort": "initiatief",
        "samenvatting": "Een bericht om het matchen mee te testen.",
        "themas": ["eenzaamheid"],
        "werkgebied": ["amsterdam"],
        "contact": {"email": "test@voorbeeld.example"},
        "gecontroleerd": "2026-11-01",
    }
    data.update(fields)
    if data["soort"] == "voorziening" and "contact" not in fields:
        data.pop("contact")
    context = ValidationContext(taxonomy=catalog_like.taxonomy, settings=catalog_like.settings, today=TODAY)
    return Entry.model_validate({**data, "slug": slug}, context=context)


def catalog_of(base: Catalog, entries, today: dt.date = TODAY) -> Catalog:
    """A catalog with only ``entries``, on ``today``, with the taxonomy and settings of ``base``."""
    return Catalog(entries=tuple(entries), taxonomy=base.taxonomy, settings=base.settings, today=today)


def render_page(build, page) -> str:
    """Render a planned page the way the site build does (same loader, filters and globals)."""
    env = Environment(
        loader=FileSystemLoader(str(REPO / "theme" / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(template_filters(build.catalog))
    env.globals.update(template_globals(build))
    return env.get_template(page.template).render(page_url=build.urls.url_of_output(page.path), **page.context)
