"""What every importer does once it has entry data: choose slugs, validate, write, keep the
manifest; idempotent, and never over a hand edit.

An importer turns its source records into :class:`Candidate`s (content keys by source id) and
hands them to :func:`place_entries` with the manifest of earlier runs. A record seen before
keeps its file name. A file whose text no longer has the hash the manifest remembers was
edited by hand and stays as it is; a file that was deleted stays deleted. A record whose
data did not change keeps its earlier ``gecontroleerd`` date, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

from pydantic import ValidationError

from wijknet.content.models import Entry, ValidationContext
from wijknet.content.validation import pydantic_problems, validate_loaded
from wijknet.content.writer import render_entry
from wijknet.importers.manifest import Record, file_hash, text_hash, write_text_atomic
from wijknet.safe_yaml import load_text
from wijknet.slugs import SLUG_MAX_LENGTH, is_valid_slug, slugify


@dataclass(frozen=True)
class Candidate:
    """One source record as entry data (content keys; ``beschrijving`` for the text), without
    ``slug``. Without ``gecontroleerd`` the run's date is written (an unchanged record keeps
    the date of the run that wrote it)."""

    source_id: str
    name: str
    data: dict[str, Any]


Outcome = Literal["created", "updated", "unchanged", "hand_edited", "deleted", "invalid", "no_slug"]


@dataclass(frozen=True)
class Placed:
    """What happened to one candidate: the outcome, the file's slug, and a message for people."""

    candidate: Candidate
    outcome: Outcome
    slug: str | None = None
    message: str = ""


@dataclass
class Placement:
    """The result of :func:`place_entries`: one :class:`Placed` per candidate, in order, and
    the manifest records after the run."""

    placed: list[Placed] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)


# --- slugs -------------------------------------------------------------------------------


def join_slug(base: str, *suffixes: str) -> str:
    """``base`` plus suffixes, with ``base`` shortened (at a hyphen) to fit the length limit."""
    tail = "-".join(slugify(suffix) for suffix in suffixes if suffix)
    room = SLUG_MAX_LENGTH - (len(tail) + 1 if tail else 0)
    head = base[:room]
    if len(base) > room and "-" in head:
        head = head.rsplit("-", 1)[0]
    head = head.strip("-")
    return f"{head}-{tail}" if tail and head else (head or tail)


def assign_slugs(wanted: Iterable[tuple[str, str, tuple[str, ...]]], taken: set[str]) -> dict[str, str]:
    """New slugs by source id, for ``(source id, base slug, suffixes)``: the base; when that
    collides, the base and the first suffix; and so on, one suffix more each round.

    Colliding records all get the longer form, so the result does not depend on which came
    first. ``taken`` holds slugs already in use (files and earlier imports).
    """
    used = set(taken)
    result: dict[str, str] = {}
    pending = sorted(wanted, key=lambda item: item[0])
    rounds = 1 + max((len(item[2]) for item in pending), default=0)
    for level in range(rounds):
        candidates: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        for item in pending:
            candidates.setdefault(join_slug(item[1], *item[2][:level]), []).append(item)
        still = []
        for candidate in sorted(candidates):
            group = candidates[candidate]
            if len(group) == 1 and candidate not in used and is_valid_slug(candidate):
                result[group[0][0]] = candidate
                used.add(candidate)
            else:
                still.extend(group)
        pending = sorted(still, key=lambda item: item[0])
        if not pending:
            break
    return result


# --- validation and writing --------------------------------------------------------------


def entry_text(data: dict[str, Any], slug: str, checked: dt.date, context: ValidationContext) -> tuple[str | None, list[str]]:
    """The file text of entry data, or the reasons (in Dutch) it is not a valid entry."""
    values = {"gecontroleerd": checked.isoformat(), **data, "slug": slug}
    file = f"initiatieven/{slug}.md"
    try:
        entry = Entry.model_validate(values, context=context)
    except ValidationError as error:
        return None, [f"{p.key}: {p.message('nl')}" for p in pydantic_problems(error, file, None)]
    text = render_entry(entry)
    # The written file must load back to the same valid entry (the writer's promise, checked).
    result = validate_loaded(load_text(text), slug, file, context)
    if result.problems:
        return None, [f"{p.key}: {p.message('nl')}" for p in result.problems]
    return text, []


def place_entries(
    candidates: list[Candidate],
    slugs: dict[str, str],
    manifest: dict[str, Record],
    entries_dir: Path,
    context: ValidationContext,
    dry_run: bool = False,
) -> Placement:
    """Write every candidate that is new or changed (see the module docstring).

    ``slugs``: new slugs by source id (a record in ``manifest`` keeps its own);
    ``context.today`` is the run's date, written as ``gecontroleerd`` when the data has none.
    """
    checked = context.today
    placement = Placement(records=dict(manifest))
    for candidate in candidates:
        previous = manifest.get(candidate.source_id)
        slug = previous.slug if previous else slugs.get(candidate.source_id)
        if slug is None:
            placement.placed.append(Placed(candidate, "no_slug", None, "geen vrije naam voor het bestand gevonden"))
            continue
        path = entries_dir / f"{slug}.md"
        same_day: tuple[str | None, list[str]] | None = None  # the text for today, when already made
        if previous is not None:
            if not path.exists():
                placement.placed.append(Placed(candidate, "deleted", slug, f"{path.name} is verwijderd en blijft weg"))
                continue
            if file_hash(path) != previous.sha256:
                placement.placed.append(
                    Placed(candidate, "hand_edited", slug, f"{path.name} is met de hand aangepast en blijft zoals het is")
                )
                continue
            # Same data as last time? Then the file stays, with its earlier check date.
            earlier = _date(previous.checked)
            if earlier is not None and earlier <= checked and "gecontroleerd" not in candidate.data:
                earlier_text, earlier_reasons = entry_text(candidate.data, slug, earlier, context)
                if earlier_text is not None and text_hash(earlier_text) == previous.sha256:
                    placement.placed.append(Placed(candidate, "unchanged", slug))
                    continue
                if earlier == checked:
                    same_day = earlier_text, earlier_reasons
        text, reasons = same_day if same_day is not None else entry_text(candidate.data, slug, checked, context)
        if text is None:
            placement.placed.append(Placed(candidate, "invalid", slug, "ongeldig, niet geschreven: " + "; ".join(reasons)))
            continue
        sha256 = text_hash(text)
        # A previous file is still there with the hash of the manifest (checked above).
        if previous is not None and sha256 == previous.sha256:
            outcome: Outcome = "unchanged"
        else:
            if not dry_run:
                write_text_atomic(path, text)
            outcome = "updated" if previous is not None else "created"
        placement.placed.append(Placed(candidate, outcome, slug))
        written_date = str(candidate.data.get("gecontroleerd") or checked.isoformat())
        placement.records[candidate.source_id] = Record(slug=slug, sha256=sha256, checked=written_date)
    return placement


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
