"""The tests' calendar, in one place.

The test sites are built for fixed dates (``--date``), never for the machine's clock, so the
suite passes on any real day. Browser pages get the same day through Playwright's clock API
(see :class:`testkit.browser.DatedBrowser`): the form, search and filters then agree
with the build about what day it is. ``WIJKNET_TODAY`` sets "today" for a wijknet process
started by a test (see ``wijknet.project.today_in``). A service made in the test's own
process gets a :class:`ManualClock`, which only the test moves on.
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


class ManualClock:
    """Seconds since the epoch for a service in a test (its settings' ``clock``): midday of
    the test date until the test moves it on with :meth:`advance`."""

    def __init__(self, start: float | None = None):
        self.now = city_noon(TEST_DATE).timestamp() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
