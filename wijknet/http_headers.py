"""The security headers every HTTP answer of ours carries: the site under ``wijknet serve``
and the submission service, alike.

The Content-Security-Policy header is the pages' own meta CSP (the same function makes
both) plus what only a header can say: ``frame-ancestors 'none'``, so no other site can
frame the forms. The moderators' desk (``admin/``) has a CSP of its own, wider than the
site's (:func:`admin_security_headers`); every other path keeps the site's.
``docs/deploy.md`` gives the same headers for nginx; a test holds the three to one another.
"""

from __future__ import annotations

from wijknet.engine.format import admin_content_security_policy, content_security_policy
from wijknet.settings import SiteSettings, local_backend_url, submissions_url

ADMIN_PREFIX = "/admin/"
"""Where the moderators' desk lives on the site."""

REFERRER_POLICY = "same-origin"
"""Other sites never learn which page of ours a visitor came from; our own service does
(its "back to the form" link)."""

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
"""Nothing on the site needs these browser features."""


def security_headers(settings: SiteSettings) -> dict[str, str]:
    """The headers, by name, for a site with these settings."""
    return {
        "Content-Security-Policy": content_security_policy(submissions_url(settings)) + "; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": REFERRER_POLICY,
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


def admin_security_headers(settings: SiteSettings) -> dict[str, str]:
    """The headers of the moderators' desk (``admin/``): the same, with the desk's own CSP."""
    return {
        **security_headers(settings),
        "Content-Security-Policy": admin_content_security_policy(local_backend_url()) + "; frame-ancestors 'none'",
    }


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP answer that does not set them itself;
    a path under a prefix of ``by_prefix`` gets that prefix's headers instead."""

    def __init__(self, app, headers: dict[str, str], by_prefix: dict[str, dict[str, str]] | None = None):
        self.app = app
        self.headers = _encoded(headers)
        self.by_prefix = [(prefix, _encoded(chosen)) for prefix, chosen in (by_prefix or {}).items()]

    def _headers_for(self, path: str) -> list[tuple[bytes, bytes]]:
        for prefix, chosen in self.by_prefix:
            if path.startswith(prefix):
                return chosen
        return self.headers

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self._headers_for(scope.get("path", ""))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
