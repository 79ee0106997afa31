"""The map: the ``kaart/`` page, the files its map loads, the locator on entry pages and the
map's figures on the Cijfers page.

A city has a map when its settings name polygons (``kaart:`` in ``site.yaml``); without
them this provider adds nothing. The geometry is made once per polygon file and kept in the
build cache (namespace ``kaart``); each build only places the entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from wijknet.content.models import Entry
from wijknet.dutch.numbers import number_nl
from wijknet.engine.cache import folder_digest
from wijknet.engine.hooks import Section
from wijknet.engine.model import BuildContext, File, Page
from wijknet.engine.registry import Provider
from wijknet.filters import filter_groups
from wijknet.kaart.drawing import CityDrawing, LocatorBase, city_drawing, locator_bases
from wijknet.kaart.figures import AreaFigure, TermRow, Unplaced, stadsdeel_figures, term_rows, unplaced, wijk_figures
from wijknet.kaart.geometry import CityGeometry, WijkFinder, city_geometry, read_wijk_polygons
from wijknet.kaart.payload import (
    BOUNDARIES_PATH,
    DETAILS_FOLDER,
    POINTS_PATH,
    MapPoint,
    boundaries_json,
    details_files,
    points_json,
)
from wijknet.settings import DataFileError

PAGE = "kaart"
TEMPLATE = "kaart.html"
LOCATOR_TEMPLATE = "partials/kaart_locator.html"
REPORT_TEMPLATE = "partials/kaart_cijfers.html"
CACHE_NAMESPACE = "kaart"


@dataclass(frozen=True)
class CityMap:
    """What the polygons alone give (kept in the build cache): the geometry, the drawings
    and the boundaries file."""

    geometry: CityGeometry
    drawing: CityDrawing
    locators: dict[str, LocatorBase]
    boundaries: bytes


def _areas_key(build: BuildContext) -> str:
    """A digest of what the map reads of the area taxonomy."""
    digest = hashlib.sha256()
    for area in build.catalog.taxonomy.areas:
        digest.update(f"{area.id}\0{area.label}\0{area.level}\0{area.parent}\0{area.code}\n".encode())
    return digest.hexdigest()


def _make_city_map(build: BuildContext) -> CityMap | None:
    settings = build.catalog.settings
    path = settings.map_polygons()
    if path is None:
        return None
    if not path.is_file():
        raise DataFileError([(str(path), 1, "kaart.grenzen", "het bestand met de grenzen bestaat niet (kijk bij 'kaart' in site.yaml)")])
    areas = build.catalog.taxonomy.areas
    store = build.cache.store(CACHE_NAMESPACE, folder_digest(path), _areas_key(build), settings.map.model_dump_json())
    known = store.get("map")
    if isinstance(known, CityMap):
        return known
    geometry = city_geometry(read_wijk_polygons(path, settings.map, areas), areas)
    stadsdeel_of = {wijk_id: areas.stadsdeel_of(wijk_id) or "" for wijk_id, _ in geometry.wijk_detail}
    made = CityMap(geometry, city_drawing(geometry), locator_bases(geometry, stadsdeel_of), boundaries_json(geometry, settings.map.source))
    store.put("map", made)
    return made


def city_map(build: BuildContext) -> CityMap | None:
    """The city's map for this build (None without one); made once per build, and once per
    polygon file and area taxonomy in the build cache."""
    return build.once(_make_city_map)


def _entry_wijken(build: BuildContext) -> dict[str, str]:
    """slug → the wijk every entry with coordinates lies in (entries outside every wijk are left out)."""
    made = city_map(build)
    placed = [entry for entry in build.catalog.entries if _coordinates(entry) is not None]
    wijken = WijkFinder(made.geometry).find([_coordinates(entry)[::-1] for entry in placed])
    return {entry.slug: wijk for entry, wijk in zip(placed, wijken) if wijk is not None}


def entry_wijken(build: BuildContext) -> dict[str, str]:
    return build.once(_entry_wijken)


def _coordinates(entry: Entry) -> tuple[float, float] | None:
    """(lat, lon) of an entry, or None."""
    location = entry.location
    if location is None or location.lat is None or location.lon is None:
        return None
    return (location.lat, location.lon)


def _map_points(build: BuildContext) -> tuple[MapPoint, ...]:
    wijken = entry_wijken(build)
    points = []
    for entry in build.catalog.listed:
        where = _coordinates(entry)
        points.append(MapPoint(entry, *(where or (None, None)), wijken.get(entry.slug)))
    return tuple(points)


def map_points(build: BuildContext) -> tuple[MapPoint, ...]:
    """Every listed entry as the map shows it, in the catalog's order."""
    return build.once(_map_points)


