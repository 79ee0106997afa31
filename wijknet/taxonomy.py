"""The city's vocabularies: kinds, themes, target groups and the area tree.

Everything city-specific comes from ``taxonomy/*.yaml``; this module only knows the shape.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wijknet.safe_yaml import load_yaml_document
from wijknet.slugs import SLUG_PATTERN



@dataclass(frozen=True)
class VocabularySpec:
    """One vocabulary as the code knows it: its id, its file, where entries use it, how the site names it."""

    id: str  # in code: "themes"
    filename: str  # under taxonomy/
    key: str  # the entry's front matter key whose values are ids of this vocabulary
    url_prefix: str  # the site's pages for a term: /<url_prefix>/<term id>/
    label: str  # singular, for people
    label_plural: str


VOCABULARIES: tuple[VocabularySpec, ...] = (
    VocabularySpec("kinds", "soorten.yaml", "soort", "soort", "Soort", "Soorten"),
    VocabularySpec("themes", "themas.yaml", "themas", "thema", "Thema", "Thema's"),
    VocabularySpec("audiences", "doelgroepen.yaml", "doelgroepen", "doelgroep", "Doelgroep", "Doelgroepen"),
    VocabularySpec("areas", "gebieden.yaml", "werkgebied", "gebied", "Gebied", "Gebieden"),
)
"""The four vocabularies, in the order the site shows them."""

VOCABULARY: dict[str, VocabularySpec] = {spec.id: spec for spec in VOCABULARIES}
VOCABULARY_IDS: tuple[str, ...] = tuple(VOCABULARY)
VOCABULARY_FILES: dict[str, str] = {spec.id: spec.filename for spec in VOCABULARIES}
VOCABULARY_OF_KEY: dict[str, str] = {spec.key: spec.id for spec in VOCABULARIES}
"""Front matter key → vocabulary id: ``"themas"`` → ``"themes"``."""
URL_PREFIXES: dict[str, str] = {spec.id: spec.url_prefix for spec in VOCABULARIES}

AreaLevel = Literal["stad", "stadsdeel", "gebied", "wijk"]


class Term(BaseModel):
    """One term of a vocabulary."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=SLUG_PATTERN, min_length=2, max_length=80)
    label: str = Field(min_length=1, max_length=80)
    plural: str | None = Field(default=None, alias="meervoud", max_length=80)
    description: str | None = Field(default=None, alias="beschrijving", max_length=300)
    synonyms: tuple[str, ...] = Field(default=(), alias="synoniemen")


