"""Dutch month and day names and the short date phrases every page and report uses."""

from __future__ import annotations

import datetime as dt

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def day_month_year(day: dt.date) -> str:
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
