"""Validation of entry files: every problem, with file, line, key and a fix.

The loader catches what is unsafe or unreadable; the models catch what is invalid; this
module turns both into :class:`Problem` objects and adds the checks that span files
(duplicate slugs) or that the models can only report one at a time (per-kind rules).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from wijknet.content import messages
from wijknet.safe_yaml import LoadedFile, load_path
from wijknet.content.models import (
    Contact,
    Entry,
    EntryFields,
    Featured,
    Location,
    ValidationContext,
    When,
)
from wijknet.content.rules import CHARACTER_CODE, KIND_RULES, kind_breaches
from wijknet.slugs import is_valid_slug, slugify
from wijknet.taxonomy import VOCABULARY_FILES

RESERVED_KEYS = ("slug", "beschrijving")

CHARACTER_CODES = (CHARACTER_CODE, "special_character")
"""Problems of the character rule: in a field, or where the loader could not tell the field."""

_PART_MODELS: dict[str, type[BaseModel]] = {
    "contact": Contact,
    "locatie": Location,
    "wanneer": When,
    "uitgelicht": Featured,
}

# problem code (``unknown_<vocabulary>``) → the taxonomy file that lists the known terms
_VOCABULARY_FILES = {f"unknown_{vocabulary}": filename for vocabulary, filename in VOCABULARY_FILES.items()}


@dataclass(frozen=True)
class Problem:
    """One thing to fix: where it is, which key, and a message code with parameters."""

    file: str
    line: int
    key: str
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: str = "nl", audience: str = "file", label: str | None = None) -> str:
        """The text for people; ``audience="form"`` avoids file jargon for the web form and
        names a field by its ``label`` where a message names the field."""
        params = dict(self.params)
        if self.code in CHARACTER_CODES:
            params["name"] = messages.render(f"character_{params.get('name') or 'c0'}", lang)
            params.setdefault("key", self.key)
            params["label"] = label or f"'{self.key}'"
        if self.code in _VOCABULARY_FILES:
            hint = ""
            if params.get("suggestions"):
                hint = messages.render("did_you_mean", lang, {"suggestions": params["suggestions"]})
            hint += messages.render("see_taxonomy", lang, {"file": _VOCABULARY_FILES[self.code]}, audience)
            params["hint"] = hint
        if self.code == "extra_forbidden":
            if params.get("suggestions"):
                params["hint"] = messages.render("did_you_mean", lang, {"suggestions": params["suggestions"]})
            elif params.get("allowed"):
                params["hint"] = messages.render("allowed_keys", lang, {"allowed": params["allowed"]})
        return messages.render(self.code, lang, params, audience)

    def as_dict(self, lang: str = "nl") -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "key": self.key, "message": self.message(lang)}


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel]:
    model: type[BaseModel] = EntryFields
    for part in loc:
        if isinstance(part, str) and part in _PART_MODELS and model is EntryFields:
            model = _PART_MODELS[part]
    return model


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if name not in ("slug", "description")]


def _key_of(loc: tuple[Any, ...]) -> str:
    """Dotted key for people: list positions are left out (the line points at the item)."""
    return ".".join(str(part) for part in loc if not isinstance(part, int))


def pydantic_problems(
    error: ValidationError, file: str, loaded: LoadedFile | None, key_prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    """Translate pydantic errors into problems with lines from the loaded file."""
    problems: list[Problem] = []
    for detail in error.errors(include_url=False):
        loc = tuple(part for part in detail["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        # pydantic puts union branch names into loc (e.g. 'date', 'datetime'); drop them
        loc = tuple(part for part in loc if part not in ("date", "datetime", "str", "list[str]"))
        code = detail["type"]
        params: dict[str, Any] = dict(detail.get("ctx") or {})
        params.pop("error", None) if code != "value_error" else None
        if "loc_key" in params:
            loc = (*loc, params.pop("loc_key"))
        if code == "extra_forbidden":
            name = str(loc[-1]) if loc else ""
            allowed = _allowed_keys(_model_at(loc[:-1]))
            close = difflib.get_close_matches(name.lower(), allowed, n=2, cutoff=0.6)
            params["key"] = name
            params["suggestions"] = ", ".join(f"'{c}'" for c in close)
            params["allowed"] = ", ".join(allowed)
        if code == "missing" and loc == ("contact",):
            code = "contact_required"
        if code == "literal_error":
            # pydantic joins the choices with an English "or"; list them plainly instead
            params["expected"] = ", ".join(repr(choice) for choice in _literal_choices(detail))
        if code.endswith("_type") and "input" in detail and detail["input"] is None:
            code = "empty_value"  # `titel:` with nothing after it: say it is empty, not "wrong type"
        if code == "value_error":
            params["error"] = str(params.get("error", detail.get("msg", "")))
        params.setdefault("detail", detail.get("msg", ""))
        line = loaded.line_for(loc) if loaded is not None else 0
        if code == "missing" and loaded is not None:
            line = loaded.line_for(loc[:-1]) if len(loc) > 1 else 1
        problems.append(Problem(file, line, _key_of((*key_prefix, *loc)), code, params))
    return problems


def _literal_choices(detail: dict[str, Any]) -> list[str]:
    expected = str((detail.get("ctx") or {}).get("expected", ""))
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


def _kind_rule_problems(data: dict[str, Any], file: str, loaded: LoadedFile) -> list[Problem]:
    """Per-kind rules checked on the raw data, so they show up next to other problems.

    A missing key is reported on line 1; a key that is not allowed, on its own line.
    """
    kind = data.get("soort")
    if not isinstance(kind, str) or kind not in KIND_RULES:
        return []
    breaches = kind_breaches(kind, filled=lambda key: data.get(key) is not None, present=lambda key: key in data)
    return [
        Problem(file, 1 if breach.missing else loaded.line_for((breach.key,)), breach.key, breach.code, breach.params)
        for breach in breaches
    ]


@dataclass
class FileResult:
    """The outcome for one file: the entry when valid, else its problems."""

    path: str
    entry: Entry | None
    problems: list[Problem]
    loaded: LoadedFile | None = None


def validate_loaded(loaded: LoadedFile, slug: str, file: str, context: ValidationContext) -> FileResult:
    """Validate already-loaded front matter and body."""
    problems = [Problem(file, p.line, p.key, p.code, p.params) for p in loaded.problems]
    if not is_valid_slug(slug):
        suggestion = slugify(slug)[:80].strip("-") or "mijn-initiatief"
        if len(suggestion) < 3:
            suggestion = f"{suggestion}-initiatief".strip("-")
        problems.append(Problem(file, 1, "slug", "bad_slug", {"value": slug, "suggestion": suggestion}))
    if loaded.data is None:
        return FileResult(file, None, problems, loaded)
    data = dict(loaded.data)
    for reserved in RESERVED_KEYS:
        if reserved in data:
            problems.append(Problem(file, loaded.line_for((reserved,)), reserved, "reserved_key", {"key": reserved}))
            data.pop(reserved)
    try:
        entry = Entry.model_validate(
            {**data, "slug": slug if is_valid_slug(slug) else "ongeldig", "beschrijving": loaded.body},
            context=context,
        )
    except ValidationError as error:
        found = pydantic_problems(error, file, loaded)
        for problem in found:
            if problem.key == "beschrijving":
                object.__setattr__(problem, "line", loaded.body_line)
        found_keys = {(p.key, p.code) for p in found}
        for problem in _kind_rule_problems(data, file, loaded):
            if (problem.key, problem.code) not in found_keys:
                found.append(problem)
        problems.extend(found)
        return FileResult(file, None, _sorted(problems), loaded)
    if problems:
        return FileResult(file, None, _sorted(problems), loaded)
    return FileResult(file, entry, [], loaded)


def _sorted(problems: list[Problem]) -> list[Problem]:
    unique: dict[tuple[str, int, str, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.file, problem.line, problem.key, problem.code), problem)
    return sorted(unique.values(), key=lambda p: (p.file, p.line, p.key, p.code))


def validate_file(path: Path, context: ValidationContext, display: str | None = None) -> FileResult:
    """Load and validate one entry file."""
    file = display or str(path)
    return validate_loaded(load_path(path), path.stem, file, context)


def duplicate_slug_problems(results: list[FileResult]) -> list[Problem]:
    """Slugs are file names, so duplicates come from case or folders; report each pair."""
    by_slug: dict[str, list[str]] = {}
    for result in results:
        slug = Path(result.path).stem.lower()
        by_slug.setdefault(slug, []).append(result.path)
    problems = []
    for slug, paths in sorted(by_slug.items()):
        if len(paths) > 1:
            for path in paths:
                others = ", ".join(p for p in paths if p != path)
                problems.append(Problem(path, 1, "slug", "duplicate_slug", {"value": slug, "other": others}))
    return problems
