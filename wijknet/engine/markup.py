"""Markdown descriptions → safe HTML.

Descriptions are untrusted. They are rendered with Python-Markdown and then cleaned with an
allowlist (nh3, the ammonia sanitiser): only text-level and block tags that a description
needs survive; scripts, event handlers, styles, forms, iframes, images and every URL scheme
other than http, https, mailto and tel are removed. Links get ``rel="noopener noreferrer"``.
A start tag left open that would take the rest of the text with it (``<style>``, ``<math>``,
``<script>`` without an end tag) is shown as text, and the text after it stays.

Most descriptions are plain paragraphs: no Markdown syntax at all (775 of the 783 sample
entries). For those, :func:`plain_paragraphs` writes the HTML directly, byte for byte what
Python-Markdown and the sanitiser would make (a differential test holds it to that), at a
fraction of the cost; anything it is not sure of goes the full way.
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

# Elements that, left open, take text after them with them. The parser reads everything
# after a raw text element's start tag as its text, up to its end tag (the sanitiser drops
# or escapes it); nothing ends ``plaintext``; the sanitiser removes template content and
# what stands in an SVG or MathML element it does not know as HTML. Left open, their start
# tag is written as text instead (:func:`escape_unclosed`).
RAW_TEXT_ELEMENTS = ("iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp")
ENDLESS_ELEMENTS = ("plaintext",)
FOREIGN_ROOTS = ("math", "svg")
FOREIGN_CHILDREN = (
    # SVG
    "animate", "animatemotion", "animatetransform", "circle", "clippath", "defs", "desc", "discard",
    "ellipse", "filter", "foreignobject", "g", "line", "lineargradient", "marker", "mask", "metadata",
    "mpath", "path", "pattern", "polygon", "polyline", "radialgradient", "rect", "set", "stop",
    "switch", "symbol", "text", "textpath", "tspan", "use", "view",
    # MathML
    "annotation", "annotation-xml", "maction", "maligngroup", "malignmark", "menclose", "merror",
    "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn", "mo",
    "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mscarries", "mscarry",
    "msgroup", "msline", "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub", "msubsup", "msup",
    "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics",
)  # fmt: skip
_NESTING = frozenset(FOREIGN_ROOTS + FOREIGN_CHILDREN + ("template",))
_SWALLOWING_TAG = re.compile(
    r"<(/?)(" + "|".join(sorted(RAW_TEXT_ELEMENTS + ENDLESS_ELEMENTS + tuple(_NESTING), key=len, reverse=True)) + r")(?=[\s/>])",
    re.IGNORECASE,
)

# Plain text: no character Markdown or HTML gives a meaning inline (emphasis, code, links,
# escapes, raw HTML), no control or special space characters (the serialiser writes U+00A0
# as &nbsp;), no character reference, and per line nothing a block could start with (lists,
# headings, quotes, rules, setext underlines, indented code) and no space at either end.
_PLAIN_TEXT = re.compile(r"[^*_`\\\[\]<>\x00-\x09\x0b-\x1f\x7f-\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]*")
_ENTITY_LIKE = re.compile(r"&(?:#|[A-Za-z0-9]+;)")
_NOT_PLAIN_LINE = re.compile(r"(?m)^(?: |[-+#>=~|:]|\d+[.)])| $")
_BLANK_LINES = re.compile(r"\n{2,}")


def _shift_headings(html: str, top: int) -> str:
    """Move a description's headings so its highest one is ``h{top}`` (the page's order holds)."""
    levels = [int(match.group(2)) for match in _HEADING.finditer(html)]
    if not levels:
        return html
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{max(1, min(6, int(m.group(2)) + shift))}>", html)


def _unclosed_starts(html: str) -> list[int]:
    """Where the start tags of elements left open begin (see ``RAW_TEXT_ELEMENTS``)."""
    found: list[int] = []
    open_elements: list[tuple[str, int]] = []  # nesting elements not closed yet
    position = 0
    while (match := _SWALLOWING_TAG.search(html, position)) is not None:
        closing, name = match.group(1) == "/", match.group(2).lower()
        position = match.end()
        in_foreign = any(open_name in FOREIGN_ROOTS for open_name, _ in open_elements)
        if name in _NESTING and not (in_foreign and name in FOREIGN_CHILDREN):
            if not closing:
                open_elements.append((name, match.start()))
                continue
            for index in range(len(open_elements) - 1, -1, -1):
                if open_elements[index][0] == name:
                    del open_elements[index:]  # an end tag closes what is open inside it too
                    break
        elif closing or in_foreign:
            continue  # inside a closed SVG or MathML element the sanitiser decides
        elif name in RAW_TEXT_ELEMENTS:
            end = re.compile(rf"</{name}(?=[\s/>])", re.IGNORECASE).search(html, position)
            if end is None:
                found.append(match.start())
            else:
                position = end.end()  # no tag inside raw text counts
        else:
            found.append(match.start())
    return found + [start for _, start in open_elements]


def escape_unclosed(html: str) -> str:
    """``html`` with the start tag of every element left open that would take text after it
    with it written as text (``&lt;style&gt;``), so that text stays. Closed elements are left
    to the sanitiser. Repeated until nothing is left open: once an SVG or MathML start tag is
    text, what stood inside it is read as HTML."""
    while starts := _unclosed_starts(html):
        pieces, last = [], 0
        for start in sorted(starts):
            pieces += [html[last:start], "&lt;"]
            last = start + 1
        html = "".join(pieces) + html[last:]
    return html


def sanitize_html(html: str) -> str:
    """Clean HTML with the allowlist; the result is safe to embed in a page. An element left
    open that would take the text after it with it is shown as text (:func:`escape_unclosed`)."""
    return nh3.clean(
        escape_unclosed(html),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_paragraphs(text: str) -> str | None:
    """The HTML of ``text`` when it is plain paragraphs (see the module docstring), else None."""
    if not _PLAIN_TEXT.fullmatch(text) or ("&" in text and _ENTITY_LIKE.search(text)):
        return None
    text = text.strip("\n")
    if not text or _NOT_PLAIN_LINE.search(text):
        return None
    paragraphs = _BLANK_LINES.split(text)
    return "\n".join(f"<p>{part}</p>" for part in paragraphs).replace("&", "&amp;")


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists"], output_format="html")


def full_markdown(text: str, top_heading: int = 3, converter: markdown.Markdown | None = None) -> str:
    """The full way: Python-Markdown, the sanitiser, headings shifted (``converter`` reused
    when given)."""
    converter = converter.reset() if converter is not None else _converter()
    return _shift_headings(sanitize_html(converter.convert(text)), top_heading)


def render_markdown(text: str | None, top_heading: int = 3, converter: markdown.Markdown | None = None) -> Markup:
    """Render untrusted Markdown to sanitised HTML (marked safe for Jinja); plain paragraphs
    take the shortcut, the rest :func:`full_markdown` (with ``converter`` when given)."""
    if not text:
        return Markup("")
    plain = plain_paragraphs(text)
    return Markup(plain if plain is not None else full_markdown(text, top_heading, converter))


def markdown_renderer() -> Callable[..., Markup]:
    """:func:`render_markdown` with one converter reused (reset) for every text: setting up
    a converter costs about as much as converting a description. For one build in one
    thread (a converter is not safe to share between threads); same output."""
    converter = _converter()
    return lambda text, top_heading=3: render_markdown(text, top_heading, converter)