# --- the kaart/ page ------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaLink:
    """An area of the drawing or the list beside it: a link to its page with its count."""

    id: str
    level: str
    label: str
    count: int
    url: str
    path: str = ""
    label_x: float = 0.0
    label_y: float = 0.0
    filled: bool = True  # a stadsdeel without gebieden on top of it is drawn filled

    @property
    def name(self) -> str:
        """The link's accessible name: the area and its count."""
        return f"{self.label}, {self.count} {'bericht' if self.count == 1 else 'berichten'}"


@dataclass(frozen=True)
class WijkRow:
    """A row of the table "Waar is weinig?"."""

    id: str
    label: str
    gebied: str
    stadsdeel: str
    count: int
    km2: float
    url: str

    @property
    def km2_text(self) -> str:
        return number_nl(self.km2, 2)

    @property
    def density(self) -> float:
        return self.count / self.km2 if self.km2 > 0 else 0.0

    @property
    def density_text(self) -> str:
        return number_nl(self.density, 1)


@dataclass(frozen=True)
class KindMark:
    """A kind as the map marks it: a shape and colour by its position, and its label."""

    position: int
    id: str
    label: str
    plural: str


def _area_links(build: BuildContext, made: CityMap) -> tuple[list[AreaLink], list[AreaLink]]:
    catalog, urls = build.catalog, build.urls
    areas = catalog.taxonomy.areas
    drawn = {area.id: area for area in made.drawing.areas}
    with_gebieden = {areas.stadsdeel_of(area.id) for area in made.geometry.of_level("gebied")}
    links: dict[str, list[AreaLink]] = {"stadsdeel": [], "gebied": []}
    for level in links:
        for shape in made.geometry.of_level(level):
            area = drawn[shape.id]
            links[level].append(
                AreaLink(
                    id=shape.id,
                    level=level,
                    label=shape.label,
                    count=catalog.facet_count("areas", shape.id),
                    url=urls.facet("areas", shape.id),
                    path=area.path,
                    label_x=area.label_x,
                    label_y=area.label_y,
                    filled=level == "gebied" or shape.id not in with_gebieden,
                )
            )
    return links["stadsdeel"], links["gebied"]


def kaart_context(build: BuildContext) -> dict:
    """The template context of ``kaart/`` (tested on its own, without a theme)."""
    made = city_map(build)
    catalog, urls = build.catalog, build.urls
    areas = catalog.taxonomy.areas
    stadsdelen, gebieden = _area_links(build, made)
    points = map_points(build)
    wijken = sorted(
        (
            WijkRow(f.id, f.label, f.gebied, f.stadsdeel, f.count, f.km2, urls.facet("areas", f.id))
            for f in wijk_figures(catalog, made.geometry)
        ),
        key=lambda row: (row.count, row.label.casefold(), row.id),
    )
    return {
        "groups": filter_groups(build),
        "count": len(points),
        "placed": sum(1 for point in points if point.lat is not None),
        "view_box": made.drawing.view_box,
        "stadsdelen": stadsdelen,
        "gebieden": gebieden,
        "tree": [(sd, [g for g in gebieden if areas.stadsdeel_of(g.id) == sd.id]) for sd in stadsdelen],
        "wijken": wijken,
        "empty_wijken": sum(1 for row in wijken if row.count == 0),
        "unplaced": unplaced(catalog, (point.entry for point in points if point.lat is None)),
        "kinds": [
            KindMark(position, term.id, term.label, term.plural or term.label)
            for position, term in enumerate(catalog.taxonomy.kinds)
        ],
        "files": {
            "grenzen": urls.file(BOUNDARIES_PATH),
            "punten": urls.file(POINTS_PATH),
            "details": urls.file(DETAILS_FOLDER + "/"),
        },
        "source": catalog.settings.map.source,
        "bounds": made.geometry.bounds,
    }


