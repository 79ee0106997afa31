"""Vraag en aanbod: match open questions with the initiatives, services and activities that
can answer them.

- :mod:`wijknet.matching.core`: the ranking (weights, parts, explanations), pure and
  deterministic, reading a Catalog;
- :mod:`wijknet.matching.text`: the Dutch analysis of question and entry texts;
- :mod:`wijknet.matching.pages`: the ``vragen`` page, ``data/matches.json`` and the question
  feeds per stadsdeel;
- :mod:`wijknet.matching.sections`: the sections on question and entry pages.
"""

from wijknet.matching.core import Match, Matches, MatchIndex, match_catalog, open_questions

__all__ = ["Match", "Matches", "MatchIndex", "match_catalog", "open_questions"]