class Centroid(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


def wijk_code_of(cbs_buurtcode: str) -> str | None:
    """``BU0363AC02`` → ``WK0363AC``: the CBS code of the wijk a CBS buurt code lies in (the
    ``code`` of a wijk in the area taxonomy); None when the text is not a CBS buurt code."""
    code = cbs_buurtcode.strip().upper()
    if len(code) != 10 or not code.startswith("BU") or not code[2:6].isdigit():
        return None
    return "WK" + code[2:8]


class Area(Term):
    """A term of the area tree: the city, a stadsdeel, a gebied or a wijk."""

    level: AreaLevel = Field(alias="niveau")
    code: str | None = None
    parent: str | None = Field(default=None, alias="ouder")
    centroid: Centroid | None = Field(default=None, alias="centrum")
    moderators: tuple[str, ...] = Field(default=(), alias="moderatoren")


@dataclass(frozen=True)
class TaxonomyProblem:
    file: str
    line: int
    key: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class TaxonomyError(Exception):
    """Raised when the taxonomy itself is invalid; carries every problem."""

    def __init__(self, problems: list[TaxonomyProblem]):
        super().__init__(f"{len(problems)} problem(s) in the taxonomy")
        self.problems = problems


def haversine_km(a: Centroid, b: Centroid) -> float:
    """Great-circle distance in kilometres."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


class Vocabulary:
    """An ordered, id-indexed set of terms."""

    def __init__(self, name: str, terms: list[Term]):
        self.name = name
        self.terms: tuple[Term, ...] = tuple(terms)
        self.by_id: dict[str, Term] = {term.id: term for term in terms}

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.by_id

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, term_id: str) -> Term:
        return self.by_id[term_id]

    def ids(self) -> list[str]:
        return [term.id for term in self.terms]

    def label(self, term_id: str) -> str:
        term = self.by_id.get(term_id)
        return term.label if term else term_id

    def suggest(self, value: str, limit: int = 3) -> list[str]:
        """Nearest valid ids for a wrong one, also via labels and synonyms."""
        needle = str(value).strip().lower()
        candidates: dict[str, str] = {}
        for term in self.terms:
            candidates.setdefault(term.id, term.id)
            candidates.setdefault(term.label.lower(), term.id)
            for synonym in term.synonyms:
                candidates.setdefault(synonym.lower(), term.id)
        found: list[str] = []
        exact = candidates.get(needle)
        if exact:
            found.append(exact)
        for key in difflib.get_close_matches(needle, list(candidates), n=limit * 3, cutoff=0.6):
            if candidates[key] not in found:
                found.append(candidates[key])
        for term in self.terms:  # "eenzaam" → "eenzaamheid": a prefix is a strong hint
            if len(needle) >= 4 and term.id.startswith(needle) and term.id not in found:
                found.insert(0, term.id)
        return found[:limit]


class AreaTree(Vocabulary):
    """The areas with their parent links and derived roll-ups."""

    terms: tuple[Area, ...]
    by_id: dict[str, Area]

    def __init__(self, areas: list[Area]):
        super().__init__("areas", list(areas))
        children: dict[str, list[str]] = {}
        for area in areas:
            if area.parent:
                children.setdefault(area.parent, []).append(area.id)
        self.children = {key: tuple(value) for key, value in children.items()}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        for area in areas:
            chain: list[str] = []
            seen = {area.id}
            parent = area.parent
            while parent and parent in self.by_id and parent not in seen:
                chain.append(parent)
                seen.add(parent)
                parent = self.by_id[parent].parent
            self._ancestors[area.id] = tuple(chain)

    @property
    def city(self) -> Area:
        return next(area for area in self.terms if area.level == "stad")

    def ancestors(self, area_id: str) -> tuple[str, ...]:
        """Parent, grandparent, ... up to the city."""
        return self._ancestors.get(area_id, ())

    def with_ancestors(self, area_id: str) -> tuple[str, ...]:
        return (area_id, *self.ancestors(area_id))

    def level_of(self, area_id: str) -> str:
        return self.by_id[area_id].level

    def of_level(self, level: str) -> list[Area]:
        return [area for area in self.terms if area.level == level]

    def stadsdeel_of(self, area_id: str) -> str | None:
        for candidate in self.with_ancestors(area_id):
            if self.by_id[candidate].level == "stadsdeel":
                return candidate
        return None

    def descendants(self, area_id: str) -> list[str]:
        result: list[str] = []
        stack = list(self.children.get(area_id, ()))
        while stack:
            current = stack.pop(0)
            result.append(current)
            stack.extend(self.children.get(current, ()))
        return result


@dataclass(frozen=True)
class Taxonomy:
    """The four vocabularies of one city."""

    kinds: Vocabulary
    themes: Vocabulary
    audiences: Vocabulary
    areas: AreaTree
    path: Path | None = None

    def vocabulary(self, name: str) -> Vocabulary:
        return getattr(self, name)


def _load_terms(path: Path, model: type[Term], problems: list[TaxonomyProblem]) -> list[Any]:
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(TaxonomyProblem(name, 1, "", "unreadable", {"detail": error.strerror or str(error)}))
        return []
    data, lines, problem = load_yaml_document(raw)
    if problem is not None:
        problems.append(TaxonomyProblem(name, problem.line, problem.key, problem.code, problem.params))
        return []
    if not isinstance(data, list):
        problems.append(TaxonomyProblem(name, 1, "", "taxonomy_not_a_list"))
        return []
    terms: list[Any] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        line = lines.get((index,), 1)
        try:
            term = model.model_validate(item)
        except ValidationError as error:
            for detail in error.errors():
                loc = (index, *detail["loc"])
                key = ".".join(str(part) for part in detail["loc"])
                problems.append(
                    TaxonomyProblem(name, lines.get(loc, line), key, "taxonomy_invalid", {"detail": detail["msg"]})
                )
            continue
        if term.id in seen:
            problems.append(TaxonomyProblem(name, line, "id", "taxonomy_duplicate_id", {"value": term.id}))
            continue
        seen.add(term.id)
        terms.append(term)
    return terms


def load_taxonomy(directory: Path) -> Taxonomy:
    """Load and check ``directory``; raises :class:`TaxonomyError` with every problem."""
    problems: list[TaxonomyProblem] = []
    loaded: dict[str, list[Any]] = {}
    for attribute, filename in VOCABULARY_FILES.items():
        model = Area if attribute == "areas" else Term
        loaded[attribute] = _load_terms(directory / filename, model, problems)
    areas: list[Area] = loaded["areas"]
    ids = {area.id for area in areas}
    cities = [area for area in areas if area.level == "stad"]
    if areas and len(cities) != 1:
        problems.append(TaxonomyProblem("gebieden.yaml", 1, "niveau", "taxonomy_one_city", {"count": len(cities)}))
    for area in areas:
        if area.level == "stad":
            continue
        if not area.parent or area.parent not in ids:
            problems.append(
                TaxonomyProblem("gebieden.yaml", 1, "ouder", "taxonomy_bad_parent", {"value": area.id, "parent": area.parent})
            )
    if not loaded["kinds"] or not loaded["themes"] or not areas:
        if not problems:
            problems.append(TaxonomyProblem(str(directory), 1, "", "taxonomy_empty"))
    if problems:
        raise TaxonomyError(problems)
    tree = AreaTree(areas)
    for area in areas:  # parent cycles
        if area.level != "stad" and tree.city.id not in tree.ancestors(area.id):
            problems.append(
                TaxonomyProblem("gebieden.yaml", 1, "ouder", "taxonomy_bad_parent", {"value": area.id, "parent": area.parent})
            )
    if problems:
        raise TaxonomyError(problems)
    return Taxonomy(
        kinds=Vocabulary("kinds", loaded["kinds"]),
        themes=Vocabulary("themes", loaded["themes"]),
        audiences=Vocabulary("audiences", loaded["audiences"]),
        areas=tree,
        path=directory,
    )
