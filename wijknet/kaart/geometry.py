"""The city's boundaries, made from the polygons its settings name (``kaart.grenzen``).

Every polygon belongs to one wijk of the area taxonomy (see
:class:`wijknet.settings.MapSettings`). The polygons of a wijk are joined into its shape;
the wijken, a coverage (no overlaps, shared edges), are simplified together so neighbours
keep one shared border; a gebied or stadsdeel is the union of the simplified wijken below
it, so every level has the same borders. Two simplifications are made: a fine one for the
interactive map and a coarser one for the drawings on the pages.

Pure: shapely in, plain values out (well-known binary geometry, numbers), so the result can
be kept in the build cache.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from wijknet.settings import DataFileError, MapSettings
from wijknet.taxonomy import AreaTree, wijk_code_of

WEB_TOLERANCE_M = 10.0
"""Simplification of the interactive map's boundaries, in metres (about the size of a
triangle's side that may go)."""
DRAWING_TOLERANCE_M = 30.0
"""Simplification of the drawings on the pages (the city map and the locators)."""
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0
LEVELS = ("stadsdeel", "gebied", "wijk")


@dataclass(frozen=True)
class LocalProjection:
    """Degrees to metres around the city (equirectangular at its middle latitude): exact
    enough for areas and simplification within one city, and cheap."""

    latitude: float

    @property
    def scale(self) -> tuple[float, float]:
        return (METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(self.latitude)), METRES_PER_DEGREE_LAT)

    def to_metres(self, geometry):
        factor = np.array(self.scale)
        return shapely.transform(geometry, lambda xy: xy * factor)

    def to_degrees(self, geometry):
        factor = np.array(self.scale)
        return shapely.transform(geometry, lambda xy: xy / factor)


@dataclass(frozen=True)
class AreaShape:
    """One area on the map: a stadsdeel, gebied or wijk with polygons below it."""

    id: str
    level: str
    label: str
    parent: str | None
    web: bytes  # WKB, lon/lat, simplified for the interactive map
    drawing: bytes  # WKB, lon/lat, simplified more, for the drawings
    label_point: tuple[float, float]  # lon, lat: the centroid, or a point inside when that is outside
    km2: float  # of the shape before simplification


@dataclass(frozen=True)
class CityGeometry:
    """Every area that has polygons, in taxonomy order, and the wijken at full detail (to
    find the wijk a point lies in)."""

    areas: tuple[AreaShape, ...]
    wijk_detail: tuple[tuple[str, bytes], ...]  # (wijk id, WKB lon/lat) in taxonomy order
    bounds: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
    latitude: float  # of the local projection

    def by_id(self) -> dict[str, AreaShape]:
        return {area.id: area for area in self.areas}

    def of_level(self, level: str) -> list[AreaShape]:
        return [area for area in self.areas if area.level == level]


def _problem(path: Path, key: str, detail: str) -> tuple[str, int, str, str]:
    return (str(path), 1, key, detail)


def read_wijk_polygons(path: Path, settings: MapSettings, areas: AreaTree) -> dict[str, list]:
    """The polygons of ``path`` by wijk id; raises :class:`DataFileError` with every problem
    (in Dutch, naming the feature and property)."""
    try:
        collection = json.loads(Path(path).read_bytes())
    except OSError as error:
        raise DataFileError([_problem(path, "kaart.grenzen", f"kan het bestand met de grenzen niet lezen ({error.strerror or error})")]) from None
    except ValueError as error:
        raise DataFileError([_problem(path, "kaart.grenzen", f"dit is geen geldige GeoJSON ({error})")]) from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list) or not features:
        raise DataFileError([_problem(path, "features", "geen vlakken gevonden: verwacht een GeoJSON FeatureCollection met vlakken")])
    wijken = areas.of_level("wijk")
    if settings.wijk_value == "id":
        wijk_of = {area.id: area.id for area in wijken}
    else:
        wijk_of = {area.code: area.id for area in wijken if area.code}
    field = settings.wijk_field
    problems: list[tuple[str, int, str, str]] = []
    found: dict[str, list] = {}
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        value = str((properties or {}).get(field) or "").strip()
        if not value:
            problems.append(_problem(path, f"{where}.properties.{field}", f"het veld '{field}' ontbreekt of is leeg"))
            continue
        key = wijk_code_of(value) if settings.wijk_value == "cbs-buurtcode" else value
        if key is None:
            problems.append(_problem(path, f"{where}.properties.{field}", f"'{value}' is geen CBS-buurtcode (zoals BU0363AC02)"))
            continue
        wijk = wijk_of.get(key)
        if wijk is None:
            what = "wijkcode" if settings.wijk_value != "id" else "wijk"
            problems.append(_problem(path, f"{where}.properties.{field}", f"{what} '{key}' staat niet in gebieden.yaml"))
            continue
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as error:
            problems.append(_problem(path, f"{where}.geometry", f"geen geldige vorm ({error})"))
            continue
        if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
            problems.append(_problem(path, f"{where}.geometry", f"verwacht een vlak (Polygon of MultiPolygon), niet {geometry.geom_type}"))
            continue
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        found.setdefault(wijk, []).append(geometry)
    missing = [area.id for area in wijken if area.id not in found]
    if missing:
        problems.append(_problem(path, "features", f"geen vlakken voor de wijk(en) {', '.join(missing)} uit gebieden.yaml"))
    if problems:
        raise DataFileError(problems)
    return found


