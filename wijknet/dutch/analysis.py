"""Dutch text analysis shared by the index build and the query side.

The browser (``lunr.nl.js``) and the build must cut and stem words the same way, so the
stop words and word characters are read from the installed ``lunr-languages`` package
instead of being kept in a second list here. ``normalize`` is mirrored by
``normalize`` in ``theme/static/js/search.js``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

LUNR_NL_FILE = Path("lunr-languages") / "lunr.nl.js"
TRIMMER = "trimmer-nl"
STOP_WORD_FILTER = "stopWordFilter-nl"
STEMMER = "stemmer-nl"

_WORD_CHARACTERS = re.compile(r'lunr\.nl\.wordCharacters\s*=\s*"((?:[^"\\]|\\.)*)"')
_STOP_WORDS = re.compile(r"lunr\.nl\.stopWordFilter\s*=\s*lunr\.generateStopWordFilter\(\s*'([^']*)'")
_JS_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})")
# The combining marks removed after NFD; the browser strips exactly this range too.
_COMBINING = re.compile("[\u0300-\u036f]")


class SearchAssetsError(RuntimeError):
    """The browser search libraries are missing or not what the build expects."""


def find_node_modules(start: Path | None = None) -> Path:
    """The ``node_modules`` folder: ``$WIJKNET_NODE_MODULES``, else the nearest one above
    the working folder or above this package (an editable install lives in the repo)."""
    override = os.environ.get("WIJKNET_NODE_MODULES")
    if override:
        return Path(override)
    for base in (start or Path.cwd(), Path(__file__).resolve().parent):
        for folder in (base, *base.parents):
            candidate = folder / "node_modules"
            if (candidate / LUNR_NL_FILE).is_file():
                return candidate
    return (start or Path.cwd()) / "node_modules"


def _unescape_js(text: str) -> str:
    return _JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def nltk_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nltk")
    except PackageNotFoundError:
        return "?"


def stems_namespace(cache) -> dict[str, str]:
    """The stems remembered in the build ``cache`` (a :class:`~wijknet.engine.cache.BuildCache`)
    for this version of nltk; a dict this process adds to."""
    return cache.live_dict("stems", f"nltk {nltk_version()}")


@dataclass(frozen=True)
class DutchAnalysis:
    """Word characters, stop words and the stemmer of the Dutch search pipeline.

    ``stems`` holds the stem of every word met so far: the stemmer is a pure function of the
    word, and with the stems of earlier builds (:func:`stems_namespace`) an edit that brings
    no new word never loads the stemmer (nltk's import alone takes a noticeable while)."""

    word_characters: str  # a regex character-class body, as in lunr.nl.js, plus digits
    stop_words: frozenset[str]
    source: str = ""
    stems: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def remember_stems(self, stems: dict[str, str]) -> None:
        """Use (and fill) ``stems`` from now on, with the stems known so far added to it."""
        for word, stem in self.stems.items():
            stems.setdefault(word, stem)
        object.__setattr__(self, "stems", stems)

    @classmethod
    def from_node_modules(cls, node_modules: Path | None = None) -> "DutchAnalysis":
        """Read the Dutch word characters and stop words from ``lunr.nl.js``."""
        folder = Path(node_modules) if node_modules else find_node_modules()
        path = folder / LUNR_NL_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise SearchAssetsError(
                f"{path} ontbreekt: de zoekfunctie heeft lunr-languages nodig. Voer eerst `make install` uit."
            ) from None
        chars = _WORD_CHARACTERS.search(text)
        words = _STOP_WORDS.search(text)
        if not chars or not words:
            raise SearchAssetsError(
                f"{path} heeft niet de verwachte vorm (woordtekens en stopwoorden niet gevonden); "
                "voer `make install` opnieuw uit met de versie uit package-lock.json."
            )
        stop_words = frozenset(word for word in words.group(1).split(" ") if word)
        return cls(word_characters=_unescape_js(chars.group(1)) + "0-9", stop_words=stop_words, source=str(path))

    @cached_property
    def _non_word(self) -> re.Pattern[str]:
        return re.compile(f"[^{self.word_characters}]+")

    @cached_property
    def _trim(self) -> re.Pattern[str]:
        return re.compile(f"^[^{self.word_characters}]*([{self.word_characters}]+)[^{self.word_characters}]*$")

    @cached_property
    def stemmer(self):
        # nltk's Dutch Snowball stemmer needs no downloaded data (unlike its stop words).
        from nltk.stem.snowball import DutchStemmer

        return DutchStemmer()

    def normalize(self, text: str) -> str:
        """Lower case, no diacritics, only word characters and single spaces.

        "Taalcafé (Noord)!" → "taalcafe noord". Applied to indexed text and queries alike.
        """
        decomposed = _COMBINING.sub("", unicodedata.normalize("NFD", text))
        return self._non_word.sub(" ", decomposed.lower()).strip()

    def words(self, text: str) -> list[str]:
        """The normalised words of ``text`` without stop words."""
        return [word for word in self.normalize(text).split() if word not in self.stop_words]

    def stem(self, word: str) -> str:
        known = self.stems.get(word)
        if known is None:
            known = self.stems[word] = self.stemmer.stem(word)
        return known

    # --- lunr pipeline functions ---------------------------------------------------------

    def pipeline_functions(self) -> dict[str, object]:
        """The three pipeline functions, labelled as lunr.js + lunr.nl.js label them."""
        trim = self._trim
        stop_words = self.stop_words
        stem = self.stem

        def trimmer_nl(token, i=None, tokens=None):
            def trim_string(text, metadata=None):
                match = trim.match(text)
                return match.group(1) if match else text

            return token.update(trim_string)

        def stop_word_filter_nl(token, i=None, tokens=None):
            if token and str(token) not in stop_words:
                return token
            return None

        def stemmer_nl(token, i=None, tokens=None):
            return token.update(lambda text, metadata=None: stem(text))

        return {TRIMMER: trimmer_nl, STOP_WORD_FILTER: stop_word_filter_nl, STEMMER: stemmer_nl}

    @cached_property
    def _functions(self) -> dict[str, object]:
        # Made once, so every register() hands lunr the same function objects.
        return self.pipeline_functions()

    def register(self) -> dict[str, object]:
        """Register the pipeline functions with lunr.py (its registry is global: lunr's
        design) and return them; needed before building or loading a Dutch index."""
        from lunr.pipeline import (
            Pipeline,  # here, not at import: lunr loads nltk (0.3 s)
        )

        functions = self._functions
        for label, function in functions.items():
            if Pipeline.registered_functions.get(label) is not function:
                function.label = label
                Pipeline.registered_functions[label] = function
        return functions
