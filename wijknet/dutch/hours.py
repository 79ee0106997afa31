"""Opening hours written in Dutch (``tijden``), read as weekly or monthly slots, and written back.

``tijden`` is free text (the content format allows any line up to 200 characters). Much of it
follows one pattern: days, a time range, ``uur``, and perhaps a remark after a comma or a
semicolon::

    Elke donderdag 17.30 - 19.30 uur
    Maandag, woensdag en zaterdag 11.00 - 15.00 uur
    Maandag tot en met vrijdag 10.00 - 16.00 uur, op woensdag warme maaltijd
    Elke tweede zaterdag van de maand, 13.00 - 16.00 uur
    Dinsdag 14.00 - 17.00 uur en donderdagavond 19.00 - 21.00 uur

:func:`read_hours` returns the slots of such a text, or None when any part of it is not in
that pattern (a season, "of", "in overleg", a start time without an end): a guess would be
worse than the text alone, which every export keeps anyway. :func:`write_hours` is the
inverse: slots as a Dutch sentence that :func:`read_hours` reads back to the same slots.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from wijknet.dutch.dates import DAYS_NL

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""iCalendar (RFC 5545) day codes, Monday first, in the order of :data:`DAYS_NL`."""

ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": -1}

_DAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)(?:ochtend|middag|avond)?"
_TIME = r"(?P<{0}_h>[0-2]?[0-9])[.:](?P<{0}_m>[0-5][0-9])"
_RANGE = (
    rf"(?:{_TIME.format('a')}\s*(?:-|–|tot)\s*{_TIME.format('b')}"
    rf"|tussen\s+{_TIME.format('c')}\s+en\s+{_TIME.format('d')})(?:\s+uur)?"
)
_PART = re.compile(
    rf"^(?:elke\s+|op\s+)?(?P<days>{_DAY}(?:\s*,\s*{_DAY})*(?:\s+en\s+{_DAY})?"
    rf"|{_DAY}\s+tot\s+en\s+met\s+{_DAY}|werkdagen)"
    rf"\s*,?\s*{_RANGE}$",
    re.IGNORECASE,
)
_MONTHLY = re.compile(
    rf"^elke\s+(?P<nth>{'|'.join(ORDINALS)})\s+(?P<day>{_DAY})\s+van\s+de\s+maand\s*,?\s*{_RANGE}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Slot:
    """Days of the week with one time range; ``nth`` (1-4, -1 for the last) makes it monthly:
    the nth such day of each month."""

    days: tuple[str, ...]  # DAY_CODES, in week order
    opens: dt.time
    closes: dt.time
    nth: int | None = None

    @property
    def monthly(self) -> bool:
        return self.nth is not None


@dataclass(frozen=True)
class Hours:
    """The slots of a ``tijden`` text and the remark after them (``niet in de schoolvakanties``)."""

    slots: tuple[Slot, ...]
    remark: str = ""


def _day_code(word: str) -> str:
    word = word.lower()
    for index, name in enumerate(DAYS_NL):
        if word.startswith(name):
            return DAY_CODES[index]
    raise ValueError(word)


def _time(match: re.Match[str], name: str) -> dt.time | None:
    hour = match.group(f"{name}_h")
    if hour is None:
        return None
    value = int(hour), int(match.group(f"{name}_m"))
    if value[0] > 24 or (value[0] == 24 and value[1]):
        raise ValueError("hour")
    return dt.time(0, 0) if value[0] == 24 else dt.time(*value)


def _range(match: re.Match[str]) -> tuple[dt.time, dt.time] | None:
    opens = _time(match, "a") or _time(match, "c")
    closes = _time(match, "b") or _time(match, "d")
    if opens is None or closes is None or (closes <= opens and closes != dt.time(0, 0)):
        return None
    return opens, closes


def _days(text: str) -> tuple[str, ...] | None:
    text = text.lower()
    if text == "werkdagen":
        return DAY_CODES[:5]
    through = re.fullmatch(rf"({_DAY})\s+tot\s+en\s+met\s+({_DAY})", text)
    if through:
        first, last = DAY_CODES.index(_day_code(through.group(1))), DAY_CODES.index(_day_code(through.group(2)))
        return DAY_CODES[first : last + 1] if first < last else None
    codes = [_day_code(word) for word in re.findall(_DAY, text)]
    if len(set(codes)) != len(codes):
        return None
    return tuple(sorted(codes, key=DAY_CODES.index))


def _read_part(text: str) -> Slot | None:
    text = text.strip()
    monthly = _MONTHLY.match(text)
    if monthly:
        times = _range(monthly)
        if times is None:
            return None
        return Slot((_day_code(monthly.group("day")),), *times, nth=ORDINALS[monthly.group("nth").lower()])
    weekly = _PART.match(text)
    if not weekly:
        return None
    times, days = _range(weekly), _days(weekly.group("days"))
    if times is None or not days:
        return None
    return Slot(days, *times)


def read_hours(text: str) -> Hours | None:
    """The slots in ``text`` (see the module docstring), or None when it is not in the pattern."""
    try:
        return _read_hours(text)
    except ValueError:
        return None


def _read_hours(text: str) -> Hours | None:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    ends = list(re.finditer(r"\d[.:]\d\d(?: uur)?", text))
    if not ends:
        return None
    main, rest = text[: ends[-1].end()], text[ends[-1].end() :].strip()
    if rest and rest[0] not in ",;":
        return None
    remark = rest[1:].strip()
    slots: list[Slot] = []
    # "... 17.00 uur en donderdagavond 19.00 ...", "... uur en elke eerste maandag van de maand ..."
    ordinal = "|".join(ORDINALS)
    pieces = re.split(
        rf"(?:(?<=uur)|(?<=\d))\s+en\s+(?=(?:elke\s+|op\s+)?(?:(?:{ordinal})\s+)?{_DAY}\b)", main, flags=re.IGNORECASE
    )
    for piece in pieces:
        slot = _read_part(piece)
        if slot is None:
            return None
        slots.append(slot)
    return Hours(tuple(slots), remark)


# --- writing ------------------------------------------------------------------------------

_ORDINAL_WORDS = {number: word for word, number in ORDINALS.items()}


def _clock(value: dt.time) -> str:
    return f"{value.hour}.{value.minute:02d}"


def _day_list(days: tuple[str, ...]) -> str:
    names = [DAYS_NL[DAY_CODES.index(code)] for code in days]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " en " + names[-1]


def write_slot(slot: Slot) -> str:
    """One slot in Dutch: ``elke maandag en woensdag 10.00 - 18.00 uur``."""
    times = f"{_clock(slot.opens)} - {_clock(slot.closes)} uur"
    if slot.nth is not None:
        return f"elke {_ORDINAL_WORDS[slot.nth]} {_day_list(slot.days)} van de maand, {times}"
    return f"elke {_day_list(slot.days)} {times}"


def write_hours(hours: Hours) -> str:
    """The slots as one Dutch sentence, capitalised, with the remark after a comma."""
    text = " en ".join(write_slot(slot) for slot in hours.slots)
    if hours.remark:
        text += f", {hours.remark}"
    return text[:1].upper() + text[1:]
