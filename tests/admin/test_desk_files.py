"""What the desk writes stays valid and readable: desk-files.js (run in node) against the
repository's real files, wijknet's own writer and loader, and the rule table.

Saving keeps every line whose value did not change, so editing one field changes one line;
a new file is exactly what wijknet's writer writes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from testkit import REPO, TEST_DATE

from wijknet.content.messages import render
from wijknet.content.models import ValidationContext
from wijknet.content.rules import kind_breaches
from wijknet.content.validation import validate_loaded
from wijknet.content.writer import render_entry
from wijknet.project import Project
from wijknet.safe_yaml import load_bytes
from wijknet.slugs import slugify
from wijknet_pelican.news import check_file

from .desk import ENTRIES, NEWS, changed_lines, repo_facts, run_desk, run_desk_raw

CONTENT = REPO / "content" / "initiatieven"
NEWS_FOLDER = REPO / "content" / "nieuws"
BUURTBUIK = (CONTENT / "buurtbuik-dapperbuurt.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project():
    return Project.at(REPO)


@pytest.fixture(scope="module")
def context(project):
    return ValidationContext(project.load_taxonomy(), project.load_settings(), TEST_DATE)


def _valid(text: str, context, slug: str = "test-bericht"):
    result = validate_loaded(load_bytes(text.encode("utf-8")), slug, f"{slug}.md", context)
    assert not result.problems, [p.message("nl") for p in result.problems]
    return result.entry


def _entry_files():
    return sorted(CONTENT.glob("*.md"))


def test_every_sample_file_reads_and_writes_back_byte_for_byte():
    files = _entry_files()
    assert len(files) > 100
    texts = [path.read_text(encoding="utf-8") for path in files]
    written = run_desk([{"op": "edit", "collection": ENTRIES, "text": text, "changes": {}} for text in texts])
    differ = [path.name for path, text, back in zip(files, texts, written) if back != text]
    assert differ == []


def test_editing_the_summary_of_any_sample_file_changes_that_line_only(context):
    files = _entry_files()
    texts = [path.read_text(encoding="utf-8") for path in files]
    summary = "Nieuwe samenvatting: voor iedereen in de buurt, elke week."
    written = run_desk([{"op": "edit", "collection": ENTRIES, "text": t, "changes": {"samenvatting": summary}} for t in texts])
    for path, text, after in zip(files, texts, written):
        assert changed_lines(text, after) == [
            (next(line for line in text.split("\n") if line.startswith("samenvatting:")), f'samenvatting: "{summary}"')
        ], path.name
    entry = _valid(written[0], context, files[0].stem)
    assert entry.summary == summary


def test_a_new_file_is_what_wijknets_writer_writes(project):
    """The desk's writer and wijknet/content/writer.py agree on every sample entry."""
    catalog = project.load(TEST_DATE).catalog
    entries = list(catalog.entries)
    data = [{**entry.front_matter(), "beschrijving": entry.description} for entry in entries]
    written = run_desk([{"op": "write", "collection": ENTRIES, "data": item} for item in data])
    differ = [entry.slug for entry, text in zip(entries, written) if text != render_entry(entry)]
    assert differ == []


@pytest.mark.parametrize(
    "text",
    [
        "Buurthuis De Meevaart", "yes", "No", "on", "~", "null", "12", "1e5", "-3", "+31 20 123 4567",
        "2026-11-01", "2026-11-01 19:30", "a: b", "x #y", "#hash", "'quote", '"dubbel"', "Café Zoë",
        "Şişli kahve", "ığdır", "Lodź", "Istanbul Şişli", "Tōkyō 東京", "naïeve", "日本語", "Ａｂｃ", "a_b", "a\tb", "a\\b", "€ 2,50", "met\nregel",
        "https://buurt.example/a?b=1", "info@buurt.example", "(020) 123", "x/y", "Ω", "ǅ", "٣٤",
    ],
)  # fmt: skip
def test_a_text_is_quoted_as_wijknets_writer_quotes_it(text):
    from wijknet.content.writer import _scalar

    [written] = run_desk([{"op": "write", "collection": ENTRIES, "data": {"organisatie": text}}])
    assert written == f"---\norganisatie: {_scalar(text)}\n---\n"


