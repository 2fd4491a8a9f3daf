"""Evidence-ledger figures (``zhili bench --gas` (section `evidence`; scale run `documents_10k` in `bench/run.py`)`; see docs/evidence.md): gas of one signed version, and a
10,000-document run on anvil (anchoring throughput, ``verify`` latency, rebuilding history from events).

Gas is of whole transactions (21,000 base and calldata included). The sample document is a typical
township decision: a Chinese title, a one-line summary, two recipients, one basis reference; the
output reports its title and details sizes in bytes (each further byte costs about 25 gas).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import eth_abi
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.types import TxParams

from ..bench.suite import SectionAbsent
from ..core import artifacts
from ..core.chain import Chain
from ..election.client import person_id
from ..evidence.client import DocMeta, Kind
from ..testing import Staff, World
from ..types import Category

META = DocMeta(
    title="关于2025年度农村道路维修的决定",
    category=Category.LIVELIHOOD,
    summary="对全镇12条村道进行维修。",
    recipients=("各村委会", "镇财政所"),
    basis=(keccak(text="《农村公路条例》第十二条"),),
)


def _world(chain: Chain, signers: int = 3, code: str = "330110-001") -> tuple[World, list[LocalAccount]]:
    """A ledger reading decisions from the test-only council mock; ``signers`` registered persons."""
    if "MockCouncilDecisions" not in artifacts.names():  # test-only: an installed zhili does not ship it
        raise SectionAbsent("the evidence figures need the test-only MockCouncilDecisions (tests/artifacts/ of a source checkout)")
    w = World.build(chain, name="bench", code=code, people=signers, seed="bench signer", fund=0, evidence=True)
    return w, [w.signer(i) for i in range(signers)]


def _gas(chain: Chain, fn: Callable[[], Any], label: str) -> int:
    before = len(chain.gas_used.get(label, []))
    fn()
    return chain.gas_used[label][before]


def anchor_gas(chain: Chain) -> dict[str, int]:
    """Gas per signed version: original, amendment, supplement, revocation, SM3, motion-linked (R-DOC-3, R-DOC-4)."""
    w, keys = _world(chain)
    led, k = w.ledger, keys[0]
    out: dict[str, int] = {}
    out["evidence.commit"] = _gas(chain, lambda: led.commit(keccak(text="a commitment"), w.ids[0], Staff.RELAYER), "evidence.commit")
    out["evidence.anchor.first_by_signer"] = _gas(chain, lambda: led.anchor(b"warm-up", META, k, sender=Staff.RELAYER), "evidence.anchor")
    v1 = [b""]
    out["evidence.anchor"] = _gas(chain, lambda: v1.__setitem__(0, led.anchor(b"document v1", META, k, sender=Staff.RELAYER)), "evidence.anchor")
    out["evidence.anchor.sm3"] = _gas(chain, lambda: led.anchor(b"document sm3", META, k, algorithm="sm3", sender=Staff.RELAYER), "evidence.anchor")
    bare = DocMeta(title=META.title, category=META.category)
    out["evidence.anchor.title_only"] = _gas(chain, lambda: led.anchor(b"bare", bare, k, sender=Staff.RELAYER), "evidence.anchor")
    v2 = [b""]
    out["evidence.amend"] = _gas(chain, lambda: v2.__setitem__(0, led.new_version(v1[0], Kind.AMENDMENT, b"document v2", META, "预算调整", k, sender=Staff.RELAYER)), "evidence.amendment")
    v3 = [b""]
    out["evidence.supplement"] = _gas(chain, lambda: v3.__setitem__(0, led.new_version(v2[0], Kind.SUPPLEMENT, b"document v3", META, "补充实施细则", k, sender=Staff.RELAYER)), "evidence.supplement")
    out["evidence.revoke"] = _gas(chain, lambda: led.new_version(v3[0], Kind.REVOCATION, b"notice", META, "项目取消", k, sender=Staff.RELAYER), "evidence.revocation")
    weights = list(chain.call(w.jurisdiction.functions.weightRow(int(Category.LIVELIHOOD))))
    d = (int(Category.LIVELIHOOD), True, False, 220, 160, 1_700_000_000, w.ids[0], keccak(text="line"), 800_000, keccak(text="b"))
    chain.transact(w.decisions.functions.setDecision(1, d, [person_id(f"m{i}") for i in range(5)], weights, [1, 1, 2, 1, 3]))
    motion = DocMeta(**{**META.__dict__, "motion_id": 1})
    out["evidence.anchor.with_motion(mock council)"] = _gas(chain, lambda: led.anchor(b"executes motion 1", motion, k, sender=Staff.RELAYER), "evidence.anchor")
    keeper = w.account(Staff.KEEPER)  # the world granted it RECORDS_KEEPER
    out["evidence.anchorAccessLog.first"] = _gas(chain, lambda: led.anchor_access_log(keccak(text="h1"), 1, keeper), "evidence.anchorAccessLog")
    out["evidence.anchorAccessLog"] = _gas(chain, lambda: led.anchor_access_log(keccak(text="h2"), 2, keeper), "evidence.anchorAccessLog")
    raw = META.details()
    out["sample.title_bytes"] = len(META.title.encode())
    out["sample.details_bytes"] = len(raw)
    return out


@dataclass
class Anchored:
    """Documents anchored by :func:`anchor_many`: the world, each document's bytes, and the timings."""

    world: World
    data: list[bytes]
    gas_used: list[int]
    sign_seconds: float
    anchor_seconds: float


