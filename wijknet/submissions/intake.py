"""From a posted submission to a content file: allowlist, validation, slug, dedupe key.

The service validates with the same models as the build (``Entry`` with a
``ValidationContext``) and writes the file with the same writer (``render_entry``), so a
submission that is accepted here is valid in CI too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

import email_validator
import phonenumbers
from pydantic import ValidationError

from wijknet.content import messages
from wijknet.content.models import Entry, ValidationContext
from wijknet.content.rules import CHARACTER_CODE, KIND_RULES, LIMITS, RefusedCharacter, kind_breaches, refused_character
from wijknet.content.validation import Problem, pydantic_problems
from wijknet.content.writer import render_entry
from wijknet.settings import SiteSettings
from wijknet.slugs import SLUG_MAX_LENGTH, is_valid_slug, slugify
from wijknet.submissions import form
from wijknet.taxonomy import Taxonomy

SERVICE_MESSAGES = {
    "not_allowed": "'{key}' kun je hier niet invullen.",
    "moderator_only": "'{key}' vult de redactie in, niet het formulier.",
    "unknown_entry": "Het initiatief '{value}' bestaat niet (meer). Meld het als nieuw initiatief aan.",
    "too_large": "Je inzending is te groot: maximaal {max} kB. Maak de beschrijving korter.",
    "unsupported_media_type": "Stuur het formulier als formulier of als JSON.",
    "bad_json": "De inzending kon niet gelezen worden (geen geldige JSON).",
    "rate_limited": "Je hebt de laatste tijd al veel inzendingen gestuurd. Probeer het later nog eens.",
    "honeypot": "Deze inzending lijkt automatisch verstuurd en is niet aangenomen.",
    "too_fast": "Het formulier is te snel verstuurd. Neem rustig de tijd en verstuur het opnieuw.",
    "bad_origin": "Deze inzending komt van een andere website en is niet aangenomen.",
    "not_found": "Deze inzending bestaat niet.",
    "unknown_page": "We kunnen geen initiatief vinden met de naam '{value}'. Misschien is het weggehaald of heeft het een andere naam gekregen.",
    "pages_rate_limited": "Je hebt in korte tijd veel pagina's opgevraagd. Probeer het over een minuut nog eens.",
}


def service_message(code: str, **params: Any) -> str:
    return SERVICE_MESSAGES[code].format(**params)


@dataclass(frozen=True)
class FieldError:
    field: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "message": self.message}


@dataclass(frozen=True)
class Candidate:
    """A valid submission, ready for the spool."""

    dedupe_key: str
    action: str  # "nieuw" or "wijziging"
    base_slug: str
    title: str
    kind: str
    areas: tuple[str, ...]
    file_text: str
    submitter: dict[str, str]
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class IntakeResult:
    candidate: Candidate | None
    errors: list[FieldError]
    values: dict[str, Any]  # what was sent, as form values (to show the form again)


@dataclass(frozen=True)
class SiteState:
    """What validation needs from the content repository, loaded once and refreshed."""

    taxonomy: Taxonomy
    settings: SiteSettings
    entries: Mapping[str, Entry]
    slugs: frozenset[str]


def character_error(field: str, refused: RefusedCharacter) -> FieldError:
    """A character the character rule refuses, named with its field's label."""
    problem = Problem("", 0, field, CHARACTER_CODE, refused.params)
    return FieldError(field or None, problem.message("nl", audience="form", label=form.LABELS.get(field)))


def _submitter(data: Any, region: str) -> tuple[dict[str, str], list[FieldError]]:
    """The submitter's own contact for moderators; all optional, but valid when given."""
    if data in (None, ""):
        return {}, []
    if not isinstance(data, dict):
        return {}, [FieldError(form.SUBMITTER, messages.render("model_type", "nl", audience="form"))]
    refused = [
        character_error(f"{form.SUBMITTER}.{key}", found)
        for key in ("naam", "email", "telefoon")
        if isinstance(data.get(key), str) and (found := refused_character(data[key])) is not None
    ]
    if refused:
        return {}, refused
    errors: list[FieldError] = []
    result: dict[str, str] = {}
    name = str(data.get("naam") or "").strip()
    if name:
        result["naam"] = name[: LIMITS[f"{form.SUBMITTER}.naam"].max_length]
    email = str(data.get("email") or "").strip()
    if email:
        try:
            result["email"] = email_validator.validate_email(email, check_deliverability=False).normalized
        except email_validator.EmailNotValidError:
            errors.append(FieldError(f"{form.SUBMITTER}.email", messages.render("email", "nl", {"value": email})))
    phone = str(data.get("telefoon") or "").strip()
    if phone:
        try:
            number = phonenumbers.parse(phone, region)
            if not phonenumbers.is_valid_number(number):
                raise phonenumbers.NumberParseException(0, "invalid")
            result["telefoon"] = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            errors.append(FieldError(f"{form.SUBMITTER}.telefoon", messages.render("phone", "nl", {"value": phone})))
    return result, errors


