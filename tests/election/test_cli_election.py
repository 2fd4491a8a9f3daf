"""A whole election through the ``zhili`` command on a persistent node, as an election authority would run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eth_account import Account
from eth_utils import keccak

from chain_kit import advance_node, z
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts
from zhili.persons.client import label_identity
from zhili.testing import ROLE_HOLDERS

ROLE_NAMES = ("election_authority", "vetting_board", "upper_committee")
AUTHORITY, VETTING, UPPER = (str(ROLE_HOLDERS[r]) for r in ROLE_NAMES)  # --from: the staff keys come first in ZHILI_PRIVATE_KEYS


def test_election_by_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # R-EL-1 ... R-EL-11 end to end: every step through the CLI, refusals with rule IDs and exit 2
    chain_opts = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    staff = anvil_accounts(4)  # Staff.ADMIN (deployer), AUTHORITY, VETTING, UPPER
    people = [Account.from_key(keccak(text=f"cli person {i}")) for i in range(9)]
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff + people))
    for p in people:  # gas money for the persons' own keys
        import requests

        requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "anvil_setBalance", "params": [p.address, hex(10**18)]})

    roles = [f"--role={r}={staff[ROLE_HOLDERS[r]].address}" for r in ROLE_NAMES]
    code, o, _ = z(capsys, "deploy", "--code", "330110-001", "--name", "良渚镇", "--json", *roles, *chain_opts)
    assert code == 0
    jur = json.loads(o)["jurisdiction"]["address"]
    code, o, _ = z(capsys, "persons", "deploy", "--json", *chain_opts)
    persons = json.loads(o)["persons"]
    ident = [f"33011019700101{i:04d}" for i in range(9)]
    for i, p in enumerate(people):
        assert z(capsys, "persons", "register", "--persons", persons, ident[i], "--key", p.address, "--identity", "0x" + label_identity(ident[i]).hex(), *chain_opts)[0] == 0
    code, o, _ = z(capsys, "election", "deploy", "--jurisdiction", jur, "--persons", persons, "--term", "1", "--json", *chain_opts)
    el = json.loads(o)["election"]
    E = ["--election", el, *chain_opts]
    names = tmp_path / "names.yaml"
    names.write_text("\n".join(f"'{x}': P{i}" for i, x in enumerate(ident)))

    assert z(capsys, "election", "candidates", *ident, "--from", AUTHORITY, *E)[0] == 0
    report = tmp_path / "report.pdf"
    report.write_bytes(b"vetting report")
    # bad input: a dimension the township profile does not have
    code, _, err = z(capsys, "election", "vet", ident[0], "--fail", "7", "--report", str(report), "--from", VETTING, *E)
    assert code == 2 and "R-EL-1" in err and "InvalidVettingMask" in err
    for x in ident:
        assert z(capsys, "election", "vet", x, "--report", str(report), "--from", VETTING, *E)[0] == 0
    # the rolls are registered persons: P0..P2 are party delegates, P3..P7 congress deputies
    delegates = tmp_path / "delegates.txt"
    delegates.write_text("\n".join(ident[:3]))
    deputies = tmp_path / "deputies.txt"
    deputies.write_text("\n".join(ident[3:8]))
    code, _, err = z(capsys, "election", "voters", "--electorate", "party", str(names), "--from", AUTHORITY, *E)
    assert code == 2  # not one id per line
    free = tmp_path / "free.txt"
    free.write_text("delegate 0\n")
    code, _, err = z(capsys, "election", "voters", "--electorate", "party", str(free), "--from", AUTHORITY, *E)
    assert code == 2 and "UnknownPerson" in err  # a free hash is no registered person
    assert z(capsys, "election", "voters", "--electorate", "party", str(delegates), "--from", AUTHORITY, *E)[0] == 0
    assert z(capsys, "election", "voters", "--electorate", "congress", str(deputies), "--from", AUTHORITY, *E)[0] == 0
    # credentials (R-EL-7): the authority publishes its issuer key; each voter's device requests with
    # the voter's own key; the authority answers blindly; each device unblinds and registers via a relayer
    issuer = tmp_path / "issuer.pem"
    assert z(capsys, "election", "issuer-key", "--out", str(issuer), "--from", AUTHORITY, *E)[0] == 0
    creds: dict[str, list[str]] = {"party": [], "congress": []}
    for i in range(8):
        electorate = "party" if i < 3 else "congress"
        f = tmp_path / f"credential-{i}.json"
        code, o, _ = z(capsys, "election", "request", "--electorate", electorate, "--out", str(f), "--json", "--from", str(4 + i), *E)
        assert code == 0 and json.loads(o)["person"] == "0x" + bytes.fromhex(json.loads(o)["person"][2:]).hex()
        creds[electorate].append(str(f))
    code, _, err = z(capsys, "election", "request", "--electorate", "party", "--out", str(tmp_path / "again.json"), "--from", "4", *E)
    assert code == 2 and "AlreadyRequested" in err and "R-EL-5" in err  # one credential per roll entry
    code, _, err = z(capsys, "election", "request", "--electorate", "party", "--out", str(tmp_path / "staff.json"), "--from", AUTHORITY, *E)
    assert code == 2 and "R-EL-7" in err  # the authority's key is no voter's key
    code, _, err = z(capsys, "election", "register", "--credential", creds["party"][0], "--from", "9", *chain_opts)
    assert code == 2 and "no blind signature" in err
    code, o, _ = z(capsys, "election", "answer", "--key", str(issuer), "--json", "--from", AUTHORITY, *E)
    assert code == 0 and json.loads(o)["answered"] == 8
    for f in creds["party"] + creds["congress"]:
        assert z(capsys, "election", "register", "--credential", f, "--from", "9", *chain_opts)[0] == 0
    assert z(capsys, "election", "begin-stage1", "--from", AUTHORITY, *E)[0] == 0

    def advance(seconds: int) -> None:
        advance_node(node.url, seconds)

    def poll(ballots: list[list[str]], tag: str, electorate: str) -> None:
        assert z(capsys, "election", "open", "--closes-in", "600", "--from", AUTHORITY, *E)[0] == 0
        files = creds[electorate]
        sealed = []
        for i, names_ in enumerate(ballots):
            out = tmp_path / f"ballot-{tag}-{i}.json"
            assert z(capsys, "election", "cast", "--credential", str(files[i]), "--names", ",".join(names_), "--out", str(out), *chain_opts)[0] == 0
            sealed.append(str(out))
        assert z(capsys, "election", "relay", *sealed, "--from", "5", *E)[0] == 0
        code, _, err = z(capsys, "election", "reveal", *sealed, *E)
        if len(ballots) < len(files):  # the poll is still open: opening now is refused
            assert code == 2 and "PollStillOpen" in err

            advance(601)
            assert z(capsys, "election", "reveal", *sealed, *E)[0] == 0
            advance(3601)
        else:
            assert code == 0
        assert z(capsys, "election", "finalize", *E)[0] == 0

    # voter-side refusals: too many names and a duplicate, before anything is sent
    dummy = tmp_path / "dummy"
    code, _, err = z(capsys, "election", "cast", "--credential", str(dummy), "--names", "x", "--out", str(tmp_path / "x"), *chain_opts)
    assert code == 2 and "R-EL-7" in err
    poll([ident[:8], ident[:6], ident[:4]], "s1", "party")  # P0..P3: 3, P4,P5: 2, P6,P7: 1, P8: 0
    # P6 and P7 tie for the 7th place: a runoff among exactly them
    code, o, _ = z(capsys, "election", "show", "--json", "--names", str(names), *E)
    res = json.loads(o)
    assert res["stage1"]["advanced"] == ["P0", "P1", "P2", "P3", "P4", "P5"]
    poll([[ident[7]], [ident[7]]], "r1", "party")
    code, o, _ = z(capsys, "election", "show", "--json", "--names", str(names), *E)
    res = json.loads(o)
    assert sorted(res["stage1"]["advanced"]) == ["P0", "P1", "P2", "P3", "P4", "P5", "P7"]
    assert res["runoffs"][0]["candidates"] in (["P6", "P7"], ["P7", "P6"])
    code, _, err = z(capsys, "election", "pick", ident[3], "--from", "9", *E)
    assert code == 2 and "WrongPhase" in err
    assert z(capsys, "election", "approve", "--from", UPPER, *E)[0] == 0
    # stage 2: P0 > P1 > P2 > P3 > P4
    ranked = ident[:5]
    poll([ranked[:k] for k in range(5, 0, -1)], "s2", "congress")
    code, o, _ = z(capsys, "election", "show", "--json", "--names", str(names), *E)
    res = json.loads(o)
    assert res["phase"] == "awaiting_pick"
    assert [r["votes"] for r in res["stage2"]["ranking"]] == [5, 4, 3, 2, 1, 0, 0]
    assert res["offices"]["secretary"] == "P0" and res["offices"]["discipline"] == "P1"  # R-EL-9, R-EL-10
    sec_key = 4  # P0's key follows the 4 staff keys in ZHILI_PRIVATE_KEYS
    code, _, err = z(capsys, "election", "pick", ident[8], "--from", str(sec_key), *E)
    assert code == 2 and "R-EL-10" in err and "NotPickable" in err
    code, _, err = z(capsys, "election", "pick", ident[3], "--from", "5", *E)  # P1 is not the secretary
    assert code == 2 and "NotSecretaryElect" in err
    assert z(capsys, "election", "pick", ident[4], "--from", str(sec_key), *E)[0] == 0
    code, o, _ = z(capsys, "election", "show", *E, "--names", str(names))
    assert code == 0 and "Offices" in o and "Stage 2" in o
    code, o, _ = z(capsys, "election", "show", "--json", "--names", str(names), *E)
    res = json.loads(o)
    assert res["phase"] == "completed"
    assert res["offices"] == {"secretary": "P0", "discipline": "P1", "congress": "P2", "consultative": "P3", "administrator": "P4"}
