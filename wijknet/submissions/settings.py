"""Settings of the submission service, read from the environment (secrets included)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from wijknet.project import current_time

MAX_BODY_BYTES = 64 * 1024
MIN_SECRET_LENGTH = 32


class ServiceConfigError(ValueError):
    """A setting in the environment has a value the service cannot use."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "ja", "on")


def parse_rate_limit(value: str, name: str = "WIJKNET_RATE_LIMIT") -> tuple[int, float]:
    """``"10/3600"`` -> (10, 3600.0): at most N requests per SECONDS per client."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", value or "")
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise ServiceConfigError(f"{name} must look like N/SECONDS, not {value!r}")
    return int(match.group(1)), float(match.group(2))


def origin_of(url: str) -> str:
    """``https://site.example/pad/`` -> ``https://site.example``."""
    match = re.match(r"^(https?://[^/\s]+)", url.strip())
    return match.group(1).lower() if match else ""


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the service needs; build one with :meth:`from_env` or directly in tests."""

    repo: Path
    forge: str = "local"
    spool_path: Path | None = None
    base_branch: str | None = None  # None: the site settings' branch
    github_repository: str = ""
    github_token: str = ""
    github_api_url: str = "https://api.github.com"
    rate_limit: tuple[int, float] = (10, 3600.0)
    page_rate_limit: tuple[int, float] = (60, 60.0)  # correction forms shown per client
    allowed_origins: tuple[str, ...] = ()
    min_fill_seconds: float = 3.0  # a form token is usable this long after it was issued
    form_token_max_seconds: float = 12 * 3600.0  # ... and until this long after
    form_secret: str = field(default="", repr=False)  # empty: kept in the state folder
    # A post without a form token: refused when True; when False (the contract's default) it
    # is taken as before, and only a token that is sent is checked (forged, too young, expired).
    require_form_token: bool = False
    max_body_bytes: int = MAX_BODY_BYTES
    contact_in_pr: bool = False
    publish_workers: int = 2
    publish_batch: int = 20  # rows a worker publishes together
    retry_base_seconds: float = 2.0
    retry_max_seconds: float = 600.0
    max_attempts: int = 12
    today: dt.date | None = None  # fixed "today" for tests; None: the city's current date
    author_name: str = "Wijknet inzendingen"
    author_email: str = "inzendingen@wijknet.invalid"
    clock: Callable[[], float] = field(default=current_time, repr=False, compare=False)  # seconds since the epoch

    @property
    def spool(self) -> Path:
        return self.spool_path or self.repo / ".submissions" / "spool.sqlite3"

    @property
    def state_dir(self) -> Path:
        """The service's own files (the spool, the form token secret); never committed."""
        return self.spool.parent

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ServiceSettings":
        """Read ``WIJKNET_*``, ``GITHUB_*`` and ``SUBMISSIONS_*`` variables."""
        env = os.environ if environ is None else environ
        repo = Path(env.get("WIJKNET_REPO") or ".").resolve()
        forge = (env.get("WIJKNET_FORGE") or "local").strip().lower()
        if forge not in ("local", "github"):
            raise ServiceConfigError(f"WIJKNET_FORGE must be 'local' or 'github', not {forge!r}")
        origins = tuple(
            origin_of(item) for item in re.split(r"[,\s]+", env.get("WIJKNET_ALLOWED_ORIGINS", "")) if origin_of(item)
        )
        secret = env.get("WIJKNET_FORM_SECRET", "").strip()
        if secret and len(secret) < MIN_SECRET_LENGTH:
            raise ServiceConfigError(
                f"WIJKNET_FORM_SECRET needs at least {MIN_SECRET_LENGTH} characters "
                "(make one with: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        try:
            max_hours = float(env.get("WIJKNET_FORM_MAX_HOURS") or 12)
        except ValueError:
            max_hours = 0.0
        if not 0 < max_hours < 10_000:
            raise ServiceConfigError("WIJKNET_FORM_MAX_HOURS must be a number of hours above 0")
        today = None
        if env.get("WIJKNET_DATE"):
            try:
                today = dt.date.fromisoformat(env["WIJKNET_DATE"])
            except ValueError:
                raise ServiceConfigError("WIJKNET_DATE must be YYYY-MM-DD") from None
        settings = cls(
            repo=repo,
            forge=forge,
            spool_path=Path(env["WIJKNET_SPOOL"]).resolve() if env.get("WIJKNET_SPOOL") else None,
            base_branch=env.get("WIJKNET_BRANCH") or None,
            github_repository=env.get("GITHUB_REPOSITORY", ""),
            github_token=env.get("GITHUB_TOKEN", ""),
            github_api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
            rate_limit=parse_rate_limit(env.get("WIJKNET_RATE_LIMIT") or "10/3600"),
            page_rate_limit=parse_rate_limit(env.get("WIJKNET_PAGE_RATE_LIMIT") or "60/60", "WIJKNET_PAGE_RATE_LIMIT"),
            allowed_origins=origins,
            min_fill_seconds=float(env.get("WIJKNET_MIN_FILL_SECONDS") or 3),
            form_token_max_seconds=max_hours * 3600,
            form_secret=secret,
            require_form_token=_flag(env.get("WIJKNET_REQUIRE_FORM_TOKEN")),
            contact_in_pr=_flag(env.get("WIJKNET_CONTACT_IN_PR")),
            publish_workers=max(1, int(env.get("WIJKNET_PUBLISH_WORKERS") or 2)),
            publish_batch=max(1, int(env.get("WIJKNET_PUBLISH_BATCH") or 20)),
            retry_base_seconds=float(env.get("WIJKNET_RETRY_BASE_SECONDS") or 2),
            today=today,
        )
        if forge == "github" and not (settings.github_repository and settings.github_token):
            raise ServiceConfigError("the github forge needs GITHUB_REPOSITORY and GITHUB_TOKEN")
        return settings
