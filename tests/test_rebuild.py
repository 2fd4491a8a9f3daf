"""Rebuild from events: every contract's state folded from its logs equals what its storage says."""

from __future__ import annotations

import pytest

from zhili import rebuild
from zhili.core.chain import connect
from zhili.council import rebuild as council_rebuild
from zhili.election.client import ElectionClient
from zhili.evidence import handover
from zhili.evidence.client import EvidenceClient
from zhili.evidence.handover import HandoverClient
from zhili.merit.client import MeritClient
from zhili.merit.rebuild import rebuild_merit, state_merit
from zhili.scenario import runner as scenario
from zhili.scenario.runner import SCRUTINEERS


@pytest.mark.anvil_only  # py-evm scans every block per log query: ~25 s per scenario on the embedded chain
@pytest.mark.parametrize("name", scenario.BUILTIN)
def test_rebuild_bundled_scenarios_from_logs(name: str, chain_kind: str) -> None:
    """Jurisdiction (R-WD-1, R-WD-2, R-TC-3 holders), persons (R-TL-1 terms, R-MR-9), elections (R-EL-*),
    and the council's motions (R-WD-1 … R-WD-7: category, windows, roster, votes, tally, decision
    record with the first responsible person R-WD-6, budget lines) and its minutes book (R-WD-8); where
    the scenario has them, the evidence ledger (R-DOC-1 … R-DOC-4), the merit ledgers, cases and
    succession order (R-MR-*, R-SU-*) and the oath and handover (R-DOC-6, R-DOC-7)."""
    with connect(chain_kind) as chain:
        res = scenario.run(scenario.load(name), chain)
        j = chain.contract("Jurisdiction", res["jurisdiction"]["address"])
        persons = chain.contract("PersonRegistry", res["jurisdiction"]["persons"])
        rj = rebuild.rebuild_jurisdiction(j)
        assert rj == rebuild.state_jurisdiction(chain, j, rj["roles"])
        rp = rebuild.rebuild_persons(persons)
        assert rp == rebuild.state_persons(chain, persons, rp.keys())
        data = scenario.load(name)
        rolls = sum(data[k]["party_delegates"] + data[k]["congress_deputies"] for k in ("election", "next_election"))
        # the rolls are registered persons too (issue 15), and the jurisdiction's scrutineers (R-EL-13)
        assert len(rp) == len(res["people"]) + rolls + SCRUTINEERS
        for key in ("election", "next_election"):
            e = ElectionClient.at(chain, res[key]["address"])
            built = rebuild.rebuild_election(e.contract, e.box)
            built["polls"] = rebuild.comparable_polls(built["polls"])
            assert built == rebuild.state_election(chain, e.contract, e.box)
        # the council of the scenario's year of decisions, and its (empty) minutes book
        c = chain.contract("Council", res["contracts"]["council"])
        block = chain.w3.eth.block_number
        now = int(chain.w3.eth.get_block(block)["timestamp"])
        rc = council_rebuild.rebuild_council(c, rj, now=now)
        assert rc == council_rebuild.state_council(chain, c, block=block)
        assert rc["motionCount"] == len(res["council"]) > 0
        assert [m["decision"]["passed"] for m in rc["motions"].values()] == [r["passed"] for r in res["council"]]
        book = chain.contract("CouncilMinutes", chain.call(c.functions.minuteBook()))
        rm = council_rebuild.rebuild_minutes(book)
        assert council_rebuild.comparable_minutes(rm) == council_rebuild.state_minutes(chain, book, c, rm)
        seen = {"documents": 0, "merit": False, "handover": False}
        if res["contracts"].get("evidence"):
            led = EvidenceClient.at(chain, res["contracts"]["evidence"])
            re = led.rebuild()
            assert re == led.state_of(list(re["records"]), len(re["signers"]), list(re["access_logs"]))
            seen["documents"] = re["counters"]["documents"]
        if res["contracts"].get("merit_ledger"):
            m = MeritClient.at(chain, res["contracts"]["merit_ledger"])
            rm = rebuild_merit(m.ledger, m.book, m.succession)
            assert rm == state_merit(chain, m.ledger, m.book, m.succession, list(rm["people"]))
            seen["merit"] = True
        if res.get("handover"):
            h = HandoverClient.at(chain, res["handover"]["address"])
            assert handover.rebuild(h) == handover.state_of(h)
            seen["handover"] = True
        if name == "township":  # the demo's term has them all
            assert seen == {"documents": len(res["documents"]) - sum(1 for d in res["documents"] if d["version"] > 1), "merit": True, "handover": True}
