"""The "Cijfers" page: what the platform holds, for partners, without tracking anyone.

Counts per kind, theme and stadsdeel and the monthly history from git, as tables with
simple SVG charts beside them. A content folder outside git gives the counts only, with a
note; the build never fails for a missing history.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from wijknet.content.catalog import Catalog
from wijknet.report.charts import bar_chart, month_chart
from wijknet.dutch.dates import month_nl
from wijknet.report.figures import count_figures
from wijknet.report.history import History, HistoryUnavailable, read_history
from wijknet.engine import hooks
from wijknet.engine.model import BuildContext, File, Page
from wijknet.engine.registry import Provider

TEMPLATE = "cijfers.html"
CHART_MONTHS = 24  # the chart shows the last two years; the table shows every month
NO_HISTORY_NOTE = "De geschiedenis per maand is niet beschikbaar, omdat de inhoud niet in een git-repository staat."


def content_folder(catalog: Catalog) -> Path | None:
    """The folder that holds every entry file of the catalog, or None without entries
    (each folder resolved once: resolving thousands of file paths costs a noticeable part
    of an edit's rebuild)."""
    parents = {os.path.dirname(os.path.abspath(path)) for path in catalog.sources.values()}
    folders = sorted({str(Path(parent).resolve()) for parent in parents})
    if not folders:
        return None
    return Path(os.path.commonpath(folders))


def history_of(catalog: Catalog) -> History | None:
    """The git history of the catalog's content folder; None when there is none."""
    folder = content_folder(catalog)
    if folder is None:
        return None
    try:
        return read_history(folder)
    except HistoryUnavailable:
        return None


def build_history(build: BuildContext) -> History | None:
    """The content's git history, read once per build."""
    return history_of(build.catalog)


def cijfers_context(build: BuildContext) -> dict:
    """The template context of the Cijfers page (tested on its own, without a theme)."""
    catalog = build.catalog
    figures = count_figures(catalog)
    history = build.once(build_history)
    monthly = None if history is None else history.monthly(until=catalog.today)
    charts = {
        "kinds": bar_chart(
            "grafiek-soorten",
            "Berichten per soort",
            "Staafdiagram met het aantal berichten per soort. De tabel hieronder geeft dezelfde cijfers.",
            [(count.label, count.count) for count in figures.kinds],
        ),
        "themes": bar_chart(
            "grafiek-themas",
            "Berichten per thema",
            "Staafdiagram met het aantal berichten per thema. De tabel hieronder geeft dezelfde cijfers.",
            [(count.label, count.count) for count in figures.themes],
        ),
        "stadsdelen": bar_chart(
            "grafiek-stadsdelen",
            "Berichten per stadsdeel",
            "Staafdiagram met het aantal berichten per stadsdeel en voor de hele stad. "
            "De tabel hieronder geeft dezelfde cijfers.",
            [(count.label, count.count) for count in (*figures.stadsdelen, figures.citywide)],
        ),
    }
    recent = tuple(monthly[-CHART_MONTHS:]) if monthly else ()
    if recent:
        charts["monthly"] = month_chart(
            "grafiek-maanden",
            "Nieuwe en gewijzigde berichten per maand",
            f"Staafdiagram van {month_nl(recent[0].month)} tot en met {month_nl(recent[-1].month)}: "
            "per maand het aantal nieuwe en gewijzigde berichten. De tabel hieronder geeft dezelfde cijfers.",
            recent,
        )
    return {
        "title": "Cijfers",
        "figures": figures,
        "monthly": monthly,
        "history_note": NO_HISTORY_NOTE if monthly is None else "",
        "charts": charts,
        "month_nl": month_nl,
        # what other providers add below the counts (see hooks.report_sections)
        "sections": [section for found in hooks.call(build, hooks.report_sections, build) for section in found],
    }


def provide(build: BuildContext) -> Iterable[Page | File]:
    """One page: ``cijfers/index.html``."""
    path = build.urls.output_path(build.urls.page("cijfers"))
    yield Page(path=path, template=TEMPLATE, context=cijfers_context(build))


PROVIDER = Provider("report", provide, files_side=True)
"""The Cijfers page."""
