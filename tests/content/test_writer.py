"""The writer: every value the models accept is written so that it reads back exactly.

The loader keeps scalars as text, so a value must come back as the same string: YAML must not
fold, trim or reinterpret anything the writer leaves unescaped (line separators, the byte order
mark, leading spaces, ``#``, ``: ``, quotes, backslashes, words other readers take for
booleans or null).
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from pydantic import ValidationError

from wijknet.content.models import Entry
from wijknet.content.validation import validate_loaded
from wijknet.content.writer import double_quoted, render_entry
from wijknet.safe_yaml import load_bytes, parse_front_matter

from .conftest import REPO, entry_data

# the one-line text fields (content key, a value that fills its minimum length)
TEXT_FIELDS = {
    "titel": "Buurtbuik",
    "samenvatting": "Samen eten in de buurt",
    "organisatie": "Stichting",
    "tijden": "Donderdag",
    "kosten": "gratis",
    "contact.naam": "Fatima",
    "locatie.naam": "Buurthuis",
    "locatie.adres": "Balistraat 48A",
    "uitgelicht.reden": "Nieuw",
}

TRICKY = [
    "Buurt\u2028huis",
    "Buurt \u2028 huis",
    "Buurt\u2029 huis",
    "\ufeffBuurthuis",
    "Buurt\ufeffhuis",
    "Buurthuis\ufeff",
    "\u00a0Buurthuis",
    "yes",
    "No",
    "null",
    "NULL",
    "~",
    "y",
    "123",
    "0201234567",
    "0x1F",
    "1e5",
    "12:30",
    "-4.5",
    ".inf",
    "Samen #koken",
    "#koken",
    "Let op: gratis",
    "Let op:",
    "'t Buurthuis",
    '"Het" Buurthuis',
    "Back\\slash \\n \\u0041",
    "- lijst",
    "? vraag",
    "& anker",
    "* ster",
    "!tag",
    "| pijp",
    "> groter",
    "% procent",
    "@at",
    "`code`",
    "[haak]",
    "{accolade}",
    "a, b",
    "Tab\there",
    "Zero\u200bwidth",
    "\u202eomgedraaid",
    "😀 feest",
    "Ωmega ß ø",
    "x" * 100,
    "Buurt" + " en buurt" * 30,
]

DESCRIPTIONS = [
    "Regel een\r\nregel twee",
    "Regel een\r\r\nregel twee",  # a CR before a CRLF
    "Regel een\rregel twee",
    "---\nniet de velden",
    "...\nook niet",
    "\tinspringen met een tab",
    "Lege regels\n\n\n\nmidden in",
    "Spaties aan het eind   \nvan een regel",
    "Scheiding\u2028binnen een regel\u2029en alinea",
    "\ufeffMet een BOM",
    "# Kop\n\n- lijst: met dubbele punt\n- 'aanhalingstekens'",
    "Een lange regel " + "x" * 9000,
]


def _set(data: dict, key: str, value: str) -> None:
    top, _, inner = key.partition(".")
    if inner:
        data.setdefault(top, {})[inner] = value
    else:
        data[top] = value


def _entry(context, changes: dict[str, str], description: str = "") -> Entry | None:
    data = entry_data()
    for key, value in changes.items():
        _set(data, key, value)
    try:
        return Entry.model_validate({**data, "slug": "buurtbuik-oost", "beschrijving": description}, context=context)
    except ValidationError:
        return None


def _reread(context, entry: Entry) -> Entry:
    text = render_entry(entry)
    result = validate_loaded(load_bytes(text.encode("utf-8")), entry.slug, "x.md", context)
    assert result.problems == [], ([p.message() for p in result.problems], text)
    return result.entry


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_text_reads_back_exactly_in_every_text_field(context, value):
    accepted = 0
    for key, filler in TEXT_FIELDS.items():
        for placed in (value, value + " " + filler, filler + " " + value):
            entry = _entry(context, {key: placed})
            if entry is None:
                continue  # too short or too long for this field
            accepted += 1
            assert _reread(context, entry) == entry, (key, placed, render_entry(entry))
    assert accepted >= 3


@pytest.mark.parametrize("description", DESCRIPTIONS)
def test_tricky_descriptions_read_back_exactly(context, description):
    entry = _entry(context, {}, description)
    assert entry is not None
    assert "\r" not in entry.description
    assert _reread(context, entry) == entry


def test_leading_and_trailing_white_space_is_the_models_not_the_writers(context):
    """The models trim one-line text; what they keep, the file keeps."""
    entry = _entry(context, {"titel": "  Buurt\u2028  huis \t", "kosten": "\u2029gratis\u2029"})
    assert (entry.title, entry.cost) == ("Buurt\u2028 huis", "gratis")  # U+2029 is white space to Python and to pydantic
    assert _reread(context, entry) == entry


@pytest.mark.parametrize(
    "text",
    ["\x85", "\u2028", "\u2029", "\ufeff", "\t", "\x00", "\x7f", "\x9b", "\ufffe", "\U0001fffe", '"', "\\", " a ", "é"],
)
def test_a_double_quoted_scalar_reads_back_with_both_parsers(monkeypatch, text):
    """libyaml and PyYAML's own parser (the loader's fallback) read the writer's escapes alike."""
    from wijknet import safe_yaml

    line = "k: " + double_quoted(text)
    assert "\n" not in line and "\r" not in line
    assert parse_front_matter(line)[0] == {"k": text}
    monkeypatch.setattr(safe_yaml, "_Loader", safe_yaml._StrictLoader)
    assert parse_front_matter(line)[0] == {"k": text}


# --- arbitrary text -------------------------------------------------------------------------


def _allowed(char: str) -> bool:
    code = ord(char)
    return not (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


ALLOWED = st.characters(blacklist_categories=("Cs", "Cc")).filter(_allowed)
YAMLISH = st.sampled_from(list("-:[]{}&*!|>'\"#%@`,?~\\ \t\u00a0\u2028\u2029\ufeff\u200b") + ["yes", "null", ": ", " #"])
ONE_LINE = st.lists(ALLOWED | YAMLISH, max_size=40).map("".join)
MULTI_LINE = st.lists(ALLOWED | YAMLISH | st.sampled_from(["\n", "\r", "\r\n", "\n---\n"]), max_size=200).map("".join)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
    database=DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "examples")),
)
@given(data=st.data())
def test_any_accepted_text_reads_back_exactly(context, data):
    changes = {}
    for key, filler in TEXT_FIELDS.items():
        text = data.draw(ONE_LINE, label=key)
        changes[key] = data.draw(st.sampled_from([text, text + filler, filler + text]), label=f"{key} placed")
    entry = _entry(context, changes, data.draw(MULTI_LINE, label="beschrijving"))
    assume(entry is not None)
    assert all(unicodedata.category(char) != "Cc" or char in "\t\n" for char in entry.description)
    assert _reread(context, entry) == entry
