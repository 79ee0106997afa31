"""agenda.ics: parsed with icalendar, and checked byte-wise for RFC 5545's line rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from wijknet.exports.ical import escape_text, fold

AMS = ZoneInfo("Europe/Amsterdam")


def _calendar(outputs):
    return icalendar.Calendar.from_ical(outputs["agenda.ics"])


def _events(outputs):
    return {str(event["UID"]): event for event in _calendar(outputs).walk("VEVENT")}


def test_upcoming_activities_only(outputs):
    events = _events(outputs)
    assert sorted(events) == ["buurtmarkt-hele-stad@wijknet.example", "concert-in-de-kerk@wijknet.example"]
    # the past activity, the non-activities and the stopped entry are absent
    raw = outputs["agenda.ics"].decode("utf-8")
    assert "lezing-afgelopen" not in raw and "buurtbuik" not in raw and "gestopt" not in raw


def test_event_fields(outputs):
    concert = _events(outputs)["concert-in-de-kerk@wijknet.example"]
    assert str(concert["SUMMARY"]) == "Concert in de kerk, met koffie; en taart"
    assert str(concert["URL"]) == "https://wijknet.example/initiatieven/concert-in-de-kerk/"
    assert str(concert["DESCRIPTION"]).startswith("Een middag muziek in Noord: koor, piano en koffie.")
    assert str(concert["DESCRIPTION"]).endswith("Café-sfeer met thee, taart en een gesprek na afloop voor wie wil blijven.")
    assert str(concert["LOCATION"]) == "Kerk aan het Water, Van der Pekstraat 1, 1031 CN, Amsterdam"
    start, end = concert["DTSTART"].dt, concert["DTEND"].dt
    assert start == dt.datetime(2027, 2, 14, 19, 30, tzinfo=AMS)
    assert start.astimezone(dt.timezone.utc) == dt.datetime(2027, 2, 14, 18, 30, tzinfo=dt.timezone.utc)
    assert end - start == dt.timedelta(minutes=90)
    assert concert["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    # DTSTAMP comes from the build date, not the clock
    assert concert["DTSTAMP"].dt == dt.datetime(2027, 1, 10, tzinfo=dt.timezone.utc)


def test_date_only_event_is_whole_days(outputs):
    market = _events(outputs)["buurtmarkt-hele-stad@wijknet.example"]
    assert market["DTSTART"].dt == dt.date(2027, 3, 1) and not isinstance(market["DTSTART"].dt, dt.datetime)
    assert market["DTEND"].dt == dt.date(2027, 3, 3)  # exclusive: the 1st and the 2nd
    assert "VALUE=DATE" in outputs["agenda.ics"].decode().replace("\r\n ", "")


def test_vtimezone_matches_the_zone(outputs):
    zones = _calendar(outputs).walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Amsterdam"]
    tz = zones[0].to_tz(lookup_tzid=False)  # our own observances, not the system database
    for moment in (dt.datetime(2027, 2, 14, 19, 30), dt.datetime(2027, 7, 1, 12), dt.datetime(2027, 11, 1, 9)):
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=AMS).utcoffset()


def test_lines_are_crlf_and_folded_at_75_octets(outputs):
    raw = outputs["agenda.ics"]
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded
    for line in lines:
        line.decode("utf-8")  # no UTF-8 character split across lines
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_fold_and_escape():
    text = "é" * 100
    folded = fold("DESCRIPTION:" + text)
    physical = folded.encode("utf-8").split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "DESCRIPTION:" + text
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_no_events_gives_a_valid_empty_calendar(fresh_catalog, urls):
    from wijknet.exports.ical import calendar

    later = fresh_catalog(dt.date(2027, 6, 1))
    calendar_bytes = calendar(later, urls)
    parsed = icalendar.Calendar.from_ical(calendar_bytes)
    assert parsed.walk("VEVENT") == [] and parsed.walk("VTIMEZONE") == []
    assert str(parsed["VERSION"]) == "2.0"
