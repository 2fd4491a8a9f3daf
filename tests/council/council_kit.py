"""Council tests' world (zhili.testing): a jurisdiction whose five core offices are seated directly
(through the world's test-only hand seater, which holds OFFICE_WRITER), a person registry with funded keys, a council (with its
minutes) and its team completion contract; motion helpers on top."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from election_kit import World as ElectionWorld
from zhili.core.chain import Chain
from zhili.council.client import MotionView, Position, Proposal, SealedVote, Windows, text_id
from zhili.election.client import ElectionClient, Phase
from zhili.testing import Staff, World
from zhili.types import CORE_OFFICES, Category, Office, Role

N_PEOPLE = 10
W = Windows(classify=600, vote=3600, reveal=3600)
BASIS = [text_id("《地方各级人民代表大会和地方各级人民政府组织法》"), text_id("乡镇治理现代化方案 §3")]
PLAN = text_id("2025 年度工作计划")


class CouncilWorld(World):
    def key(self, office: Office) -> LocalAccount:
        """The signing key of ``office``'s holder."""
        pid = self.holder(office)
        assert pid is not None, f"{office.key} is vacant"
        return self.keys[pid]

    # ---- motions
    def proposal(self, category: Category = Category.STRATEGIC, **kw: Any) -> Proposal:
        kw.setdefault("windows", W)
        return Proposal(category, keccak(text=f"motion {category.key} {sorted(kw.items())!r}"), BASIS, PLAN, **kw)

    def propose(self, category: Category = Category.STRATEGIC, **kw: Any) -> int:
        return self.council.propose(self.proposal(category, **kw), Staff.SECRETARIAT)

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
        self.council.reveal(shown, Staff.RELAYER)
        if len(shown) < len(votes):
            self.council.wait_for_reveal_end(motion)
        return self.council.close(motion, Staff.RELAYER)


def all_yes(offices: Sequence[Office] = CORE_OFFICES) -> dict[Office, Position]:
    return {o: Position.YES for o in offices}


def build_council_world(chain: Chain, profile: str = "township", seated: int = 5, secretariat: str | None = None) -> CouncilWorld:
    """The secretariat on ``Staff.SECRETARIAT`` (or ``secretariat``); persons 0..seated-1 in the core offices."""
    return CouncilWorld.build(chain, profile=profile, people=N_PEOPLE, seed="council", seated=CORE_OFFICES[:seated], team=True, secretariat=secretariat)


class ElectedCouncilWorld(CouncilWorld, ElectionWorld):
    """A council world whose five core offices were seated by a completed election (term 1), as in a
    real jurisdiction: the congress confirmations of team completion are polls of its rolls (7 party
    delegates, 6 congress deputies) with the credentials they registered for it (``elected``)."""

    elected: ElectionClient

    def elect(self, term: int = 1) -> ElectionClient:
        """An election of ``term`` run to completion: stage 1 and stage 2 rank P00 > P01 > … (7 delegates,
        6 deputies), P04 picked administrator; P00 … P04 seated as in :func:`build_council_world`."""
        e = self.prepared(9, party=7, congress=6, term=term)
        e.begin_stage1(Staff.AUTHORITY)
        e.run_poll([self.ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
        e.approve_list(Staff.UPPER)
        e.run_poll([self.ids[: 6 - v] for v in range(6)], Staff.AUTHORITY, Staff.RELAYER)
        self.pick(e, self.ids[4])
        assert e.phase == Phase.COMPLETED
        assert [self.holder(o) for o in CORE_OFFICES] == self.ids[:5]
        return e


def build_elected_council_world(chain: Chain) -> ElectedCouncilWorld:
    """Persons 0..4 elected and seated as in :func:`build_council_world` (P00 secretary by path 2, P01
    discipline, P04 picked administrator, P02 congress, P03 consultative); the world's hand seater
    (test-only, bound to the jurisdiction) also holds OFFICE_WRITER, standing in for a removal (``vacate``)."""
    w = ElectedCouncilWorld.build(chain, people=N_PEOPLE, seed="council", team=True)
    e = w.elect()
    w.hand.grant(w.jurisdiction, Role.OFFICE_WRITER)
    w.elected = e
    return w
