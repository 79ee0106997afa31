"""data/initiatieven.json and data/initiatieven.csv."""

from __future__ import annotations

import csv
import io
import json

from wijknet.content.models import EntryFields
from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import REPO

from wijknet.exports.opendata import csv_columns, guard_formula, indented_json

LISTED = [
    "buurtbuik-dapperbuurt-test",
    "buurtmarkt-hele-stad",
    "concert-in-de-kerk",
    "gezondheidscentrum-west",
    "lezing-afgelopen",
    "script-in-titel-vraag",
]


def _json(outputs):
    return json.loads(outputs["data/initiatieven.json"].decode("utf-8"))


def _csv_rows(outputs):
    text = outputs["data/initiatieven.csv"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_json_holds_listed_entries_sorted_by_slug(outputs):
    data = _json(outputs)
    assert [item["slug"] for item in data] == LISTED
    slugs = {item["slug"] for item in data}
    assert "gestopt-voedselhulp" not in slugs  # gestopt
    assert "oude-vraag-klusjes" not in slugs  # expired question


def test_json_objects_have_content_keys_as_validated(outputs, catalog):
    by_slug = {item["slug"]: item for item in _json(outputs)}
    buik = by_slug["buurtbuik-dapperbuurt-test"]
    assert buik["titel"] == "Buurtbuik Dapperbuurt"
    assert buik["soort"] == "initiatief"
    assert buik["themas"] == ["armoede", "voeding"]
    assert buik["werkgebied"] == ["dapperbuurt"]
    assert buik["contact"]["telefoon"] == "+31 20 123 4567"  # normalised by validation
    assert buik["locatie"] == {
        "naam": "Buurtkamer Dapperbuurt",
        "adres": "Eerste Van Swindenstraat 511",
        "postcode": "1093 GB",
        "lat": 52.36328,
        "lon": 4.92967,
    }
    assert buik["uitgelicht"] == {"tot": "2027-01-31"}
    assert buik["gecontroleerd"] == "2026-11-01"
    assert buik["status"] == "actief"
    assert buik["beschrijving"].startswith("Iedereen is welkom.")
    assert "\n\nWil je meehelpen?" in buik["beschrijving"]
    assert buik["url"] == "https://wijknet.example/initiatieven/buurtbuik-dapperbuurt-test/"
    assert by_slug["gezondheidscentrum-west"]["status"] == "gepauzeerd"
    assert by_slug["concert-in-de-kerk"]["wanneer"] == {"start": "2027-02-14T19:30:00", "einde": "2027-02-14T21:00:00"}
    # nothing beyond the content format's keys, slug, beschrijving and url
    allowed = {field.alias for field in EntryFields.model_fields.values()} | {"slug", "beschrijving", "url"}
    for item in by_slug.values():
        assert set(item) <= allowed
    # the entry as loaded is what the file says
    assert buik == {**catalog.by_slug["buurtbuik-dapperbuurt-test"].front_matter(), "slug": buik["slug"],
                    "status": "actief", "beschrijving": buik["beschrijving"], "url": buik["url"]}


def test_csv_columns_come_from_the_models():
    columns = csv_columns()
    assert columns[0] == "slug" and columns[-2:] == ["beschrijving", "url"]
    for name in ("contact.naam", "contact.email", "contact.telefoon", "contact.website", "locatie.postcode",
                 "locatie.lat", "wanneer.start", "wanneer.einde", "uitgelicht.tot", "uitgelicht.reden"):
        assert name in columns
    for field in EntryFields.model_fields.values():
        assert any(column == field.alias or column.startswith(field.alias + ".") for column in columns), field.alias
    assert "contact" not in columns and len(columns) == len(set(columns))


def test_csv_has_one_row_per_listed_entry_with_header(outputs):
    raw = outputs["data/initiatieven.csv"]
    assert raw.startswith(("slug,titel,soort,").encode())
    assert b"\r\n" in raw
    rows = _csv_rows(outputs)
    assert [row["slug"] for row in rows] == LISTED
    buik = rows[0]
    assert buik["themas"] == "armoede;voeding"
    assert buik["talen"] == "nl;en;ar"
    assert buik["contact.email"] == "oost@buurtbuik.example"
    assert buik["locatie.lat"] == "52.36328"  # a number, never guarded
    assert buik["wanneer.start"] == ""
    assert buik["status"] == "actief"
    assert buik["url"].endswith("/initiatieven/buurtbuik-dapperbuurt-test/")
    vraag = next(row for row in rows if row["slug"] == "script-in-titel-vraag")
    assert vraag["beschrijving"] == (
        'Een regel met een komma, een puntkomma; en "aanhalingstekens".\nTweede regel.'
    )
    assert vraag["titel"] == "Hulp gezocht </script><script>alert(1)</script> & meer"


def test_csv_guards_against_formula_injection(outputs):
    rows = {row["slug"]: row for row in _csv_rows(outputs)}
    vraag = rows["script-in-titel-vraag"]
    assert vraag["samenvatting"].startswith("'=HYPERLINK(")
    assert vraag["organisatie"] == "'@Buurtnetwerk Centrum"
    assert vraag["contact.naam"] == "'-Jan"
    assert rows["buurtbuik-dapperbuurt-test"]["contact.telefoon"] == "'+31 20 123 4567"
    for row in rows.values():
        for column, value in row.items():
            if column not in ("locatie.lat", "locatie.lon"):
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (column, value)


def test_guard_formula_covers_every_trigger():
    for trigger in ("=", "+", "-", "@", "\t", "\r"):
        assert guard_formula(trigger + "1+1") == "'" + trigger + "1+1"
    assert guard_formula("gratis") == "gratis"
    assert guard_formula("a=b") == "a=b"


# --- the fast indented writer against json.dumps(indent=2) --------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=30,
)


def _reference(value, level=0):
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2)
    return text.replace("\n", "\n" + "  " * level)


@settings(max_examples=500, deadline=None)
@given(value=JSON_VALUES, level=st.integers(0, 3))
def test_indented_json_equals_json_dumps(value, level):
    assert indented_json(value, level) == _reference(value, level)


def test_indented_json_equals_json_dumps_on_every_sample_record():
    import datetime as dt

    from wijknet.exports.opendata import entry_record
    from wijknet.project import Project
    from wijknet.engine.urls import Urls

    catalog = Project.at(REPO).load(dt.date(2026, 11, 23)).catalog
    urls = Urls("https://wijknet.example/")
    records = [entry_record(catalog, urls, entry) for entry in catalog.listed]
    assert len(records) > 700
    for record in records:
        assert indented_json(record, 1) == _reference(record, 1)
