"""What the service accepts is valid in CI and reads back as sent; what it refuses, it refuses
by field, naming the character.

Before, DEL, C1 controls and U+FFFE/U+FFFF in one-line fields, and NUL in the description,
got a 202 and a branch, and then ``wijknet validate`` refused the file; ESC and BEL in a title
were accepted and NEL came back as a space. The character rule (``wijknet/characters.py``)
now holds in the service as in the validator.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from testkit import REPO

from wijknet.content.models import Entry, ValidationContext
from wijknet.content.validation import validate_loaded
from wijknet.project import Project
from wijknet.safe_yaml import load_bytes
from wijknet.submissions import form
from wijknet.submissions.spool import Spool

from .conftest import TODAY, branches, git, make_site_repo, settings_for, valid_submission, wait_for

API = "/api/inzendingen"
JSON = {"Content-Type": "application/json", "Accept": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}

# The one-line text fields and the description: they read back as sent, after the models'
# documented clean-up (white space at the ends removed; in names and texts, runs of spaces and
# tabs become one space, not in an address; in the description, every line end becomes a line
# feed).
ONE_LINE_FIELDS = ("titel", "samenvatting", "organisatie", "tijden", "kosten", "contact.naam", "locatie.naam", "locatie.adres")
KEEPS_SPACES = ("locatie.adres",)


def one_line(value: str, field: str = "titel") -> str:
    return value.strip() if field in KEEPS_SPACES else re.sub(r"[ \t]+", " ", value.strip())


def multi_line(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def refused(char: str) -> bool:
    """The rule from Unicode's categories (independent of the table the code uses)."""
    code = ord(char)
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def full_submission(**extra) -> dict:
    """A valid submission with every public text field filled."""
    data = valid_submission(
        organisatie="Stichting Taal",
        tijden="Elke dinsdag 10.00 - 12.00 uur",
        kosten="gratis",
        talen=["nl", "en"],
        contact={"naam": "Anna de Vries", "email": "taal@buurt.example", "telefoon": "020 123 4567", "website": "https://taal.example"},
        locatie={"naam": "Buurthuis De Meevaart", "adres": "Balistraat 48A", "postcode": "1094 JN"},
    )
    data.update(extra)
    return data


def get(data: dict, field: str):
    top, _, inner = field.partition(".")
    return data[top][inner] if inner else data[top]


def put(data: dict, field: str, value) -> dict:
    top, _, inner = field.partition(".")
    if inner:
        data[top] = {**data.get(top, {}), inner: value}
    else:
        data[top] = value
    return data


def post_json(client, data: dict):
    # ensure_ascii: lone surrogates travel as \ud800 escapes, as a browser's JSON.stringify sends them
    return client.post(API, content=json.dumps(data).encode("ascii"), headers=JSON)


def context_for(repo: Path) -> ValidationContext:
    project = Project.at(repo)
    return ValidationContext(taxonomy=project.load_taxonomy(), settings=project.load_settings(), today=TODAY)


# --- each defect -----------------------------------------------------------------------------

DEFECTS = [
    ("titel", "\x7f", "Titel", "wisteken"),
    ("samenvatting", "\x9b", "Korte samenvatting", "onzichtbaar stuurteken"),
    ("organisatie", "\ufffe", "Organisatie", "geen geldig teken"),
    ("contact.naam", "\uffff", "Naam contactpersoon", "geen geldig teken"),
    ("locatie.adres", "\x80", "Adres", "onzichtbaar stuurteken"),
    ("tijden", "\ufdd0", "Tijden", "geen geldig teken"),
    ("kosten", "\U0010ffff", "Kosten", "geen geldig teken"),
    ("beschrijving", "\x00", "Beschrijving", "nulteken"),
    ("titel", "\x1b", "Titel", "escape-teken"),
    ("titel", "\x07", "Titel", "bel-teken"),
    ("titel", "\x00", "Titel", "nulteken"),
    ("titel", "\x85", "Titel", "volgende-regel-teken NEL"),
    ("beschrijving", "\x85", "Beschrijving", "volgende-regel-teken NEL"),
    ("beschrijving", "\x0c", "Beschrijving", "nieuwe-pagina-teken"),
    ("inzender.naam", "\x07", "Jouw naam", "bel-teken"),
    ("contact.telefoon", "\x07", "Telefoonnummer", "bel-teken"),
]


