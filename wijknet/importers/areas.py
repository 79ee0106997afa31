"""Which wijk a point lies in: buurt polygons in an STRtree, mapped to wijk ids by CBS code.

A buurt's CBS code (``BU`` + gemeente + wijk + buurt, e.g. ``BU0363AC02``) contains the CBS
code of its wijk (``WK0363AC``), which is the ``code`` of a wijk in the area taxonomy. Names
are never re-slugged: the code is the link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import shapely
from shapely import STRtree
from shapely.geometry import shape

from wijknet.taxonomy import Taxonomy, wijk_code_of


class BuurtenError(Exception):
    """The buurt polygons cannot be used; ``problems`` lists every reason (in Dutch)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class WijkLocator:
    """Finds the wijk (taxonomy id) of points, from buurt polygons."""

    tree: STRtree
    wijk_ids: tuple[str, ...]  # per polygon, same order as the tree's geometries
    buurt_codes: tuple[str, ...]

    @classmethod
    def from_geojson(cls, path: Path, code_field: str, taxonomy: Taxonomy) -> "WijkLocator":
        """Read the buurt polygons; every buurt must belong to a wijk in the taxonomy."""
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise BuurtenError([f"{path}: kan het bestand niet lezen ({error.strerror or error})"]) from None
        except ValueError as error:
            raise BuurtenError([f"{path}: geen geldige GeoJSON ({error})"]) from None
        features = collection.get("features") if isinstance(collection, dict) else None
        if not isinstance(features, list) or not features:
            raise BuurtenError([f"{path}: geen buurten gevonden (verwacht een FeatureCollection)"])
        wijk_by_code = {area.code: area.id for area in taxonomy.areas.of_level("wijk") if area.code}
        problems: list[str] = []
        rows: list[tuple[str, str, object]] = []
        for index, feature in enumerate(features):
            properties = (feature or {}).get("properties") or {}
            buurt_code = str(properties.get(code_field) or "")
            wijk_code = wijk_code_of(buurt_code)
            if wijk_code is None:
                problems.append(f"{path}: buurt {index + 1}: '{code_field}' is geen CBS-buurtcode: {buurt_code!r}")
                continue
            wijk_id = wijk_by_code.get(wijk_code)
            if wijk_id is None:
                problems.append(f"{path}: buurt {buurt_code}: wijkcode {wijk_code} staat niet in gebieden.yaml")
                continue
            try:
                geometry = shape(feature["geometry"])
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                problems.append(f"{path}: buurt {buurt_code}: geen geldige vorm ({error})")
                continue
            rows.append((buurt_code, wijk_id, geometry))
        if problems:
            raise BuurtenError(problems)
        rows.sort(key=lambda row: row[0])
        geometries = [row[2] for row in rows]
        shapely.prepare(geometries)
        return cls(
            tree=STRtree(geometries),
            wijk_ids=tuple(row[1] for row in rows),
            buurt_codes=tuple(row[0] for row in rows),
        )

    def locate(self, lonlats: Sequence[tuple[float, float]]) -> list[str | None]:
        """The wijk id of each (lon, lat) point, or None when it lies in no buurt.

        A point on the border of two buurten goes to the buurt with the lowest code, so
        the answer never depends on the order of the polygons.
        """
        if not lonlats:
            return []
        points = shapely.points([list(pair) for pair in lonlats])
        point_index, polygon_index = self.tree.query(points, predicate="intersects")
        found: dict[int, int] = {}
        for point, polygon in zip(point_index.tolist(), polygon_index.tolist()):
            current = found.get(point)
            if current is None or self.buurt_codes[polygon] < self.buurt_codes[current]:
                found[point] = polygon
        return [self.wijk_ids[found[i]] if i in found else None for i in range(len(lonlats))]
