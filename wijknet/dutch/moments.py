"""Dates and times of entries as moments in the city's time zone.

Entries store naive local dates and date-times; every export that needs an absolute moment
(JSON-LD, Atom, iCalendar) goes through here so they all agree.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def zone(name: str) -> ZoneInfo:
    """The site's time zone (``timezone`` in ``site.yaml``)."""
    return ZoneInfo(name)


def local_moment(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A naive local date-time as an aware one; a bare date is its start at 00:00."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(0, 0))
    return value.replace(tzinfo=tz)


def iso_moment(value: dt.date | dt.datetime, tz: ZoneInfo) -> str:
    """ISO 8601 text: ``2027-01-15`` for a date, ``2027-01-15T19:30:00+01:00`` for a time."""
    if isinstance(value, dt.datetime):
        return local_moment(value, tz).isoformat()
    return value.isoformat()


def day_start_iso(day: dt.date, tz: ZoneInfo) -> str:
    """The start of ``day`` in the city as RFC 3339 text (used for Atom ``updated``)."""
    return local_moment(day, tz).isoformat()
