"""A sealed poll through ``zhili scrutiny`` (R-EL-13, issue 16) on a persistent node, as the election
authority, three scrutineers, the voters' devices and a relayer would run it: the key generation with a
complaint answered and a dealer disqualified, ballots encrypted on the voters' devices, the shares after the
close, the count by anyone, the re-tally, and the refusals on the way (rule ID, value, exit 2, nothing sent)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from eth_account import Account
from eth_utils import keccak

from chain_kit import advance_node, z
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.election.scrutiny import Scrutineer, ScrutinyClient
from zhili.persons.client import label_identity
from zhili.profiles import PROFILE_DIR
from zhili.testing import ROLE_HOLDERS

ROLE_NAMES = ("election_authority", "vetting_board", "upper_committee")
AUTHORITY = str(ROLE_HOLDERS["election_authority"])
WINDOW = 600  # the township's min_register_seconds: each key-generation window


def test_a_sealed_poll_by_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    C = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    staff = anvil_accounts(4)
    people = [Account.from_key(keccak(text=f"scrutiny cli person {i}")) for i in range(9)]
    scrutineers = [Account.from_key(keccak(text=f"scrutiny cli scrutineer {i}")) for i in range(3)]
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff + people + scrutineers))
    for a in people + scrutineers:
        requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "anvil_setBalance", "params": [a.address, hex(10**18)]}, timeout=10)
    SK = [str(4 + len(people) + i) for i in range(3)]  # --from of each scrutineer's own key

    def ok(*argv: str) -> Any:
        code, o, e = z(capsys, *argv, "--json", *C)
        assert code == 0, f"zhili {' '.join(argv)}: {e}"
        return json.loads(o)

    def refused(*argv: str, says: tuple[str, ...]) -> str:
        before = requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}, timeout=10).json()["result"]
        code, _, e = z(capsys, *argv, *C)
        after = requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}, timeout=10).json()["result"]
        text = " ".join(e.split())
        assert code == 2, f"zhili {' '.join(argv)} -> {code}: {text}"
        for s in says:
            assert s in text, f"{s!r} not in {text!r}"
        assert before == after  # nothing sent
        return text

    # ---- a township, its persons, its Scrutiny and an election sealed to it
    roles = [f"--role={r}={staff[ROLE_HOLDERS[r]].address}" for r in ROLE_NAMES]
    # a township whose profile names 3 scrutineers, 2 of whom open a poll (the bundled profiles: 3 of 5)
    profile = yaml.safe_load((PROFILE_DIR / "township.yaml").read_text())
    profile["election"] |= {"scrutineers": 3, "scrutiny_threshold": 2}
    (tmp_path / "township-3.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True))
    jur = ok("deploy", "--profile", str(tmp_path / "township-3.yaml"), "--code", "330110-002", "--name", "瓶窑镇", *roles)["jurisdiction"]["address"]
    persons = ok("persons", "deploy")["persons"]
    ident = [f"33011019800101{i:04d}" for i in range(9)]
    for i, p in enumerate(people):
        assert z(capsys, "persons", "register", "--persons", persons, ident[i], "--key", p.address, "--identity", "0x" + label_identity(ident[i]).hex(), *C)[0] == 0
    sid = [f"33011019900101{i:04d}" for i in range(3)]
    for i, a in enumerate(scrutineers):
        assert z(capsys, "persons", "register", "--persons", persons, sid[i], "--key", a.address, "--identity", "0x" + label_identity(sid[i]).hex(), *C)[0] == 0
    scrutiny = ok("scrutiny", "deploy", "--jurisdiction", jur, "--persons", persons)["scrutiny"]
    res = ok("election", "deploy", "--jurisdiction", jur, "--persons", persons, "--term", "1", "--scrutiny", scrutiny)
    el, box = res["election"], res["ballot_box"]
    assert res["scrutiny"] == scrutiny
    E = ["--election", el]
    ok("election", "candidates", *ident, "--from", AUTHORITY, *E)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"vetting report")
    for x in ident:
        ok("election", "vet", x, "--report", str(report), "--from", str(ROLE_HOLDERS["vetting_board"]), *E)
    (tmp_path / "delegates.txt").write_text("\n".join(ident[:3]))
    (tmp_path / "deputies.txt").write_text("\n".join(ident[3:8]))
    ok("election", "voters", "--electorate", "party", str(tmp_path / "delegates.txt"), "--from", AUTHORITY, *E)
    ok("election", "voters", "--electorate", "congress", str(tmp_path / "deputies.txt"), "--from", AUTHORITY, *E)
    ok("election", "issuer-key", "--out", str(tmp_path / "issuer.pem"), "--from", AUTHORITY, *E)
    creds = []
    for i in range(3):
        creds.append(str(tmp_path / f"credential-{i}.json"))
        ok("election", "request", "--electorate", "party", "--out", creds[-1], "--from", str(4 + i), *E)
    ok("election", "answer", "--key", str(tmp_path / "issuer.pem"), "--from", AUTHORITY, *E)
    for f in creds:
        ok("election", "register", "--credential", f, "--from", "9")
    rnd = ok("election", "begin-stage1", "--from", AUTHORITY, *E)["pending_round"]
    code, o, _ = z(capsys, "election", "begin-stage1", "--from", AUTHORITY, *E, *C)
    assert code == 2  # once
    code, o, _ = z(capsys, "election", "show", *E, *C)
    assert code == 0 and "sealed (R-EL-13)" in " ".join(o.split())
    B = ["--box", box, "--round", str(rnd)]

    # ---- each scrutineer's device makes its encryption key (with the person's own key)
    devices = [str(tmp_path / f"device-{i}.json") for i in range(3)]
    refused("scrutiny", "key", "--scrutiny", scrutiny, "--device", devices[0], "--person", sid[0], "--from", SK[1], says=("R-EL-13", "not the registered key"))
    assert not Path(devices[0]).exists()
    for i in range(3):
        res = ok("scrutiny", "key", "--scrutiny", scrutiny, "--device", devices[i], "--person", sid[i], "--from", SK[i])
        assert stat.S_IMODE(os.stat(devices[i]).st_mode) == 0o600
        assert res["device"] == devices[i]
    saved = Path(devices[0]).read_text()
    spare = str(tmp_path / "device-spare.json")
    refused("scrutiny", "key", "--scrutiny", scrutiny, "--device", spare, "--person", sid[0], "--from", SK[0], says=("R-EL-13", "already has an encryption key", "--rotate"))
    assert not Path(spare).exists()
    # member 2 lost its device before any panel: a new key from a new device replaces the old one
    old = json.loads(Path(devices[2]).read_text())["enc_point"]
    devices[2] = str(tmp_path / "device-2-new.json")
    res = ok("scrutiny", "key", "--scrutiny", scrutiny, "--device", devices[2], "--person", sid[2], "--rotate", "--from", SK[2])
    assert res["encryption_key"] != old
    refused("scrutiny", "key", "--scrutiny", scrutiny, "--device", devices[0], "--person", sid[0], "--from", SK[0], says=("--device", "already exists"))
    assert Path(devices[0]).read_text() == saved  # never overwritten

    # ---- the election authority names the panel: 2 of 3
    refused("election", "open", "--from", AUTHORITY, *E, says=("R-EL-13", "no poll key"))
    refused("scrutiny", "panel", *B, *[f"--member={s}" for s in sid[:2]], "--threshold", "3", "--from", AUTHORITY, says=("R-EL-13", "PanelNotProfile", "members=2", "threshold=3", "profileThreshold=2"))
    refused("scrutiny", "panel", *B, *[f"--member={s}" for s in sid], "--threshold", "3", "--from", AUTHORITY, says=("R-EL-13", "PanelNotProfile", "threshold=3"))  # all three needed: not the profile's
    refused("scrutiny", "panel", *B, *[f"--member={s}" for s in sid], "--threshold", "2", "--from", "9", says=())  # not the authority
    res = ok("scrutiny", "panel", *B, *[f"--member={s}" for s in sid], "--from", AUTHORITY)  # the threshold: the profile's
    assert res["threshold"] == 2 and len(res["members"]) == 3
    refused("scrutiny", "deal", *B, "--device", devices[0], "--from", SK[1], says=("R-EL-13", "not the registered key"))
    refused("scrutiny", "share", *B, "--device", devices[0], "--from", SK[0], says=("R-EL-13", "is in phase 'dealing'"))

    # ---- the key generation. Members 0 and 1 deal from their devices; member 2's software is malicious and
    # sends member 0 a wrong share (its device keeps the true polynomial)
    for i in range(2):
        assert ok("scrutiny", "deal", *B, "--device", devices[i], "--from", SK[i])["dealer"] == i
    refused("scrutiny", "deal", *B, "--device", devices[0], "--from", SK[0], says=("R-EL-13", "already dealt"))
    with connect(node.url, chain_id=ANVIL_CHAIN_ID) as chain:
        d2 = json.loads(Path(devices[2]).read_text())
        m2 = Scrutineer.from_json(d2, scrutineers[2])
        ScrutinyClient.at(chain, scrutiny).deal(m2, box, rnd, corrupt_for=0)
        d2.update(m2.as_json())
        Path(devices[2]).write_text(json.dumps(d2))
    res = ok("scrutiny", "receive", *B, "--device", devices[0], "--from", SK[0])
    assert res == {"member": 0, "verified": [0, 1], "failed": [2], "not_dealt": []}  # decrypted and checked on the device
    code, o, _ = z(capsys, "scrutiny", "receive", *B, "--device", devices[0], "--from", SK[0], *C)
    assert code == 0 and "dealers [2] FAILED" in " ".join(o.split())
    for i in (1, 2):
        assert ok("scrutiny", "receive", *B, "--device", devices[i], "--from", SK[i])["verified"] == [0, 1, 2]
    device0 = json.loads(Path(devices[0]).read_text())
    assert sorted(device0["received"][f"{box}:{rnd}"]) == ["0", "1"] and len(device0["deals"][f"{box}:{rnd}"]["coefficients"]) == 2
    assert stat.S_IMODE(os.stat(devices[0]).st_mode) == 0o600  # still private after the update
    refused("scrutiny", "complain", *B, "--dealer", "2", "--device", devices[0], "--from", SK[0], says=("R-EL-13", "OutsideWindow"))  # dealing still open
    advance_node(node.url, WINDOW + 1)
    # member 0 complains against dealer 2 (its share failed) and, unfounded, against dealer 1, which will not answer
    ok("scrutiny", "complain", *B, "--dealer", "2", "--device", devices[0], "--from", SK[0])
    ok("scrutiny", "complain", *B, "--dealer", "1", "--device", devices[0], "--from", SK[0])
    refused("scrutiny", "complain", *B, "--dealer", "5", "--device", devices[0], "--from", SK[0], says=("R-EL-13", "--dealer 5"))
    show = ok("scrutiny", "show", *B)
    assert show["phase"] == "dealing" and show["dealt"] == [0, 1, 2] and sorted(show["complaints"]) == [[0, 1], [0, 2]]
    advance_node(node.url, WINDOW)
    refused("scrutiny", "answer", *B, "--accuser", "1", "--device", devices[2], "--from", SK[2], says=("R-EL-13", "no open complaint"))
    ok("scrutiny", "answer", *B, "--accuser", "0", "--device", devices[2], "--from", SK[2])  # the true share, verified on chain
    refused("scrutiny", "fix-key", *B, "--from", "9", says=("R-EL-13", "OutsideWindow"))
    advance_node(node.url, WINDOW)
    res = ok("scrutiny", "fix-key", *B, "--from", "9")  # anyone
    assert res["phase"] == "keyed" and res["qualified"] == [0, 2]  # dealer 1 never answered: disqualified
    show = ok("scrutiny", "show", *B)
    assert show["phase"] == "keyed" and show["key"] == res["key"] and show["complaints"] == [[0, 1]]

    # ---- the poll: ballots encrypted on the voters' devices, relayed; nothing to reveal
    ok("election", "open", "--closes-in", "600", "--from", AUTHORITY, *E)
    ballots = []
    for i, names in enumerate([ident[:3], ident[1:3]]):
        ballots.append(str(tmp_path / f"ballot-{i}.json"))
        code, _, e = z(capsys, "election", "cast", "--credential", creds[i], "--names", ",".join(names), "--out", ballots[-1], *C)
        assert code == 0, e
        data = json.loads(Path(ballots[-1]).read_text())
        assert "rx" in data and "mask" not in data and "salt" not in data  # the relayer gets the ciphertext only
    relayed = ok("election", "relay", *ballots, "--from", "9", *E)
    assert relayed["relayed"] == 2
    refused("election", "relay", *ballots, "--from", "9", *E, says=("R-EL-7", "already holds"))
    refused("election", "reveal", *ballots, *E, says=("R-EL-13",))
    refused("scrutiny", "share", *B, "--device", devices[0], "--from", SK[0], says=("R-EL-13", "PollNotClosed"))  # one delegate has not cast
    refused("scrutiny", "count", *B, "--from", "9", says=("R-EL-13", "cannot be counted"))

    # ---- after the close: two shares open the box; member 0's uses dealer 2's answered share (read from the chain)
    advance_node(node.url, 601)
    assert ok("scrutiny", "share", *B, "--device", devices[2], "--from", SK[2])["phase"] == "keyed"
    res = ok("scrutiny", "share", *B, "--device", devices[0], "--from", SK[0])
    assert res == {"member": 0, "published": 2, "threshold": 2, "phase": "opened"}
    assert sorted(json.loads(Path(devices[0]).read_text())["received"][f"{box}:{rnd}"]) == ["0", "1", "2"]
    refused("scrutiny", "share", *B, "--device", devices[1], "--from", SK[1], says=("R-EL-13", "is in phase 'opened'"))
    res = ok("scrutiny", "count", *B, "--from", "9")  # anyone
    assert res["batches_counted"] == 1 and (res["committed"], res["counted"], res["invalid"]) == (2, 2, 0)
    assert res["votes"][:3] == [1, 2, 2] and sum(res["votes"]) == 5
    assert ok("scrutiny", "count", *B, "--from", "9")["batches_counted"] == 0  # nothing left to count
    show = ok("scrutiny", "show", *B)
    assert show["phase"] == "opened" and show["published"] == [0, 2] and show["retally"] == {"votes": res["votes"], "invalid": 0} and show["invalid"] == 0
    code, o, _ = z(capsys, "scrutiny", "show", *B, *C)
    assert code == 0 and "opened" in o and "re-tally" in o
    # each voter checks its own ballot: on chain as its file says, counted, and what the count read
    for i, positions in enumerate([[0, 1, 2], [1, 2]]):
        res = ok("scrutiny", "check", "--box", box, "--ballot", ballots[i])
        assert res["on_chain"] and res["matches_file"] and res["counted"] and res["valid"] and res["positions"] == positions
    unsent = str(tmp_path / "ballot-unsent.json")
    assert z(capsys, "election", "cast", "--credential", creds[2], "--names", ident[0], "--out", unsent, *C)[0] == 0  # the device sends nothing
    code, o, _ = z(capsys, "scrutiny", "check", "--box", box, "--ballot", unsent, "--json", *C)
    assert code == 1 and json.loads(o) == {"round": rnd, "credential": json.loads(Path(unsent).read_text())["credential"], "on_chain": False}
    refused("election", "relay", unsent, "--from", "9", *E, says=("R-EL-7", "Closed"))  # too late: the box holds what it held at the close
    ok("election", "finalize", "--from", "9", *E)
    ranking = {r["id"]: r["votes"] for r in ok("election", "show", *E)["stage1"]["ranking"]}
    assert sorted(ranking.values(), reverse=True)[:3] == [2, 2, 1] and sum(ranking.values()) == 5


def test_scrutiny_refuses_a_commit_reveal_box_and_a_bad_device(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    C = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    staff = anvil_accounts(4)
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff))
    roles = [f"--role={r}={staff[ROLE_HOLDERS[r]].address}" for r in ROLE_NAMES]
    code, o, _ = z(capsys, "deploy", "--code", "330110-003", "--name", "径山镇", "--json", *roles, *C)
    jur = json.loads(o)["jurisdiction"]["address"]
    code, o, _ = z(capsys, "persons", "deploy", "--json", *C)
    persons = json.loads(o)["persons"]
    code, o, _ = z(capsys, "election", "deploy", "--jurisdiction", jur, "--persons", persons, "--term", "1", "--json", *C)
    box = json.loads(o)["ballot_box"]
    code, _, e = z(capsys, "scrutiny", "show", "--box", box, "--round", "0", *C)
    assert code == 2 and "R-EL-13" in e and "commit-reveal" in e
    code, o, _ = z(capsys, "scrutiny", "deploy", "--jurisdiction", jur, "--persons", persons, "--json", *C)
    scrutiny = json.loads(o)["scrutiny"]
    code, o, _ = z(capsys, "election", "deploy", "--jurisdiction", jur, "--persons", persons, "--term", "1", "--scrutiny", scrutiny, "--json", *C)
    sealed_box = json.loads(o)["ballot_box"]
    bad = tmp_path / "device.json"
    bad.write_text(json.dumps({"kind": "something else"}))
    code, _, e = z(capsys, "scrutiny", "deal", "--box", sealed_box, "--round", "0", "--device", str(bad), *C)
    assert code == 2 and "R-EL-13" in e and "something else" in " ".join(e.split())
    bad.write_text(json.dumps({"kind": "zhili scrutineer device", "chain_id": 1, "scrutiny": scrutiny, "person": "0x" + "00" * 32}))
    code, _, e = z(capsys, "scrutiny", "receive", "--box", sealed_box, "--round", "0", "--device", str(bad), *C)
    assert code == 2 and "R-EL-13" in e and "chain 1" in e
    code, _, e = z(capsys, "scrutiny", "key", "--scrutiny", box, "--device", str(tmp_path / "new.json"), "--person", "x", *C)
    assert code == 2 and "--scrutiny" in e and "no Scrutiny" in " ".join(e.split())
    assert not (tmp_path / "new.json").exists()
