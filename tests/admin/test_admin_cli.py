"""``zhili admin …`` and ``zhili election deploy`` on a deployment whose admin is the ``AdminTimelock``
(issue 17; an anvil node of this module's own, reached by URL, like a real network).

The deployment record is the manifest of the resumable deployment (``zhili.deploy.plan.deploy``, what
``scripts/deploy.py`` runs) with ``admin_timelock`` configured: body A (the organisation department's key)
proposes, body B executes, 7 days. Every command runs with ``--json`` and its JSON is checked."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from chain_kit import z
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.testing import Staff
from zhili.types import Role

A, B = Staff.ORG, Staff.AUDITOR
DELAY = 7 * 86400


def set_clock(url: str, ts: int) -> None:
    """Mine a block at second ``ts`` on the node (its latest block then carries that time)."""
    with connect(url) as chain:
        chain.w3.provider.make_request("evm_setNextBlockTimestamp", [ts])  # type: ignore[arg-type]
        chain.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def test_two_bodies_grant_a_new_election_its_roles_by_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    staff = anvil_accounts(10)
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in staff))
    manifest = tmp_path / "net.json"
    C = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    M = ["--manifest", str(manifest), *C]

    def ok(*argv: str) -> Any:
        code, o, err = z(capsys, *argv, "--json")
        assert code == 0, f"zhili {' '.join(argv)} -> {code}\n{o}\n{err}"
        return json.loads(o)

    def refused(*argv: str) -> str:
        code, o, err = z(capsys, *argv)
        assert code == 2, f"zhili {' '.join(argv)} -> {code}\n{o}\n{err}"
        return " ".join(err.split())

    def has(contract: str, role: bytes, who: str) -> bool:
        with connect(node.url) as chain:
            return bool(chain.call(chain.contract("Jurisdiction", contract).functions.hasRole(role, who)))

    # the deployment: the admin roles handed, last, to a timelock of the two bodies (resumable, with its manifest)
    body = ["--admin-proposer", staff[A].address, "--admin-executor", staff[B].address]
    assert "two bodies" in refused("deploy", "--code", "330110-001", "--name", "良渚镇", "--admin-proposer", staff[A].address, *M)
    assert "two bodies" in refused("deploy", "--code", "330110-001", "--name", "良渚镇", "--admin-proposer", staff[A].address, "--admin-executor", staff[A].address, *M)
    deployed = ok("deploy", "--code", "330110-001", "--name", "良渚镇", *body, "--from", str(Staff.ADMIN), *M)["contracts"]
    J, P, T = deployed["jurisdiction"], deployed["persons"], deployed["admin_timelock"]
    assert json.loads(manifest.read_text())["steps"]["admin_timelock"]["address"] == T
    assert not has(J, b"\0" * 32, staff[Staff.ADMIN].address) and has(J, b"\0" * 32, T)  # the deploying key renounced

    show = ok("admin", "show", *M)
    assert show["timelock"] == T and show["min_delay"] == DELAY
    assert show["members"]["proposer"] == [staff[A].address] and show["members"]["executor"] == [staff[B].address]
    assert set(show["administers"]) == {"jurisdiction", "persons", "merit_book", "calendar"} and all(a["timelock_is_admin"] for a in show["administers"].values())
    assert ok("admin", "pending", *M)["operations"] == []

    # the election authority deploys the term's election: it cannot propose, so it gets body A's commands
    dep = ok("election", "deploy", "--jurisdiction", J, "--persons", P, "--term", "1", "--from", str(Staff.AUTHORITY), *C)
    E = dep["election"]
    assert not dep["usable"] and [(g["role"], g["state"], g["timelock"]) for g in dep["grants"]] == [("office_writer", "to_schedule", T), ("record_writer", "to_schedule", T)]
    assert not has(J, Role.OFFICE_WRITER, E) and not has(P, Role.RECORD_WRITER, E)
    # body A runs the printed command (an address for --on), and the second one by the manifest's name
    first = shlex.split(dep["grants"][0]["command"])
    assert first[:2] == ["zhili", "admin"]
    assert "AccessControlUnauthorizedAccount" in refused(*first[1:], "--from", str(B), *C)  # body B cannot propose
    op1 = ok(*first[1:], "--from", str(A), *C)["operation"]
    op2 = ok("admin", "schedule", "grant", "record_writer", "--to", E, "--on", "persons", "--from", str(A), *M)["operation"]
    for op, target in ((op1, J), (op2, P)):
        assert op["state"] == "waiting" and op["target"] == target and op["delay"] == DELAY and op["ready_at"] == op["scheduled_at"] + DELAY
    assert op2["call"] == f"grantRole(record_writer, {E})"
    pending = ok("admin", "pending", *M)
    assert [o["id"] for o in pending["operations"]] == [op1["id"], op2["id"]] and pending["now"] < op1["ready_at"]

    # executed early: the contract refuses, the command names the error and the ready time, exit 2
    text = refused("admin", "execute", op1["id"], "--from", str(B), *M)
    assert "TimelockUnexpectedOperationState" in text and f"ready at {op1['ready_at']}" in text
    # one second before (the chain's latest block in the delay's last second): still refused
    set_clock(node.url, op1["ready_at"] - 1)
    assert "TimelockUnexpectedOperationState" in refused("admin", "execute", op1["id"], "--from", str(B), *M)
    set_clock(node.url, op2["ready_at"])
    assert [o["state"] for o in ok("admin", "pending", *M)["operations"]] == ["ready", "ready"]
    # body A alone cannot carry out its proposal
    assert "AccessControlUnauthorizedAccount" in refused("admin", "execute", op1["id"], "--from", str(A), *M)
    assert not has(J, Role.OFFICE_WRITER, E)
    done = ok("admin", "execute", op1["id"], op2["id"], "--from", str(B), *M)["executed"]
    assert [o["state"] for o in done] == ["done", "done"] and has(J, Role.OFFICE_WRITER, E) and has(P, Role.RECORD_WRITER, E)
    assert ok("admin", "pending", *M)["operations"] == []
    assert [o["state"] for o in ok("admin", "pending", "--all", *M)["operations"]] == ["done", "done"]

    # body A deploys the next election itself: the grants are scheduled at once and executed after the delay
    dep2 = ok("election", "deploy", "--jurisdiction", J, "--persons", P, "--term", "2", "--from", str(A), *C)
    assert [g["state"] for g in dep2["grants"]] == ["scheduled", "scheduled"] and not dep2["usable"]
    assert dep2["usable_after"] == max(g["operation"]["ready_at"] for g in dep2["grants"])
    ids = [g["operation"]["id"] for g in dep2["grants"]]
    set_clock(node.url, dep2["usable_after"])
    assert [o["state"] for o in ok("admin", "execute", *ids, "--from", str(B), *M)["executed"]] == ["done", "done"]
    assert has(J, Role.OFFICE_WRITER, dep2["election"]) and has(P, Role.RECORD_WRITER, dep2["election"])

    # a revocation, cancelled by body A (not by body B); a cancelled operation never runs
    rev = ok("admin", "schedule", "revoke", "office_writer", "--to", E, "--on", "jurisdiction", "--from", str(A), *M)["operation"]
    assert rev["call"] == f"revokeRole(office_writer, {E})"
    assert "AccessControlUnauthorizedAccount" in refused("admin", "cancel", rev["id"], "--from", str(B), *M)
    assert ok("admin", "cancel", rev["id"], "--from", str(A), *M)["operation"]["state"] == "cancelled"
    set_clock(node.url, rev["ready_at"])
    assert "TimelockUnexpectedOperationState" in refused("admin", "execute", rev["id"], "--from", str(B), *M)
    assert has(J, Role.OFFICE_WRITER, E)
    assert ok("admin", "show", *M)["operations"] == {"waiting": 0, "ready": 0, "done": 4, "cancelled": 1}

    # the writer-role check still holds for what the bodies schedule: a key is refused when executed
    key = ok("admin", "schedule", "grant", "office_writer", "--to", staff[Staff.RELAYER].address, "--on", "jurisdiction", "--from", str(A), *M)["operation"]
    set_clock(node.url, key["ready_at"])
    assert "WriterNotContract" in refused("admin", "execute", key["id"], "--from", str(B), *M)

    # the same as text (no --json)
    code, o, _ = z(capsys, "admin", "pending", "--all", *M)
    assert code == 0 and o.count("done") == 4 and "cancelled" in o and key["id"][:10] in o
    code, o, _ = z(capsys, "admin", "show", *M)
    assert code == 0 and "604800 s (7 days)" in " ".join(o.split()) and " ".join(o.split()).count("administered by the timelock") == 4
    code, o, _ = z(capsys, "election", "deploy", "--jurisdiction", J, "--persons", P, "--term", "3", "--from", str(A), *C)
    assert code == 0 and "scheduled through the admin timelock" in " ".join(o.split()) and "can seat nobody until the grants are executed" in " ".join(o.split())

    # bad input, refused before anything is sent
    assert "not a contract of the deployment record" in refused("admin", "schedule", "grant", "auditor", "--to", E, "--on", "council_x", "--from", str(A), *M)
    assert "give --manifest or --timelock" in refused("admin", "pending", *C)
    assert "expected 0x and 64 hex digits" in refused("admin", "execute", "12", "--from", str(B), *M)
    assert "no operation" in refused("admin", "execute", "0x" + "ab" * 32, "--from", str(B), *M)
    with pytest.raises(SystemExit) as exit_:
        z(capsys, "admin", "schedule", "grant", "no_such_role", "--to", E, "--on", "jurisdiction", *M)
    assert exit_.value.code == 2 and "invalid choice: 'no_such_role'" in capsys.readouterr().err
