"""The JSON Schema of an entry's front matter, generated from the pydantic models.

The models stay the single source of truth: this module only adds what JSON Schema can say
but pydantic does not know (the city's taxonomy ids as enums, the per-kind rules, the date
and postcode shapes the loader accepts) and gives every part a Dutch description, so an
editor can offer completion and hover help. The output is deterministic: same models and
taxonomy, same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from wijknet.content.models import ISO_639_1, KINDS_NEEDING_CONTACT, EntryFields
from wijknet.settings import SiteSettings
from wijknet.taxonomy import Taxonomy, Vocabulary

SCHEMA_PATH = "schema/entry.schema.json"
SCHEMA_ID = "https://wijknet.example/schema/entry.schema.json"

_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
# a date, or a date with a time: what the model's moment parser accepts
_MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}[:.]\d{2}(:\d{2})?)?$"
_POSTCODE_PATTERN = r"^\s*[1-9][0-9]{3}\s?[A-Za-z]{2}\s*$"
_WEBSITE_PATTERN = r"^https?://"

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


def _date(prop: dict[str, Any]) -> dict[str, Any]:
    prop = _strip_null(prop)
    prop.update({"type": "string", "format": "date", "pattern": _DATE_PATTERN})
    return prop


def _moment(prop: dict[str, Any]) -> dict[str, Any]:
    kept = {key: prop[key] for key in ("description", "title") if key in prop}
    return {**kept, "type": "string", "pattern": _MOMENT_PATTERN}


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
    props["talen"]["items"] = {"type": "string", "enum": sorted(ISO_639_1)}
    for key in ("themas", "doelgroepen", "werkgebied", "talen"):
        props[key]["uniqueItems"] = True
    for key in ("gecontroleerd", "verloopt"):
        props[key] = _date(props[key])

    contact = defs["Contact"]["properties"]
    for key in contact:
        contact[key] = _strip_null(contact[key])
    contact["email"]["format"] = "email"
    contact["website"]["pattern"] = _WEBSITE_PATTERN
    defs["Contact"]["anyOf"] = [{"required": [key]} for key in ("email", "telefoon", "website")]

    location = defs["Location"]["properties"]
    for key in location:
        location[key] = _strip_null(location[key])
    location["postcode"]["pattern"] = _POSTCODE_PATTERN
    defs["Location"]["dependentRequired"] = {"lat": ["lon"], "lon": ["lat"]}
    if settings is not None:
        box = settings.bbox
        location["lat"].update({"minimum": box.min_lat, "maximum": box.max_lat})
        location["lon"].update({"minimum": box.min_lon, "maximum": box.max_lon})

    when = defs["When"]["properties"]
    when["start"] = _moment(when["start"])
    when["einde"] = _moment(_strip_null(when["einde"]))

    featured = defs["Featured"]["properties"]
    featured["tot"] = _date(featured["tot"])
    featured["reden"] = _strip_null(featured["reden"])

    kinds = [kind for kind in KINDS_NEEDING_CONTACT if kind in taxonomy.kinds]
    schema["allOf"] = [
        {
            "if": {"properties": {"soort": {"enum": kinds}}, "required": ["soort"]},
            "then": {"required": ["contact"]},
        },
        {
            "if": {"properties": {"soort": {"const": "activiteit"}}, "required": ["soort"]},
            "then": {"required": ["wanneer"]},
            "else": {"not": {"required": ["wanneer"]}},
        },
        {
            "if": {"properties": {"soort": {"const": "vraag"}}, "required": ["soort"]},
            "else": {"not": {"required": ["verloopt"]}},
        },
    ]
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
