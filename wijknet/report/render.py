"""The maintenance report as text, Markdown (Dutch; for the "Onderhoud" issue and job
summaries) and JSON."""

from __future__ import annotations

import json
import re

from wijknet.report.dates import date_nl, month_nl
from wijknet.report.figures import Count
from wijknet.report.maintenance import MaintenanceReport, Section
from wijknet.engine.urls import Urls


# Markdown punctuation that could turn an entry's (untrusted) title into a link, image,
# table cell, heading or HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")


def escape_markdown(text: str) -> str:
    """Text shown literally in GitHub Markdown: no links, HTML, table breaks or @mentions."""
    text = " ".join(str(text).split())
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")  # a zero-width space stops an @mention notification


def render_json(report: MaintenanceReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- text --------------------------------------------------------------------------------


def _count_lines(title: str, counts: tuple[Count, ...] | list[Count]) -> list[str]:
    width = max((len(count.label) for count in counts), default=0)
    return [title, *(f"  {count.label.ljust(width)}  {count.count:>5}" for count in counts), ""]


def render_text(report: MaintenanceReport) -> str:
    """Plain text for a terminal."""
    lines = [f"Onderhoud {report.site_name}, {date_nl(report.today)}", ""]
    for section in report.sections:
        lines.append(f"{section.title}: {len(section.items)}")
        for item in section.items:
            lines.append(f"  {item.date.isoformat()}  {item.slug}  ({item.kind})  {item.title}")
        lines.append("")
    figures = report.figures
    lines.append(
        f"Berichten: {figures.total} in totaal, {figures.listed} zichtbaar, "
        f"{figures.paused} gepauzeerd, {figures.stopped} gestopt"
    )
    lines.append("")
    lines += _count_lines("Per soort", figures.kinds)
    lines += _count_lines("Per thema", figures.themes)
    lines += _count_lines("Per stadsdeel", [*figures.stadsdelen, figures.citywide])
    lines.append("Nieuw / gewijzigd / verwijderd per maand")
    if report.monthly is None:
        lines.append(f"  Geen geschiedenis: {report.history_note or 'de inhoud staat niet in git'}")
    for month in report.monthly or ():
        lines.append(f"  {month.month}  {month.new:>5}  {month.changed:>5}  {month.removed:>5}")
    return "\n".join(lines).rstrip() + "\n"


# --- markdown ----------------------------------------------------------------------------


def _entry_link(report: MaintenanceReport, slug: str, title: str) -> str:
    urls = Urls(report.site_url)
    return f"[{escape_markdown(title)}]({urls.absolute(urls.entry(slug))})"


def _edit_link(report: MaintenanceReport, slug: str) -> str:
    path = f"{report.content_dir.strip('/')}/{slug}.md"
    if not report.repository:
        return f"`{path}`"
    return f"[{slug}.md](https://github.com/{report.repository}/edit/{report.branch}/{path})"


def _markdown_section(report: MaintenanceReport, section: Section, limit: int) -> list[str]:
    lines = [f"## {section.title} ({len(section.items)})", ""]
    if not section.items:
        return lines + ["Niets te doen.", ""]
    lines += [section.advice, ""]
    lines += [f"| Bericht | Soort | {section.date_label} | Gecontroleerd | Bewerken |", "|---|---|---|---|---|"]
    for item in section.items[:limit]:
        lines.append(
            f"| {_entry_link(report, item.slug, item.title)} | {item.kind} | {item.date.isoformat()} "
            f"| {item.checked.isoformat()} | {_edit_link(report, item.slug)} |"
        )
    if len(section.items) > limit:
        lines += ["", f"En nog {len(section.items) - limit} andere berichten. Zie `wijknet report` voor de hele lijst."]
    return lines + [""]


def _markdown_counts(title: str, counts) -> list[str]:
    lines = [f"### {title}", "", "| | Aantal |", "|---|---:|"]
    lines += [f"| {escape_markdown(count.label)} | {count.count} |" for count in counts]
    return lines + [""]


# GitHub refuses issue bodies over 65,536 characters; stay well below.
MAX_MARKDOWN_CHARS = 60_000


def render_markdown(report: MaintenanceReport, limit: int = 50, max_chars: int = MAX_MARKDOWN_CHARS) -> str:
    """Markdown with Dutch headings; each list is cut at ``limit`` rows, fewer when the whole
    text would be longer than ``max_chars`` (the rest is counted, not listed)."""
    while True:
        text = _render_markdown(report, limit)
        if len(text) <= max_chars or limit == 0:
            return text
        limit //= 2


def _render_markdown(report: MaintenanceReport, limit: int) -> str:
    figures = report.figures
    todo = sum(len(section.items) for section in report.sections)
    lines = [
        f"# Onderhoud {escape_markdown(report.site_name)}",
        "",
        f"Stand van {date_nl(report.today)}. Dit overzicht wordt elke nacht opnieuw gemaakt; "
        "je hoeft dit bericht niet zelf bij te werken.",
        "",
        f"**{todo}** berichten vragen aandacht. In totaal zijn er {figures.listed} berichten zichtbaar "
        f"op de site ({figures.paused} gepauzeerd) en {figures.stopped} gestopt.",
        "",
    ]
    for section in report.sections:
        lines += _markdown_section(report, section, limit)
    lines += ["## Aantallen", "", "Alleen berichten die op de site staan (niet gestopt).", ""]
    lines += _markdown_counts("Per soort", figures.kinds)
    lines += _markdown_counts("Per thema", figures.themes)
    lines += _markdown_counts("Per stadsdeel", [*figures.stadsdelen, figures.citywide])
    lines += ["## Nieuw en gewijzigd per maand", ""]
    if report.monthly is None:
        lines += [f"Geen geschiedenis beschikbaar: {escape_markdown(report.history_note or 'de inhoud staat niet in git')}.", ""]
    else:
        lines += ["| Maand | Nieuw | Gewijzigd | Verwijderd |", "|---|---:|---:|---:|"]
        lines += [f"| {month_nl(m.month)} | {m.new} | {m.changed} | {m.removed} |" for m in report.monthly]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


