"""The rule table of an entry: defined once, read by everything that checks an entry.

Three tables live here:

- :data:`LIMITS`: lengths, counts and ranges per field, by content key (``contact.email``);
- :data:`KIND_RULES`: which keys each ``soort`` requires or forbids (everything else is allowed);
- :data:`PATTERNS`: the shapes of postcodes, phone numbers, dates and so on.

Beside them, the character rule of every field (:func:`refused_character`): the table of
:mod:`wijknet.characters`, kept below this module so the file loader applies it too.

The models (:mod:`wijknet.content.models`) are declared from these tables; the JSON Schema,
the submission service's intake and the web form's configuration (``form.js``) derive from
the models and from these tables. A pattern is written once in Python syntax;
:func:`portable_pattern` turns it into the anchored form that JavaScript and JSON Schema use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from wijknet import characters

# --- kinds --------------------------------------------------------------------------------

INITIATIVE = "initiatief"
QUESTION = "vraag"
ACTIVITY = "activiteit"
FACILITY = "voorziening"

QUESTION_OPEN_DAYS = 90
"""A question without ``verloopt`` stays open this many days after ``gecontroleerd``."""


# --- limits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Bounds of one field: text length, list length or a number range (all inclusive)."""

    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    ge: float | None = None
    le: float | None = None

    @property
    def low(self) -> int | None:
        """The lower bound on the length or the number of items."""
        return self.min_items if self.min_items is not None else self.min_length

    @property
    def high(self) -> int | None:
        """The upper bound on the length or the number of items."""
        return self.max_items if self.max_items is not None else self.max_length

    def field_kwargs(self) -> dict[str, Any]:
        """The pydantic ``Field`` constraints for these limits."""
        items = {"min_length": self.min_items, "max_length": self.max_items}
        text = {"min_length": self.min_length, "max_length": self.max_length}
        numbers = {"ge": self.ge, "le": self.le}
        chosen = items if (self.min_items is not None or self.max_items is not None) else text
        return {key: value for key, value in {**chosen, **numbers}.items() if value is not None}


LIMITS: Mapping[str, Limits] = MappingProxyType(
    {
        "titel": Limits(min_length=3, max_length=100),
        "samenvatting": Limits(min_length=10, max_length=300),
        "themas": Limits(min_items=1, max_items=5),
        "doelgroepen": Limits(max_items=10),
        "werkgebied": Limits(min_items=1, max_items=10),
        "organisatie": Limits(min_length=1, max_length=120),
        "tijden": Limits(min_length=1, max_length=200),
        "kosten": Limits(min_length=1, max_length=100),
        "talen": Limits(max_items=20),
        "beschrijving": Limits(max_length=10_000),
        "contact.naam": Limits(min_length=1, max_length=120),
        "contact.email": Limits(max_length=254),
        "contact.telefoon": Limits(max_length=40),
        "contact.website": Limits(max_length=300),
        "locatie.naam": Limits(min_length=1, max_length=120),
        "locatie.adres": Limits(min_length=1, max_length=200),
        "locatie.postcode": Limits(max_length=10),
        "locatie.lat": Limits(ge=-90, le=90),
        "locatie.lon": Limits(ge=-180, le=180),
        "uitgelicht.reden": Limits(min_length=1, max_length=200),
        # the submitter's own contact: only moderators see it, it is never written to the repository
        "inzender.naam": Limits(max_length=120),
        "inzender.email": Limits(max_length=254),
        "inzender.telefoon": Limits(max_length=40),
    }
)


# --- per-kind rules -----------------------------------------------------------------------


@dataclass(frozen=True)
class KindRule:
    """The keys one kind must have and the keys it must not have; the rest is optional."""

    required: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleKey:
    """A key some kinds require or forbid, with the problem codes for each breach.

    ``needs``: for a part (``wanneer``), the inner keys without which it counts as missing.
    """

    key: str
    required_code: str | None = None
    forbidden_code: str | None = None
    needs: tuple[str, ...] = ()


RULE_KEYS: tuple[RuleKey, ...] = (
    RuleKey("contact", required_code="contact_required"),
    RuleKey("wanneer", required_code="when_required", forbidden_code="when_not_allowed", needs=("start",)),
    RuleKey("verloopt", forbidden_code="expires_not_allowed"),
)
"""In the order their problems are reported."""

KIND_RULES: Mapping[str, KindRule] = MappingProxyType(
    {
        INITIATIVE: KindRule(required=frozenset({"contact"}), forbidden=frozenset({"wanneer", "verloopt"})),
        QUESTION: KindRule(required=frozenset({"contact"}), forbidden=frozenset({"wanneer"})),
        ACTIVITY: KindRule(required=frozenset({"contact", "wanneer"}), forbidden=frozenset({"verloopt"})),
        FACILITY: KindRule(forbidden=frozenset({"wanneer", "verloopt"})),
    }
)

