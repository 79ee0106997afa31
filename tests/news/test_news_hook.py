"""The latest news reaches the home page through the engine's ``home_sections`` hook, and
the menu through ``BuildContext.menu_extra``; a build without news has neither."""

from __future__ import annotations

import datetime as dt

from testkit import FIXTURES, REPO, TEST_DATE

from wijknet.engine import hooks
from wijknet.engine.format import template_globals
from wijknet.engine.urls import Urls
from wijknet.news import HOME_NEWS, NewsItem, add_news
from wijknet.project import Project
from wijknet.providers import PROVIDERS, site_build
from wijknet.site.pages import home_page


def _build():
    catalog = Project.at(FIXTURES / "amsterdam", taxonomy=REPO / "taxonomy").load(TEST_DATE).catalog
    return site_build(catalog, Urls(catalog.settings.site_url))


def _items(count: int) -> tuple[NewsItem, ...]:
    return tuple(
        NewsItem(f"Bericht {n}", f"/nieuws/bericht-{n}/", dt.date(2026, 11, 1) - dt.timedelta(days=n), f"Samenvatting {n}.")
        for n in range(count)
    )


def test_without_news_the_site_has_its_own_providers_and_menu():
    build = _build()
    add_news(build, ())
    assert build.providers == PROVIDERS
    assert hooks.call(build, hooks.home_sections, build) == []
    assert home_page(build).context["sections"] == []
    assert template_globals(build)["menu_extra"] == []


def test_news_is_a_home_section_with_the_latest_items_and_a_menu_link():
    build = _build()
    add_news(build, _items(HOME_NEWS + 2))
    assert build.providers[: len(PROVIDERS)] == PROVIDERS
    [section] = home_page(build).context["sections"]
    assert section.template == "partials/home_news.html"
    assert section.context["news"] == _items(HOME_NEWS)
    assert section.context["all_news"] == build.urls.home() + "nieuws/"
    assert template_globals(build)["menu_extra"] == [(build.urls.home() + "nieuws/", "Nieuws")]
