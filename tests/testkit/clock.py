"""The tests' calendar, in one place.

The test sites are built for fixed dates (``--date``), never for the machine's clock, so the
suite passes on any real day. Browser pages get the same day through Playwright's clock API
(see :class:`testkit.browser.DatedBrowser`): the form, search and filters then agree
with the build about what day it is. ``WIJKNET_TODAY`` sets "today" for a wijknet process
started by a test (see ``wijknet.project.today_in``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TEST_DATE = dt.date(2026, 11, 23)
"""The day most test sites are built for, and the day their sample content was checked."""

CITY_ZONE = ZoneInfo("Europe/Amsterdam")


def city_noon(day: dt.date) -> dt.datetime:
    """Midday of ``day`` in the city: the page's clock in browser tests."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=CITY_ZONE)
