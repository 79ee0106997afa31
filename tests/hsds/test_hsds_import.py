"""``wijknet import-hsds``: the official examples import, the round trip holds, a second run
changes nothing and hand edits stay; bad input gets a Dutch message and an exit code."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hsds_support import BUILD_DATE, EXAMPLES, load_json
from testkit import REPO

from wijknet.importers.hsds import ImportOptions, SourceError, read_dataset, run_import
from wijknet.importers.hsds_mapping import MappingError, load_hsds_mapping
from wijknet.project import Project
from wijknet.safe_yaml import load_path

REPO_PROJECT = Project.at(REPO)


def options(content: Path, source: Path, **changes) -> ImportOptions:
    taxonomy = REPO_PROJECT.load_taxonomy()
    values = dict(
        source=source,
        content_root=content,
        mapping=load_hsds_mapping(REPO / "taxonomy" / "hsds.yaml", taxonomy),
        taxonomy=taxonomy,
        settings=REPO_PROJECT.load_settings(),
        checked=BUILD_DATE,
    )
    values.update(changes)
    return ImportOptions(**values)


def imported(content: Path) -> dict:
    """The entries in ``content`` as the build loads them (validated), by slug."""
    result = Project.at(REPO, content=content).load(BUILD_DATE)
    assert not result.problems, [problem.message("nl") for problem in result.problems[:5]]
    return {entry.slug: entry for entry in result.catalog.entries}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wijknet.cli", "import-hsds", *args, "--root", str(REPO), "--date", BUILD_DATE.isoformat()],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip


# --- the official examples: data we did not write -----------------------------------------------


@pytest.mark.parametrize("source", ["csv", "service_full.json", "tabular.json"])
def test_the_official_examples_import(tmp_path, source):
    report = run_import(options(tmp_path, EXAMPLES / source))
    assert report.created == ["community-counselling"] and not report.skipped and not report.invalid
    entry = imported(tmp_path)["community-counselling"]
    assert entry.title == "Community Counselling" and entry.kind == "voorziening"
    assert entry.summary.startswith("Counselling Services provided by trained professionals.")
    assert entry.themes == ["mentale-gezondheid"]  # "counselling", by a rule of taxonomy/hsds.yaml
    assert entry.areas == ["amsterdam"]  # no area we know: the table's default
    assert entry.organisation == "Example Organization Inc."
    assert (entry.contact.name, entry.contact.email, entry.contact.phone, entry.contact.website) == (
        "Ann Persona", "email@example.com", "+44 1234 234567", "http://example.com/counselling",
    )  # fmt: skip
    assert (entry.location.name, entry.location.address, entry.location.postcode, entry.location.lat) == (
        "MyCity Civic Center", "1-30 Main Street", None, None,
    )  # a postcode that is not Dutch and a point outside the city are left out, and said
    assert entry.hours.startswith("The service is available from 10 am to 6pm weekdays.")
    assert entry.languages == ["ur"] and entry.checked == dt.date(2005, 1, 1)
    assert len(entry.cost) <= 100 and entry.cost.startswith("Non-NHS patients")
    remarks = " ".join(notice.line() for notice in report.remarks)
    assert "postcode 'ABC 1234' is geen Nederlandse postcode" in remarks
    assert "buiten Amsterdam" in remarks and "kosten ingekort" in remarks


def test_the_csv_example_without_a_datapackage_is_read_by_table_names(tmp_path):
    # upstream, examples/csv/datapackage.json is a link to a file that was not copied
    assert (EXAMPLES / "csv" / "datapackage.json").read_text(encoding="utf-8").strip() == "../../datapackage.json"
    dataset = read_dataset(EXAMPLES / "csv")
    assert dataset.form == "datapackage" and len(dataset.services) == 1
    assert [notice.where for notice in dataset.remarks] == ["datapackage.json"]
    service = dataset.services[0]
    assert service["organization"]["name"] == "Example Organization Inc."
    assert service["service_at_locations"][0]["location"]["addresses"][0]["city"] == "MyCity"


def test_a_page_of_the_api_imports_what_it_holds(tmp_path):
    report = run_import(options(tmp_path, EXAMPLES / "service_list.json"))
    assert report.created == ["community-counselling"]
    entry = imported(tmp_path)["community-counselling"]
    assert entry.contact.website == "http://example.com/counselling"  # a list item has no contacts or phones
    assert entry.organisation == "Example Organization Inc."


def test_the_cli_imports_an_example_and_says_what_it_did(tmp_path):
    result = run_cli(str(EXAMPLES / "csv"), "--content", str(tmp_path / "content"))
    assert result.returncode == 0, result.stderr
    assert "HSDS (datapackage): 1 nieuw, 0 bijgewerkt, 0 ongewijzigd (1 bestanden geschreven)." in result.stdout
    assert (tmp_path / "content" / "initiatieven" / "community-counselling.md").is_file()
    assert (tmp_path / "content" / ".hsds-import.json").is_file()


# --- the round trip -----------------------------------------------------------------------------

# The keys HSDS carries; `uitgelicht` (the site's own prikbord) is the one it has no place for.
NOT_CARRIED = {"uitgelicht"}


@pytest.mark.parametrize("shape", ["datapackage", "json"])
def test_the_round_trip_gives_back_every_field_hsds_carries(tmp_path, sample_hsds, shape):
    source = sample_hsds if shape == "datapackage" else sample_hsds / "services"
    report = run_import(options(tmp_path, source))
    assert not report.skipped and not report.invalid, [n.line() for n in report.skipped + report.invalid][:5]
    original = Project.at(REPO).load(BUILD_DATE).catalog
    expected = {entry.slug: entry for entry in original.listed if entry.kind != "vraag"}
    back = imported(tmp_path)
    assert sorted(back) == sorted(expected)  # same file names: the slug travels in the page attribute
    for slug, entry in expected.items():
        before = {key: value for key, value in entry.front_matter().items() if key not in NOT_CARRIED}
        assert back[slug].front_matter() == before, slug
        assert back[slug].description == entry.description, slug


# --- idempotent, hand edits kept ---------------------------------------------------------------


def test_a_second_run_changes_nothing_and_hand_edits_stay(tmp_path, fixture_hsds):
    first = run_import(options(tmp_path, fixture_hsds))
    assert len(first.created) == 7 and first.manifest_written
    folder = tmp_path / "initiatieven"
    before = {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.glob("*.md")}
    manifest = (tmp_path / ".hsds-import.json").read_bytes()

    again = run_import(options(tmp_path, fixture_hsds, checked=BUILD_DATE + dt.timedelta(days=30)))
    assert again.created == again.updated == [] and len(again.unchanged) == 7 and not again.manifest_written
    assert {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in folder.glob("*.md")} == before
    assert (tmp_path / ".hsds-import.json").read_bytes() == manifest

    edited = folder / "buurtmaaltijd-dapperbuurt.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Buurtmaaltijd Dapperbuurt", "Buurtmaaltijd in de Dapperbuurt", 1), encoding="utf-8")
    (folder / "concert-in-de-kerk.md").unlink()
    third = run_import(options(tmp_path, fixture_hsds))
    assert [notice.message for notice in third.hand_edited] == ["buurtmaaltijd-dapperbuurt.md is met de hand aangepast en blijft zoals het is"]
    assert [notice.message for notice in third.deleted] == ["concert-in-de-kerk.md is verwijderd en blijft weg"]
    assert "Buurtmaaltijd in de Dapperbuurt" in edited.read_text(encoding="utf-8")
    assert not (folder / "concert-in-de-kerk.md").exists()


def test_a_changed_source_updates_its_file(tmp_path, fixture_hsds):
    source = tmp_path / "bron"
    shutil.copytree(fixture_hsds / "services", source)
    run_import(options(tmp_path / "site", source))
    service = next(path for path in source.glob("*.json") if load_json(path)["name"] == "Mantelzorgsteunpunt West")
    data = load_json(service)
    data["fees_description"] = "gratis"
    service.write_text(json.dumps(data), encoding="utf-8")
    report = run_import(options(tmp_path / "site", source))
    assert report.updated == ["mantelzorgsteunpunt-west"] and len(report.unchanged) == 6
    assert load_path(tmp_path / "site" / "initiatieven" / "mantelzorgsteunpunt-west.md").data["kosten"] == "gratis"


# --- bad input ------------------------------------------------------------------------------------


def test_an_invalid_row_is_named_by_file_line_and_field(tmp_path):
    source = tmp_path / "bron"
    shutil.copytree(EXAMPLES / "csv", source)
    services = source / "services.csv"
    text = services.read_bytes().decode("utf-8")
    services.write_bytes(text.replace("ac148810-d857-441c-9679-408f346de14b,d9d5", "geen-uuid,d9d5", 1).encode("utf-8"))
    result = run_cli(str(source), "--content", str(tmp_path / "content"))
    assert result.returncode == 1
    assert 'services.csv:2 (Community Counselling): rij overgeslagen: id: "geen-uuid" is geen UUID' in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_path_outside_the_dataset_is_refused(tmp_path):
    source = tmp_path / "bron"
    shutil.copytree(EXAMPLES / "csv", source)
    (source / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "service", "path": "../../geheim.csv"}]}), encoding="utf-8"
    )
    dataset = read_dataset(source)
    assert [notice.line() for notice in dataset.problems] == [
        "datapackage.json (service): pad '../../geheim.csv' ligt buiten de map: overgeslagen"
    ]
    assert dataset.services == []


def test_an_activity_without_a_date_and_an_inactive_service_are_skipped(tmp_path, fixture_hsds):
    services = {load_json(path)["name"]: load_json(path) for path in (fixture_hsds / "services").glob("*.json") if not path.stem.startswith("page-")}
    concert = services["Concert in de Kerk aan het Water"]
    del concert["schedules"]
    stopped = dict(services["Repair Café De Pijp"], status="defunct")
    (tmp_path / "bron.json").write_text(json.dumps([concert, stopped]), encoding="utf-8")
    report = run_import(options(tmp_path / "site", tmp_path / "bron.json"))
    assert sorted(notice.message for notice in report.skipped) == [
        "een activiteit zonder datum (een schema met dtstart of valid_from)",
        "status 'defunct': niet overgenomen",
    ]
    assert report.failed and report.created == []


def test_usage_errors_exit_2_in_dutch(tmp_path):
    missing = run_cli(str(tmp_path / "nergens"), "--content", str(tmp_path / "content"))
    assert missing.returncode == 2 and "bestaat niet" in missing.stderr
    (tmp_path / "kapot.json").write_text("{niet json", encoding="utf-8")
    broken = run_cli(str(tmp_path / "kapot.json"), "--content", str(tmp_path / "content"))
    assert broken.returncode == 2 and "geen geldige JSON" in broken.stderr
    mapping = tmp_path / "hsds.yaml"
    mapping.write_text("regels:\n  - herken: [food]\n    themas: [eten]\n", encoding="utf-8")
    wrong = run_cli(str(EXAMPLES / "csv"), "--content", str(tmp_path / "content"), "--mapping", str(mapping))
    assert wrong.returncode == 2
    assert 'regels[1].themas: "eten" staat niet in themas.yaml' in wrong.stderr
    with pytest.raises(SourceError):
        read_dataset(tmp_path / "kapot.json")
    with pytest.raises(MappingError):
        load_hsds_mapping(mapping, REPO_PROJECT.load_taxonomy())


def test_structured_schedules_and_cost_options_of_another_directory_become_dutch_text(tmp_path):
    service = load_json(EXAMPLES / "service_full.json")
    del service["fees_description"], service["fees"]
    service["schedules"] = [
        {"id": "0f0e3f43-4d1c-4b0a-9d3e-3f3c1f9a6a01", "freq": "WEEKLY", "byday": "MO,WE", "opens_at": "9:00", "closes_at": "12:30"},
        {"id": "0f0e3f43-4d1c-4b0a-9d3e-3f3c1f9a6a02", "freq": "MONTHLY", "byday": "2SA", "opens_at": "13:00", "closes_at": "16:00",
         "notes": "niet in juli"},
    ]  # fmt: skip
    service["cost_options"] = [{"id": "0f0e3f43-4d1c-4b0a-9d3e-3f3c1f9a6a03", "amount": 0, "amount_description": "for residents"}]
    (tmp_path / "bron.json").write_text(json.dumps(service), encoding="utf-8")
    run_import(options(tmp_path / "site", tmp_path / "bron.json"))
    entry = imported(tmp_path / "site")["community-counselling"]
    assert entry.hours == "Elke maandag en woensdag 9.00 - 12.30 uur en elke tweede zaterdag van de maand, 13.00 - 16.00 uur, niet in juli"
    assert entry.cost == "gratis for residents"
