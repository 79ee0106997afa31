"""The security headers every HTTP answer of ours carries: the site under ``wijknet serve``
and the submission service, alike.

The Content-Security-Policy header is the pages' own meta CSP (the same function makes
both) plus what only a header can say: ``frame-ancestors 'none'``, so no other site can
frame the forms. ``docs/deploy.md`` gives the same headers for nginx; a test holds the
three to one another.
"""

from __future__ import annotations

from wijknet.engine.format import content_security_policy
from wijknet.settings import SiteSettings, submissions_url

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


class SecurityHeaders:
    """ASGI middleware: adds the headers to every HTTP answer that does not set them itself."""

    def __init__(self, app, headers: dict[str, str]):
        self.app = app
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
