"""Calendar helpers for the report: month arithmetic (Dutch names: :mod:`wijknet.dutch.dates`)."""

from __future__ import annotations

import calendar
import datetime as dt

from wijknet.dutch.dates import MONTHS_NL, month_nl, month_short_nl
from wijknet.dutch.dates import day_month_year as date_nl

__all__ = ["MONTHS_NL", "add_months", "date_nl", "month_nl", "month_short_nl", "months_before"]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: dt.date, months: int) -> dt.date:
    return add_months(day, -months)
