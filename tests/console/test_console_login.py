"""The console's non-public pages (R-DOC-5, issue 19): Sign-In with Ethereum through the auditor
content service (same login, role read from the chain at every request, same access log), a session
cookie that is HttpOnly and SameSite=Strict, logout, refusals logged, ``Cache-Control: no-store``.
Over an evidence world (tests/evidence/evidence_kit.py) and an empty index; the browser test signs
through an injected ``window.ethereum`` backed by a test key."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak
from starlette.testclient import TestClient

import zhili
from chain_kit import snapshot_world
from evidence_kit import EvidenceWorld, build_world
from zhili.console.app import create_app
from zhili.core import web
from zhili.core.chain import Chain
from zhili.core.store import DirectoryStore
from zhili.evidence.auditor import AccessLog, AuditorService, read_log
from zhili.evidence.client import AUDITOR as AUDITOR_ROLE
from zhili.evidence.client import DocMeta
from zhili.index.indexer import open_index
from zhili.testing import Staff
from zhili.types import Category

META = DocMeta(title="巡察报告", category=Category.DISCIPLINE, summary="非公开")


@dataclass
class Console:
    w: EvidenceWorld
    service: AuditorService
    db: Path
    log: Path
    fp: bytes

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in read_log(self.log) if e.get("event") == kind]


@pytest.fixture
def w(session_chain: Chain) -> Iterator[EvidenceWorld]:
    yield from snapshot_world(session_chain, "evidence", build_world)


def make(w: EvidenceWorld, tmp_path: Path, uri: str) -> Console:
    store = DirectoryStore(tmp_path / "content")
    fp = w.ledger.anchor(b"inspection report", META, w.key(1), store=store)
    db = tmp_path / "index.db"
    open_index(str(db)).engine.dispose()
    service = AuditorService(w.ledger, store, AccessLog(tmp_path / "access.jsonl"), Staff.KEEPER, uri)
    return Console(w, service, db, tmp_path / "access.jsonl", fp)


@pytest.fixture
def console(w: EvidenceWorld, tmp_path: Path) -> Iterator[Console]:
    c = make(w, tmp_path, "http://testserver")
    yield c
    c.service.close()


def login(client: TestClient, account: Any) -> Any:
    ch = client.post("/login/challenge", json={"address": account.address})
    assert ch.status_code == 200 and ch.headers["cache-control"] == "no-store"
    message = ch.json()["message"]
    sig = account.sign_message(encode_defunct(text=message)).signature.to_0x_hex()
    return client.post("/login", data={"message": message, "signature": sig}, follow_redirects=False)


def test_an_auditor_signs_in_reads_the_records_downloads_and_signs_out(console: Console) -> None:
    w, auditor = console.w, console.w.chain.accounts[Staff.AUDITOR]
    client = TestClient(create_app(str(console.db), w.chain, console.service))
    r = client.get("/audit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    page = client.get("/login")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert w.ledger.contract.address in page.text and "http://testserver" in page.text and 'src="/static/login.js"' in page.text
    r = login(client, auditor)
    assert r.status_code == 303 and r.headers["location"] == "/audit"
    cookie = r.headers["set-cookie"].lower()
    assert "zhili_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/audit")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert auditor.address in page.text and f"/audit/content/0x{console.fp.hex()}" in page.text
    r = client.get(f"/audit/content/0x{console.fp.hex()}")
    assert r.status_code == 200 and r.content == b"inspection report" and r.headers["cache-control"] == "no-store"
    assert "attachment" in r.headers["content-disposition"]
    assert [e["event"] for e in read_log(console.log)] == ["login", "query", "content"]
    assert console.service.anchored_head()[1] == 3  # the retrieval anchored (and the entries before it)
    assert client.get("/audit/content/0x1234").status_code == 400
    assert client.get(f"/audit/content/0x{keccak(text='none').hex()}").status_code == 404
    # sign out: the cookie is cleared and the session ended on the server (the old cookie no longer works)
    token = client.cookies.get("zhili_session")
    r = client.post("/logout", follow_redirects=False)
    assert r.status_code == 303 and 'zhili_session=""' in r.headers["set-cookie"]
    stale = TestClient(create_app(str(console.db), w.chain, console.service), cookies={"zhili_session": token or ""})
    assert stale.get("/audit", follow_redirects=False).status_code == 303
    assert console.events("logout")[-1]["auditor"] == auditor.address


def test_refused_sign_ins_and_a_revoked_role_are_logged_and_show_nothing(console: Console) -> None:
    w, auditor = console.w, console.w.chain.accounts[Staff.AUDITOR]
    client = TestClient(create_app(str(console.db), w.chain, console.service), cookies={"lang": "en"})
    outsider = Account.from_key(keccak(text="outsider"))
    r = login(client, outsider)
    assert r.status_code == 403 and "AUDITOR" in r.text and "zhili_session" not in r.headers.get("set-cookie", "")
    # a signature by another key; then the nonce replayed with the right one
    message = client.post("/login/challenge", json={"address": auditor.address}).json()["message"]
    bad = outsider.sign_message(encode_defunct(text=message)).signature.to_0x_hex()
    assert client.post("/login", data={"message": message, "signature": bad}).status_code == 403
    good = auditor.sign_message(encode_defunct(text=message)).signature.to_0x_hex()
    assert client.post("/login", data={"message": message, "signature": good}).status_code == 403
    assert client.post("/login", data={"message": "hello", "signature": "0x"}).status_code == 400
    assert client.post("/login/challenge", json={"address": "0x12"}).status_code == 400
    assert client.post("/login/challenge", content=b"[1]", headers={"content-type": "application/json"}).status_code == 400
    reasons = [e["reason"] for e in console.events("login-refused")]
    assert reasons == ["no-role", "bad-signature", "unknown-nonce", "malformed"]
    # signed in, then the role is revoked on chain: the next page is refused at once, and logged
    assert login(client, auditor).status_code == 303
    w.chain.transact(w.jurisdiction.functions.revokeRole(AUDITOR_ROLE, auditor.address), Staff.ADMIN)
    page = client.get("/audit")
    assert page.status_code == 403 and "revoked" in page.text and "inspection" not in page.text
    assert client.get(f"/audit/content/0x{console.fp.hex()}", follow_redirects=False).status_code == 303  # the session is gone
    assert console.events("refused")[-1]["address"] == auditor.address and console.events("content") == []


def test_a_console_without_a_content_service_has_no_sign_in(console: Console) -> None:
    client = TestClient(create_app(str(console.db), console.w.chain))
    for path in ("/login", "/audit"):
        r = client.get(path)
        assert r.status_code == 404 and "not configured" in client.get(path + "?lang=en").text
    assert "/audit" not in client.get("/").text


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

WALLET = """
window.ethereum = {
  request: async ({method, params}) => {
    if (method === "eth_requestAccounts") { return [await window.zhiliAddress()]; }
    if (method === "eth_chainId") { return "0x" + (await window.zhiliChain()).toString(16); }
    if (method === "personal_sign") { return await window.zhiliSign(params[0]); }
    throw new Error("unsupported " + method);
  },
};
"""


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_signing_in_from_the_browser_with_a_wallet(w: EvidenceWorld, tmp_path: Path) -> None:
    """The login page's script in Chromium: a wallet (``window.ethereum``, signing with a test key in
    Python) is asked to sign only after the script checked the message; the auditor lands on the
    records and signs out. A key without the role gets the refusal, in the page."""
    sync_api = pytest.importorskip("playwright.sync_api")
    sock = web.listen("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()
    c = make(w, tmp_path, url)
    signed: list[str] = []
    try:
        with web.serving(create_app(str(c.db), w.chain, c.service), "127.0.0.1", int(url.rsplit(":", 1)[1])), sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            try:
                # a look-alike relaying another server's message (here: the message rewritten on its way to
                # the page): the script refuses before the wallet is asked to sign anything
                ctx = browser.new_context(base_url=url, locale="en-US")
                page = ctx.new_page()
                page.expose_function("zhiliSign", lambda hex_message: signed.append("relayed"))  # never called
                page.expose_function("zhiliAddress", lambda: w.chain.accounts[Staff.AUDITOR].address)
                page.expose_function("zhiliChain", lambda: w.chain.chain_id)
                page.add_init_script(WALLET)

                def relay(route: Any) -> None:
                    body = route.fetch().json()
                    body["message"] = body["message"].replace(url.removeprefix("http://"), "real-county-server.example:443")
                    route.fulfill(json=body)

                page.route("**/login/challenge", relay)
                page.goto("/login?lang=en")
                page.get_by_role("button", name="Sign with the browser wallet").click()
                sync_api.expect(page.locator("#login-status")).to_contain_text("not signing: the message names another server")
                assert signed == [] and page.url.endswith("/login?lang=en")
                ctx.close()
                for account, lands in ((Account.from_key(keccak(text="outsider")), "/login"), (w.chain.accounts[Staff.AUDITOR], "/audit")):
                    ctx = browser.new_context(base_url=url, locale="en-US")
                    page = ctx.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))

                    def sign(hex_message: str, account: Any = account) -> str:
                        text = bytes.fromhex(hex_message.removeprefix("0x")).decode()
                        signed.append(text)
                        return str(account.sign_message(encode_defunct(text=text)).signature.to_0x_hex())

                    page.expose_function("zhiliSign", sign)
                    page.expose_function("zhiliAddress", lambda account=account: account.address)
                    page.expose_function("zhiliChain", lambda: w.chain.chain_id)
                    page.add_init_script(WALLET)
                    page.goto("/login?lang=en")
                    page.get_by_role("button", name="Sign with the browser wallet").click()
                    page.wait_for_url(f"**{lands}")
                    if lands == "/audit":
                        assert page.locator("#auditor").inner_text() == account.address
                        assert page.locator("#records a[download]").count() == 1
                        page.get_by_role("button", name="Sign out").click()
                        page.wait_for_url(f"{url}/")
                    else:
                        page.wait_for_selector("#login-error")
                        assert "AUDITOR" in page.locator("#login-error").inner_text()
                    assert errors == []
                    ctx.close()
            finally:
                browser.close()
    finally:
        c.service.close()
    assert len(signed) == 2 and all(s.startswith(f"{url} wants you to sign in") for s in signed)
    assert [e["event"] for e in read_log(c.log)][:1] == ["login-refused"] and [e["event"] for e in read_log(c.log)][-2:] == ["query", "logout"]


def test_zhili_console_with_a_ledger_serves_the_sign_in(w: EvidenceWorld, tmp_path: Path) -> None:
    """`zhili console --ledger … --store … --log … --keeper …` in its own process, on the node of the
    test chain: the auditor signs in and downloads; without --chain the option is refused."""
    if w.chain.kind != "anvil":
        pytest.skip("the command reaches the node by URL: anvil only")
    c = make(w, tmp_path, "http://unused")
    c.service.close()  # only its store, log and index are used: the command opens its own service
    node = str(getattr(w.chain.w3.provider, "endpoint_uri", ""))
    keys = ",".join(a.key.hex() for a in w.chain.accounts)
    env = {**os.environ, "ZHILI_PRIVATE_KEYS": keys, "PYTHONPATH": os.pathsep.join([str(Path(zhili.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    base = [sys.executable, "-m", "zhili.cli", "console", "--db", str(c.db)]
    opts = ["--ledger", w.ledger.contract.address, "--store", str(tmp_path / "content"), "--log", str(c.log), "--keeper", str(Staff.KEEPER)]
    refused = subprocess.run([*base, *opts], capture_output=True, text=True, env=env, timeout=120)
    assert refused.returncode == 2 and "--ledger needs --chain" in refused.stderr
    proc = subprocess.Popen([*base, "--chain", node, *opts], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = (proc.stdout.readline() + proc.stdout.readline()) if proc.stdout else ""
        found = re.search(r"sign in at (http://\S+)/login", line)
        assert found, (line, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        site, auditor, http = found.group(1), w.chain.accounts[Staff.AUDITOR], requests.Session()
        message = http.post(site + "/login/challenge", json={"address": auditor.address}, timeout=30).json()["message"]
        sig = auditor.sign_message(encode_defunct(text=message)).signature.to_0x_hex()
        r = http.post(site + "/login", data={"message": message, "signature": sig}, allow_redirects=False, timeout=30)
        assert r.status_code == 303 and http.get(site + "/audit", timeout=30).status_code == 200
        assert http.get(f"{site}/audit/content/0x{c.fp.hex()}", timeout=30).content == b"inspection report"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    assert [e["event"] for e in read_log(c.log)] == ["login", "query", "content"]
