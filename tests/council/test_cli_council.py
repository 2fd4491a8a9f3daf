"""A council motion through the ``zhili`` command on a persistent node, as a secretariat and members would run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from eth_account import Account
from eth_utils import keccak

from chain_kit import advance_node, z
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.jurisdiction.registry import role_id
from zhili.persons.client import label_identity
from zhili.testing import HandSeater, Staff

MEMBER = 10  # the five members' keys follow the ten staff keys in ZHILI_PRIVATE_KEYS


def rpc(node: AnvilProcess, method: str, params: list) -> None:  # type: ignore[type-arg]
    requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10)


def test_council_by_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # R-WD-1 ... R-WD-7 end to end through the CLI; refusals name the rule and exit 2
    chain_opts = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    staff = anvil_accounts(10)  # zhili.testing.Staff: ADMIN deploys, SECRETARIAT proposes
    members = [Account.from_key(keccak(text=f"cli member {i}")) for i in range(5)]
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff + members))
    for m in members:
        rpc(node, "anvil_setBalance", [m.address, hex(10**18)])
    code, o, _ = z(capsys, "deploy", "--code", "330110-001", "--name", "良渚镇", "--json",
                   f"--role=secretariat={staff[Staff.SECRETARIAT].address}", *chain_opts)  # fmt: skip
    assert code == 0
    jur = json.loads(o)["jurisdiction"]["address"]
    persons = json.loads(z(capsys, "persons", "deploy", "--json", *chain_opts)[1])["persons"]
    ident = [f"33011019800303{i:04d}" for i in range(5)]
    for i, m in enumerate(members):
        assert z(capsys, "persons", "register", "--persons", persons, ident[i], "--key", m.address, "--identity", "0x" + label_identity(ident[i]).hex(), *chain_opts)[0] == 0
    # the five offices as an election would have seated them (here directly, by the test-only hand seater)
    from zhili.election.cli import parse_person

    with connect(node.url) as chain:
        chain.accounts = staff
        j = chain.contract("Jurisdiction", jur)
        hand = HandSeater.deploy(chain, j, operator=Staff.ADMIN)
        hand.grant(j, role_id("office_writer"), Staff.ADMIN)
        for office, x in enumerate(ident):
            hand.seat(office, parse_person(x))
    code, o, _ = z(capsys, "council", "deploy", "--jurisdiction", jur, "--persons", persons, "--secretariat", staff[Staff.SECRETARIAT].address, "--json", *chain_opts)
    assert code == 0
    council = json.loads(o)["council"]
    C = ["--council", council, *chain_opts]
    names = tmp_path / "names.yaml"
    names.write_text("\n".join(f"'{x}': M{i}" for i, x in enumerate(ident)), encoding="utf-8")
    content = tmp_path / "motion.txt"
    content.write_text("关于村道硬化工程的议案", encoding="utf-8")
    basis = tmp_path / "basis.txt"
    basis.write_text("《公路法》第八条", encoding="utf-8")
    P = ["--content", str(content), "--basis", str(basis), "--plan", "2025 年度工作计划"]

    # bad input: an unknown category (before the chain), a proposer who is not the secretariat (the contract)
    code, _, err = z(capsys, "council", "propose", "--category", "roads", *P, "--from", str(Staff.SECRETARIAT), *C)
    assert code == 2 and "R-WD-1" in err
    code, _, err = z(capsys, "council", "propose", "--category", "livelihood", *P, "--from", str(Staff.AUTHORITY), *C)  # not the secretariat
    assert code == 2 and "JurisdictionRoleRequired" in err
    code, _, err = z(capsys, "council", "propose", "--category", "livelihood", "--content", str(content), "--from", str(Staff.SECRETARIAT), *C)
    assert code == 2 and "R-WD-7" in err and "MissingBasis" in err
    code, o, _ = z(capsys, "council", "propose", "--category", "strategic", *P, "--classify-window", "600", "--json", "--from", str(Staff.SECRETARIAT), *C)
    assert code == 0 and json.loads(o) == {"motion": 1}  # motion ids run from 1

    # R-WD-4: no lead opinion while the category may still be disputed
    opinion = tmp_path / "opinion.txt"
    opinion.write_text("乡理意见：同意", encoding="utf-8")
    code, _, err = z(capsys, "council", "opinion", "1", "--opinion", str(opinion), "--from", str(MEMBER), *C)
    assert code == 2 and "R-WD-4" in err and "ClassificationOpen" in err

    # R-WD-3: the administrator disputes (strategic → livelihood); secretary and discipline support: 200 > 150
    assert z(capsys, "council", "dispute", "1", "--alternative", "livelihood", "--from", str(MEMBER + 4), *C)[0] == 0
    code, _, err = z(capsys, "council", "dispute-vote", "1", "--support", "--from", str(Staff.ORG), *C)  # a staff key: not a member
    assert code == 2 and "R-WD-2" in err
    assert z(capsys, "council", "dispute-vote", "1", "--support", "--from", str(MEMBER), *C)[0] == 0
    code, o, _ = z(capsys, "council", "dispute-vote", "1", "--support", "--from", str(MEMBER + 1), *C)
    assert code == 0 and "livelihood" in o and "awaiting_opinion" in o

    # R-WD-4: the category is final; the lead is now the administrator (livelihood weight 100)
    code, _, err = z(capsys, "council", "opinion", "1", "--opinion", str(opinion), "--from", str(MEMBER), *C)
    assert code == 2 and "NotLead" in err
    assert z(capsys, "council", "opinion", "1", "--opinion", str(opinion), "--from", str(MEMBER + 4), *C)[0] == 0

    # R-WD-5: sealed votes; no reveal before everyone voted
    votes = []
    for i, pos in enumerate(("yes", "no", "yes", "abstain", "yes")):
        f = tmp_path / f"vote-{i}.json"
        assert z(capsys, "council", "vote", "1", "--position", pos, "--out", str(f), "--from", str(MEMBER + i), *C)[0] == 0
        votes.append(str(f))
        if i == 2:
            code, _, err = z(capsys, "council", "reveal", *votes, *C)
            assert code == 2 and "R-WD-5" in err and "VotesStillSealed" in err
    code, _, err = z(capsys, "council", "vote", "1", "--position", "no", "--out", str(tmp_path / "again.json"), "--from", str(MEMBER), *C)
    assert code == 2 and "AlreadyVoted" in err
    assert z(capsys, "council", "reveal", *votes, "--from", str(Staff.RELAYER), *C)[0] == 0
    code, o, _ = z(capsys, "council", "close", "1", *C, "--names", str(names))
    assert code == 0 and "passed" in o and "M4" in o
    code, o, _ = z(capsys, "council", "show", "1", "--json", "--names", str(names), *C)
    res = json.loads(o)
    assert res["category"] == "livelihood" and res["tally"] == {"yes": 240, "no": 60, "abstain": 40}
    assert res["passed"] and res["first_responsible"] == "M4" and res["lead"] == "administrator"
    assert [m["position"] for m in res["members"]] == ["yes", "no", "yes", "abstain", "yes"]
    code, o, _ = z(capsys, "council", "show", "1", "--names", str(names), *C)
    assert code == 0 and "Weighted vote" in o and "threshold 160" in o

    # R-WD-7: a budget line, then spending beyond it is refused
    B = ["--content", str(content), "--basis", str(basis), "--plan", "2025 预算", "--line", "2025 道路", "--from", str(Staff.SECRETARIAT), *C]
    code, _, err = z(capsys, "council", "propose", "--category", "livelihood", "--kind", "budget", "--year", "2025", "--amount", "1000", *B)
    assert code == 2 and "BudgetNotLegislative" in err
    assert z(capsys, "council", "propose", "--category", "legislative", "--kind", "budget", "--year", "2025", "--amount", "1000", *B)[0] == 0
    code, _, err = z(capsys, "council", "propose", "--category", "livelihood", "--kind", "spending", "--amount", "10", *B)
    assert code == 2 and "R-WD-7" in err and "OverBudget" in err
    code, o, _ = z(capsys, "council", "budget", "--json", *C)
    assert json.loads(o)[0]["year"] == 2025 and json.loads(o)[0]["approved"] == 0

    # issue 17: a 60-second classification window is refused (profile minimum 600 s); a silent lead blocks
    # the budget motion (2) only until the opinion deadline, then anyone opens the vote
    code, _, err = z(capsys, "council", "propose", "--category", "strategic", *P, "--classify-window", "60", "--from", str(Staff.SECRETARIAT), *C)
    assert code == 2 and "R-WD-5" in err and "WindowOutOfBounds" in err and "given=60" in err
    advance_node(node.url, 600)
    code, _, err = z(capsys, "council", "open-without-opinion", "2", "--from", str(Staff.RELAYER), *C)
    assert code == 2 and "R-WD-4" in err and "OpinionPending" in err
    advance_node(node.url, 86400)
    code, o, _ = z(capsys, "council", "open-without-opinion", "2", "--json", "--from", str(Staff.RELAYER), *C)
    assert code == 0 and json.loads(o)["lead_declined"] is True and json.loads(o)["phase"] == "voting"
