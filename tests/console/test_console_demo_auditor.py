"""``zhili console --demo``'s auditor (issue 19): the demo makes a fresh key in its temporary directory
(mode 0600) that holds AUDITOR on the demo chain, starts the content service behind the auditor pages
(``console.cli._content_service``, as ``--ledger …`` does) and prints how to sign in without a wallet:
``zhili auth sign`` signs the message the login page shows, after the client-side checks
(``zhili.core.auth.check_before_signing``). Proven on the evidence world (the demo's admin and keeper
accounts are the world's too) rather than a whole demo term: /login is served, the demo auditor's pasted
signature gets a session and the audit page, a key without the role is refused, and ``auth sign``
refuses a message naming another server."""

from __future__ import annotations

import io
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak
from starlette.testclient import TestClient

from chain_kit import snapshot_world, z
from evidence_kit import EvidenceWorld, build_world
from zhili.console.app import create_app
from zhili.console.cli import _content_service, demo_auditor, demo_sign_in_hint
from zhili.core.chain import Chain
from zhili.evidence.auditor import read_log
from zhili.index.indexer import open_index

URI = "http://testserver"


@pytest.fixture
def w(session_chain: Chain) -> Iterator[EvidenceWorld]:
    yield from snapshot_world(session_chain, "evidence", build_world)


def sign(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, key_file: Path, message: str, w: EvidenceWorld, server: str = URI) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(message + "\n"))  # pasted, then Enter and Ctrl-D
    return z(capsys, "auth", "sign", "--key-file", str(key_file), "--server", server, "--ledger", w.ledger.contract.address, "--ledger-chain-id", str(w.chain.chain_id))


def test_the_demo_auditor_signs_in_by_pasting_a_signature_and_a_key_without_the_role_is_refused(
    w: EvidenceWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    who = demo_auditor(w.chain, tmp_path, w.ledger.contract.address)
    # the secret stays in the demo's directory, readable by its owner only
    assert who.key_file.parent == tmp_path and stat.S_IMODE(who.key_file.stat().st_mode) == 0o600
    assert Account.from_key(who.key_file.read_text().strip()).address == who.address
    assert {Path(p).parent for p in (who.options.store, who.options.log)} == {tmp_path}
    hint = "\n".join(demo_sign_in_hint(who, w.chain.chain_id)(URI))
    assert f"zhili auth sign --key-file {who.key_file} --server {URI} --ledger {w.ledger.contract.address} --ledger-chain-id {w.chain.chain_id}" in hint
    db = tmp_path / "index.db"
    open_index(str(db)).engine.dispose()
    service = _content_service(w.chain, who.options, URI, str(db))
    try:
        client = TestClient(create_app(str(db), w.chain, service), cookies={"lang": "en"})
        page = client.get("/login")
        assert page.status_code == 200 and w.ledger.contract.address in page.text and 'id="signature"' in page.text
        message = client.post("/login/challenge", json={"address": who.address}).json()["message"]
        code, signature, err = sign(capsys, monkeypatch, who.key_file, message, w)
        assert code == 0, err
        r = client.post("/login", data={"message": message.replace("\n", "\r\n"), "signature": signature.strip()}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/audit"
        page = client.get("/audit")
        assert page.status_code == 200 and who.address in page.text and page.headers["cache-control"] == "no-store"
        # a key that does not hold the role: signed the same way, refused, logged
        outsider = tmp_path / "outsider.key"
        acct = Account.from_key(keccak(text="demo outsider"))
        outsider.write_text(acct.key.to_0x_hex())
        other = TestClient(create_app(str(db), w.chain, service), cookies={"lang": "en"})
        message = other.post("/login/challenge", json={"address": acct.address}).json()["message"]
        code, signature, err = sign(capsys, monkeypatch, outsider, message, w)
        assert code == 0, err
        r = other.post("/login", data={"message": message, "signature": signature.strip()}, follow_redirects=False)
        assert r.status_code == 403 and "AUDITOR" in r.text and "zhili_session" not in r.headers.get("set-cookie", "")
        assert other.get("/audit", follow_redirects=False).status_code == 303
        assert [e["event"] for e in read_log(Path(who.options.log))] == ["login", "query", "login-refused"]
        # the client-side checks: a message of another server (a relaying look-alike) or for another key is not signed
        code, got, err = sign(capsys, monkeypatch, who.key_file, message, w, server="http://127.0.0.1:9")
        assert code == 2 and got == "" and "not signing" in err
        message = client.post("/login/challenge", json={"address": acct.address}).json()["message"]
        code, got, err = sign(capsys, monkeypatch, who.key_file, message, w)
        assert code == 2 and got == "" and f"it is for {acct.address}" in err
    finally:
        service.close()


def test_auth_sign_refuses_a_bad_key_file_without_echoing_it(w: EvidenceWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.key"
    bad.write_text("0xsecretbutnotakey")
    code, got, err = sign(capsys, monkeypatch, bad, "hello", w)
    assert code == 2 and got == "" and "not a private key" in err and "secretbutnotakey" not in err
    code, got, err = sign(capsys, monkeypatch, tmp_path / "missing.key", "hello", w)
    assert code == 2 and "cannot read it" in err
    good = tmp_path / "good.key"
    good.write_text(Account.from_key(keccak(text="k")).key.to_0x_hex())
    code, got, err = sign(capsys, monkeypatch, good, "not a sign-in message", w)
    assert code == 2 and got == "" and "not an EIP-4361 message" in err
