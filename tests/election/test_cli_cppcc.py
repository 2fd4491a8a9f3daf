"""The county CPPCC's vote on its recommended chair through the ``zhili cppcc`` command (R-EL-12), as a
clerk runs it: deploy the session, register the members, recommend the completed election's consultative
member, publish the issuer key, each member's device requests and registers its credential, open the
poll, members cast from their credential files, anyone relays, reveals and settles; ``show`` at the end.

The commands run in process on the session chain of each kind (embedded and anvil): ``zhili.cli.common``
connects to it instead of starting a node, so one world (the county of tests/election/test_cppcc.py,
its term-1 election completed) serves every test; member ``i`` signs as key ``len(staff) + i``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from chain_kit import snapshot_world, z
from council_kit import ElectedCouncilWorld
from test_cppcc import elected_county
from zhili.cli import common
from zhili.core.chain import Chain
from zhili.election.client import Electorate, roll_persons
from zhili.testing import Staff
from zhili.types import Office

ROLL = 5
AUTH, RELAY, UPPER, ADMIN = (str(s) for s in (Staff.AUTHORITY, Staff.RELAYER, Staff.UPPER, Staff.ADMIN))


@dataclass
class Clerk:
    """The world, the CPPCC members (person id, key) and the CLI's options on this chain."""

    w: ElectedCouncilWorld
    members: list[tuple[bytes, LocalAccount]]
    capsys: pytest.CaptureFixture[str]
    tmp: Path
    staff: int  # the number of staff keys: member i signs as key staff + i

    def z(self, *argv: str) -> tuple[int, str, str]:
        return z(self.capsys, *argv, "--chain", "embedded")

    def ok(self, *argv: str) -> Any:
        """Run with ``--json``; exit 0 and the parsed JSON."""
        code, o, err = self.z(*argv, "--json")
        assert code == 0, err
        return json.loads(o)

    def member_key(self, i: int) -> str:
        return str(self.staff + i)

    def file(self, name: str, text: str) -> str:
        p = self.tmp / name
        p.write_text(text, encoding="utf-8")
        return str(p)


def build(chain: Chain) -> tuple[ElectedCouncilWorld, list[tuple[bytes, LocalAccount]]]:
    w = elected_county(chain)
    members = roll_persons(chain, w.persons, "cli cppcc member", ROLL, Staff.ADMIN)
    for _, key in members:
        chain.fund(key.address, 10**18)  # the members sign their own credential requests
    return w, members


@pytest.fixture
def clerk(session_chain: Chain, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Clerk]:
    for w, members in snapshot_world(session_chain, "cli cppcc county", build):
        monkeypatch.setattr(common, "connect", lambda *a, **k: contextlib.nullcontext(session_chain))
        staff = len(session_chain.accounts)
        monkeypatch.setattr(session_chain, "accounts", [*session_chain.accounts, *(k for _, k in members)])
        yield Clerk(w, members, capsys, tmp_path, staff)


def deploy_and_enrol(c: Clerk) -> tuple[list[str], str]:
    """Deploy the session, register the members, publish the issuer key; every member's device requests,
    the authority answers, every device registers through the relayer. Returns ``(C, credential files)``."""
    w = c.w
    res = c.ok("cppcc", "deploy", "--jurisdiction", w.jurisdiction.address, "--persons", w.persons.address, "--term", "1", "--from", ADMIN)
    assert set(res) == {"cppcc", "ballot_box", "term", "grants", "usable", "usable_after"} and res["term"] == 1
    assert res["usable"] and [(g["role"], g["state"]) for g in res["grants"]] == [("office_writer", "granted")]  # the admin key granted it at once
    C = ["--cppcc", res["cppcc"]]
    roll = c.file("members.txt", "\n".join("0x" + pid.hex() for pid, _ in c.members))
    assert c.ok("cppcc", "members", roll, "--from", AUTH, *C) == {"registered": ROLL, "roll": ROLL}
    issuer = str(c.tmp / "issuer.pem")
    res = c.ok("cppcc", "issuer-key", "--out", issuer, "--from", AUTH, *C)
    assert res["issuer_key"] == issuer and res["modulus"].startswith("0x")
    creds = []
    for i, (pid, _) in enumerate(c.members):
        f = str(c.tmp / f"member{i}.json")
        res = c.ok("cppcc", "request", "--out", f, "--from", c.member_key(i), *C)
        assert res == {"credential_file": f, "person": "0x" + pid.hex(), "booth": False}
        creds.append(f)
    assert c.ok("cppcc", "answer", "--key", issuer, "--from", AUTH, *C) == {"answered": ROLL}
    for f in creds:
        assert c.ok("cppcc", "register", "--credential", f, "--from", RELAY)["electorate"] == "members"
    return C, creds


