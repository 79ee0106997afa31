"""The sanitiser keeps the text after an element left open: an unclosed ``<style>``, ``<math>``
and their kind no longer take the rest of a description with them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from testkit import TEST_DATE, make_site

from wijknet.build import build_site
from wijknet.engine.markup import (
    ENDLESS_ELEMENTS,
    FOREIGN_CHILDREN,
    FOREIGN_ROOTS,
    RAW_TEXT_ELEMENTS,
    escape_unclosed,
    render_markdown,
)
from wijknet.project import Project

EVERY_ELEMENT = RAW_TEXT_ELEMENTS + ENDLESS_ELEMENTS + FOREIGN_ROOTS + FOREIGN_CHILDREN + ("template",)
NAMED = ("style", "math", "script", "svg", "template", "textarea", "title", "noscript", "iframe", "plaintext")


def visible_text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


LAYOUTS = (
    "Voor <{name}> na *nadruk*\n\nTweede alinea.",  # inline, in a paragraph
    "Voor <{name} class=\"x\"> na\n\n- Tweede alinea.",
    "Voor\n\n<{name}>\nna\n\nTweede alinea.",  # a block of raw HTML
    "Voor <{name_upper}> na\n\nTweede alinea.",
)
CASES = [(name, LAYOUTS[0]) for name in EVERY_ELEMENT] + [(name, layout) for name in NAMED for layout in LAYOUTS[1:]]


@pytest.mark.parametrize(("name", "layout"), CASES)
def test_the_text_after_an_element_left_open_is_kept(name, layout):
    text = layout.format(name=name, name_upper=name.upper())
    shown = visible_text(str(render_markdown(text)))
    assert "Voor" in shown and "Tweede alinea." in shown, shown
    assert f"<{name}".lower() in shown.lower(), shown  # the tag itself, as text
    assert " na" in shown.replace(">", "> "), shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Begin <style> body{} en de rest", "<p>Begin &lt;style&gt; body{} en de rest</p>"),
        ("Begin <math> x en de rest", "<p>Begin &lt;math&gt; x en de rest</p>"),
        ("A <script>alert(1) rest", "<p>A &lt;script&gt;alert(1) rest</p>"),
        ("Voor <svg><desc> na", "<p>Voor &lt;svg&gt;&lt;desc&gt; na</p>"),  # inside an open svg too
        ("A <svg onload=alert(1)> rest", "<p>A &lt;svg onload=alert(1)&gt; rest</p>"),
        ("A <style>x</style> rest <style> b", "<p>A  rest &lt;style&gt; b</p>"),  # only the open one
        ("A <textarea> <script> rest", "<p>A &lt;textarea&gt; &lt;script&gt; rest</p>"),
        ("Een `<style>` in code en <b>vet", "<p>Een <code>&lt;style&gt;</code> in code en <b>vet</b></p>"),
    ],
)
def test_an_open_start_tag_becomes_escaped_text(text, expected):
    assert str(render_markdown(text)) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<p>A <style>x</style> rest</p>",
        "<p>A <STYLE>x</style > rest</p>",
        "<p>A <script>alert(1)</script> rest</p>",
        "<p>A <math><mi>x</mi><style>y</math> rest</p>",  # what is inside a closed math stays
        "<p>A <svg><desc> na</svg> rest</p>",
        "<p>A <svg><circle/></svg> rest</p>",
        "<p>A <template><p>x</p></template> rest</p>",
        "<p>A <textarea><svg></textarea> rest</p>",  # no tag inside raw text counts
        "<p>A <mi>x</mi> rest</p>",
        "<p>A <code>&lt;style&gt;</code> rest</p>",
    ],
)
def test_closed_elements_are_left_to_the_sanitiser(html):
    assert escape_unclosed(html) == html


def test_the_entry_page_keeps_the_text_after_an_open_tag(tmp_path):
    """The real build: the description on the entry page keeps every paragraph."""
    description = (
        "We koken samen <style> en eten daarna samen.\n\n"
        "Formules als <math> a+b zijn welkom.\n\n"
        "Iedereen is welkom, ook zonder aanmelding."
    )
    entry = (
        "---\ntitel: Samen koken\nsoort: initiatief\n"
        "samenvatting: Elke week samen koken en eten met buren uit de wijk.\n"
        "themas: [ontmoeting]\nwerkgebied: [dapperbuurt]\ncontact:\n  email: koken@buurt.example\n"
        f"gecontroleerd: {TEST_DATE.isoformat()}\n---\n{description}\n"
    )
    root = make_site(tmp_path / "site", entries={"samen-koken": entry})
    build_site(Project.at(root), root / "output", TEST_DATE)
    page = BeautifulSoup((root / "output/initiatieven/samen-koken/index.html").read_text(encoding="utf-8"), "html.parser")
    prose = page.select_one("main .prose")
    assert [" ".join(p.get_text().split()) for p in prose.select("p")] == [
        "We koken samen <style> en eten daarna samen.",
        "Formules als <math> a+b zijn welkom.",
        "Iedereen is welkom, ook zonder aanmelding.",
    ]
    assert prose.select("style, math") == []