def _label_point(geometry) -> tuple[float, float]:
    centroid = geometry.centroid
    point = centroid if geometry.contains(centroid) else geometry.point_on_surface()
    return (point.x, point.y)


def _coverage_union(parts: list, is_coverage: bool):
    return shapely.coverage_union_all(parts) if is_coverage else shapely.union_all(parts)


def _levels(wijk_shapes: dict[str, object], areas: AreaTree, is_coverage: bool) -> dict[str, object]:
    """Every stadsdeel, gebied and wijk with wijken below it, as the union of their shapes."""
    members: dict[str, list] = {}
    for wijk_id, geometry in wijk_shapes.items():
        for area_id in areas.with_ancestors(wijk_id):
            if areas.level_of(area_id) in LEVELS:
                members.setdefault(area_id, []).append(geometry)
    return {
        area_id: parts[0] if len(parts) == 1 else _coverage_union(parts, is_coverage)
        for area_id, parts in members.items()
    }


def _simplified(wijk_metres: dict[str, object], tolerance: float, projection: LocalProjection) -> dict[str, object]:
    """The wijken simplified together (shared borders stay shared), back in degrees."""
    ids = list(wijk_metres)
    simplified = shapely.coverage_simplify(np.array([wijk_metres[i] for i in ids], dtype=object), tolerance)
    result = {}
    for wijk_id, geometry in zip(ids, simplified):
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        result[wijk_id] = projection.to_degrees(geometry)
    return result


def city_geometry(polygons: dict[str, list], areas: AreaTree) -> CityGeometry:
    """The boundaries of every level, from the polygons of each wijk (see the module docstring)."""
    order = {area.id: index for index, area in enumerate(areas.terms)}
    wijk_ids = sorted(polygons, key=lambda wijk_id: order[wijk_id])
    everything = [geometry for wijk_id in wijk_ids for geometry in polygons[wijk_id]]
    is_coverage = bool(shapely.coverage_is_valid(np.array(everything, dtype=object)))
    detail = {wijk_id: _coverage_union(polygons[wijk_id], is_coverage) for wijk_id in wijk_ids}
    min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(np.array(list(detail.values()), dtype=object)).tolist()
    projection = LocalProjection(round((min_lat + max_lat) / 2, 6))
    metres = {wijk_id: projection.to_metres(geometry) for wijk_id, geometry in detail.items()}
    full = _levels(metres, areas, is_coverage)
    web = _levels(_simplified(metres, WEB_TOLERANCE_M, projection), areas, True)
    drawing = _levels(_simplified(metres, DRAWING_TOLERANCE_M, projection), areas, True)
    shapes = []
    for area in areas.terms:
        if area.id not in full:
            continue
        outline = projection.to_degrees(full[area.id])
        shapes.append(
            AreaShape(
                id=area.id,
                level=area.level,
                label=area.label,
                parent=area.parent,
                web=shapely.to_wkb(web[area.id]),
                drawing=shapely.to_wkb(drawing[area.id]),
                label_point=_label_point(outline),
                km2=full[area.id].area / 1e6,
            )
        )
    return CityGeometry(
        areas=tuple(shapes),
        wijk_detail=tuple((wijk_id, shapely.to_wkb(detail[wijk_id])) for wijk_id in wijk_ids),
        bounds=(min_lon, min_lat, max_lon, max_lat),
        latitude=projection.latitude,
    )


class WijkFinder:
    """Finds the wijk (id) each point lies in, at full detail."""

    def __init__(self, city: CityGeometry):
        self.ids = [wijk_id for wijk_id, _ in city.wijk_detail]
        geometries = shapely.from_wkb([wkb for _, wkb in city.wijk_detail])
        shapely.prepare(geometries)
        self.tree = shapely.STRtree(geometries)

    def find(self, lonlats: list[tuple[float, float]]) -> list[str | None]:
        """The wijk of each (lon, lat), or None outside every wijk. A point on a border
        goes to the wijk first in taxonomy order, whatever the order of the polygons."""
        if not lonlats:
            return []
        points = shapely.points(np.array(lonlats, dtype=float))
        point_index, wijk_index = self.tree.query(points, predicate="intersects")
        found: dict[int, int] = {}
        for point, wijk in zip(point_index.tolist(), wijk_index.tolist()):
            if point not in found or wijk < found[point]:
                found[point] = wijk
        return [self.ids[found[i]] if i in found else None for i in range(len(lonlats))]
