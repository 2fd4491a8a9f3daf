"""The auditor content service (R-DOC-5): authorised queries of every record and retrieval of content,
each query logged in a hash-chained access log whose head is anchored on chain; content leaves only
after its retrieval is logged and anchored.

A Starlette application served by uvicorn (:mod:`zhili.core.web`: body limit, read and head
timeouts, a connection limit). HTTP API (JSON; content as bytes; every response ``Cache-Control: no-store``):

``POST /challenge``  ``{"address": "0x…"}`` → ``{"nonce", "message", "expires"}``: an EIP-4361 (Sign-In
                     with Ethereum) message naming this server, the chain and the ledger (:mod:`zhili.core.auth`)
``POST /login``      ``{"message", "signature"}`` → ``{"token", "expires", "auditor"}``; the signer must hold
                     the jurisdiction's ``AUDITOR`` role on chain
``POST /logout``     ends the session
``GET /records?offset=&limit=``  anchored versions (metadata, statuses) — ``Authorization: Bearer``
``GET /records/<fingerprint>``   one version and its trace code's history
``GET /content/<fingerprint>``   the document's bytes; logged and anchored first
``GET /log``                     the access log and its on-chain anchor

The role is read from the chain at every request, so revoking it takes effect at once. Every
non-public query, login, failed login and logout appends ``{seq, time, event, …, prev}`` with
``hash`` = SHA-256 of the entry's canonical JSON (``prev`` = the previous entry's hash) to a
JSON-lines file (fsynced). A content retrieval is anchored — ``(hash, seq)`` in the ledger
(``anchorAccessLog``, by the service's key, which holds ``RECORDS_KEEPER``) — before the bytes are
sent; the entries between two retrievals are anchored with the next one, at start and at shutdown.

Only the append of a retrieval and its anchoring are serialised (a listing never waits for a
transaction to be mined). The log file is locked exclusively (a second service on the same log
refuses to start); a half-written last line (a full disk, a crash) is cut and reported at start; and
the service refuses to start when the log does not match the head anchored on chain (a log replaced,
truncated or rewritten). :func:`verify_log` re-checks a log file against every anchor ever made.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..core import web
from ..core.auth import AuthError, Realm, SiweAuth, check_before_signing
from ..core.chain import ContractRevert
from ..core.store import ContentStore, StoreError
from ..errors import ChainUnavailable, InputError
from ..evidence.client import AUDITOR, EvidenceClient, EvidenceError, Status, trace_key

GENESIS = "0x" + "00" * 32
MAX_BODY = 16 * 1024  # a challenge request or a signed message
NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]

log = logging.getLogger("zhili.auditor")


class AccessDenied(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class ServiceRefused(StoreError):
    """The service will not start: its log is locked by another instance, broken, or not the one anchored on chain."""


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return "0x" + hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class AccessLog:
    """Append-only, hash-chained JSON-lines file, held under an exclusive lock (``flock``) while open.

    At open a torn last line (no final newline: a write cut short) is cut off and kept in
    :attr:`repaired` (the bytes cut); it was never anchored, so no content was handed out against it.
    A failed append is rolled back to the previous length. Appends are thread-safe."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock and the appends
        try:
            fcntl.flock(self._f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._f.close()
            raise ServiceRefused(f"R-DOC-5: access log {self.path.name} is in use by another service (one log, one service)") from None
        self._lock = threading.Lock()
        self.repaired = b""
        self._f.seek(0)
        data = self._f.read()
        if data and not data.endswith(b"\n"):
            keep = data.rfind(b"\n") + 1
            self.repaired = data[keep:]
            self._f.truncate(keep)
            os.fsync(self._f.fileno())
            data = data[:keep]
            log.warning("access log %s: cut a torn last line of %d bytes", self.path.name, len(self.repaired))
        try:
            self.entries: list[dict[str, Any]] = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
        except ValueError as exc:
            self.close()
            raise ServiceRefused(f"R-DOC-5: access log {self.path.name} has a line that is not JSON: {exc}") from None
        problem = check_chain(self.entries)
        if problem:
            self.close()
            raise ServiceRefused(f"R-DOC-5: access log {self.path.name} is broken: {problem}")

    def close(self) -> None:
        if not self._f.closed:
            self._f.close()  # releases the lock

    @property
    def head(self) -> str:
        return self.entries[-1]["hash"] if self.entries else GENESIS

    def append(self, **fields: Any) -> dict[str, Any]:
        with self._lock:
            entry = {"seq": len(self.entries) + 1, "time": int(time.time()), **fields, "prev": self.head}
            entry["hash"] = entry_hash(entry)
            line = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
            size = self._f.seek(0, os.SEEK_END)
            try:
                self._f.write(line)
                self._f.flush()
                os.fsync(self._f.fileno())
            except OSError:
                with contextlib.suppress(OSError):
                    self._f.truncate(size)
                raise
            self.entries.append(entry)
            return entry


def read_log(path: str | Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def check_chain(entries: list[dict[str, Any]]) -> str | None:
    """None if every entry links to the previous one and hashes to its ``hash``; else what is wrong."""
    prev = GENESIS
    for i, e in enumerate(entries, 1):
        if e.get("seq") != i or e.get("prev") != prev or e.get("hash") != entry_hash(e):
            return f"entry {i} does not chain (edited, removed or reordered)"
        prev = e["hash"]
    return None


def verify_log(entries: list[dict[str, Any]], ledger: EvidenceClient, keeper: str) -> list[str]:
    """Problems of a log against the chain: its own chaining, and every anchor ``keeper`` ever made."""
    problems = []
    if (p := check_chain(entries)) is not None:
        problems.append(p)
    anchors = ledger.contract.events.AccessLogAnchored().get_logs(from_block=ledger.from_block, argument_filters={"keeper": to_checksum_address(keeper)})
    for a in anchors:
        n, head = int(a.args.entries), "0x" + bytes(a.args.head).hex()
        if n > len(entries):
            problems.append(f"the chain anchors {n} entries, the log has only {len(entries)} (truncated)")
        elif entries[n - 1]["hash"] != head:
            problems.append(f"entry {n} differs from the head anchored in block {a.blockNumber}")
    if anchors and int(anchors[-1].args.entries) < len(entries):
        problems.append(f"entries {int(anchors[-1].args.entries) + 1}..{len(entries)} are not anchored yet")
    return problems


def claimed_address(message: str) -> str:
    """The address line of a (possibly malformed) SIWE message, for the log of a failed login."""
    m = re.search(r"\n(0x[0-9a-fA-F]{40})\n", message or "")
    return m.group(1) if m else ""


@dataclass
class AuditorService:
    """The service's state: the ledger, the content store, the access log, the keeper key and the
    server's base URL (the ``uri`` its login messages name; from configuration, never from a request).

    Constructing it checks the log against the head anchored on chain and refuses
    (:class:`ServiceRefused`) if they differ; entries after the anchored head are anchored then."""

    ledger: EvidenceClient
    store: ContentStore
    log: AccessLog
    keeper: LocalAccount | int | str
    uri: str
    session_ttl: float = 3600
    listing: Callable[[int, int], list[dict[str, Any]]] | None = None  # the index's (zhili.index.indexer.ledger_versions); else a ledger replay
    auth: SiweAuth = field(init=False)
    anchored: int = field(init=False, default=0)
    anchor: Callable[[bytes, int], None] = field(init=False)  # replaceable in tests (a slow transaction)

    def __post_init__(self) -> None:
        realm = Realm(self.uri.rstrip("/"), self.ledger.chain.chain_id, self.ledger.contract.address)
        self.auth = SiweAuth(realm, self.is_auditor, role="AUDITOR", session_ttl=self.session_ttl)
        self._anchor_lock = threading.Lock()  # a retrieval's append and its anchoring, nothing else
        # the embedded chain (py-evm in this process) is not thread-safe: its calls are serialised; a node is not
        self._guard: Any = threading.RLock() if self.ledger.chain.kind == "embedded" else contextlib.nullcontext()
        self.anchor = self._anchor_on_chain
        self._check_anchored_head()
        self.flush()

    # ------------------------------------------------------------------ the log against the chain

    @property
    def keeper_address(self) -> str:
        return str(self.ledger.chain.account(self.keeper).address)

    def anchored_head(self) -> tuple[str, int, int]:
        with self._guard:
            head, n, at = self.ledger.chain.call(self.ledger.contract.functions.accessLog(self.keeper_address))
        return "0x" + bytes(head).hex(), int(n), int(at)

    def _check_anchored_head(self) -> None:
        head, n, _ = self.anchored_head()
        have = len(self.log.entries)
        if n > have:
            raise ServiceRefused(f"R-DOC-5: the chain anchors {n} access-log entries by {self.keeper_address}, the log holds {have} (replaced or truncated); refusing to serve")
        if n and self.log.entries[n - 1]["hash"] != head:
            raise ServiceRefused(f"R-DOC-5: access-log entry {n} differs from the head anchored on chain (rewritten); refusing to serve")
        self.anchored = n

    def _anchor_on_chain(self, head: bytes, seq: int) -> None:
        with self._guard:
            self.ledger.anchor_access_log(head, seq, self.keeper)

    def _anchor(self, entry: dict[str, Any]) -> None:
        self.anchor(bytes.fromhex(entry["hash"][2:]), entry["seq"])
        self.anchored = max(self.anchored, entry["seq"])

    def flush(self) -> None:
        """Anchor the entries appended since the last anchor (at start, at shutdown)."""
        with self._anchor_lock:
            if self.log.entries and len(self.log.entries) > self.anchored:
                self._anchor(self.log.entries[-1])

    def close(self) -> None:
        """Anchor what is pending (a failure is logged: the next start anchors it) and unlock the log."""
        try:
            self.flush()
        except Exception as exc:  # noqa: BLE001 - shutting down regardless
            log.error("anchoring the access log at shutdown failed: %r", exc)
        finally:
            self.log.close()

    # ------------------------------------------------------------------ authentication

    def is_auditor(self, address: str) -> bool:
        j = self.ledger.jurisdiction
        with self._guard:
            return bool(self.ledger.chain.call(j.functions.hasRole(AUDITOR, to_checksum_address(address))))

    def challenge(self, address: Any) -> dict[str, Any]:
        return self.auth.challenge(address)

    def login(self, message: Any, signature: Any, client: str = "") -> dict[str, Any]:
        """A session for a signed SIWE message; a refusal is logged (``login-refused``) before it is raised."""
        try:
            if not isinstance(message, str) or not isinstance(signature, str) or len(message) > 4096:
                raise AuthError(400, "malformed", "message and signature must be strings")
            s = self.auth.login(message, signature)
        except AuthError as exc:
            self.log.append(event="login-refused", address=claimed_address(message if isinstance(message, str) else ""), reason=exc.reason, client=client)
            raise
        self.log.append(event="login", auditor=s.address, client=client)
        return {"token": s.token, "expires": int(s.expires), "auditor": s.address}

    def logout(self, token: str | None) -> dict[str, Any]:
        who = self.authorise(token)
        self.auth.logout(token)
        self.log.append(event="logout", auditor=who)
        return {"ended": True}

    def authorise(self, token: str | None) -> str:
        """The auditor behind a session token, the role read from the chain now."""
        try:
            return self.auth.session(token)
        except AuthError as exc:
            if exc.reason == "role-revoked":
                self.log.append(event="refused", address=exc.address, reason=exc.reason)
            raise

    # ------------------------------------------------------------------ queries (each logged)

    def records(self, auditor: str, offset: int, limit: int) -> list[dict[str, Any]]:
        if self.listing is not None:
            out = self.listing(offset, limit)
        else:
            with self._guard:
                out = [v.as_json() for v in self.ledger.versions(offset, limit)]
        self.log.append(event="query", auditor=auditor, query=f"records?offset={offset}&limit={limit}")
        return out

    def record(self, auditor: str, fp: bytes) -> dict[str, Any]:
        with self._guard:
            status, *_ = self.ledger.verify_fingerprint(fp)
            if status == Status.NONE:
                raise AccessDenied(404, f"R-DOC-5: no anchored version 0x{fp.hex()}")
            rec = self.ledger.record(fp)
            history = self.ledger.history(trace_key(rec["year"], rec["category"], rec["seq"]))
        this = next(v for v in history if v.fingerprint == fp)
        self.log.append(event="query", auditor=auditor, query=f"records/0x{fp.hex()}")
        return {"version": this.as_json(), "history": [v.as_json() for v in history]}

    def content(self, auditor: str, fp: bytes) -> tuple[bytes, dict[str, Any]]:
        """Log, anchor, then hand out the bytes of an anchored version."""
        with self._guard:
            status, _, _, trace, version = self.ledger.verify_fingerprint(fp)
        if status == Status.NONE:
            raise AccessDenied(404, f"R-DOC-5: no anchored version 0x{fp.hex()}")
        try:
            data = self.store.get(fp)
        except StoreError as exc:  # its message names the store's path: not for the client
            if "no content" in str(exc):
                raise AccessDenied(404, f"R-DOC-5: no content stored for 0x{fp.hex()}") from None
            log.error("content store: %s", exc)
            raise AccessDenied(500, f"R-DOC-3: the stored content of 0x{fp.hex()} fails its fingerprint; withheld") from None
        with self._anchor_lock:
            entry = self.log.append(event="content", auditor=auditor, fingerprint="0x" + fp.hex(), trace=f"{trace}/v{version}")
            try:
                self._anchor(entry)
            except ContractRevert as exc:
                raise AccessDenied(503, f"access log not anchored, content withheld: {exc.args[0] if exc.args else 'reverted'}") from None
            except Exception as exc:  # noqa: BLE001 - a node down, a transaction not mined: withhold
                log.error("anchoring access-log entry %d failed: %r", entry["seq"], exc)
                raise AccessDenied(503, "access log not anchored (the chain did not confirm), content withheld") from None
        return data, entry

    def log_view(self, auditor: str) -> dict[str, Any]:
        head, n, at = self.anchored_head()
        self.log.append(event="query", auditor=auditor, query="log")
        return {"keeper": self.keeper_address, "anchored": {"head": head, "entries": n, "at": at}, "entries": self.log.entries}


# ------------------------------------------------------------------ HTTP


def _fp(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise AccessDenied(400, f"R-DOC-3: {text[:80]!r} is not a 32-byte fingerprint")
    return raw


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise AccessDenied(400, "the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise AccessDenied(400, "the body must be a JSON object")
    return body


def create_app(service: AuditorService, read_timeout: float = web.READ_TIMEOUT) -> web.ASGIApp:
    """The service as an ASGI application (body limit, a body stalled ``read_timeout`` s gets 408,
    security headers, ``Cache-Control: no-store``)."""

    async def challenge(request: Request) -> Response:
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(service.challenge, body.get("address")))

    async def login(request: Request) -> Response:
        body = await _body(request)
        client = request.client.host if request.client else ""
        return JSONResponse(await run_in_threadpool(service.login, body.get("message"), body.get("signature"), client))

    async def logout(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(service.logout, _token(request)))

    async def who(request: Request) -> str:
        return str(await run_in_threadpool(service.authorise, _token(request)))

    async def records(request: Request) -> Response:
        auditor = await who(request)
        try:
            offset = int(request.query_params.get("offset", "0"))
            limit = min(int(request.query_params.get("limit", "100")), 1000)
        except ValueError:
            raise AccessDenied(400, "offset and limit must be whole numbers") from None
        if offset < 0 or limit < 0:
            raise AccessDenied(400, "offset and limit must not be negative")
        return JSONResponse({"records": await run_in_threadpool(service.records, auditor, offset, limit)})

    async def record(request: Request) -> Response:
        auditor = await who(request)
        return JSONResponse(await run_in_threadpool(service.record, auditor, _fp(request.path_params["fp"])))

    async def content(request: Request) -> Response:
        auditor = await who(request)
        data, entry = await run_in_threadpool(service.content, auditor, _fp(request.path_params["fp"]))
        return Response(data, media_type="application/octet-stream", headers={"X-Zhili-Log-Seq": str(entry["seq"]), "X-Zhili-Log-Head": entry["hash"]})

    async def log_view(request: Request) -> Response:
        auditor = await who(request)
        return JSONResponse(await run_in_threadpool(service.log_view, auditor))

    def error(status: int, message: str) -> Response:
        return JSONResponse({"error": message}, status_code=status)

    async def denied(request: Request, exc: Exception) -> Response:
        if isinstance(exc, AccessDenied | AuthError):
            return error(exc.status, str(exc))
        if isinstance(exc, HTTPException):
            return error(exc.status_code, "no such endpoint" if exc.status_code == 404 else str(exc.detail))
        if isinstance(exc, ChainUnavailable):
            log.error("chain unavailable: %s", exc)
            return error(503, "the chain is unavailable; try again later")
        if isinstance(exc, EvidenceError | InputError | ValueError):
            return error(400, str(exc).split(" in /")[0])
        log.error("auditor service failure", exc_info=exc)
        return error(500, "internal error")  # no path, no version, no traceback

    routes = [
        Route("/challenge", challenge, methods=["POST"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/records", records, methods=["GET"]),
        Route("/records/{fp}", record, methods=["GET"]),
        Route("/content/{fp}", content, methods=["GET"]),
        Route("/log", log_view, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {AccessDenied: denied, AuthError: denied, HTTPException: denied, Exception: denied}
    app = Starlette(routes=routes, exception_handlers=handlers)
    return web.BodyLimit(app, limit=MAX_BODY, read_timeout=read_timeout, extra_headers=NO_STORE)


@contextlib.contextmanager
def serving(service: AuditorService, read_timeout: float = web.READ_TIMEOUT, **kw: Any) -> Iterator[str]:
    """Serve ``service`` at its configured URL in a thread for the block (tests)."""
    u = urlsplit(service.uri)
    with web.serving(create_app(service, read_timeout), u.hostname or "127.0.0.1", u.port or 80, **kw) as url:
        yield url


# ------------------------------------------------------------------ the auditor's side


@dataclass
class AuditorSession:
    """What an auditor's tool does: check the login message names this server, the chain and the
    ledger it expects (refusing to sign otherwise), prove control of the key, then query (stdlib HTTP)."""

    base_url: str
    chain_id: int
    ledger: str
    token: str | None = None
    timeout: float = 30

    def _req(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes, dict[str, str]]:
        import urllib.error
        import urllib.request

        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), dict(exc.headers)

    def login(self, account: LocalAccount) -> tuple[int, dict[str, Any]]:
        """Log in; raises :class:`zhili.core.auth.LoginRefused` (without signing) if the message the
        server sends names another server, chain, ledger or address."""
        code, raw, _ = self._req("POST", "/challenge", {"address": account.address})
        if code != 200:
            return code, json.loads(raw)
        message = json.loads(raw)["message"]
        check_before_signing(message, address=account.address, uri=self.base_url, chain_id=self.chain_id, ledger=self.ledger)
        sig = account.sign_message(encode_defunct(text=message)).signature.to_0x_hex()
        code, raw, _ = self._req("POST", "/login", {"message": message, "signature": sig})
        out = json.loads(raw)
        if code == 200:
            self.token = out["token"]
        return code, out

    def logout(self) -> int:
        code, _, _ = self._req("POST", "/logout", {})
        self.token = None
        return code

    def get_json(self, path: str) -> tuple[int, dict[str, Any]]:
        code, raw, _ = self._req("GET", path)
        return code, json.loads(raw)

    def content(self, fp: bytes) -> tuple[int, bytes, dict[str, str]]:
        return self._req("GET", f"/content/0x{fp.hex()}")
