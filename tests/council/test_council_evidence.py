"""The evidence ledger reads decisions from the real council (ICouncilDecisions), not the test mock (R-DOC-2, R-WD-6)."""

from __future__ import annotations

import pytest

from council_kit import build_council_world
from zhili.core.chain import Chain, ContractRevert
from zhili.council.client import Position
from zhili.evidence.client import DocMeta, EvidenceClient
from zhili.testing import Staff
from zhili.types import CORE_OFFICES, Category

S, D, C, K, A = CORE_OFFICES


def test_document_executes_a_motion_decided_by_the_council(chain: Chain) -> None:
    # R-DOC-2: the weighted result and the first responsible person come from the council, never retyped
    w = build_council_world(chain)
    ledger = EvidenceClient.deploy(chain, w.jurisdiction, w.persons, w.council.address)
    passed = w.propose(Category.LIVELIHOOD)
    assert passed == 1  # motion ids run from 1: 0 means "no motion" to the ledger
    w.decide(passed, {A: Position.YES, S: Position.YES, D: Position.NO})
    failed = w.propose(Category.LIVELIHOOD)
    w.decide(failed, {A: Position.YES})
    data = "关于村道硬化工程的决定".encode()
    fp = ledger.anchor(data, DocMeta(title="村道硬化", category=Category.LIVELIHOOD, motion_id=passed), w.key(A), sender=Staff.RELAYER)
    (ev,) = ledger.contract.events.MotionLinked().get_logs(from_block=0)
    assert ev.args.fingerprint == fp and ev.args.motionId == passed
    d = ev.args.decision
    assert d["passed"] and d["yesWeight"] == 180 and d["threshold"] == 160 and d["firstResponsible"] == w.ids[4]
    assert d["category"] == int(Category.LIVELIHOOD) and d["basisHash"] == w.council.decision(passed)["basisHash"]
    with pytest.raises(ContractRevert) as e:
        ledger.anchor(b"another", DocMeta(title="x", category=Category.LIVELIHOOD, motion_id=failed), w.key(A), sender=Staff.RELAYER)
    assert e.value.error == "MotionNotPassed"
    with pytest.raises(ContractRevert) as e:
        ledger.anchor(b"third", DocMeta(title="y", category=Category.STRATEGIC, motion_id=passed), w.key(A), sender=Staff.RELAYER)
    assert e.value.error == "CategoryMismatch"
