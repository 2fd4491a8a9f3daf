"""A small world for merit and succession tests: persons with funded keys, six seated offices, the
merit contracts deployed and the initial succession order set (R-SU-1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_utils import keccak

from election_kit import ADMIN, AUTHORITY, UPPER, World, build_world
from zhili import profiles
from zhili.core.chain import Chain
from zhili.merit.identity import CommitteeKey, ReporterIdentity
from zhili.merit.client import Award, Conclusion, Decision, MeritClient, ReporterClass
from zhili.jurisdiction.registry import role_id
from zhili.types import Office

COMMITTEE = 4  # account holding MERIT_COMMITTEE (registry.ROLES order, accounts 1..7)
REVIEWER1, REVIEWER2 = 8, 9
SEATS = {  # person index -> office
    0: Office.SECRETARY,
    1: Office.DISCIPLINE,
    2: Office.CONGRESS,
    3: Office.CONSULTATIVE,
    4: Office.ADMINISTRATOR,
    5: Office.DISCIPLINE_DEPUTY,
}
MEMBERS = (6, 7)  # other committee members (组织委员, 宣传委员), in precedence order
COMMITTEE_KEY = CommitteeKey.generate()


@dataclass
class MeritWorld:
    w: World
    m: MeritClient

    @property
    def chain(self) -> Chain:
        return self.w.chain

    @property
    def ids(self) -> list[bytes]:
        return self.w.ids

    def key(self, i: int) -> Any:
        return self.w.keys[self.ids[i]]

    def idx(self, pid: bytes) -> int:
        return self.ids.index(pid)

    def order(self) -> list[int]:
        return [self.idx(p) for p in self.m.order()]

    def holders(self) -> dict[Office, int | None]:
        out: dict[Office, int | None] = {}
        for o in Office:
            h = bytes(self.chain.call(self.w.jurisdiction.functions.holder(o)))
            out[o] = self.idx(h) if any(h) else None
        return out

    def file(self, accused: int, reporter: int, cls: ReporterClass = ReporterClass.COMMITTEE_MEMBER, claimed: Award = Award.NONE) -> tuple[int, ReporterIdentity]:
        ident = ReporterIdentity.new(self.ids[reporter], name=f"P{reporter:02d}")
        case, _blob = self.m.report(self.ids[accused], cls, claimed, f"evidence {accused} {reporter}".encode(), ident, COMMITTEE_KEY, ADMIN)
        return case, ident

    def review(self, case: int, client: MeritClient | None = None) -> None:
        """Step 1 and 2 of R-MR-10: two sealed reviews opened, the re-check anchored."""
        m = client or self.m
        m.assign(case, self.chain.accounts[REVIEWER1].address, self.chain.accounts[REVIEWER2].address, COMMITTEE)
        o1 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r1"), REVIEWER1)
        o2 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r2"), REVIEWER2)
        m.open_review(o1, REVIEWER1)
        m.open_review(o2, REVIEWER2)
        m.recheck(case, keccak(text="big data"), True, COMMITTEE)

    def decide(self, case: int, d: Decision, client: MeritClient | None = None) -> int:
        """Steps 3 and 4: proposal, the (single-member) committee's vote, publication. Returns the appeal deadline."""
        m = client or self.m
        m.propose(case, d, COMMITTEE)
        m.vote(case, True, COMMITTEE)
        return m.publish(case, keccak(text=f"notice {case}"), COMMITTEE).deadline

    def pass_window(self, deadline: int) -> None:
        now = self.m.now()
        if now <= deadline:
            self.chain.advance_time(deadline - now + 1)

    def run(self, accused: int, reporter: int, d: Decision, cls: ReporterClass = ReporterClass.COMMITTEE_MEMBER, claimed: Award = Award.NONE) -> int:
        """A whole case to finality without appeal."""
        case, ident = self.file(accused, reporter, cls, claimed)
        from zhili.merit.client import Finding

        if d.award != Award.NONE or (d.finding == Finding.MALICIOUS and claimed != Award.NONE):
            d = reveal(d, ident)  # the committee opens the identity blob only when it must
        self.review(case)
        deadline = self.decide(case, d)
        self.pass_window(deadline)
        self.m.finalize(case, ADMIN)
        return case


def reveal(d: Decision, ident: ReporterIdentity) -> Decision:
    from dataclasses import replace

    return replace(d, reporter=ident.person_id, reporter_salt=ident.salt)


def build_merit_world(chain: Chain, *, profile: str | profiles.Profile = "township") -> MeritWorld:
    """``profile``: a built-in name or a Profile; a county profile gets its own jurisdiction; any
    profile's merit section becomes the ledger's award table."""
    w = build_world(chain)
    prof = profiles.load(profile) if isinstance(profile, str) else profile
    if prof.kind.key != "township":
        from zhili.jurisdiction import registry

        roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
        w.jurisdiction = registry.deploy_jurisdiction(chain, prof, "330100", "county", roles=roles)
    j = w.jurisdiction
    chain.transact(j.functions.grantRole(role_id("office_writer"), chain.accounts[ADMIN].address), ADMIN)
    for i, office in SEATS.items():
        chain.transact(j.functions.seat(int(office), w.ids[i]), ADMIN)
    m = MeritClient.deploy(chain, j, w.persons, prof)
    m.names = w.names
    m.init_order([w.ids[i] for i in MEMBERS], AUTHORITY)
    return MeritWorld(w, m)


__all__ = ["ADMIN", "AUTHORITY", "UPPER", "COMMITTEE", "REVIEWER1", "REVIEWER2", "MeritWorld", "build_merit_world", "reveal"]
