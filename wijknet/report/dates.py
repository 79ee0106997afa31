"""Calendar helpers for the report: month arithmetic and Dutch month names."""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_before(day: dt.date, months: int) -> dt.date:
    return add_months(day, -months)


def date_nl(day: dt.date) -> str:
    """``15 januari 2027``."""
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def month_nl(month: str) -> str:
    """``2027-01`` → ``januari 2027``."""
    year, number = month.split("-")
    return f"{MONTHS_NL[int(number) - 1]} {year}"


def month_short_nl(month: str) -> str:
    """``2027-01`` → ``jan 2027`` (chart axis labels)."""
    year, number = month.split("-")
    return f"{MONTHS_NL[int(number) - 1][:3]} {year}"