def test_each_kind_of_change_touches_only_its_own_lines(context):
    cases = {
        "gecontroleerd": ("2026-11-23", [("gecontroleerd: 2026-11-01", "gecontroleerd: 2026-11-23")]),
        "uitgelicht.tot": ("2027-01-31", [("  tot: 2026-12-31", "  tot: 2027-01-31")]),
        "contact.telefoon": ("020 765 4321", [("  telefoon: 020 123 4567", "  telefoon: 020 765 4321")]),
        "themas": (["armoede", "voeding"], [("themas: [armoede, ontmoeting, voeding]", "themas: [armoede, voeding]")]),
        "locatie.lat": (52.3661, [("  lat: 52.36328", "  lat: 52.3661")]),
        "status": ("gepauzeerd", [("status: actief", "status: gepauzeerd")]),
    }
    calls = [{"op": "edit", "collection": ENTRIES, "text": BUURTBUIK, "changes": {key: value}} for key, (value, _) in cases.items()]
    for (key, (_, expected)), after in zip(cases.items(), run_desk(calls)):
        assert changed_lines(BUURTBUIK, after) == expected, key
        _valid(after, context, "buurtbuik-dapperbuurt")


def test_adding_and_removing_keys(context):
    taalcafe = (CONTENT / "taalcafe-noord.md").read_text(encoding="utf-8")
    assert "status:" not in taalcafe
    calls = [
        {"op": "edit", "collection": ENTRIES, "text": taalcafe, "changes": {"status": "gepauzeerd"}},
        {"op": "edit", "collection": ENTRIES, "text": taalcafe, "changes": {"status": "actief"}},
        {"op": "edit", "collection": ENTRIES, "text": BUURTBUIK, "changes": {"organisatie": None}},
        {"op": "edit", "collection": ENTRIES, "text": BUURTBUIK, "changes": {"organisatie": "", "kosten": "  "}},
        {"op": "edit", "collection": ENTRIES, "text": BUURTBUIK, "changes": {"uitgelicht": None}},
        {"op": "edit", "collection": ENTRIES, "text": BUURTBUIK, "changes": {"doelgroepen": [], "contact.naam": ""}},
    ]
    paused, active, no_org, emptied, not_featured, no_audience = run_desk(calls)
    # a new key goes where the writer puts it: status after gecontroleerd
    lines = taalcafe.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("gecontroleerd:")) + 1
    assert paused.split("\n") == lines[:at] + ["status: gepauzeerd"] + lines[at:]
    assert active == taalcafe  # actief is the default: nothing to write
    lines = BUURTBUIK.split("\n")
    assert no_org.split("\n") == [line for line in lines if not line.startswith("organisatie:")]
    # what Decap sends for a cleared field is no value at all
    assert emptied.split("\n") == [line for line in lines if not line.startswith(("organisatie:", "kosten:"))]
    assert "uitgelicht" not in not_featured and "reden:" not in not_featured
    assert "doelgroepen" not in no_audience and "naam: Fatima" not in no_audience
    _valid(paused, context, "taalcafe-noord")
    for text in (no_org, emptied, not_featured, no_audience):
        _valid(text, context, "buurtbuik-dapperbuurt")


def test_a_new_part_is_written_in_its_place():
    text = (CONTENT / "taalcafe-noord.md").read_text(encoding="utf-8")
    plain = "\n".join(line for line in text.split("\n") if not line.startswith(("uitgelicht:", "  tot:", "  reden:"))) 
    [after] = run_desk([{"op": "edit", "collection": ENTRIES, "text": plain, "changes": {"uitgelicht": {"tot": "2026-12-31"}}}])
    lines = plain.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("gecontroleerd:"))
    assert after.split("\n") == lines[:at] + ["uitgelicht:", "  tot: 2026-12-31"] + lines[at:]


HAND_WRITTEN = """\ufeff---\r
# geschreven met de hand\r
titel: "Buurtbuik Oost"\r
soort: initiatief\r
samenvatting: >-\r
  Elke donderdag gratis samen eten\r
  met buurtgenoten in de Dapperbuurt.\r
themas:\r
  - armoede\r
  - voeding   # en ontmoeting?\r
werkgebied: [dapperbuurt]\r
contact: {email: oost@buurtbuik.example}\r
locatie:\r
  naam: 'De Meevaart'\r
\r
  postcode: 1094 jn\r
gecontroleerd: 2026-11-01\r
---\r
\r
Iedereen is welkom.\r
"""


