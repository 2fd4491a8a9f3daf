"""The auditor service (R-DOC-5) on 127.0.0.1: signed-challenge login against the on-chain AUDITOR
role, listing and retrieval, every retrieval logged and anchored, tampering with the log detected."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak

from evidence_kit import EvidenceWorld
from zhili.core.store import DirectoryStore
from zhili.evidence.auditor import AccessLog, AuditorService, AuditorSession, make_server, read_log, verify_log
from zhili.evidence.client import AUDITOR as AUDITOR_ROLE
from zhili.evidence.client import DocMeta, Kind
from zhili.testing import Staff
from zhili.types import Category

META = DocMeta(title="关于村级财务审计的通报", category=Category.DISCIPLINE, summary="审计发现问题 3 项。")


@pytest.fixture
def served(w: EvidenceWorld, tmp_path: Path) -> Iterator[tuple[AuditorService, str, list[bytes]]]:
    store = DirectoryStore(tmp_path / "content")
    v1 = w.ledger.anchor(b"audit report v1", META, w.key(1), store=store)
    v2 = w.ledger.new_version(v1, Kind.AMENDMENT, b"audit report v2", META, "更正数字", w.key(1), store=store)
    service = AuditorService(w.ledger, store, AccessLog(tmp_path / "access.jsonl"), Staff.KEEPER)
    server = make_server(service)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield service, f"http://127.0.0.1:{server.server_address[1]}", [v1, v2]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_auditor_lists_retrieves_and_every_retrieval_is_anchored(w: EvidenceWorld, served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service, url, (v1, v2) = served
    auditor = w.chain.accounts[Staff.AUDITOR]
    s = AuditorSession(url)
    code, out = s.login(auditor)
    assert code == 200 and out["auditor"] == auditor.address
    code, out = s.get_json("/records")
    assert code == 200 and [r["status"] for r in out["records"]] == ["superseded", "current"]
    code, out = s.get_json(f"/records/0x{v1.hex()}")
    assert code == 200 and [h["version"] for h in out["history"]] == [1, 2]
    for fp, body in ((v1, b"audit report v1"), (v2, b"audit report v2")):
        code, data, headers = s.content(fp)
        assert code == 200 and data == body
    # two retrievals, two entries; the chain holds the head of the second
    log = read_log(tmp_path / "access.jsonl")
    assert [e["auditor"] for e in log] == [auditor.address] * 2 and log[1]["trace"].endswith("/v2")
    head, entries, _ = w.chain.call(w.ledger.contract.functions.accessLog(w.chain.accounts[Staff.KEEPER].address))
    assert (int(entries), "0x" + bytes(head).hex()) == (2, log[1]["hash"])
    assert verify_log(log, w.ledger, w.chain.accounts[Staff.KEEPER].address) == []
    # metadata listing is not a content retrieval: still two entries
    s.get_json("/records")
    assert len(read_log(tmp_path / "access.jsonl")) == 2
    code, out = s.get_json("/log")
    assert out["anchored"]["entries"] == 2
    # unknown fingerprint, malformed fingerprint
    assert s.content(keccak(text="none"))[0] == 404
    assert s.get_json("/records/0x1234")[0] == 400


def test_nobody_without_the_role_gets_content(w: EvidenceWorld, served) -> None:  # type: ignore[no-untyped-def]
    service, url, (v1, _) = served
    anon = AuditorSession(url)
    assert anon.content(v1)[0] == 401  # no token
    assert anon.get_json("/records")[0] == 401
    outsider = Account.from_key(keccak(text="outsider"))
    code, out = AuditorSession(url).login(outsider)
    assert code == 403 and "R-DOC-5" in out["error"] and "AUDITOR" in out["error"]
    # a signature by another key than the one claimed
    ch = AuditorSession(url)._req("POST", "/challenge", {"address": w.chain.accounts[Staff.AUDITOR].address})
    from eth_account.messages import encode_defunct

    nonce = json.loads(ch[1])["nonce"]
    sig = outsider.sign_message(encode_defunct(text=json.loads(ch[1])["message"])).signature.hex()
    code, raw, _ = AuditorSession(url)._req("POST", "/login", {"address": w.chain.accounts[Staff.AUDITOR].address, "nonce": nonce, "signature": sig})
    assert code == 403
    # the nonce is single-use: the same challenge cannot be replayed
    code, raw, _ = AuditorSession(url)._req("POST", "/login", {"address": w.chain.accounts[Staff.AUDITOR].address, "nonce": nonce, "signature": sig})
    assert code == 403 and b"used" in raw
    # an auditor whose role is revoked after login loses access at once
    s = AuditorSession(url)
    assert s.login(w.chain.accounts[Staff.AUDITOR])[0] == 200
    w.chain.transact(w.jurisdiction.functions.revokeRole(AUDITOR_ROLE, w.chain.accounts[Staff.AUDITOR].address), Staff.ADMIN)
    code, data, _ = s.content(v1)
    assert code == 403 and b"no longer" in data
    assert service.log.entries == []  # nothing handed out, nothing logged


def test_tampered_log_is_detected(w: EvidenceWorld, served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service, url, (v1, v2) = served
    s = AuditorSession(url)
    s.login(w.chain.accounts[Staff.AUDITOR])
    for fp in (v1, v2, v1):
        assert s.content(fp)[0] == 200
    keeper = w.chain.accounts[Staff.KEEPER].address
    log = read_log(tmp_path / "access.jsonl")
    assert verify_log(log, w.ledger, keeper) == []
    # erase the second retrieval and re-chain the rest: the anchors on chain no longer match
    forged = AccessLog(tmp_path / "forged.jsonl")
    for e in (log[0], log[2]):
        forged.append(auditor=e["auditor"], fingerprint=e["fingerprint"], trace=e["trace"])
    problems = verify_log(read_log(tmp_path / "forged.jsonl"), w.ledger, keeper)
    assert any("truncated" in p for p in problems) and any("differs" in p for p in problems)
    # edit one entry in place: the chaining breaks
    log[1]["auditor"] = "0x" + "11" * 20
    assert any("does not chain" in p for p in verify_log(log, w.ledger, keeper))
