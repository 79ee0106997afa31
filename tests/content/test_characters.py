"""One character rule for every field: the rule itself, the models, the loader, ``wijknet
validate`` and the browser's copy of the rule.

Refused: C0 controls except tab (line feed and carriage return only in the description), DEL,
C1 (NEL included), lone surrogates and noncharacters. The tests hold the rule's table to an
independent definition from the Unicode categories.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import unicodedata

import pytest
from pydantic import ValidationError

from wijknet import characters
from wijknet.content import messages
from wijknet.content.models import Entry
from wijknet.content.validation import pydantic_problems
from wijknet.safe_text import escape_controls
from wijknet.safe_yaml import load_bytes
from wijknet.submissions import form

from .conftest import REPO, TODAY, entry_data, entry_text, line_of


def refused_by_unicode(char: str) -> bool:
    """The rule from Unicode's own categories: Cc (C0, DEL, C1) but tab and line breaks,
    Cs (surrogates) and the 66 noncharacters."""
    if char in "\t\n\r":
        return False
    code = ord(char)
    return unicodedata.category(char) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def ranges_of(codes: list[int]) -> list[list[int]]:
    found: list[list[int]] = []
    for code in codes:
        if found and found[-1][1] == code - 1:
            found[-1][1] = code
        else:
            found.append([code, code])
    return found


REFUSED_CODES = [code for code in range(0x110000) if refused_by_unicode(chr(code))]

# One of each kind, with the name people read
SAMPLES = {
    "\x00": "nulteken",
    "\x07": "bel-teken",
    "\x1b": "escape-teken",
    "\x01": "onzichtbaar stuurteken",
    "\x7f": "wisteken",
    "\x85": "volgende-regel-teken NEL",
    "\x9b": "onzichtbaar stuurteken",
    "\ufdd0": "geen geldig teken",
    "\ufffe": "geen geldig teken",
    "\uffff": "geen geldig teken",
    "\U0010ffff": "geen geldig teken",
}


def test_the_rule_is_the_unicode_definition():
    table = [[entry.first, entry.last] for entry in characters.REFUSED]
    assert sorted(table) == table and all(a[1] < b[0] for a, b in zip(table, table[1:]))
    assert ranges_of([code for first, last in table for code in range(first, last + 1)]) == ranges_of(REFUSED_CODES)
    assert [code for code in range(0x110000) if characters.is_refused(chr(code))] == REFUSED_CODES
    assert characters.first_refused("Buurt\thuis\r\n\u2028\ufeff😀 zijn") is None
    assert characters.first_refused("a\ud800b\x07") == "\ud800"


def test_every_refused_character_has_a_name_in_both_languages():
    for name in characters.NAMES:
        for lang in messages.LANGUAGES:
            assert messages.MESSAGES[f"character_{name}"][lang]
    for char, name in SAMPLES.items():
        assert messages.render(f"character_{characters.name_of(char)}", "nl") == name


def test_what_a_moderator_sees_escaped_includes_everything_refused():
    """Commit messages and ``wijknet review`` escape at least what the rule refuses."""
    for code in REFUSED_CODES[:200] + REFUSED_CODES[-80:]:
        assert escape_controls(f"a{chr(code)}b") != f"a{chr(code)}b", hex(code)


def test_the_browser_reads_the_same_rule():
    """form.js builds ``RegExp(pattern, "u")`` from the form configuration: in node it refuses
    exactly the code points Python refuses, lone surrogates included, and names them alike."""
    node = shutil.which("node")
    assert node, "node is needed for this test (make install)"
    config = form.characters_config()
    script = textwrap.dedent(
        """
        const config = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const regex = new RegExp(config.pattern, "u");
        const ranges = [];
        for (let code = 0; code < 0x110000; code++) {
          if (!regex.test(String.fromCodePoint(code))) continue;
          const last = ranges[ranges.length - 1];
          if (last && last[1] === code - 1) last[1] = code; else ranges.push([code, code]);
        }
        const paired = regex.test("\\ud83d\\ude00");  // a surrogate pair is one allowed character
        process.stdout.write(JSON.stringify({ranges, paired}));
        """
    )
    done = subprocess.run([node, "-e", script], input=json.dumps(config), capture_output=True, text=True, check=True)
    answer = json.loads(done.stdout)
    assert answer["ranges"] == ranges_of(REFUSED_CODES)
    assert answer["paired"] is False
    names = {tuple(entry[:2]): entry[2] for entry in config["names"]}
    assert names[(0x07, 0x07)] == "bel-teken" and names[(0x85, 0x85)] == "volgende-regel-teken NEL"
    assert form.js_config(form.build_form(_taxonomy()), endpoint="", repository="a/b", branch="main", content_dir="c")[
        "messages"
    ]["bad_character"].startswith("{label} bevat een teken dat niet mag: {char} ({name}).")


def _taxonomy():
    from wijknet.project import Project

    return Project.at(REPO).load_taxonomy()


# --- the models: every field, characters written as YAML escapes -----------------------------

# (content key, a valid value to put the character in)
FIELDS = [
    ("titel", "Buurtbuik Oost"),
    ("samenvatting", "Elke donderdag gratis samen eten met buurtgenoten."),
    ("organisatie", "Stichting Buurtbuik"),
    ("tijden", "Elke donderdag"),
    ("kosten", "gratis"),
    ("contact.naam", "Fatima El Amrani"),
    ("contact.email", "oost@buurtbuik.example"),
    ("contact.telefoon", "020 123 4567"),
    ("contact.website", "https://buurtbuik.example/oost"),
    ("locatie.naam", "Buurthuis De Meevaart"),
    ("locatie.adres", "Balistraat 48A"),
    ("locatie.postcode", "1094 JN"),
    ("uitgelicht.tot", "2026-12-31"),
    ("soort", "initiatief"),
    ("themas", "armoede"),
    ("talen", "nl"),
    ("gecontroleerd", "2026-11-01"),
    ("status", "actief"),
]


def line_of_key(text: str, key: str) -> int:
    """The line the loader gives ``key`` (dotted) in ``text``; of a list, its first item's."""
    lines = load_bytes(text.encode("utf-8")).lines
    loc = tuple(key.split("."))
    return lines.get((*loc, 0), lines[loc])


