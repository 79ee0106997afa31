"""The map in a real build, checked by CSS selector: the kaart/ page without JavaScript (the
drawing with every stadsdeel and gebied as a link, the list beside it, the table per wijk),
its data files, the locator on entry pages, the links to the map, the figures on Cijfers, a
second city, a city without a map, and broken polygons stopping the build."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from kaart_support import build, placed
from testkit import FIXTURES, REPO, TEST_DATE, make_site, tree, unhashed

from wijknet.engine.format import content_security_policy
from wijknet.kaart.payload import DETAILS_PER_FILE
from wijknet.project import Project


def _count(catalog, area_id: str) -> int:
    return catalog.facet_count("areas", area_id)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_drawing_has_every_stadsdeel_and_gebied_as_a_link_with_its_count(real_site):
    page = real_site.html("/kaart/")
    catalog = real_site.catalog
    areas = catalog.taxonomy.areas
    svg = page.select_one("figure.kaart-tekening svg[viewBox][role=group]")
    assert svg.select_one("title").get_text() == "Kaart van Amsterdam met de stadsdelen en gebieden"
    links = {a["data-gebied"]: a for a in svg.select("a[href][aria-label][data-gebied]")}
    expected = [a.id for a in areas.of_level("stadsdeel")] + [a.id for a in areas.of_level("gebied")]
    assert sorted(links) == sorted(expected)
    for area_id, link in links.items():
        n = _count(catalog, area_id)
        assert link["aria-label"] == f"{areas.label(area_id)}, {n} {'bericht' if n == 1 else 'berichten'}"
        assert link.select_one("title").get_text() == link["aria-label"]
        assert re.fullmatch(r"(M[-\d. L]+Z)+", link.select_one("path")["d"])
        if n:
            assert link["href"] == f"/gebied/{area_id}/" and real_site.path(link["href"]).is_file()
        else:
            assert page.select_one(link["href"])  # an area without entries links to its line in the list
    # stadsdelen are named on the drawing; a stadsdeel without gebieden is drawn filled
    labels = [t.get_text() for t in svg.select(".kaart-stadsdelen a text")]
    assert labels == [a.label for a in areas.of_level("stadsdeel")]
    assert svg.select_one('.kaart-stadsdelen a[data-gebied="westpoort"]')["class"] == ["is-vlak"]
    assert svg.select_one('.kaart-stadsdelen a[data-gebied="oost"]')["class"] == ["is-rand"]


def test_the_list_beside_the_drawing_names_the_same_areas(real_site):
    page = real_site.html("/kaart/")
    catalog = real_site.catalog
    items = page.select(".kaart-gebiedenlijst > li")
    assert [li["id"] for li in items] == [f"lijst-{a.id}" for a in catalog.taxonomy.areas.of_level("stadsdeel")]
    oost = page.select_one("#lijst-oost")
    assert oost.select_one("a")["href"] == "/gebied/oost/"
    assert f"({_count(catalog, 'oost')} berichten)" in _words(oost.get_text())
    below = [li["id"] for li in oost.select("ul > li")]
    assert below == [f"lijst-{g}" for g in catalog.taxonomy.areas.children["oost"]]


def test_the_table_per_wijk_shows_where_there_is_little(real_site):
    page = real_site.html("/kaart/")
    catalog = real_site.catalog
    rows = page.select("table.kaart-tabel tbody tr[data-wijk]")
    assert len(rows) == 110
    counts = [int(row.select_one("[data-kaart-aantal]")["data-waarde"]) for row in rows]
    assert counts == sorted(counts)  # the emptiest first
    for row in rows:
        wijk = row["data-wijk"]
        n = _count(catalog, wijk)
        assert int(row.select_one("[data-kaart-aantal]")["data-waarde"]) == n
        density = float(row.select_one("[data-kaart-dichtheid]")["data-waarde"])
        assert density == pytest.approx(n / float(row["data-km2"]))
        assert ("is-leeg" in row.get("class", [])) == (n == 0)
        assert (row.select_one(".kaart-niets") is not None) == (n == 0)
    empty = [row["data-wijk"] for row in rows if "is-leeg" in row.get("class", [])]
    assert empty and all(_count(catalog, w) == 0 for w in empty)
    status = page.select_one("[data-kaart-weinig-status]").get_text()
    assert status.startswith(f"{len(empty)} wijk") and "nog geen berichten" in status
    header = page.select_one("table.kaart-tabel thead th[aria-sort=ascending]")
    assert header.get_text() == "Berichten"
    assert page.select_one(".tabel-schuif[role=region][tabindex='0'][aria-labelledby=weinig-bijschrift]")


def test_entries_without_an_address_are_counted_per_area(real_site):
    page = real_site.html("/kaart/")
    catalog = real_site.catalog
    without = [e for e in catalog.listed if e.location is None or e.location.lat is None]
    assert without
    lines = {li["data-gebied"]: li for li in page.select("[data-kaart-zonder-adres] li")}
    city = catalog.taxonomy.areas.city.id
    for area_id, line in lines.items():
        if area_id == city:
            n = sum(1 for e in without if city in e.areas)
            words = f"zonder adres voor heel {catalog.taxonomy.areas.label(city)}"
        else:
            n = sum(1 for e in without if city not in e.areas and area_id in catalog.area_closure(e))
            words = f"zonder adres in {catalog.taxonomy.areas.label(area_id)}"
        assert _words(line.get_text()) == f"{n} {'bericht' if n == 1 else 'berichten'} {words}"
        assert line.has_attr("hidden") == (n == 0)
    explanation = _words(page.select_one("[data-kaart-uitleg]").get_text())
    assert explanation == f"{len(placed(catalog))} van de {len(catalog.listed)} berichten hebben een adres en staan op de kaart."


def test_the_map_filters_are_the_overviews(real_site):
    kaart, overview = real_site.html("/kaart/"), real_site.html("/overzicht/")

    def groups(page):
        return [
            (group["data-group"], [(a["data-value"], a["href"]) for a in group.select("a[data-value]")])
            for group in page.select("section.filters details.filter-group")
        ]

    assert groups(kaart) == groups(overview)
    assert [g for g, _ in groups(kaart)] == ["soort", "thema", "doelgroep", "stadsdeel", "wijk"]
    assert kaart.select_one("[data-kaart] #filter-status[role=status]")
    assert kaart.select_one('a[data-filter-link][href="/overzicht/"]').get_text() == "Bekijk als lijst"
    assert overview.select_one('a[data-filter-link][href="/kaart/"]').get_text() == "Bekijk op de kaart"


def test_the_page_loads_only_our_own_files_and_keeps_the_strict_policy(real_site):
    text = real_site.path("/kaart/").read_text(encoding="utf-8")
    page = real_site.html("/kaart/")
    assert page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"] == content_security_policy("")
    assert "unsafe-inline" not in text and " style=" not in text and "<style" not in text
    scripts = [s["src"] for s in page.select("script[src]")]
    assert [unhashed(src) for src in scripts] == ["/static/js/filters.js", "/static/js/kaart.js"]
    # Leaflet and its stylesheets: kaart.js loads them from these addresses when the map is near the screen
    root = page.select_one("[data-kaart]")
    libraries = [root[name] for name in ("data-leaflet", "data-groepen", "data-leaflet-stijl", "data-groepen-stijl")]
    assert [unhashed(url) for url in libraries] == [
        "/static/vendor/leaflet/dist/leaflet.js",
        "/static/vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
        "/static/vendor/leaflet/dist/leaflet.css",
        "/static/vendor/leaflet.markercluster/dist/MarkerCluster.css",
    ]
    # inline scripts break the CSP; JSON-LD (breadcrumbs for search engines) is a data block, never run
    assert not [s for s in page.select("script") if not s.get("src") and s.get("type") != "application/ld+json"]
    sheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    for url in scripts + sheets + libraries:
        assert real_site.path(url).is_file(), url
    assert (REPO / "node_modules" / "leaflet" / "dist" / "leaflet.js").read_bytes() == real_site.path(libraries[0]).read_bytes()
    tracked = subprocess.run(["git", "ls-files", "node_modules", "theme/static/vendor"], cwd=REPO, capture_output=True, text=True)
    assert tracked.stdout == ""  # the libraries come from npm at build time, never from the repository
    for attribute in ("data-grenzen", "data-punten", "data-details"):
        assert page.select_one("[data-kaart]")[attribute].startswith("/kaart/")


def test_the_map_data_files(real_site):
    catalog = real_site.catalog
    points = real_site.json("/kaart/punten.json")
    listed = catalog.listed
    assert len(points["berichten"]) == len(listed)
    assert points["soorten"] == catalog.taxonomy.kinds.ids()
    assert points["gebieden"] == catalog.taxonomy.areas.ids()
    for entry, row in zip(listed, points["berichten"]):
        if entry.location is not None and entry.location.lat is not None:
            assert row[:2] == [round(entry.location.lat, 5), round(entry.location.lon, 5)]
            assert row[6] is not None
        else:
            assert row[:2] == [None, None]
        assert points["soorten"][row[2]] == entry.kind
        assert [points["themas"][i] for i in row[3]] == list(entry.themes)
        assert [points["gebieden"][i] for i in row[5]] == list(entry.areas)
    # details per slice, loaded when a popup opens
    files = sorted((real_site.output / "kaart" / "details").iterdir(), key=lambda p: int(p.stem))
    assert len(files) == -(-len(listed) // DETAILS_PER_FILE)
    last = json.loads(files[-1].read_bytes())
    entry = listed[-1]
    assert last[-1] == [entry.title, entry.summary, f"/initiatieven/{entry.slug}/"]
    # boundaries and points together stay small
    total = real_site.gz("/kaart/grenzen.json") + real_site.gz("/kaart/punten.json")
    assert real_site.gz("/kaart/grenzen.json") <= 120_000 and total <= 250_000


def test_an_entry_with_coordinates_shows_where_it_is(real_site):
    catalog = real_site.catalog
    entry = placed(catalog)[0]
    page = real_site.html(f"/initiatieven/{entry.slug}/")
    locator = page.select_one("[data-entry-section] section.kaart-locator")
    svg = locator.select_one("svg[role=img][aria-labelledby=ligging-tekst][viewBox]")
    _, _, width, height = (float(v) for v in svg["viewbox"].split())
    dot = svg.select_one("circle.kaart-locator-plek")
    assert 0 <= float(dot["cx"]) <= width and 0 <= float(dot["cy"]) <= height
    assert svg.select_one("path.kaart-locator-stadsdeel")["d"] and svg.select_one("path.kaart-locator-wijk")["d"]
    caption = _words(locator.select_one("figcaption#ligging-tekst").get_text())
    assert caption.startswith("Ligt in de wijk ") and ", in stadsdeel " in caption
    link = locator.select_one("a[href^='/kaart/#gebied=']")
    wijk = link["href"].split("=", 1)[1]
    assert catalog.taxonomy.areas.level_of(wijk) == "wijk"
    assert catalog.taxonomy.areas.label(wijk) in caption
    assert catalog.taxonomy.areas.label(catalog.taxonomy.areas.stadsdeel_of(wijk)) in caption


def test_the_locator_names_the_wijk_the_point_lies_in(real_site):
    """Checked against the buurt polygons themselves: the buurt around the point, its CBS
    code, the wijk with that code."""
    import shapely
    from shapely.geometry import shape

    catalog = real_site.catalog
    source = json.loads((REPO / "data" / "amsterdam" / "amsterdam_buurten_2022.geojson").read_bytes())
    buurten = [(shape(f["geometry"]), "WK" + f["properties"]["CBS_Buurtcode"][2:8]) for f in source["features"]]
    wijk_of_code = {a.code: a.id for a in catalog.taxonomy.areas.of_level("wijk")}
    for entry in placed(catalog)[::25]:
        point = shapely.Point(entry.location.lon, entry.location.lat)
        codes = sorted(code for geometry, code in buurten if geometry.intersects(point))
        link = real_site.html(f"/initiatieven/{entry.slug}/").select_one(".kaart-locator a[href^='/kaart/#gebied=']")
        if not codes:
            assert link is None, entry.slug
            continue
        assert link["href"] == f"/kaart/#gebied={wijk_of_code[codes[0]]}", entry.slug


def test_an_entry_without_coordinates_has_no_locator(real_site):
    entry = next(e for e in real_site.catalog.listed if e.location is None or e.location.lat is None)
    page = real_site.html(f"/initiatieven/{entry.slug}/")
    assert page.select_one(".kaart-locator") is None


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("/thema/taal/", "/kaart/?thema=taal"),
        ("/doelgroep/ouderen/", "/kaart/?doelgroep=ouderen"),
        ("/soort/voorziening/", "/kaart/?soort=voorziening"),
        ("/gebied/oost/", "/kaart/?stadsdeel=oost"),
        ("/gebied/dapperbuurt/", "/kaart/?wijk=dapperbuurt"),
        ("/gebied/oud-oost/", "/kaart/#gebied=oud-oost"),
        ("/gebied/amsterdam/", "/kaart/"),
    ],
)
def test_facet_pages_link_to_the_map_with_their_filter(real_site, url, href):
    link = real_site.html(url).select_one("header .map-link a")
    assert link["href"] == href and link.get_text() == "Bekijk op de kaart"


def test_the_menu_links_to_the_map(real_site):
    nav = [a["href"] for a in real_site.html("/").select("nav.site-nav a")]
    assert nav[:3] == ["/overzicht/", "/kaart/", "/agenda/"]
    assert real_site.html("/kaart/").select_one('nav.site-nav a[aria-current="page"]')["href"] == "/kaart/"


def test_the_cijfers_page_has_the_figures_per_stadsdeel(real_site):
    page = real_site.html("/cijfers/")
    catalog = real_site.catalog
    boundaries = {f["id"]: f["properties"] for f in real_site.json("/kaart/grenzen.json")["features"]}
    rows = page.select("#tabel-kaart-stadsdelen tbody tr[data-id]")
    assert [r["data-id"] for r in rows] == [a.id for a in catalog.taxonomy.areas.of_level("stadsdeel")]
    for row in rows:
        cells = [td.get_text(strip=True) for td in row.select("td")]
        n = _count(catalog, row["data-id"])
        km2 = boundaries[row["data-id"]]["km2"]
        assert cells[0] == str(n)
        assert cells[1] == f"{km2:.1f}".replace(".", ",")
        assert cells[2] == f"{n / km2:.1f}".replace(".", ",")
        wijken = [a for a in catalog.taxonomy.areas.descendants(row["data-id"]) if catalog.taxonomy.areas.level_of(a) == "wijk"]
        empty = [catalog.taxonomy.areas.label(w) for w in wijken if _count(catalog, w) == 0]
        assert cells[3] == str(len(wijken))
        assert cells[4] == (f"{len(empty)}: {', '.join(empty)}" if empty else "geen")
    themes = page.select("#tabel-kaart-themas tbody tr[data-id]")
    assert [r["data-id"] for r in themes] == catalog.taxonomy.themes.ids()
    taal = page.select_one('#tabel-kaart-themas tr[data-id="taal"]')
    stadsdelen = [a.id for a in catalog.taxonomy.areas.of_level("stadsdeel")]
    expected = [sum(1 for e in catalog.listed if "taal" in e.themes and s in catalog.area_closure(e)) for s in stadsdelen]
    assert [int(td.get_text()) for td in taal.select("td")] == expected
    assert len(taal.select("td.is-leeg strong")) == expected.count(0)
    assert page.select("#tabel-kaart-doelgroepen tbody tr[data-id]")


def test_a_second_city_brings_its_own_polygons_and_no_amsterdam(zaanstad_site):
    site = zaanstad_site
    page = site.html("/buurt/kaart/")
    links = {a["data-gebied"]: a["aria-label"] for a in page.select("svg a[data-gebied]")}
    assert links == {"zaandam": "Zaandam, 2 berichten", "wormerveer": "Wormerveer, 1 bericht", "zaandam-oost": "Zaandam-Oost, 1 bericht"}
    assert [r["data-wijk"] for r in page.select("table.kaart-tabel tbody tr")] == ["peldersveld", "rosmolenwijk", "wormerveer-noord"]
    boundaries = site.json("/buurt/kaart/grenzen.json")
    assert [f["id"] for f in boundaries["features"]] == ["zaandam", "wormerveer", "zaandam-oost", "rosmolenwijk", "peldersveld", "wormerveer-noord"]
    assert boundaries["bron"] == "Testgrenzen van de Buurtwijzer"
    wormerveer = next(f for f in boundaries["features"] if f["id"] == "wormerveer-noord")
    assert wormerveer["geometry"]["type"] == "Polygon"  # its two buurten became one wijk
    entry = site.html("/buurt/initiatieven/buurttuin-wormerveer/")
    caption = _words(entry.select_one(".kaart-locator figcaption").get_text())
    assert caption.startswith("Ligt in de wijk Wormerveer-Noord, in stadsdeel Wormerveer.")
    assert entry.select_one(".kaart-locator a")["href"] == "/buurt/kaart/#gebied=wormerveer-noord"
    assert page.select_one("[data-kaart]")["data-punten"] == "/buurt/kaart/punten.json"
    for path in sorted(site.output.rglob("*")):
        inside = path.relative_to(site.output).as_posix()  # the test's own folder is named after the map too
        if path.is_file() and path.suffix in (".html", ".json") and "kaart" in inside or path.name == "index.html":
            assert "amsterdam" not in path.read_text(encoding="utf-8").lower(), path


def test_a_city_without_polygons_has_no_map_and_no_links_to_one(tmp_path):
    """The small Amsterdam fixture city has no ``kaart:`` in its settings."""
    root = FIXTURES / "amsterdam"
    site = build(Project.at(root, taxonomy=REPO / "taxonomy", settings=root / "site.yaml"), tmp_path / "output")
    assert not site.path("/kaart/").exists() and not (site.output / "kaart").exists()
    assert not site.html("/").select('a[href^="/kaart/"]')
    assert not site.html("/gebied/oost/").select(".map-link")
    assert not site.html("/overzicht/").select("[data-filter-link]")
    assert not site.html("/initiatieven/buurtmaaltijd-dapperbuurt/").select(".kaart-locator")
    assert not site.html("/cijfers/").select("#waar-is-weinig")


def test_broken_polygons_stop_the_build_with_every_problem_and_leave_the_output_alone(tmp_path):
    root = make_site(tmp_path / "site", content=FIXTURES / "amsterdam" / "content")
    output = tmp_path / "output"
    command = [sys.executable, "-m", "wijknet.cli", "build", "--root", str(root), "--output", str(output), "--date", TEST_DATE.isoformat()]
    env = {**os.environ, "WIJKNET_CACHE_DIR": str(tmp_path / "cache")}
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    assert first.returncode == 0, first.stderr
    before = tree(output)
    polygons = root / "data" / "amsterdam" / "amsterdam_buurten_2022.geojson"
    data = json.loads(polygons.read_bytes())
    data["features"][0]["properties"]["CBS_Buurtcode"] = "BU0363XX01"
    data["features"][1]["geometry"] = None
    polygons.write_text(json.dumps(data), encoding="utf-8")
    second = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    assert second.returncode == 1
    lines = second.stdout.strip().splitlines()
    assert lines[0] == f"{polygons}:1: features[0].properties.CBS_Buurtcode: Ongeldige waarde: wijkcode 'WK0363XX' staat niet in gebieden.yaml."
    assert lines[1].startswith(f"{polygons}:1: features[1].geometry: Ongeldige waarde: geen geldige vorm")
    assert len(lines) == 2, second.stdout
    assert "Traceback" not in second.stdout + second.stderr
    assert tree(output) == before


def test_an_edited_polygon_file_is_noticed_and_the_geometry_comes_from_the_cache_otherwise(tmp_path, monkeypatch):
    from wijknet.build import build_site
    from wijknet.kaart import provider

    root = make_site(tmp_path / "site", content=FIXTURES / "amsterdam" / "content")
    output, cache = tmp_path / "output", tmp_path / "cache"
    counter = tmp_path / "calls"  # a file: the forked side of the build would count too
    real = provider.read_wijk_polygons

    def counted(*args):
        with counter.open("a") as handle:
            handle.write("x")
        return real(*args)

    class Calls:
        def __len__(self) -> int:
            return len(counter.read_text()) if counter.exists() else 0

    calls = Calls()
    monkeypatch.setattr(provider, "read_wijk_polygons", counted)
    build_site(Project.at(root), output, TEST_DATE, cache_dir=cache, jobs=2)
    assert len(calls) == 1  # made once, before the build splits: the Cijfers page on the other side reads it too
    boundaries = (output / "kaart" / "grenzen.json").read_bytes()
    # a new day (every page is made again) and an edited entry: the geometry is read from the cache
    entry = root / "content" / "initiatieven" / "taalcafe-banne.md"
    entry.write_text(entry.read_text(encoding="utf-8") + "\nOok op zaterdag.\n", encoding="utf-8")
    build_site(Project.at(root), output, TEST_DATE.replace(day=TEST_DATE.day + 1), cache_dir=cache, jobs=2)
    assert len(calls) == 1
    # a changed polygon file is a change to the site: the build notices it and makes the map again
    polygons = root / "data" / "amsterdam" / "amsterdam_buurten_2022.geojson"
    data = json.loads(polygons.read_bytes())
    dapperbuurt = [f for f in data["features"] if f["properties"]["Wijkcode"] == "ME"]
    data["features"].remove(dapperbuurt[0])  # the Dapperbuurt loses one of its buurten
    polygons.write_text(json.dumps(data), encoding="utf-8")
    build_site(Project.at(root), output, TEST_DATE.replace(day=TEST_DATE.day + 1), cache_dir=cache, jobs=2)
    assert len(calls) == 2
    assert (output / "kaart" / "grenzen.json").read_bytes() != boundaries
    clean = tmp_path / "clean"
    build_site(Project.at(root), clean, TEST_DATE.replace(day=TEST_DATE.day + 1), use_cache=False)
    assert tree(clean) == tree(output)  # the incremental build gives the bytes of a clean one
