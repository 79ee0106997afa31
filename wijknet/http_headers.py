"""The headers every HTTP answer of ours carries: the site under ``wijknet serve`` and the
submission service, alike; and how ``wijknet serve`` caches and compresses.

Security: the Content-Security-Policy header is the pages' own meta CSP (the same function
makes both) plus what only a header can say: ``frame-ancestors 'none'``, so no other site
can frame the forms. The moderators' desk (``admin/``) has a CSP of its own, wider than the
site's (:func:`admin_security_headers`); every other path keeps the site's.

Caching and compression (:class:`ServingHeaders`, in ``wijknet serve``): one function,
:func:`cache_control`, decides the caching of a path. A file whose name carries a content
hash (:data:`HASHED_ASSET_PATTERN`: the theme's and the libraries' hashed copies, the
search shards) never changes, so a browser keeps it a year without asking; everything else
(HTML, feeds, data, plain-named files) is ``no-cache``: kept, but checked with the server
each time (ETag or Last-Modified, a ``304`` when unchanged). Text answers
(:data:`COMPRESSED_TYPES`) are sent gzip-compressed to clients that accept it, with
``Vary: Accept-Encoding``.

``docs/deploy.md`` gives the same headers, the same caching and the same compression for
nginx; tests hold the code and that page to one another.
"""

from __future__ import annotations

import gzip
import hashlib
import re

from wijknet.engine.assets import HASH_DIGITS
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


# --- caching and compression ----------------------------------------------------------------

HASHED_ASSET_PATTERN = (
    f"(?:[.][0-9a-f]{{{HASH_DIGITS}}}[.]|/[0-9a-f]{{{HASH_DIGITS}}}/[^/]+[.])(?:css|js|json)$"
)
"""A path whose file name, or the folder it lies in, carries a content hash:
``static/css/site.1a2b3c4d5e.css``, ``search/t/3.1a2b3c4d5e.json``,
``search/d/1a2b3c4d5e/7.json``. The same regular expression is nginx's ``location`` for
them in ``docs/deploy.md``."""

HASHED_ASSET = re.compile(HASHED_ASSET_PATTERN)

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
"""A year, never revalidated: a new version of the file is a new name."""

CACHE_REVALIDATE = "no-cache"
"""Kept, but checked with the server before each use (ETag / Last-Modified, then ``304``)."""


def cache_control(path: str, status: int = 200) -> str:
    """The ``Cache-Control`` of the answer for ``path``: :data:`CACHE_IMMUTABLE` for a file
    whose name carries a content hash, :data:`CACHE_REVALIDATE` for everything else (HTML,
    feeds, data, plain-named static files) and for every error (a missing hashed file may
    be there after the next build)."""
    return CACHE_IMMUTABLE if status < 400 and HASHED_ASSET.search(path) else CACHE_REVALIDATE


COMPRESSED_TYPES = frozenset(
    {
        "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
        "application/geo+json", "application/manifest+json", "image/svg+xml", "application/xml",
        "text/xml", "application/atom+xml", "text/calendar", "text/csv", "text/plain",
        "application/yaml",
    }
)  # fmt: skip
"""The media types sent gzip-compressed: the text the site is made of (pages, styles,
scripts, data, search files, the map's GeoJSON, feeds, the agenda, the desk's YAML)."""

COMPRESS_MIN_BYTES = 256
"""Smaller answers are sent as they are: gzip's own overhead would eat the gain."""


def compressible(content_type: str) -> bool:
    """Whether an answer of this ``Content-Type`` is compressed (parameters ignored)."""
    return content_type.split(";", 1)[0].strip().lower() in COMPRESSED_TYPES


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether a request's ``Accept-Encoding`` allows gzip (``gzip`` or ``*``, not ``q=0``)."""
    chosen: dict[str, float] = {}
    for part in accept_encoding.split(","):
        coding, _, parameters = part.partition(";")
        quality = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", parameters)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        chosen[coding.strip().lower()] = quality
    if "gzip" in chosen:
        return chosen["gzip"] > 0
    return chosen.get("*", 0) > 0


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _replaced(headers: list[tuple[bytes, bytes]], name: bytes, value: bytes | None) -> list[tuple[bytes, bytes]]:
    kept = [(key, old) for key, old in headers if key.lower() != name]
    return kept if value is None else [*kept, (name, value)]


