"""``zhili village …`` end to end on an anvil node of this module's own: every village command runs
with ``--json`` and prints one JSON document (DESIGN principle 6; tests/test_cli_json.py exempts the
village commands and points here, because a village year needs months of chain time)."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak

from test_bad_input import run_cli
from village_kit import YEAR, VillageWorld, april, build_village
from zhili.cli import build_parser
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect

P = 10  # person i signs with key P + i


def village_json_commands() -> set[str]:
    found: set[str] = set()
    root = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    village = next(a for a in root.choices["village"]._actions if isinstance(a, argparse._SubParsersAction))
    for name, sp in village.choices.items():
        if any("--json" in a.option_strings for a in sp._actions):
            found.add(name)
    return found


@pytest.fixture(scope="module")
def world(node: AnvilProcess) -> Iterator[VillageWorld]:
    chain = connect(node.url, chain_id=ANVIL_CHAIN_ID)
    chain.accounts = anvil_accounts(10)
    chain.kind = "anvil"  # our own anvil behind a URL: the kit moves its clock
    w = build_village(chain)
    saved = os.environ.get("ZHILI_PRIVATE_KEYS")
    os.environ["ZHILI_PRIVATE_KEYS"] = ",".join(a.key.hex() for a in chain.accounts + w.keys)
    yield w
    chain.close()
    if saved is None:
        os.environ.pop("ZHILI_PRIVATE_KEYS", None)
    else:
        os.environ["ZHILI_PRIVATE_KEYS"] = saved


def test_every_village_command_with_json(world: VillageWorld, node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w, v = world, world.v
    C = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID), "--json"]
    V = ["--village", v.ledger.address]
    doc = tmp_path / "evidence.txt"
    doc.write_text("照片：清理河道")
    ran: set[str] = set()

    def z(*argv: str) -> Any:
        r = run_cli(capsys, [*argv, *C])
        assert r.code == 0 and r.crash is None, f"zhili {' '.join(argv)}: {r}"
        ran.add(argv[1])
        return json.loads(r.out)

    def pid(i: int) -> str:
        return "0x" + w.ids[i].hex()

    fw = z("village", "framework", "--district", "文登区")["framework"]
    z("village", "deploy", "--jurisdiction", w.jurisdiction.address, "--persons", w.persons.address, "--framework", fw, "--code", "371003101202", "--from", "1")
    assert z("village", "member", pid(11), "--roles", "", "--team", "0", *V, "--from", "1")["idx"] == 12
    assert z("village", "list-propose", *V, "--from", str(P))["roll"] == 4
    for i in (4, 5):
        z("village", "list-vote", "1", "yes", *V, "--from", str(P + i))
    assert z("village", "list-vote", "1", "yes", *V, "--from", str(P + 7))["state"] == "adopted"
    assert z("village", "list-show", *V)[0]["state"] == "adopted"
    assert "green" in z("village", "contract-sign", "--person", pid(2), "--year", str(YEAR), "--colour", "green", "--duties", str(doc), *V, "--from", str(P + 2))["colours"]
    w.go_to(april())
    team = z("village", "month", f"{YEAR}-04", *V)["team"]
    verifier = str(P + w.on_duty(team, avoid=[11, 3]))
    d = z("village", "declare", "--month", f"{YEAR}-04", "--criterion", "P04", "--day", "3", "--evidence", str(doc), *V, "--from", str(P + 11))["id"]
    assert z("village", "verify", str(d), *V, "--from", verifier)[0]["status"] == "accepted"
    z("village", "record", pid(3), "--month", f"{YEAR}-04", "--criterion", "N06", "--day", "4", "--evidence", str(doc), *V, "--from", verifier)
    w.publish_and_finalize((YEAR - 1970) * 4)  # Q1: empty
    w.go_to(april() + 3, day=15)
    assert z("village", "publish", f"{YEAR}Q2", *V, "--from", str(P + 8))["state"] == "published"
    o = z("village", "object", f"{YEAR}Q2", "--subject", pid(3), "--grounds", str(doc), *V, "--from", str(P + 11))["id"]
    z("village", "rule", str(o), "reject", "--reason", str(doc), *V, "--from", str(P + 8))
    assert z("village", "rule", str(o), "reject", "--reason", str(doc), *V, "--from", str(P + 9))["state"] == "rejected"
    st = z("village", "standings", f"{YEAR}Q2", *V)
    assert st["standings"][0]["credit"] == 10 and st["standings"][-1]["credit"] == -10
    assert z("village", "show", pid(11), "--year", str(YEAR), *V)["quarters"][f"{YEAR}Q2"]["credit"] == 10
    w.go_after(v.quarter(april() // 3).deadline)
    assert z("village", "finalize", f"{YEAR}Q2", *V)["state"] == "final"
    w.publish_and_finalize(april() // 3 + 1)
    w.publish_and_finalize(april() // 3 + 2)
    grades = z("village", "grade", str(YEAR), *V)
    assert {g["idx"]: g["stars"] for g in grades}[12] == 2  # P11: 61.0, two stars
    assert v.claim(YEAR, w.ids[11]).balance == 10
    v.set_item(9, 5, keccak(text="一块肥皂"), 1)
    v.restock(9, 3, 1)
    acc = z("village", "redeem", "--person", pid(11), "--keeper", pid(10), "--person-key", str(P + 11), "--item", "9", "--quantity", "2",
            *V, "--market", v._market.address, "--from", str(P + 10))  # fmt: skip
    assert acc["nonce"] == 1
    assert village_json_commands() - ran == set(), "village commands offering --json that this test does not run"
