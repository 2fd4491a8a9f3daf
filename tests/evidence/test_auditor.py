"""The auditor content service (R-DOC-5) on 127.0.0.1, served by uvicorn: Sign-In with Ethereum
against the on-chain AUDITOR role, listing and retrieval, every query and failed login logged, every
retrieval anchored before the bytes leave; the login-relay attack of issue 19; the narrow lock; the
locked, repaired and chain-checked log; HTTP limits and error bodies."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from evidence_kit import EvidenceWorld
from zhili.core import web
from zhili.core.auth import LoginRefused, Realm
from zhili.core.store import DirectoryStore
from zhili.errors import ChainUnavailable
from zhili.evidence.auditor import AccessLog, AuditorService, AuditorSession, ServiceRefused, read_log, serving, verify_log
from zhili.evidence.client import AUDITOR as AUDITOR_ROLE
from zhili.evidence.client import DocMeta, Kind
from zhili.index.indexer import Target, ledger_versions, open_index
from zhili.testing import Staff
from zhili.types import Category

META = DocMeta(title="关于村级财务审计的通报", category=Category.DISCIPLINE, summary="审计发现问题 3 项。")


def free_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


@dataclass
class Served:
    service: AuditorService
    url: str
    fps: list[bytes]
    log: Path
    store: DirectoryStore

    def session(self, w: EvidenceWorld, url: str | None = None) -> AuditorSession:
        return AuditorSession(url or self.url, w.chain.chain_id, w.ledger.contract.address)

    def events(self, kind: str) -> list[dict]:
        return [e for e in read_log(self.log) if e.get("event") == kind]


@pytest.fixture
def served(w: EvidenceWorld, tmp_path: Path) -> Iterator[Served]:
    store = DirectoryStore(tmp_path / "content")
    v1 = w.ledger.anchor(b"audit report v1", META, w.key(1), store=store)
    v2 = w.ledger.new_version(v1, Kind.AMENDMENT, b"audit report v2", META, "更正数字", w.key(1), store=store)
    service = AuditorService(w.ledger, store, AccessLog(tmp_path / "access.jsonl"), Staff.KEEPER, free_url())
    try:
        with serving(service, read_timeout=1.0, head_timeout=1.0, limit_concurrency=20) as url:
            yield Served(service, url, [v1, v2], tmp_path / "access.jsonl", store)
    finally:
        service.close()


def auditor(w: EvidenceWorld):  # type: ignore[no-untyped-def]
    return w.chain.accounts[Staff.AUDITOR]


def test_auditor_lists_retrieves_and_every_retrieval_is_anchored(w: EvidenceWorld, served: Served) -> None:
    v1, v2 = served.fps
    a = auditor(w)
    s = served.session(w)
    code, out = s.login(a)
    assert code == 200 and out["auditor"] == a.address
    code, out = s.get_json("/records")
    assert code == 200 and [r["status"] for r in out["records"]] == ["superseded", "current"]
    code, out = s.get_json(f"/records/0x{v1.hex()}")
    assert code == 200 and [h["version"] for h in out["history"]] == [1, 2]
    for fp, body in ((v1, b"audit report v1"), (v2, b"audit report v2")):
        code, data, headers = s.content(fp)
        assert code == 200 and data == body and headers["cache-control"] == "no-store"
    # two retrievals, two content entries; the chain holds the head of the second
    content = served.events("content")
    assert [e["auditor"] for e in content] == [a.address] * 2 and content[1]["trace"].endswith("/v2")
    keeper = w.chain.accounts[Staff.KEEPER].address
    head, entries, _ = w.chain.call(w.ledger.contract.functions.accessLog(keeper))
    assert (int(entries), "0x" + bytes(head).hex()) == (content[1]["seq"], content[1]["hash"])
    # the login and both listings are logged too (non-public queries), before the retrievals
    assert [e["event"] for e in read_log(served.log)] == ["login", "query", "query", "content", "content"]
    assert verify_log(read_log(served.log), w.ledger, keeper) == []
    code, out = s.get_json("/log")
    assert out["anchored"]["entries"] == 5 and served.events("query")[-1]["query"] == "log"
    # unknown fingerprint, malformed fingerprint, a path instead of a fingerprint
    assert s.content(keccak(text="none"))[0] == 404
    assert s.get_json("/records/0x1234")[0] == 400
    for path in ("/content/..%2F..%2Fetc%2Fpasswd", "/content/../../etc/passwd", "/records/..%2Faccess.jsonl"):
        code, raw, _ = s._req("GET", path)
        assert code in (400, 404) and b"root:" not in raw and b"seq" not in raw
    # logout ends the session on the server: the old token no longer works
    token = s.token
    assert s.logout() == 200
    assert AuditorSession(served.url, w.chain.chain_id, w.ledger.contract.address, token).get_json("/records")[0] == 401
    assert served.events("logout")[-1]["auditor"] == a.address


def test_nobody_without_the_role_gets_content_and_every_failed_login_is_logged(w: EvidenceWorld, served: Served) -> None:
    v1, _ = served.fps
    a = auditor(w)
    anon = served.session(w)
    assert anon.content(v1)[0] == 401  # no session
    assert anon.get_json("/records")[0] == 401
    anon.token = "forged-token"
    assert anon.get_json("/records")[0] == 401
    outsider = Account.from_key(keccak(text="outsider"))
    code, out = served.session(w).login(outsider)
    assert code == 403 and "AUDITOR" in out["error"]
    # the real auditor's challenge, signed by another key
    s = served.session(w)
    ch = json.loads(s._req("POST", "/challenge", {"address": a.address})[1])
    sig = outsider.sign_message(encode_defunct(text=ch["message"])).signature.to_0x_hex()
    assert s._req("POST", "/login", {"message": ch["message"], "signature": sig})[0] == 403
    # the nonce is single-use: even the right signature cannot use it now
    good = a.sign_message(encode_defunct(text=ch["message"])).signature.to_0x_hex()
    code, raw, _ = s._req("POST", "/login", {"message": ch["message"], "signature": good})
    assert code == 403 and b"used" in raw
    # garbage
    assert s._req("POST", "/login", {"message": 5, "signature": None})[0] == 400
    refused = served.events("login-refused")
    assert [(e["reason"], e["address"]) for e in refused] == [("no-role", outsider.address), ("bad-signature", a.address), ("unknown-nonce", a.address), ("malformed", "")]
    # an auditor whose role is revoked after login loses access at once
    s = served.session(w)
    assert s.login(a)[0] == 200
    w.chain.transact(w.jurisdiction.functions.revokeRole(AUDITOR_ROLE, a.address), Staff.ADMIN)
    code, data, _ = s.content(v1)
    assert code == 403 and b"no longer" in data
    assert served.events("content") == []  # nothing handed out
    assert served.events("refused")[-1]["address"] == a.address


def test_a_look_alike_server_relaying_a_real_auditors_login_gets_nothing(w: EvidenceWorld, served: Served) -> None:
    """Issue 19's login relay: a look-alike at another address forwards the real server's challenge to
    the auditor and the signature back. The project's client refuses to sign a message naming another
    server; a message rewritten to name the look-alike is refused by the real server and logged."""
    v1, _ = served.fps
    a = auditor(w)
    real = served.session(w)
    signed: list[dict] = []
    stolen: dict[str, str] = {}
    rewrite = threading.Event()

    async def challenge(request: Request) -> JSONResponse:
        code, raw, _ = real._req("POST", "/challenge", json.loads(await request.body()))
        ch = json.loads(raw)
        if rewrite.is_set():  # name the look-alike, keep the real nonce and times
            ch["message"] = ch["message"].replace(served.url.removeprefix("http://"), look.removeprefix("http://"))
        return JSONResponse(ch, status_code=code)

    async def login(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        signed.append(body)
        code, raw, _ = real._req("POST", "/login", body)
        out = json.loads(raw)
        if code == 200:
            stolen["token"] = out["token"]
        return JSONResponse(out, status_code=code)

    relay = Starlette(routes=[Route("/challenge", challenge, methods=["POST"]), Route("/login", login, methods=["POST"])])
    with web.serving(relay) as look:
        victim = served.session(w, look)
        with pytest.raises(LoginRefused, match=f"names the server {served.url}"):
            victim.login(a)
        assert signed == [] and stolen == {}  # nothing was signed
        # the look-alike rewrites the message to name itself: the victim signs (it names the server it
        # talks to), but the real server did not issue that message
        rewrite.set()
        code, out = victim.login(a)
        assert code == 403 and len(signed) == 1 and stolen == {}
    assert served.events("login-refused")[-1]["reason"] == "not-issued" and served.events("login-refused")[-1]["address"] == a.address
    assert served.events("content") == [] and served.events("login") == []
    # and the real server, reached directly, still works for the auditor
    s = served.session(w)
    assert s.login(a)[0] == 200 and s.content(v1)[0] == 200


def test_a_listing_does_not_wait_for_a_retrieval_being_anchored(w: EvidenceWorld, served: Served) -> None:
    """Only a retrieval's append and its anchoring are serialised: while its transaction is being
    mined (held here for as long as the test likes), listings and record queries are served."""
    v1, _ = served.fps
    s = served.session(w)
    assert s.login(auditor(w))[0] == 200
    mining, release = threading.Event(), threading.Event()
    real = served.service.anchor

    def slow(head: bytes, seq: int) -> None:
        mining.set()
        assert release.wait(30)
        real(head, seq)

    served.service.anchor = slow
    got: list[int] = []
    t = threading.Thread(target=lambda: got.append(s.content(v1)[0]))
    t.start()
    try:
        assert mining.wait(10)
        started = time.monotonic()
        code, out = AuditorSession(served.url, w.chain.chain_id, w.ledger.contract.address, s.token).get_json("/records")
        assert code == 200 and len(out["records"]) == 2
        assert s.get_json(f"/records/0x{v1.hex()}")[0] == 200
        assert time.monotonic() - started < 5 and got == []  # answered while the retrieval still waits
    finally:
        release.set()
        t.join(30)
    assert got == [200]
    # the retrieval's entry was appended before the listings and is the one anchored
    events = read_log(served.log)
    assert [e["event"] for e in events] == ["login", "content", "query", "query"]
    assert served.service.anchored_head()[1] == 2
    assert verify_log(events, w.ledger, w.chain.accounts[Staff.KEEPER].address) == ["entries 3..4 are not anchored yet"]


def test_anchoring_failures_withhold_content(w: EvidenceWorld, served: Served, tmp_path: Path) -> None:
    v1, _ = served.fps
    s = served.session(w)
    s.login(auditor(w))

    def down(head: bytes, seq: int) -> None:
        raise ConnectionError("node at /var/run/secret.sock unreachable")

    served.service.anchor = down
    code, raw, _ = s.content(v1)
    assert code == 503 and b"withheld" in raw and b"/var" not in raw
    # content altered on disk: refused without the store's path
    served.service.anchor = served.service._anchor_on_chain
    blob = next(p for p in (tmp_path / "content").rglob("*") if p.is_file() and p.read_bytes() == b"audit report v1")
    blob.write_bytes(b"audit report v1, quietly edited")
    code, raw, _ = s.content(v1)
    assert code == 500 and b"withheld" in raw and str(tmp_path).encode() not in raw
    # a keeper key without RECORDS_KEEPER: the anchoring reverts, the content stays
    served.service.keeper = w.key(7)
    code, raw, _ = s.content(served.fps[1])
    assert code == 503 and b"not anchored" in raw


def test_http_limits_and_error_bodies(w: EvidenceWorld, served: Served) -> None:
    host, port = served.url.removeprefix("http://").split(":")

    def raw(request: bytes, wait: float = 5) -> bytes:
        with socket.create_connection((host, int(port)), timeout=wait) as c:
            c.sendall(request)
            out = b""
            while chunk := c.recv(65536):
                out += chunk
            return out

    r = raw(b"POST /challenge HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}")
    assert r.startswith(b"HTTP/1.1 400")
    r = raw(b"POST /challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n{}")
    assert r.startswith(b"HTTP/1.1 413")
    chunk = b"%x\r\n%s\r\n" % (8192, b"a" * 8192)
    r = raw(b"POST /challenge HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunk * 4 + b"0\r\n\r\n")
    assert r.startswith(b"HTTP/1.1 413")
    r = raw(b"POST /challenge HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")  # no body at all
    assert r.startswith(b"HTTP/1.1 400") and b"not an address" in r
    started = time.monotonic()  # a body that stops arriving: 408 after the read timeout (1 s here)
    r = raw(b'POST /challenge HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{"addr')
    assert r.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 5
    r = raw(b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert r.startswith(b"HTTP/1.1 404") and b"no-store" in r.lower()
    for resp in (r,):
        assert b"server:" not in resp.lower() and b"uvicorn" not in resp.lower() and b"python" not in resp.lower()
    # an internal failure: 500 with no path or traceback
    served.service.records = lambda *a: (_ for _ in ()).throw(RuntimeError("/srv/zhili/secret.py line 3"))  # type: ignore[method-assign]
    s = served.session(w)
    s.login(auditor(w))
    code, out = s.get_json("/records")
    assert (code, out) == (500, {"error": "internal error"})

    # the node down while reading the role: 503, not a dropped connection
    def down(address: str) -> bool:
        raise ChainUnavailable("http://10.0.0.7:8545 refused the connection")

    served.service.auth.has_role = down
    code, out = s.get_json("/records")
    assert code == 503 and "10.0.0.7" not in out["error"]
    # a slow partial request head is cut after the head timeout (1 s here)
    with socket.create_connection((host, int(port)), timeout=10) as c:
        c.sendall(b"GET /records HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert c.recv(100) == b"" and time.monotonic() - started < 5
    # the connection limit (20 here): idle connections beyond it do not starve the service for ever, and
    # a request over the limit gets 503
    idle = [socket.create_connection((host, int(port))) for _ in range(20)]
    try:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/records")
        assert conn.getresponse().status == 503
        conn.close()
    finally:
        for c in idle:
            c.close()


def test_the_log_is_locked_repaired_and_checked_against_the_chain(w: EvidenceWorld, served: Served, tmp_path: Path) -> None:
    v1, v2 = served.fps
    s = served.session(w)
    s.login(auditor(w))
    assert s.content(v1)[0] == 200
    # a second service on the same log refuses to start
    with pytest.raises(ServiceRefused, match="in use by another service"):
        AccessLog(served.log)
    s.logout()
    served.service.close()  # flushes (anchors the logout) and unlocks
    keeper = w.chain.accounts[Staff.KEEPER].address
    assert verify_log(read_log(served.log), w.ledger, keeper) == []
    # a torn last line (a disk that filled mid-write) is cut and reported; the rest is kept
    whole = served.log.read_bytes()
    served.log.write_bytes(whole + b'{"seq": 4, "time": 17')
    log = AccessLog(served.log)
    assert log.repaired == b'{"seq": 4, "time": 17' and served.log.read_bytes() == whole and len(log.entries) == 3
    service = AuditorService(w.ledger, served.store, log, Staff.KEEPER, free_url())
    service.close()
    # a service restarted on an empty log (or another log) refuses to serve
    empty = AccessLog(tmp_path / "fresh.jsonl")
    with pytest.raises(ServiceRefused, match="anchors 3 access-log entries"):
        AuditorService(w.ledger, served.store, empty, Staff.KEEPER, free_url())
    empty.close()
    # a log rewritten with as many entries refuses too
    entries = read_log(served.log)
    forged = AccessLog(tmp_path / "forged.jsonl")
    for e in entries:
        forged.append(**{k: v for k, v in e.items() if k not in ("seq", "time", "prev", "hash")} | {"auditor": "0x" + "11" * 20})
    with pytest.raises(ServiceRefused, match="differs from the head anchored"):
        AuditorService(w.ledger, served.store, forged, Staff.KEEPER, free_url())
    forged.close()
    # entries appended after the anchored head (a crash before shutdown) are anchored at start
    log = AccessLog(served.log)
    log.append(event="query", auditor=auditor(w).address, query="records?offset=0&limit=1")
    service = AuditorService(w.ledger, served.store, log, Staff.KEEPER, free_url())
    assert service.anchored_head()[1] == 4 and verify_log(read_log(served.log), w.ledger, keeper) == []
    service.close()


def test_tampered_log_is_detected(w: EvidenceWorld, served: Served, tmp_path: Path) -> None:
    v1, v2 = served.fps
    s = served.session(w)
    s.login(auditor(w))
    for fp in (v1, v2, v1):
        assert s.content(fp)[0] == 200
    keeper = w.chain.accounts[Staff.KEEPER].address
    log = read_log(served.log)
    assert verify_log(log, w.ledger, keeper) == []
    # erase the second retrieval and re-chain the rest: the anchors on chain no longer match
    forged = AccessLog(tmp_path / "forged.jsonl")
    for e in (log[0], log[1], log[3]):
        forged.append(**{k: v for k, v in e.items() if k not in ("seq", "time", "prev", "hash")})
    forged.close()
    problems = verify_log(read_log(tmp_path / "forged.jsonl"), w.ledger, keeper)
    assert any("truncated" in p for p in problems) and any("differs" in p for p in problems)
    # edit one entry in place: the chaining breaks
    log[1]["auditor"] = "0x" + "11" * 20
    assert any("does not chain" in p for p in verify_log(log, w.ledger, keeper))


def test_a_server_naming_another_chain_or_ledger_gets_no_signature(w: EvidenceWorld, served: Served) -> None:
    """A service set up for another ledger (or chain) than the auditor's tool expects: refused before signing."""
    a = auditor(w)
    other = "0x" + "cd" * 20
    with pytest.raises(LoginRefused, match="does not name the ledger"):
        AuditorSession(served.url, w.chain.chain_id, other).login(a)
    with pytest.raises(LoginRefused, match="names chain"):
        AuditorSession(served.url, w.chain.chain_id + 1, w.ledger.contract.address).login(a)
    assert Realm(served.url, w.chain.chain_id, w.ledger.contract.address).domain == served.url.removeprefix("http://")


def test_the_listing_can_read_the_index_instead_of_replaying_the_ledger(w: EvidenceWorld, served: Served, tmp_path: Path) -> None:
    ix = open_index(str(tmp_path / "index.db"))
    ix.add(w.chain, Target(jurisdiction=w.jurisdiction.address, evidence=w.ledger.contract.address))
    ix.sync(w.chain)
    replayed = served.service.records(auditor(w).address, 0, 100)
    served.service.listing = ledger_versions(ix.engine, w.ledger.contract.address)
    s = served.session(w)
    s.login(auditor(w))
    code, out = s.get_json("/records")
    assert code == 200 and out["records"] == json.loads(json.dumps(replayed)) and len(replayed) == 2
    assert s.get_json("/records?offset=1&limit=5")[1]["records"] == out["records"][1:]
    assert served.events("query")[-1]["query"] == "records?offset=1&limit=5"
    ix.engine.dispose()
