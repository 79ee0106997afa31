"""The submission form, described from the content models and the taxonomy.

Which fields there are, their help texts, limits and required marks come from
``Entry.model_json_schema()``; patterns and per-kind rules from the rule table
(:mod:`wijknet.content.rules`); the choices come from ``taxonomy/``. Only labels and the
grouping into fieldsets are presentation, kept here. The same description drives the
HTML form (templates), the client-side checks (``form.js``) and the server's parsing of a
posted form, so the three cannot drift apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from wijknet import characters
from wijknet.content import messages
from wijknet.content.models import FRONT_MATTER_KEYS, Entry
from wijknet.content.rules import (
    FIELD_LABELS,
    FIELD_PATTERNS,
    KIND_RULES,
    LIMITS,
    ONE_OF_REQUIRED,
    OTHER_KIND,
    PATTERNS,
    RULE_KEYS,
    TOGETHER,
    KindRule,
    kinds_requiring,
)
from wijknet.taxonomy import VOCABULARY_OF_KEY, Taxonomy

MODERATOR_KEYS = ("gecontroleerd", "uitgelicht", "status")
"""Set by the service or a moderator, never accepted from the public."""

HONEYPOT = "homepage"
TOKEN = "token"  # the service's form token (wijknet.submissions.tokens)
CLIENT_KEY = "sleutel"
CORRECTS = "wijzig"
SUBMITTER = "inzender"
DESCRIPTION = "beschrijving"

META_KEYS = (HONEYPOT, TOKEN, CLIENT_KEY, CORRECTS)

PUBLIC_KEYS: tuple[str, ...] = tuple(key for key in FRONT_MATTER_KEYS if key not in MODERATOR_KEYS)
"""Content keys the public may send, in the content format's order."""

VOCABULARY_OF = VOCABULARY_OF_KEY
MULTI_VALUED = ("themas", "doelgroepen", "werkgebied")
LIST_AS_TEXT = ("talen",)  # a list the form takes as comma-separated text

# Labels are presentation: the models carry the help texts.
LABELS = {
    **FIELD_LABELS,
    "soort": "Wat voor bericht is het?",
    "samenvatting": "Korte samenvatting",
    "inzender": "Jouw gegevens",
    "inzender.naam": "Jouw naam",
    "inzender.email": "Jouw e-mailadres",
    "inzender.telefoon": "Jouw telefoonnummer",
}

SUBMITTER_HELP = {
    "inzender.naam": "Alleen de redactie ziet dit.",
    "inzender.email": "Alleen de redactie ziet dit. Zo kunnen we je iets vragen over je inzending.",
    "inzender.telefoon": "Alleen de redactie ziet dit.",
}

# Fieldsets: a heading and the keys (top-level or nested parts) shown under it.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("wat", "Wat wil je plaatsen?", ("soort", "titel", "samenvatting", "beschrijving", "organisatie")),
    ("voor-wie", "Thema's, doelgroepen en buurt", ("themas", "doelgroepen", "werkgebied")),
    ("contact", "Contact (komt op de site)", ("contact",)),
    ("waar-wanneer", "Waar en wanneer", ("locatie", "wanneer", "tijden", "kosten", "talen", "verloopt")),
    ("inzender", "Jouw gegevens (alleen voor de redactie)", (SUBMITTER,)),
)

# Client-side checks use these server message codes, so both say the same thing.
JS_MESSAGE_CODES = (
    "missing",
    "string_too_short",
    "string_too_long",
    "too_short",
    "too_long",
    "email",
    "phone",
    "url",
    "postcode",
    "contact_empty",
    "contact_required",
    "when_required",
    "when_not_allowed",
    "expires_not_allowed",
    "date_format",
    "moment_format",
    "float_parsing",
    "language",
    "lat_lon_pair",
    "description_too_long",
    "end_before_start",
    "one_line",
    "bad_character",
)


@dataclass(frozen=True)
class Choice:
    """One option of a choice field."""

    value: str
    label: str
    description: str = ""
    level: str = ""


