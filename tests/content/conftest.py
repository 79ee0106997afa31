"""Fixtures for the foundation tests: the real project, a validation context and a valid entry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from testkit import REPO, TEST_DATE

from wijknet.safe_yaml import load_bytes
from wijknet.content.models import ValidationContext
from wijknet.content.validation import FileResult, validate_loaded
from wijknet.project import Project

TODAY = TEST_DATE
DELETE = object()

# The content format's example entry, as loaded data (everything a string, like the loader).
VALID: dict[str, Any] = {
    "titel": "Buurtbuik Oost",
    "soort": "initiatief",
    "samenvatting": "Elke donderdag gratis samen eten met buurtgenoten in de Dapperbuurt.",
    "themas": ["armoede", "ontmoeting", "voeding"],
    "doelgroepen": ["iedereen"],
    "werkgebied": ["dapperbuurt"],
    "organisatie": "Stichting Buurtbuik",
    "contact": {
        "naam": "Fatima El Amrani",
        "email": "oost@buurtbuik.example",
        "telefoon": "020 123 4567",
        "website": "https://buurtbuik.example/oost",
    },
    "locatie": {
        "naam": "Buurthuis De Meevaart",
        "adres": "Balistraat 48A",
        "postcode": "1094 JN",
        "lat": "52.3652",
        "lon": "4.9391",
    },
    "tijden": "Elke donderdag 17.30 - 19.30 uur",
    "kosten": "gratis",
    "talen": ["nl", "en", "ar"],
    "uitgelicht": {"tot": "2026-12-31"},
    "gecontroleerd": "2026-11-01",
    "status": "actief",
}


def entry_data(**changes: Any) -> dict[str, Any]:
    """A copy of VALID with changes; keys may be dotted (``contact__email`` → contact.email)."""
    data = copy.deepcopy(VALID)
    for dotted, value in changes.items():
        parts = dotted.split("__")
        target = data
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if value is DELETE:
            target.pop(parts[-1], None)
        else:
            target[parts[-1]] = value
    return data


def entry_text(data: dict[str, Any], body: str = "Iedereen is welkom.\n") -> str:
    """The file text for ``data`` (block style, keys in the given order)."""
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return f"---\n{front}---\n{body}"


def line_of(text: str, startswith: str) -> int:
    """The 1-based number of the first line that starts with ``startswith``."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(startswith):
            return number
    raise AssertionError(f"no line starts with {startswith!r}")


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.at(REPO)


@pytest.fixture(scope="session")
def context(project: Project) -> ValidationContext:
    return ValidationContext(taxonomy=project.load_taxonomy(), settings=project.load_settings(), today=TODAY)


@pytest.fixture(scope="session")
def check(context: ValidationContext):
    """Validate text (or bytes) as the file ``<slug>.md``."""

    def run(text: str | bytes, slug: str = "buurtbuik-oost") -> FileResult:
        raw = text.encode("utf-8") if isinstance(text, str) else text
        return validate_loaded(load_bytes(raw), slug, f"{slug}.md", context)

    return run