@pytest.mark.parametrize(("field", "char", "label", "name"), DEFECTS)
def test_a_refused_character_is_a_422_naming_field_and_character(site_repo, make_client, field, char, label, name):
    client = make_client(publish=False)
    data = full_submission()
    value = get(data, field)
    put(data, field, value[:4] + char + value[4:])
    response = post_json(client, data)
    assert response.status_code == 422, response.text
    code = f"U+{ord(char):04X}"
    assert {"field": field, "message": f"{label} bevat een teken dat niet mag: {code} ({name}). Je ziet het meestal niet: typ de tekst opnieuw."} in response.json()["errors"]
    assert Spool(site_repo / ".submissions" / "spool.sqlite3").all() == []


def test_nel_is_refused_at_intake_and_never_committed_as_a_space(site_repo, make_client):
    """NEL (U+0085) is a C1 control. YAML reads it as a line break, so it used to be committed
    and read back as a space. It is refused, in a form post as in JSON, and nothing is stored."""
    client = make_client()
    for body, headers in (
        (json.dumps(full_submission(titel="Taal\x85café")).encode(), JSON),
        (urlencode({**{k: v for k, v in full_submission().items() if isinstance(v, str)}, "titel": "Taal\x85café", "themas": "taal"}), FORM),
    ):
        response = client.post(API, content=body, headers=headers)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"] if "U+0085" in e["message"]] == ["titel"]
    assert branches(site_repo) == []


def test_the_form_page_without_javascript_shows_the_message_at_the_field(make_client):
    client = make_client(publish=False)
    pairs = {k: v for k, v in full_submission().items() if isinstance(v, str)}
    pairs.update({"titel": "Taal\x07café", "themas": "taal", "werkgebied": "dapperbuurt", "contact.email": "x@buurt.example"})
    response = client.post(API, data=pairs, headers={"Accept": "text/html"})
    assert response.status_code == 422
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#veld-titel-fout").get_text(strip=True).startswith("Titel bevat een teken dat niet mag: U+0007 (bel-teken).")


# --- accepted values read back exactly ---------------------------------------------------------

TRICKY = {
    "titel": "Buurt \u2028 huis \ufeff",
    "samenvatting": 'Let op: "gratis" #koken \\n met \'t Buurthuis\u2029 en tabs\tin de tekst',
    "organisatie": "yes",
    "tijden": "null",
    "kosten": "0201234567",
    "contact.naam": "- [Anna] & {Bob}, ~",
    "locatie.naam": "\u00a0Buurthuis\u00a0De Meevaart",
    "locatie.adres": "Balistraat 48A" + " x" * 90,
    "beschrijving": "Regel\r\nregel\rregel\r\r\nregel\n---\n\t# Kop\u2028 \ufeff\n" + "lang " * 1500,
}


def test_tricky_accepted_values_reach_the_branch_and_read_back_as_sent(site_repo, make_client):
    client = make_client()
    data = full_submission()
    for field, value in TRICKY.items():
        put(data, field, value)
    response = post_json(client, data)
    assert response.status_code == 202, response.text
    body = response.json()
    wait_for(lambda: body["branch"] in branches(site_repo))
    path = f"content/initiatieven/{body['branch'].removeprefix('inzending/').rsplit('-', 1)[0]}.md"
    text = git(site_repo, "show", f"{body['branch']}:{path}")
    result = validate_loaded(load_bytes(text.encode("utf-8")), Path(path).stem, path, context_for(site_repo))
    assert result.problems == [], [p.message() for p in result.problems]
    entry = result.entry
    for field in ONE_LINE_FIELDS:
        top, _, inner = field.partition(".")
        stored = entry.value_of(top).value_of(inner) if inner else entry.value_of(top)
        assert stored == one_line(get(data, field), field), field
    assert entry.description == multi_line(data["beschrijving"])


