"""Numbers written the Dutch way: a decimal comma and a dot between thousands."""

from __future__ import annotations


def number_nl(value: float, decimals: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (with ``decimals=1``); ``-0`` is written ``0``."""
    text = f"{abs(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    negative = value < 0 and text.strip("0,.") != ""
    return f"-{text}" if negative else text
