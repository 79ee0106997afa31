"""Where a content repository keeps its parts, and loading them in one call."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from wijknet.settings import SiteSettings, load_settings
from wijknet.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from wijknet.content.catalog import LoadResult


@dataclass(frozen=True)
class Project:
    """Paths of one site: content, taxonomy and settings."""

    root: Path
    content: Path
    taxonomy_dir: Path
    settings_path: Path

    @classmethod
    def at(
        cls,
        root: Path | str = ".",
        content: Path | str | None = None,
        taxonomy: Path | str | None = None,
        settings: Path | str | None = None,
    ) -> "Project":
        """Resolve the usual layout under ``root``; explicit paths win.

        ``content`` may be the folder with the entries or a folder laid out like
        ``content/`` (with ``initiatieven/`` inside).
        """
        root = Path(root).resolve()
        content_dir = Path(content).resolve() if content else root / "content"
        if (content_dir / "initiatieven").is_dir() or content_dir.name == "content":
            content_dir = content_dir / "initiatieven"
        return cls(
            root=root,
            content=content_dir,
            taxonomy_dir=Path(taxonomy).resolve() if taxonomy else root / "taxonomy",
            settings_path=Path(settings).resolve() if settings else root / "site.yaml",
        )

    def load_settings(self) -> SiteSettings:
        return load_settings(self.settings_path)

    def load_taxonomy(self) -> Taxonomy:
        return load_taxonomy(self.taxonomy_dir)

    def load(self, today: dt.date) -> LoadResult:
        """Settings, taxonomy and content; raises SettingsError/TaxonomyError for those."""
        settings = self.load_settings()
        taxonomy = self.load_taxonomy()
        from wijknet.content.catalog import load_catalog

        return load_catalog(self.content, taxonomy, settings, today, display_root=Path.cwd())


TODAY_VARIABLE = "WIJKNET_TODAY"
"""An environment variable that sets "today" (YYYY-MM-DD) for every command and the
services, as ``--date`` does for one command: for tests and for previewing a later day."""


def today_in(timezone: str) -> dt.date:
    """The current date in the city's time zone (the only place the clock is read), or the
    date in ``WIJKNET_TODAY`` when that is set."""
    fixed = os.environ.get(TODAY_VARIABLE, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            raise SystemExit(f"{TODAY_VARIABLE}={fixed!r} is geen datum: gebruik JJJJ-MM-DD, bijvoorbeeld 2026-11-23") from None
    return dt.datetime.now(ZoneInfo(timezone)).date()


def current_time() -> float:
    """Seconds since the epoch: the one place the services read the wall clock for a moment
    (form tokens, rate limits). Tests hand a service a clock of their own instead."""
    return time.time()