# --- arbitrary Unicode in every field ----------------------------------------------------------

EDGES = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\ufdd0", "\ufffe", "\uffff", "\U0010ffff", "\ud800", "\udfff",
     "\u2028", "\u2029", "\ufeff", "\u00a0", "\t", "\n", "\r", "\r\n", " ", "#", ": ", '"', "'", "\\", "yes", "null", "~", "---", "é", "😀"]
)  # fmt: skip
ANY_TEXT = st.lists(st.characters(blacklist_categories=()) | EDGES, max_size=24).map("".join)
# mostly what a person types (no control characters), with YAML's edge cases
TYPED_TEXT = st.lists(
    st.characters(blacklist_categories=("Cc", "Cs")) | EDGES.filter(lambda edge: not any(refused(c) or c in "\r\n" for c in edge)),
    max_size=24,
).map("".join)
FREE_TEXT = (*ONE_LINE_FIELDS, "beschrijving", "inzender.naam", "sleutel")
FUZZED = (
    *ONE_LINE_FIELDS, "beschrijving", "soort", "themas", "werkgebied", "talen", "contact.email", "contact.telefoon",
    "contact.website", "locatie.postcode", "wanneer.start", "inzender.naam", "inzender.email", "inzender.telefoon", "sleutel", "wijzig",
)  # fmt: skip


@st.composite
def submissions(draw):
    """A valid submission (an initiative, or an activity with ``wanneer``) in which a few fields
    get arbitrary Unicode inserted or put in their place; sent as JSON or as a form."""
    kind = draw(st.sampled_from(["initiatief", "activiteit"]))
    data = full_submission(soort=kind)
    if kind == "activiteit":
        data["wanneer"] = {"start": "2027-01-15 19:30"}
    # either any text in any field, or typed text in free-text fields (which more often passes,
    # so that enough is accepted to check the files)
    anything = draw(st.booleans())
    fields = st.sampled_from(FUZZED if anything else FREE_TEXT)
    for field in draw(st.lists(fields, min_size=1, max_size=3, unique=True)):
        if field == "wanneer.start" and kind != "activiteit":
            continue
        top = field.split(".")[0]
        current = get(data, field) if top in data and (field == top or field.split(".")[1] in data[top]) else ""
        if isinstance(current, list):
            current = current[0]
        text = draw(ANY_TEXT | TYPED_TEXT if anything else TYPED_TEXT)
        if draw(st.booleans()):
            at = draw(st.integers(0, len(current)))
            text = current[:at] + text + current[at:]
        put(data, field, [text] if top in ("themas", "werkgebied", "talen") else text)
    sent_as_form = draw(st.booleans()) and not any(0xD800 <= ord(c) <= 0xDFFF for c in json.dumps(data, ensure_ascii=False))
    return data, sent_as_form


def _flat_pairs(data: dict) -> list[tuple[str, str]]:
    pairs = []
    for key, value in data.items():
        if isinstance(value, dict):
            pairs += [(f"{key}.{inner}", str(item)) for inner, item in value.items()]
        elif key == "talen":
            pairs.append((key, ", ".join(value)))
        elif isinstance(value, list):
            pairs += [(key, item) for item in value]
        else:
            pairs.append((key, value))
    return pairs


def _strings(data: dict, prefix: str = ""):
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _strings(value, f"{name}.")
        else:
            for item in value if isinstance(value, list) else [value]:
                yield name, item


@pytest.fixture(scope="module")
def fuzz_service(tmp_path_factory):
    from starlette.testclient import TestClient

    from wijknet.submissions.app import create_app

    repo = make_site_repo(tmp_path_factory.mktemp("fuzz") / "site")
    app = create_app(settings_for(repo, rate_limit=(1_000_000, 60.0), min_fill_seconds=0), start_publisher=False)
    with TestClient(app) as client:
        yield client, repo