def _vary_on_encoding(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    vary = _header(headers, b"vary")
    if vary is None:
        return [*headers, (b"vary", b"Accept-Encoding")]
    if b"accept-encoding" in vary.lower() or vary.strip() == b"*":
        return headers
    return _replaced(headers, b"vary", vary + b", Accept-Encoding")


def _weak(etag: bytes) -> bytes:
    return etag if etag.startswith(b"W/") else b"W/" + etag


class ServingHeaders:
    """ASGI middleware of ``wijknet serve``: ``Cache-Control`` by :func:`cache_control` on
    every HTTP answer that sets none itself (the service's ``no-store`` stays), and gzip for
    text answers (:func:`compressible`, at least :data:`COMPRESS_MIN_BYTES`) when the client
    accepts it. A compressed answer gets ``Vary: Accept-Encoding`` and a weak ETag (it is
    another representation of the same file); a ``304`` to a weak validator answers with
    the weak ETag too, so a browser's stored copy stays current."""

    CACHE_BYTES = 64 * 1024 * 1024
    """Compressed answers kept, by a digest of their bytes: the big files (the search
    index, Decap's bundle) are asked again and again, and hashing costs far less than gzip."""

    def __init__(self, app, level: int = 6):
        self.app = app
        self.level = level
        self._compressed: dict[bytes, bytes] = {}
        self._cached_bytes = 0

    def _gzip(self, body: bytes) -> bytes:
        key = hashlib.blake2b(body, digest_size=20).digest()
        if key in self._compressed:
            return self._compressed[key]
        packed = gzip.compress(body, compresslevel=self.level, mtime=0)
        if len(packed) <= self.CACHE_BYTES // 4:
            while self._compressed and self._cached_bytes + len(packed) > self.CACHE_BYTES:
                oldest = next(iter(self._compressed))
                self._cached_bytes -= len(self._compressed.pop(oldest))
            self._compressed[key] = packed
            self._cached_bytes += len(packed)
        return packed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        request = {key.lower(): value for key, value in scope.get("headers", [])}
        gzip_ok = scope.get("method") != "HEAD" and accepts_gzip(request.get(b"accept-encoding", b"").decode("latin-1"))
        weak_validator = request.get(b"if-none-match", b"").lstrip().startswith(b"W/")
        if gzip_ok and "http.response.pathsend" in scope.get("extensions", {}):
            # a file sent by path cannot be compressed on the way: have it sent as a body
            scope = {**scope, "extensions": {k: v for k, v in scope["extensions"].items() if k != "http.response.pathsend"}}
        held: dict = {}
        chunks: list[bytes] = []

        async def send_with_headers(message):
            kind = message["type"]
            if kind == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if _header(headers, b"cache-control") is None:
                    headers.append((b"cache-control", cache_control(path, status).encode("latin-1")))
                text = compressible((_header(headers, b"content-type") or b"").decode("latin-1"))
                if text or status == 304:
                    headers = _vary_on_encoding(headers)
                etag = _header(headers, b"etag")
                if status == 304 and weak_validator and etag is not None:
                    headers = _replaced(headers, b"etag", _weak(etag))
                length = _header(headers, b"content-length")
                small = length is not None and length.isdigit() and int(length) < COMPRESS_MIN_BYTES
                message = {**message, "headers": headers}
                whole = status == 200 or status >= 400  # not a 304, 204 or a range (206)
                if (whole and gzip_ok and text and not small
                        and _header(headers, b"content-encoding") is None):  # fmt: skip
                    held["start"] = message
                    return
                await send(message)
            elif kind == "http.response.body" and "start" in held:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = b"".join(chunks)
                start = held.pop("start")
                headers = start["headers"]
                if len(body) >= COMPRESS_MIN_BYTES:
                    etag = _header(headers, b"etag")
                    body = self._gzip(body)
                    headers = _replaced(headers, b"content-encoding", b"gzip")
                    if etag is not None:
                        headers = _replaced(headers, b"etag", _weak(etag))
                headers = _replaced(headers, b"content-length", str(len(body)).encode("latin-1"))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body, "more_body": False})
            else:
                await send(message)

        await self.app(scope, receive, send_with_headers)
