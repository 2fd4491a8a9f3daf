"""The auditor service (R-DOC-5): authorised queries of every record and retrieval of content, each
retrieval logged in a hash-chained log whose head is anchored on chain before the content leaves.

HTTP API (JSON; content as bytes):

``POST /challenge``  ``{"address": "0x…"}`` → ``{"nonce", "message", "expires"}``
``POST /login``      ``{"address", "nonce", "signature"}`` → ``{"token", "expires"}``. The auditor signs the
                     message (EIP-191 personal message) with a key that holds the jurisdiction's
                     ``AUDITOR`` role, checked on chain.
``GET /records?offset=&limit=``  every anchored version (metadata, statuses) — ``Authorization: Bearer``
``GET /records/<fingerprint>``   one version and its trace code's history
``GET /content/<fingerprint>``   the document's bytes; logged and anchored first
``GET /log``                     the access log and its on-chain anchor

The role is re-checked on chain at every request, so revoking it takes effect at once. Every content
retrieval appends ``{seq, time, auditor, fingerprint, trace, prev}`` with ``hash`` =
SHA-256 of the entry's canonical JSON (``prev`` = the previous entry's hash) to a JSON-lines file,
fsyncs it, and anchors ``(hash, seq)`` in the ledger (``anchorAccessLog``, by the service's key, which
holds ``RECORDS_KEEPER``) before the bytes are sent. :func:`verify_log` re-checks a log file against
every anchor ever made: a rewritten, truncated or reordered log fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

from ..core.chain import ContractRevert
from ..core.store import ContentStore, StoreError
from ..evidence.client import AUDITOR, EvidenceClient, EvidenceError, Status

CHALLENGE_TTL = 300
GENESIS = "0x" + "00" * 32


class AccessDenied(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return "0x" + hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


class AccessLog:
    """Append-only, hash-chained JSON-lines file of content retrievals."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.entries: list[dict[str, Any]] = read_log(self.path) if self.path.exists() else []
        problem = check_chain(self.entries)
        if problem:
            raise StoreError(f"R-DOC-5: access log {self.path} is broken: {problem}")

    @property
    def head(self) -> str:
        return self.entries[-1]["hash"] if self.entries else GENESIS

    def append(self, **fields: Any) -> dict[str, Any]:
        entry = {"seq": len(self.entries) + 1, "time": int(time.time()), **fields, "prev": self.head}
        entry["hash"] = entry_hash(entry)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
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


def login_message(ledger: str, chain_id: int, nonce: str, expires: int) -> str:
    return f"zhili auditor login\nledger: {ledger}\nchain: {chain_id}\nnonce: {nonce}\nexpires: {expires}"


