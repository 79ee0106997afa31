"""Amounts in ``kosten``: the first amount of a Dutch text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wijknet.dutch.money import first_amount, plain_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("gratis", "0"),
        ("Gratis, een gift mag", "0"),
        ("€ 2,50 per keer, met Stadspas € 1", "2.50"),
        ("€ 10, met Stadspas gratis", "10"),
        ("€7,- per les", "7"),
        ("3 euro", "3"),
        ("EUR 12.50 per maand", "12.50"),
        ("koffie en thee 50 cent", "0.50"),
        ("koffie 50 cent, lunch € 3", "0.50"),  # the first amount the text names
        ("lage prijzen, gemiddeld een derde van de supermarktprijs", None),
        ("voor wie gratis wil meedoen", None),  # "gratis" at the start only
    ],
)
def test_first_amount(text, amount):
    found = first_amount(text)
    assert (plain_amount(found) if found is not None else None) == amount


def test_plain_amount_has_no_needless_zeros():
    assert [plain_amount(Decimal(v)) for v in ("0", "2.5", "10.00", "0.05")] == ["0", "2.50", "10", "0.05"]
