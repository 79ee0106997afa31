"""Form tokens: the service's signed word for when it handed out a form.

The minimum fill time (anti-spam) needs the moment a form was shown, and a time the client
sends can be forged or left out. So the service hands out the moment itself: a token of
the issue time (milliseconds since the epoch) and a random nonce, signed with HMAC-SHA256
and a secret only the service knows::

    1.<issued ms>.<nonce>.<signature>

A post is taken only with a token the service signed that is at least the minimum fill time
old and younger than its maximum age. The service's own form pages carry one; the static
form page and API clients get one from ``GET /api/inzendingen/token``.

A token is not single-use: a form sent again after a validation error keeps its token, and
a correction sent twice is the same submission anyway (the spool's dedupe key). What one
token can do is bounded by its age and by the rate limit per client.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from wijknet.submissions.settings import MIN_SECRET_LENGTH

VERSION = "1"
SECRET_FILE = "form-token.key"
MAX_TOKEN_LENGTH = 200

_TOKEN = re.compile(r"1\.([0-9]{1,16})\.([A-Za-z0-9_-]{8,64})\.([0-9a-f]{64})")

MESSAGES = {
    "token_missing": "Deze inzending heeft geen formuliercode (token). Laad het formulier opnieuw en verstuur het nog een keer.",
    "token_invalid": "De formuliercode (token) van deze inzending klopt niet. Laad het formulier opnieuw en verstuur het nog een keer.",
    "token_expired": "Het formulier stond te lang open. Verstuur het nog een keer.",
    "too_fast": "Het formulier is te snel verstuurd. Neem rustig de tijd en verstuur het opnieuw.",
    "send_again": "Bijna klaar. Kijk je gegevens nog even na en klik dan nog een keer op de knop om te versturen.",
}
"""What a person reads when a token is refused; ``send_again`` goes above the form that a
browser without JavaScript gets back, with a token, after posting the static form."""


class SecretError(ValueError):
    """The secret that signs the tokens cannot be read or made."""


@dataclass(frozen=True)
class TokenProblem:
    """Why a token was refused (a code of :data:`MESSAGES`); ``retry_after``: seconds until a
    token that is too young can be used."""

    code: str
    retry_after: int | None = None

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


class FormTokens:
    """Issues and checks form tokens with one secret and one clock (seconds since the epoch)."""

    def __init__(self, secret: bytes, min_seconds: float, max_seconds: float, clock: Callable[[], float]):
        if len(secret) < MIN_SECRET_LENGTH:
            raise SecretError(f"the form token secret needs at least {MIN_SECRET_LENGTH} characters")
        self._secret = secret
        self.min_seconds, self.max_seconds, self.clock = min_seconds, max_seconds, clock

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).hexdigest()

    def issue(self) -> str:
        """A new token, issued now."""
        payload = f"{VERSION}.{int(self.clock() * 1000)}.{secrets.token_urlsafe(12)}"
        return f"{payload}.{self._sign(payload)}"

    def check(self, token: object) -> TokenProblem | None:
        """``None`` when ``token`` may be used now, else why not."""
        if token is None or (isinstance(token, str) and not token.strip()):
            return TokenProblem("token_missing")
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            return TokenProblem("token_invalid")
        match = _TOKEN.fullmatch(token.strip())
        if match is None:
            return TokenProblem("token_invalid")
        payload = token.strip().rsplit(".", 1)[0]
        if not hmac.compare_digest(self._sign(payload), match.group(3)):
            return TokenProblem("token_invalid")
        age = self.clock() - int(match.group(1)) / 1000
        if age < self.min_seconds:
            return TokenProblem("too_fast", retry_after=max(1, math.ceil(self.min_seconds - age)))
        if age > self.max_seconds:
            return TokenProblem("token_expired")
        return None

    def usable(self, token: object) -> bool:
        """Whether ``token`` is one of ours that has not expired (it may still be too young)."""
        problem = self.check(token)
        return problem is None or problem.code == "too_fast"


def load_secret(configured: str, state_dir: Path) -> bytes:
    """The configured secret, else the one kept in ``state_dir`` (made there once, readable
    by the owner only), so tokens stay valid when the service restarts."""
    if configured:
        return configured.encode("utf-8")
    path = state_dir / SECRET_FILE
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            _create_secret(path)
        secret = path.read_bytes().strip()
    except OSError as error:
        raise SecretError(f"cannot read or make the form token secret {path}: {error.strerror or error}") from None
    if len(secret) < MIN_SECRET_LENGTH:
        raise SecretError(f"the form token secret in {path} is too short; delete the file and a new one is made")
    return secret


def _create_secret(path: Path) -> None:
    """Write a new secret to ``path`` unless another process was first; never half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # fails when the file exists: the first secret stays
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
