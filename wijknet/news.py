"""News items as the site's own pages show them (home page, menu).

The news itself is written and rendered by the host (Pelican articles in
``content/nieuws/``); the build only needs these few facts about the latest items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

HOME_NEWS = 3
"""How many news items the home page shows."""


@dataclass(frozen=True)
class NewsItem:
    """One news article: its title, where it lives, when it was published, a short summary."""

    title: str
    url: str
    date: dt.date
    summary: str
