"""The mapping table of the facility importer (``taxonomy/voorzieningen.yaml``).

It says which source fields hold what, how a category becomes themes, target groups and a
summary, and which text repairs and organisation names apply. Everything specific to one
city or one source list lives in that file; this module only reads and checks it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wijknet.taxonomy import Taxonomy

MAPPING_FILE = "voorzieningen.yaml"


class MappingError(Exception):
    """The mapping table cannot be used; ``problems`` lists every reason (in Dutch)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class SourceFields(_Strict):
    """Property names in the facility GeoJSON."""

    id: str
    name: str = Field(alias="naam")
    domain: str = Field(alias="domein")
    category: str = Field(alias="categorie")
    subtype: str = Field(alias="soort")
    street: str = Field(alias="straat")
    house_number: str = Field(alias="huisnummer")
    postcode: str = Field(alias="postcode")
    stadsdeel: str = Field(alias="stadsdeel")


class BuurtFields(_Strict):
    """Where the buurt polygons are and which property holds the CBS buurt code."""

    file: str | None = Field(default=None, alias="bestand")
    cbs_buurtcode: str
    name: str | None = Field(default=None, alias="naam")


class PlacePhrases(_Strict):
    wijk: str
    stadsdeel: str


class Organisation(_Strict):
    name: str = Field(alias="naam", min_length=1, max_length=120)
    recognise: tuple[str, ...] = Field(alias="herken", min_length=1)


class Rule(_Strict):
    """Themes, target groups and summary for a category or one of its subtypes."""

    themes: tuple[str, ...] | None = Field(default=None, alias="themas")
    audiences: tuple[str, ...] | None = Field(default=None, alias="doelgroepen")
    summary: str | None = Field(default=None, alias="samenvatting")


class CategoryRule(Rule):
    themes: tuple[str, ...] = Field(alias="themas", min_length=1, max_length=5)
    audiences: tuple[str, ...] = Field(default=(), alias="doelgroepen")
    summary: str = Field(alias="samenvatting")
    subtypes: dict[str, Rule] = Field(default_factory=dict, alias="soorten")


class MappingFile(_Strict):
    source: SourceFields = Field(alias="bron")
    buurten: BuurtFields
    default_domains: tuple[str, ...] = Field(alias="standaard_domeinen")
    place: PlacePhrases = Field(alias="plaats")
    max_house_number: int = Field(default=99999, alias="huisnummer_max", ge=1)
    corrections: dict[str, str] = Field(default_factory=dict, alias="tekstcorrecties")
    organisations: tuple[Organisation, ...] = Field(default=(), alias="organisaties")
    description: str = Field(default="", alias="beschrijving")
    domains: dict[str, dict[str, CategoryRule]] = Field(alias="indeling")


@dataclass(frozen=True)
class Resolved:
    """What one (domain, category, subtype) becomes."""

    themes: tuple[str, ...]
    audiences: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Mapping:
    """The checked mapping table."""

    data: MappingFile
    path: Path

    @property
    def source(self) -> SourceFields:
        return self.data.source

    def resolve(self, domain: str, category: str, subtype: str) -> Resolved | None:
        """The rule for a facility, or None when its category is not in the table."""
        rule = self.data.domains.get(domain, {}).get(category)
        if rule is None:
            return None
        specific = rule.subtypes.get(subtype) if subtype else None
        if specific is None:
            return Resolved(rule.themes, rule.audiences, rule.summary)
        return Resolved(
            specific.themes if specific.themes is not None else rule.themes,
            specific.audiences if specific.audiences is not None else rule.audiences,
            specific.summary if specific.summary is not None else rule.summary,
        )

    def correct(self, text: str) -> str:
        """Put back letters the source lost, per the ``tekstcorrecties`` table."""
        for wrong in sorted(self.data.corrections, key=lambda key: (-len(key), key)):
            if wrong in text:
                text = text.replace(wrong, self.data.corrections[wrong])
        return text

    def organisation_in(self, name: str) -> str | None:
        """The organisation named in ``name`` (whole words, any case), if one is listed."""
        for organisation in self.data.organisations:
            for word in organisation.recognise:
                if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", name, flags=re.IGNORECASE):
                    return organisation.name
        return None

    def place_phrase(self, level: str, label: str) -> str:
        template = self.data.place.wijk if level == "wijk" else self.data.place.stadsdeel
        return template.format(naam=label)

    def summary(self, resolved: Resolved, place: str) -> str:
        return resolved.summary.format(plaats=place)


def _fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _check(data: MappingFile, taxonomy: Taxonomy | None) -> list[str]:
    problems: list[str] = []
    for where, template in (("plaats.wijk", data.place.wijk), ("plaats.stadsdeel", data.place.stadsdeel)):
        try:
            unknown = _fields_of(template) - {"naam"}
        except ValueError as error:
            problems.append(f"{where}: {error}")
            continue
        if unknown:
            problems.append(f"{where}: alleen {{naam}} mag in deze tekst, niet {sorted(unknown)}")
    for domain, categories in sorted(data.domains.items()):
        for category, rule in sorted(categories.items()):
            rules = [(f"indeling.{domain}.{category}", rule)]
            rules += [(f"indeling.{domain}.{category}.soorten.{name}", sub) for name, sub in sorted(rule.subtypes.items())]
            for where, item in rules:
                if item.summary is not None:
                    try:
                        unknown = _fields_of(item.summary) - {"plaats"}
                    except ValueError as error:
                        problems.append(f"{where}.samenvatting: {error}")
                    else:
                        if unknown:
                            problems.append(f"{where}.samenvatting: alleen {{plaats}} mag in deze tekst, niet {sorted(unknown)}")
                if item.themes is not None and not 1 <= len(item.themes) <= 5:
                    problems.append(f"{where}.themas: 1 tot 5 thema's")
                if taxonomy is None:
                    continue
                for theme in item.themes or ():
                    if theme not in taxonomy.themes:
                        problems.append(f'{where}.themas: "{theme}" staat niet in themas.yaml')
                for audience in item.audiences or ():
                    if audience not in taxonomy.audiences:
                        problems.append(f'{where}.doelgroepen: "{audience}" staat niet in doelgroepen.yaml')
    return problems


def load_mapping(path: Path, taxonomy: Taxonomy | None = None) -> Mapping:
    """Read and check the mapping table; raises :class:`MappingError` listing every problem.

    With a taxonomy, every theme and target group id is checked against it too.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError([f"{path}: kan het bestand niet lezen ({error.strerror or error})"]) from None
    except yaml.YAMLError as error:
        raise MappingError([f"{path}: geen geldige YAML ({error})"]) from None
    if not isinstance(raw, dict):
        raise MappingError([f"{path}: verwacht een mapping met sleutels als 'bron' en 'indeling'"])
    try:
        data = MappingFile.model_validate(_stringify_keys(raw))
    except ValidationError as error:
        raise MappingError(
            [f"{path}: {'.'.join(str(p) for p in detail['loc'])}: {detail['msg']}" for detail in error.errors()]
        ) from None
    problems = _check(data, taxonomy)
    if problems:
        raise MappingError([f"{path}: {problem}" for problem in problems])
    return Mapping(data=data, path=path)


def _stringify_keys(value: Any) -> Any:
    """YAML reads keys like ``24uurs opvang`` fine, but a bare number key would be an int."""
    if isinstance(value, dict):
        return {str(key): _stringify_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stringify_keys(item) for item in value]
    return value
