"""The village cases of the bad-input corpus (tests/bad_input/village.yaml; the machinery and the
assertions of tests/test_bad_input.py): each a non-zero exit, a message naming the rule or the
field and the offending value, and an unchanged chain. The village runs on an anvil node of this
module's own, because its windows need months of chain time."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from eth_utils import keccak

from test_bad_input import DOC_FILE, World, _Fmt, chain_state, expand, run_cli
from village_kit import april, build_village
from zhili.core.chain import ANVIL_CHAIN_ID, AnvilProcess, anvil_accounts, connect
from zhili.village.profile import PROFILE_DIR

CASES_FILE = Path(__file__).resolve().parents[1] / "bad_input" / "village.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
P = 10  # person i signs with key P + i


@pytest.fixture(scope="module")
def world(node: AnvilProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    chain = connect(node.url, chain_id=ANVIL_CHAIN_ID)
    chain.accounts = anvil_accounts(10)
    chain.kind = "anvil"
    w = build_village(chain)
    v = w.v
    w.adopt()
    w.go_to(april())
    team = v.open_month(april()).team
    duty = w.on_duty(team, avoid=[11])
    pending = v.declare(april(), w.code("P04"), 3, keccak(text="pending"), w.key(11))
    own = v.declare(april(), w.code("P04"), 3, keccak(text="own"), w.key(duty))
    v.set_item(9, 0, keccak(text="the last bag"), 1)
    v.restock(9, 1, 1)
    w.go_to(april() + 3, day=15)
    v.open_month(april() + 3)
    q = v.publish(april() // 3, w.key(8))
    w.go_after(q.deadline)
    tmp = tmp_path_factory.mktemp("village-bad-input")
    doc = tmp / "evidence.txt"
    doc.write_text("照片")
    W = World(village=v.ledger.address, market=v._market.address, doc=str(doc), tmp=str(tmp), pending=str(pending), own=str(own),
              duty=str(P + duty))  # fmt: skip
    W.update({f"p{i}": "0x" + pid.hex() for i, pid in enumerate(w.ids)})
    W.update({f"k{i}": str(P + i) for i in range(len(w.ids))})
    saved = os.environ.get("ZHILI_PRIVATE_KEYS")
    os.environ["ZHILI_PRIVATE_KEYS"] = ",".join(a.key.hex() for a in chain.accounts + w.keys)
    chain.close()
    yield W
    if saved is None:
        os.environ.pop("ZHILI_PRIVATE_KEYS", None)
    else:
        os.environ["ZHILI_PRIVATE_KEYS"] = saved


def _file(path: Path, spec: Any) -> None:
    if isinstance(spec, dict) and "village_profile" in spec:  # the built-in profile with some values changed
        data = yaml.safe_load((PROFILE_DIR / "village.yaml").read_text(encoding="utf-8"))
        for section in ("positive", "negative"):
            for c in data["criteria"][section]:
                c["value"] = spec["village_profile"].get(c["code"], c["value"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    else:
        path.write_text(str(spec), encoding="utf-8")


def test_doc_lists_every_village_case() -> None:
    doc = DOC_FILE.read_text(encoding="utf-8")
    assert not [c["id"] for c in CASES if f"`{c['id']}`" not in doc]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_village_bad_input(case: dict[str, Any], world: World, node: AnvilProcess, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {name: tmp_path / f"{name}.yaml" for name in case.get("files", {})}
    for name, spec in case.get("files", {}).items():
        _file(files[name], spec)
    argv = expand(case["argv"], _Fmt(world, files)) + ["--chain", node.url, "--chain-id", str(ANVIL_CHAIN_ID)]
    before = chain_state(node.url)
    r = run_cli(capsys, argv)
    after = chain_state(node.url)
    show = f"zhili {' '.join(argv)}\n-> exit {r.code}\nstdout: {r.out}\nstderr: {r.err}"
    assert r.crash is None, f"uncaught {r.crash}\n{show}"
    assert r.code == case.get("exit", 2), show
    for needle in case["says"]:
        assert needle.lower() in r.text.lower(), f"message lacks {needle!r}\n{show}"
    assert "Traceback" not in r.text, show
    assert after == before, f"the chain changed: {before} -> {after}\n{show}"
    if os.environ.get("ZHILI_BAD_INPUT_LOG"):  # the messages, for docs/bad-input.md
        with open(os.environ["ZHILI_BAD_INPUT_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"id": case["id"], "exit": r.code, "message": r.text}, ensure_ascii=False) + "\n")
