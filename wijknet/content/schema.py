"""The JSON Schema of an entry's front matter, generated from the pydantic models.

The models and the rule table (:mod:`wijknet.content.rules`) stay the single source of
truth: this module only adds what JSON Schema can say but pydantic does not know (the city's
taxonomy ids as enums, the per-kind rules and the patterns of the rule table) and gives every
part a Dutch description, so an editor can offer completion and hover help. The output is deterministic: same models and
taxonomy, same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from wijknet.content.models import EntryFields
from wijknet.content.rules import FIELD_PATTERNS, KIND_RULES, LANGUAGE_CODES, ONE_OF_REQUIRED, PATTERNS, RULE_KEYS, TOGETHER
from wijknet.settings import SiteSettings
from wijknet.taxonomy import Taxonomy, Vocabulary

SCHEMA_PATH = "schema/entry.schema.json"
SCHEMA_ID = "https://wijknet.example/schema/entry.schema.json"

# Patterns the schema carries: the ones the models check (the others are the form's quick checks).
_SCHEMA_PATTERNS = ("date", "moment", "postcode", "website")

# Dutch descriptions for the nested parts; the models' docstrings are for developers.
_PART_TITLES = {"Contact": "Contact", "Location": "Locatie", "When": "Wanneer", "Featured": "Uitgelicht"}
_PART_DESCRIPTIONS = {
    "Contact": "Hoe mensen contact opnemen: minstens een e-mailadres, telefoonnummer of website.",
    "Location": "Waar het is. Geef lat en lon samen, of geen van beide.",
    "When": "Wanneer de activiteit is: 'start' en eventueel 'einde' (niet voor de start).",
    "Featured": "Op het prikbord tot en met de datum 'tot'.",
}


def _term_enum(vocabulary: Vocabulary, with_level: bool = False) -> dict[str, Any]:
    """An enum of ids with the labels as descriptions (shown by editors while typing)."""
    ids = [term.id for term in vocabulary]
    descriptions = []
    for term in vocabulary:
        text = term.label
        if with_level:
            text += f" ({getattr(term, 'level', '')})"
        if term.description:
            text += f": {term.description}"
        descriptions.append(text)
    return {"type": "string", "enum": ids, "enumDescriptions": descriptions}


def _strip_null(prop: dict[str, Any]) -> dict[str, Any]:
    """``X | None`` → the X branch; an empty value is still allowed by the loader (``null``)."""
    branches = prop.get("anyOf")
    if not branches:
        return prop
    kept = [branch for branch in branches if branch != {"type": "null"}]
    if len(kept) != 1:
        return prop
    result = {key: value for key, value in prop.items() if key not in ("anyOf", "default")}
    result.update(kept[0])
    return result


def _pattern(key: str) -> str:
    name = FIELD_PATTERNS[key]
    assert name in _SCHEMA_PATTERNS, key
    return PATTERNS[name].portable


def _date(prop: dict[str, Any], key: str) -> dict[str, Any]:
    prop = _strip_null(prop)
    prop.update({"type": "string", "format": "date", "pattern": _pattern(key)})
    return prop


def _moment(prop: dict[str, Any], key: str) -> dict[str, Any]:
    kept = {key: prop[key] for key in ("description", "title") if key in prop}
    return {**kept, "type": "string", "pattern": _pattern(key)}


def _kind_rules(kinds: list[str]) -> list[dict[str, Any]]:
    """The per-kind rules as if/then/else on ``soort``; kinds outside the table forbid what any kind forbids."""
    rules: list[dict[str, Any]] = []
    for rule_key in RULE_KEYS:
        key = rule_key.key
        requiring = [kind for kind in kinds if key in KIND_RULES[kind].required]
        allowing = [kind for kind in kinds if key not in KIND_RULES[kind].forbidden]
        forbidding = len(allowing) < len(kinds)
        if requiring and forbidding and requiring == allowing:
            rules.append(_if_kind(requiring, {"required": [key]}, {"not": {"required": [key]}}))
            continue
        if requiring:
            rules.append(_if_kind(requiring, {"required": [key]}, None))
        if forbidding:
            rules.append(_if_kind(allowing, None, {"not": {"required": [key]}}) if allowing else {"not": {"required": [key]}})
    return rules


def _if_kind(kinds: list[str], then: dict[str, Any] | None, otherwise: dict[str, Any] | None) -> dict[str, Any]:
    kind = {"const": kinds[0]} if len(kinds) == 1 else {"enum": kinds}
    rule: dict[str, Any] = {"if": {"properties": {"soort": kind}, "required": ["soort"]}}
    if then:
        rule["then"] = then
    if otherwise:
        rule["else"] = otherwise
    return rule


def entry_schema(taxonomy: Taxonomy, settings: SiteSettings | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 7) of one entry's front matter for this city.

    With ``settings``, lat and lon are limited to the city's bounding box.
    """
    schema = EntryFields.model_json_schema(by_alias=True)
    defs = schema["$defs"]
    for name, description in _PART_DESCRIPTIONS.items():
        defs[name]["description"] = description
        defs[name]["title"] = _PART_TITLES[name]
    props = schema["properties"]

    for key in list(props):
        props[key] = _strip_null(props[key])

    props["soort"].update(_term_enum(taxonomy.kinds))
    props["themas"]["items"] = _term_enum(taxonomy.themes)
    props["doelgroepen"]["items"] = _term_enum(taxonomy.audiences)
    props["werkgebied"]["items"] = _term_enum(taxonomy.areas, with_level=True)
    props["talen"]["items"] = {"type": "string", "enum": sorted(LANGUAGE_CODES)}
    for key in ("themas", "doelgroepen", "werkgebied", "talen"):
        props[key]["uniqueItems"] = True
    for key in ("gecontroleerd", "verloopt"):
        props[key] = _date(props[key], key)

    contact = defs["Contact"]["properties"]
    for key in contact:
        contact[key] = _strip_null(contact[key])
    contact["email"]["format"] = "email"
    contact["website"]["pattern"] = _pattern("contact.website")
    defs["Contact"]["anyOf"] = [{"required": [key]} for key in ONE_OF_REQUIRED["contact"].keys]

    location = defs["Location"]["properties"]
    for key in location:
        location[key] = _strip_null(location[key])
    location["postcode"]["pattern"] = _pattern("locatie.postcode")
    together = TOGETHER["locatie"].keys
    defs["Location"]["dependentRequired"] = {key: [other for other in together if other != key] for key in together}
    if settings is not None:
        box = settings.bbox
        location["lat"].update({"minimum": box.min_lat, "maximum": box.max_lat})
        location["lon"].update({"minimum": box.min_lon, "maximum": box.max_lon})

    when = defs["When"]["properties"]
    when["start"] = _moment(when["start"], "wanneer.start")
    when["einde"] = _moment(_strip_null(when["einde"]), "wanneer.einde")

    featured = defs["Featured"]["properties"]
    featured["tot"] = _date(featured["tot"], "uitgelicht.tot")
    featured["reden"] = _strip_null(featured["reden"])

    schema["allOf"] = _kind_rules([kind for kind in KIND_RULES if kind in taxonomy.kinds])
    # Draft 7: what the YAML language server behind VS Code's YAML extension supports.
    text = json.dumps(schema).replace('"#/$defs/', '"#/definitions/')
    schema = json.loads(text)
    schema["definitions"] = schema.pop("$defs")
    schema["definitions"]["Location"]["dependencies"] = schema["definitions"]["Location"].pop("dependentRequired")
    for key, prop in schema["properties"].items():
        if "$ref" in prop:  # a $ref's siblings are ignored in draft 7: keep the description beside it
            schema["properties"][key] = {"allOf": [{"$ref": prop.pop("$ref")}], **prop}
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Wijknet: de velden van een bericht"
    schema["description"] = (
        "De velden tussen de twee '---'-regels van een bestand in content/initiatieven/. "
        "Gemaakt met 'wijknet schema' uit de modellen en de taxonomie: niet met de hand aanpassen."
    )
    return schema


def render_schema(taxonomy: Taxonomy, settings: SiteSettings | None = None) -> str:
    """The schema file's exact text."""
    return json.dumps(entry_schema(taxonomy, settings), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
