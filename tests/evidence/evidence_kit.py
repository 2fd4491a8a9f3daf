"""Evidence-ledger and handover tests' world (zhili.testing): a jurisdiction with its roles, persons
with funded keys seated in the five offices, the test-only council mock, a ledger and a handover
contract."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from zhili.core.chain import Chain
from zhili.testing import Staff, World
from zhili.types import CORE_OFFICES, Category, Office, Role

N_PEOPLE = 9  # 0..4 seated in the five offices, 5 outgoing secretary, 6 supervisor, 7 spare, 8 upper committee


class EvidenceWorld(World):
    def key(self, i: int) -> LocalAccount:
        return self.signer(i)

    def decide(self, motion: int, category: Category, passed: bool = True, yes: int = 200) -> None:
        """Test-only: make the mock council report a decision on ``motion``."""
        first = self.ids[0] if passed else b"\0" * 32
        d = (int(category), passed, False, yes, 160, 1_700_000_000, first, keccak(text="line"), 800_000, keccak(text="basis"))
        members = self.ids[:5]
        votes = [1, 1, 2, 3, 1] if passed else [2, 2, 1, 0, 0]
        weights = list(self.chain.call(self.jurisdiction.functions.weightRow(int(category))))
        self.chain.transact(self.decisions.functions.setDecision(motion, d, members, weights, votes), Staff.ADMIN)


def build_world(chain: Chain, profile: str = "township", code: str = "330110-001", keeper: str | None = None) -> EvidenceWorld:
    """Persons 0..4 seated; person 5 held the secretary's office before person 0 (the outgoing party
    of the secretary's handover, R-DOC-7); person 6's key holds ``OATH_SUPERVISOR`` (the supervision
    group's representative); person 8's key holds ``UPPER_COMMITTEE`` (the profile's document role)."""
    w = EvidenceWorld.build(chain, profile=profile, code=code, name=f"{profile} evidence test", people=N_PEOPLE, seed="evidence", seated=CORE_OFFICES, evidence=True, handover=True, keeper=keeper)
    reseat(w, Office.SECRETARY, 5)
    reseat(w, Office.SECRETARY, 0)
    for role, p in ((Role.OATH_SUPERVISOR, 6), (Role.UPPER_COMMITTEE, 8)):
        w.chain.transact(w.jurisdiction.functions.grantRole(role, w.key(p).address), Staff.ADMIN)
    return w


def reseat(w: World, office: int, person: int) -> None:
    """Vacate ``office`` and seat ``person`` again: a fresh seating, so an oath period starts now (R-DOC-6)."""
    w.vacate(office, "reseated")
    w.seat(office, person)


__all__ = ["EvidenceWorld", "build_world", "reseat", "Office"]
