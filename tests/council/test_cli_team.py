"""Team completion through the ``zhili`` command on a persistent node: a government member proposed by the
administrator, consented by the secretary, and confirmed by a people's-congress poll whose deputies cast
with their own credential files (R-TC-2, issue 15 item 5)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from chain_kit import z
from council_kit import build_elected_council_world
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.election.client import Electorate
from zhili.testing import Staff

MEMBER = 10  # person i's key follows the ten staff keys in ZHILI_PRIVATE_KEYS


def test_government_member_confirmed_by_a_poll_through_the_cli(node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    chain = connect(node.url)
    chain.accounts = anvil_accounts(10)
    w = build_elected_council_world(chain)
    e = w.elected
    election = e.contract.address
    monkeypatch.setenv("ZHILI_PRIVATE_KEYS", ",".join(a.key.hex() for a in [*chain.accounts, *(w.keys[p] for p in w.ids)]))
    opts = ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    T = ["--team", w.team.contract.address, *opts]
    content = tmp_path / "nomination.txt"
    content.write_text("提名张三为副乡长", encoding="utf-8")
    nominee = "0x" + w.ids[6].hex()

    admin, secretary = str(MEMBER + 4), str(MEMBER + 0)  # P04 administrator, P00 secretary (elected)
    code, o, _ = z(capsys, "team", "propose-member", "--person", nominee, "--post", "副乡长", "--content", str(content), "--from", admin, "--json", *T)
    assert code == 0 and json.loads(o) == {"appointment": 0}
    code, _, err = z(capsys, "team", "consent", "0", "--yes", "--from", admin, *T)  # not the secretary
    assert code == 2 and "NotHolder" in err and "R-TC-2" in err
    code, o, _ = z(capsys, "team", "consent", "0", "--yes", "--from", secretary, "--json", *T)
    assert code == 0 and json.loads(o)["step"] == "awaiting_confirmation"
    code, _, err = z(capsys, "team", "confirm", "--election", election, "--body", "party", "0", "--from", str(Staff.AUTHORITY), *T)
    assert code == 2 and "ConfirmationNotExpected" in err and "R-TC-1" in err
    code, o, _ = z(capsys, "team", "confirm", "--election", election, "--body", "people", "0", "--from", str(Staff.AUTHORITY), "--json", *T)
    assert code == 0
    round = json.loads(o)["round"]
    E = ["--election", election, *opts]
    assert z(capsys, "election", "open", "--round", str(round), "--from", str(Staff.AUTHORITY), *E)[0] == 0

    # six deputies: four name the nominee, two cast blank ballots (4 of 6: 8 > 6)
    ballots = []
    for i, wallet in enumerate(e.wallets_for(Electorate.CONGRESS)):
        cred = tmp_path / f"deputy{i}.json"
        replace(wallet, election=election).save(cred)
        out = tmp_path / f"ballot{i}.json"
        names = ["--names", nominee] if i < 4 else []
        code, _, err = z(capsys, "election", "cast", "--credential", str(cred), "--round", str(round), *names, "--out", str(out), *opts)
        assert code == 0, err
        ballots.append(str(out))
    code, _, err = z(capsys, "election", "cast", "--credential", str(tmp_path / "deputy0.json"), "--round", str(round), "--names", "0x" + w.ids[7].hex(), "--out", str(tmp_path / "x.json"), *opts)
    assert code == 2 and "R-EL-2" in err  # not on this ballot
    assert z(capsys, "election", "relay", *ballots, "--from", str(Staff.RELAYER), *E)[0] == 0
    assert z(capsys, "election", "reveal", *ballots, "--from", str(Staff.RELAYER), *E)[0] == 0  # every deputy cast: no wait
    code, o, _ = z(capsys, "team", "settle-confirmation", "0", "--from", str(Staff.RELAYER), "--json", *T)
    assert code == 0 and json.loads(o)["appointments"][0]["step"] == "appointed"
    code, o, _ = z(capsys, "team", "poll", "0", "--json", *T)
    assert code == 0 and json.loads(o) | {"election": None} == {"poll": 0, "body": "peoples_congress", "settled": True, "election": None, "round": round, "ids": [0]}
    code, o, _ = z(capsys, "team", "show", "0", "--json", *T)
    a = json.loads(o)
    assert a["person"] == nominee and a["confirmed"] == ["peoples_congress"] and a["kind"] == "government_member"
