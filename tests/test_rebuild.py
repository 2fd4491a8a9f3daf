"""Rebuild from events: every contract's state folded from its logs equals what its storage says."""

from __future__ import annotations

import pytest

from zhili import rebuild, scenario
from zhili.chain import connect
from zhili.election import ElectionClient


@pytest.mark.anvil_only  # py-evm scans every block per log query: ~25 s per scenario on the embedded chain
@pytest.mark.parametrize("name", scenario.BUILTIN)
def test_rebuild_bundled_scenarios_from_logs(name: str, chain_kind: str) -> None:
    with connect(chain_kind) as chain:
        res = scenario.run(scenario.load(name), chain)
        j = chain.contract("Jurisdiction", res["jurisdiction"]["address"])
        persons = chain.contract("PersonRegistry", res["jurisdiction"]["persons"])
        rj = rebuild.rebuild_jurisdiction(j)
        assert rj == rebuild.state_jurisdiction(chain, j, rj["roles"])
        rp = rebuild.rebuild_persons(persons)
        assert rp == rebuild.state_persons(chain, persons, rp.keys())
        assert len(rp) == len(res["people"])
        for key in ("election", "next_election"):
            e = ElectionClient.at(chain, res[key]["address"])
            built = rebuild.rebuild_election(e.contract, e.box)
            built["polls"] = rebuild.comparable_polls(built["polls"])
            assert built == rebuild.state_election(chain, e.contract, e.box)