def test_arbitrary_unicode_in_every_field_through_the_real_app(fuzz_service):
    """Every 202 is a file ``wijknet validate`` accepts and that reads back exactly as sent;
    every refusal is a 422 that names the field, and names the character when it is one the
    rule refuses. At the end the command itself checks every file that was accepted."""
    client, repo = fuzz_service
    context = context_for(repo)
    spool = Spool(repo / ".submissions" / "spool.sqlite3")
    accepted: dict[str, str] = {}

    @settings(
        max_examples=250,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "examples")),
    )
    @given(case=submissions())
    def post_one(case):
        data, sent_as_form = case
        if sent_as_form:
            pairs = _flat_pairs(data)
            response = client.post(API, content=urlencode(pairs).encode(), headers=FORM)
            sent = form.nested_from_flat(pairs)[0]
        else:
            response = post_json(client, data)
            sent = data
        assert response.status_code in (202, 422), response.text
        bad = [(name, char) for name, value in _strings(sent) for char in value if refused(char)]
        if response.status_code == 422:
            _assert_refusal(response.json()["errors"], bad)
            return
        assert [name for name, _ in bad if name not in form.META_KEYS] == []
        stored = spool.get(response.json()["id"])
        result = validate_loaded(load_bytes(stored.file_text.encode("utf-8")), stored.slug, "x.md", context)
        assert result.problems == [], ([p.message() for p in result.problems], stored.file_text)
        entry = result.entry
        content = {key: sent[key] for key in form.PUBLIC_KEYS if key in sent}
        reference = {**content, "gecontroleerd": TODAY.isoformat(), "slug": stored.slug, "beschrijving": sent.get("beschrijving", "")}
        assert entry == Entry.model_validate(reference, context=context)
        for field in ONE_LINE_FIELDS:
            top, _, inner = field.partition(".")
            value = entry.value_of(top).value_of(inner) if inner else entry.value_of(top)
            given = _given(sent, field)
            assert value == (None if given is None else one_line(given, field)), field
        assert entry.description == multi_line(sent.get("beschrijving", ""))
        accepted[stored.slug] = stored.file_text

    post_one()
    assert len(accepted) >= 30, "too few submissions were accepted to say anything"
    folder = repo / "geaccepteerd"
    folder.mkdir()
    for slug, text in accepted.items():
        (folder / f"{slug}.md").write_text(text, encoding="utf-8", newline="")
    names = [str(path.relative_to(repo)) for path in sorted(folder.glob("*.md"))]
    done = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "validate", "--date", TODAY.isoformat(), *names],
        cwd=repo, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, ""), done.stdout[-3000:]
    assert done.stdout.strip() == f"Alles in orde: {len(names)} bestanden gecontroleerd."


def _given(data: dict, field: str) -> str | None:
    top, _, inner = field.partition(".")
    part = data.get(top)
    return part.get(inner) if inner and isinstance(part, dict) else (None if inner else part)


def _assert_refusal(errors: list[dict], bad: list[tuple[str, str]]) -> None:
    """A 422 names a field in every error, and every refused character by its field (the
    service stops at the first lone surrogate: no later check could encode the text)."""
    assert errors and all(error["field"] for error in errors), errors
    named = {(error["field"], code) for error in errors for code in re.findall(r"U\+[0-9A-F]{4,6}", error["message"])}
    if any(0xD800 <= ord(char) <= 0xDFFF for _, char in bad):
        assert any(0xD800 <= int(code[2:], 16) <= 0xDFFF for _, code in named), errors
        return
    content = [(name, char) for name, char in bad if name not in form.META_KEYS]
    first = {name: next(char for other, char in content if other == name) for name, _ in content}
    assert {(name, f"U+{ord(char):04X}") for name, char in first.items()} <= named, errors


def test_the_documented_refusal_is_what_the_service_answers(make_client):
    """docs/deploy.md shows the 422 for a BEL in a title: the same body as the service's."""
    text = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    documented = json.loads(text.split("## 6. What the service accepts", 1)[1].split("```json", 1)[1].split("```", 1)[0])
    response = post_json(make_client(publish=False), full_submission(titel="Taal\x07café"))
    assert (response.status_code, response.json()) == (422, documented)
