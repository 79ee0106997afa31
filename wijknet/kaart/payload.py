"""The files the interactive map loads (documented in ``docs/kaart.md``).

- ``kaart/grenzen.json``: the boundaries, one GeoJSON FeatureCollection (stadsdelen, gebieden,
  wijken; coordinates with five decimals, about a metre) with a label point and the area in
  km² per feature.
- ``kaart/punten.json``: every listed entry as one short array (where it is, its kind, themes,
  target groups and areas as positions in the vocabularies listed once at the top), so the
  map can place, filter and count without loading any text.
- ``kaart/details/<n>.json``: title, summary and page of the entries in slice ``n`` of
  :data:`DETAILS_PER_FILE`, loaded when a popup opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import shapely
from shapely.geometry import mapping

from wijknet.content.models import Entry
from wijknet.jsondump import dump_json
from wijknet.kaart.geometry import CityGeometry
from wijknet.taxonomy import Taxonomy

FORMAT = 1
DECIMALS = 5
DETAILS_PER_FILE = 100
BOUNDARIES_PATH = "kaart/grenzen.json"
POINTS_PATH = "kaart/punten.json"
DETAILS_FOLDER = "kaart/details"


def details_path(number: int) -> str:
    return f"{DETAILS_FOLDER}/{number}.json"


def _rounded(coordinates):
    if isinstance(coordinates, (list, tuple)) and coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(value), DECIMALS) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def boundaries_json(city: CityGeometry, source: str) -> bytes:
    """``kaart/grenzen.json``: the simplified boundaries of every level, largest first."""
    features = []
    for area in city.areas:
        geometry = mapping(shapely.from_wkb(area.web))
        features.append(
            {
                "type": "Feature",
                "id": area.id,
                "properties": {
                    "naam": area.label,
                    "niveau": area.level,
                    "ouder": area.parent,
                    "label": _rounded(area.label_point),
                    "km2": round(area.km2, 3),
                },
                "geometry": {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])},
            }
        )
    return dump_json({"type": "FeatureCollection", "formaat": FORMAT, "bron": source, "features": features})


@dataclass(frozen=True)
class MapPoint:
    """An entry as the map knows it: where it is (None without coordinates) and the wijk it
    lies in (None when that is unknown)."""

    entry: Entry
    lat: float | None
    lon: float | None
    wijk: str | None


def points_json(points: Sequence[MapPoint], taxonomy: Taxonomy) -> bytes:
    """``kaart/punten.json``: one array per listed entry, in the order of ``points``:
    ``[lat, lon, kind, [themes], [target groups], [areas], wijk]``, each a position in the
    lists at the top (``null`` where unknown), whose labels follow them (``soortnamen``,
    ``gebiedsnamen``). ``ouders`` gives each area's parent (-1 for the city), so the map can
    roll areas up as the site does."""
    kinds = taxonomy.kinds.ids()
    themes = taxonomy.themes.ids()
    audiences = taxonomy.audiences.ids()
    areas = taxonomy.areas.ids()
    kind_at = {term: index for index, term in enumerate(kinds)}
    theme_at = {term: index for index, term in enumerate(themes)}
    audience_at = {term: index for index, term in enumerate(audiences)}
    area_at = {term: index for index, term in enumerate(areas)}
    parents = [area_at.get(area.parent, -1) if area.parent else -1 for area in taxonomy.areas]
    rows = []
    for point in points:
        entry = point.entry
        rows.append(
            [
                None if point.lat is None else round(point.lat, DECIMALS),
                None if point.lon is None else round(point.lon, DECIMALS),
                kind_at[entry.kind],
                [theme_at[term] for term in entry.themes],
                [audience_at[term] for term in entry.audiences],
                [area_at[term] for term in entry.areas],
                None if point.wijk is None else area_at[point.wijk],
            ]
        )
    return dump_json(
        {
            "formaat": FORMAT,
            "soorten": kinds,
            "soortnamen": [term.label for term in taxonomy.kinds],
            "gebiedsnamen": [area.label for area in taxonomy.areas],
            "themas": themes,
            "doelgroepen": audiences,
            "gebieden": areas,
            "ouders": parents,
            "per_bestand": DETAILS_PER_FILE,
            "berichten": rows,
        }
    )


def details_files(points: Sequence[MapPoint], url_of) -> Iterable[tuple[str, bytes]]:
    """``(path, bytes)`` of each ``kaart/details/<n>.json``: ``[title, summary, url]`` per
    entry, in the order of ``points``."""
    for start in range(0, len(points), DETAILS_PER_FILE):
        chunk = points[start : start + DETAILS_PER_FILE]
        rows = [[point.entry.title, point.entry.summary, url_of(point.entry.slug)] for point in chunk]
        yield details_path(start // DETAILS_PER_FILE), dump_json(rows)
