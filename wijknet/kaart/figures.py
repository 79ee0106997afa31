"""Where is little? Listed entries per wijk and per stadsdeel, absolute and per km².

An entry counts in an area as it does on the area's own page (``gebied/<id>/``): when its
werkgebied names the area or an area inside it. An entry for a whole stadsdeel or the whole
city therefore counts in no single wijk: the figures show what is there for each wijk in
particular, so the wijken with nothing (the "witte vlekken") stand out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.kaart.geometry import CityGeometry


@dataclass(frozen=True)
class AreaFigure:
    """One area's figure: listed entries in it, its surface and the two together."""

    id: str
    label: str
    count: int
    km2: float
    stadsdeel: str = ""  # label of the stadsdeel (wijken)
    gebied: str = ""  # label of the gebied (wijken that have one)
    empty_wijken: tuple[str, ...] = ()  # labels of its wijken without entries (stadsdelen)
    wijken: int = 0  # how many wijken it has (stadsdelen)

    @property
    def density(self) -> float:
        return self.count / self.km2 if self.km2 > 0 else 0.0


@dataclass(frozen=True)
class TermRow:
    """One term (a theme or target group) counted per stadsdeel."""

    id: str
    label: str
    counts: tuple[int, ...]


def _areas_with_level(catalog: Catalog, area_id: str, level: str) -> str:
    areas = catalog.taxonomy.areas
    return next((areas.by_id[a].label for a in areas.ancestors(area_id) if areas.level_of(a) == level), "")


def wijk_figures(catalog: Catalog, city: CityGeometry) -> tuple[AreaFigure, ...]:
    """Every wijk on the map with its listed entries, in taxonomy order."""
    return tuple(
        AreaFigure(
            id=area.id,
            label=area.label,
            count=catalog.facet_count("areas", area.id),
            km2=area.km2,
            stadsdeel=_areas_with_level(catalog, area.id, "stadsdeel"),
            gebied=_areas_with_level(catalog, area.id, "gebied"),
        )
        for area in city.of_level("wijk")
    )


def stadsdeel_figures(catalog: Catalog, city: CityGeometry) -> tuple[AreaFigure, ...]:
    """Every stadsdeel on the map: its listed entries, surface and wijken without entries."""
    areas = catalog.taxonomy.areas
    wijken = wijk_figures(catalog, city)
    result = []
    for area in city.of_level("stadsdeel"):
        below = [figure for figure in wijken if area.id in areas.ancestors(figure.id)]
        result.append(
            AreaFigure(
                id=area.id,
                label=area.label,
                count=catalog.facet_count("areas", area.id),
                km2=area.km2,
                empty_wijken=tuple(figure.label for figure in below if figure.count == 0),
                wijken=len(below),
            )
        )
    return tuple(result)


def term_rows(catalog: Catalog, vocabulary: str, stadsdelen: Iterable[str]) -> tuple[TermRow, ...]:
    """Per term of ``vocabulary`` (themes, audiences): listed entries in each stadsdeel."""
    stadsdelen = tuple(stadsdelen)
    counts = {term.id: dict.fromkeys(stadsdelen, 0) for term in catalog.taxonomy.vocabulary(vocabulary)}
    for entry in catalog.listed:
        closure = set(catalog.area_closure(entry))
        inside = [stadsdeel for stadsdeel in stadsdelen if stadsdeel in closure]
        for term_id in catalog.terms_of(entry, vocabulary):
            for stadsdeel in inside:
                counts[term_id][stadsdeel] += 1
    return tuple(
        TermRow(term.id, term.label, tuple(counts[term.id][s] for s in stadsdelen))
        for term in catalog.taxonomy.vocabulary(vocabulary)
    )


@dataclass(frozen=True)
class Unplaced:
    """Listed entries without coordinates in one area: a stadsdeel, or the whole city."""

    id: str
    label: str
    count: int
    citywide: bool = False


def unplaced(catalog: Catalog, entries: Iterable[Entry]) -> tuple[Unplaced, ...]:
    """Entries without coordinates (``entries``) counted per stadsdeel of their werkgebied;
    those for the whole city once, apart (last)."""
    areas = catalog.taxonomy.areas
    city = areas.city
    stadsdelen = areas.of_level("stadsdeel")
    counts = dict.fromkeys((area.id for area in stadsdelen), 0)
    citywide = 0
    for entry in entries:
        if city.id in entry.areas:
            citywide += 1
            continue
        for area_id in catalog.area_closure(entry):
            if area_id in counts:
                counts[area_id] += 1
    rows = [Unplaced(area.id, area.label, counts[area.id]) for area in stadsdelen]
    rows.append(Unplaced(city.id, city.label, citywide, citywide=True))
    return tuple(rows)
