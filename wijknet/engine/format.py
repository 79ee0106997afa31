"""Formatting for people: Dutch dates, language names, phone links and the template
filters and globals every page gets.

Pure functions; :func:`wijknet.engine.templates.make_environment` hands
:func:`template_filters` and :func:`template_globals` to Jinja for every page of every provider.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable
from urllib.parse import urlsplit

from wijknet.content.models import Entry
from wijknet.dutch.dates import DAYS_NL as DAYS
from wijknet.dutch.dates import MONTHS_NL as MONTHS
from wijknet.engine import hooks
from wijknet.engine.cards import entry_card_global
from wijknet.engine.markup import render_markdown
from wijknet.settings import submissions_url

# Dutch names for the languages people in a Dutch city are likely to list. Codes not in
# this table are shown as the code itself, which is still correct, only less friendly.
LANGUAGE_NAMES: dict[str, str] = {
    "am": "Amhaars", "ar": "Arabisch", "bg": "Bulgaars", "bn": "Bengaals", "bs": "Bosnisch",
    "cs": "Tsjechisch", "da": "Deens", "de": "Duits", "el": "Grieks", "en": "Engels",
    "es": "Spaans", "fa": "Perzisch", "fi": "Fins", "fr": "Frans", "fy": "Fries",
    "he": "Hebreeuws", "hi": "Hindi", "hr": "Kroatisch", "hu": "Hongaars", "id": "Indonesisch",
    "it": "Italiaans", "ja": "Japans", "ko": "Koreaans", "ku": "Koerdisch", "lt": "Litouws",
    "lv": "Lets", "nl": "Nederlands", "no": "Noors", "pa": "Punjabi", "pl": "Pools",
    "ps": "Pasjtoe", "pt": "Portugees", "ro": "Roemeens", "ru": "Russisch", "sk": "Slowaaks",
    "so": "Somalisch", "sq": "Albanees", "sr": "Servisch", "sv": "Zweeds", "sw": "Swahili",
    "ta": "Tamil", "th": "Thai", "ti": "Tigrinya", "tl": "Tagalog", "tr": "Turks",
    "uk": "Oekraïens", "ur": "Urdu", "vi": "Vietnamees", "zh": "Chinees",
}  # fmt: skip


def date_nl(value: dt.date | dt.datetime | None, weekday: bool = True) -> str:
    """``donderdag 15 januari 2027``; a date-time adds ``om 19.30 uur``."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, dt.datetime) else value
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if weekday:
        text = f"{DAYS[day.weekday()]} {text}"
    if isinstance(value, dt.datetime):
        text += f" om {time_nl(value)} uur"
    return text


def time_nl(value: dt.datetime) -> str:
    """``19.30``: the Dutch way of writing a time."""
    return f"{value.hour:02d}.{value.minute:02d}"


def when_nl(start: dt.date | dt.datetime, end: dt.date | dt.datetime | None = None) -> str:
    """An activity's date and time in one readable phrase."""
    if end is None:
        return date_nl(start)
    start_day = start.date() if isinstance(start, dt.datetime) else start
    end_day = end.date() if isinstance(end, dt.datetime) else end
    if start_day == end_day and isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return f"{date_nl(start_day)}, {time_nl(start)} tot {time_nl(end)} uur"
    if start_day == end_day:
        return date_nl(start)
    return f"van {date_nl(start)} tot en met {date_nl(end)}"


def iso_moment(value: dt.date | dt.datetime) -> str:
    """Machine-readable date for ``<time datetime>``."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def tel_href(phone: str) -> str:
    """``tel:+31201234567`` from a stored, normalised number such as ``+31 20 123 4567``."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def count_nl(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def origin(url: str) -> str:
    """``https://host:port`` of a URL, or empty."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(submissions_url: str) -> str:
    """The CSP of every page: no inline script, nothing from third parties."""
    submissions = origin(submissions_url)
    extra = f" {submissions}" if submissions else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'{extra}; form-action 'self'{extra} https://github.com; "
        "base-uri 'self'; object-src 'none'"
    )


GITHUB_API = "https://api.github.com"
GITHUB_AVATARS = "https://avatars.githubusercontent.com"


def admin_content_security_policy(local_backend: str) -> str:
    """The CSP of the moderators' desk (``admin/``) only, wider than the site's: Decap CMS
    compiles its configuration checks with ``new Function`` and its WebAssembly
    ('unsafe-eval'), sets styles inline, talks to GitHub's API (and shows the moderator's
    avatar) in production, and to ``decap-server`` at ``local_backend`` on this computer."""
    backend = origin(local_backend)
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob: {GITHUB_AVATARS}; connect-src 'self' {GITHUB_API} {backend}; "
        "form-action 'none'; base-uri 'self'; object-src 'none'"
    )


def entry_state(catalog, entry: Entry) -> str:
    """One word for what people must know first: gestopt, gesloten, afgelopen, gepauzeerd or ''."""
    if entry.status == "gestopt":
        return "gestopt"
    if catalog.is_expired_question(entry):
        return "gesloten"
    if catalog.is_past_activity(entry):
        return "afgelopen"
    if entry.status == "gepauzeerd":
        return "gepauzeerd"
    return ""


def template_filters(catalog) -> dict[str, Callable[..., Any]]:
    """The filters of the theme contract plus a few small helpers."""
    taxonomy = catalog.taxonomy

    def kind_label(kind_id: str, plural: bool = False) -> str:
        term = taxonomy.kinds.by_id.get(kind_id)
        if term is None:
            return kind_id
        return (term.plural or term.label) if plural else term.label

    def term_label(term_id: str, vocabulary: str) -> str:
        return taxonomy.vocabulary(vocabulary).label(term_id)

    return {
        "date_nl": date_nl,
        "when_nl": when_nl,
        "iso_moment": iso_moment,
        "markdown": render_markdown,
        "kind_label": kind_label,
        "term_label": term_label,
        "language_name": language_name,
        "tel_href": tel_href,
        "entry_state": lambda entry: entry_state(catalog, entry),
    }


def page_jsonld_global(build) -> Callable[[str, list], str]:
    """``page_jsonld(page_url, trail)`` for the base template: the first answer of the
    ``page_jsonld`` hook (see :mod:`wijknet.engine.hooks`), ``""`` without one."""
    def page_jsonld(page_url: str, trail: list) -> str:
        pairs = [(str(url), str(label)) for url, label in trail]
        return next((text for text in hooks.call(build, hooks.page_jsonld, build, page_url, pairs) if text), "")

    return page_jsonld


def template_globals(build) -> dict[str, Any]:
    """The global context of the theme contract (``page_url`` is added per page)."""
    catalog = build.catalog
    return {
        "page_jsonld": page_jsonld_global(build),
        "site": catalog.settings,
        "urls": build.urls,
        "taxonomy": catalog.taxonomy,
        "catalog": catalog,
        "today": catalog.today,
        "csp": content_security_policy(submissions_url(catalog.settings)),
        "count_nl": count_nl,
        "entry_card": entry_card_global(build),  # each card rendered once per build
        "menu_extra": list(build.menu_extra),  # links the host adds to the menu (see BuildContext)
    }