@dataclass(frozen=True)
class ChoiceGroup:
    """Options shown together (the areas of one stadsdeel)."""

    id: str
    label: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class FormField:
    """One input of the form. ``name`` is the posted name: ``titel``, ``contact.email``."""

    name: str
    label: str
    help: str
    widget: str  # text, textarea, email, tel, url, date, number, radio, checkboxes, areas
    required: bool = False
    required_note: str = ""  # for conditional requirements ("verplicht voor een activiteit")
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    choices: tuple[Choice, ...] = ()
    groups: tuple[ChoiceGroup, ...] = ()
    placeholder: str = ""
    pattern: str = ""  # a name in the rule table's PATTERNS

    @property
    def id(self) -> str:
        return "veld-" + self.name.replace(".", "-")

    @property
    def multiple(self) -> bool:
        return self.widget in ("checkboxes", "areas")

    def constraints(self) -> dict[str, Any]:
        """What form.js checks, as plain data."""
        data: dict[str, Any] = {"name": self.name, "label": self.label, "widget": self.widget, "required": self.required}
        for key in ("min_length", "max_length", "min_items", "max_items"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.pattern:
            data["pattern"] = self.pattern
        return data


@dataclass(frozen=True)
class Part:
    """A nested part (contact, locatie, wanneer, inzender): a fieldset of its own."""

    name: str
    label: str
    help: str
    fields: tuple[FormField, ...]
    required_note: str = ""

    @property
    def id(self) -> str:
        return "veld-" + self.name


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    items: tuple[FormField | Part, ...]


@dataclass(frozen=True)
class FormSpec:
    """The whole form: sections of fields and parts."""

    sections: tuple[Section, ...]

    def fields(self) -> list[FormField]:
        found: list[FormField] = []
        for section in self.sections:
            for item in section.items:
                found.extend(item.fields if isinstance(item, Part) else (item,))
        return found

    def field_names(self) -> set[str]:
        return {f.name for f in self.fields()}

    def item_ids(self) -> dict[str, str]:
        """Error keys -> the id of the element an error summary should link to."""
        ids: dict[str, str] = {}
        for section in self.sections:
            for item in section.items:
                if isinstance(item, Part):
                    ids[item.name] = item.fields[0].id
                    for inner in item.fields:
                        ids[inner.name] = inner.id
                else:
                    ids[item.name] = item.id if not item.multiple else f"{item.id}-0"
        return ids


# --- building the spec -----------------------------------------------------------------


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return Entry.model_json_schema(by_alias=True, mode="validation")


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    for option in node.get("anyOf", ()):
        if "$ref" in option:
            return schema["$defs"][option["$ref"].rsplit("/", 1)[-1]]
    return node


def _non_null(node: dict[str, Any]) -> list[dict[str, Any]]:
    options = node.get("anyOf")
    if options is None:
        return [node]
    return [option for option in options if option.get("type") != "null"]


def _widget(name: str, node: dict[str, Any]) -> str:
    leaf = name.rsplit(".", 1)[-1]
    options = _non_null(node)
    formats = {option.get("format") for option in options}
    if leaf in VOCABULARY_OF:
        return {"soort": "radio", "werkgebied": "areas"}.get(leaf, "checkboxes")
    if leaf == DESCRIPTION:
        return "textarea"
    if leaf == "email":
        return "email"
    if leaf == "telefoon":
        return "tel"
    if leaf == "website":
        return "url"
    if formats == {"date"}:
        return "date"
    if any(option.get("type") == "number" for option in options):
        return "number"
    return "text"


def _limit(node: dict[str, Any], key: str) -> int | None:
    for option in _non_null(node):
        if key in option:
            return int(option[key])
    return None


def _vocabulary_choices(taxonomy: Taxonomy, vocabulary: str) -> tuple[Choice, ...]:
    return tuple(Choice(term.id, term.label, term.description or "") for term in taxonomy.vocabulary(vocabulary))


def area_groups(taxonomy: Taxonomy) -> tuple[ChoiceGroup, ...]:
    """The city on its own, then one group per stadsdeel with its gebieden and wijken in tree order."""
    tree = taxonomy.areas
    city = tree.city
    groups = [ChoiceGroup(city.id, city.label, (Choice(city.id, f"{city.label} (de hele stad)", level="stad"),))]
    for stadsdeel in tree.of_level("stadsdeel"):
        members = [Choice(stadsdeel.id, f"Heel stadsdeel {stadsdeel.label}", level="stadsdeel")]

        def walk(parent: str) -> None:
            for child in tree.children.get(parent, ()):
                area = tree.by_id[child]
                members.append(Choice(area.id, area.label, level=area.level))
                walk(child)

        walk(stadsdeel.id)
        groups.append(ChoiceGroup(stadsdeel.id, stadsdeel.label, tuple(members)))
    return tuple(groups)


def _field(name: str, node: dict[str, Any], required: bool, taxonomy: Taxonomy) -> FormField:
    widget = _widget(name, node)
    leaf = name.rsplit(".", 1)[-1]
    choices: tuple[Choice, ...] = ()
    groups: tuple[ChoiceGroup, ...] = ()
    if leaf in VOCABULARY_OF and leaf != "werkgebied":
        choices = _vocabulary_choices(taxonomy, VOCABULARY_OF[leaf])
    placeholder = ""
    if widget == "areas":
        groups = area_groups(taxonomy)
        example = next(iter(taxonomy.areas.of_level("wijk")), None) or taxonomy.areas.city
        placeholder = f"Bijvoorbeeld: {example.label}"
    if leaf in ("start", "einde"):
        placeholder = "2027-01-15 19:30"
    elif leaf == "talen":
        placeholder = "nl, en"
    max_length = _limit(node, "maxLength")
    if leaf == DESCRIPTION:  # checked by the model's own validator, so not in its JSON Schema
        max_length = LIMITS[DESCRIPTION].max_length
    return FormField(
        name=name,
        label=LABELS.get(name, node.get("title", leaf)),
        help=node.get("description", ""),
        widget=widget,
        required=required,
        min_length=_limit(node, "minLength"),
        max_length=max_length,
        min_items=node.get("minItems") if leaf not in LIST_AS_TEXT else None,
        max_items=node.get("maxItems") if leaf not in LIST_AS_TEXT else None,
        choices=choices,
        groups=groups,
        placeholder=placeholder,
        pattern=FIELD_PATTERNS.get(name, ""),
    )


def _kind_note(kinds: Iterable[str], taxonomy: Taxonomy) -> str:
    labels = [taxonomy.kinds.label(kind).lower() for kind in kinds if kind in taxonomy.kinds]
    if not labels:
        return ""
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]
    return f"Verplicht voor: {joined}."


