"""The mapping table of the HSDS importer (``taxonomy/hsds.yaml``): how another directory's
taxonomy terms, service areas and words become our kinds, themes, target groups and areas.

Attributes that a wijknet site wrote itself (``link_type`` ``soort``, ``themas``,
``doelgroepen`` or ``werkgebied`` with one of our ids as the term's ``code``) need no rule:
they map to the same id. Everything else goes through this table. Like the facility
importer's table, it is data, not code: another city or another source gets another file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wijknet.taxonomy import VOCABULARY_FILES, Taxonomy

MAPPING_FILE = "hsds.yaml"


class MappingError(Exception):
    """The mapping table cannot be used; ``problems`` lists every reason (in Dutch)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Defaults(_Strict):
    kind: str = Field(default="voorziening", alias="soort")
    areas: tuple[str, ...] = Field(default=(), alias="werkgebied", max_length=10)
    themes: tuple[str, ...] = Field(default=(), alias="themas", max_length=5)


class Rule(_Strict):
    """Words that, as a term's name or code or in the service's name, give these ids."""

    words: tuple[str, ...] = Field(alias="herken", min_length=1)
    kind: str | None = Field(default=None, alias="soort")
    themes: tuple[str, ...] = Field(default=(), alias="themas")
    audiences: tuple[str, ...] = Field(default=(), alias="doelgroepen")


class BuurtFields(_Strict):
    file: str = Field(alias="bestand")
    cbs_buurtcode: str


class MappingFile(_Strict):
    defaults: Defaults = Field(default_factory=Defaults, alias="standaard")
    use_taxonomy_words: bool = Field(default=True, alias="taxonomie_woorden")
    rules: tuple[Rule, ...] = Field(default=(), alias="regels")
    areas: dict[str, str] = Field(default_factory=dict, alias="gebieden")
    buurten: BuurtFields | None = None


@dataclass(frozen=True)
class Found:
    """What the words of one service give."""

    kinds: tuple[str, ...]
    themes: tuple[str, ...]
    audiences: tuple[str, ...]


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class HsdsMapping:
    """The checked table, with the taxonomy's own words (labels and synonyms of the themes and
    target groups) as rules after the table's when ``taxonomie_woorden`` is on."""

    def __init__(self, data: MappingFile, path: Path, taxonomy: Taxonomy):
        self.data, self.path, self.taxonomy = data, path, taxonomy
        rules = list(data.rules)
        if data.use_taxonomy_words:
            rules += [Rule(herken=(term.label, *term.synonyms), themas=(term.id,)) for term in taxonomy.themes]
            rules += [Rule(herken=(term.label, *term.synonyms), doelgroepen=(term.id,)) for term in taxonomy.audiences]
        self.rules = [(rule, _pattern(rule.words)) for rule in rules]

    @property
    def defaults(self) -> Defaults:
        return self.data.defaults

    def find(self, texts: list[str]) -> Found:
        """The kinds, themes and target groups whose words occur in ``texts`` (term names and
        codes, the service's names), in the order of the rules."""
        kinds: list[str] = []
        themes: list[str] = []
        audiences: list[str] = []
        for rule, pattern in self.rules:
            if not any(pattern.search(text) for text in texts):
                continue
            if rule.kind and rule.kind not in kinds:
                kinds.append(rule.kind)
            themes += [theme for theme in rule.themes if theme not in themes]
            audiences += [audience for audience in rule.audiences if audience not in audiences]
        return Found(tuple(kinds), tuple(themes), tuple(audiences))

    def area(self, name_or_code: str) -> str | None:
        """Our area id for a service area's name or code: the table's ``gebieden``, then the
        labels, ids and codes of ``gebieden.yaml`` (any case)."""
        wanted = name_or_code.strip().casefold()
        if not wanted:
            return None
        for key, area_id in self.data.areas.items():
            if key.casefold() == wanted:
                return area_id
        for area in self.taxonomy.areas:
            if wanted in (area.label.casefold(), area.id, (area.code or "").casefold()):
                return area.id
        return None


def _check(data: MappingFile, taxonomy: Taxonomy) -> list[str]:
    problems = []

    def known(where: str, vocabulary: str, ids: Any) -> None:
        terms = taxonomy.vocabulary(vocabulary)
        for term_id in [ids] if isinstance(ids, str) else ids:
            if term_id not in terms:
                problems.append(f'{where}: "{term_id}" staat niet in {VOCABULARY_FILES[vocabulary]}')

    known("standaard.soort", "kinds", data.defaults.kind)
    known("standaard.werkgebied", "areas", data.defaults.areas)
    known("standaard.themas", "themes", data.defaults.themes)
    for number, rule in enumerate(data.rules, start=1):
        if rule.kind:
            known(f"regels[{number}].soort", "kinds", rule.kind)
        known(f"regels[{number}].themas", "themes", rule.themes)
        known(f"regels[{number}].doelgroepen", "audiences", rule.audiences)
        if not (rule.kind or rule.themes or rule.audiences):
            problems.append(f"regels[{number}]: geeft geen soort, thema of doelgroep")
    for key, area_id in data.areas.items():
        known(f"gebieden.{key}", "areas", area_id)
    return problems


def load_hsds_mapping(path: Path, taxonomy: Taxonomy) -> HsdsMapping:
    """Read and check the table; raises :class:`MappingError` listing every problem. Without
    a file: the defaults (kind ``voorziening``, the taxonomy's own words)."""
    if not path.exists():
        return HsdsMapping(MappingFile(), path, taxonomy)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError([f"{path}: kan het bestand niet lezen ({error.strerror or error})"]) from None
    except yaml.YAMLError as error:
        raise MappingError([f"{path}: geen geldige YAML ({error})"]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise MappingError([f"{path}: verwacht een mapping met sleutels als 'standaard' en 'regels'"])
    try:
        data = MappingFile.model_validate(raw)
    except ValidationError as error:
        raise MappingError(
            [f"{path}: {'.'.join(str(p) for p in detail['loc'])}: {detail['msg']}" for detail in error.errors()]
        ) from None
    problems = _check(data, taxonomy)
    if problems:
        raise MappingError([f"{path}: {problem}" for problem in problems])
    return HsdsMapping(data, path, taxonomy)
