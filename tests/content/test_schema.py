"""``schema/entry.schema.json``: generated from the models, committed, and true to the content."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker
from testkit import REPO

from wijknet.cli import main
from wijknet.content.schema import SCHEMA_PATH, render_schema

from .conftest import entry_data, entry_text

SCHEMA_FILE = REPO / SCHEMA_PATH


def _as_json_types(value):
    """PyYAML's dates become the strings a file holds (what an editor's YAML parser sees)."""
    if isinstance(value, dict):
        return {key: _as_json_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json_types(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _front_matter(path: Path):
    text = path.read_text(encoding="utf-8")
    return _as_json_types(yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n")))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=FormatChecker())


def test_committed_schema_is_up_to_date(project):
    expected = render_schema(project.load_taxonomy(), project.load_settings())
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, "run `wijknet schema` and commit the result"


def test_schema_check_command(tmp_path, capsys):
    target = tmp_path / "entry.schema.json"
    assert main(["schema", "--root", str(REPO), "--output", str(target), "--check"]) == 1
    assert main(["schema", "--root", str(REPO), "--output", str(target)]) == 0
    assert main(["schema", "--root", str(REPO), "--output", str(target), "--check"]) == 0
    stale = json.loads(target.read_text(encoding="utf-8"))
    stale["properties"]["themas"]["maxItems"] = 6
    target.write_text(json.dumps(stale), encoding="utf-8")
    assert main(["schema", "--root", str(REPO), "--output", str(target), "--check"]) == 1
    assert "verouderd" in capsys.readouterr().err


def test_schema_is_deterministic(project):
    taxonomy, settings = project.load_taxonomy(), project.load_settings()
    assert render_schema(taxonomy, settings) == render_schema(taxonomy, settings)


def test_schema_knows_the_taxonomy_and_dutch_help(validator, project):
    schema = validator.schema
    taxonomy = project.load_taxonomy()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["soort"]["enum"] == taxonomy.kinds.ids()
    assert schema["properties"]["themas"]["items"]["enum"] == taxonomy.themes.ids()
    assert schema["properties"]["doelgroepen"]["items"]["enum"] == taxonomy.audiences.ids()
    assert schema["properties"]["werkgebied"]["items"]["enum"] == taxonomy.areas.ids()
    assert schema["required"] == ["titel", "soort", "samenvatting", "themas", "werkgebied", "gecontroleerd"]
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"  # what the YAML extension reads
    for name in ("Contact", "Location", "When", "Featured"):
        assert schema["definitions"][name]["additionalProperties"] is False
    assert schema["properties"]["titel"]["description"].startswith("De naam")


def test_the_example_entry_validates_against_the_schema(validator):
    data = entry_data()
    data["locatie"] = {**data["locatie"], "lat": 52.3652, "lon": 4.9391}
    assert [e.message for e in validator.iter_errors(data)] == []


def test_sample_content_validates_against_the_schema(validator):
    files = sorted((REPO / "content" / "initiatieven").rglob("*.md"))
    assert len(files) >= 60
    for path in files:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_front_matter(path))]
        assert errors == [], path.name


@pytest.mark.parametrize(
    "changes",
    [
        {"stauts": "actief"},
        {"contact__emial": "x@y.example"},
        {"themas": ["eenzaam"]},
        {"themas": []},
        {"soort": "activiteit"},
        {"wanneer": {"start": "2026-12-03"}},
        {"verloopt": "2027-01-01"},
        {"contact": {"naam": "Fatima"}},
        {"contact__website": "javascript:alert(1)"},
        {"locatie__postcode": "109 JN"},
        {"locatie__lon": None},
        {"status": "gesloten"},
        {"titel": "BB"},
        {"gecontroleerd": "1 november"},
    ],
    ids=repr,
)
def test_schema_rejects_what_the_validator_rejects(validator, check, changes):
    data = entry_data(**changes)
    if changes == {"locatie__lon": None}:
        data["locatie"].pop("lon")
    assert check(entry_text(data)).problems, "the validator must reject this too"
    data["locatie"] = {**data.get("locatie", {})}
    for key in ("lat", "lon"):
        if key in data["locatie"]:
            data["locatie"][key] = float(data["locatie"][key])
    assert list(validator.iter_errors(data)), changes