def submitter_fields() -> tuple[FormField, ...]:
    """The moderator-only contact of the person who submits (never written to the repo)."""
    return tuple(
        FormField(
            name,
            LABELS[name],
            SUBMITTER_HELP[name],
            widget,
            max_length=LIMITS[name].max_length,
            pattern=FIELD_PATTERNS.get(name, ""),
        )
        for name, widget in ((f"{SUBMITTER}.naam", "text"), (f"{SUBMITTER}.email", "email"), (f"{SUBMITTER}.telefoon", "tel"))
    )


def build_form(taxonomy: Taxonomy) -> FormSpec:
    """The form for one city, generated from the models and its taxonomy."""
    schema = _schema()
    properties = schema["properties"]
    required = set(schema.get("required", ()))
    sections = []
    for section_id, heading, keys in SECTIONS:
        items: list[FormField | Part] = []
        for key in keys:
            if key == SUBMITTER:
                items.append(Part(SUBMITTER, LABELS[SUBMITTER], "Zo kan de redactie je bereiken. Dit komt niet op de site.", submitter_fields()))
                continue
            node = properties[key]
            target = _resolve(schema, node)
            if target.get("type") == "object" and "properties" in target:
                inner_required = set(target.get("required", ()))
                fields = tuple(
                    _field(f"{key}.{inner}", inner_node, False, taxonomy) for inner, inner_node in target["properties"].items()
                )
                note = ""
                if key == "contact":
                    note = _kind_note(kinds_requiring("contact"), taxonomy) + " Vul minstens een e-mailadres, telefoonnummer of website in."
                elif key == "wanneer":
                    note = _kind_note(kinds_requiring("wanneer"), taxonomy)
                    fields = tuple(
                        FormField(**{**f.__dict__, "required_note": note}) if f.name.rsplit(".", 1)[-1] in inner_required else f
                        for f in fields
                    )
                items.append(Part(key, LABELS.get(key, key), node.get("description", ""), fields, note))
                continue
            items.append(_field(key, node, key in required and key not in MODERATOR_KEYS, taxonomy))
        sections.append(Section(section_id, heading, tuple(items)))
    return FormSpec(tuple(sections))


# --- values in and out -----------------------------------------------------------------


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def nested_from_flat(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, Any], list[str]]:
    """Posted form pairs -> the content format's nested mapping; also the unknown names.

    Empty values are left out, so an empty optional part disappears entirely.
    """
    data: dict[str, Any] = {}
    unknown: list[str] = []
    for name, raw in pairs:
        value = _clean(raw)
        top, _, inner = name.partition(".")
        if not _known(top, inner):
            if name not in unknown:
                unknown.append(name)
            continue
        if value in ("", None):
            continue
        if top in MULTI_VALUED:
            data.setdefault(top, []).append(value)
        elif top in LIST_AS_TEXT:
            data[top] = [item for item in re.split(r"[\s,;]+", value) if item]
        elif inner:
            data.setdefault(top, {})[inner] = value
        else:
            data[top] = value
    return data, unknown


