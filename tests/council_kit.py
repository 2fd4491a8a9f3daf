"""A small world for council tests: a jurisdiction whose five core offices are seated directly (the
test account holds OFFICE_WRITER), a person registry with funded keys, a council and its team
completion contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from zhili import profiles
from zhili.jurisdiction import registry
from zhili.core.chain import Chain
from zhili.council.client import CouncilClient, MotionView, Position, Proposal, SealedVote, Windows, grant_office_writer, text_id
from zhili.election.client import deploy_person_registry, person_id
from zhili.council.team import TeamClient
from zhili.types import CORE_OFFICES, Category, Office

ADMIN, AUTHORITY = 0, 1  # ADMIN: jurisdiction and registry admin, and OFFICE_WRITER for the fixtures
SECRETARIAT = 8  # holds the jurisdiction's SECRETARIAT role (proposes motions)
RELAYER = 9
N_PEOPLE = 10
W = Windows(classify=600, vote=3600, reveal=3600)
BASIS = [text_id("《地方各级人民代表大会和地方各级人民政府组织法》"), text_id("乡镇治理现代化方案 §3")]
PLAN = text_id("2025 年度工作计划")


@dataclass
class CouncilWorld:
    chain: Chain
    jurisdiction: Contract
    persons: Contract
    council: CouncilClient
    team: TeamClient
    ids: list[bytes]
    keys: dict[bytes, LocalAccount]
    names: dict[bytes, str] = field(default_factory=dict)

    # ---- offices
    def holder(self, office: Office) -> bytes | None:
        h = bytes(self.chain.call(self.jurisdiction.functions.holder(int(office))))
        return h if any(h) else None

    def key(self, office: Office) -> LocalAccount:
        pid = self.holder(office)
        assert pid is not None, f"{office.key} is vacant"
        return self.keys[pid]

    def seat(self, office: Office, pid: bytes) -> None:
        self.chain.transact(self.jurisdiction.functions.seat(int(office), pid), ADMIN)

    def vacate(self, office: Office) -> None:
        self.chain.transact(self.jurisdiction.functions.vacate(int(office), keccak(text="removed")), ADMIN)

    # ---- motions
    def proposal(self, category: Category = Category.STRATEGIC, **kw) -> Proposal:  # type: ignore[no-untyped-def]
        kw.setdefault("windows", W)
        return Proposal(category, keccak(text=f"motion {category.key} {sorted(kw.items())!r}"), BASIS, PLAN, **kw)

    def propose(self, category: Category = Category.STRATEGIC, **kw) -> int:  # type: ignore[no-untyped-def]
        return self.council.propose(self.proposal(category, **kw), SECRETARIAT)

    def open_vote(self, motion: int) -> None:
        """Let the classification window pass; the lead states the opinion (R-WD-4)."""
        c = self.council
        c.wait_for_classification(motion)
        lead = c.lead(motion)
        assert lead is not None
        c.state_opinion(motion, keccak(text=f"opinion {motion}"), self.key(lead))

    def cast(self, motion: int, positions: dict[Office, Position]) -> list[SealedVote]:
        votes = []
        for office, pos in positions.items():
            v = self.council.seal(motion, pos, self.key(office), office)
            self.council.commit(v, self.key(office))
            votes.append(v)
        return votes

    def decide(self, motion: int, positions: dict[Office, Position], reveal: Sequence[Office] | None = None) -> MotionView:
        """Open the vote, cast ``positions``, reveal those in ``reveal`` (default all), close."""
        self.open_vote(motion)
        votes = self.cast(motion, positions)
        shown = [v for v in votes if reveal is None or v.office in reveal]
        if len(shown) < len(votes) or len(votes) < sum(1 for o in CORE_OFFICES if self.holder(o)):
            self.council.wait_for_vote_end(motion)
        self.council.reveal(shown, RELAYER)
        if len(shown) < len(votes):
            self.council.wait_for_reveal_end(motion)
        return self.council.close(motion, RELAYER)


def all_yes(offices: Sequence[Office] = CORE_OFFICES) -> dict[Office, Position]:
    return {o: Position.YES for o in offices}


def build_council_world(chain: Chain, profile: str = "township", seated: int = 5, secretariat: str | None = None) -> CouncilWorld:
    """Roles of SPEC §0 on accounts 1..7 (registry.ROLES order), the secretariat on account 8 (or ``secretariat``)."""
    roles = {role: [chain.accounts[1 + i].address] for i, role in enumerate(registry.ROLES)}
    roles["secretariat"] = [secretariat or chain.accounts[SECRETARIAT].address]
    j = registry.deploy_jurisdiction(chain, profiles.load(profile), "330110-001", "良渚镇", roles=roles)
    persons = deploy_person_registry(chain, ADMIN)
    ids, keys, names = [], {}, {}
    for i in range(N_PEOPLE):
        pid = person_id(f"3301101980020200{i:02d}")
        acct = Account.from_key(keccak(text=f"zhili council person {i}"))
        chain.transact(persons.functions.register(pid, acct.address), ADMIN)
        chain.fund(acct.address, 10**18)
        ids.append(pid)
        keys[pid] = acct
        names[pid] = f"M{i}"
    council = CouncilClient.deploy(chain, j, persons, admin=ADMIN)
    council.names = names
    team = TeamClient.deploy(chain, council, admin=ADMIN)
    grant_office_writer(chain, j, chain.accounts[ADMIN].address, ADMIN)
    w = CouncilWorld(chain, j, persons, council, team, ids, keys, names)
    for o in CORE_OFFICES[:seated]:
        w.seat(o, ids[int(o)])
    return w
