"""The maintenance report: what moderators should look at, on one build date.

Pure: it reads a :class:`~wijknet.content.catalog.Catalog` and, when there is one, the git
:class:`~wijknet.report.history.History`. Rendering lives in :mod:`wijknet.report.render`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wijknet.content.catalog import Catalog
from wijknet.content.models import Entry
from wijknet.report.dates import add_months
from wijknet.report.figures import Figures, count_figures
from wijknet.report.history import History, MonthFigures

CHECK_EVERY_MONTHS = 12  # an entry must be checked by a person at least once a year
DUE_SOON_MONTHS = 1
PRIKBORD_WARNING_DAYS = 14


def check_due(entry: Entry) -> dt.date:
    """The date by which an entry must be checked again."""
    return add_months(entry.checked, CHECK_EVERY_MONTHS)


@dataclass(frozen=True)
class Item:
    """One entry in a report section, with the date that put it there."""

    slug: str
    title: str
    kind: str
    date: dt.date
    checked: dt.date
    status: str

    def as_dict(self) -> dict[str, str]:
        return {
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "checked": self.checked.isoformat(),
            "status": self.status,
        }


@dataclass(frozen=True)
class Section:
    """A list of entries that need the same action."""

    key: str
    title: str  # Dutch heading
    advice: str  # Dutch: what a moderator does about it
    date_label: str  # Dutch name of the item date column
    items: tuple[Item, ...]


@dataclass(frozen=True)
class MaintenanceReport:
    today: dt.date
    site_name: str
    site_url: str
    repository: str
    branch: str
    content_dir: str
    sections: tuple[Section, ...]
    figures: Figures
    monthly: tuple[MonthFigures, ...] | None  # None: no git history available
    history_note: str = ""

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def as_dict(self) -> dict:
        return {
            "date": self.today.isoformat(),
            "site": self.site_name,
            "sections": {section.key: [item.as_dict() for item in section.items] for section in self.sections},
            "counts": self.figures.as_dict(),
            "monthly": None if self.monthly is None else [month.as_dict() for month in self.monthly],
            "history_note": self.history_note,
        }


def _item(entry: Entry, date: dt.date) -> Item:
    return Item(entry.slug, entry.title, entry.kind, date, entry.checked, entry.status)


def _sorted(items: list[Item]) -> tuple[Item, ...]:
    return tuple(sorted(items, key=lambda item: (item.date, item.slug)))


def build_report(catalog: Catalog, history: History | None, history_note: str = "") -> MaintenanceReport:
    """Collect every section on ``catalog.today``.

    Gestopt entries are archived and left out. An ended activity or an expired question is
    listed only in its own section (archiving it is the action, not checking it again).
    """
    today = catalog.today
    overdue, due_soon, prikbord, ended, expired = [], [], [], [], []
    due_horizon = add_months(today, DUE_SOON_MONTHS)
    prikbord_horizon = today + dt.timedelta(days=PRIKBORD_WARNING_DAYS)
    for entry in catalog.entries:
        if entry.status == "gestopt":
            continue
        if catalog.is_expired_question(entry):
            expired.append(_item(entry, entry.question_expires()))
            continue
        if catalog.is_past_activity(entry):
            end = entry.when.end if entry.when.end is not None else entry.when.start
            ended.append(_item(entry, end if type(end) is dt.date else end.date()))
            continue
        if catalog.is_featured(entry) and entry.featured.until <= prikbord_horizon:
            prikbord.append(_item(entry, entry.featured.until))
        due = check_due(entry)
        if due < today:
            overdue.append(_item(entry, due))
        elif due <= due_horizon:
            due_soon.append(_item(entry, due))
    sections = (
        Section(
            "not_checked",
            f"Langer dan {CHECK_EVERY_MONTHS} maanden niet gecontroleerd",
            "Neem contact op met de organisatie. Klopt alles nog? Zet dan de datum van vandaag bij "
            "'gecontroleerd'. Bestaat het niet meer? Zet dan 'status: gestopt'.",
            "Had gecontroleerd moeten zijn op",
            _sorted(overdue),
        ),
        Section(
            "check_soon",
            "Binnen een maand aan de beurt voor controle",
            "Controleer deze berichten binnenkort en zet dan de nieuwe datum bij 'gecontroleerd'.",
            "Controleren voor",
            _sorted(due_soon),
        ),
        Section(
            "prikbord_expiring",
            f"Prikbord: loopt binnen {PRIKBORD_WARNING_DAYS} dagen af",
            "Moet het langer op het prikbord? Zet dan een latere datum bij 'uitgelicht: tot'. "
            "Anders hoef je niets te doen.",
            "Op het prikbord tot en met",
            _sorted(prikbord),
        ),
        Section(
            "ended_activities",
            "Activiteiten die voorbij zijn",
            "Komt de activiteit terug? Zet dan de nieuwe datum bij 'wanneer'. "
            "Anders zet je 'status: gestopt'.",
            "Afgelopen op",
            _sorted(ended),
        ),
        Section(
            "expired_questions",
            "Vragen die verlopen zijn",
            "Vraag na of de vraag nog open staat. Zo ja: zet een nieuwe datum bij 'verloopt'. "
            "Zo nee: zet 'status: gestopt'.",
            "Verlopen op",
            _sorted(expired),
        ),
    )
    return MaintenanceReport(
        today=today,
        site_name=catalog.settings.site_name,
        site_url=catalog.settings.site_url,
        repository=catalog.settings.repository,
        branch=catalog.settings.branch,
        content_dir=catalog.settings.content_dir,
        sections=sections,
        figures=count_figures(catalog),
        monthly=None if history is None else history.monthly(until=today),
        history_note=history_note,
    )
