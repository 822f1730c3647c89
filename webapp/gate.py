"""The password in front of every route of the server, not only the pages (issue 19).

When ``POSTURE_APP_PASSWORD`` is set, or the app listens beyond 127.0.0.1, ``PasswordGate``
(an ASGI middleware that ``app.py`` hands to ``st.App``) answers every request itself unless it
carries a signed-in cookie: pages are sent to the sign-in form, ``/media/...``,
``/_stcore/metrics``, component files and uploads get 401, the app's websocket is closed
before it opens. Only ``/_stcore/health`` (which says "ok" and nothing else) stays open.

The sign-in form posts the password to ``SIGN_IN``; it is compared in constant time and a
wrong one waits a second. The cookie is ``issued.nonce.signature``: an HMAC-SHA256 with a
secret made for this server process (``secrets.token_bytes``), so a restart signs everyone
out; it is ``HttpOnly`` and ``SameSite=Strict`` and expires after ``MAX_AGE`` seconds.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import secrets
import time
import urllib.parse
from http.cookies import SimpleCookie

COOKIE = "posture_signed_in"
SIGN_IN = "/_posture/sign-in"
MAX_AGE = 12 * 3600
"""Seconds a sign-in lasts."""

OPEN_PATHS = frozenset({"/_stcore/health"})
"""Answered without signing in: says "ok" and nothing about anyone."""

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_secret: bytes | None = None
_installed = False


def _key() -> bytes:
    global _secret
    if _secret is None:
        _secret = secrets.token_bytes(32)
    return _secret


def _signature(text: str) -> str:
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def new_cookie_value(now: float | None = None) -> str:
    issued = f"{int(now if now is not None else time.time())}.{secrets.token_hex(16)}"
    return f"{issued}.{_signature(issued)}"


def valid(value: str | None, now: float | None = None) -> bool:
    """Whether ``value`` is a cookie this process signed, less than ``MAX_AGE`` old."""
    if not value or value.count(".") != 2:
        return False
    issued, nonce, signature = value.split(".")
    if not hmac.compare_digest(signature, _signature(f"{issued}.{nonce}")):
        return False
    age = (now if now is not None else time.time()) - int(issued) if issued.isdigit() else -1
    return 0 <= age < MAX_AGE


def password() -> str | None:
    from posture import settings

    return settings.app_password()


def required(address: str | None) -> bool:
    """Signing in is needed when a password is set or the app listens beyond this machine."""
    return bool(password()) or address not in LOOPBACK


def installed() -> bool:
    """Whether ``PasswordGate`` is in front of this process's server."""
    return _installed


def matches(typed: str, expected: str) -> bool:
    """Constant-time comparison of what was typed with the password."""
    return hmac.compare_digest(
        hashlib.sha256(typed.encode()).digest(), hashlib.sha256(expected.encode()).digest()
    )


def _form(message: str = "") -> bytes:
    error = f'<p role="alert" style="color:#b00">{html.escape(message)}</p>' if message else ""
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Posture analyzer</title>"
        '<meta name=viewport content="width=device-width"></head>'
        '<body style="font-family:sans-serif;max-width:24em;margin:4em auto">'
        f"<h1>Posture analyzer</h1>{error}"
        f'<form method=post action="{SIGN_IN}"><label>Password <input type=password '
        "name=password autofocus autocomplete=current-password></label> "
        "<button type=submit>Open</button></form></body></html>"
    ).encode()


class PasswordGate:
    """ASGI middleware: nothing but ``OPEN_PATHS`` and the sign-in form without the cookie."""

    def __init__(self, app, *, address=None) -> None:
        global _installed
        self.app = app
        self._address = address
        _installed = True

    def _address_now(self) -> str | None:
        if self._address is not None:
            return self._address
        from streamlit import config

        return config.get_option("server.address")

    async def __call__(self, scope, receive, send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket") or not required(self._address_now()):
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        if kind == "http" and path == SIGN_IN:
            await self._sign_in(scope, receive, send)
            return
        if valid(_cookie(scope)):
            await self.app(scope, receive, send)
            return
        if kind == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008})
        elif scope.get("method") == "GET" and _is_page(path):
            await _respond(send, 303, b"", [(b"location", SIGN_IN.encode())])
        else:
            await _respond(send, 401, b"Sign in first.\n", [(b"content-type", b"text/plain")])

    async def _sign_in(self, scope, receive, send) -> None:
        html_type = [(b"content-type", b"text/html; charset=utf-8")]
        expected = password()
        if not expected:
            message = "No password is set on the server (POSTURE_APP_PASSWORD), so nobody can sign in."
            await _respond(send, 403, _form(message), html_type)
            return
        if scope.get("method") != "POST":
            await _respond(send, 200, _form(), html_type)
            return
        body = await _body(receive, limit=4096)
        typed = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("password", [""])[0]
        if not matches(typed, expected):
            await asyncio.sleep(1.0)  # slows guessing
            await _respond(send, 401, _form("That is not the password."), html_type)
            return
        cookie = f"{COOKIE}={new_cookie_value()}; Path=/; Max-Age={MAX_AGE}; HttpOnly; SameSite=Strict"
        await _respond(send, 303, b"", [(b"location", b"/"), (b"set-cookie", cookie.encode())])


def _cookie(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def _is_page(path: str) -> bool:
    """A page of the app ("/", "/photo"), which a browser is sent to sign in from."""
    last = path.rsplit("/", 1)[-1]
    return not path.startswith(("/_stcore", "/media", "/component", "/static", "/app/")) and "." not in last


async def _body(receive, *, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
