"""Dutch opening hours (``tijden``) read as weekly or monthly slots, and written back."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijknet.dutch.hours import DAY_CODES, Hours, Slot, read_hours, write_hours

T = dt.time


@pytest.mark.parametrize(
    ("text", "slots", "remark"),
    [
        ("Elke donderdag 17.30 - 19.30 uur", [(("TH",), T(17, 30), T(19, 30), None)], ""),
        ("Maandag, woensdag en zaterdag 11.00 - 15.00 uur", [(("MO", "WE", "SA"), T(11), T(15), None)], ""),
        ("Dinsdag tot en met donderdag 13.00 - 18.00 uur", [(("TU", "WE", "TH"), T(13), T(18), None)], ""),
        ("Op werkdagen 9.00 - 17.00 uur", [(DAY_CODES[:5], T(9), T(17), None)], ""),
        ("Elke tweede zaterdag van de maand, 13.00 - 16.00 uur", [(("SA",), T(13), T(16), 2)], ""),
        ("Elke laatste vrijdag van de maand, 20.00 - 23.00 uur", [(("FR",), T(20), T(23), -1)], ""),
        ("Dinsdag 14.00 - 17.00 uur en donderdagavond 19.00 - 21.00 uur",
         [(("TU",), T(14), T(17), None), (("TH",), T(19), T(21), None)], ""),
        ("Elke woensdag 14.00 - 16.00 uur, niet in de schoolvakanties", [(("WE",), T(14), T(16), None)], "niet in de schoolvakanties"),
        ("Maandag tot en met vrijdag 9.00 - 12.30 uur; in juli gesloten", [(DAY_CODES[:5], T(9), T(12, 30), None)], "in juli gesloten"),
        ("Elke zaterdag tussen 10.00 en 12.00 uur", [(("SA",), T(10), T(12), None)], ""),
    ],
)  # fmt: skip
def test_structured_hours_are_read(text, slots, remark):
    hours = read_hours(text)
    assert hours == Hours(tuple(Slot(*slot) for slot in slots), remark)


@pytest.mark.parametrize(
    "text",
    [
        "Eén keer per week, in overleg",  # no days, no times
        "Van maart tot oktober elke zaterdag 10.00 - 13.00 uur",  # a season before the days
        "Dinsdag of zaterdag, 9.30 - 13.30 uur",  # either day: not both
        "Dinsdag- en vrijdagavond, start 20.00 uur bij De Boeg",  # a start without an end
        "Telefonisch bereikbaar op werkdagen 9.00 - 17.00 uur",  # words before the days
        "Elke maandag 19.00 - 17.00 uur",  # closes before it opens
        "Elke maandag 25.00 - 26.00 uur",
        "Maandag en maandag 10.00 - 11.00 uur",
        "Vrijdag tot en met maandag 10.00 - 11.00 uur",
        "",
    ],
)
def test_anything_else_is_not_guessed(text):
    assert read_hours(text) is None


_slot = st.builds(
    lambda days, nth, opens, length: Slot(
        tuple(sorted(days, key=DAY_CODES.index))[:1] if nth else tuple(sorted(days, key=DAY_CODES.index)),
        T(opens // 60, opens % 60),
        T((opens + length) // 60, (opens + length) % 60),
        nth,
    ),
    st.sets(st.sampled_from(DAY_CODES), min_size=1, max_size=7),
    st.sampled_from([None, None, 1, 2, 3, 4, -1]),
    st.integers(min_value=0, max_value=22 * 60).map(lambda minutes: minutes - minutes % 5),
    st.integers(min_value=15, max_value=90),
)


@given(st.lists(_slot, min_size=1, max_size=3), st.sampled_from(["", "alleen op afspraak", "niet in juli"]))
def test_written_hours_read_back_to_the_same_slots(slots, remark):
    hours = Hours(tuple(slots), remark)
    assert read_hours(write_hours(hours)) == hours
