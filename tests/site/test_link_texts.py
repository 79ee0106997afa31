"""Every link says where it goes: no link on any built page stands on a text such as "hier",
"meer" or "lees meer" alone (WCAG 2.4.4; Lighthouse's SEO audit ``link-text``).

A link whose own text is one of those passes only when ``aria-label`` or
``aria-labelledby`` gives it a name that does say where it goes. Lighthouse itself reads only
the text, so the site's own templates avoid such texts altogether.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

# Lighthouse 12's list (its English and the words a Dutch page shares with it), with the
# Dutch ones that say as little.
NON_DESCRIPTIVE = frozenset(
    {
        # Lighthouse (link-text audit), English
        "click here", "click this", "go", "here", "information", "learn more", "more", "more info",
        "more information", "right here", "read more", "see more", "start", "this",
        # Dutch
        "klik hier", "hier klikken", "klik", "hier", "klik op deze link", "meer", "lees meer", "lees verder",
        "meer info", "meer informatie", "informatie", "info", "link", "deze link", "deze pagina", "deze",
        "dit", "ga", "ga verder", "verder", "bekijk", "bekijk hier", "zie hier", "zie meer", "toon meer",
        "details", "pagina", "volgende", "vorige", "begin", "naar",
    }
)  # fmt: skip

_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


def normalised(text: str) -> str:
    """Lower case, white space collapsed, punctuation and arrows at either end removed."""
    return _EDGES.sub("", " ".join(text.split()).lower())


def link_text(link) -> str:
    """What a link shows: its text, with the ``alt`` of images inside it."""
    parts = [link.get_text(" ")]
    parts += [image.get("alt", "") for image in link.find_all("img")]
    return " ".join(parts)


def label_of(link, soup: BeautifulSoup) -> str:
    """The name ``aria-labelledby`` or ``aria-label`` gives a link ('' without)."""
    ids = (link.get("aria-labelledby") or "").split()
    if ids:
        return " ".join(element.get_text(" ") for element in (soup.find(id=name) for name in ids) if element is not None)
    return link.get("aria-label") or ""


def vague_links(html: str) -> list[str]:
    """The links of a page that do not say where they go, as ``text → href``."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for link in soup.select("a[href]"):
        text, label = normalised(link_text(link)), normalised(label_of(link, soup))
        if label:
            vague = label in NON_DESCRIPTIVE
        else:
            vague = not text or text in NON_DESCRIPTIVE
        if vague:
            found.append(f"{' '.join(link_text(link).split()) or '(geen tekst)'} → {link['href']}")
    return found


@pytest.mark.parametrize("site_name", ["amsterdam_site", "zaanstad_site"])
def test_no_link_on_any_page_stands_on_a_text_that_says_nothing(site_name, request):
    site = request.getfixturevalue(site_name)
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 20
    problems = {}
    for page in pages:
        found = vague_links(page.read_text(encoding="utf-8"))
        if found:
            problems[page.relative_to(site.output).as_posix()] = found
    assert not problems, f"{len(problems)} pagina's met links zonder beschrijvende tekst, bv. " + repr(
        sorted(problems.items())[:5]
    )


@pytest.mark.parametrize(
    "html, vague",
    [
        ('<a href="/x/">Lees meer</a>', True),
        ('<a href="/x/">  KLIK   hier! </a>', True),
        ('<a href="/">Start</a>', True),
        ('<a href="/x/">Meer »</a>', True),
        ('<a href="/x/"><img src="i.png" alt=""></a>', True),
        ('<a href="/x/" aria-label="meer">Lees meer</a>', True),
        ('<a href="/x/" aria-label="Lees meer over het taalcafé">Lees meer</a>', False),
        ('<h2 id="t">Taalcafé Noord</h2><a href="/x/" aria-labelledby="t">meer</a>', False),
        ('<a href="/x/"><img src="i.png" alt="Taalcafé Noord"></a>', False),
        ('<a href="/">Beginpagina</a>', False),
        ('<a href="/x/">Meer over het taalcafé</a>', False),
        ("<a>hier</a>", False),  # no href: not a link
    ],
)
def test_the_rule_itself(html, vague):
    assert bool(vague_links(html)) is vague
