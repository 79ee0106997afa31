"""The plain-paragraph shortcut writes exactly what Python-Markdown and the sanitiser write.

:func:`plain_paragraphs` answers only for text it is sure of and says None otherwise; where it
answers, its HTML must equal :func:`full_markdown` byte for byte. Checked on every sample
description, on generated descriptions and on random text built from the characters that
matter to Markdown and HTML. It must also actually answer for the usual description, or the
build would pay the full price for nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testkit import REPO
from testkit.generated import generate_named_entries

from wijknet.engine.markup import full_markdown, markdown_renderer, plain_paragraphs, render_markdown
from wijknet.safe_yaml import load_bytes, load_path


# Characters Markdown, HTML or the serialiser treat specially, next to ordinary text.
SPECIAL = "*_`\\[]<>&#;!-+=~|:.)(0123456789 \t\r\n\u00a0\u2028\u200b\x00\x02\x03\"'/é"
WORDS = ["Buurt", "koffie", "&", "R&B", "&amp;", "&#39;", "1.", "2)", "-", "*", "#", ">", "    ", "a_b", "`x`",
         "[link](https://x.nl)", "<b>", "https://buurt.nl/a_b", "===", "---", "  ", "\n", "\n\n", "\n\n\n", "ĳ", "Zoë"]  # fmt: skip


def descriptions(folder: Path) -> list[str]:
    return [load_path(path).body for path in sorted(folder.glob("*.md"))]


def check(text: str) -> bool:
    """True when the shortcut answered (and then it must equal the full way)."""
    plain = plain_paragraphs(text)
    if plain is None:
        return False
    assert plain == full_markdown(text), repr(text)
    return True


def test_sample_descriptions_take_the_shortcut_with_the_same_html():
    texts = [text for text in descriptions(REPO / "content" / "initiatieven") if text.strip()]
    answered = sum(check(text) for text in texts)
    assert len(texts) > 700
    assert answered >= 0.95 * len(texts), f"shortcut taken for {answered} of {len(texts)}"


def test_generated_descriptions_take_the_shortcut_with_the_same_html():
    texts = [load_bytes(text.encode()).body for _, text in generate_named_entries(300)]
    texts = [text for text in texts if text.strip()]
    assert sum(check(text) for text in texts) == len(texts)


@pytest.mark.parametrize(
    "text",
    [
        "Eén alinea.",
        "Regel een.\nRegel twee.\n\nAlinea twee.",
        "Veel witregels.\n\n\n\n\nDaarna.\n",
        "Tom & Jerry, R&B en 100% gezellig!",
        "Vragen? Bel 020-1234567 (ma/di).",
        "\n\nBegint met witregels.",
    ],
)
def test_plain_text_is_answered(text):
    assert check(text)


@pytest.mark.parametrize(
    "text",
    [
        "- een lijst",
        "1. genummerd",
        "# kop",
        "> citaat",
        "    code",
        "Tekst\n===",
        "Tekst\n---",
        "*nadruk*",
        "a_b_c",
        "[link](https://x.nl)",
        "<script>alert(1)</script>",
        "&amp; al gecodeerd",
        "&#39;",
        "harde  \nregeleinde",
        "nbsp\u00a0hier",
        "tab\there",
        "r\r\nn",
        "  ",
        "",
    ],
)
def test_markdown_and_doubtful_text_go_the_full_way(text):
    assert plain_paragraphs(text) is None


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPECIAL + "abcXYZ"), max_size=60))
def test_random_characters_never_differ(text):
    check(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["tekst", "Buurthuis", " ", "."]), max_size=25).map(" ".join))
def test_random_word_soup_never_differs(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(SPECIAL + "abcXYZ"), max_size=60))
def test_renderers_agree_with_the_full_way(text):
    expected = full_markdown(text) if text else ""
    assert str(render_markdown(text)) == expected
    assert str(markdown_renderer()(text)) == expected