def _with_char(value: str, char: str) -> str:
    return value[:2] + char + value[2:]


def _set(data: dict, key: str, value: str) -> None:
    top, _, inner = key.partition(".")
    if inner:
        data[top][inner] = value
    elif isinstance(data[top], list):
        data[top] = [value, *data[top][1:]]
    else:
        data[top] = value


@pytest.mark.parametrize("char", sorted(SAMPLES))
@pytest.mark.parametrize(("key", "value"), FIELDS)
def test_a_refused_character_in_any_field_is_named_with_field_and_line(check, key, value, char):
    """PyYAML writes the character as an escape (``"Bu\\aurtbuik Oost"``), or as it is where YAML
    allows it (noncharacters): the models or the loader refuse it, naming field and line."""
    data = entry_data()
    _set(data, key, _with_char(value, char))
    text = entry_text(data)
    line = line_of_key(entry_text(entry_data()), key)
    result = check(text)
    assert result.entry is None
    assert [(p.key, p.code, p.line, p.params["char"]) for p in result.problems] == [
        (key, "bad_character", line, characters.code_point(char))
    ]
    [problem] = result.problems
    code = characters.code_point(char)
    assert problem.message("nl") == f"'{key}' bevat een teken dat niet mag: {code} ({SAMPLES[char]}). Haal het weg."
    assert problem.message("en").startswith(f"'{key}' contains a character that is not allowed: {code} (")


