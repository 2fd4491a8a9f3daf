"""A small world for merit and succession tests: persons with funded keys, six seated offices, the
merit contracts deployed and the succession order set from the seated offices (R-SU-1)."""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from election_kit import World
from zhili import profiles
from zhili.core.chain import Chain
from zhili.merit.client import Award, Conclusion, Decision, MeritClient, ReporterClass
from zhili.merit.identity import CommitteeKey, ReporterIdentity
from zhili.testing import Staff
from zhili.types import Office

N_PEOPLE = 14
SEATED = tuple(Office)  # person i holds office i (secretary, discipline, congress, consultative, administrator, deputy)
COMMITTEE_KEY = CommitteeKey.generate()


class MeritWorld(World):
    """An election world (``prepared``, ``pick``) with the merit contracts."""

    @property
    def m(self) -> MeritClient:
        return self.merit

    def key(self, i: int) -> Any:
        return self.signer(i)

    def idx(self, pid: bytes) -> int:
        return self.index(pid)

    def order(self) -> list[int]:
        return [self.idx(p) for p in self.m.order()]

    def holders(self) -> dict[Office, int | None]:
        out: dict[Office, int | None] = {}
        for o in Office:
            h = bytes(self.chain.call(self.jurisdiction.functions.holder(o)))
            out[o] = self.idx(h) if any(h) else None
        return out

    def file(self, accused: int, reporter: int, cls: ReporterClass = ReporterClass.COMMITTEE_MEMBER, claimed: Award = Award.NONE) -> tuple[int, ReporterIdentity]:
        ident = ReporterIdentity.new(self.ids[reporter], name=f"P{reporter:02d}")
        case, _blob = self.m.report(self.ids[accused], cls, claimed, f"evidence {accused} {reporter}".encode(), ident, COMMITTEE_KEY, Staff.ADMIN)
        return case, ident

    def review(self, case: int, client: MeritClient | None = None) -> None:
        """Step 1 and 2 of R-MR-10: two sealed reviews opened, the re-check anchored."""
        m = client or self.m
        m.assign(case, self.chain.accounts[Staff.REVIEWER1].address, self.chain.accounts[Staff.REVIEWER2].address, Staff.MERIT)
        o1 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r1"), Staff.REVIEWER1)
        o2 = m.seal_review(case, Conclusion.SUBSTANTIATED, keccak(text="r2"), Staff.REVIEWER2)
        m.open_review(o1, Staff.REVIEWER1)
        m.open_review(o2, Staff.REVIEWER2)
        m.recheck(case, keccak(text="big data"), True, Staff.MERIT)

    def decide(self, case: int, d: Decision, client: MeritClient | None = None) -> int:
        """Steps 3 and 4: proposal, the (single-member) committee's vote, publication. Returns the appeal deadline."""
        m = client or self.m
        m.propose(case, d, Staff.MERIT)
        m.vote(case, True, Staff.MERIT)
        return m.publish(case, keccak(text=f"notice {case}"), Staff.MERIT).deadline

    def at(self, ts: int) -> None:
        """Make ``ts`` the time of the next transaction (the clock moves forward only): a window's last second."""
        self.chain.wait_until(ts - 1)

    def after(self, ts: int) -> None:
        """Make ``ts + 1`` the chain's time (the latest block's), the first second after ``ts``: a refusal
        is simulated at it, a transaction is mined at it or later."""
        self.chain.wait_until(ts + 1)

    def pass_window(self, deadline: int) -> None:
        now = self.m.now()
        if now <= deadline:
            self.chain.advance_time(deadline - now + 1)

    def run(self, accused: int, reporter: int, d: Decision, cls: ReporterClass = ReporterClass.COMMITTEE_MEMBER, claimed: Award = Award.NONE) -> int:
        """A whole case to finality without appeal."""
        case, ident = self.file(accused, reporter, cls, claimed)
        from zhili.merit.client import Finding

        if d.award != Award.NONE or d.finding == Finding.MALICIOUS:
            d = reveal(d, ident)  # the committee opens the identity blob only when it must
        self.review(case)
        deadline = self.decide(case, d)
        self.pass_window(deadline)
        self.m.finalize(case, Staff.ADMIN)
        return case


def reveal(d: Decision, ident: ReporterIdentity) -> Decision:
    from dataclasses import replace

    return replace(d, reporter=ident.person_id, reporter_salt=ident.salt)


def build_merit_world(chain: Chain, *, profile: str | profiles.Profile = "township") -> MeritWorld:
    """``profile``: a built-in name or a Profile (a county profile makes a county jurisdiction);
    the profile's merit section becomes the ledger's award table."""
    prof = profiles.load(profile) if isinstance(profile, str) else profile
    code, name = ("330110-001", "良渚镇") if prof.kind.key == "township" else ("330100", "county")
    return MeritWorld.build(chain, profile=prof, code=code, name=name, people=N_PEOPLE, seated=SEATED, merit=True)


__all__ = ["COMMITTEE_KEY", "MeritWorld", "build_merit_world", "reveal"]
