"""A small village for the village tests: ``zhili.testing.World`` with a village (a township with its
calendar, 2026 from the library and 2027 from the notice file, a province registry with twelve
persons, the district framework and one village deployed from the village profile, its roll
``VILLAGE_ROLL`` recorded by the town and the contracts of 2026 signed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from zhili.calendar.client import CalendarClient
from zhili.core.chain import Chain
from zhili.core.workdays import Notice
from zhili.testing import VILLAGE_ROLL, Staff, World
from zhili.village.client import VillageClient, month_index
from zhili.village.profile import VillageProfile

ADMIN, OFFICE = Staff.ADMIN, Staff.TOWN  # accounts: the jurisdiction's admin, the town's village office
CST = dt.timezone(dt.timedelta(hours=8))
NOTICE_2027 = Path(__file__).resolve().parents[1] / "calendar" / "notice-2027.yaml"
YEAR = 2026
# person index -> (functions, team): P0 secretary, teams 1 (P0, P1), 2 (P2, P3), 3 (P4, P5);
# representatives P4..P7 (a roll of four: three is more than half), council P7..P9, keeper P10
ROLL: dict[int, tuple[int, int]] = dict(VILLAGE_ROLL)
N = len(ROLL)


def month_start(month: int) -> int:
    return int(dt.datetime(1970 + month // 12, month % 12 + 1, 1, tzinfo=CST).timestamp())


@dataclass
class VillageWorld:
    chain: Chain
    jurisdiction: Any
    persons: Any
    framework: Any
    v: VillageClient
    profile: VillageProfile
    ids: list[bytes]
    keys: list[LocalAccount]
    calendar: CalendarClient
    notes: dict[str, Any] = field(default_factory=dict)

    def key(self, i: int) -> LocalAccount:
        return self.keys[i]

    def go_to(self, month: int, day: int = 6, hour: int = 10) -> None:
        """Move the chain's clock to ``day`` of ``month`` at ``hour`` CST (forward only). By default the
        6th: the tests declare and record days 3 … 5, which must have come (R-VC-5)."""
        target = month_start(month) + (day - 1) * 86400 + hour * 3600
        now = self.chain.now()
        assert target > now, (target, now)
        self.chain.advance_time(target - now)

    def go_after(self, ts: int, seconds: int = 1) -> None:
        """Make ``ts + seconds`` the time the next act sees (``seconds=0``: the window's last second)."""
        self.chain.wait_until(ts + seconds - 1 if seconds == 0 else ts + seconds)

    def code(self, code: str) -> int:
        return self.profile.chain_code(code)

    def adopt(self, yes: tuple[int, ...] = (4, 5, 7)) -> int:
        version = self.v.propose_profile_list(self.profile, self.key(0))
        for i in yes:
            self.v.vote_list(version, True, self.key(i))
        return version

    def run_month(self, month: int, declarations: list[tuple[int, str]] = (), negatives: list[tuple[int, str]] = ()) -> list[int]:  # type: ignore[assignment]
        """Open ``month``, persons declare (person, code), the team on duty verifies all and records negatives."""
        self.go_to(month)
        mo = self.v.open_month(month)
        ids = [self.v.declare(month, self.code(c), 3, keccak(text=f"evidence {p} {c} {month}"), self.key(p)) for p, c in declarations]
        verifier = self.on_duty(mo.team, avoid=[p for p, _ in declarations])
        if ids:
            self.v.verify(ids, True, self.key(verifier))
        for p, c in negatives:
            rec = self.on_duty(mo.team, avoid=[p])
            ids.append(self.v.record_negative(self.ids[p], month, self.code(c), 5, keccak(text=f"negative {p} {c}"), self.key(rec)))
        return ids

    def on_duty(self, team: int, avoid: list[int] = ()) -> int:  # type: ignore[assignment]
        members = [i for i, (_, t) in ROLL.items() if t == team]
        free = [i for i in members if i not in avoid]
        return (free or members)[0]

    def publish_and_finalize(self, quarter: int) -> None:
        self.go_to(quarter * 3 + 3, day=15)
        q = self.v.publish(quarter, self.key(8))
        self.go_after(q.deadline)
        self.v.finalize(quarter)


def build_village(chain: Chain) -> VillageWorld:
    w = World.build(chain, code="371003-101", name="大水泊镇", people=N, seed="village kit", village=True, village_roll=ROLL, village_year=YEAR)
    cal = w.calendar
    if not cal.is_published(2027):
        cal.publish(Notice.load(NOTICE_2027), ADMIN)
    return VillageWorld(chain, w.jurisdiction, w.persons, w.credit_framework, w.village, w.village_profile, w.ids, [w.signer(i) for i in range(N)], cal)


def april() -> int:
    return month_index(YEAR, 4)


def build_year(chain: Chain) -> VillageWorld:
    """A year of the village: the list adopted in January, declarations and negative items from April
    to December, four quarters published and final (in Q2 one objection upheld, one rejected)."""
    w = build_village(chain)
    w.notes["version"] = w.adopt()
    m = month_index(YEAR, 1)
    apr, may, jun = m + 3, m + 4, m + 5
    w.run_month(apr, declarations=[(11, "P04"), (2, "P04")])
    w.publish_and_finalize(0 + (YEAR - 1970) * 4)  # Q1: no list was in force, nothing to count
    w.run_month(may, negatives=[(3, "N13"), (6, "N02"), (6, "N04"), (6, "N03")])
    w.run_month(jun, negatives=[(4, "N02"), (1, "N01"), (1, "N12"), (1, "N15"), (1, "N35")])
    w.run_month(m + 6)
    q2 = apr // 3
    w.go_to(m + 6, day=15)
    v = w.v
    pub = v.publish(q2, w.key(8))
    upheld = v.object(q2, w.ids[11], 0, keccak(text="my June mediation was not registered"), w.key(11))
    rejected = v.object(q2, w.ids[6], 0, keccak(text="the representative's penalties are unfair"), w.key(4))
    for member in (7, 8):
        v.rule(upheld, True, 2, 10, keccak(text="upheld: +1.0 credit"), w.key(member))
        v.rule(rejected, False, 0, 0, keccak(text="rejected"), w.key(member))
    w.notes |= {"upheld": upheld, "rejected": rejected, "q2": q2, "q2_deadline": pub.deadline}
    w.go_after(pub.deadline)
    v.finalize(q2)
    w.run_month(m + 7)
    w.run_month(m + 8)
    w.run_month(m + 9)
    w.publish_and_finalize(q2 + 1)
    w.run_month(m + 10)
    w.run_month(m + 11)
    w.publish_and_finalize(q2 + 2)
    return w