OTHER_KIND = KindRule(forbidden=frozenset({"wanneer", "verloopt"}))
"""The rule for a kind a city adds to its taxonomy without a rule of its own."""


def kind_rule(kind: str) -> KindRule:
    """The rule of ``kind``."""
    return KIND_RULES.get(kind, OTHER_KIND)


def kinds_requiring(key: str) -> tuple[str, ...]:
    """The kinds that require ``key``, in table order."""
    return tuple(kind for kind, rule in KIND_RULES.items() if key in rule.required)


def kinds_allowing(key: str) -> tuple[str, ...]:
    """The kinds that do not forbid ``key``, in table order."""
    return tuple(kind for kind, rule in KIND_RULES.items() if key not in rule.forbidden)


@dataclass(frozen=True)
class Breach:
    """One broken per-kind rule: the key, whether it is missing (else: there but not allowed), the problem code."""

    key: str
    missing: bool
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def kind_breaches(
    kind: str, filled: Callable[[str], bool], present: Callable[[str], bool] | None = None
) -> list[Breach]:
    """Every per-kind rule ``kind`` breaks, in :data:`RULE_KEYS` order.

    ``filled(key)`` says whether a required key has a value; ``present(key)`` whether a
    forbidden key is there at all (defaults to ``filled``).
    """
    present = present or filled
    rule = kind_rule(kind)
    breaches: list[Breach] = []
    for rule_key in RULE_KEYS:
        if rule_key.key in rule.required and rule_key.required_code and not filled(rule_key.key):
            breaches.append(Breach(rule_key.key, True, rule_key.required_code, {"kind": kind}))
        if rule_key.key in rule.forbidden and rule_key.forbidden_code and present(rule_key.key):
            breaches.append(Breach(rule_key.key, False, rule_key.forbidden_code, {"kind": kind}))
    return breaches


# --- rules inside a part ------------------------------------------------------------------



@dataclass(frozen=True)
class PartRule:
    """A rule between the keys of one part, with the problem code when it is broken."""

    keys: tuple[str, ...]
    code: str


ONE_OF_REQUIRED: Mapping[str, PartRule] = MappingProxyType(
    {"contact": PartRule(("email", "telefoon", "website"), "contact_empty")}
)
"""A part that is given needs at least one of these keys."""

TOGETHER: Mapping[str, PartRule] = MappingProxyType({"locatie": PartRule(("lat", "lon"), "lat_lon_pair")})
"""Keys of a part that are given together or not at all."""


# --- characters ---------------------------------------------------------------------------

CHARACTER_CODE = "bad_character"
"""The problem code of a character no field may hold."""

@dataclass(frozen=True)
class RefusedCharacter:
    """A character no field may hold, as a problem: ``U+0007`` and its name (``bel``)."""

    char: str

    @property
    def params(self) -> dict[str, str]:
        return {"char": characters.code_point(self.char), "name": characters.name_of(self.char)}


def refused_character(text: str) -> RefusedCharacter | None:
    """The first character of ``text`` that breaks the character rule, or None. The rule is the
    same for every field; line breaks are left to the one-line check of the one-line fields."""
    char = characters.first_refused(text)
    return RefusedCharacter(char) if char is not None else None


