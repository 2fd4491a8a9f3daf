"""A small world for evidence-ledger and handover tests: a jurisdiction with its roles, persons with
funded keys seated in the five offices, a (test-only) council mock, a ledger and a handover contract."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from zhili import profiles
from zhili.jurisdiction import registry
from zhili.core.chain import Chain
from zhili.election.client import deploy_person_registry, person_id
from zhili.evidence.client import EvidenceClient
from zhili.evidence.handover import HandoverClient
from zhili.types import Category, Office

ADMIN, ORG, OATH_SUPERVISOR, AUDITOR, KEEPER = 0, 5, 6, 7, 8  # accounts (roles in registry.ROLES order are 1..7)
N_PEOPLE = 8  # 0..4 seated in the five offices, 5 outgoing secretary, 6 supervisor, 7 spare


@dataclass
class EvidenceWorld:
    chain: Chain
    jurisdiction: Contract
    persons: Contract
    council: Contract
    ledger: EvidenceClient
    handover: HandoverClient
    ids: list[bytes]
    keys: list[LocalAccount]

    def key(self, i: int) -> LocalAccount:
        return self.keys[i]

    def decide(self, motion: int, category: Category, passed: bool = True, yes: int = 200) -> None:
        """Test-only: make the mock council report a decision on ``motion``."""
        first = self.ids[0] if passed else b"\0" * 32
        d = (int(category), passed, False, yes, 160, 1_700_000_000, first, keccak(text="line"), 800_000, keccak(text="basis"))
        members = self.ids[:5]
        votes = [1, 1, 2, 3, 1] if passed else [2, 2, 1, 0, 0]
        weights = list(self.chain.call(self.jurisdiction.functions.weightRow(int(category))))
        self.chain.transact(self.council.functions.setDecision(motion, d, members, weights, votes), ADMIN)


def build_world(chain: Chain, profile: str = "township", code: str = "330110-001", keeper: str | None = None) -> EvidenceWorld:
    roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
    j = registry.deploy_jurisdiction(chain, profiles.load(profile), code, f"{profile} evidence test", roles=roles)
    persons = deploy_person_registry(chain)
    ids, keys = [], []
    for i in range(N_PEOPLE):
        pid = person_id(f"evidence person {i}")
        acct = Account.from_key(keccak(text=f"evidence key {i}"))
        chain.transact(persons.functions.register(pid, acct.address), ADMIN)
        chain.fund(acct.address, 10**18)
        ids.append(pid)
        keys.append(acct)
    # seat persons 0..4 in the five offices (as an election would, R-EL-11)
    chain.transact(j.functions.grantRole(registry.role_id("office_writer"), chain.accounts[ADMIN].address), ADMIN)
    for o in range(5):
        chain.transact(j.functions.seat(o, ids[o]), ADMIN)
    council = chain.deploy("MockCouncilDecisions", label="council.mock")
    ledger = EvidenceClient.deploy(chain, j, persons, council.address)
    ledger.grant_records_keeper(keeper or chain.accounts[KEEPER].address, ADMIN)
    handover = HandoverClient.deploy(chain, j, persons)
    return EvidenceWorld(chain, j, persons, council, ledger, handover, ids, keys)


def reseat(w: EvidenceWorld, office: int, person: int) -> None:
    """Vacate ``office`` and seat ``person`` again: a fresh seating, so an oath period starts now (R-DOC-6)."""
    w.chain.transact(w.jurisdiction.functions.vacate(office, keccak(text="reseated")), ADMIN)
    w.chain.transact(w.jurisdiction.functions.seat(office, w.ids[person]), ADMIN)


__all__ = ["EvidenceWorld", "build_world", "reseat", "ADMIN", "ORG", "OATH_SUPERVISOR", "AUDITOR", "KEEPER", "Office"]
