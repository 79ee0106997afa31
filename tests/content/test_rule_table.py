"""The rule table is the one place for limits, per-kind rules and patterns.

Everything that checks an entry derives from it: a changed limit, kind rule or pattern shows
up in the models, the JSON Schema and the web form's configuration; each pattern answers the
same in Python and in JavaScript (node), with and without the ``u`` flag JSON Schema tools use.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from wijknet.content import rules
from wijknet.content.models import EntryFields
from wijknet.engine.urls import Urls
from wijknet.submissions import form
from wijknet.taxonomy import VOCABULARIES, VOCABULARY_FILES, VOCABULARY_IDS, Taxonomy

from .conftest import REPO, entry_data, entry_text

# Values where engines could part ways: other whitespace, line ends, non-ASCII digits.
PROBES = ("", " ", "\t", "\n", "\u00a0", "1094\u00a0JN", "1094\tjn", "2026-11-01\n", "٢٠٢٦-١١-٠١", "１０９４ JN", "x" * 3)


@pytest.mark.parametrize("name", sorted(rules.PATTERNS))
def test_patterns_accept_and_reject_their_examples(name):
    pattern = rules.PATTERNS[name]
    assert pattern.accepts and pattern.rejects
    assert [value for value in pattern.accepts if not pattern.match(value)] == []
    assert [value for value in pattern.rejects if pattern.match(value)] == []


def test_portable_patterns_answer_like_python_in_node():
    node = shutil.which("node")
    assert node, "node is needed for this test (make install)"
    cases = {
        name: [[value, bool(pattern.match(value))] for value in (*pattern.accepts, *pattern.rejects, *PROBES)]
        for name, pattern in rules.PATTERNS.items()
    }
    regexes = {name: pattern.portable for name, pattern in rules.PATTERNS.items()}
    script = textwrap.dedent(
        """
        const {regexes, cases} = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const differ = [];
        for (const [name, values] of Object.entries(cases)) {
          for (const flags of ["", "u"]) {
            const regex = new RegExp(regexes[name], flags);
            for (const [value, python] of values) {
              if (regex.test(value) !== python) differ.push([name, flags, value, python]);
            }
          }
        }
        process.stdout.write(JSON.stringify(differ));
        """
    )
    done = subprocess.run(
        [node, "-e", script], input=json.dumps({"regexes": regexes, "cases": cases}), capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_python_reads_the_portable_form_like_the_original():
    """The JSON Schema carries the portable form; Python's jsonschema reads it with ``re``."""
    import re

    for pattern in rules.PATTERNS.values():
        for value in (*pattern.accepts, *pattern.rejects):
            assert bool(re.search(pattern.portable, value)) == bool(pattern.match(value)), (pattern.regex, value)


@pytest.mark.parametrize("regex", [r"\d{4}", r"\w+", r"\bnl", r"(?i)nl", r"a++", r"(?P<x>a)(?P=x)", r"a\Z", r"(?>a)"])
def test_a_pattern_javascript_reads_differently_is_refused(regex):
    with pytest.raises(ValueError, match="not portable"):
        rules.portable_pattern(regex)


def test_named_groups_become_plain_groups():
    assert rules.portable_pattern(r"(?P<digits>[0-9]{4})\\d") == r"^(?:(?:[0-9]{4})\\d)$"


def test_the_form_configuration_carries_the_table(project):
    spec = form.build_form(project.load_taxonomy())
    config = form.js_config(spec, endpoint="/api", repository="a/b", branch="main", content_dir="content/initiatieven")
    fields = {f["name"]: f for f in config["fields"]}
    assert fields["locatie.postcode"]["pattern"] == "postcode"
    assert config["patterns"]["postcode"] == {"regex": rules.PATTERNS["postcode"].portable, "code": "postcode"}
    assert config["patterns"]["phone"]["regex"] == rules.PATTERNS["phone"].portable
    assert config["kindRules"]["activiteit"] == {"required": ["contact", "wanneer"], "forbidden": ["verloopt"]}
    assert [key["key"] for key in config["ruleKeys"]] == [key.key for key in rules.RULE_KEYS]
    assert fields["titel"]["max_length"] == rules.LIMITS["titel"].max_length
    assert fields["beschrijving"]["max_length"] == rules.LIMITS["beschrijving"].max_length
    assert fields["inzender.naam"]["max_length"] == rules.LIMITS["inzender.naam"].max_length


def test_form_js_writes_no_pattern_or_kind_of_its_own():
    script = (REPO / "theme" / "static" / "js" / "form.js").read_text(encoding="utf-8")
    for literal in ("[1-9][0-9]{3}", "\"SA\"", "[+0-9 ()", "[T ]\\d{1,2}", "activiteit", "vraag", "kindsNeedingContact"):
        assert literal not in script, literal


@pytest.mark.parametrize("kind", sorted(rules.KIND_RULES))
@pytest.mark.parametrize("key", [rule_key.key for rule_key in rules.RULE_KEYS])
def test_each_kind_rule_holds_in_the_validator(check, kind, key):
    rule = rules.kind_rule(kind)
    values = {"contact": entry_data()["contact"], "wanneer": {"start": "2026-12-03"}, "verloopt": "2027-01-31"}
    base = {k: v for k, v in entry_data(soort=kind).items() if k not in values}
    for required in rule.required:
        base[required] = values[required]
    with_key = check(entry_text({**base, key: values[key]}))
    without_key = check(entry_text({k: v for k, v in base.items() if k != key}))
    codes = {p.code for p in with_key.problems} | {p.code for p in without_key.problems}
    code_of = {r.key: r for r in rules.RULE_KEYS}[key]
    assert (code_of.required_code in codes) == (key in rule.required)
    assert (code_of.forbidden_code in codes) == (key in rule.forbidden)
    assert (with_key.entry is not None) == (key not in rule.forbidden)
    assert (without_key.entry is not None) == (key not in rule.required)


