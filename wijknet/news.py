"""News on the site's own pages: the latest items on the home page, a menu link.

The news itself is written and rendered by the host (Pelican articles in
``content/nieuws/``); the build only needs these few facts about the latest items. They
reach the home page through the ``home_sections`` hook (:mod:`wijknet.engine.hooks`): a
build with news gets one more provider, :func:`news_provider`, which makes no pages of its
own. A build without news is the site as it was, byte for byte.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wijknet.engine.hooks import Section
from wijknet.engine.model import BuildContext
from wijknet.engine.registry import Provider
from wijknet.engine.urls import Urls

HOME_NEWS = 3
"""How many news items the home page shows."""

NEWS_PATH = "nieuws/"
"""Where the host puts the news list, under the site's home."""

NEWS_FOLDER = "nieuws"
"""The folder under ``content/`` that holds the news articles."""

NEWS_REQUIRED = ("title", "date", "summary")
NEWS_OPTIONAL = ("modified", "status", "slug", "author")
"""The ``Key: value`` lines a news article may have (Pelican's metadata, keys read in
lower case): checked by the host before Pelican reads an article, and the fields of the
news in the moderators' desk."""

NEWS_KEY_ORDER = ("title", "date", "modified", "author", "summary", "status", "slug")
"""The order in which a new article's lines are written."""

NEWS_STATUSES = ("published", "draft", "hidden")


@dataclass(frozen=True)
class NewsItem:
    """One news article: its title, where it lives, when it was published, a short summary."""

    title: str
    url: str
    date: dt.date
    summary: str


def news_menu(urls: Urls) -> list[tuple[str, str]]:
    """The menu link to the news list (shown only when there is news)."""
    return [(urls.home() + NEWS_PATH, "Nieuws")]


def news_provider(items: tuple[NewsItem, ...]) -> Provider:
    """A provider with no pages of its own that puts the latest ``items`` (newest first)
    on the home page, through the ``home_sections`` hook."""
    latest = tuple(items[:HOME_NEWS])

    def home_sections(build: BuildContext) -> list[Section]:
        return [Section("partials/home_news.html", {"news": latest, "all_news": build.urls.home() + NEWS_PATH})]

    return Provider("news", lambda build: (), hooks={"home_sections": home_sections})


def add_news(build: BuildContext, items: tuple[NewsItem, ...]) -> None:
    """Give ``build`` the host's news: the home page section and the menu link."""
    if not items:
        return
    build.providers = (*build.providers, news_provider(items))
    build.menu_extra = (*build.menu_extra, *news_menu(build.urls))
