"""Problems of a city's setup (settings, the files they name, or a taxonomy that cannot be
loaded) in the shape of content problems, for the command line and the Pelican plugin alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wijknet.settings import DataFileError, SettingsError
from wijknet.taxonomy import TaxonomyError

if TYPE_CHECKING:
    from wijknet.content.validation import Problem


def setup_problems(error: Exception) -> list[Problem]:
    """Problems for settings, their data files or taxonomy that cannot be loaded."""
    from wijknet.content.validation import Problem  # only when there are problems to report

    if isinstance(error, TaxonomyError):
        return [
            Problem(f"taxonomy/{p.file}" if "/" not in p.file else p.file, p.line, p.key, p.code, p.params)
            for p in error.problems
        ]
    if isinstance(error, DataFileError):
        return [Problem(file, line, key, "value_error", {"error": detail}) for file, line, key, detail in error.problems]
    if isinstance(error, SettingsError):
        return [Problem(error.file, error.line, error.key, "value_error", {"error": error.detail})]
    raise error
