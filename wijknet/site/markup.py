"""Markdown descriptions → safe HTML.

Descriptions are untrusted. They are rendered with Python-Markdown and then cleaned with an
allowlist (nh3, the ammonia sanitiser): only text-level and block tags that a description
needs survive; scripts, event handlers, styles, forms, iframes, images and every URL scheme
other than http, https, mailto and tel are removed. Links get ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
        "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift_headings(html: str, top: int) -> str:
    """Move a description's headings so its highest one is ``h{top}`` (the page's order holds)."""
    levels = [int(match.group(2)) for match in _HEADING.finditer(html)]
    if not levels:
        return html
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{max(1, min(6, int(m.group(2)) + shift))}>", html)


def sanitize_html(html: str) -> str:
    """Clean HTML with the allowlist; the result is safe to embed in a page."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists"], output_format="html")


def render_markdown(text: str | None, top_heading: int = 3) -> Markup:
    """Render untrusted Markdown to sanitised HTML (marked safe for Jinja)."""
    if not text:
        return Markup("")
    return Markup(_shift_headings(sanitize_html(_converter().convert(text)), top_heading))


def markdown_renderer() -> Callable[..., Markup]:
    """:func:`render_markdown` with one converter reused (reset) for every text: setting up
    a converter costs about as much as converting a description. For one build in one
    thread (a converter is not safe to share between threads); same output."""
    converter = _converter()

    def render(text: str | None, top_heading: int = 3) -> Markup:
        if not text:
            return Markup("")
        return Markup(_shift_headings(sanitize_html(converter.reset().convert(text)), top_heading))

    return render
