"""Which characters text may hold: one rule for the models, the loader, the service and the form.

No field may hold the C0 control characters except tab, DEL, the C1 controls (NEL
included), lone surrogates or Unicode noncharacters. They are invisible, YAML readers refuse
them or read them differently (NEL becomes a line break), git refuses NUL in a commit message
and terminals act on ESC. Line feed and carriage return are C0 too: a multi-line field (the
description) may hold them, a one-line field refuses them with its own message.

The rule is a table of code point ranges (:data:`REFUSED`), each with a name (the words
people read are in :mod:`wijknet.content.messages`). Python finds them with a regular
expression built from the table; :func:`javascript_pattern` gives the same class for
``form.js``; the content rule table (:mod:`wijknet.content.rules`) hands the rule to the models.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

LINE_BREAKS = "\n\r"
"""Allowed only in multi-line text."""


@dataclass(frozen=True)
class CharacterRange:
    """Code points ``first`` to ``last`` (inclusive) that no text may hold; ``name`` selects
    the name shown to people (message ``character_<name>``)."""

    first: int
    last: int
    name: str


def _noncharacters() -> tuple[CharacterRange, ...]:
    """The last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, ... U+10FFFF)."""
    return tuple(CharacterRange(plane * 0x10000 + 0xFFFE, plane * 0x10000 + 0xFFFF, "noncharacter") for plane in range(17))


REFUSED: tuple[CharacterRange, ...] = (
    CharacterRange(0x00, 0x00, "nul"),
    CharacterRange(0x01, 0x06, "c0"),
    CharacterRange(0x07, 0x07, "bel"),
    CharacterRange(0x08, 0x08, "backspace"),
    # 0x09 tab, 0x0A line feed: allowed (line feed only in multi-line text)
    CharacterRange(0x0B, 0x0B, "vertical_tab"),
    CharacterRange(0x0C, 0x0C, "form_feed"),
    # 0x0D carriage return: only in multi-line text
    CharacterRange(0x0E, 0x1A, "c0"),
    CharacterRange(0x1B, 0x1B, "escape"),
    CharacterRange(0x1C, 0x1F, "c0"),
    CharacterRange(0x7F, 0x7F, "delete"),
    CharacterRange(0x80, 0x84, "c1"),
    CharacterRange(0x85, 0x85, "next_line"),
    CharacterRange(0x86, 0x9F, "c1"),
    CharacterRange(0xD800, 0xDFFF, "surrogate"),
    CharacterRange(0xFDD0, 0xFDEF, "noncharacter"),
    *_noncharacters(),
)
"""In code point order, without overlaps."""

NAMES: tuple[str, ...] = tuple(dict.fromkeys(entry.name for entry in REFUSED))
"""Every name a refused character can have."""


_FIRSTS = tuple(entry.first for entry in REFUSED)


def _range_of(code: int) -> CharacterRange | None:
    at = bisect.bisect_right(_FIRSTS, code) - 1
    return REFUSED[at] if at >= 0 and code <= REFUSED[at].last else None


def _candidate_class() -> str:
    """The refused ranges of the first plane as they are, the rest as one span from the first
    refused code point above it: Python's ``re`` tests a class of first-plane characters with a
    bitmap, but every range above it one by one, which is much slower.
    A character in that span is checked against the table (:func:`_range_of`)."""
    first_plane = [(entry.first, entry.last) for entry in REFUSED if entry.last <= 0xFFFF]
    above = [entry for entry in REFUSED if entry.last > 0xFFFF]
    if above:
        first_plane.append((above[0].first, above[-1].last))
    return "[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in first_plane) + "]"


_CANDIDATES = re.compile(_candidate_class())


def _refused_matches(text: str):
    for found in _CANDIDATES.finditer(text):
        if _range_of(ord(found.group())) is not None:
            yield found


def first_refused(text: str) -> str | None:
    """The first character of ``text`` that no text may hold, or None."""
    return next((found.group() for found in _refused_matches(text)), None)


def refused_positions(text: str) -> list[int]:
    """The index of every refused character in ``text``."""
    return [found.start() for found in _refused_matches(text)]


def remove_refused(text: str) -> str:
    """``text`` without its refused characters."""
    return _CANDIDATES.sub(lambda found: "" if _range_of(ord(found.group())) else found.group(), text)


def is_refused(char: str) -> bool:
    """Whether no text may hold ``char`` (one character)."""
    return _range_of(ord(char)) is not None


def name_of(char: str) -> str:
    """The name of a refused character (``bel``, ``c1``, ...); ``""`` for an allowed one."""
    entry = _range_of(ord(char))
    return entry.name if entry is not None else ""


def code_point(char: str) -> str:
    """``U+0007``: how a character is named in messages."""
    return f"U+{ord(char):04X}"


def javascript_pattern() -> str:
    """The same character class for a JavaScript ``RegExp`` with the ``u`` flag (with it, the
    class also matches a lone surrogate, and only a lone one)."""
    parts = []
    for entry in REFUSED:
        first, last = f"\\u{{{entry.first:X}}}", f"\\u{{{entry.last:X}}}"
        parts.append(first if entry.first == entry.last else f"{first}-{last}")
    return "[" + "".join(parts) + "]"
