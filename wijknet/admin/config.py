"""Decap CMS's configuration (``admin/config.yml``) and the desk's facts (``admin/desk.json``),
made from the models, the rule table and the taxonomy.

Nothing here is written by hand except presentation: the moderators' labels, a few hints
and the texts of the pattern checks. Which fields there are, in which order, which are
required, their limits, patterns and choices come from :class:`~wijknet.content.models.EntryFields`,
:mod:`wijknet.content.rules` and ``taxonomy/``; a field the models gain without a widget
here stops the build (:class:`DeskConfigError`) instead of going missing from the desk.

The desk's script (``theme/static/js/desk.js`` with ``desk-files.js``) reads and writes
the files itself (Decap's custom formats ``wijknet-bericht`` and ``wijknet-nieuws``):
unchanged lines stay as they are, so editing one field changes one line. It keeps what it
read and a few views for the list (stadsdeel, status, prikbord) under the data key
:data:`HIDDEN`, which is never written to a file.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import PurePosixPath
from typing import Any, Literal, Union, get_args, get_origin

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from wijknet.content import messages
from wijknet.content.models import FRONT_MATTER_KEYS, Entry, EntryFields, Part
from wijknet.content.rules import (
    FIELD_LABELS,
    FIELD_PATTERNS,
    KIND_RULES,
    LANGUAGE_CODES,
    LIMITS,
    ONE_OF_REQUIRED,
    OTHER_KIND,
    PATTERNS,
    RULE_KEYS,
    TOGETHER,
    kinds_allowing,
    kinds_requiring,
)
from wijknet.engine.format import LANGUAGE_NAMES
from wijknet.news import NEWS_FOLDER, NEWS_KEY_ORDER, NEWS_OPTIONAL, NEWS_REQUIRED, NEWS_STATUSES
from wijknet.settings import SiteSettings
from wijknet.slugs import SLUG_MAX_LENGTH, SLUG_MIN_LENGTH, SLUG_PATTERN, SPECIAL_LETTERS
from wijknet.taxonomy import VOCABULARY_OF_KEY, Taxonomy

ENTRY_FORMAT = "wijknet-bericht"
NEWS_FORMAT = "wijknet-nieuws"
ENTRIES = "initiatieven"
NEWS = "nieuws"
HIDDEN = "_wijknet"
"""The data key where the desk's script keeps the file as read and the list's views."""

ENTRY_BODY = "beschrijving"
NEWS_BODY = "tekst"

DATE_FORMAT = "YYYY-MM-DD"
"""A date, in Decap's (dayjs) notation: the rule table's ``date`` pattern."""
MOMENT_FORMAT = "YYYY-MM-DD HH:mm"
"""A date with a time, as the writer writes it (``2027-01-15 19:30``)."""

MEDIA_FOLDER = "content/media"
"""Decap insists on one; entries have no images, so it stays empty."""

LOCALE = "nl"

# Presentation: what moderators read. Every content key needs a label (a new field without
# one is an error, not a field without a name).
LABELS: dict[str, str] = {
    **FIELD_LABELS,
    "soort": "Soort",
    "samenvatting": "Samenvatting",
    "uitgelicht": "Op het prikbord",
    "uitgelicht.tot": "Op het prikbord tot en met",
    "uitgelicht.reden": "Waarom op het prikbord",
    "gecontroleerd": "Gecontroleerd op",
    "status": "Status",
}

NEWS_LABELS: dict[str, str] = {
    "title": "Titel",
    "date": "Datum",
    "modified": "Bijgewerkt op",
    "author": "Auteur",
    "summary": "Samenvatting",
    "status": "Status",
    "slug": "Adres (slug)",
    NEWS_BODY: "Tekst",
}

NEWS_HINTS: dict[str, str] = {
    "date": "De dag waarop het bericht verschijnt.",
    "modified": "Alleen invullen als je het bericht later flink aanpast.",
    "summary": "Eén of twee zinnen; staan op de voorpagina en in de lijst met nieuws.",
    "status": "Leeg of 'published': op de site. 'draft': nog niet op de site.",
    "slug": "Leeg laten: dan is het adres de bestandsnaam.",
    NEWS_BODY: "Markdown: **vet**, *schuin*, een lijst met - aan het begin van de regel.",
}

STATUS_LABELS = {"actief": "Actief", "gepauzeerd": "Gepauzeerd", "gestopt": "Gestopt"}

# What a pattern check says when a value does not fit (Decap: "<label> komt niet overeen
# met het patroon: <text>.").
PATTERN_TEXTS: dict[str, str] = {
    "postcode": "vier cijfers en twee letters, zoals 1094 JN",
    "phone": "een telefoonnummer, zoals 020 123 4567 of +31 6 12345678",
    "email": "een e-mailadres, zoals info@buurthuis.nl",
    "website": "een webadres dat begint met https:// of http://",
}

DESCRIPTION_HINT = "Markdown: **vet**, *schuin*, een lijst met - aan het begin van de regel."


class DeskConfigError(ValueError):
    """The models have a field the desk cannot show: add its widget and label here."""


# --- reading the models -----------------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """The annotation without ``Annotated`` and without ``None`` in a union."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            kept = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(kept) != 1:
                return annotation
            annotation = kept[0]
        else:
            return annotation


