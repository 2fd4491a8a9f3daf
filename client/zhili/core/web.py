"""What zhili's web services share (the auditor content service, the console): an ASGI guard that
limits and times request bodies and adds security headers, and a uvicorn server with timeouts and a
connection limit.

- :class:`BodyLimit`: a body over ``limit`` bytes gets 413 before the application reads it, a
  ``Content-Length`` that is not a non-negative number (``-1``) gets 400, and a streamed (chunked)
  body or one without a length is counted as it arrives; a body that stops arriving for
  ``read_timeout`` seconds gets 408.
- :class:`TimedH11Protocol`: uvicorn's h11 protocol with a deadline for the request head: a
  connection that has not sent a whole request head ``HEAD_TIMEOUT`` seconds after it opened (or
  after its previous response) is closed, so slow partial requests cannot hold connections.
- :func:`server`: a ``uvicorn.Server`` with that protocol, ``limit_concurrency`` (503 beyond it), a
  keep-alive timeout, a bound on an incomplete request head and no ``Server`` header (no version).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from starlette.exceptions import HTTPException
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import InputError

MAX_BODY = 64 * 1024
READ_TIMEOUT = 10.0  # seconds a request body may stall
HEAD_TIMEOUT = 10.0  # seconds to send a whole request head
MAX_CONNECTIONS = 200  # uvicorn's limit_concurrency: connections and tasks at once (503 beyond)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class ListenError(InputError):
    """A service cannot listen where asked (a port in use, an address not on this machine)."""


class BodyLimit:
    """Refuse a request body over ``limit`` bytes (413), or a ``Content-Length`` that is not a
    non-negative number (400), before the application reads it; a streamed body is counted too, and
    one that stalls for ``read_timeout`` seconds is refused (408). ``extra_headers`` are added to
    every response (after :data:`SECURITY_HEADERS`)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY, read_timeout: float = READ_TIMEOUT, extra_headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.app, self.limit, self.read_timeout = app, limit, read_timeout
        self.headers = SECURITY_HEADERS + list(extra_headers or [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"content-length")
        if raw is not None:
            if not raw.isdigit():
                await plain(send, 400, "Bad Request: Content-Length must be a non-negative number", self.headers)
                return
            if int(raw) > self.limit:
                await plain(send, 413, f"Payload Too Large: at most {self.limit} bytes", self.headers)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            try:
                msg = await asyncio.wait_for(receive(), self.read_timeout)
            except TimeoutError:
                raise HTTPException(408, f"the request body stalled for {self.read_timeout:g} s") from None
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, f"at most {self.limit} bytes")
            return msg

        async def with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                msg["headers"] = list(msg.get("headers", [])) + self.headers
            await send(msg)

        await self.app(scope, counted, with_headers)


async def plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] = SECURITY_HEADERS) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is not complete
    :data:`HEAD_TIMEOUT` seconds after the connection opened or its last response ended (uvicorn
    itself waits for a partial head for ever)."""

    head_timeout = HEAD_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._head_deadline = self.loop.call_later(self.head_timeout, self._head_expired)

    def _head_expired(self) -> None:
        busy = self.cycle is not None and not self.cycle.response_complete
        if not busy and not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._head_deadline.cancel()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_deadline.cancel()
        super().connection_lost(exc)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: a free one, read back with ``getsockname``). Made with ``IPPROTO_TCP``
    named, as asyncio's own ``create_server`` makes them: the connections it accepts inherit the protocol
    number, and asyncio sets ``TCP_NODELAY`` only on sockets that carry it. Without it a response's head and
    body wait on each other (Nagle's algorithm against the client's delayed ACK): 40 ms on every request."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    return sock


def server(app: ASGIApp, limit_concurrency: int = MAX_CONNECTIONS, head_timeout: float = HEAD_TIMEOUT) -> Any:
    """A ``uvicorn.Server`` for ``app``: the timed h11 protocol, keep-alive 5 s, at most
    ``limit_concurrency`` connections at once (503 beyond), a request head of at most 16 KiB, no
    ``Server`` header. Run it with ``.run(sockets=[listen(host, port)])``."""
    import uvicorn

    protocol = type("TimedH11", (TimedH11Protocol,), {"head_timeout": head_timeout})
    config = uvicorn.Config(app, http=protocol, log_level="warning", server_header=False, timeout_keep_alive=5, limit_concurrency=limit_concurrency, h11_max_incomplete_event_size=16 * 1024)  # fmt: skip
    return uvicorn.Server(config)


@contextmanager
def serving(app: ASGIApp, host: str = "127.0.0.1", port: int = 0, **kw: Any) -> Iterator[str]:
    """Serve ``app`` in a thread for the duration of the block; yields its base URL (tests, demos)."""
    sock = listen(host, port)
    srv = server(app, **kw)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True, name="zhili-web")
    thread.start()
    try:
        for _ in range(500):
            if srv.started:
                break
            threading.Event().wait(0.01)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()
