"""Counts of listed entries per kind, theme and stadsdeel: shared by the report and the
"Cijfers" page."""

from __future__ import annotations

from dataclasses import dataclass

from wijknet.content.catalog import Catalog
from wijknet.report.dates import add_months


@dataclass(frozen=True)
class Count:
    """How many listed entries have one taxonomy term."""

    id: str
    label: str
    count: int

    def as_dict(self) -> dict[str, int | str]:
        return {"id": self.id, "label": self.label, "count": self.count}


@dataclass(frozen=True)
class Figures:
    """The counts of one catalog on its build date."""

    total: int
    listed: int
    paused: int
    stopped: int
    checked_last_year: int
    kinds: tuple[Count, ...]
    themes: tuple[Count, ...]
    stadsdelen: tuple[Count, ...]
    citywide: Count

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "listed": self.listed,
            "paused": self.paused,
            "stopped": self.stopped,
            "checked_last_year": self.checked_last_year,
            "kinds": [count.as_dict() for count in self.kinds],
            "themes": [count.as_dict() for count in self.themes],
            "stadsdelen": [count.as_dict() for count in self.stadsdelen],
            "citywide": self.citywide.as_dict(),
        }


def count_figures(catalog: Catalog) -> Figures:
    """Counts over the listed entries, every term in taxonomy order (zeros included).

    An entry in two stadsdelen counts in both; city-wide entries are counted once, in
    ``citywide``, not in every stadsdeel.
    """
    taxonomy = catalog.taxonomy
    city = taxonomy.areas.city
    listed = catalog.listed
    return Figures(
        total=len(catalog.entries),
        listed=len(listed),
        paused=sum(1 for entry in listed if entry.status == "gepauzeerd"),
        stopped=sum(1 for entry in catalog.entries if entry.status == "gestopt"),
        # Same rule as the report: checked within the last 12 months.
        checked_last_year=sum(1 for entry in listed if add_months(entry.checked, 12) >= catalog.today),
        kinds=tuple(Count(term.id, term.label, catalog.facet_count("kinds", term.id)) for term in taxonomy.kinds),
        themes=tuple(Count(term.id, term.label, catalog.facet_count("themes", term.id)) for term in taxonomy.themes),
        stadsdelen=tuple(
            Count(area.id, area.label, catalog.facet_count("areas", area.id))
            for area in taxonomy.areas.of_level("stadsdeel")
        ),
        citywide=Count(city.id, f"{city.label} (hele stad)", sum(1 for e in listed if city.id in e.areas)),
    )