def test_a_hand_written_file_keeps_its_style_where_nothing_changed(context):
    edits = [
        {},
        {"gecontroleerd": "2026-11-23"},
        {"themas": ["armoede", "voeding", "ontmoeting"]},
        {"contact.telefoon": "020 123 4567"},
        {"locatie.adres": "Balistraat 48A"},
        {"beschrijving": "Iedereen is welkom, ook zonder aanmelding."},
    ]
    results = run_desk([{"op": "edit", "collection": ENTRIES, "text": HAND_WRITTEN, "changes": change} for change in edits])
    same, checked, themes, phone, address, body = results
    assert same == HAND_WRITTEN
    original = HAND_WRITTEN.split("\r\n")
    assert changed_lines(HAND_WRITTEN.replace("\r\n", "\n"), checked.replace("\r\n", "\n")) == [
        ("gecontroleerd: 2026-11-01", "gecontroleerd: 2026-11-23")
    ]
    assert checked.startswith("\ufeff---\r\n") and "\n" not in checked.replace("\r\n", "")
    # a changed list is written in the writer's style; its neighbours keep theirs
    assert themes.split("\r\n") == original[:7] + ["themas: [armoede, voeding, ontmoeting]"] + original[10:]
    # a flow map that changes is written out as a block
    assert "contact:\r\n  email: oost@buurtbuik.example\r\n  telefoon: 020 123 4567\r\n" in phone
    # a key added to a block map goes after its neighbour in the model's order (and what
    # followed that neighbour, here a blank line)
    assert "  naam: 'De Meevaart'\r\n\r\n  adres: Balistraat 48A\r\n  postcode: 1094 jn\r\n" in address
    assert body.endswith("---\r\nIedereen is welkom, ook zonder aanmelding.\r\n")
    assert body.split("\r\n")[:16] == original[:16]
    for text in results:
        _valid(text, context)


def test_news_articles_read_and_write_back_and_edit_one_line():
    files = sorted(NEWS_FOLDER.glob("*.md"))
    assert files
    texts = [path.read_text(encoding="utf-8") for path in files]
    same = run_desk([{"op": "edit", "collection": NEWS, "text": text, "changes": {}} for text in texts])
    assert same == texts
    edited = run_desk([{"op": "edit", "collection": NEWS, "text": t, "changes": {"summary": "Korter gezegd."}} for t in texts])
    for text, after in zip(texts, edited):
        [(old, new)] = changed_lines(text, after)
        assert old.startswith("Summary: ") and new == "Summary: Korter gezegd."


def test_a_new_news_article_passes_the_hosts_checks(tmp_path):
    data = {"title": "Buurtfeest", "date": "2026-11-23", "summary": "Iedereen is welkom.", "tekst": "Kom langs!\n\nTot dan."}
    [text] = run_desk([{"op": "write", "collection": NEWS, "data": data}])
    assert text == "Title: Buurtfeest\nDate: 2026-11-23\nSummary: Iedereen is welkom.\n\nKom langs!\n\nTot dan.\n"
    path = tmp_path / "buurtfeest.md"
    path.write_text(text, encoding="utf-8")
    assert check_file(path, path) == []


def test_the_list_views_stadsdeel_status_and_prikbord():
    facts = repo_facts()
    texts = {
        "buurtbuik": BUURTBUIK,
        "city": (CONTENT / "buurtbuik-dapperbuurt.md").read_text(encoding="utf-8").replace("werkgebied: [dapperbuurt]", "werkgebied: [amsterdam, centrum, geuzenveld-slotermeer]"),
    }
    read = dict(zip(texts, run_desk([{"op": "read", "collection": ENTRIES, "text": t} for t in texts.values()])))
    views = read["buurtbuik"][facts["hidden"]]
    assert views["stadsdeel"] == "Oost" and views["status"] == "actief"
    assert views["prikbord"] == "ja"  # uitgelicht tot 2026-12-31, today 2026-11-23
    assert views["bron"] == BUURTBUIK
    assert read["city"][facts["hidden"]]["stadsdeel"] == "Hele stad (Amsterdam), Centrum, Nieuw-West"
    [later] = run_desk([{"op": "read", "collection": ENTRIES, "text": BUURTBUIK}], today=dt.date(2027, 1, 1))
    assert later[facts["hidden"]]["prikbord"] == "nee"


