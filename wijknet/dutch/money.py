"""Amounts of money in Dutch text (``kosten``): ``gratis``, ``€ 2,50 per keer``, ``50 cent``.

``kosten`` is free text; :func:`first_amount` finds the amount it starts with, for the
exports that want a number next to the text (HSDS cost options, schema.org offers). The
text itself always travels with it: ``€ 3 per les, met Stadspas gratis`` is more than 3.
"""

from __future__ import annotations

import re
from decimal import Decimal

CURRENCY = "EUR"
"""ISO 4217: the currency of every amount these texts name."""

_FREE = re.compile(r"^\s*(?:helemaal\s+)?gratis\b", re.IGNORECASE)
_EUROS = re.compile(r"(?:€|\beuro\b|\bEUR\b)\s*(?P<whole>\d{1,6})(?:[.,](?P<cents>\d{2}|-{1,2}))?", re.IGNORECASE)
_EUROS_AFTER = re.compile(r"\b(?P<whole>\d{1,6})(?:[.,](?P<cents>\d{2}))?\s*(?:euro|EUR)\b", re.IGNORECASE)
_CENTS = re.compile(r"\b(?P<cents>\d{1,2})\s*cent\b", re.IGNORECASE)


def first_amount(text: str) -> Decimal | None:
    """The amount in euros that ``text`` names first; ``0`` when it starts with ``gratis``;
    None when it names none."""
    if _FREE.match(text):
        return Decimal(0)
    found: list[tuple[int, Decimal]] = []
    for pattern in (_EUROS, _EUROS_AFTER):
        match = pattern.search(text)
        if match:
            cents = match.group("cents") or ""  # "€ 7,-" has none
            found.append((match.start(), Decimal(f"{int(match.group('whole'))}.{cents if cents.isdigit() else '00'}")))
    match = _CENTS.search(text)
    if match:
        found.append((match.start(), Decimal(int(match.group("cents"))) / 100))
    if not found:
        return None
    return min(found)[1]


def plain_amount(amount: Decimal) -> str:
    """``2.50``, ``0``, ``10``: the amount as JSON-friendly text without needless zeros."""
    text = f"{amount:.2f}"
    return text[:-3] if text.endswith(".00") else text