def _part_model(annotation: Any) -> type[Part] | None:
    base = _unwrap(annotation)
    return base if isinstance(base, type) and issubclass(base, Part) else None


def _aliases(model: type[Part]) -> list[tuple[str, FieldInfo]]:
    return [(info.alias or name, info) for name, info in model.model_fields.items()]


def _label(key: str, labels: dict[str, str] | None = None) -> str:
    try:
        return (LABELS if labels is None else labels)[key]
    except KeyError:
        raise DeskConfigError(f"the desk has no label for the field {key!r}: add one to FIELD_LABELS in wijknet/content/rules.py (or LABELS in wijknet/admin/config.py)") from None


def _length_pattern(key: str) -> list[str] | None:
    limits = LIMITS.get(key)
    if limits is None or (limits.min_length is None and limits.max_length is None):
        return None
    low, high = limits.min_length or 0, limits.max_length
    text = f"{low} tot {high} tekens" if low > 1 else f"hoogstens {high} tekens"
    return [f"^[\\s\\S]{{{low},{high}}}$", text]


def _kinds_text(taxonomy: Taxonomy, kinds: tuple[str, ...]) -> str:
    labels = [taxonomy.kinds.label(kind).lower() for kind in kinds if kind in taxonomy.kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]


def _kind_hint(key: str, taxonomy: Taxonomy) -> str:
    """What the per-kind rules say about ``key``, in words (empty when they say nothing)."""
    kinds = tuple(kind for kind in KIND_RULES if kind in taxonomy.kinds)
    requiring = tuple(kind for kind in kinds_requiring(key) if kind in kinds)
    allowing = tuple(kind for kind in kinds_allowing(key) if kind in kinds)
    parts = []
    if requiring:
        parts.append(f"Verplicht voor {_kinds_text(taxonomy, requiring)}.")
    if len(allowing) < len(kinds) and allowing != requiring:
        parts.append(f"Alleen voor {_kinds_text(taxonomy, allowing)}.")
    elif len(allowing) < len(kinds):
        parts.append("Laat leeg bij de andere soorten.")
    return " ".join(parts)


def _hint(key: str, info: FieldInfo, taxonomy: Taxonomy, extra: str = "") -> str:
    texts = [info.description or "", _kind_hint(key, taxonomy), extra]
    if key in ONE_OF_REQUIRED:
        texts.append("Vul minstens een van deze in: " + ", ".join(_label(f"{key}.{k}").lower() for k in ONE_OF_REQUIRED[key].keys) + ".")
    if key in TOGETHER:
        texts.append(" en ".join(_label(f"{key}.{k}") for k in TOGETHER[key].keys) + " horen samen.")
    return " ".join(text for text in texts if text)


