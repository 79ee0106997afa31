"""The Dutch analysis of question and entry texts: the search room's, so a question and the
search index always see the same terms.

:class:`wijknet.dutch.analysis.DutchAnalysis` reads the Dutch word characters and stop words
from the installed ``lunr-languages`` and stems like ``stemmer-nl``; this module only turns it
into the callable matching uses (text → stemmed terms) and keeps the word each term came from
for the explanations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from wijknet.dutch.analysis import DutchAnalysis

Analyze = Callable[[str], list[str]]


class TermAnalyzer:
    """Text → Dutch search terms (normalised, no stop words, stemmed)."""

    def __init__(self, analysis: DutchAnalysis):
        self.analysis = analysis

    def words(self, text: str) -> list[str]:
        """The normalised words without stop words, before stemming."""
        return self.analysis.words(text)

    def stem(self, word: str) -> str:
        return self.analysis.stem(word)

    def __call__(self, text: str) -> list[str]:
        return [self.analysis.stem(word) for word in self.analysis.words(text)]


def dutch_analyzer(node_modules: Path | None = None) -> TermAnalyzer:
    """The search pipeline's Dutch analysis (reads ``lunr-languages`` from ``node_modules``)."""
    return TermAnalyzer(DutchAnalysis.from_node_modules(node_modules))


def term_words(analyze: Analyze, text: str) -> dict[str, str]:
    """Each term of ``text`` with the first word it came from (for explanations); ``analyze``
    is a :class:`TermAnalyzer` or wraps one (it needs ``words`` and ``stem``)."""
    result: dict[str, str] = {}
    for word in analyze.words(text):
        result.setdefault(analyze.stem(word), word)
    return result
