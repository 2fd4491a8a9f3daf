"""Election tests' world (zhili.testing): a township, a person registry with funded keys; each test
deploys its elections on it."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from zhili.core.chain import Chain
from zhili.election.client import ElectionClient, Electorate, roll_persons
from zhili.election.credentials import Issuer
from zhili.testing import Staff
from zhili.testing import World as _World
from zhili.types import Role

N_PEOPLE = 14
ROLL = 7  # delegates and deputies registered as persons in the world (the largest roll a test uses)
_ISSUER: list[Issuer] = []


def issuer() -> Issuer:
    """One RSA issuer key per test process (generating one takes about a second)."""
    if not _ISSUER:
        _ISSUER.append(Issuer.generate())
    return _ISSUER[0]


class World(_World):
    def prepared(
        self,
        n_candidates: int = 9,
        party: int = 7,
        congress: int = 5,
        *,
        incumbent: bytes = b"\0" * 32,
        failed: dict[int, list[int]] | None = None,
        term: int = 1,
    ) -> ElectionClient:
        """An election with candidates 0..n-1 added and vetted, and both rolls registered; a nonzero
        ``incumbent`` is first declared the secretary before the chain (R-EL-8; their secretary terms
        are the test's to declare); ``term`` the election's term."""
        if any(incumbent):
            self.chain.transact(self.jurisdiction.functions.declarePriorSecretary(incumbent), Staff.ADMIN)
        e = self.election(term)
        cands = self.ids[:n_candidates]
        e.add_candidates(cands, Staff.AUTHORITY)
        for i, pid in enumerate(cands):
            e.vet(pid, (failed or {}).get(i, []), keccak(text=f"report {i}"), Staff.VETTING)
        for electorate, voters in ((Electorate.PARTY, self.delegates(party)), (Electorate.CONGRESS, self.deputies(congress))):
            e.register_voters(electorate, [pid for pid, _ in voters], Staff.AUTHORITY)
            # the voters request, and register, their credentials when the electorate first votes
            e.deferred[electorate] = lambda el=electorate, v=voters: e.enrol(el, v, issuer(), Staff.AUTHORITY, Staff.RELAYER)  # type: ignore[misc]
        return e

    def delegates(self, n: int = ROLL) -> list[tuple[bytes, LocalAccount]]:
        """Party delegates 0..n-1: registered persons with their own keys (built with the world)."""
        return roll_persons(self.chain, self.persons, "delegate", n, Staff.ADMIN)

    def deputies(self, n: int = ROLL) -> list[tuple[bytes, LocalAccount]]:
        return roll_persons(self.chain, self.persons, "deputy", n, Staff.ADMIN)

    def pick(self, e: ElectionClient, who: bytes) -> None:
        sec = e.offices()["secretary"]
        assert sec is not None
        e.pick_administrator(who, self.keys[sec])

    def to_pick(self) -> ElectionClient:
        """An election run to the administrator pick: stage 1 and stage 2 both rank P00 > P01 > … > P06
        (7..1 votes): secretary P00 (path 2), discipline P01, the pick among P02..P04, P05 next in rank."""
        e = self.prepared(9, congress=7)
        e.begin_stage1(Staff.AUTHORITY)
        e.run_poll([self.ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
        e.approve_list(Staff.UPPER)
        e.run_poll([self.ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
        return e

    def record_writer(self) -> None:
        """The world's hand seater (test-only, operated by ``ADMIN``) acts as a zhili record writer (what
        the merit ledger and succession hold): ``world.hand.relay(persons.functions.blacklist(…))``."""
        self.hand.grant(self.persons, Role.RECORD_WRITER)

    def seating_refused(self, e: ElectionClient) -> list[tuple[int, bytes, int]]:
        """``SeatingRefused`` events of ``e``: (office, person, reason)."""
        return [(int(ev.args.office), bytes(ev.args.personId), int(ev.args.reason)) for ev in e.contract.events.SeatingRefused().get_logs(from_block=e.from_block)]

    def set_secretary_terms(self, pid: bytes, terms: int) -> None:
        self.chain.transact(self.persons.functions.declarePriorTerms(pid, 0, terms), Staff.ADMIN)


def build_world(chain: Chain) -> World:
    w = World.build(chain, people=N_PEOPLE)
    w.delegates()
    w.deputies()
    return w