def _area_label(taxonomy: Taxonomy, area_id: str) -> str:
    tree = taxonomy.areas
    area = tree[area_id]
    if area.level == "stad":
        return f"{area.label} (de hele stad)"
    if area.level == "stadsdeel":
        return f"{area.label} (stadsdeel)"
    stadsdeel = tree.stadsdeel_of(area_id)
    inside = f", {tree.label(stadsdeel)}" if stadsdeel else ""
    return f"{area.label} ({area.level}{inside})"


def _options(key: str, taxonomy: Taxonomy) -> list[dict[str, str]]:
    vocabulary = taxonomy.vocabulary(VOCABULARY_OF_KEY[key])
    if VOCABULARY_OF_KEY[key] == "areas":
        return [{"label": _area_label(taxonomy, term.id), "value": term.id} for term in vocabulary]
    return [{"label": term.label, "value": term.id} for term in vocabulary]


def _language_options() -> list[dict[str, str]]:
    return [
        {"label": f"{code} · {LANGUAGE_NAMES[code]}" if code in LANGUAGE_NAMES else code, "value": code}
        for code in sorted(LANGUAGE_CODES)
    ]


def _date_widget(with_time: bool) -> dict[str, Any]:
    if with_time:
        return {"widget": "datetime", "format": MOMENT_FORMAT, "date_format": DATE_FORMAT, "time_format": "HH:mm", "picker_utc": False}
    return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False, "picker_utc": False}


def _counts(key: str) -> dict[str, int]:
    limits = LIMITS.get(key)
    if limits is None:
        return {}
    return {name: value for name, value in (("min", limits.min_items), ("max", limits.max_items)) if value}


def _widget(key: str, annotation: Any, taxonomy: Taxonomy, settings: SiteSettings) -> dict[str, Any]:
    """Decap's widget for the content key ``key`` of this type."""
    base = _unwrap(annotation)
    is_list = get_origin(base) is list
    pattern = FIELD_PATTERNS.get(key)
    if key in VOCABULARY_OF_KEY:
        widget: dict[str, Any] = {"widget": "select", "options": _options(key, taxonomy)}
        if is_list:
            widget.update({"multiple": True, **_counts(key)})
        return widget
    if is_list and pattern == "language":
        return {"widget": "select", "options": _language_options(), "multiple": True, **_counts(key)}
    if pattern in ("date", "moment"):
        return _date_widget(with_time=pattern == "moment")
    if get_origin(base) is Literal:
        return {"widget": "select", "options": [{"label": STATUS_LABELS.get(v, v), "value": v} for v in get_args(base)]}
    if base is float:
        widget = {"widget": "number", "value_type": "float", "step": 0.00001}
        if key in ("locatie.lat", "locatie.lon"):  # the city's bounding box, as the model checks
            box = settings.bbox
            low, high = (box.min_lat, box.max_lat) if key.endswith("lat") else (box.min_lon, box.max_lon)
            widget.update({"min": low, "max": high})
        return widget
    if base is str:
        widget = {"widget": "string"}
        if pattern is not None:
            widget["pattern"] = [PATTERNS[pattern].portable, PATTERN_TEXTS[pattern]]
        elif (length := _length_pattern(key)) is not None:
            widget["pattern"] = length
        return widget
    raise DeskConfigError(f"the desk has no widget for the field {key!r} ({annotation}): add one in wijknet/admin/config.py")


def _field(key: str, info: FieldInfo, taxonomy: Taxonomy, settings: SiteSettings, *, nested: bool) -> dict[str, Any]:
    name = key.rsplit(".", 1)[-1]
    part = _part_model(info.annotation)
    # Decap checks the fields inside a part even when the part is left empty, so a key the
    # part needs (wanneer.start) is not required here; the desk's check before saving asks
    # for it when the part is filled in (the rule table's "needs").
    required = info.is_required() and not nested
    field: dict[str, Any] = {"name": name, "label": _label(key), "required": required}
    extra = ""
    if nested and info.is_required():
        extra = f"Verplicht als je '{_label(key.rsplit('.', 1)[0])}' invult."
    hint = _hint(key, info, taxonomy, extra)
    if hint:
        field["hint"] = hint
    if part is not None:
        field.update({"widget": "object", "collapsed": False})
        field["fields"] = [_field(f"{key}.{alias}", child, taxonomy, settings, nested=True) for alias, child in _aliases(part)]
        return field
    field.update(_widget(key, info.annotation, taxonomy, settings))
    return field