def cast(c: Clerk, creds: list[str], votes: list[str]) -> list[str]:
    ballots = []
    for i, (f, v) in enumerate(zip(creds, votes)):
        b = str(c.tmp / f"ballot{i}.json")
        code, _, err = c.z("cppcc", "cast", "--credential", f, "--vote", v, "--out", b)
        assert code == 0, err
        ballots.append(b)
    return ballots


def _client(c: Clerk, C: list[str]) -> Any:
    from zhili.election.cppcc import CppccClient

    return CppccClient.at(c.w.chain, C[1])


def test_clerk_walks_the_cppcc_vote_to_a_confirmation(clerk: Clerk) -> None:
    c, w = clerk, clerk.w
    # the roll: a file naming a member twice is refused before anything is sent; only the authority registers
    res = c.ok("cppcc", "deploy", "--jurisdiction", w.jurisdiction.address, "--persons", w.persons.address, "--term", "1", "--from", ADMIN)
    code, _, err = c.z("cppcc", "members", c.file("twice.txt", f"0x{c.members[0][0].hex()}\n0x{c.members[0][0].hex()}"), "--from", AUTH, "--cppcc", res["cppcc"])
    assert code == 2 and "R-EL-12" in err and "twice" in err
    code, _, err = c.z("cppcc", "members", c.file("one.txt", f"0x{c.members[0][0].hex()}"), "--from", RELAY, "--cppcc", res["cppcc"])
    assert code == 2 and "JurisdictionRoleRequired" in err
    code, _, err = c.z("cppcc", "open", "--from", AUTH, "--cppcc", res["cppcc"])
    assert code == 2 and "R-EL-12" in err and "no recommendation yet" in err

    C, creds = deploy_and_enrol(c)
    code, _, err = c.z("cppcc", "issuer-key", "--out", str(c.tmp / "again.pem"), "--from", AUTH, *C)
    assert code == 2 and "already has its issuer key" in err and not (c.tmp / "again.pem").exists()
    code, _, err = c.z("cppcc", "request", "--out", str(c.tmp / "deputy.json"), "--from", str(c.staff - 1), *C)
    assert code == 2 and "no registered person's key" in err  # a staff key is nobody's
    show = c.ok("cppcc", "show", *C)
    assert (show["status"], show["roll"], show["frozen"], show["credentials"], show["candidate"], show["poll"]) == ("none", ROLL, False, {"issued": ROLL, "registered": ROLL}, None, None)

    # the recommendation is read from the completed election (the upper committee or the authority)
    e = w.elected.contract.address
    code, _, err = c.z("cppcc", "recommend", "--election", e, "--from", RELAY, *C)
    assert code == 2 and "JurisdictionRoleRequired" in err
    res = c.ok("cppcc", "recommend", "--election", e, "--from", AUTH, *C)
    assert res["candidate"] == "0x" + w.ids[3].hex() and res["roll"] == ROLL and res["election"] == e
    round = res["round"]
    code, _, err = c.z("cppcc", "members", c.file("late.txt", f"0x{w.ids[7].hex()}"), "--from", AUTH, *C)
    assert code == 2 and "CppccRollFrozen" in err  # the roll is frozen once recommended
    code, _, err = c.z("cppcc", "recommend", "--election", e, "--from", AUTH, *C)
    assert code == 2 and "AlreadyRecommended" in err

    res = c.ok("cppcc", "open", "--from", AUTH, *C)
    assert res["round"] == round and res["reveal_deadline"] > res["closes_at"]
    # four of five cast: three for the candidate, one against; an election credential is no member's
    ballots = cast(c, creds, ["for", "for", "against", "for"])
    deputy = replace(w.elected.wallets_for(Electorate.CONGRESS)[0], election=e)
    deputy.save(c.tmp / "deputy-credential.json")
    code, _, err = c.z("cppcc", "cast", "--credential", str(c.tmp / "deputy-credential.json"), "--vote", "for", "--out", str(c.tmp / "x.json"))
    assert code == 2 and "no CppccConfirmation" in err and not (c.tmp / "x.json").exists()
    assert c.ok("cppcc", "relay", *ballots, "--from", RELAY, *C)["relayed"] == 4
    code, _, err = c.z("cppcc", "relay", *ballots, "--from", RELAY, *C)
    assert code == 2 and "already holds these ballots" in err
    code, _, err = c.z("cppcc", "settle", "--from", RELAY, *C)
    assert code == 2 and "RevealStillOpen" in err  # one member has not cast: the windows run out first
    cc = _client(c, C)
    cc.wait_for_close(round)
    assert c.ok("cppcc", "reveal", *ballots, "--from", RELAY, *C) == {"opened": 4}
    cc.wait_for_reveal_end(round)
    out = c.ok("cppcc", "settle", "--from", RELAY, *C)
    assert out == {"candidate": "0x" + w.ids[3].hex(), "votes": 3, "cast": 4, "registered": ROLL, "confirmed": True, "vacated": False}
    assert w.holder(Office.CONSULTATIVE) == w.ids[3]
    code, _, err = c.z("cppcc", "settle", "--from", RELAY, *C)
    assert code == 2 and "NotScheduled" in err and "R-EL-12" in err  # counted once
    show = c.ok("cppcc", "show", *C)
    assert (show["status"], show["frozen"], show["round"], show["outcome"]) == ("confirmed", True, round, out)
    assert show["poll"] | {"closes_at": 0, "reveal_deadline": 0} == {"status": "final", "cast": 4, "counted": 4, "closes_at": 0, "reveal_deadline": 0}


