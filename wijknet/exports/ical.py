"""``agenda.ics``: the upcoming activities as an iCalendar file (RFC 5545).

Written by hand rather than through a library so the bytes only depend on the content:
CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character), TEXT values with
``\\``, ``;``, ``,`` and newlines escaped. Dates without a time are whole-day events
(``VALUE=DATE``; ``DTEND`` is the day after the last day, as the RFC counts it). Times are
local to the city: ``TZID=<site time zone>`` with a ``VTIMEZONE`` that lists the zone's real
transitions over the years the events span. ``DTSTAMP`` is the build date at 00:00 UTC,
never the clock, so the same build gives the same file.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.dutch.moments import local_moment, zone
from wijknet.engine.urls import Urls

UTC = dt.timezone.utc
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded to at most 75 octets per physical line, CRLF-terminated."""
    raw = line.encode("utf-8")
    pieces: list[bytes] = []
    limit = MAX_OCTETS
    while len(raw) > limit:
        cut = limit
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:  # do not split a UTF-8 character
            cut -= 1
        pieces.append(raw[:cut])
        raw = raw[cut:]
        limit = MAX_OCTETS - 1  # continuation lines start with a space
    pieces.append(raw)
    return "\r\n ".join(piece.decode("utf-8") for piece in pieces) + "\r\n"


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local_stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _transitions(tz: ZoneInfo, first_year: int, last_year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta, str]]:
    """(UTC moment, offset before, offset after, name after) for each change in the range."""
    found = []
    cursor = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=UTC)
    offset = cursor.astimezone(tz).utcoffset()
    step = dt.timedelta(hours=6)
    while cursor < end:
        following = cursor + step
        new_offset = following.astimezone(tz).utcoffset()
        if new_offset != offset:
            low, high = cursor, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(microsecond=0), offset, new_offset, high.astimezone(tz).tzname() or ""))
            offset = new_offset
        cursor = following
    return found


def _offset_text(offset: dt.timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def vtimezone(tz: ZoneInfo, name: str, first_year: int, last_year: int) -> list[str]:
    """A VTIMEZONE for ``name`` with every transition from the year before ``first_year``."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    transitions = _transitions(tz, first_year - 1, last_year)
    if not transitions:
        start = dt.datetime(first_year - 1, 1, 1, tzinfo=UTC).astimezone(tz)
        offset = start.utcoffset()
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{_offset_text(offset)}",
            f"TZOFFSETTO:{_offset_text(offset)}",
            f"TZNAME:{escape_text(start.tzname() or name)}",
            "END:STANDARD",
        ]
    for moment, before, after, tzname in transitions:
        kind = "DAYLIGHT" if moment.astimezone(tz).dst() else "STANDARD"
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{_local_stamp((moment + before).replace(tzinfo=None))}",
            f"TZOFFSETFROM:{_offset_text(before)}",
            f"TZOFFSETTO:{_offset_text(after)}",
            f"TZNAME:{escape_text(tzname)}",
            f"END:{kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def _when_lines(entry: Entry, tzid: str) -> list[str]:
    start, end = entry.when.start, entry.when.end
    if not isinstance(start, dt.datetime):
        last = end.date() if isinstance(end, dt.datetime) else (end or start)
        return [
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(last + dt.timedelta(days=1)).strftime('%Y%m%d')}",
        ]
    lines = [f"DTSTART;TZID={tzid}:{_local_stamp(start)}"]
    if end is not None:
        # DTEND has the type of DTSTART: a bare end day means "until the end of that day".
        end_moment = end if isinstance(end, dt.datetime) else dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0))
        lines.append(f"DTEND;TZID={tzid}:{_local_stamp(end_moment)}")
    return lines


def _location(entry: Entry, city: str) -> str | None:
    location = entry.location
    if location is None:
        return None
    place = ", ".join(part for part in (location.address, location.postcode) if part)
    parts = [part for part in (location.name, place) if part]
    if place:
        parts.append(city)
    return ", ".join(parts) or None


def event_lines(catalog: Catalog, urls: Urls, entry: Entry) -> list[str]:
    """The unfolded content lines of one VEVENT."""
    settings = catalog.settings
    tz = zone(settings.timezone)
    stamp = dt.datetime.combine(catalog.today, dt.time(0, 0), tzinfo=UTC)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{entry.slug}@{settings.host}",
        f"DTSTAMP:{_utc_stamp(stamp)}",
        *_when_lines(entry, settings.timezone),
        f"SUMMARY:{escape_text(entry.title)}",
        f"DESCRIPTION:{escape_text(entry.summary)}",
        f"URL:{urls.absolute(urls.entry(entry.slug))}",
        f"LAST-MODIFIED:{_utc_stamp(local_moment(entry.checked, tz))}",
    ]
    location = _location(entry, settings.city_name)
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if entry.location is not None and entry.location.lat is not None and entry.location.lon is not None:
        lines.append(f"GEO:{entry.location.lat!r};{entry.location.lon!r}")
    if entry.organisation and entry.contact is not None and entry.contact.email:
        lines.append(f"ORGANIZER;CN={_param(entry.organisation)}:mailto:{entry.contact.email}")
    categories = [catalog.taxonomy.themes.label(theme) for theme in entry.themes]
    lines.append("CATEGORIES:" + ",".join(escape_text(label) for label in categories))
    if entry.status == "gepauzeerd":
        lines.append("STATUS:TENTATIVE")
    else:
        lines.append("STATUS:CONFIRMED")
    lines.append("END:VEVENT")
    return lines


def _param(value: str) -> str:
    """A parameter value: quoted, without the characters a quoted value cannot hold."""
    cleaned = value.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{cleaned}"'


def calendar(catalog: Catalog, urls: Urls) -> bytes:
    """``agenda.ics``: every upcoming activity, in agenda order."""
    settings = catalog.settings
    events = list(catalog.upcoming_activities)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//wijknet//{escape_text(settings.site_name)}//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('Agenda ' + settings.site_name)}",
        f"X-WR-TIMEZONE:{settings.timezone}",
    ]
    timed = [e for e in events if isinstance(e.when.start, dt.datetime)]
    if timed:
        years = [e.when.start.year for e in timed] + [e.when.end.year for e in timed if e.when.end is not None]
        lines += vtimezone(zone(settings.timezone), settings.timezone, min(years), max(years))
    for entry in events:
        lines += event_lines(catalog, urls, entry)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")