def _known(top: str, inner: str) -> bool:
    if top in META_KEYS or top == DESCRIPTION:
        return not inner
    if top == SUBMITTER:
        return inner in ("naam", "email", "telefoon")
    if top not in PUBLIC_KEYS:
        return False
    schema = _schema()
    target = _resolve(schema, schema["properties"][top])
    if target.get("type") == "object" and "properties" in target:
        return inner in target["properties"]
    return not inner


def unknown_json_keys(data: Mapping[str, Any]) -> list[str]:
    """Names in a JSON submission that are not on the allowlist (dotted for nested ones)."""
    unknown: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict) and (key in PUBLIC_KEYS or key == SUBMITTER):
            unknown.extend(f"{key}.{inner}" for inner in value if not _known(key, str(inner)))
        elif not _known(str(key), ""):
            unknown.append(str(key))
    return unknown


def form_values(entry: Entry) -> dict[str, Any]:
    """An entry as form values (for the correction form): ``name -> str | list[str]``."""
    values: dict[str, Any] = {}
    for key, value in entry.front_matter().items():
        if key in MODERATOR_KEYS:
            continue
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                text = str(inner_value)
                if key == "wanneer" and "T" in text:
                    text = text.replace("T", " ")[:16] if text.endswith(":00") else text.replace("T", " ")
                values[f"{key}.{inner}"] = text
        elif key in MULTI_VALUED:
            values[key] = list(value)
        elif key in LIST_AS_TEXT:
            values[key] = ", ".join(value)
        else:
            values[key] = str(value)
    if entry.description:
        values[DESCRIPTION] = entry.description
    return values


def values_from_nested(data: Mapping[str, Any]) -> dict[str, Any]:
    """A (possibly invalid) nested submission back to form values, to show it again."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                values[f"{key}.{inner}"] = "" if inner_value is None else str(inner_value)
        elif key in MULTI_VALUED:
            values[key] = [str(v) for v in (value if isinstance(value, list) else [value])]
        elif key in LIST_AS_TEXT:
            values[key] = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        else:
            values[key] = "" if value is None else str(value)
    return values


def _kind_rule_config(rule: KindRule) -> dict[str, list[str]]:
    return {"required": sorted(rule.required), "forbidden": sorted(rule.forbidden)}


def rules_config(spec: FormSpec) -> dict[str, Any]:
    """The rule table as form.js reads it: per-kind rules, rules inside parts, the fields' patterns."""
    used = sorted({f.pattern for f in spec.fields() if f.pattern})
    return {
        "kindRules": {kind: _kind_rule_config(rule) for kind, rule in KIND_RULES.items()},
        "otherKindRule": _kind_rule_config(OTHER_KIND),
        "ruleKeys": [
            {"key": r.key, "required": r.required_code, "forbidden": r.forbidden_code, "needs": list(r.needs)}
            for r in RULE_KEYS
        ],
        "oneOfRequired": {part: {"keys": list(rule.keys), "code": rule.code} for part, rule in ONE_OF_REQUIRED.items()},
        "together": {part: {"keys": list(rule.keys), "code": rule.code} for part, rule in TOGETHER.items()},
        "patterns": {name: {"regex": PATTERNS[name].portable, "code": PATTERNS[name].code} for name in used},
        "characters": characters_config(),
    }


def characters_config() -> dict[str, Any]:
    """The character rule as form.js reads it: a class for ``RegExp(pattern, "u")`` and the
    name of each range of refused code points, as the server's messages name them."""
    return {
        "pattern": characters.javascript_pattern(),
        "names": [[entry.first, entry.last, messages.render(f"character_{entry.name}", "nl")] for entry in characters.REFUSED],
    }


def js_config(spec: FormSpec, *, endpoint: str, repository: str, branch: str, content_dir: str) -> dict[str, Any]:
    """The data form.js needs: constraints, rules and patterns, message templates, key order, endpoints."""
    return {
        "endpoint": endpoint,
        "repository": repository,
        "branch": branch,
        "contentDir": content_dir.strip("/"),
        "keyOrder": list(FRONT_MATTER_KEYS),
        **rules_config(spec),
        "fields": [f.constraints() for f in spec.fields()],
        "messages": {
            code: messages.template_for(code, "nl", audience="form")
            for code in JS_MESSAGE_CODES
            if code in messages.MESSAGES
        },
    }


def json_for_html(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: <, > and & are escaped."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