@pytest.mark.parametrize("char", sorted(SAMPLES) + ["\ud800"])
def test_the_models_refuse_the_character_before_any_other_check(context, char):
    """Straight into the model (as the service does): the character is the problem, not a
    phone number or postcode that does not parse."""
    data = entry_data(
        titel=_with_char("Buurtbuik Oost", char),
        contact__telefoon=_with_char("020 123 4567", char),
        locatie__postcode=_with_char("1094 JN", char),
        themas=["armoede", _with_char("ontmoeting", char)],
    )
    with pytest.raises(ValidationError) as raised:
        Entry.model_validate({**data, "slug": "buurtbuik-oost", "beschrijving": _with_char("Welkom", char)}, context=context)
    found = {(p.key, p.code, p.params.get("char")) for p in pydantic_problems(raised.value, "x.md", None)}
    code = characters.code_point(char)
    keys = ("titel", "contact.telefoon", "locatie.postcode", "themas", "beschrijving")
    assert {(key, "bad_character", code) for key in keys} <= found


def test_tabs_line_breaks_and_other_unicode_stay_allowed(context):
    entry = Entry.model_validate(
        {
            **entry_data(titel="Buurt\thuis\u2028Oost\ufeff", organisatie="Stichting 😀 \u200d"),
            "slug": "buurtbuik-oost",
            "beschrijving": "Regel een\r\nregel\ttwee\rregel drie",
        },
        context=context,
    )
    assert entry.title == "Buurt huis\u2028Oost\ufeff"  # a tab in one line becomes a space, as before
    assert entry.description == "Regel een\nregel\ttwee\nregel drie"


# --- the loader: characters written as they are in the file ----------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\ufdd0", "\ufffe", "\uffff"])
@pytest.mark.parametrize("key", ["titel", "contact.naam", "themas", "uitgelicht.tot"])
def test_a_raw_character_in_the_file_is_named_with_field_and_line(check, key, char):
    text = entry_text(entry_data())
    line = line_of_key(text, key)
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1][:-2] + char + lines[line - 1][-2:]
    result = check("\n".join(lines))
    assert [(p.key, p.code, p.line, p.params["char"]) for p in result.problems] == [
        (key, "bad_character", line, characters.code_point(char))
    ]


def test_a_raw_character_in_the_description_is_named_with_its_line(check):
    text = entry_text(entry_data(), body="Iedereen is welkom.\n\nOok\x07 op vrijdag.\x85\n")
    [problem] = check(text).problems
    assert (problem.key, problem.line, problem.params["char"]) == ("beschrijving", line_of(text, "Ook"), "U+0007")


def test_nel_is_refused_never_read_as_a_space(check):
    """YAML reads NEL as a line break, so a raw NEL in a title used to come back as a space.
    NEL is a C1 control: refused, raw or escaped, in the file and in the form."""
    for written in ("Buurtbuik\x85Oost", '"Buurtbuik\\NOost"', '"Buurtbuik\\x85Oost"'):
        text = entry_text(entry_data()).replace("titel: Buurtbuik Oost", f"titel: {written}")
        [problem] = check(text).problems
        assert (problem.key, problem.params["char"], problem.line) == ("titel", "U+0085", 2)


def test_wijknet_validate_names_file_line_and_field_in_dutch(tmp_path):
    folder = tmp_path / "content" / "initiatieven"
    folder.mkdir(parents=True)
    text = entry_text(entry_data()).replace("kosten: gratis", "kosten: gra\x1b[2Jtis")
    path = folder / "buurtbuik-oost.md"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "validate", "--content", str(tmp_path / "content"), "--date", TODAY.isoformat()],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1 and done.stderr == ""
    line = line_of(text, "kosten:")
    assert done.stdout.splitlines()[0] == (
        f"{path.resolve()}:{line}: kosten: 'kosten' bevat een teken dat niet mag: U+001B (escape-teken). Haal het weg."
    )


def test_the_documented_message_is_what_validate_says(check):
    """docs/editor.md shows the message for a NEL in a title."""
    doc = (REPO / "docs" / "editor.md").read_text(encoding="utf-8")
    [shown] = [line for line in doc.splitlines() if line.startswith("content/initiatieven/buurtbuik-oost.md:")]
    text = entry_text(entry_data()).replace("titel: Buurtbuik Oost", "titel: Buurtbuik\x85Oost")
    [problem] = check(text).problems
    assert shown == f"content/initiatieven/buurtbuik-oost.md:{problem.line}: {problem.key}: {problem.message('nl')}"