def base_slug(title: str) -> str:
    """A slug from the title: at most 80 characters, cut at a hyphen, never too short."""
    slug = slugify(title)
    if len(slug) > SLUG_MAX_LENGTH - 4:  # room for a "-N" suffix
        slug = slug[: SLUG_MAX_LENGTH - 4].rsplit("-", 1)[0]
    if not is_valid_slug(slug):
        slug = f"inzending-{slug}".strip("-") if slug else "inzending"
    return slug


def dedupe_key(content: Mapping[str, Any], client_key: str) -> str:
    """Same content (and same client key, if any) -> same key -> one pull request."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{client_key.strip()}\n{canonical}".encode()).hexdigest()


def validate_submission(
    data: Mapping[str, Any], state: SiteState, today: dt.date, client_key: str = ""
) -> IntakeResult:
    """Check one submission (nested content-format mapping plus meta keys)."""
    values = form.values_from_nested({k: v for k, v in data.items() if k not in form.META_KEYS})
    errors: list[FieldError] = []
    for name in form.unknown_json_keys(data):
        top = name.split(".", 1)[0]
        code = "moderator_only" if top in form.MODERATOR_KEYS else "not_allowed"
        errors.append(FieldError(name, service_message(code, key=name)))
    submitter, submitter_errors = _submitter(data.get(form.SUBMITTER), state.settings.phone_region)
    errors.extend(submitter_errors)

    content = {key: data[key] for key in form.PUBLIC_KEYS if key in data}
    target = str(data.get(form.CORRECTS) or "").strip()
    existing: Entry | None = None
    if target:
        existing = state.entries.get(target)
        if existing is None:
            errors.append(FieldError(form.CORRECTS, service_message("unknown_entry", value=target)))
    front: dict[str, Any] = dict(content)
    if existing is not None:
        # Moderator fields of the entry being corrected stay as they are.
        kept = existing.front_matter()
        for key in ("uitgelicht", "status"):
            if key in kept:
                front[key] = kept[key]
    front["gecontroleerd"] = today.isoformat()
    body = data.get(form.DESCRIPTION, "")
    slug = existing.slug if existing is not None else base_slug(str(content.get("titel") or ""))
    context = ValidationContext(taxonomy=state.taxonomy, settings=state.settings, today=today)
    entry: Entry | None = None
    try:
        entry = Entry.model_validate({**front, "slug": slug, form.DESCRIPTION: body}, context=context)
    except ValidationError as error:
        for problem in pydantic_problems(error, "", None):
            label = form.LABELS.get(problem.key)
            errors.append(FieldError(problem.key or None, problem.message("nl", audience="form", label=label)))
    errors.extend(_kind_rule_errors(front, errors))
    if errors or entry is None:
        return IntakeResult(None, _unique(errors), values)
    canonical = {
        "doel": target,
        "inhoud": {k: v for k, v in entry.front_matter().items() if k != "gecontroleerd"},
        "beschrijving": entry.description,
        "inzender": submitter,
    }
    candidate = Candidate(
        dedupe_key=dedupe_key(canonical, client_key),
        action="wijziging" if existing is not None else "nieuw",
        base_slug=slug,
        title=entry.title,
        kind=entry.kind,
        areas=tuple(entry.areas),
        file_text=render_entry(entry),
        submitter=submitter,
        summary={
            "samenvatting": entry.summary,
            "themas": list(entry.themes),
            "werkgebied": list(entry.areas),
            "organisatie": entry.organisation or "",
            "stadsdelen": sorted(
                {sd for area in entry.areas if (sd := state.taxonomy.areas.stadsdeel_of(area)) is not None}
            ),
        },
    )
    return IntakeResult(candidate, [], values)


def _kind_rule_errors(front: Mapping[str, Any], found: list[FieldError]) -> list[FieldError]:
    """Per-kind rules, reported together with field errors (the model checks them last)."""
    kind = front.get("soort")
    if not isinstance(kind, str) or kind not in KIND_RULES:
        return []
    extra = [
        FieldError(breach.key, messages.render(breach.code, "nl", breach.params, audience="form"))
        for breach in kind_breaches(kind, filled=lambda key: bool(front.get(key)))
    ]
    return [error for error in extra if error.field not in {f.field for f in found}]


def _unique(errors: list[FieldError]) -> list[FieldError]:
    seen: dict[tuple[str | None, str], FieldError] = {}
    for error in errors:
        seen.setdefault((error.field, error.message), error)
    return list(seen.values())
