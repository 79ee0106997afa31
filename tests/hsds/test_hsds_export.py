"""The HSDS 3.0 export (``data/hsds/``): what each entry becomes, ids, both shapes, the
datapackage, and one golden service."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid

import pytest
from hsds_support import BUILD_DATE, FIXTURE, hsds_files_of, load_json
from testkit import REPO, make_site

from wijknet.build import load_valid_catalog
from wijknet.engine.cache import BuildCache
from wijknet.engine.urls import Urls
from wijknet.hsds import provider as hsds_provider
from wijknet.hsds.tables import csv_line
from wijknet.hsds_format import IdMaker, guard_cell, read_csv_table, stable_id, standard, unguard_cell
from wijknet.project import Project
from wijknet.providers import site_build

SITE = "https://wijknet.example"  # the repository's site.yaml
GOLDEN = REPO / "tests" / "golden" / "hsds"


def service_id(slug: str, site: str = SITE) -> str:
    return stable_id(site, "service", slug)


def full_service(hsds, slug: str) -> dict:
    return load_json(hsds / "services" / f"{service_id(slug)}.json")


def rows(hsds, table: str) -> list[dict]:
    found, unknown = read_csv_table((hsds / standard().table(table).path).read_bytes(), standard().table(table))
    assert unknown == []
    return found


def attribute_codes(item: dict, link_type: str) -> list[str]:
    return [a["taxonomy_term"]["code"] for a in item.get("attributes", []) if a["link_type"] == link_type]


# --- what an entry becomes --------------------------------------------------------------


def test_services_are_the_listed_entries_without_questions(fixture_hsds):
    names = sorted(row["name"] for row in rows(fixture_hsds, "service"))
    assert names == sorted(
        [
            "Buurtmaaltijd Dapperbuurt",
            "Concert in de Kerk aan het Water",
            "Zomermarkt in de hele stad",
            "Mantelzorgsteunpunt West",
            "Formulierenhulp op afspraak",
            "Repair Café De Pijp",
            "Wandeling door het Flevopark",
        ]
    )  # no question (vraag), nothing gestopt
    files = sorted(path.stem for path in (fixture_hsds / "services").glob("*.json") if not path.stem.startswith("page-"))
    assert files == sorted(row["id"] for row in rows(fixture_hsds, "service"))


def test_an_initiative_with_everything(fixture_hsds):
    service = full_service(fixture_hsds, "buurtmaaltijd-dapperbuurt")
    assert service["name"] == "Buurtmaaltijd Dapperbuurt"
    assert service["description"].startswith("Elke donderdag samen eten met buren in de Dapperbuurt, voor een kleine prijs.\n\nIedereen is welkom.")
    assert service["status"] == "active" and service["assured_date"] == "2026-11-01"
    assert service["url"] == "https://samen.example/dapperbuurt" and service["email"] == "eten@samen.example"
    assert service["organization"]["name"] == "Stichting Samen Eten"
    assert service["organization_id"] == service["organization"]["id"]
    # contact with its phone; the phone is the service's too
    [contact] = service["contacts"]
    assert contact["name"] == "Fatima El Amrani" and contact["phones"][0]["number"] == "+31 20 123 4567"
    assert service["phones"][0]["number"] == "+31 20 123 4567"
    # location and address
    [place] = service["service_at_locations"]
    location = place["location"]
    assert (location["name"], location["latitude"], location["longitude"]) == ("Buurtkamer Dapperbuurt", 52.36328, 4.92967)
    [address] = location["addresses"]
    assert address == {
        "id": address["id"], "address_1": "Eerste Van Swindenstraat 511",
        "city": "Amsterdam", "state_province": "Noord-Holland", "postal_code": "1093 GB", "country": "NL",
        "address_type": "physical",
    }  # fmt: skip
    # structured hours: weekly, with the remark as notes and the whole text as description
    [schedule] = service["schedules"]
    assert (schedule["freq"], schedule["byday"], schedule["opens_at"], schedule["closes_at"]) == ("WEEKLY", "TH", "17:30", "19:30")
    assert schedule["notes"] == "niet in de schoolvakanties"
    assert schedule["description"] == "Elke donderdag 17.30 - 19.30 uur, niet in de schoolvakanties"
    # languages, costs
    assert [(item["code"], item["name"]) for item in service["languages"]] == [("nl", "Nederlands"), ("ar", "Arabisch"), ("tr", "Turks")]
    assert service["fees_description"] == "€ 3 per maaltijd, met Stadspas gratis"
    assert service["cost_options"] == [{
        "id": service["cost_options"][0]["id"], "amount": 3, "currency": "EUR",
        "amount_description": "€ 3 per maaltijd, met Stadspas gratis",
    }]  # fmt: skip
    # taxonomy terms through attributes; the page on the site as the value of one more
    assert attribute_codes(service, "soort") == ["initiatief"]
    assert attribute_codes(service, "themas") == ["voeding", "ontmoeting"]
    assert attribute_codes(service, "doelgroepen") == ["iedereen", "ouderen"]
    [page] = [a for a in service["attributes"] if a["link_type"] == "pagina"]
    assert page["value"] == f"{SITE}/initiatieven/buurtmaaltijd-dapperbuurt/"


def test_werkgebied_is_a_service_area_with_name_and_code(fixture_hsds):
    service = full_service(fixture_hsds, "mantelzorgsteunpunt-west")
    areas = service["service_areas"]
    assert [area["name"] for area in areas] == ["West", "Oud-West, De Baarsjes"]
    assert areas[0]["extent"] == "E" and areas[0]["extent_type"] == "text"
    assert areas[0]["description"] == "Stadsdeel West in Amsterdam, gebiedscode E"
    assert areas[1]["uri"] == f"{SITE}/gebied/oud-west-de-baarsjes/"
    assert [attribute_codes(area, "werkgebied") for area in areas] == [["west"], ["oud-west-de-baarsjes"]]


def test_hours_in_two_parts_and_monthly_hours(fixture_hsds):
    weekly = full_service(fixture_hsds, "mantelzorgsteunpunt-west")["schedules"]
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("WEEKLY", "MO,TU,WE,TH,FR", "09:00", "12:30"),
        ("WEEKLY", "TH", "19:00", "21:00"),
    ]
    monthly = full_service(fixture_hsds, "repair-cafe-de-pijp")["schedules"]
    assert [(s["freq"], s["byday"]) for s in monthly] == [("MONTHLY", "1SA")]
    free = full_service(fixture_hsds, "spreekuur-in-overleg")["schedules"]
    assert free == [{"id": free[0]["id"], "description": "Eén keer per week, in overleg"}]


def test_an_activity_has_its_dates_as_a_schedule_with_offsets(fixture_hsds):
    [concert] = full_service(fixture_hsds, "concert-in-de-kerk")["schedules"]
    assert (concert["dtstart"], concert["valid_from"], concert["valid_to"]) == ("2027-02-14", "2027-02-14", "2027-02-14")
    assert (concert["opens_at"], concert["closes_at"], concert["timezone"]) == ("19:30+01:00", "21:00+01:00", 1)
    assert "freq" not in concert
    [market] = full_service(fixture_hsds, "zomermarkt-hele-stad")["schedules"]
    assert (market["valid_from"], market["valid_to"]) == ("2027-06-26", "2027-06-27")
    assert "opens_at" not in market and "timezone" not in market  # all day: no times


def test_status_and_an_entry_without_organisation(fixture_hsds):
    paused = full_service(fixture_hsds, "spreekuur-in-overleg")
    assert paused["status"] == "temporarily closed"
    # the tabular form needs an organization for every service: the entry is its own
    assert paused["organization"]["name"] == "Formulierenhulp op afspraak"
    assert paused["organization"]["description"].startswith("Geen aparte organisatie")


def test_vocabularies_are_taxonomies_with_every_term(fixture_hsds):
    taxonomies = {row["name"]: row for row in rows(fixture_hsds, "taxonomy")}
    assert set(taxonomies) == {
        "Wijknet Amsterdam: soorten", "Wijknet Amsterdam: thema's", "Wijknet Amsterdam: doelgroepen",
        "Wijknet Amsterdam: gebieden", "Wijknet Amsterdam: pagina's",
    }  # fmt: skip
    terms = rows(fixture_hsds, "taxonomy_term")
    taxonomy = Project.at(REPO).load_taxonomy()
    themes = [t for t in terms if t["taxonomy_id"] == taxonomies["Wijknet Amsterdam: thema's"]["id"]]
    assert [t["code"] for t in themes] == taxonomy.themes.ids()  # all, not only those in use
    areas = {t["code"]: t for t in terms if t["taxonomy_id"] == taxonomies["Wijknet Amsterdam: gebieden"]["id"]}
    assert areas["dapperbuurt"]["parent_id"] == areas["oud-oost"]["id"]  # the area tree
    assert "parent_id" not in areas["amsterdam"]
    # every attribute links to one of these terms
    term_ids = {t["id"] for t in terms}
    assert all(row["taxonomy_term_id"] in term_ids for row in rows(fixture_hsds, "attribute"))


# --- ids ---------------------------------------------------------------------------------


def test_ids_are_uuid5_over_the_site_url_and_a_key():
    site = uuid.uuid5(uuid.NAMESPACE_URL, "https://wijknet.example/")
    assert stable_id("https://wijknet.example", "service", "x") == str(uuid.uuid5(site, "service/x"))
    assert IdMaker("https://wijknet.example/")("a", "b") == str(uuid.uuid5(site, "a/b"))
    assert stable_id("https://other.example", "service", "x") != stable_id("https://wijknet.example", "service", "x")


def test_ids_survive_a_rebuild_and_depend_on_the_site(tmp_path, fixture_project):
    first = hsds_files_of(fixture_project)
    second = hsds_files_of(fixture_project)
    assert first == second  # same input, same bytes
    other = make_site(
        tmp_path / "other",
        settings=(REPO / "site.yaml").read_text(encoding="utf-8").replace("url: https://wijknet.example", "url: https://buurt.example"),
        content=FIXTURE,
    )
    moved = hsds_files_of(Project.at(other))
    table = standard().table("service")
    ids = lambda files: {row["id"] for row in read_csv_table(files["data/hsds/services.csv"], table)[0]}  # noqa: E731
    assert len(ids(first)) == 7 and not ids(first) & ids(moved)


# --- the two shapes ------------------------------------------------------------------------


def test_every_table_is_written_with_the_schema_columns(fixture_hsds):
    package = load_json(fixture_hsds / "datapackage.json")
    assert [resource["path"] for resource in package["resources"]] == [table.path for table in standard().tables]
    for table in standard().tables:
        header = (fixture_hsds / table.path).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == list(table.column_names)
    services = next(r for r in package["resources"] if r["name"] == "service")
    assert services["schema"]["primaryKey"] == ["id"]
    assert {"fields": "organization_id", "reference": {"resource": "organization", "fields": "id"}} in services["schema"]["foreignKeys"]
    organization_id = next(f for f in services["schema"]["fields"] if f["name"] == "organization_id")
    assert organization_id["constraints"] == {"required": True} and organization_id["format"] == "uuid"


def test_the_datapackage_names_the_licence_from_site_yaml(fixture_hsds, tmp_path):
    package = load_json(fixture_hsds / "datapackage.json")
    assert package["licenses"] == [{
        "name": "CC-BY-4.0", "title": "Creative Commons Naamsvermelding 4.0 Internationaal",
        "path": "https://creativecommons.org/licenses/by/4.0/deed.nl",
    }]  # fmt: skip
    assert package["profile"] == "tabular-data-package" and package["homepage"] == f"{SITE}/"
    settings = "\n".join(
        line for line in (REPO / "site.yaml").read_text(encoding="utf-8").splitlines()
        if not line.startswith(("datalicentie", "  id:", "  naam:", "  url:"))
    )  # fmt: skip
    root = make_site(tmp_path / "site", settings=settings, content=FIXTURE)
    files = hsds_files_of(Project.at(root))
    assert "licenses" not in json.loads(files["data/hsds/datapackage.json"])


def test_api_layout_pages_and_files(fixture_hsds):
    root = load_json(fixture_hsds / "index.json")
    assert root == {"version": "3.0", "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"}
    page = load_json(fixture_hsds / "services" / "page-1.json")
    assert (page["total_items"], page["total_pages"], page["page_number"], page["size"]) == (7, 1, 1, 7)
    assert page["first_page"] and page["last_page"] and not page["empty"]
    assert all("organization" in item and "attributes" not in item for item in page["contents"])
    organizations = load_json(fixture_hsds / "organizations" / "page-1.json")["contents"]
    samen = next(o for o in organizations if o["name"] == "Stichting Samen Eten")
    full = load_json(fixture_hsds / "organizations" / f"{samen['id']}.json")
    assert [service["name"] for service in full["services"]] == ["Buurtmaaltijd Dapperbuurt"]
    terms = load_json(fixture_hsds / "taxonomy_terms" / "page-1.json")
    assert terms["total_pages"] == -(-terms["total_items"] // 100) and terms["size"] == 100
    term = terms["contents"][0]
    assert load_json(fixture_hsds / "taxonomy_terms" / f"{term['id']}.json") == term
    assert term["taxonomy_detail"]["id"] == term["taxonomy_id"]


def test_pages_split_at_the_page_size(tmp_path):
    from wijknet.hsds.api import pages

    items = [{"n": n} for n in range(5)]
    split = list(pages("x", items, size=2))
    assert [path for path, _ in split] == ["x/page-1.json", "x/page-2.json", "x/page-3.json"]
    assert [page["size"] for _, page in split] == [2, 2, 1] and split[2][1]["last_page"]
    [(path, empty)] = list(pages("x", [], size=2))
    assert empty["empty"] and empty["total_pages"] == 1 and empty["contents"] == []


# --- CSV -----------------------------------------------------------------------------------


def test_csv_lines_are_what_csv_writer_writes(sample_hsds):
    for path in sorted(sample_hsds.glob("*.csv")):
        data = path.read_text(encoding="utf-8")
        for record in csv.reader(io.StringIO(data, newline="")):
            buffer = io.StringIO(newline="")
            csv.writer(buffer, lineterminator="\r\n").writerow(record)
            assert csv_line(record) == buffer.getvalue()
    for record in (["a,b", 'say "hi"', "two\nlines", "", " space "], ["€ 3", "\r"]):
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerow(record)
        assert csv_line(record) == buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=SOM(A1) staat hier", "'=SOM(A1) staat hier"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd", "'-2+3+cmd"),
        ("+31 20 123 4567", "+31 20 123 4567"),  # a phone number stays a phone number
        ("-4.9", "-4.9"),
        ("gewoon", "gewoon"),
    ],
)
def test_formula_cells_are_guarded_and_read_back(text, guarded):
    assert guard_cell(text) == guarded
    assert unguard_cell(guard_cell(text)) == text


def test_a_formula_in_a_summary_is_guarded_in_the_csv(fixture_hsds):
    text = (fixture_hsds / "services.csv").read_text(encoding="utf-8")
    assert "'=SOM(A1) staat hier niet als formule" in text
    [row] = [row for row in rows(fixture_hsds, "service") if row["name"] == "Repair Café De Pijp"]
    assert row["description"].startswith("=SOM(A1)")  # read back as written in the entry


# --- build cache and golden service ------------------------------------------------------------


def test_an_unchanged_entry_is_not_exported_again(tmp_path, fixture_project, monkeypatch):
    made = []
    real = hsds_provider.entry_rows
    monkeypatch.setattr(hsds_provider, "entry_rows", lambda catalog, urls, entry: made.append(entry.slug) or real(catalog, urls, entry))

    def files():
        # loaded as the build loads: with the entry cache, which gives each entry its digest
        catalog = load_valid_catalog(fixture_project, BUILD_DATE, tmp_path / "cache", jobs=1)
        cache = BuildCache(tmp_path / "cache").for_build("inputs", catalog)
        produced = hsds_provider.dataset_files(site_build(catalog, Urls(catalog.settings.site_url), cache))
        cache.save()
        return produced

    first = files()
    assert len(made) == 7
    made.clear()
    assert files() == first and made == []  # every entry's part came from the cache


def test_golden_service(fixture_hsds):
    """One full service, as a reviewed file: a change to the export shows up as its diff.
    Regenerate with ``WIJKNET_UPDATE_GOLDEN=1``."""
    actual = json.dumps(full_service(fixture_hsds, "buurtmaaltijd-dapperbuurt"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    golden = GOLDEN / "service-buurtmaaltijd-dapperbuurt.json"
    if os.environ.get("WIJKNET_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run with WIJKNET_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8"), "the exported service changed; review and regenerate the golden file"


def test_a_rebuild_with_nothing_changed_does_no_hsds_work(tmp_path, fixture_project, monkeypatch):
    from wijknet.build import build_site

    output, cache = tmp_path / "output", tmp_path / "cache"
    build_site(fixture_project, output, BUILD_DATE, cache_dir=cache)
    written = (output / "data" / "hsds" / "services.csv").read_bytes()

    def refuse(build):
        raise AssertionError("the HSDS files were made again")

    monkeypatch.setattr(hsds_provider, "dataset_files", refuse)
    report = build_site(fixture_project, output, BUILD_DATE, cache_dir=cache)
    assert report.rendered == 0 and report.written == 0
    assert (output / "data" / "hsds" / "services.csv").read_bytes() == written


def test_the_schemas_are_an_input_of_every_build(tmp_path, monkeypatch):
    import shutil

    from wijknet import build as build_module
    from wijknet.hsds_format import STANDARD_DIR

    project = Project.at(REPO)
    before = build_module.build_inputs(project, BUILD_DATE)
    copy = tmp_path / "hsds-3.0"
    shutil.copytree(STANDARD_DIR / "schema", copy / "schema")
    monkeypatch.setattr(build_module, "STANDARD_DIR", copy)
    assert build_module.build_inputs(project, BUILD_DATE) == before  # same files, same inputs
    phone = copy / "schema" / "phone.json"
    phone.write_text(phone.read_text(encoding="utf-8").replace('"voice"', '"stem"'), encoding="utf-8")
    assert build_module.build_inputs(project, BUILD_DATE) != before  # a changed table layout rebuilds