# --- patterns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A shape a value must have, matched against the whole value.

    ``regex`` is Python syntax and may name its groups for the model to read; it must not use
    what Python and JavaScript read differently (see :func:`portable_pattern`). ``code`` is
    the problem code for a value that does not match. ``accepts`` and ``rejects`` are
    examples, checked by the tests in both languages.
    """

    regex: str
    code: str
    accepts: tuple[str, ...]
    rejects: tuple[str, ...]

    def match(self, text: str) -> re.Match[str] | None:
        return re.fullmatch(self.regex, text)

    @property
    def portable(self) -> str:
        return portable_pattern(self.regex)


PATTERNS: Mapping[str, Pattern] = MappingProxyType(
    {
        # four digits (not starting with 0), two letters; SA, SD and SS are never issued
        "postcode": Pattern(
            r"\s*(?P<digits>[1-9][0-9]{3})\s?(?![Ss][AaDdSs])(?P<letters>[A-Za-z]{2})\s*",
            "postcode",
            accepts=("1094 JN", "1094jn", " 1011 AB ", "9999 ZZ"),
            rejects=("0123 AB", "1094 SA", "1094 ss", "1094 J", "10945 JN", "1094  JN", "JN 1094"),
        ),
        # the form's quick check; the model asks libphonenumber for the city's region
        "phone": Pattern(
            r"[ ()+.-]*(?:[0-9][ ()+.-]*){9,15}",
            "phone",
            accepts=("020 123 4567", "+31 6 12345678", "(020) 123-45.67", "0201234567"),
            rejects=("12345678", "020 123 4567 x", "0800-FLOWERS", "+31 20 123 4567 8901 2345"),
        ),
        # the form's quick check; the model asks email-validator
        "email": Pattern(
            r"[^\s@]+@[^\s@]+\.[^\s@]{2,}",
            "email",
            accepts=("info@buurthuis.nl", "a.b+c@x.amsterdam"),
            rejects=("info@buurthuis", "info buurthuis.nl", "a@b.c", "a@@b.nl"),
        ),
        "website": Pattern(
            r'https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]{1,5})?(?:[/?#][^\s<>"]*)?',
            "url",
            accepts=("https://buurthuis.nl", "http://a.b.amsterdam:8080/x?y=1#z"),
            rejects=("buurthuis.nl", "ftp://buurthuis.nl", "https://localhost", "https://a.nl/<script>"),
        ),
        "date": Pattern(
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
            "date_format",
            accepts=("2026-11-01",),
            rejects=("1-11-2026", "2026-11-1", "2026/11/01", "2026-11-01 10:00"),
        ),
        # a date, or a date with a time (``2027-01-15 19:30``)
        "moment": Pattern(
            r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
            r"(?:[T ](?P<hour>[0-9]{1,2})[:.](?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?)?",
            "moment_format",
            accepts=("2027-01-15", "2027-01-15 19:30", "2027-01-15T9.30", "2027-01-15 19:30:15"),
            rejects=("2027-01-15 19", "15-01-2027", "2027-01-15 19:30:1", "2027-01-15  19:30"),
        ),
        # what the form takes as a coordinate (a comma is read as a decimal point)
        "number": Pattern(
            r"-?[0-9]+(?:[.,][0-9]+)?",
            "float_parsing",
            accepts=("52.3652", "-4", "4,9"),
            rejects=("52.", "abc", "1e5", "+4"),
        ),
        # the form's quick check; the model checks the ISO 639-1 list
        "language": Pattern(r"[a-z]{2}", "language", accepts=("nl", "ar"), rejects=("NL", "nld", "n")),
    }
)

FIELD_PATTERNS: Mapping[str, str] = MappingProxyType(
    {
        "contact.email": "email",
        "contact.telefoon": "phone",
        "contact.website": "website",
        "locatie.postcode": "postcode",
        "locatie.lat": "number",
        "locatie.lon": "number",
        "wanneer.start": "moment",
        "wanneer.einde": "moment",
        "talen": "language",
        "verloopt": "date",
        "gecontroleerd": "date",
        "uitgelicht.tot": "date",
        "inzender.email": "email",
        "inzender.telefoon": "phone",
    }
)
"""Which pattern each field's value (or each item of a list) must match."""

# Constructs that JavaScript reads differently from Python (Unicode \d, \w and \b in
# Python; end-of-text anchors; inline flags; named back-references; possessive and atomic
# groups, unknown to JavaScript).
_NOT_PORTABLE = re.compile(r"\\[dDwWbBAZ]|\(\?[aiLmsux-]|\(\?P=|\(\?>|[*+?}][+]")


def portable_pattern(regex: str) -> str:
    """``regex`` anchored at both ends, in the syntax Python, JavaScript and JSON Schema share.

    Named groups become plain groups; anything whose meaning differs between the two
    engines raises :class:`ValueError` instead of matching something else in the browser.
    """
    found = _NOT_PORTABLE.search(_without_escaped_backslashes(regex))
    if found:
        raise ValueError(f"not portable to JavaScript: {found.group(0)!r} in {regex!r}")
    return "^(?:" + re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(?:", regex) + ")$"


def _without_escaped_backslashes(regex: str) -> str:
    return regex.replace("\\\\", "")


# --- languages ----------------------------------------------------------------------------

LANGUAGE_CODES = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy
    hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li
    ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa
    pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th
    ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
)
"""ISO 639-1: every two-letter language code."""


FIELD_LABELS: dict[str, str] = {
    "titel": "Titel",
    "themas": "Thema's",
    "doelgroepen": "Doelgroepen",
    "werkgebied": "Werkgebied",
    "organisatie": "Organisatie",
    "contact": "Contact",
    "contact.naam": "Naam contactpersoon",
    "contact.email": "E-mailadres",
    "contact.telefoon": "Telefoonnummer",
    "contact.website": "Website",
    "locatie": "Locatie",
    "locatie.naam": "Naam van de plek",
    "locatie.adres": "Adres",
    "locatie.postcode": "Postcode",
    "locatie.lat": "Breedtegraad",
    "locatie.lon": "Lengtegraad",
    "wanneer": "Wanneer",
    "wanneer.start": "Begin",
    "wanneer.einde": "Einde",
    "tijden": "Tijden",
    "kosten": "Kosten",
    "talen": "Talen",
    "verloopt": "Vraag staat open tot",
    "beschrijving": "Beschrijving",
}
"""The Dutch name of each content field (dotted for nested parts), as forms show it; a form
that words a field differently (the public form, the moderators' desk) overrides it."""
