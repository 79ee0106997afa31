"""Slugs: the URL-safe identifiers used for taxonomy ids and page slugs.

The rule (see the content format contract, section "Taxonomy"): lower case,
accents transliterated, every run of characters other than ``a-z0-9``
becomes one hyphen, and no hyphen at either end.

>>> slugify("Indische Buurt West")
'indische-buurt-west'
>>> slugify("Oud-West, De Baarsjes")
'oud-west-de-baarsjes'
>>> slugify("Nieuwmarkt/Lastage")
'nieuwmarkt-lastage'
>>> slugify("Hoofdweg e.o.")
'hoofdweg-e-o'
>>> slugify("Chassébuurt")
'chassebuurt'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["SLUG_PATTERN", "SLUG_MIN_LENGTH", "SLUG_MAX_LENGTH", "SPECIAL_LETTERS", "slugify", "is_valid_slug"]

#: Regular expression (as a string, for reuse in JSON Schema) that a valid slug matches.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

#: Inclusive length bounds of a valid slug.
SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 80

_SLUG_RE = re.compile(SLUG_PATTERN)
_SEPARATOR_RUN = re.compile(r"[^a-z0-9]+")

#: Letters that NFKD does not decompose into an ASCII base letter plus marks.
#: Applied after lower-casing, so only lower-case forms are needed.
SPECIAL_LETTERS: dict[str, str] = {
    "ß": "ss",
    "æ": "ae",
    "ø": "o",
    "ĳ": "ij",  # NFKD handles the ligature too; kept explicit for clarity
    "œ": "oe",
    "đ": "d",
    "ł": "l",
    "þ": "th",
}
_SPECIAL_LETTERS = str.maketrans(SPECIAL_LETTERS)


def slugify(text: str) -> str:
    """Return the slug of ``text``.

    The text is lower-cased, special letters are transliterated (``ß`` -> ``ss``,
    ``æ`` -> ``ae``, ``ø`` -> ``o``, ``ĳ`` -> ``ij``), the rest is decomposed with
    Unicode NFKD and its combining marks are dropped (``é`` -> ``e``). Every run of
    characters other than ``a-z`` and ``0-9`` then becomes a single hyphen, and
    hyphens at either end are removed.

    The result may be empty or too short to be a valid slug (for text without
    letters or digits); use :func:`is_valid_slug` to check it.
    """
    lowered = text.lower().translate(_SPECIAL_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD may produce upper-case letters from compatibility characters; lower again.
    ascii_text = without_marks.lower()
    return _SEPARATOR_RUN.sub("-", ascii_text).strip("-")


def is_valid_slug(s: str) -> bool:
    """Return whether ``s`` is a valid slug: matches :data:`SLUG_PATTERN`, 3 to 80 characters."""
    return (
        isinstance(s, str)
        and SLUG_MIN_LENGTH <= len(s) <= SLUG_MAX_LENGTH
        and _SLUG_RE.fullmatch(s) is not None
    )
