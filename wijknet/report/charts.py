"""Simple SVG charts, made at build time: no chart library, no script, no request.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>``; the page shows
the same numbers in a table, which is the accessible alternative. Colours come from
``currentColor`` (so they follow the text colour, also in high-contrast modes) and styling
uses presentation attributes only, because the site's CSP forbids inline styles.
"""

from __future__ import annotations

from typing import Sequence

from markupsafe import Markup, escape

from wijknet.report.dates import month_nl, month_short_nl
from wijknet.report.history import MonthFigures

WIDTH = 640
FONT_SIZE = 14


def _number(value: float) -> str:
    """Coordinates with at most one decimal, the same bytes on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, title: str, description: str, height: float) -> list[str]:
    chart_id = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafiek" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {_number(height)}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-titel {chart_id}-uitleg" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-titel">{escape(title)}</title>',
        f'<desc id="{chart_id}-uitleg">{escape(description)}</desc>',
    ]


def bar_chart(chart_id: str, title: str, description: str, rows: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one row per (label, value), in the given order."""
    label_width, value_width, row_height, bar_height = 210, 48, 26, 18
    bar_space = WIDTH - label_width - value_width
    top = 4
    height = top * 2 + row_height * max(len(rows), 1)
    largest = max((value for _, value in rows), default=0) or 1
    parts = _open(chart_id, title, description, height)
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        middle = y + row_height / 2
        length = bar_space * value / largest
        parts.append(
            f'<text x="{label_width - 8}" y="{_number(middle)}" text-anchor="end" '
            f'dominant-baseline="middle" fill="currentColor">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{_number(y + (row_height - bar_height) / 2)}" '
            f'width="{_number(length)}" height="{bar_height}" fill="currentColor" fill-opacity="0.75"/>'
        )
        parts.append(
            f'<text x="{_number(label_width + length + 6)}" y="{_number(middle)}" '
            f'dominant-baseline="middle" fill="currentColor">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def month_chart(chart_id: str, title: str, description: str, months: Sequence[MonthFigures]) -> Markup:
    """Two bars per month (new: solid, changed: light), with a legend and a few month labels."""
    left, right, top, plot_height, bottom = 40, 8, 32, 180, 28
    height = top + plot_height + bottom
    largest = max((max(m.new, m.changed) for m in months), default=0) or 1
    slot = (WIDTH - left - right) / max(len(months), 1)
    bar = max(min(slot * 0.4, 24), 1)
    base = top + plot_height
    parts = _open(chart_id, title, description, height)
    # legend
    parts.append('<rect x="40" y="6" width="14" height="14" fill="currentColor" fill-opacity="0.85"/>')
    parts.append('<text x="60" y="13" dominant-baseline="middle" fill="currentColor">nieuw</text>')
    parts.append('<rect x="130" y="6" width="14" height="14" fill="currentColor" fill-opacity="0.35"/>')
    parts.append('<text x="150" y="13" dominant-baseline="middle" fill="currentColor">gewijzigd</text>')
    # axis with the largest value, so the bars have a scale
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - right}" y2="{base}" stroke="currentColor" stroke-width="1"/>'
    )
    parts.append(f'<text x="{left - 6}" y="{top}" text-anchor="end" dominant-baseline="middle" fill="currentColor">{largest}</text>')
    parts.append(f'<text x="{left - 6}" y="{base}" text-anchor="end" dominant-baseline="middle" fill="currentColor">0</text>')
    label_every = max(1, -(-len(months) // 6))  # at most about six month labels
    for index, month in enumerate(months):
        x = left + index * slot + (slot - 2 * bar) / 2
        for offset, value, opacity, word in ((0, month.new, "0.85", "nieuw"), (bar, month.changed, "0.35", "gewijzigd")):
            bar_height = plot_height * value / largest
            parts.append(
                f'<rect x="{_number(x + offset)}" y="{_number(base - bar_height)}" width="{_number(bar)}" '
                f'height="{_number(bar_height)}" fill="currentColor" fill-opacity="{opacity}">'
                f"<title>{escape(month_nl(month.month))}: {value} {word}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{_number(x + bar)}" y="{base + 18}" text-anchor="middle" fill="currentColor">'
                f"{escape(month_short_nl(month.month))}</text>"
            )
    parts.append("</svg>")
    return Markup("\n".join(parts))
