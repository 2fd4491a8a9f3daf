"""A small world for election tests: a township, a person registry with funded keys, an election."""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from zhili import profiles
from zhili.jurisdiction import registry
from zhili.core.chain import Chain
from zhili.election.client import ElectionClient, Electorate, deploy_person_registry, person_id

ADMIN, AUTHORITY, VETTING, UPPER = 0, 1, 2, 3  # accounts; roles as registry.ROLES order (1..7)
RELAYER = 9
N_PEOPLE = 14


@dataclass
class World:
    chain: Chain
    jurisdiction: Contract
    persons: Contract
    ids: list[bytes]
    keys: dict[bytes, LocalAccount]
    names: dict[bytes, str] = field(default_factory=dict)

    def election(self, term: int = 1, incumbent: bytes = b"\0" * 32) -> ElectionClient:
        e = ElectionClient.deploy(self.chain, self.jurisdiction, self.persons, term, incumbent)
        e.names = self.names
        return e

    def prepared(
        self,
        n_candidates: int = 9,
        party: int = 7,
        congress: int = 5,
        *,
        incumbent: bytes = b"\0" * 32,
        failed: dict[int, list[int]] | None = None,
    ) -> ElectionClient:
        """An election with candidates 0..n-1 added and vetted, and both rolls registered."""
        e = self.election(incumbent=incumbent)
        cands = self.ids[:n_candidates]
        e.add_candidates(cands, AUTHORITY)
        for i, pid in enumerate(cands):
            e.vet(pid, (failed or {}).get(i, []), keccak(text=f"report {i}"), VETTING)
        e.register_voters(Electorate.PARTY, [person_id(f"delegate {i}") for i in range(party)], AUTHORITY)
        e.register_voters(Electorate.CONGRESS, [person_id(f"deputy {i}") for i in range(congress)], AUTHORITY)
        return e

    def pick(self, e: ElectionClient, who: bytes) -> None:
        sec = e.offices()["secretary"]
        assert sec is not None
        e.pick_administrator(who, self.keys[sec])

    def set_secretary_terms(self, pid: bytes, terms: int) -> None:
        self.chain.transact(self.persons.functions.declarePriorTerms(pid, 0, terms), ADMIN)


def build_world(chain: Chain) -> World:
    roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
    j = registry.deploy_jurisdiction(chain, profiles.load("township"), "330110-001", "良渚镇", roles=roles)
    persons = deploy_person_registry(chain, ADMIN)
    ids, keys, names = [], {}, {}
    for i in range(N_PEOPLE):
        pid = person_id(f"3301101970010100{i:02d}")
        acct = Account.from_key(keccak(text=f"zhili test person {i}"))
        chain.transact(persons.functions.register(pid, acct.address), ADMIN)
        ids.append(pid)
        keys[pid] = acct
        names[pid] = f"P{i:02d}"
    # persons sign only the administrator pick; give them gas money
    for acct in keys.values():
        chain.fund(acct.address, 10**18)
    return World(chain, j, persons, ids, keys, names)
