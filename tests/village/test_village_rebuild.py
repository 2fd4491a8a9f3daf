"""Every village contract rebuilt from its events alone equals its storage (R-VC-11, DESIGN: events
are the rebuild API): a whole year with objections, grades, a lost seat, a helper, redemptions."""

from __future__ import annotations

from village_kit import OFFICE, YEAR, VillageWorld
from zhili.village.rebuild import compare, rebuild_village, state_village


def test_year_rebuilt_from_events(year: VillageWorld) -> None:
    vw, v = year, year.v
    v.grade(YEAR)
    v.assign_helper(YEAR, vw.ids[3], vw.ids[5], vw.key(0))
    v.claim(YEAR, vw.ids[11])
    v.redeem(vw.ids[11], vw.ids[10], 1, 1, vw.key(11), vw.key(10))
    v.sync_key(vw.ids[2])
    deadline, _ = v.rectification(YEAR, vw.ids[6])
    vw.go_after(deadline)
    v.lose_seat(YEAR, vw.ids[6])
    v.set_member(vw.ids[8], 0, 0, OFFICE)  # the town changes the council after the year
    v.restock(2, 5, OFFICE)
    rebuilt = rebuild_village(v.ledger, v.quarters, v.market)
    stored = state_village(vw.chain, v.ledger, v.quarters, v.market, rebuilt)
    assert compare(rebuilt, stored) == []
    assert len(rebuilt["declarations"]) == 11 and len(rebuilt["annual"]) == 12 and rebuilt["objectionCount"] == 2
