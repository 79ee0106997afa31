"""The form is generated from the models and the taxonomy, and parses back to the content format."""

from __future__ import annotations

import json

import pytest
from testkit import REPO

from wijknet.content import messages, validation
from wijknet.content.models import Contact, Entry
from wijknet.project import Project
from wijknet.submissions import form
from wijknet.submissions.intake import base_slug, dedupe_key
from wijknet.submissions.spool import next_free_slug


@pytest.fixture(scope="module")
def taxonomy():
    return Project.at(REPO).load_taxonomy()


@pytest.fixture(scope="module")
def spec(taxonomy):
    return form.build_form(taxonomy)


def test_every_public_key_is_a_field_and_no_moderator_key_is(spec):
    names = spec.field_names()
    tops = {name.split(".")[0] for name in names}
    assert set(form.PUBLIC_KEYS) - {"uitgelicht"} <= tops | {"contact", "locatie", "wanneer"}
    assert not tops & set(form.MODERATOR_KEYS)
    assert "beschrijving" in names and "inzender.email" in names


def test_help_texts_and_limits_come_from_the_models(spec):
    fields = {f.name: f for f in spec.fields()}
    assert fields["titel"].help == Entry.model_fields["title"].description
    assert fields["contact.email"].help == Contact.model_fields["email"].description
    assert (fields["titel"].min_length, fields["titel"].max_length) == (3, 100)
    assert (fields["themas"].min_items, fields["themas"].max_items) == (1, 5)
    assert fields["titel"].required and fields["werkgebied"].required
    assert not fields["organisatie"].required
    assert fields["beschrijving"].widget == "textarea"
    assert fields["soort"].widget == "radio"


def test_choices_come_from_the_taxonomy(spec, taxonomy):
    fields = {f.name: f for f in spec.fields()}
    assert [c.value for c in fields["themas"].choices] == [t.id for t in taxonomy.themes]
    assert [c.value for c in fields["soort"].choices] == [t.id for t in taxonomy.kinds]
    areas = [c.value for group in fields["werkgebied"].groups for c in group.choices]
    assert sorted(areas) == sorted(a.id for a in taxonomy.areas)
    assert len(areas) == len(set(areas))
    group_ids = [g.id for g in fields["werkgebied"].groups]
    assert group_ids[0] == "amsterdam" and "oost" in group_ids
    oost = next(g for g in fields["werkgebied"].groups if g.id == "oost")
    assert "dapperbuurt" in [c.value for c in oost.choices]


def test_flat_form_pairs_become_the_nested_content_format():
    data, unknown = form.nested_from_flat(
        [
            ("titel", " Buurtbuik "),
            ("themas", "armoede"),
            ("themas", "voeding"),
            ("contact.email", "a@b.nl"),
            ("contact.naam", ""),
            ("talen", "nl, en ar"),
            ("locatie.postcode", ""),
            ("status", "gestopt"),
            ("contact.fax", "123"),
        ]
    )
    assert data == {"titel": "Buurtbuik", "themas": ["armoede", "voeding"], "contact": {"email": "a@b.nl"}, "talen": ["nl", "en", "ar"]}
    assert unknown == ["status", "contact.fax"]


def test_unknown_json_keys_are_reported_dotted():
    assert form.unknown_json_keys({"titel": "x", "gecontroleerd": "2026-01-01", "contact": {"fax": 1}, "homepage": ""}) == [
        "gecontroleerd",
        "contact.fax",
    ]


def test_form_values_round_trip_through_the_parser(taxonomy):
    result = Project.at(REPO).load(__import__("datetime").date(2026, 11, 23))
    entry = result.catalog.by_slug["buurtbuik-dapperbuurt"]
    values = form.form_values(entry)
    assert values["titel"] == entry.title and values["themas"] == list(entry.themes)
    assert "gecontroleerd" not in values and "uitgelicht.tot" not in values
    pairs = [(k, v) for k, value in values.items() for v in (value if isinstance(value, list) else [value])]
    data, unknown = form.nested_from_flat(pairs)
    assert not unknown
    assert data["contact"]["email"] == entry.contact.email
    assert data["talen"] == list(entry.languages)


def test_js_messages_are_the_server_messages(spec):
    config = form.js_config(spec, endpoint="/api/inzendingen", repository="a/b", branch="main", content_dir="content/initiatieven")
    for code, text in config["messages"].items():
        assert text == messages.template_for(code, "nl", audience="form")
    assert {"missing", "string_too_short", "contact_required", "email"} <= set(config["messages"])
    assert config["keyOrder"][0] == "titel"


def test_json_for_html_cannot_break_out_of_a_script_block():
    text = form.json_for_html({"x": "</script><script>alert(1)</script>&"})
    assert "</script>" not in text and "<" not in text and "&" not in text.replace("\\u0026", "")
    assert json.loads(text) == {"x": "</script><script>alert(1)</script>&"}


@pytest.mark.parametrize(
    "title, slug",
    [("Taalcafé Noord", "taalcafe-noord"), ("!!", "inzending"), ("a" * 120, "a" * 76), ("Wij & Zij " * 12, None)],
)
def test_base_slug_is_always_valid(title, slug):
    from wijknet.slugs import is_valid_slug

    result = base_slug(title)
    assert is_valid_slug(result) and len(result) <= 76
    if slug:
        assert result == slug


def test_next_free_slug_numbers_from_two():
    assert next_free_slug("a-b", set()) == "a-b"
    assert next_free_slug("a-b", {"a-b"}) == "a-b-2"
    assert next_free_slug("a-b", {"a-b", "a-b-2"}) == "a-b-3"


def test_dedupe_key_depends_on_content_and_client_key():
    assert dedupe_key({"a": 1, "b": 2}, "") == dedupe_key({"b": 2, "a": 1}, "")
    assert dedupe_key({"a": 1}, "") != dedupe_key({"a": 2}, "")
    assert dedupe_key({"a": 1}, "k1") != dedupe_key({"a": 1}, "k2")


def test_form_messages_speak_of_fields_not_files(spec):
    config = form.js_config(spec, endpoint="/api/inzendingen", repository="a/b", branch="main", content_dir="content/initiatieven")
    assert "voeg 'contact' toe" not in config["messages"]["contact_required"]
    assert "vul een e-mailadres" in config["messages"]["contact_required"]
    problem = validation.Problem("x.md", 3, "themas", "unknown_themes", {"value": "eenzaam", "suggestions": '"eenzaamheid"'})
    assert "taxonomy/" in problem.message("nl")
    assert "taxonomy/" not in problem.message("nl", audience="form")
    assert "eenzaamheid" in problem.message("nl", audience="form")
