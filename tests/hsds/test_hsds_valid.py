"""Every object the build writes to ``data/hsds/`` validates against the official HSDS 3.0
schemas (vendored in ``standards/hsds-3.0/``), with ``jsonschema`` and the draft the
specification declares: on the fixture site, on the sample content and on generated
benchmark content. The checker itself is shown to find broken files."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from hsds_support import EXAMPLES, hsds_files_of, load_json, write_files
from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable
from testkit import REPO, make_site
from testkit.generated import generate_named_entries

from wijknet.hsds.validate import validate_dataset
from wijknet.hsds_format import UPSTREAM_SCHEMA, standard
from wijknet.project import Project


def test_the_schemas_declare_their_draft_and_it_is_used():
    schemas = standard()
    openapi = load_json(schemas.folder / "schema" / "openapi.json")
    assert schemas.dialect == openapi["jsonSchemaDialect"] == "https://json-schema.org/draft/2020-12/schema"
    assert isinstance(schemas.validator("service"), Draft202012Validator)


def test_formats_are_checked_not_only_named():
    schemas = standard()
    good = load_json(EXAMPLES / "service_full.json")
    assert schemas.errors("service", good) == []  # the official example
    bad = dict(good, id="geen-uuid", url="geen adres", email="geen-email", last_modified="gisteren")
    errors = " ".join(schemas.errors("service", bad))
    for text in ('"geen-uuid" is geen UUID', '"geen adres" is geen webadres (URI)', '"geen-email" is geen e-mailadres',
                 '"gisteren" is geen datum met tijd (RFC 3339)'):  # fmt: skip
        assert text in errors
    nested = json.loads(json.dumps(good))
    nested["phones"][0]["id"] = "x"  # an object inside, reached through a $ref
    assert any(error.startswith("phones/0/id") for error in schemas.errors("service", nested))


def test_references_are_resolved_locally_and_never_fetched():
    registry = standard()._registry
    assert registry.resolver().lookup(UPSTREAM_SCHEMA + "phone.json").contents["name"] == "phone"
    with pytest.raises(Unresolvable):  # not copied, so not there: no download
        registry.resolver().lookup(UPSTREAM_SCHEMA + "compiled/service.json")


def _assert_valid(folder):
    problems, counts = validate_dataset(folder)
    assert problems == [], "\n".join(problems[:20])
    return counts


def test_the_fixture_site_is_valid(fixture_hsds):
    counts = _assert_valid(fixture_hsds)
    for name in ("service", "organization", "location", "address", "service_at_location", "phone", "contact",
                 "schedule", "language", "cost_option", "service_area", "attribute", "taxonomy", "taxonomy_term", "Page", "root"):  # fmt: skip
        assert counts.get(name), f"no {name} was checked"


def test_the_sample_content_is_valid(sample_hsds):
    counts = _assert_valid(sample_hsds)
    assert counts["service"] >= 2 * 700  # each service as a row, a file and a list item


@pytest.mark.slow
def test_a_thousand_generated_entries_are_valid(tmp_path):
    root = make_site(tmp_path / "site", entries=generate_named_entries(1000))
    write_files(hsds_files_of(Project.at(root)), tmp_path / "out")
    counts = _assert_valid(tmp_path / "out" / "data" / "hsds")
    assert counts["service"] > 1000


def test_the_golden_service_is_valid():
    golden = load_json(REPO / "tests" / "golden" / "hsds" / "service-buurtmaaltijd-dapperbuurt.json")
    assert standard().errors("service", golden) == []


# --- the checker finds what is wrong ------------------------------------------------------


@pytest.fixture()
def copy(fixture_hsds, tmp_path):
    target = tmp_path / "hsds"
    shutil.copytree(fixture_hsds, target)
    return target


def test_a_bad_id_in_a_csv_row_is_found(copy):
    path = copy / "phones.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines[1] = "niet-een-uuid" + lines[1][36:]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    problems, _ = validate_dataset(copy)
    assert problems == ['phones.csv:2: id: "niet-een-uuid" is geen UUID']


def test_a_service_without_a_name_and_a_dangling_link_are_found(copy):
    service = next(path for path in (copy / "services").glob("*.json") if not path.stem.startswith("page-"))
    data = load_json(service)
    del data["name"]
    service.write_text(json.dumps(data), encoding="utf-8")
    contacts = copy / "contacts.csv"
    records = list(csv.DictReader(io.StringIO(contacts.read_bytes().decode("utf-8"), newline="")))
    records[0]["service_id"] = "00000000-0000-5000-8000-000000000000"
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    contacts.write_bytes(buffer.getvalue().encode("utf-8"))
    problems, _ = validate_dataset(copy)
    assert any(p.startswith(f"services/{service.name}: (geheel): 'name' ontbreekt (verplicht)") for p in problems), problems
    assert any("contacts.csv:2: service_id 00000000-0000-5000-8000-000000000000 staat niet in services.csv" in p for p in problems)


def test_a_column_out_of_place_and_a_stray_file_are_found(copy):
    package = load_json(copy / "datapackage.json")
    package["resources"][0]["schema"]["fields"].reverse()
    (copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (copy / "services" / "extra.json").write_text("{}", encoding="utf-8")
    problems, _ = validate_dataset(copy)
    assert any(p.startswith("organizations.csv: kolommen") for p in problems)
    assert "services/extra.json: hoort niet bij deze indeling" in problems
