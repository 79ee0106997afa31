"""The Catalog: the one in-memory result of loading a content repository.

Pages, the search index, exports, the report, matching and the submission service all
read a Catalog; none of them parses content again. Derived views depend on the build
date ("today"), which is passed in, never read from the clock here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from wijknet.content.models import Entry, ValidationContext, moment_key
from wijknet.content.validation import FileResult, Problem, duplicate_slug_problems, validate_file
from wijknet.settings import SiteSettings
from wijknet.taxonomy import Taxonomy

FACETS: dict[str, str] = {"kinds": "soort", "themes": "thema", "audiences": "doelgroep", "areas": "gebied"}


class ContentError(Exception):
    """Invalid content: carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


def entry_files(content_dir: Path) -> list[Path]:
    """Every entry file under ``content_dir``, sorted."""
    if not content_dir.is_dir():
        return []
    return sorted(path for path in content_dir.rglob("*.md") if path.is_file())


@dataclass
class Catalog:
    """Validated entries of one city plus the views every output shares."""

    entries: tuple[Entry, ...]
    taxonomy: Taxonomy
    settings: SiteSettings
    today: dt.date
    sources: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = tuple(sorted(self.entries, key=lambda entry: entry.slug))
        self.by_slug: dict[str, Entry] = {entry.slug: entry for entry in self.entries}

    # --- state of one entry on the build date -------------------------------------------

    def is_expired_question(self, entry: Entry) -> bool:
        expires = entry.question_expires()
        return expires is not None and expires < self.today

    def is_past_activity(self, entry: Entry) -> bool:
        if entry.when is None:
            return False
        end = entry.when.end if entry.when.end is not None else entry.when.start
        return moment_key(end, end=True).date() < self.today

    def is_listed(self, entry: Entry) -> bool:
        """Shown in lists, facets, search, feeds and exports."""
        return entry.status != "gestopt" and not self.is_expired_question(entry)

    def is_featured(self, entry: Entry) -> bool:
        return entry.featured is not None and self.is_listed(entry) and self.today <= entry.featured.until

    def area_closure(self, entry: Entry) -> tuple[str, ...]:
        """The entry's areas with every area above them, without repeats, in tree order."""
        # Cached per slug: related() asks for every pair of entries (quadratic without it).
        cache = self.__dict__.setdefault("_area_closures", {})
        if entry.slug not in cache or cache[entry.slug][0] is not entry:
            cache[entry.slug] = (entry, self._compute_area_closure(entry))
        return cache[entry.slug][1]

    def _compute_area_closure(self, entry: Entry) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for area_id in entry.areas:
            for candidate in self.taxonomy.areas.with_ancestors(area_id):
                seen.setdefault(candidate, None)
        order = {area.id: index for index, area in enumerate(self.taxonomy.areas.terms)}
        return tuple(sorted(seen, key=lambda area_id: order.get(area_id, 0)))

    def stadsdelen_of(self, entry: Entry) -> tuple[str, ...]:
        """The stadsdelen an entry is in; city-wide entries belong to all of them."""
        areas = self.taxonomy.areas
        if any(areas.level_of(area_id) == "stad" for area_id in entry.areas):
            return tuple(area.id for area in areas.of_level("stadsdeel"))
        return tuple(area_id for area_id in self.area_closure(entry) if areas.level_of(area_id) == "stadsdeel")

    # --- views ---------------------------------------------------------------------------

    @cached_property
    def listed(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if self.is_listed(entry))

    @cached_property
    def featured(self) -> tuple[Entry, ...]:
        """Prikbord: featured and not expired; the soonest-expiring last."""
        chosen = [entry for entry in self.listed if self.is_featured(entry)]
        return tuple(sorted(chosen, key=lambda e: (-e.featured.until.toordinal(), e.title.lower(), e.slug)))

    @cached_property
    def upcoming_activities(self) -> tuple[Entry, ...]:
        chosen = [e for e in self.listed if e.kind == "activiteit" and not self.is_past_activity(e)]
        return tuple(sorted(chosen, key=lambda e: (moment_key(e.when.start), e.slug)))

    def recent(self, limit: int = 10) -> tuple[Entry, ...]:
        """Most recently checked listed entries."""
        ordered = sorted(self.listed, key=lambda e: (-e.checked.toordinal(), e.slug))
        return tuple(ordered[:limit])

    def terms_of(self, entry: Entry, vocabulary: str) -> tuple[str, ...]:
        if vocabulary == "kinds":
            return (entry.kind,)
        if vocabulary == "themes":
            return tuple(entry.themes)
        if vocabulary == "audiences":
            return tuple(entry.audiences)
        if vocabulary == "areas":
            return self.area_closure(entry)
        raise KeyError(vocabulary)

    @cached_property
    def facets(self) -> dict[str, dict[str, tuple[Entry, ...]]]:
        """For each vocabulary, term id → listed entries with that term (areas roll up)."""
        result: dict[str, dict[str, list[Entry]]] = {name: {} for name in FACETS}
        for entry in self.listed:
            for vocabulary in FACETS:
                for term_id in self.terms_of(entry, vocabulary):
                    result[vocabulary].setdefault(term_id, []).append(entry)
        return {
            vocabulary: {
                term.id: tuple(members[term.id])
                for term in self.taxonomy.vocabulary(vocabulary)
                if term.id in members
            }
            for vocabulary, members in result.items()
        }

    def facet_count(self, vocabulary: str, term_id: str) -> int:
        return len(self.facets[vocabulary].get(term_id, ()))

    def related(self, entry: Entry, limit: int = 4) -> tuple[Entry, ...]:
        """Listed entries sharing a theme and an area with ``entry``, closest first."""
        my_themes = set(entry.themes)
        my_areas = set(self.area_closure(entry))
        city = self.taxonomy.areas.city.id
        scored = []
        for other in self.listed:
            if other.slug == entry.slug:
                continue
            shared_themes = my_themes & set(other.themes)
            shared_areas = (my_areas & set(self.area_closure(other))) - {city}
            if shared_themes and shared_areas:
                scored.append((-len(shared_themes), -len(shared_areas), other.slug, other))
        scored.sort(key=lambda item: item[:3])
        return tuple(item[3] for item in scored[:limit])


@dataclass
class LoadResult:
    catalog: Catalog | None
    problems: list[Problem]
    results: list[FileResult]
    files: int


def load_catalog(
    content_dir: Path,
    taxonomy: Taxonomy,
    settings: SiteSettings,
    today: dt.date,
    display_root: Path | None = None,
) -> LoadResult:
    """Load and validate every entry under ``content_dir``; never raises for bad content."""
    context = ValidationContext(taxonomy=taxonomy, settings=settings, today=today)
    results = []
    for path in entry_files(content_dir):
        display = str(path.relative_to(display_root)) if display_root and path.is_relative_to(display_root) else str(path)
        results.append(validate_file(path, context, display))
    problems = [problem for result in results for problem in result.problems]
    problems.extend(duplicate_slug_problems(results))
    problems.sort(key=lambda p: (p.file, p.line, p.key, p.code))
    if problems:
        return LoadResult(None, problems, results, len(results))
    entries = tuple(result.entry for result in results if result.entry is not None)
    sources = {result.entry.slug: result.path for result in results if result.entry is not None}
    catalog = Catalog(entries=entries, taxonomy=taxonomy, settings=settings, today=today, sources=sources)
    return LoadResult(catalog, [], results, len(results))