BASE = {
    "titel": "Kerstmarkt",
    "soort": "activiteit",
    "samenvatting": "Een kleine kerstmarkt in de buurt.",
    "themas": ["ontmoeting"],
    "werkgebied": ["dapperbuurt"],
    "gecontroleerd": "2026-11-23",
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"contact": {"email": "a@b.example"}},
        {"contact": {"email": "a@b.example"}, "wanneer": {"start": "2026-12-19 14:00"}},
        {"contact": {"naam": "Ans"}, "wanneer": {"start": "2026-12-19"}},
        {"soort": "initiatief", "contact": {"website": "https://a.example"}, "wanneer": {"start": "2026-12-19"}},
        {"soort": "initiatief", "contact": {"website": "https://a.example"}, "verloopt": "2027-01-01"},
        {"soort": "vraag", "contact": {"email": "a@b.example"}, "verloopt": "2027-01-01"},
        {"soort": "voorziening"},
        {"soort": "voorziening", "locatie": {"lat": 52.36}},
        {"soort": "voorziening", "uitgelicht": {"reden": "Omdat het kan"}},
        {"soort": "voorziening", "wanneer": {"start": "2026-12-19"}},
        {"contact": {"email": "a@b.example"}, "wanneer": {"start": "2026-12-19 14:00", "einde": "2026-12-19 13:00"}},
        {"contact": {"email": "a@b.example"}, "wanneer": {"start": "2026-12-19", "einde": "2026-12-19 13:00"}},
    ],
)  # fmt: skip
def test_the_checks_before_saving_follow_the_rule_table(changes, project):
    """The desk refuses exactly what the models refuse for the per-kind and per-part rules,
    with the form's Dutch messages."""
    from pydantic import ValidationError

    from wijknet.content.models import Entry

    data = {**BASE, **changes}
    [problems] = run_desk([{"op": "problems", "collection": ENTRIES, "data": data}])
    context = ValidationContext(project.load_taxonomy(), project.load_settings(), TEST_DATE)
    try:
        Entry.model_validate({**data, "slug": "kerstmarkt"}, context=context)
        refused = False
    except ValidationError:
        refused = True
    assert bool(problems) == refused, problems
    kind = context.taxonomy.kinds.label(data["soort"]).lower()
    for breach in kind_breaches(data["soort"], lambda key: key in data and (key != "wanneer" or "start" in data[key])):
        assert render(breach.code, "nl", {"kind": kind}, audience="form") in problems


def test_slugs_follow_wijknets_slug_rule(project):
    titles = [entry.title for entry in project.load(TEST_DATE).catalog.entries]
    titles += ["Groß Œuvre: één café!", "  --Ĳsbaan--  ", "ŁÓDŹ & Þór", "a" * 120, "Buurt " * 30, "!!"]
    slugs = run_desk([{"op": "slug", "text": title} for title in titles])
    for title, slug in zip(titles, slugs):
        expected = slugify(title)
        if len(expected) > 76:
            assert expected.startswith(slug) and len(slug) <= 76 and not slug.endswith("-"), title
        else:
            assert slug == expected, title


def test_a_file_the_desk_cannot_read_says_so_in_dutch():
    results = run_desk_raw(
        [
            {"op": "read", "collection": ENTRIES, "text": "titel: zonder streepjes\n"},
            {"op": "read", "collection": ENTRIES, "text": "---\ntitel: a\n"},
            {"op": "read", "collection": ENTRIES, "text": "---\ntitel: a\ntitel: b\n---\n"},
        ]
    )
    messages = [result.get("error", "") for result in results]
    assert "begint niet met een regel '---'" in messages[0]
    assert "niet afgesloten" in messages[1]
    assert "kunnen niet gelezen worden" in messages[2]
