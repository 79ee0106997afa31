"""The map's geometry from the real buurt polygons: every level, shared borders, labels,
surfaces, the boundaries file within its budget, and a clear message for every problem in a
polygon file."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape
from testkit import FIXTURES, REPO

from wijknet.kaart.geometry import WijkFinder, city_geometry, read_wijk_polygons
from wijknet.kaart.payload import boundaries_json
from wijknet.project import Project
from wijknet.settings import DataFileError, MapSettings, SettingsError, load_settings

POLYGONS = REPO / "data" / "amsterdam" / "amsterdam_buurten_2022.geojson"


@pytest.fixture(scope="module")
def city():
    project = Project.at(REPO)
    settings, taxonomy = project.load_settings(), project.load_taxonomy()
    polygons = read_wijk_polygons(settings.map_polygons(), settings.map, taxonomy.areas)
    return taxonomy, city_geometry(polygons, taxonomy.areas)


def test_every_level_is_made_from_the_buurten(city):
    taxonomy, geometry = city
    levels = {level: [a.id for a in geometry.of_level(level)] for level in ("stadsdeel", "gebied", "wijk")}
    assert levels["stadsdeel"] == [a.id for a in taxonomy.areas.of_level("stadsdeel")]
    assert levels["gebied"] == [a.id for a in taxonomy.areas.of_level("gebied")]
    assert levels["wijk"] == [a.id for a in taxonomy.areas.of_level("wijk")]
    assert (len(levels["stadsdeel"]), len(levels["gebied"]), len(levels["wijk"])) == (9, 25, 110)


def test_surfaces_add_up_and_match_the_source(city):
    _, geometry = city
    source = json.loads(POLYGONS.read_bytes())
    official = sum(f["properties"]["Oppervlakte_m2"] for f in source["features"]) / 1e6
    wijken = sum(a.km2 for a in geometry.of_level("wijk"))
    stadsdelen = sum(a.km2 for a in geometry.of_level("stadsdeel"))
    assert wijken == pytest.approx(stadsdelen, rel=1e-6)
    assert wijken == pytest.approx(official, rel=0.01)  # the local projection is good to 1 %
    oost = geometry.by_id()["oost"]
    buurten = [f for f in source["features"] if f["properties"]["Stadsdeel"] == "Oost"]
    assert oost.km2 == pytest.approx(sum(f["properties"]["Oppervlakte_m2"] for f in buurten) / 1e6, rel=0.01)


@pytest.mark.parametrize("field", ["web", "drawing"])
def test_simplified_wijken_keep_shared_borders_and_build_the_levels_above(city, field):
    taxonomy, geometry = city
    shapes = {a.id: shapely.from_wkb(getattr(a, field)) for a in geometry.areas}
    wijken = [shapes[a.id] for a in geometry.of_level("wijk")]
    assert all(g.is_valid and not g.is_empty for g in shapes.values())
    assert bool(shapely.coverage_is_valid(np.array(wijken, dtype=object)))  # no gaps between neighbours' borders
    detail = sum(len(shapely.get_coordinates(shape(f["geometry"]))) for f in json.loads(POLYGONS.read_bytes())["features"])
    assert sum(len(shapely.get_coordinates(g)) for g in wijken) < detail / 2
    for gebied in geometry.of_level("gebied"):
        below = [shapes[w] for w in shapes if taxonomy.areas.by_id[w].parent == gebied.id]
        union = shapely.union_all(below)
        assert shapely.symmetric_difference(union, shapes[gebied.id]).area < 1e-9, gebied.id


def test_labels_lie_inside_their_area(city):
    _, geometry = city
    for area in geometry.areas:
        outline = shapely.from_wkb(area.web)
        assert outline.buffer(1e-4).contains(shapely.Point(area.label_point)), area.id


def test_the_boundaries_file_is_geojson_within_its_budget(city):
    _, geometry = city
    content = boundaries_json(geometry, "Gemeente Amsterdam, gebiedsindeling 2022")
    assert len(gzip.compress(content, 9)) <= 120_000
    data = json.loads(content)
    assert data["type"] == "FeatureCollection" and data["bron"] == "Gemeente Amsterdam, gebiedsindeling 2022"
    assert len(data["features"]) == 144
    dapperbuurt = next(f for f in data["features"] if f["id"] == "dapperbuurt")
    assert dapperbuurt["properties"]["niveau"] == "wijk" and dapperbuurt["properties"]["ouder"] == "oud-oost"
    assert dapperbuurt["geometry"]["type"] in ("Polygon", "MultiPolygon")
    coordinates = shapely.get_coordinates(shape(dapperbuurt["geometry"])).ravel().tolist()
    assert all(round(value, 5) == value for value in coordinates)
    assert content == boundaries_json(geometry, "Gemeente Amsterdam, gebiedsindeling 2022")  # deterministic


def test_points_are_placed_in_their_wijk(city):
    _, geometry = city
    finder = WijkFinder(geometry)
    # the Dapperbuurt fixture entry; the Westertoren; a point in the IJsselmeer
    assert finder.find([(4.92967, 52.36328), (4.88409, 52.37453), (5.2, 52.5)]) == ["dapperbuurt", "grachtengordel-west", None]


def test_map_settings_are_optional_and_relative_to_the_settings_file(tmp_path):
    assert load_settings(REPO / "site.yaml").map_polygons() == POLYGONS
    assert load_settings(FIXTURES / "amsterdam" / "site.yaml").map is None  # the small fixture city has no map
    text = (REPO / "site.yaml").read_text(encoding="utf-8")
    (tmp_path / "stad").mkdir()
    (tmp_path / "stad" / "site.yaml").write_text(text.replace("grenzen: data/amsterdam/", "grenzen: ../vlakken/"), encoding="utf-8")
    settings = load_settings(tmp_path / "stad" / "site.yaml")
    assert settings.map_polygons().resolve() == tmp_path / "vlakken" / "amsterdam_buurten_2022.geojson"
    assert settings.data_files() == (settings.map_polygons(),)
    start = text.index("kaart:")
    without = text[:start] + text[text.index("repository:") :]
    (tmp_path / "site.yaml").write_text(without, encoding="utf-8")
    settings = load_settings(tmp_path / "site.yaml")
    assert settings.map is None and settings.data_files() == ()
    (tmp_path / "site.yaml").write_text(text.replace("  bron:", "  bronnen:"), encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path / "site.yaml")
    assert error.value.key.startswith("kaart") and error.value.line == text[:start].count("\n") + 1


# --- problems in a polygon file ---------------------------------------------------------------


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "grenzen.geojson"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def source():
    return json.loads(POLYGONS.read_bytes())


def _read(path: Path) -> list[tuple[str, int, str, str]]:
    project = Project.at(REPO)
    settings, taxonomy = project.load_settings(), project.load_taxonomy()
    with pytest.raises(DataFileError) as error:
        read_wijk_polygons(path, settings.map, taxonomy.areas)
    return error.value.problems


def test_every_problem_in_a_polygon_file_is_named(tmp_path, source):
    broken = copy.deepcopy(source)
    features = broken["features"]
    features[3]["properties"]["CBS_Buurtcode"] = "BU0363ZZ01"  # a wijk that does not exist
    features[5]["properties"]["CBS_Buurtcode"] = "AC02"  # not a CBS code
    del features[7]["properties"]["CBS_Buurtcode"]
    features[9]["geometry"] = {"type": "Point", "coordinates": [4.9, 52.37]}
    features[11]["geometry"] = {"type": "Polygon", "coordinates": "kapot"}
    dapperbuurt = [f for f in features if f["properties"].get("CBS_Buurtcode", "").startswith("BU0363ME")]
    for feature in dapperbuurt:
        features.remove(feature)
    problems = _read(_write(tmp_path, broken))
    by_key = {key: detail for _, _, key, detail in problems}
    assert set(by_key) == {
        "features[3].properties.CBS_Buurtcode",
        "features[5].properties.CBS_Buurtcode",
        "features[7].properties.CBS_Buurtcode",
        "features[9].geometry",
        "features[11].geometry",
        "features",
    }
    assert by_key["features[3].properties.CBS_Buurtcode"] == "wijkcode 'WK0363ZZ' staat niet in gebieden.yaml"
    assert "geen CBS-buurtcode" in by_key["features[5].properties.CBS_Buurtcode"]
    assert "ontbreekt" in by_key["features[7].properties.CBS_Buurtcode"]
    assert "verwacht een vlak" in by_key["features[9].geometry"]
    assert "geen geldige vorm" in by_key["features[11].geometry"]
    assert "dapperbuurt" in by_key["features"]
    assert all(file == str(tmp_path / "grenzen.geojson") for file, _, _, _ in problems)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{niet json", "geen geldige GeoJSON"),
        ('{"type": "FeatureCollection", "features": []}', "geen vlakken gevonden"),
        ("[1, 2]", "geen vlakken gevonden"),
    ],
)
def test_a_file_that_is_no_feature_collection(tmp_path, text, words):
    [(_, _, _, detail)] = _read(_write(tmp_path, text))
    assert words in detail


def test_map_settings_name_the_wijk_field_and_its_meaning():
    settings = MapSettings.model_validate({"grenzen": "x.geojson", "wijkveld": "wijk", "wijkveld_is": "id"})
    assert (settings.wijk_field, settings.wijk_value) == ("wijk", "id")
    with pytest.raises(ValueError):
        MapSettings.model_validate({"grenzen": "x.geojson", "wijkveld": "wijk", "wijkveld_is": "naam"})