def anchor_many(chain: Chain, n: int, *, chunk: int = 300, code: str = "330110-001", progress: Callable[[str], None] = lambda s: None) -> Anchored:
    """``n`` signed documents (ten signers in turn) committed and anchored in blocks of ``chunk``, in
    the ledger of a jurisdiction ``code``."""
    w, keys = _world(chain, signers=10, code=code)
    led = w.ledger
    relayer = w.account(Staff.RELAYER)
    w3 = chain.w3
    t_sign = time.monotonic()
    prepared = []
    pids = [led.person_of(k.address) for k in keys]
    for i in range(n):
        data = f"document {i}".encode()
        doc, pid, r, vs = led.prepare(data, META, keys[i % len(keys)], signer_id=pids[i % len(keys)])
        commit = led.contract.functions.commit(keccak(eth_abi.encode(["bytes32", "bytes32"], [bytes(doc[0]), pid])))
        prepared.append((data, led.contract.functions.anchor(doc, pid, r, vs), commit))
    sign_seconds = time.monotonic() - t_sign
    progress(f"signed {n} documents in {sign_seconds:.1f}s")
    nonce = int(w3.eth.get_transaction_count(relayer.address, "pending"))
    fees = chain._fees()
    gas_used: list[int] = []
    raw_txs: list[bytes] = []
    raw_commits: list[bytes] = []
    for start in range(0, n, chunk):  # what a relayer does ahead of time: build and sign the transactions
        for anchors, out in ((False, raw_commits), (True, raw_txs)):  # a block of commitments (R-DOC-3), then their anchors
            for _, anchor_fn, commit_fn in prepared[start : start + chunk]:
                tx = (anchor_fn if anchors else commit_fn).build_transaction(cast(TxParams, {"from": relayer.address, "nonce": nonce, "gas": 200_000, "chainId": chain.chain_id, **fees}))
                out.append(relayer.sign_transaction(cast(dict[str, Any], tx)).raw_transaction)
                nonce += 1
    # blocks of `chunk` transactions (anvil's automine would make one block per transaction)
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    t0 = time.monotonic()
    try:
        for start in range(0, n, chunk):
            for raw in raw_commits[start : start + chunk]:
                w3.eth.send_raw_transaction(raw)
            w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            hashes = [w3.eth.send_raw_transaction(raw) for raw in raw_txs[start : start + chunk]]
            w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            for h in hashes:
                rc = w3.eth.get_transaction_receipt(h)
                if rc["status"] != 1:
                    raise RuntimeError(f"anchor transaction {h.hex()} failed")
                gas_used.append(int(rc["gasUsed"]))
            if (start // chunk) % 5 == 4:
                progress(f"anchored {min(start + chunk, n)}")
    finally:
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
    return Anchored(w, [p[0] for p in prepared], gas_used, sign_seconds, time.monotonic() - t0)


def scale(chain: Chain, n: int = 10_000, *, chunk: int = 300, verify_samples: int = 200, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Anchor ``n`` signed documents, then time ``verify`` and a full rebuild from events."""
    a = anchor_many(chain, n, chunk=chunk, progress=progress)
    led, gas_used, sign_seconds, anchor_seconds = a.world.ledger, a.gas_used, a.sign_seconds, a.anchor_seconds
    prepared = [(d,) for d in a.data]
    latencies = []
    step = max(1, n // verify_samples)
    for i in range(0, n, step):
        t = time.monotonic()
        v = led.verify(prepared[i][0])
        latencies.append(time.monotonic() - t)
        assert v.valid
    t = time.monotonic()
    rebuilt = led.rebuild()
    rebuild_seconds = time.monotonic() - t
    assert rebuilt["counters"]["documents"] == n
    t = time.monotonic()
    hist = led.history(led.verify(prepared[n // 2][0]).trace or "")
    history_seconds = time.monotonic() - t
    assert len(hist) == 1
    return {
        "documents": n,
        "gas_per_anchor_median": int(statistics.median(gas_used)),
        "client_signing_seconds": round(sign_seconds, 2),
        "anchor_seconds": round(anchor_seconds, 2),
        "anchors_per_second": round(n / anchor_seconds, 1),
        "verify_latency_ms_median": round(1000 * statistics.median(latencies), 2),
        "verify_latency_ms_p95": round(1000 * sorted(latencies)[int(0.95 * len(latencies)) - 1], 2),
        "verify_samples": len(latencies),
        "rebuild_from_events_seconds": round(rebuild_seconds, 2),
        "history_one_trace_seconds": round(history_seconds, 3),
    }