@dataclass
class AuditorService:
    """The service's state: the ledger, the content store, the access log and the keeper key."""

    ledger: EvidenceClient
    store: ContentStore
    log: AccessLog
    keeper: LocalAccount | int | str
    token_ttl: int = 3600
    _challenges: dict[str, tuple[str, int]] = field(default_factory=dict)
    _tokens: dict[str, tuple[str, int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------------ authentication

    def is_auditor(self, address: str) -> bool:
        j = self.ledger.jurisdiction
        return bool(self.ledger.chain.call(j.functions.hasRole(AUDITOR, to_checksum_address(address))))

    def challenge(self, address: str) -> dict[str, Any]:
        address = to_checksum_address(address)
        nonce = secrets.token_hex(16)
        expires = int(time.time()) + CHALLENGE_TTL
        self._challenges[nonce] = (address, expires)
        msg = login_message(self.ledger.contract.address, self.ledger.chain.chain_id, nonce, expires)
        return {"nonce": nonce, "message": msg, "expires": expires}

    def login(self, address: str, nonce: str, signature: str) -> dict[str, Any]:
        address = to_checksum_address(address)
        issued = self._challenges.pop(nonce, None)  # one use only
        if issued is None or issued[0] != address or issued[1] < time.time():
            raise AccessDenied(403, "R-DOC-5: unknown, used or expired challenge")
        msg = login_message(self.ledger.contract.address, self.ledger.chain.chain_id, nonce, issued[1])
        try:
            signer = Account.recover_message(encode_defunct(text=msg), signature=signature)
        except Exception:  # noqa: BLE001 - any malformed signature
            raise AccessDenied(403, "R-DOC-5: malformed signature") from None
        if signer != address:
            raise AccessDenied(403, f"R-DOC-5: the challenge was signed by {signer}, not {address}")
        with self._lock:
            if not self.is_auditor(address):
                raise AccessDenied(403, f"R-DOC-5: {address} does not hold the AUDITOR role of this jurisdiction")
        token = secrets.token_urlsafe(24)
        expires = int(time.time()) + self.token_ttl
        self._tokens[token] = (address, expires)
        return {"token": token, "expires": expires, "auditor": address}

    def authorise(self, header: str | None) -> str:
        """The auditor behind a bearer token, re-checking the on-chain role."""
        if not header or not header.startswith("Bearer "):
            raise AccessDenied(401, "R-DOC-5: log in first (Authorization: Bearer TOKEN)")
        found = self._tokens.get(header.removeprefix("Bearer ").strip())
        if found is None or found[1] < time.time():
            raise AccessDenied(401, "R-DOC-5: unknown or expired token")
        with self._lock:
            if not self.is_auditor(found[0]):
                raise AccessDenied(403, f"R-DOC-5: {found[0]} no longer holds the AUDITOR role")
        return found[0]

    # ------------------------------------------------------------------ queries

    def records(self, offset: int, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            return [v.as_json() for v in self.ledger.versions(offset, limit)]

    def record(self, fp: bytes) -> dict[str, Any]:
        with self._lock:
            status, *_ = self.ledger.verify_fingerprint(fp)
            if status == Status.NONE:
                raise AccessDenied(404, f"R-DOC-5: no anchored version 0x{fp.hex()}")
            rec = self.ledger.record(fp)
            from ..evidence.client import trace_key

            history = self.ledger.history(trace_key(rec["year"], rec["category"], rec["seq"]))
        this = next(v for v in history if v.fingerprint == fp)
        return {"version": this.as_json(), "history": [v.as_json() for v in history]}

    def content(self, auditor: str, fp: bytes) -> tuple[bytes, dict[str, Any]]:
        """Log, anchor, then hand out the bytes of an anchored version."""
        with self._lock:
            status, _, _, trace, version = self.ledger.verify_fingerprint(fp)
            if status == Status.NONE:
                raise AccessDenied(404, f"R-DOC-5: no anchored version 0x{fp.hex()}")
            try:
                data = self.store.get(fp)
            except StoreError as exc:
                raise AccessDenied(404 if "no content" in str(exc) else 500, str(exc)) from None
            entry = self.log.append(auditor=auditor, fingerprint="0x" + fp.hex(), trace=f"{trace}/v{version}")
            try:
                self.ledger.anchor_access_log(bytes.fromhex(entry["hash"][2:]), entry["seq"], self.keeper)
            except ContractRevert as exc:
                raise AccessDenied(503, f"access log not anchored, content withheld: {exc}") from None
        return data, entry

    def log_view(self) -> dict[str, Any]:
        with self._lock:
            keeper = self.ledger.chain.account(self.keeper).address
            head, entries, at = self.ledger.chain.call(self.ledger.contract.functions.accessLog(keeper))
        return {"keeper": keeper, "anchored": {"head": "0x" + bytes(head).hex(), "entries": int(entries), "at": int(at)},
                "entries": self.log.entries}  # fmt: skip


def _handler(service: AuditorService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "zhili-auditor/1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet; the access log is the record
            pass

        def _send(self, status: int, body: bytes, ctype: str = "application/json", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, obj: Any) -> None:
            self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

        def _body(self) -> dict[str, Any]:
            n = int(self.headers.get("Content-Length") or 0)
            if n > 65536:
                raise AccessDenied(413, "request too large")
            try:
                return dict(json.loads(self.rfile.read(n) or b"{}"))
            except (ValueError, TypeError):
                raise AccessDenied(400, "body must be a JSON object") from None

        def _fp(self, text: str) -> bytes:
            try:
                raw = bytes.fromhex(text.removeprefix("0x"))
            except ValueError:
                raw = b""
            if len(raw) != 32:
                raise AccessDenied(400, f"R-DOC-3: {text!r} is not a 32-byte fingerprint")
            return raw

        def _run(self, fn: Any) -> None:
            try:
                fn()
            except AccessDenied as exc:
                self._json(exc.status, {"error": str(exc)})
            except (EvidenceError, ValueError) as exc:
                self._json(400, {"error": str(exc)})

        def do_POST(self) -> None:  # noqa: N802
            def go() -> None:
                body = self._body()
                if self.path == "/challenge":
                    self._json(200, service.challenge(str(body.get("address", ""))))
                elif self.path == "/login":
                    self._json(200, service.login(str(body.get("address", "")), str(body.get("nonce", "")), str(body.get("signature", ""))))
                else:
                    raise AccessDenied(404, "no such endpoint")

            self._run(go)

        def do_GET(self) -> None:  # noqa: N802
            def go() -> None:
                url = urlparse(self.path)
                auditor = service.authorise(self.headers.get("Authorization"))
                parts = [p for p in url.path.split("/") if p]
                if parts == ["records"]:
                    q = parse_qs(url.query)
                    offset, limit = int(q.get("offset", ["0"])[0]), min(int(q.get("limit", ["100"])[0]), 1000)
                    self._json(200, {"records": service.records(offset, limit)})
                elif len(parts) == 2 and parts[0] == "records":
                    self._json(200, service.record(self._fp(parts[1])))
                elif len(parts) == 2 and parts[0] == "content":
                    data, entry = service.content(auditor, self._fp(parts[1]))
                    self._send(200, data, "application/octet-stream", {"X-Zhili-Log-Seq": str(entry["seq"]), "X-Zhili-Log-Head": entry["hash"]})
                elif parts == ["log"]:
                    self._json(200, service.log_view())
                else:
                    raise AccessDenied(404, "no such endpoint")

            self._run(go)

    return Handler


def make_server(service: AuditorService, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for ``service`` (port 0: a free one); call ``serve_forever`` and ``shutdown``."""
    server = ThreadingHTTPServer((host, port), _handler(service))
    server.daemon_threads = True
    return server


# ------------------------------------------------------------------ the auditor's side


@dataclass
class AuditorSession:
    """What an auditor's tool does: prove control of the key, then query (stdlib HTTP only)."""

    base_url: str
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
        code, raw, _ = self._req("POST", "/challenge", {"address": account.address})
        if code != 200:
            return code, json.loads(raw)
        ch = json.loads(raw)
        sig = account.sign_message(encode_defunct(text=ch["message"])).signature.hex()
        code, raw, _ = self._req("POST", "/login", {"address": account.address, "nonce": ch["nonce"], "signature": "0x" + sig.removeprefix("0x")})
        out = json.loads(raw)
        if code == 200:
            self.token = out["token"]
        return code, out

    def get_json(self, path: str) -> tuple[int, dict[str, Any]]:
        code, raw, _ = self._req("GET", path)
        return code, json.loads(raw)

    def content(self, fp: bytes) -> tuple[int, bytes, dict[str, str]]:
        return self._req("GET", f"/content/0x{fp.hex()}")
