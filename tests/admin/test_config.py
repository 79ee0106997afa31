"""admin/config.yml is generated from the models, the rule table and the taxonomy, and the
tests hold it to them: a field, its order, its required mark, choices, limits, patterns and
date formats come from there, and a model field the desk cannot show stops the build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from bs4 import BeautifulSoup
from pydantic import Field
from testkit import FIXTURES, REPO, TEST_DATE, make_site, unhashed

from wijknet.admin import config as desk_config
from wijknet.admin.config import DeskConfigError, decap_config, desk_facts, entry_fields, render_config
from wijknet.content.models import FRONT_MATTER_KEYS, EntryFields, Part
from wijknet.content.rules import FIELD_PATTERNS, LANGUAGE_CODES, LIMITS, PATTERNS
from wijknet.content.writer import render_entry
from wijknet.engine.format import admin_content_security_policy, content_security_policy
from wijknet.news import NEWS_KEY_ORDER, NEWS_REQUIRED
from wijknet.project import Project
from wijknet.settings import DEFAULT_LOCAL_BACKEND, SettingsError, local_backend_url
from wijknet.taxonomy import VOCABULARY_OF_KEY

META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


@pytest.fixture(scope="module")
def city():
    project = Project.at(REPO)
    return project.load_taxonomy(), project.load_settings()


@pytest.fixture(scope="module")
def config(city):
    return decap_config(*city, DEFAULT_LOCAL_BACKEND)


def _collection(config, name):
    return next(collection for collection in config["collections"] if collection["name"] == name)


def _by_name(fields):
    return {field["name"]: field for field in fields}


def _parts():
    return {
        info.alias: info.annotation.__args__[0]
        for info in EntryFields.model_fields.values()
        if isinstance(getattr(info.annotation, "__args__", (None,))[0], type)
        and issubclass(info.annotation.__args__[0], Part)
    }


def test_the_entry_fields_are_the_models_in_the_content_formats_order(config):
    entries = _collection(config, "initiatieven")
    assert [field["name"] for field in entries["fields"]] == [*FRONT_MATTER_KEYS, "beschrijving"]
    fields = _by_name(entries["fields"])
    for name, info in EntryFields.model_fields.items():
        field = fields[info.alias]
        assert field["required"] is info.is_required(), info.alias
        assert field["label"] and field["label"] == desk_config.LABELS[info.alias]
        if info.description:
            assert field["hint"].startswith(info.description), info.alias
    assert fields["beschrijving"]["required"] is False and fields["beschrijving"]["widget"] == "text"


def test_the_collection_is_content_initiatieven_in_markdown_with_the_contracts_slug(config, city):
    entries = _collection(config, "initiatieven")
    assert entries["folder"] == "content/initiatieven" == city[1].content_dir
    assert entries["extension"] == "md" and entries["format"] == desk_config.ENTRY_FORMAT
    # the slug is made by the desk's script (the contract's rule) and kept under the hidden key
    assert entries["slug"] == "{{_wijknet.slug}}" and entries["identifier_field"] == "titel"
    assert entries["delete"] is False  # archive with status: gestopt instead


def test_nested_parts_are_objects_with_their_models_fields(config, city):
    fields = _by_name(_collection(config, "initiatieven")["fields"])
    parts = _parts()
    assert set(parts) == {"contact", "locatie", "wanneer", "uitgelicht"}
    for key, model in parts.items():
        field = fields[key]
        assert field["widget"] == "object" and field["required"] is False
        inner = [(info.alias, info) for info in model.model_fields.values()]
        assert [child["name"] for child in field["fields"]] == [alias for alias, _ in inner]
        # Decap checks a part's fields even when the part is empty: the desk's own check asks
        # for what a filled-in part needs
        assert all(child["required"] is False for child in field["fields"])
    facts = desk_facts(*city)
    needs = {key: [i.alias for i in model.model_fields.values() if i.is_required()] for key, model in parts.items()}
    assert facts["rules"]["partNeeds"] == {key: value for key, value in needs.items() if value}
    assert facts["rules"]["partNeeds"] == {"wanneer": ["start"], "uitgelicht": ["tot"]}


def test_taxonomy_fields_are_selects_with_multiple_and_max_from_the_rules(config, city):
    taxonomy = city[0]
    fields = _by_name(_collection(config, "initiatieven")["fields"])
    for key, vocabulary in VOCABULARY_OF_KEY.items():
        field = fields[key]
        assert field["widget"] == "select", key
        assert [option["value"] for option in field["options"]] == taxonomy.vocabulary(vocabulary).ids()
        limits = LIMITS.get(key)
        if key == "soort":
            assert "multiple" not in field
            continue
        assert field["multiple"] is True
        assert field.get("max") == limits.max_items and field.get("min") == limits.min_items
    assert fields["werkgebied"]["options"][0] == {"label": "Amsterdam (de hele stad)", "value": "amsterdam"}
    assert {"label": "Dapperbuurt (wijk, Oost)", "value": "dapperbuurt"} in fields["werkgebied"]["options"]
    talen = fields["talen"]
    assert talen["multiple"] is True and talen["max"] == LIMITS["talen"].max_items
    assert [option["value"] for option in talen["options"]] == sorted(LANGUAGE_CODES)
    assert [option["value"] for option in fields["status"]["options"]] == ["actief", "gepauzeerd", "gestopt"]


def _dayjs_to_regex(format_: str) -> str:
    return "^" + format_.replace("YYYY", "[0-9]{4}").replace("MM", "[0-9]{2}").replace("DD", "[0-9]{2}").replace(
        "HH", "[0-9]{2}"
    ).replace("mm", "[0-9]{2}") + "$"


def test_dates_use_yyyy_mm_dd_and_date_times_the_contracts_format(config):
    fields = _by_name(_collection(config, "initiatieven")["fields"])
    dated = {key: name for key, name in FIELD_PATTERNS.items() if name in ("date", "moment") and not key.startswith("inzender")}
    for key, pattern in dated.items():
        head, _, tail = key.partition(".")
        field = _by_name(fields[head]["fields"])[tail] if tail else fields[head]
        assert field["widget"] == "datetime" and field["picker_utc"] is False, key
        shape = re.compile(_dayjs_to_regex(field["format"]))
        if pattern == "date":
            assert field["format"] == "YYYY-MM-DD" and field["time_format"] is False
            assert all(shape.match(example) for example in PATTERNS["date"].accepts)
        else:
            assert field["format"] == "YYYY-MM-DD HH:mm"
            # what the widget writes is what the writer writes, and the model reads it
            assert shape.match("2027-01-15 19:30") and PATTERNS["moment"].match("2027-01-15 19:30")
    entry_text = (REPO / "content" / "initiatieven" / "buurtbuik-dapperbuurt.md").read_text(encoding="utf-8")
    assert re.search(r"^gecontroleerd: [0-9]{4}-[0-9]{2}-[0-9]{2}$", entry_text, re.M)


def test_postcode_phone_email_and_website_carry_the_rule_tables_patterns(config):
    fields = _by_name(_collection(config, "initiatieven")["fields"])
    contact, location = _by_name(fields["contact"]["fields"]), _by_name(fields["locatie"]["fields"])
    checked = {
        "postcode": location["postcode"], "phone": contact["telefoon"],
        "email": contact["email"], "website": contact["website"],
    }  # fmt: skip
    node = shutil.which("node")
    assert node, "node is needed for this test (make install)"
    for name, field in checked.items():
        pattern, text = field["pattern"]
        assert pattern == PATTERNS[name].portable and text
        # Decap tests a value as RegExp(pattern).test(value): no flags
        script = "const [p, a, r] = JSON.parse(require('fs').readFileSync(0, 'utf8'));" \
                 "console.log(JSON.stringify([a.map(v => RegExp(p).test(v)), r.map(v => RegExp(p).test(v))]))"
        done = subprocess.run([node, "-e", script], input=json.dumps([pattern, PATTERNS[name].accepts, PATTERNS[name].rejects]),
                              capture_output=True, text=True, check=True)  # fmt: skip
        accepted, rejected = json.loads(done.stdout)
        assert all(accepted) and not any(rejected), name


def test_coordinates_are_numbers_inside_the_city_and_no_map_widget_anywhere(config, city):
    settings = city[1]

    def walk(fields):
        for field in fields:
            yield field
            yield from walk(field.get("fields", []))

    every = [field for collection in config["collections"] for field in walk(collection["fields"])]
    assert "map" not in {field["widget"] for field in every}
    location = _by_name(_by_name(_collection(config, "initiatieven")["fields"])["locatie"]["fields"])
    assert location["lat"]["widget"] == location["lon"]["widget"] == "number"
    assert (location["lat"]["min"], location["lat"]["max"]) == (settings.bbox.min_lat, settings.bbox.max_lat)
    assert (location["lon"]["min"], location["lon"]["max"]) == (settings.bbox.min_lon, settings.bbox.max_lon)


def test_views_sort_filter_and_group_for_moderation(config, city):
    entries = _collection(config, "initiatieven")
    sort = {field["field"]: field for field in entries["sortable_fields"]}
    assert set(sort) == {"titel", "gecontroleerd", "soort"}
    assert sort["gecontroleerd"]["default_sort"] == "asc"  # what needs checking comes first
    filters = {(item["field"], item["pattern"]) for item in entries["view_filters"]}
    assert {("soort", f"^{kind}$") for kind in city[0].kinds.ids()} <= filters
    assert {("_wijknet.status", f"^{status}$") for status in ("actief", "gepauzeerd", "gestopt")} <= filters
    assert ("_wijknet.prikbord", "^ja$") in filters
    assert {"label": "Stadsdeel", "field": "_wijknet.stadsdeel"} in entries["view_groups"]


def test_production_uses_github_with_the_editorial_workflow_and_the_local_backend_on_127(config, city):
    assert config["backend"]["name"] == "github" and config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["repo"] == city[1].repository and config["backend"]["branch"] == city[1].branch
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    assert config["locale"] == "nl"
    with_auth = decap_config(city[0], city[1].model_copy(update={"admin_auth_url": "https://auth.example"}), DEFAULT_LOCAL_BACKEND)
    assert with_auth["backend"]["base_url"] == "https://auth.example" and with_auth["backend"]["auth_endpoint"] == "auth"


def test_news_is_a_second_collection_with_the_hosts_keys(config):
    news = _collection(config, "nieuws")
    assert news["folder"] == "content/nieuws" and news["format"] == desk_config.NEWS_FORMAT
    assert [field["name"] for field in news["fields"]] == [*NEWS_KEY_ORDER, "tekst"]
    assert {field["name"] for field in news["fields"] if field.get("required")} == set(NEWS_REQUIRED)


def test_a_model_field_the_desk_cannot_show_stops_the_build(monkeypatch, city):
    class Grown(EntryFields):
        openingsdagen: set[int] | None = Field(default=None, alias="openingsdagen")

    monkeypatch.setattr(desk_config, "EntryFields", Grown)
    with pytest.raises(DeskConfigError, match="openingsdagen"):
        entry_fields(*city)
    monkeypatch.setattr(desk_config, "LABELS", {**desk_config.LABELS, "openingsdagen": "Openingsdagen"})
    with pytest.raises(DeskConfigError, match="no widget for the field 'openingsdagen'"):
        entry_fields(*city)


def test_the_local_backend_address_must_be_on_127(monkeypatch):
    assert local_backend_url({}) == DEFAULT_LOCAL_BACKEND
    assert local_backend_url({"WIJKNET_LOCAL_BACKEND": "http://127.0.0.1:9123/api/v1"}) == "http://127.0.0.1:9123/api/v1"
    for wrong in ("http://0.0.0.0:8081/api/v1", "https://decap.example/api/v1", "http://127.0.0.1:8081/api/v1 'unsafe-inline'"):
        with pytest.raises(SettingsError, match="127.0.0.1:<poort>"):
            local_backend_url({"WIJKNET_LOCAL_BACKEND": wrong})


def test_every_build_writes_the_desk_and_only_the_desk_loads_decap(tmp_path, monkeypatch):
    from wijknet.build import build_site

    monkeypatch.setenv("WIJKNET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("WIJKNET_LOCAL_BACKEND", "http://127.0.0.1:9555/api/v1")
    monkeypatch.delenv("SUBMISSIONS_URL", raising=False)
    root = make_site(tmp_path / "site", content=FIXTURES / "amsterdam" / "content")
    project = Project.at(root)
    output = tmp_path / "output"
    build_site(project, output, TEST_DATE)
    taxonomy, settings = project.load_taxonomy(), project.load_settings()
    written = (output / "admin" / "config.yml").read_text(encoding="utf-8")
    assert written == render_config(decap_config(taxonomy, settings, "http://127.0.0.1:9555/api/v1"))
    assert yaml.safe_load(written)["local_backend"]["url"] == "http://127.0.0.1:9555/api/v1"
    assert json.loads((output / "admin" / "desk.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(desk_facts(taxonomy, settings))
    )
    page = (output / "admin" / "index.html").read_text(encoding="utf-8")
    [csp] = META_CSP.findall(page)
    assert csp.replace("&#39;", "'") == admin_content_security_policy("http://127.0.0.1:9555/api/v1")
    csp = csp.replace("&#39;", "'")
    assert "http://127.0.0.1:9555" in csp and "'unsafe-eval'" in csp
    soup = BeautifulSoup(page, "html.parser")
    [script] = [tag["src"] for tag in soup.select("script[src]")]
    assert script != "/static/js/desk.js" and unhashed(script) == "/static/js/desk.js"  # by its hashed name
    assert (output / script.lstrip("/")).read_bytes() == (output / "static" / "js" / "desk.js").read_bytes()
    assert (output / "static" / "vendor" / "decap-cms" / "dist" / "decap-cms.js").is_file()
    assert (output / "static" / "vendor" / "yaml" / "browser" / "dist" / "index.js").is_file()
    # every other page keeps the strict CSP and loads nothing of the desk
    for other in output.rglob("*.html"):
        if other.parts[-2] == "admin":
            continue
        text = other.read_text(encoding="utf-8")
        assert "decap-cms" not in text and "desk.js" not in text, other
        for found in META_CSP.findall(text):
            assert "unsafe-eval" not in found and found.replace("&#39;", "'") == content_security_policy(""), other
    # rebuilt on every build: the taxonomy changes, the configuration follows
    themes = root / "taxonomy" / "themas.yaml"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n- id: buurtmoestuin\n  label: Buurtmoestuin\n", encoding="utf-8")
    build_site(project, output, TEST_DATE)
    again = yaml.safe_load((output / "admin" / "config.yml").read_text(encoding="utf-8"))
    fields = _by_name(_collection(again, "initiatieven")["fields"])
    assert fields["themas"]["options"][-1] == {"label": "Buurtmoestuin", "value": "buurtmoestuin"}


def test_an_entry_written_by_the_writer_uses_the_configs_date_format(city):
    """The desk's date widgets write what the writer writes, so a saved date is one line
    that reads back as the same date."""
    project = Project.at(REPO)
    entry = next(iter(project.load(TEST_DATE).catalog.entries))
    text = render_entry(entry)
    fields = _by_name(_collection(decap_config(*city, DEFAULT_LOCAL_BACKEND), "initiatieven")["fields"])
    checked_line = next(line for line in text.splitlines() if line.startswith("gecontroleerd: "))
    assert re.fullmatch(_dayjs_to_regex(fields["gecontroleerd"]["format"]), checked_line.split(": ", 1)[1])


def test_the_oauth_example_in_the_docs_is_what_the_build_writes(city):
    text = (REPO / "docs" / "moderatie.md").read_text(encoding="utf-8")
    [setting] = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S) if "beheer_auth_url" in block]
    [example] = [yaml.safe_load(re.sub(r"(?m)^   ", "", block)) for block in re.findall(r"```yaml\n(.*?)```", text, re.S) if "backend:" in block]
    settings = city[1].model_copy(update={"admin_auth_url": setting["beheer_auth_url"]})
    made = decap_config(city[0], settings, DEFAULT_LOCAL_BACKEND)
    assert example["backend"] == {key: made["backend"][key] for key in example["backend"]}
    assert set(made["backend"]) - set(example["backend"]) == {"commit_messages"}
    assert example["publish_mode"] == made["publish_mode"]
