"""A report through the four-step review to succession, through the ``zhili`` command on a persistent node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from eth_account import Account
from eth_utils import keccak

from chain_kit import advance_node, z
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.election.client import person_id
from zhili.jurisdiction.registry import role_id
from zhili.persons.client import label_identity
from zhili.testing import ROLE_HOLDERS, HandSeater, Staff


def rpc(node: AnvilProcess, method: str, params: list[object]) -> None:
    requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10)


def test_merit_by_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # R-MR-4, R-MR-10, R-MR-11, R-MR-2, R-SU-4, R-SU-2 end to end; refusals name the rule and exit 2
    C = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    staff = anvil_accounts(10)  # zhili.testing.Staff: ADMIN, the role holders, REVIEWER1 and REVIEWER2
    people = [Account.from_key(keccak(text=f"cli merit person {i}")) for i in range(9)]
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff + people))
    for p in people:
        rpc(node, "anvil_setBalance", [p.address, hex(10**18)])
    roles = [f"--role={r}={staff[ROLE_HOLDERS[r]].address}" for r in ("election_authority", "merit_committee", "upper_committee")]
    code, o, _ = z(capsys, "deploy", "--code", "330110-001", "--name", "良渚镇", "--json", *roles, *C)
    assert code == 0
    jur = json.loads(o)["jurisdiction"]["address"]
    persons = json.loads(z(capsys, "persons", "deploy", "--json", *C)[1])["persons"]
    ident = [f"33011019800101{i:04d}" for i in range(9)]
    for i, p in enumerate(people):
        assert z(capsys, "persons", "register", "--persons", persons, ident[i], "--key", p.address, "--identity", "0x" + label_identity(ident[i]).hex(), *C)[0] == 0
    # offices as an election would seat them (the election itself is tested in test_cli_election.py)
    with connect(node.url, chain_id=ANVIL_CHAIN_ID) as chain:
        j = chain.contract("Jurisdiction", jur)
        hand = HandSeater.deploy(chain, j, operator=Staff.ADMIN)  # test-only stand-in for the election
        hand.grant(j, role_id("office_writer"), Staff.ADMIN)
        for office, i in enumerate([0, 1, 2, 3, 4, 5]):
            hand.seat(office, person_id(ident[i]))

    code, o, _ = z(capsys, "merit", "deploy", "--jurisdiction", jur, "--persons", persons, "--json", *C)
    assert code == 0
    L = ["--ledger", json.loads(o)["ledger"], *C]
    # R-SU-1: the order from the seated offices, as the election's completion sets it (the hand seater
    # stands in for the election here, with the OFFICE_WRITER role it seated the offices by)
    with connect(node.url, chain_id=ANVIL_CHAIN_ID) as chain:
        s = chain.contract("Succession", json.loads(o)["succession"])
        HandSeater(chain, chain.contract("HandSeater", hand.address), Staff.ADMIN).relay(s.functions.officesSeated())
    key, pub = tmp_path / "committee.key", tmp_path / "committee.pub"
    assert z(capsys, "merit", "keygen", "--out", str(key), "--public-out", str(pub))[0] == 0
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(b"bank transfers")
    blob, receipt = tmp_path / "identity.blob", tmp_path / "receipt.json"
    report = ["merit", "report", "--evidence", str(evidence), "--committee-key", str(pub), "--blob-out", str(blob), "--receipt-out", str(receipt)]

    # bad input: a report naming an unknown person
    code, _, err = z(capsys, *report, "--accused", "999999", "--reporter", ident[7], *L)
    assert code == 2 and "R-MR-1" in err and "UnregisteredPerson" in err
    code, o, _ = z(capsys, *report, "--accused", ident[0], "--reporter", ident[5], "--class", "committee_member",
                   "--claim", "direct_superior_removed", "--json", *L)  # fmt: skip
    assert code == 0
    case = str(json.loads(o)["case"])
    assert ident[5] not in blob.read_text()

    # R-MR-10 step 1: back to back
    assert z(capsys, "merit", "assign", case, "--reviewers", f"{staff[Staff.REVIEWER1].address},{staff[Staff.REVIEWER2].address}", "--from", str(Staff.MERIT), *L)[0] == 0
    code, _, err = z(capsys, "merit", "reassign", case, "--reviewers", f"{staff[Staff.REVIEWER1].address},{staff[Staff.ORG].address}", "--from", str(Staff.MERIT), *L)
    assert code == 2 and "R-MR-10" in err and "ReviewDeadlineNotPassed" in err  # the pair keeps the case until its deadline
    review = tmp_path / "review.txt"
    review.write_text("substantiated")
    o1, o2 = tmp_path / "o1.json", tmp_path / "o2.json"
    assert z(capsys, "merit", "seal", case, "--conclusion", "substantiated", "--review", str(review), "--out", str(o1), "--from", str(Staff.REVIEWER1), *L)[0] == 0
    code, _, err = z(capsys, "merit", "open", "--opening", str(o1), "--from", str(Staff.REVIEWER1), *L)  # peeking before the other sealed
    assert code == 2 and "R-MR-10" in err and "ReviewsNotSealed" in err
    assert z(capsys, "merit", "seal", case, "--conclusion", "substantiated", "--review", str(review), "--out", str(o2), "--from", str(Staff.REVIEWER2), *L)[0] == 0
    assert z(capsys, "merit", "open", "--opening", str(o1), "--from", str(Staff.REVIEWER1), *L)[0] == 0
    assert z(capsys, "merit", "open", "--opening", str(o2), "--from", str(Staff.REVIEWER2), *L)[0] == 0
    code, _, err = z(capsys, "merit", "publish", case, "--notice", str(review), "--from", str(Staff.MERIT), *L)  # out of order
    assert code == 2 and "WrongStage" in err
    assert z(capsys, "merit", "recheck", case, "--result", str(review), "--from", str(Staff.MERIT), *L)[0] == 0
    # step 3: the committee opens the identity only now, because the award needs it
    assert z(capsys, "merit", "propose", case, "--finding", "removed", "--award", "direct_superior_removed",
             "--identity-blob", str(blob), "--committee-key", str(key), "--from", str(Staff.MERIT), *L)[0] == 0  # fmt: skip
    assert z(capsys, "merit", "vote", case, "yes", "--from", str(Staff.MERIT), *L)[0] == 0
    code, o, _ = z(capsys, "merit", "publish", case, "--notice", str(review), "--from", str(Staff.MERIT), *L)
    assert code == 0 and "appeals until" in o
    code, o, _ = z(capsys, "merit", "show", case, "--json", *L)
    shown = json.loads(o)
    assert shown["stage"] == "published" and shown["decision"]["finding"] == "removed" and shown["appeal_deadline_checked"]

    # R-MR-11: the window passes; a late appeal is refused; the case becomes final
    advance_node(node.url, 30 * 86400)
    grounds = tmp_path / "grounds.txt"
    grounds.write_text("unfair")
    code, _, err = z(capsys, "merit", "appeal", case, "--person", ident[0], "--grounds", str(grounds), "--from", str(len(staff) + 0), *L)
    assert code == 2 and "R-MR-11" in err and "AppealWindowClosed" in err
    code, _, err = z(capsys, "merit", "escalate", case, *L)  # nothing to escalate: no appeal
    assert code == 2 and "WrongStage" in err
    assert z(capsys, "merit", "finalize", case, *L)[0] == 0

    # R-MR-2: 6.0 to the reporter (P05, the deputy); R-SU-4 then R-SU-2: the reporting member is secretary now
    code, o, _ = z(capsys, "merit", "person", ident[5], "--json", *L)
    assert json.loads(o)["totals"]["merit"] == 60
    code, o, _ = z(capsys, "succession", "show", "--json", *L)
    shown = json.loads(o)
    assert shown["secretary"] == "0x" + person_id(ident[5]).hex()
    assert [r["person"] for r in shown["order"]] == ["0x" + person_id(ident[i]).hex() for i in (1, 2, 3, 4)]
    code, o, _ = z(capsys, "succession", "history", "--json", *L)
    assert [h["reason"] for h in json.loads(o)] == ["election", "direct-replacement", "removed", "succession"]
    code, o, _ = z(capsys, "succession", "show", *L)
    assert code == 0 and "Succession order" in o
    code, o, _ = z(capsys, "merit", "service-levels", "--json", *L)
    assert json.loads(o)["discovered_internally"]["share"] == 1.0