CHANGED_TABLE = textwrap.dedent(
    """
    import dataclasses, json, sys
    from pathlib import Path
    from types import MappingProxyType

    from wijknet.content import rules

    rules.LIMITS = MappingProxyType({**rules.LIMITS, "titel": dataclasses.replace(rules.LIMITS["titel"], max_length=60)})
    rules.KIND_RULES = MappingProxyType(
        {**rules.KIND_RULES, "voorziening": dataclasses.replace(rules.KIND_RULES["voorziening"], required=frozenset({"contact"}))}
    )
    postcode = rules.PATTERNS["postcode"]
    rules.PATTERNS = MappingProxyType(
        {**rules.PATTERNS, "postcode": dataclasses.replace(postcode, regex=postcode.regex.replace("[Ss][AaDdSs]", "[Ss][AaDdSs]|[Aa][Aa]"))}
    )

    from pydantic import ValidationError
    from wijknet.content.models import Entry, Location
    from wijknet.content.schema import entry_schema
    from wijknet.project import Project
    from wijknet.submissions import form

    taxonomy = Project.at(Path(sys.argv[1])).load_taxonomy()

    def codes(model, data):
        try:
            model.model_validate(data)
        except ValidationError as error:
            return [[e["type"], e.get("ctx", {}).get("max_length")] for e in error.errors(include_url=False)]
        return []

    entry = json.loads(sys.argv[2])
    schema = entry_schema(taxonomy)
    spec = form.build_form(taxonomy)
    config = form.js_config(spec, endpoint="/api", repository="a/b", branch="main", content_dir="c")
    fields = {f["name"]: f for f in config["fields"]}
    print(json.dumps({
        "model_title": codes(Entry, {**entry, "titel": "x" * 61}),
        "model_title_60": codes(Entry, {**entry, "titel": "x" * 60}),
        "model_help": Entry.model_fields["title"].description,
        "model_voorziening": codes(Entry, {k: v for k, v in {**entry, "soort": "voorziening"}.items() if k != "contact"}),
        "model_postcode": codes(Location, {"postcode": "1094 AA"}),
        "schema_title": schema["properties"]["titel"]["maxLength"],
        "schema_contact_kinds": schema["allOf"][0]["if"]["properties"]["soort"]["enum"],
        "schema_postcode": schema["definitions"]["Location"]["properties"]["postcode"]["pattern"],
        "form_title": fields["titel"]["max_length"],
        "form_contact_note": next(p.required_note for s in spec.sections for p in s.items if p.name == "contact"),
        "form_voorziening": config["kindRules"]["voorziening"]["required"],
        "form_postcode": config["patterns"]["postcode"]["regex"],
    }))
    """
)


def test_a_changed_table_reaches_the_models_the_schema_and_the_form():
    """The models are declared from the table, so the change is made before they are imported."""
    entry = {**entry_data(), "slug": "buurtbuik-oost"}
    done = subprocess.run(
        [sys.executable, "-c", CHANGED_TABLE, str(REPO), json.dumps(entry)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout)
    assert seen["model_title"] == [["string_too_long", 60]]
    assert seen["model_title_60"] == []
    assert seen["model_help"] == "De naam, kort en duidelijk (3 tot 60 tekens)."
    assert [code for code, _ in seen["model_voorziening"]] == ["contact_required"]
    assert [code for code, _ in seen["model_postcode"]] == ["postcode"]
    assert seen["schema_title"] == 60
    assert "voorziening" in seen["schema_contact_kinds"]
    assert "[Aa][Aa]" in seen["schema_postcode"]
    assert seen["form_title"] == 60
    assert "voorziening" in seen["form_contact_note"]
    assert seen["form_voorziening"] == ["contact"]
    assert "[Aa][Aa]" in seen["form_postcode"]


def test_the_unchanged_table_gives_todays_limits():
    """The other side of the test above: without the change, the same script's values differ."""
    assert EntryFields.model_fields["title"].description == "De naam, kort en duidelijk (3 tot 100 tekens)."
    assert "voorziening" not in rules.kinds_requiring("contact")
    assert rules.PATTERNS["postcode"].match("1094 AA")


def test_vocabularies_are_defined_once():
    assert VOCABULARY_IDS == tuple(f.name for f in dataclasses.fields(Taxonomy) if f.name != "path")
    assert set(VOCABULARY_FILES) == set(VOCABULARY_IDS)
    aliases = {info.alias for info in EntryFields.model_fields.values()}
    assert {spec.key for spec in VOCABULARIES} <= aliases
    urls = Urls("https://wijknet.example")
    assert [urls.facet(spec.id, "x") for spec in VOCABULARIES] == [f"/{spec.url_prefix}/x/" for spec in VOCABULARIES]
    assert form.VOCABULARY_OF == {spec.key: spec.id for spec in VOCABULARIES}