def test_a_rejection_leaves_the_office_vacant(clerk: Clerk) -> None:
    # every member casts (no window to wait for): two for, three against; 2·2 ≤ 5, rejected and vacated
    c, w = clerk, clerk.w
    C, creds = deploy_and_enrol(c)
    c.ok("cppcc", "recommend", "--election", w.elected.contract.address, "--from", UPPER, *C)  # the upper committee may too
    c.ok("cppcc", "open", "--from", AUTH, *C)
    ballots = cast(c, creds, ["for", "against", "for", "against", "against"])
    assert c.ok("cppcc", "relay", *ballots, "--batch", "2", "--from", RELAY, *C)["batches"] == [0, 1, 2]
    assert c.ok("cppcc", "reveal", *ballots, "--from", RELAY, *C) == {"opened": ROLL}
    names = c.file("names.yaml", f"'0x{w.ids[3].hex()}': 张三")
    code, o, err = c.z("cppcc", "settle", "--from", RELAY, "--names", names, *C)
    assert code == 0, err
    assert "张三: 2 for of 5 registered members (5 cast" in o and "rejected" in o and "vacant" in o
    assert w.holder(Office.CONSULTATIVE) is None
    logs = w.jurisdiction.events.OfficeVacated().get_logs(from_block=0)
    assert [(int(ev.args.office), bytes(ev.args.personId), bytes(ev.args.reason)) for ev in logs][-1] == (int(Office.CONSULTATIVE), w.ids[3], keccak(text="cppcc_rejected"))
    code, o, err = c.z("cppcc", "show", "--names", names, *C)
    assert code == 0 and "rejected" in o and "张三" in o and "round" in o