def entry_fields(taxonomy: Taxonomy, settings: SiteSettings) -> list[dict[str, Any]]:
    """The entry's fields in the content format's order, then the description (the file's body)."""
    fields = [_field(key, info, taxonomy, settings, nested=False) for key, info in _aliases(EntryFields)]
    fields.append(
        {
            "name": ENTRY_BODY,
            "label": _label(ENTRY_BODY),
            "widget": "text",  # a plain text box: the Markdown is saved exactly as typed
            "required": False,
            "hint": f"{Entry.model_fields['description'].description} {DESCRIPTION_HINT}",
        }
    )
    return fields


# --- the views of the list --------------------------------------------------------------


def _view_filters(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    filters = [
        {"label": term.plural or term.label, "field": "soort", "pattern": f"^{re.escape(term.id)}$"}
        for term in taxonomy.kinds
    ]
    status = get_args(_unwrap(EntryFields.model_fields["status"].annotation))
    filters += [{"label": STATUS_LABELS.get(v, v), "field": f"{HIDDEN}.status", "pattern": f"^{v}$"} for v in status]
    filters.append({"label": "Op het prikbord", "field": f"{HIDDEN}.prikbord", "pattern": "^ja$"})
    return filters


def _entries_collection(taxonomy: Taxonomy, settings: SiteSettings) -> dict[str, Any]:
    return {
        "name": ENTRIES,
        "label": "Berichten",
        "label_singular": "Bericht",
        "description": (
            "Alle berichten op de site. Wat moet je controleren? Sorteer op 'Gecontroleerd' "
            "(oudste eerst, zo staat de lijst als je begint)."
        ),
        "folder": settings.content_dir,
        "extension": "md",
        "format": ENTRY_FORMAT,
        "create": True,
        "delete": False,  # an entry is archived (status: gestopt), never deleted: old links keep working
        "slug": f"{{{{{HIDDEN}.slug}}}}",
        "identifier_field": "titel",
        "summary": "{{titel}} · {{soort}} · gecontroleerd {{gecontroleerd}}",
        "sortable_fields": [
            {"field": "gecontroleerd", "label": _label("gecontroleerd"), "default_sort": "asc"},
            {"field": "titel", "label": _label("titel")},
            {"field": "soort", "label": _label("soort")},
        ],
        "view_filters": _view_filters(taxonomy),
        "view_groups": [
            {"label": "Stadsdeel", "field": f"{HIDDEN}.stadsdeel"},
            {"label": _label("soort"), "field": "soort"},
            {"label": _label("status"), "field": f"{HIDDEN}.status"},
        ],
        "editor": {"preview": False},
        "fields": entry_fields(taxonomy, settings),
    }


def news_folder(settings: SiteSettings) -> str:
    """The news articles' folder in the repository: ``nieuws`` beside the entries' folder."""
    return str(PurePosixPath(settings.content_dir).parent / NEWS_FOLDER)


def news_fields() -> list[dict[str, Any]]:
    """The news article's lines (Pelican's metadata) in writing order, then its text."""
    fields = []
    for key in NEWS_KEY_ORDER:
        field: dict[str, Any] = {"name": key, "label": _label(key, NEWS_LABELS), "required": key in NEWS_REQUIRED}
        if key in ("date", "modified"):
            field.update(_date_widget(with_time=False))
        elif key == "status":
            field.update({"widget": "select", "options": list(NEWS_STATUSES)})
        elif key == "slug":
            field.update({"widget": "string", "pattern": [SLUG_PATTERN, "kleine letters, cijfers en streepjes"]})
        else:
            field["widget"] = "string"
        if key in NEWS_HINTS:
            field["hint"] = NEWS_HINTS[key]
        fields.append(field)
    missing = set(NEWS_REQUIRED + NEWS_OPTIONAL) - set(NEWS_KEY_ORDER)
    if missing:
        raise DeskConfigError(f"news keys without a place in NEWS_KEY_ORDER: {sorted(missing)}")
    fields.append({"name": NEWS_BODY, "label": NEWS_LABELS[NEWS_BODY], "widget": "text", "hint": NEWS_HINTS[NEWS_BODY]})
    return fields


def _news_collection(settings: SiteSettings) -> dict[str, Any]:
    return {
        "name": NEWS,
        "label": "Nieuws",
        "label_singular": "Nieuwsbericht",
        "description": "Het nieuws op de site (de lijst Nieuws en de voorpagina).",
        "folder": news_folder(settings),
        "extension": "md",
        "format": NEWS_FORMAT,
        "create": True,
        "slug": f"{{{{{HIDDEN}.slug}}}}",
        "identifier_field": "title",
        "summary": "{{date}} · {{title}}",
        "sortable_fields": [
            {"field": "date", "label": NEWS_LABELS["date"], "default_sort": "desc"},
            {"field": "title", "label": NEWS_LABELS["title"]},
        ],
        "editor": {"preview": False},
        "fields": news_fields(),
    }


# --- the whole configuration ------------------------------------------------------------


def _backend(settings: SiteSettings) -> dict[str, Any]:
    """GitHub with the editorial workflow: every save is a branch and a pull request."""
    backend: dict[str, Any] = {"name": "github", "branch": settings.branch, "squash_merges": True}
    if settings.repository:
        backend["repo"] = settings.repository
    if settings.admin_auth_url:
        backend["base_url"] = settings.admin_auth_url
        backend["auth_endpoint"] = "auth"
    backend["commit_messages"] = {
        "create": "{{collection}} toegevoegd: {{slug}}",
        "update": "{{collection}} bijgewerkt: {{slug}}",
        "delete": "{{collection}} verwijderd: {{slug}}",
        "uploadMedia": "Bestand toegevoegd: {{path}}",
        "deleteMedia": "Bestand verwijderd: {{path}}",
    }
    return backend


def decap_config(taxonomy: Taxonomy, settings: SiteSettings, local_backend: str) -> dict[str, Any]:
    """Decap CMS's configuration for this city (``admin/config.yml``)."""
    return {
        "locale": LOCALE,
        "backend": _backend(settings),
        "publish_mode": "editorial_workflow",
        "local_backend": {"url": local_backend},
        "site_url": settings.site_url,
        "display_url": settings.site_url,
        "show_preview_links": False,
        "media_folder": MEDIA_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": False},
        "collections": [_entries_collection(taxonomy, settings), _news_collection(settings)],
    }


def render_config(config: dict[str, Any]) -> str:
    """The configuration as YAML, keys in the order they were made."""
    import yaml

    header = "# Made by wijknet from the models, the rule table and the taxonomy on every build: do not edit.\n"
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


# --- the facts the desk's script reads --------------------------------------------------


def _orders() -> dict[str, list[str]]:
    orders = {"": list(FRONT_MATTER_KEYS)}
    for key, info in _aliases(EntryFields):
        part = _part_model(info.annotation)
        if part is not None:
            orders[key] = [alias for alias, _ in _aliases(part)]
    return orders


def _keys_with(pattern_names: tuple[str, ...] = (), number: bool = False) -> list[str]:
    found = []
    for key, info in _aliases(EntryFields):
        part = _part_model(info.annotation)
        inner = [(f"{key}.{alias}", child) for alias, child in _aliases(part)] if part else [(key, info)]
        for path, child in inner:
            if FIELD_PATTERNS.get(path) in pattern_names or (number and _unwrap(child.annotation) is float):
                found.append(path)
    return found


def _defaults() -> dict[str, Any]:
    """Top-level keys whose model default the writer leaves out (``status: actief``)."""
    return {
        info.alias or name: info.default
        for name, info in EntryFields.model_fields.items()
        if info.default is not PydanticUndefined and info.default is not None
    }


def _part_needs() -> dict[str, list[str]]:
    needs = {}
    for key, info in _aliases(EntryFields):
        part = _part_model(info.annotation)
        if part is not None:
            required = [alias for alias, child in _aliases(part) if child.is_required()]
            if required:
                needs[key] = required
    return needs


def _rules() -> dict[str, Any]:
    def rule(kind_rule) -> dict[str, list[str]]:
        return {"required": sorted(kind_rule.required), "forbidden": sorted(kind_rule.forbidden)}

    return {
        "kinds": {kind: rule(kind_rule) for kind, kind_rule in KIND_RULES.items()},
        "other": rule(OTHER_KIND),
        "keys": [
            {"key": k.key, "requiredCode": k.required_code, "forbiddenCode": k.forbidden_code, "needs": list(k.needs)}
            for k in RULE_KEYS
        ],
        "oneOf": {part: {"keys": list(r.keys), "code": r.code} for part, r in ONE_OF_REQUIRED.items()},
        "together": {part: {"keys": list(r.keys), "code": r.code} for part, r in TOGETHER.items()},
        "partNeeds": _part_needs(),
        "whenOrder": {"part": "wanneer", "start": "start", "end": "einde", "code": "end_before_start"},
    }


DESK_MESSAGE_CODES = (
    "missing", "contact_required", "when_required", "when_not_allowed", "expires_not_allowed",
    "contact_empty", "lat_lon_pair", "end_before_start", "slug_impossible",
)  # fmt: skip

_DESK_MESSAGES = {
    "slug_impossible": "De titel heeft te weinig letters of cijfers voor een bestandsnaam. Gebruik minstens {min} letters of cijfers."
}


def _messages() -> dict[str, str]:
    texts = {}
    for code in DESK_MESSAGE_CODES:
        texts[code] = _DESK_MESSAGES.get(code) or messages.template_for(code, "nl", "form")
    return texts


def _areas(taxonomy: Taxonomy) -> dict[str, Any]:
    tree = taxonomy.areas
    city = tree.city
    of = {}
    for area in tree:
        of[area.id] = city.id if area.level == "stad" else (tree.stadsdeel_of(area.id) or city.id)
    order = [city.id] + [area.id for area in tree.of_level("stadsdeel")]
    labels = {city.id: f"Hele stad ({city.label})", **{area.id: area.label for area in tree.of_level("stadsdeel")}}
    return {"stadsdeelOf": of, "order": order, "labels": labels}


def desk_facts(taxonomy: Taxonomy, settings: SiteSettings) -> dict[str, Any]:
    """What the desk's script needs to read, check and write files (``admin/desk.json``)."""
    return {
        "hidden": HIDDEN,
        "timezone": settings.timezone,
        "collections": {
            ENTRIES: {"kind": "entry", "format": ENTRY_FORMAT, "title": "titel"},
            NEWS: {"kind": "news", "format": NEWS_FORMAT, "title": "title"},
        },
        "entry": {
            "body": ENTRY_BODY,
            "order": _orders(),
            "numbers": _keys_with(number=True),
            "moments": _keys_with(("moment",)),
            "defaults": _defaults(),
            "labels": {key: label for key, label in LABELS.items()},
            # the keys the list's views are made from
            "views": {"areas": "werkgebied", "status": "status", "until": ["uitgelicht", "tot"], "stopped": "gestopt"},
            "kindKey": "soort",
        },
        "news": {"order": list(NEWS_KEY_ORDER), "required": list(NEWS_REQUIRED), "body": NEWS_BODY},
        "rules": _rules(),
        "messages": _messages(),
        "kinds": {term.id: term.label for term in taxonomy.kinds},
        "areas": _areas(taxonomy),
        "slug": {"letters": dict(SPECIAL_LETTERS), "min": SLUG_MIN_LENGTH, "max": SLUG_MAX_LENGTH},
    }
