"""Drawings made at build time: the city map of ``kaart/`` (an SVG that works without
JavaScript) and the small locator of an entry page, from the coarse boundaries of
:mod:`wijknet.kaart.geometry`.

Coordinates are projected like the geometry (equirectangular at the city's middle
latitude) into an SVG box with y downwards, rounded to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from wijknet.kaart.geometry import CityGeometry, LocalProjection

CITY_WIDTH = 1000.0
"""Width of the city map's SVG box; the height follows the city's shape."""
LOCATOR_SIZE = 200.0
"""The longest side of a locator's SVG box."""
LOCATOR_MARGIN = 8.0


@dataclass(frozen=True)
class Frame:
    """Maps lon/lat to an SVG box: ``x = (lon·kx − left)·scale``, ``y = (top − lat·ky)·scale``."""

    left: float  # metres
    top: float  # metres
    scale: float  # SVG units per metre
    width: float
    height: float
    kx: float
    ky: float

    @classmethod
    def fitting(cls, bounds: tuple[float, float, float, float], latitude: float, longest: float, margin: float = 0.0) -> "Frame":
        """A frame that shows ``bounds`` (lon/lat) with its longest side ``longest`` units."""
        kx, ky = LocalProjection(latitude).scale
        min_lon, min_lat, max_lon, max_lat = bounds
        wide, high = (max_lon - min_lon) * kx, (max_lat - min_lat) * ky
        inner = longest - 2 * margin
        scale = inner / max(wide, high, 1.0)
        return cls(
            left=min_lon * kx - margin / scale,
            top=max_lat * ky + margin / scale,
            scale=scale,
            width=round(wide * scale + 2 * margin, 1),
            height=round(high * scale + 2 * margin, 1),
            kx=kx,
            ky=ky,
        )

    @property
    def view_box(self) -> str:
        return f"0 0 {_number(self.width)} {_number(self.height)}"

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (round((lon * self.kx - self.left) * self.scale, 1), round((self.top - lat * self.ky) * self.scale, 1))

    def path(self, wkb: bytes) -> str:
        """The SVG path data of a (multi)polygon: one closed subpath per ring (draw with
        ``fill-rule: evenodd`` so holes stay holes)."""
        geometry = shapely.from_wkb(wkb)
        parts = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.geom_type != "Polygon" or polygon.is_empty:
                continue
            for ring in (polygon.exterior, *polygon.interiors):
                points = [self.point(lon, lat) for lon, lat in ring.coords[:-1]]
                if len(points) < 3:
                    continue
                parts.append("M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in points) + "Z")
        return "".join(parts)


def _number(value: float) -> str:
    """``12.0`` → ``12``, ``12.30`` → ``12.3``: short numbers for path data."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class DrawnArea:
    """An area as a drawing shows it."""

    id: str
    level: str
    label: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class CityDrawing:
    """The city map of ``kaart/``: every stadsdeel, gebied and wijk in one box."""

    view_box: str
    areas: tuple[DrawnArea, ...]


@dataclass(frozen=True)
class LocatorBase:
    """What every locator in one stadsdeel shares: its box, its outline, its wijken."""

    stadsdeel: str
    frame: Frame
    outline: str
    wijk_paths: tuple[tuple[str, str], ...]  # (wijk id, path) in this frame


def city_drawing(city: CityGeometry) -> CityDrawing:
    frame = Frame.fitting(city.bounds, city.latitude, CITY_WIDTH)
    areas = []
    for area in city.areas:
        x, y = frame.point(*area.label_point)
        areas.append(DrawnArea(area.id, area.level, area.label, frame.path(area.drawing), x, y))
    return CityDrawing(frame.view_box, tuple(areas))


def locator_bases(city: CityGeometry, stadsdeel_of: dict[str, str]) -> dict[str, LocatorBase]:
    """A locator base per stadsdeel; ``stadsdeel_of`` gives the stadsdeel of each wijk."""
    shapes = city.by_id()
    bases = {}
    for stadsdeel in city.of_level("stadsdeel"):
        geometry = shapely.from_wkb(stadsdeel.drawing)
        frame = Frame.fitting(tuple(geometry.bounds), city.latitude, LOCATOR_SIZE, LOCATOR_MARGIN)
        wijken = tuple(
            (wijk_id, frame.path(shapes[wijk_id].drawing))
            for wijk_id, _ in city.wijk_detail
            if stadsdeel_of.get(wijk_id) == stadsdeel.id
        )
        bases[stadsdeel.id] = LocatorBase(stadsdeel.id, frame, frame.path(stadsdeel.drawing), wijken)
    return bases
