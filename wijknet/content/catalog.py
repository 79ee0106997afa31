"""The Catalog: the one in-memory result of loading a content repository.

Pages, the search index, exports, the report, matching and the submission service all
read a Catalog; none of them parses content again. Derived views depend on the build
date ("today"), which is passed in, never read from the clock here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from wijknet.content.files import ContentError, entry_files  # noqa: F401  (ContentError: part of this module's interface)
from wijknet.processes import Pool
from wijknet.safe_yaml import MAX_FILE_BYTES, load_bytes
from wijknet.content.models import Entry, ValidationContext, moment_key
from wijknet.content.rules import ACTIVITY
from wijknet.content.validation import (
    FileResult,
    Problem,
    duplicate_slug_problems,
    validate_file,
    validate_loaded,
)
from wijknet.settings import SiteSettings
from wijknet.taxonomy import URL_PREFIXES, Taxonomy

if TYPE_CHECKING:
    from collections.abc import Callable

FACETS: dict[str, str] = URL_PREFIXES


def file_key(path: Path, raw: bytes) -> str:
    """The key of one entry file: its name (the slug) and its bytes."""
    return hashlib.sha256(path.name.encode() + b"\0" + raw).hexdigest()


class EntryStore(Protocol):
    """Validated entries remembered between builds by :func:`file_key` (the build cache's
    ``entries`` namespace)."""

    def get(self, key: str, today: dt.date) -> Entry | None: ...

    def put(self, key: str, entry: Entry) -> None: ...


@dataclass
class Catalog:
    """Validated entries of one city plus the views every output shares."""

    entries: tuple[Entry, ...]
    taxonomy: Taxonomy
    settings: SiteSettings
    today: dt.date
    sources: dict[str, str] = field(default_factory=dict)
    # slug → digest of the entry's file (name and bytes), when the loader computed it; build
    # caches use it to recognise an unchanged entry without comparing its fields.
    digests: dict[str, str] = field(default_factory=dict)

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
        order = self._area_order
        return tuple(sorted(seen, key=lambda area_id: order.get(area_id, 0)))

    @cached_property
    def _area_order(self) -> dict[str, int]:
        return {area.id: index for index, area in enumerate(self.taxonomy.areas.terms)}

    def stadsdelen_of(self, entry: Entry) -> tuple[str, ...]:
        """The stadsdelen an entry is in; city-wide entries belong to all of them."""
        # Cached per slug like area_closure: feeds and matching ask once per stadsdeel.
        cache = self.__dict__.setdefault("_stadsdelen", {})
        if entry.slug not in cache or cache[entry.slug][0] is not entry:
            cache[entry.slug] = (entry, self._compute_stadsdelen(entry))
        return cache[entry.slug][1]

    def _compute_stadsdelen(self, entry: Entry) -> tuple[str, ...]:
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
        chosen = [e for e in self.listed if e.kind == ACTIVITY and not self.is_past_activity(e)]
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
        """Listed entries sharing a theme and an area with ``entry``, closest first.

        Order: most shared themes, then most shared areas (the city does not count), then slug.
        """
        index = self._related_index
        listed = self.listed
        everyone = (1 << len(listed)) - 1
        own = index["position"].get(entry.slug)
        if own is not None:
            everyone &= ~(1 << own)
        themes = [index["themes"].get(theme, 0) for theme in dict.fromkeys(entry.themes)]
        city = self.taxonomy.areas.city.id
        areas = [index["areas"].get(area, 0) for area in self.area_closure(entry) if area != city]
        by_themes = _at_least(themes, everyone)
        by_areas = _at_least(areas, everyone)
        if len(by_themes) < 2 or len(by_areas) < 2:
            return ()
        chosen: list[Entry] = []
        # Entries are bits in slug order, so taking the lowest bits first keeps the slug order.
        for shared_themes in range(len(by_themes) - 1, 0, -1):
            exact_themes = by_themes[shared_themes] & ~by_themes[shared_themes + 1] if shared_themes + 1 < len(by_themes) else by_themes[shared_themes]
            if not exact_themes & by_areas[1]:
                continue
            for shared_areas in range(len(by_areas) - 1, 0, -1):
                upper = by_areas[shared_areas + 1] if shared_areas + 1 < len(by_areas) else 0
                group = exact_themes & by_areas[shared_areas] & ~upper
                while group and len(chosen) < limit:
                    low = group & -group
                    chosen.append(listed[low.bit_length() - 1])
                    group ^= low
                if len(chosen) >= limit:
                    return tuple(chosen)
        return tuple(chosen)

    @cached_property
    def _related_index(self) -> dict[str, dict[str, int]]:
        """Bit sets over the listed entries (bit i = i-th listed entry, in slug order)."""
        themes: dict[str, int] = {}
        areas: dict[str, int] = {}
        position: dict[str, int] = {}
        for bit_number, entry in enumerate(self.listed):
            bit = 1 << bit_number
            position[entry.slug] = bit_number
            for theme in set(entry.themes):
                themes[theme] = themes.get(theme, 0) | bit
            for area in self.area_closure(entry):
                areas[area] = areas.get(area, 0) | bit
        return {"themes": themes, "areas": areas, "position": position}


def _at_least(masks: list[int], universe: int) -> list[int]:
    """``result[k]``: the bits set in at least ``k`` of ``masks`` (``result[0]`` is ``universe``)."""
    result = [universe] + [0] * len(masks)
    for mask in masks:
        for count in range(len(masks), 0, -1):
            result[count] |= result[count - 1] & mask
    return result


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
    cache: "EntryStore | None" = None,
    jobs: int = 1,
    while_waiting: "Callable[[], None] | None" = None,
) -> LoadResult:
    """Load and validate every entry under ``content_dir``; never raises for bad content.

    With a ``cache`` (the build cache's validated entries, see :class:`EntryStore`), files whose bytes did not change
    are not parsed again; ``jobs`` > 1 validates the other files in that many processes,
    and this process runs ``while_waiting`` (work of its own, such as imports) meanwhile.
    """
    context = ValidationContext(taxonomy=taxonomy, settings=settings, today=today)
    paths = entry_files(content_dir)
    root = os.path.join(str(display_root), "") if display_root else None  # ends in one "/"
    displays = [str(path)[len(root) :] if root and str(path).startswith(root) else str(path) for path in paths]
    results: list[FileResult | None] = [None] * len(paths)
    keys: dict[int, str] = {}
    raws: dict[int, bytes] = {}  # read once for the key, validated from these bytes on a miss
    if cache is not None:
        for position, path in enumerate(paths):
            raw = _read_bounded(path)
            if raw is None or len(raw) > MAX_FILE_BYTES:
                continue  # validate_file reports it (unreadable, or too large with its real size)
            raws[position] = raw
            keys[position] = key = file_key(path, raw)
            entry = cache.get(key, today)
            if entry is not None:
                results[position] = FileResult(displays[position], entry, [])
    todo = [position for position, result in enumerate(results) if result is None]
    files = [(paths[i], raws.get(i), displays[i]) for i in todo]
    for position, result in zip(todo, _validate_many(files, context, jobs, while_waiting)):
        results[position] = result
        if cache is not None and result.entry is not None:
            cache.put(keys[position], result.entry)
    done = [result for result in results if result is not None]
    problems = [problem for result in done for problem in result.problems]
    problems.extend(duplicate_slug_problems(done))
    problems.sort(key=lambda p: (p.file, p.line, p.key, p.code))
    if problems:
        return LoadResult(None, problems, done, len(done))
    entries = tuple(result.entry for result in done if result.entry is not None)
    sources = {result.entry.slug: result.path for result in done if result.entry is not None}
    digests = {
        results[position].entry.slug: key for position, key in keys.items() if results[position].entry is not None
    }
    catalog = Catalog(entries=entries, taxonomy=taxonomy, settings=settings, today=today, sources=sources, digests=digests)
    return LoadResult(catalog, [], done, len(done))


# Below this many files a process pool costs more than it saves.
PARALLEL_MINIMUM = 200


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, at most one past the size limit (as ``load_path`` reads); None if unreadable."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None


def _validate_one(path: Path, raw: bytes | None, display: str, context: ValidationContext) -> FileResult:
    """Validate from bytes already read, or from the file when there are none."""
    if raw is None:
        return validate_file(path, context, display)
    return validate_loaded(load_bytes(raw), path.stem, display, context)


def _validate_many(
    files: list[tuple[Path, bytes | None, str]], context: ValidationContext, jobs: int, while_waiting=None
) -> list[FileResult]:
    """Validate files, in ``jobs`` forked processes when there are many (order kept)."""
    if jobs <= 1 or len(files) < PARALLEL_MINIMUM:
        return [_validate_one(path, raw, display, context) for path, raw, display in files]
    chunk = max(1, len(files) // (jobs * 4))
    pool = Pool(jobs, _validate_task, context)
    try:
        pending = pool.map_ordered(files, chunk)
        if while_waiting is not None:
            while_waiting()
        results = list(pending)
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    return results


def _validate_task(context: ValidationContext, item: tuple[Path, bytes | None, str]) -> FileResult:
    path, raw, display = item
    result = _validate_one(path, raw, display, context)
    return FileResult(result.path, result.entry, result.problems)  # the parsed file stays behind