def provide(build: BuildContext) -> Iterable[Page | File]:
    """The page ``kaart/`` and the files its map loads; nothing for a city without a map."""
    made = city_map(build)
    if made is None:
        return
    urls = build.urls
    yield Page(urls.output_path(urls.page(PAGE)), TEMPLATE, kaart_context(build))
    yield File(BOUNDARIES_PATH, made.boundaries)
    points = map_points(build)
    yield File(POINTS_PATH, points_json(points, build.catalog.taxonomy))
    for path, content in details_files(points, urls.entry):
        yield File(path, content)


def setup(build: BuildContext) -> None:
    """Make (or read) the geometry before the build splits: the Cijfers page on the file
    side reads it too. Broken polygons stop the build here."""
    city_map(build)


# --- hooks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Locator:
    """The small map on an entry page: the point in its stadsdeel, its wijk named."""

    view_box: str
    stadsdeel: str
    stadsdeel_outline: str
    wijk: str
    wijk_path: str
    x: float
    y: float
    map_url: str


def entry_sections(build: BuildContext, entry: Entry) -> list[Section]:
    """A locator for an entry that lies in a wijk of the map."""
    made = city_map(build)
    if made is None:
        return []
    wijk = entry_wijken(build).get(entry.slug)
    if wijk is None:
        return []
    areas = build.catalog.taxonomy.areas
    stadsdeel = areas.stadsdeel_of(wijk)
    base = made.locators.get(stadsdeel or "")
    if base is None:
        return []
    lat, lon = _coordinates(entry)
    x, y = base.frame.point(lon, lat)
    locator = Locator(
        view_box=base.frame.view_box,
        stadsdeel=areas.label(stadsdeel),
        stadsdeel_outline=base.outline,
        wijk=areas.label(wijk),
        wijk_path=dict(base.wijk_paths)[wijk],
        x=x,
        y=y,
        map_url=f"{build.urls.page(PAGE)}#gebied={wijk}",
    )
    return [Section(LOCATOR_TEMPLATE, {"locator": locator})]


@dataclass(frozen=True)
class StadsdeelRow:
    """A row of the Cijfers page's map table."""

    id: str
    label: str
    count: int
    km2: float
    wijken: int
    empty_wijken: tuple[str, ...]
    url: str

    @property
    def km2_text(self) -> str:
        return number_nl(self.km2, 1)

    @property
    def density_text(self) -> str:
        return number_nl(self.count / self.km2 if self.km2 > 0 else 0.0, 1)


def report_sections(build: BuildContext) -> list[Section]:
    """On the Cijfers page: per stadsdeel the listed entries, per km², the wijken without
    any, and per theme and target group the entries in each stadsdeel."""
    made = city_map(build)
    if made is None:
        return []
    catalog, urls = build.catalog, build.urls
    figures: tuple[AreaFigure, ...] = stadsdeel_figures(catalog, made.geometry)
    rows = [
        StadsdeelRow(f.id, f.label, f.count, f.km2, f.wijken, f.empty_wijken, urls.facet("areas", f.id)) for f in figures
    ]
    ids = [f.id for f in figures]
    themes: tuple[TermRow, ...] = term_rows(catalog, "themes", ids)
    audiences: tuple[TermRow, ...] = term_rows(catalog, "audiences", ids)
    return [
        Section(
            REPORT_TEMPLATE,
            {"rows": rows, "themes": themes, "audiences": audiences, "map_url": urls.page(PAGE)},
        )
    ]


PROVIDER = Provider(
    "kaart",
    provide,
    hooks={"entry_sections": entry_sections, "report_sections": report_sections},
    setup=setup,
)
"""The map page and its files; the locator on entry pages; the map's figures on Cijfers."""


__all__ = ["PROVIDER", "AreaLink", "CityMap", "KindMark", "Locator", "StadsdeelRow", "Unplaced", "WijkRow", "city_map"]
