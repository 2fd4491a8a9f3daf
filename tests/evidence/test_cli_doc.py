"""Documents, oath and handover through the ``zhili`` command on a persistent node (R-DOC-1 ... R-DOC-9)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from eth_account import Account
from eth_utils import keccak

import zhili
from chain_kit import z
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.core.store import fingerprint
from zhili.evidence.auditor import AuditorSession, read_log
from zhili.jurisdiction import registry
from zhili.persons.client import label_identity
from zhili.testing import ROLE_HOLDERS, HandSeater, Staff


def test_documents_oath_and_handover_by_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    chain_opts = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    staff = anvil_accounts(9)  # zhili.testing.Staff: ADMIN, the seven role holders (ROLE_HOLDERS), KEEPER
    people = [Account.from_key(keccak(text=f"cli doc person {i}")) for i in range(3)]  # new secretary, outgoing, supervisor
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff + people))
    P = {i: str(len(staff) + i) for i in range(3)}  # --from index of each person's key
    for p in people:
        requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "anvil_setBalance", "params": [p.address, hex(10**18)]})

    roles = [f"--role={r}={staff[who].address}" for r, who in ROLE_HOLDERS.items()]
    code, o, _ = z(capsys, "deploy", "--code", "330110-001", "--name", "良渚镇", "--json", *roles, *chain_opts)
    jur = json.loads(o)["jurisdiction"]["address"]
    persons = json.loads(z(capsys, "persons", "deploy", "--json", *chain_opts)[1])["persons"]
    ident = [f"33011019800101{i:04d}" for i in range(3)]
    for i, p in enumerate(people):
        assert z(capsys, "persons", "register", "--persons", persons, ident[i], "--key", p.address, "--identity", "0x" + label_identity(ident[i]).hex(), *chain_opts)[0] == 0
    code, o, _ = z(capsys, "doc", "deploy", "--jurisdiction", jur, "--persons", persons, "--keeper", staff[Staff.KEEPER].address, "--json", *chain_opts)
    ledger = json.loads(o)["ledger"]
    L = ["--ledger", ledger, *chain_opts]

    # R-DOC-2/3: anchor a signed document; its trace code is issued by the contract
    doc = tmp_path / "决定.pdf"
    doc.write_bytes("关于村道维修的决定（正文）".encode())
    basis = tmp_path / "basis.txt"
    basis.write_text("农村公路条例")
    store = tmp_path / "store"
    code, o, _ = z(capsys, "doc", "anchor", str(doc), "--title", "关于村道维修的决定", "--category", "livelihood", "--summary", "维修12条村道",
                   "--recipient", "各村委会", "--basis", str(basis), "--store", str(store), "--from", P[0], "--json", *L)  # fmt: skip
    assert code == 0
    anchored = json.loads(o)
    trace = anchored["trace"]
    assert trace.startswith("330110-001-") and trace.endswith("-LI-0001") and anchored["status"] == "current"

    # R-DOC-1: verify is one command; exit 0 only for a valid, current document
    code, o, _ = z(capsys, "doc", "verify", str(doc), "--json", *L)
    v = json.loads(o)
    assert code == 0 and v["valid"] and v["trace"] == trace and v["signer"] is not None
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(doc.read_bytes() + b" ")
    code, o, _ = z(capsys, "doc", "verify", str(forged), *L)
    assert code == 1 and "NOT FOUND" in o

    # R-DOC-4: amend, then revoke; the old versions no longer pass
    v2 = tmp_path / "决定-修订.pdf"
    v2.write_bytes(doc.read_bytes() + "（修订）".encode())
    assert z(capsys, "doc", "amend", str(v2), "--previous", str(doc), "--reason", "预算调整", "--from", P[0], *L)[0] == 0
    code, o, _ = z(capsys, "doc", "verify", str(doc), *L)
    assert code == 1 and "SUPERSEDED" in o and "now at v2" in o
    assert z(capsys, "doc", "verify", str(v2), *L)[0] == 0
    notice = tmp_path / "撤销通知.pdf"
    notice.write_bytes("撤销决定".encode())
    assert z(capsys, "doc", "revoke", str(notice), "--previous", str(v2), "--reason", "项目取消", "--from", P[0], *L)[0] == 0
    code, o, _ = z(capsys, "doc", "verify", str(v2), "--json", *L)
    assert code == 1 and json.loads(o)["status"] == "revoked"
    # bad input: amending the revoked document, a wrong trace code, an unregistered signer
    again = tmp_path / "again.pdf"
    again.write_bytes(b"again")
    code, _, err = z(capsys, "doc", "amend", str(again), "--previous", str(v2), "--reason", "x", "--from", P[0], *L)
    assert code == 2 and "R-DOC-4" in err and "DocumentRevoked" in err
    code, _, err = z(capsys, "doc", "history", "330110-001-2025-XX-1", *L)
    assert code == 2 and "R-DOC-2" in err
    code, _, err = z(capsys, "doc", "anchor", str(again), "--title", "t", "--from", str(Staff.UPPER), *L)  # a staff key: no person
    assert code == 2 and "UnknownSigner" in err
    code, o, _ = z(capsys, "doc", "history", trace, "--json", *L)
    h = json.loads(o)["versions"]
    assert [x["status"] for x in h] == ["superseded", "revoked", "revoked"] and h[1]["reason"] == "预算调整"
    assert h[0]["recipients"] == ["各村委会"] and (store / "sha256").exists()

    # R-DOC-6 ... R-DOC-8: oath within the deadline, handover with three signatures
    code, o, _ = z(capsys, "handover", "deploy", "--jurisdiction", jur, "--persons", persons, "--json", *chain_opts)
    ho = json.loads(o)["handover"]
    H = ["--handover", ho, *chain_opts]
    with connect(node.url, chain_id=ANVIL_CHAIN_ID) as chain:  # the election would seat the secretary (R-EL-11)
        j = chain.contract("Jurisdiction", jur)
        hand = HandSeater.deploy(chain, j, operator=Staff.ADMIN)  # test-only stand-in for the election
        hand.grant(j, registry.role_id("office_writer"), Staff.ADMIN)
        pid0, pid1 = (bytes(chain.call(chain.contract("PersonRegistry", persons).functions.personOf(people[i].address))) for i in (0, 1))
        hand.seat(0, pid1)  # person 1 held the office before (the outgoing party)
        hand.vacate(0, b"\1" * 32)
        hand.seat(0, pid0)
        chain.transact(j.functions.grantRole(registry.role_id("oath_supervisor"), people[2].address), Staff.ADMIN)  # the supervision group
    code, o, _ = z(capsys, "oath", "schedule", ident[0], "--office", "secretary", "--from", str(Staff.OATH), "--json", *H)
    assert code == 0 and json.loads(o)["oath"] == 0
    video = tmp_path / "oath.mp4"
    video.write_bytes(b"\x00video")
    assert z(capsys, "oath", "record", "0", "--recording", str(video), "--from", str(Staff.OATH), *H)[0] == 0
    checklist = tmp_path / "checklist.yaml"
    checklist.write_text("credentials: [党委公章]\nfiles: [会议纪要]\nassets: [公务用车]\nwork_items: [村道维修项目]\n", encoding="utf-8")
    code, _, err = z(capsys, "handover", "open", "--oath", "0", "--outgoing", ident[1], "--supervisor", ident[2], "--checklist", str(checklist), *H)
    assert code == 2 and "JurisdictionRoleRequired" in err  # only the oath supervisor opens it
    assert z(capsys, "handover", "open", "--oath", "0", "--outgoing", ident[1], "--supervisor", ident[2], "--checklist", str(checklist), "--from", str(Staff.OATH), *H)[0] == 0
    for i in range(3):
        assert z(capsys, "handover", "sign", "0", "--from", P[i], *H)[0] == 0
    code, o, _ = z(capsys, "handover", "show", "0", *H)
    shown = json.loads(o)
    assert shown["transferred_at"] and all(shown["signed"].values())
    issue = tmp_path / "issue.txt"
    issue.write_text("未移交的合同")
    assert z(capsys, "handover", "issue", "0", "--kind", "missing", "--file", str(issue), "--from", P[0], *H)[0] == 0

    # R-DOC-5: an empty access log verifies
    log = tmp_path / "access.jsonl"
    log.write_text("")
    code, o, _ = z(capsys, "auditor", "verify-log", "--log", str(log), "--keeper", staff[Staff.KEEPER].address, "--json", *L)
    assert code == 0 and json.loads(o)["valid"]

    # R-DOC-5: `zhili auditor serve` in its own process: an auditor logs in (SIWE) and retrieves v1; a
    # second service on the same log refuses to start; after a stop, the log verifies against the chain
    serve = [sys.executable, "-m", "zhili.cli", "auditor", "serve", "--store", str(store), "--log", str(log), "--port", "0", "--from", str(Staff.KEEPER), *L]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(zhili.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        url = re.search(r"on (http://\S+),", line)
        assert url, (line, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        second = subprocess.run(serve, capture_output=True, text=True, env=env, timeout=120)
        assert second.returncode == 2 and "in use by another service" in second.stderr
        with connect(node.url, chain_id=ANVIL_CHAIN_ID) as chain:
            s = AuditorSession(url.group(1), chain.chain_id, ledger)
        assert s.login(staff[Staff.AUDITOR])[0] == 200
        code, data, _ = s.content(fingerprint(doc.read_bytes()))
        assert code == 200 and data == doc.read_bytes()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    code, o, _ = z(capsys, "auditor", "verify-log", "--log", str(log), "--keeper", staff[Staff.KEEPER].address, "--json", *L)
    assert code == 0 and json.loads(o)["valid"] and [e["event"] for e in read_log(log)] == ["login", "content"]
