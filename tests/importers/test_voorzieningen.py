"""The facility importer on a small hand-made list, with the real buurt polygons."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from testkit import REPO

from wijknet.safe_yaml import load_path
from wijknet.importers.areas import wijk_code_of
from wijknet.importers.manifest import text_hash
from wijknet.importers.mapping import MappingError, load_mapping
from wijknet.importers.voorzieningen import MANIFEST_NAME, read_facilities
from wijknet.project import Project

from .conftest import DATE, FIXTURE_SOURCE, REAL_SOURCE, snapshot


def front(path: Path) -> dict:
    loaded = load_path(path)
    assert loaded.data is not None, loaded.problems
    return loaded.data


def manifest_of(content: Path) -> dict:
    return json.loads((content / MANIFEST_NAME).read_text(encoding="utf-8"))


def slug_of(content: Path, source_id: str) -> str:
    return manifest_of(content)[source_id]["slug"]


# --- where a point lies -------------------------------------------------------------------


def test_cbs_buurtcode_gives_the_wijk_code():
    assert wijk_code_of("BU0363AC02") == "WK0363AC"
    assert wijk_code_of("bu0363ac02 ") == "WK0363AC"
    assert wijk_code_of("AC02") is None
    assert wijk_code_of("WK0363AC") is None


def test_real_facilities_land_in_their_known_wijk(locator):
    points = [
        (4.860541, 52.390909),  # Buurtboederij Ons Genoegen, Spaarndammerdijk 319
        (4.880908, 52.369859),  # Het Claverhuis, Elandsgracht 70
        (4.86337, 52.349147),  # Huis van de Wijk Olympus, Olympiaweg 29
        (4.76, 52.31),  # Schiphol: in no Amsterdam buurt
    ]
    assert locator.locate(points) == ["spaarndammerbuurt-zeeheldenbuurt", "jordaan", "stadionbuurt", None]


def test_import_puts_each_point_in_its_wijk(tmp_path, run):
    run(tmp_path)
    entries = tmp_path / "initiatieven"
    assert front(entries / "buurtboederij-ons-genoegen.md")["werkgebied"] == ["spaarndammerbuurt-zeeheldenbuurt"]
    assert front(entries / "het-claverhuis.md")["werkgebied"] == ["jordaan"]
    assert front(entries / "hvdw-olympus.md")["werkgebied"] == ["stadionbuurt"]


def test_point_outside_every_buurt_falls_back_to_its_stadsdeel_or_is_skipped(tmp_path, run):
    report = run(tmp_path)
    data = front(tmp_path / "initiatieven" / "buurtkamer-buiten-de-stad.md")
    assert data["werkgebied"] == ["nieuw-west"]
    assert data["samenvatting"].startswith("Buurtkamer in stadsdeel Nieuw-West:")
    assert any(n.source_id == "T103-1" and "stadsdeel Nieuw-West" in n.message for n in report.remarks)
    skipped = {n.source_id: n.message for n in report.skipped}
    assert "buiten alle buurten" in skipped["T104-1"] and "geen stadsdeel" in skipped["T104-1"]
    assert "T104-1" not in manifest_of(tmp_path)


# --- what a record becomes ----------------------------------------------------------------


def test_a_record_becomes_a_complete_voorziening(tmp_path, run):
    run(tmp_path)
    path = tmp_path / "initiatieven" / "buurtboederij-ons-genoegen.md"
    data = front(path)
    assert data == {
        "titel": "Buurtboederij Ons Genoegen",
        "soort": "voorziening",
        "samenvatting": "Buurtkamer in de wijk Spaarndammerbuurt/Zeeheldenbuurt: een plek om buren te ontmoeten en samen iets te doen.",
        "themas": ["ontmoeting", "eenzaamheid"],
        "doelgroepen": ["iedereen"],
        "werkgebied": ["spaarndammerbuurt-zeeheldenbuurt"],
        "locatie": {"adres": "Spaarndammerdijk 319", "postcode": "1014 AA", "lat": "52.390909", "lon": "4.860541"},
        "gecontroleerd": "2026-11-23",
    }
    assert "openbare lijst van maatschappelijke voorzieningen" in load_path(path).body


def test_subtype_overrides_its_category_and_organisation_is_recognised(tmp_path, run):
    run(tmp_path)
    data = front(tmp_path / "initiatieven" / "cordaan-dagcentrum-de-proef.md")
    assert data["themas"] == ["ontmoeting", "dementie", "eenzaamheid", "zorg"]
    assert data["doelgroepen"] == ["ouderen", "mantelzorgers"]
    assert data["organisatie"] == "Cordaan"
    assert data["samenvatting"].startswith("Dagbesteding voor ouderen in de wijk Stadionbuurt:")
    # An empty subtype gets its category's rule; lost letters are put back; no organisation guessed.
    odense = front(tmp_path / "initiatieven" / "odensehuis.md")
    assert odense["themas"] == ["zorg"]
    assert odense["locatie"]["adres"] == "Hygiëastraat 4"
    assert "organisatie" not in odense


def test_mangled_house_number_is_left_out_and_reported(tmp_path, run):
    report = run(tmp_path)
    data = front(tmp_path / "initiatieven" / "buurtkamer-spreadsheet.md")
    assert data["locatie"]["adres"] == "Spaarndammerdijk"
    assert any(n.source_id == "T107-1" and "45659" in n.message for n in report.remarks)


def test_unmapped_category_is_reported_and_skipped(tmp_path, run):
    report = run(tmp_path)
    skipped = {n.source_id: n.message for n in report.skipped}
    assert skipped["T105-1"] == "categorie 'Basisvoorzieningen' > 'Waterspeeltuin' staat niet in voorzieningen.yaml"
    assert not list((tmp_path / "initiatieven").glob("waterspeeltuin*"))


def test_invalid_entry_is_reported_with_its_reason_and_not_written(tmp_path, run):
    report = run(tmp_path)
    assert [n.source_id for n in report.invalid] == ["T106-1"]
    assert "locatie.postcode" in report.invalid[0].message and "10145AA" in report.invalid[0].message
    assert not list((tmp_path / "initiatieven").glob("buurtkamer-verkeerde-postcode*"))
    assert "T106-1" not in manifest_of(tmp_path)
    assert report.failed


def test_only_the_chosen_domains_are_imported(tmp_path, run):
    report = run(tmp_path)
    assert not list((tmp_path / "initiatieven").glob("basisschool*"))
    assert dict(report.per_domain) == {"Basisvoorzieningen": 8, "Jeugd en Zorg": 2}
    run(tmp_path, domains=("Onderwijs",))
    assert front(tmp_path / "initiatieven" / "basisschool-de-proef.md")["themas"] == ["opvoeding"]


def test_every_written_file_validates(tmp_path, run):
    report = run(tmp_path)
    result = Project.at(REPO, content=tmp_path).load(DATE)
    assert result.problems == []
    assert len(result.catalog.entries) == len(report.created) == 10
    assert {entry.kind for entry in result.catalog.entries} == {"voorziening"}


# --- slugs --------------------------------------------------------------------------------


def test_colliding_names_get_the_wijk_then_the_source_id(tmp_path, run):
    run(tmp_path)
    # Three facilities named "Het Honk": one in Stadionbuurt, two in the Jordaan.
    assert slug_of(tmp_path, "T101-1") == "het-honk-stadionbuurt"
    assert slug_of(tmp_path, "T100-1") == "het-honk-jordaan-t100-1"
    assert slug_of(tmp_path, "T102-1") == "het-honk-jordaan-t102-1"
    assert not (tmp_path / "initiatieven" / "het-honk.md").exists()


def test_a_hand_written_file_keeps_its_slug(tmp_path, run):
    entries = tmp_path / "initiatieven"
    entries.mkdir()
    mine = entries / "het-claverhuis.md"
    mine.write_text("---\ntitel: Mijn eigen tekst\n---\n", encoding="utf-8")
    run(tmp_path)
    assert mine.read_text(encoding="utf-8") == "---\ntitel: Mijn eigen tekst\n---\n"
    assert slug_of(tmp_path, "MV1060-1") == "het-claverhuis-jordaan"


# --- idempotency and hand edits -----------------------------------------------------------


def test_second_run_changes_nothing_byte_for_byte(tmp_path, run):
    first = run(tmp_path)
    assert first.manifest_written and len(first.created) == 10
    before = snapshot(tmp_path)
    second = run(tmp_path, date=DATE + dt.timedelta(days=30))  # a later day changes nothing either
    assert snapshot(tmp_path) == before  # same bytes, same modification times: nothing written
    assert (second.created, second.updated, second.manifest_written) == ([], [], False)
    assert len(second.unchanged) == 10


def test_manifest_links_source_ids_to_files_and_hashes(tmp_path, run):
    run(tmp_path)
    manifest_text = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8")
    manifest = json.loads(manifest_text)
    assert list(manifest) == sorted(manifest)
    assert manifest_text == json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    for record in manifest.values():
        path = tmp_path / "initiatieven" / f"{record['slug']}.md"
        assert text_hash(path.read_text(encoding="utf-8")) == record["sha256"]
        assert record["gecontroleerd"] == "2026-11-23"


def test_hand_edits_are_kept_and_reported(tmp_path, run):
    run(tmp_path)
    path = tmp_path / "initiatieven" / "het-claverhuis.md"
    edited = path.read_text(encoding="utf-8").replace("gecontroleerd: 2026-11-23", "tijden: elke dag 9 - 17 uur\ngecontroleerd: 2026-11-23")
    path.write_text(edited, encoding="utf-8")
    manifest_before = (tmp_path / MANIFEST_NAME).read_bytes()
    report = run(tmp_path)
    assert path.read_text(encoding="utf-8") == edited
    assert [n.source_id for n in report.hand_edited] == ["MV1060-1"]
    assert "met de hand aangepast" in report.hand_edited[0].message
    assert (tmp_path / MANIFEST_NAME).read_bytes() == manifest_before
    assert report.files_written == 0


def test_deleted_file_stays_deleted_and_is_reported(tmp_path, run):
    run(tmp_path)
    (tmp_path / "initiatieven" / "hvdw-olympus.md").unlink()
    report = run(tmp_path)
    assert not (tmp_path / "initiatieven" / "hvdw-olympus.md").exists()
    assert [n.source_id for n in report.deleted] == ["MV1082-1"]
    assert slug_of(tmp_path, "MV1082-1") == "hvdw-olympus"


def test_a_changed_source_record_updates_its_file_and_keeps_its_slug(tmp_path, run):
    run(tmp_path)
    source = json.loads(FIXTURE_SOURCE.read_text(encoding="utf-8"))
    for feature in source["features"]:
        if feature["properties"]["MVZN_ID"] == "MV1060-1":
            feature["properties"]["Naam"] = "Het Claverhuis (nieuw)"
    changed = tmp_path / "changed.geojson"
    changed.write_text(json.dumps(source), encoding="utf-8")
    untouched = snapshot(tmp_path / "initiatieven")
    later = DATE + dt.timedelta(days=7)
    report = run(tmp_path, source=changed, date=later)
    assert report.updated == ["het-claverhuis"]
    data = front(tmp_path / "initiatieven" / "het-claverhuis.md")
    assert (data["titel"], data["gecontroleerd"]) == ("Het Claverhuis (nieuw)", later.isoformat())
    after = snapshot(tmp_path / "initiatieven")
    assert {name for name in after if after[name] != untouched[name]} == {"het-claverhuis.md"}


def test_a_record_gone_from_the_source_is_reported_and_its_file_kept(tmp_path, run):
    run(tmp_path)
    source = json.loads(FIXTURE_SOURCE.read_text(encoding="utf-8"))
    source["features"] = [f for f in source["features"] if f["properties"]["MVZN_ID"] != "MV1082-1"]
    smaller = tmp_path / "smaller.geojson"
    smaller.write_text(json.dumps(source), encoding="utf-8")
    report = run(tmp_path, source=smaller)
    assert [n.source_id for n in report.gone_from_source] == ["MV1082-1"]
    assert (tmp_path / "initiatieven" / "hvdw-olympus.md").exists()


def test_dry_run_writes_nothing(tmp_path, run):
    report = run(tmp_path, dry_run=True)
    assert len(report.created) == 10
    assert not tmp_path.joinpath("initiatieven").exists() and not tmp_path.joinpath(MANIFEST_NAME).exists()


# --- the mapping table --------------------------------------------------------------------


def test_mapping_rejects_unknown_taxonomy_ids_and_placeholders(tmp_path, taxonomy):
    data = yaml.safe_load((REPO / "taxonomy" / "voorzieningen.yaml").read_text(encoding="utf-8"))
    data["indeling"]["Basisvoorzieningen"]["Buurtkamer"]["themas"] = ["eenzaam"]
    data["indeling"]["Basisvoorzieningen"]["Buurtkamer"]["samenvatting"] = "Buurtkamer {wijk}: hallo buren."
    bad = tmp_path / "voorzieningen.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MappingError) as raised:
        load_mapping(bad, taxonomy)
    text = "\n".join(raised.value.problems)
    assert '"eenzaam" staat niet in themas.yaml' in text
    assert "alleen {plaats} mag in deze tekst" in text


def test_every_mapped_summary_fits_the_content_rules(mapping):
    longest_place = mapping.place_phrase("wijk", "x" * 40)
    for domain, categories in mapping.data.domains.items():
        for category, rule in categories.items():
            for subtype in ("", *rule.subtypes):
                resolved = mapping.resolve(domain, category, subtype)
                summary = mapping.summary(resolved, longest_place)
                assert 10 <= len(summary) <= 300, (domain, category, subtype)


def test_mapping_covers_every_category_of_the_real_list(mapping):
    facilities, unreadable = read_facilities(REAL_SOURCE, mapping)
    assert unreadable == []
    missing = {(f.domain, f.category) for f in facilities if mapping.resolve(f.domain, f.category, f.subtype) is None}
    assert missing == set()
    assert not [f.name for f in facilities if "?" in f.name or "?" in f.street]  # every lost letter repaired


def test_shipped_sociale_kaart_is_what_the_importer_makes(tmp_path, run):
    """content/ holds the import of the two default domains; a re-run would change nothing."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    manifest = manifest_of(content)
    assert len(manifest) > 700
    report = run(content, source=REAL_SOURCE, date=DATE)
    assert (report.created, report.updated, report.invalid, report.skipped) == ([], [], [], [])
    assert len(report.unchanged) + len(report.hand_edited) + len(report.deleted) == len(manifest)


def test_command_line_reports_and_exits_1_when_records_were_skipped(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "import-voorzieningen", str(FIXTURE_SOURCE),
         "--content", str(tmp_path), "--date", "2026-11-23", "--root", str(REPO),
         "--buurten", str(REPO / "tests" / "importers" / "data" / "buurten-subset.geojson")],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Voorzieningen: 10 nieuw, 0 bijgewerkt, 0 ongewijzigd" in result.stdout
    assert "T105-1 (Waterspeeltuin De Plas): categorie 'Basisvoorzieningen' > 'Waterspeeltuin'" in result.stdout
    again = subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "import-voorzieningen", str(FIXTURE_SOURCE),
         "--content", str(tmp_path), "--domains", "Speelgoed", "--root", str(REPO)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )
    assert again.returncode == 2
    assert "Onbekend domein: 'Speelgoed'" in again.stderr
