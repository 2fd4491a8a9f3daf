"""Drive a ``Council`` (R-WD-1 ... R-WD-8) and its ``CouncilMinutes`` (R-WD-8); read motions and decisions.

The contract decides everything: the category's weights, who leads, whether a dispute succeeds, the
threshold, the budget boundary, the first responsible person. This module sends the acts SPEC gives to
people (the secretariat proposes, members dispute, the lead states the opinion, members vote and
reveal, anyone closes) and reads what the chain decided.

A sealed vote is made on the member's side: ``seal_vote`` draws a salt and computes
``keccak256(abi.encode(council, motion, personId, position, salt))``; only the commitment is sent
until the vote is unsealed. Keep the :class:`SealedVote` (e.g. ``as_json``): its opening is needed to
count the vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3.contract import Contract
from web3.logs import DISCARD

from .. import profiles
from ..core import eip712, entropy
from ..core.chain import Chain, ContractRevert
from ..errors import NotFound
from ..types import CORE_OFFICES, Category, Office, ProfileKind, Role

Sender = int | str | LocalAccount | None
ZERO32 = b"\0" * 32
SECRETARIAT = Role.SECRETARIAT
RECORD_WRITER = Role.RECORD_WRITER


class Kind(IntEnum):
    GENERAL = 0
    BUDGET = 1
    SPENDING = 2
    NOMINATION = 3


class Status(IntEnum):
    NONE = 0
    PROPOSED = 1
    DISPUTED = 2
    CLASSIFIED = 3
    VOTING = 4
    PASSED = 5
    REJECTED = 6
    WITHDRAWN = 7


class Phase(IntEnum):
    NONE = 0
    CLASSIFICATION = 1
    DISPUTE = 2
    AWAITING_OPINION = 3
    VOTING = 4
    REVEALING = 5
    COUNTING = 6
    PASSED = 7
    REJECTED = 8
    WITHDRAWN = 9


class Position(IntEnum):
    NONE = 0  # no vote, or never revealed
    YES = 1
    NO = 2
    ABSTAIN = 3


def text_id(text: str) -> bytes:
    """A stable 32-byte id for a name (budget line ``"2025 roads"``, plan, post): keccak of its UTF-8."""
    return keccak(text=text)


def basis_hash(basis_refs: Sequence[bytes], plan_id: bytes) -> bytes:
    """What the council stores for the basis boundary (R-WD-7): ``keccak256(abi.encode(refs, plan))``."""
    return keccak(abi_encode(["bytes32[]", "bytes32"], [list(basis_refs), plan_id]))


def pack_votes(positions: dict[Office, Position] | Sequence[Position]) -> int:
    """Positions by core office, 2 bits each, as the contract stores them."""
    items = positions.items() if isinstance(positions, dict) else enumerate(positions)
    return sum(int(p) << (2 * int(o)) for o, p in items)


@dataclass(frozen=True)
class Windows:
    """Seconds of the classification window (R-WD-3), the sealed vote and the reveals (R-WD-5)."""

    classify: int = 600
    vote: int = 3600
    reveal: int = 3600


@dataclass(frozen=True)
class WindowLimits:
    """The profile's ``ICouncil.WindowLimits`` (seconds): shortest classification, vote and reveal
    windows (R-WD-3, R-WD-5) and the lead's opinion deadline (R-WD-4)."""

    classify: int
    vote: int
    reveal: int
    opinion: int

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.classify, self.vote, self.reveal, self.opinion)


@dataclass(frozen=True)
class Proposal:
    """A motion as the secretariat proposes it (R-WD-1, R-WD-7)."""

    category: Category
    content_hash: bytes
    basis_refs: Sequence[bytes]
    plan_id: bytes
    kind: Kind = Kind.GENERAL
    budget_line: bytes = ZERO32
    year: int = 0
    amount: int = 0
    windows: Windows = field(default_factory=Windows)

    def as_tuple(self) -> tuple[Any, ...]:
        w = self.windows
        return (
            int(self.kind), int(self.category), self.content_hash, list(self.basis_refs), self.plan_id,
            self.budget_line, self.year, self.amount, w.classify, w.vote, w.reveal,
        )  # fmt: skip


@dataclass(frozen=True)
class SealedVote:
    """A member's sealed vote: the commitment is sent now, the opening (position, salt) at reveal."""

    council: str
    motion: int
    office: Office
    person_id: bytes
    position: Position
    salt: bytes

    @property
    def commitment(self) -> bytes:
        return keccak(
            abi_encode(
                ["address", "uint256", "bytes32", "uint8", "bytes32"],
                [to_checksum_address(self.council), self.motion, self.person_id, int(self.position), self.salt],
            )
        )

    def opening(self) -> tuple[int, int, bytes]:
        return (int(self.office), int(self.position), self.salt)

    def as_json(self) -> dict[str, Any]:
        return {
            "council": self.council,
            "motion": self.motion,
            "office": self.office.key,
            "person": "0x" + self.person_id.hex(),
            "position": self.position.name.lower(),
            "salt": "0x" + self.salt.hex(),
            "commitment": "0x" + self.commitment.hex(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SealedVote:
        return cls(
            d["council"], int(d["motion"]), Office.from_key(d["office"]),
            bytes.fromhex(d["person"][2:]), Position[d["position"].upper()], bytes.fromhex(d["salt"][2:]),
        )  # fmt: skip


def seal_vote(council: str, motion: int, office: Office, person_id: bytes, position: Position, salt: bytes | None = None) -> SealedVote:
    """What a member's device does before voting (R-WD-5): choose a position and seal it with a fresh salt."""
    if position == Position.NONE:
        raise ValueError("R-WD-5: a vote is yes, no or abstain")
    return SealedVote(council, motion, office, person_id, position, salt if salt is not None else entropy.token_bytes(32))


@dataclass(frozen=True)
class Minutes:
    """A paper decision to back-fill (R-WD-8); ``votes`` gives the minuted position of each present member."""

    category: Category
    content_hash: bytes
    basis_refs: Sequence[bytes]
    plan_id: bytes
    lead_opinion: bytes
    meeting_time: int
    votes: dict[Office, Position]
    minutes_hash: bytes
    kind: Kind = Kind.GENERAL
    budget_line: bytes = ZERO32
    year: int = 0
    amount: int = 0

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            int(self.kind), int(self.category), self.content_hash, list(self.basis_refs), self.plan_id, self.budget_line,
            self.year, self.amount, self.lead_opinion, self.meeting_time, pack_votes(self.votes), self.minutes_hash,
        )  # fmt: skip

    def typed_data(self, minutes_address: str, chain_id: int) -> dict[str, Any]:
        """The EIP-712 message each present member signs (:data:`MINUTES`)."""
        return MINUTES.typed_data(minutes_address, chain_id, {
            "kind": int(self.kind), "category": int(self.category), "contentHash": self.content_hash,
            "basisHash": basis_hash(self.basis_refs, self.plan_id), "budgetLine": self.budget_line, "year": self.year,
            "amount": self.amount, "leadOpinion": self.lead_opinion, "meetingTime": self.meeting_time,
            "votes": pack_votes(self.votes), "minutesHash": self.minutes_hash,
        })  # fmt: skip

    def sign(self, key: LocalAccount, minutes_address: str, chain_id: int) -> bytes:
        """A member's EIP-712 signature over these minutes."""
        return eip712.sign(key, self.typed_data(minutes_address, chain_id))


#: What the present members sign for paper minutes (``CouncilMinutes.MINUTES_TYPEHASH``).
MINUTES = eip712.Struct("Minutes", eip712.fields(
    "uint8 kind", "uint8 category", "bytes32 contentHash", "bytes32 basisHash", "bytes32 budgetLine", "uint16 year",
    "uint96 amount", "bytes32 leadOpinion", "uint64 meetingTime", "uint16 votes", "bytes32 minutesHash",
), "zhili Council")  # fmt: skip
#: What two members sign for an emergency seal use (``CouncilMinutes.SEAL_USE_TYPEHASH``).
SEAL_USE = eip712.Struct("SealUse", eip712.fields("bytes32 purposeHash", "uint64 usedAt"), "zhili Council")
#: What two members sign to record a platform outage (``CouncilMinutes.OUTAGE_TYPEHASH``).
OUTAGE = eip712.Struct("Outage", eip712.fields("bytes32 reasonHash", "uint64 startedAt", "uint64 endedAt"), "zhili Council")


def outage_signature(key: LocalAccount, minutes_address: str, chain_id: int, reason_hash: bytes, started_at: int, ended_at: int) -> bytes:
    """A member's EIP-712 ``Outage`` signature: the platform failed from ``started_at`` to ``ended_at`` (R-WD-8)."""
    return eip712.sign(key, OUTAGE.typed_data(minutes_address, chain_id, {"reasonHash": reason_hash, "startedAt": started_at, "endedAt": ended_at}))


def seal_use_signature(key: LocalAccount, minutes_address: str, chain_id: int, purpose_hash: bytes, used_at: int) -> bytes:
    """A member's EIP-712 ``SealUse`` signature for an emergency seal use (R-WD-8)."""
    return eip712.sign(key, SEAL_USE.typed_data(minutes_address, chain_id, {"purposeHash": purpose_hash, "usedAt": used_at}))


@dataclass(frozen=True)
class MotionView:
    """A motion as the chain holds it, with its weighted tally (R-WD-2) and positions per office."""

    id: int
    kind: Kind
    category: Category
    status: Status
    phase: Phase
    weights: list[int]
    members: list[bytes | None]
    positions: list[Position]
    yes: int
    no: int
    abstain: int
    threshold: int
    lead: Office | None
    roster: int
    opened_at: int
    classify_end: int
    vote_end: int | None
    reveal_end: int | None
    basis_hash: bytes
    budget_line: bytes | None
    amount: int
    decided_at: int | None
    first_responsible: bytes | None
    backfilled: bool
    over_budget: bool
    lead_declined: bool = False  # the lead stayed silent past the deadline; the vote opened without the opinion (R-WD-4)

    def as_json(self, names: dict[bytes, str] | None = None) -> dict[str, Any]:
        def show(pid: bytes | None) -> str | None:
            if pid is None:
                return None
            return (names or {}).get(pid, "0x" + pid.hex())

        return {
            "id": self.id,
            "kind": self.kind.name.lower(),
            "category": self.category.key,
            "status": self.status.name.lower(),
            "phase": self.phase.name.lower(),
            "threshold": self.threshold,
            "tally": {"yes": self.yes, "no": self.no, "abstain": self.abstain},
            "passed": self.status == Status.PASSED,
            "lead": self.lead.key if self.lead is not None else None,
            "first_responsible": show(self.first_responsible),
            "members": [{"office": o.key, "person": show(m), "weight": w, "position": p.name.lower()} for o, m, w, p in zip(CORE_OFFICES, self.members, self.weights, self.positions)],
            "roster": self.roster,
            "opened_at": self.opened_at,
            "classify_end": self.classify_end,
            "vote_end": self.vote_end,
            "reveal_end": self.reveal_end,
            "decided_at": self.decided_at,
            "basis_hash": "0x" + self.basis_hash.hex(),
            "budget_line": "0x" + self.budget_line.hex() if self.budget_line else None,
            "amount": self.amount,
            "backfilled": self.backfilled,
            "over_budget": self.over_budget,
            "lead_declined": self.lead_declined,
        }


@dataclass
class CouncilClient:
    chain: Chain
    contract: Contract
    minutes: Contract
    from_block: int = 0
    names: dict[bytes, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ deployment

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, *, admin: Sender = None, secretariat: Sequence[str] = (), limits: WindowLimits | None = None) -> CouncilClient:
        """Deploy a council (and its minutes book) for ``jurisdiction``; ``admin`` (the jurisdiction's
        admin) grants SECRETARIAT to the ``secretariat`` accounts. ``limits`` default to the built-in
        profile of the jurisdiction's kind (its ``council`` section)."""
        acct = chain.account(admin)
        start = chain.w3.eth.block_number
        if limits is None:
            kind = ProfileKind(int(chain.call(jurisdiction.functions.params())[0]))
            limits = WindowLimits(*profiles.load(kind.key).council_limits())
        council = chain.deploy("Council", jurisdiction.address, persons.address, limits.as_tuple(), sender=acct, label="council.deploy")
        for s in secretariat:
            chain.transact(jurisdiction.functions.grantRole(SECRETARIAT, s), acct, label="council.grant")
        return cls.at(chain, council.address, from_block=start)

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> CouncilClient:
        council = chain.contract("Council", address)
        minutes = chain.contract("CouncilMinutes", chain.call(council.functions.minuteBook()))
        return cls(chain, council, minutes, from_block)

    @property
    def address(self) -> str:
        return str(self.contract.address)

    def jurisdiction(self) -> Contract:
        return self.chain.contract("Jurisdiction", self.chain.call(self.contract.functions.jurisdiction()))

    def persons(self) -> Contract:
        return self.chain.contract("PersonRegistry", self.chain.call(self.contract.functions.persons()))

    # ------------------------------------------------------------------ secretariat

    def propose(self, proposal: Proposal, sender: Sender) -> int:
        """Propose a motion; returns its id (R-WD-1: the weight row is snapshotted now)."""
        receipt = self.chain.transact(self.contract.functions.propose(proposal.as_tuple()), sender, label="council.propose")
        (ev,) = self.contract.events.MotionProposed().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.id)

    def withdraw(self, motion: int, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.withdraw(motion), sender, label="council.withdraw")

    # ------------------------------------------------------------------ members

    def office_of(self, sender: Sender) -> Office:
        """The core office held by the person whose current key is ``sender`` (for acts that name the seat)."""
        acct = self.chain.account(sender)
        pid = bytes(self.chain.call(self.persons().functions.personOf(acct.address)))
        seated, office = self.chain.call(self.jurisdiction().functions.officeOf(pid))
        if not any(pid) or not seated or office >= len(CORE_OFFICES):
            raise NotFound(f"R-WD-2: {acct.address} is not the current key of a seated council member")
        return Office(office)

    def dispute(self, motion: int, alternative: Category, sender: Sender, office: Office | None = None) -> None:
        """R-WD-3: dispute the category within the classification window, naming one alternative."""
        office = self.office_of(sender) if office is None else office
        fn = self.contract.functions.dispute(motion, int(office), int(alternative))
        self.chain.transact(fn, sender, label="council.dispute")

    def vote_dispute(self, motion: int, support: bool, sender: Sender, office: Office | None = None) -> None:
        office = self.office_of(sender) if office is None else office
        self.chain.transact(self.contract.functions.voteDispute(motion, int(office), support), sender, label="council.voteDispute")

    def settle_dispute(self, motion: int, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.settleDispute(motion), sender, label="council.settleDispute")

    def open_without_opinion(self, motion: int, sender: Sender) -> None:
        """Open the vote once the lead stayed silent past the profile's deadline (anyone; R-WD-4):
        "lead declined to give an opinion" is recorded."""
        self.chain.transact(self.contract.functions.openWithoutOpinion(motion), sender, label="council.openWithoutOpinion")

    def limits(self) -> WindowLimits:
        """The profile's shortest windows and the lead's opinion deadline, as deployed."""
        return WindowLimits(*self.chain.call(self.contract.functions.limits()))

    def state_opinion(self, motion: int, opinion_hash: bytes, sender: Sender) -> None:
        """R-WD-4: the lead's reasoned opinion (by hash); voting opens."""
        self.chain.transact(self.contract.functions.stateOpinion(motion, opinion_hash), sender, label="council.stateOpinion")

    def seal(self, motion: int, position: Position, sender: Sender, office: Office | None = None, salt: bytes | None = None) -> SealedVote:
        """Seal ``sender``'s vote (nothing is sent): the person id is the holder of the sender's seat."""
        office = self.office_of(sender) if office is None else office
        pid = bytes(self.chain.call(self.jurisdiction().functions.holder(int(office))))
        return seal_vote(self.address, motion, office, pid, position, salt)

    def commit(self, vote: SealedVote, sender: Sender) -> None:
        """R-WD-5: send the sealed vote (only the commitment)."""
        fn = self.contract.functions.commit(vote.motion, int(vote.office), vote.commitment)
        self.chain.transact(fn, sender, label="council.commit")

    def reveal(self, votes: Sequence[SealedVote], sender: Sender) -> None:
        """Open sealed votes (anyone holding the openings): one vote alone, several in one transaction."""
        if not votes:
            return
        motion = votes[0].motion
        if any(v.motion != motion for v in votes):
            raise ValueError("reveal votes of one motion at a time")
        if len(votes) == 1:
            v = votes[0]
            fn = self.contract.functions.reveal(motion, int(v.office), int(v.position), v.salt)
            self.chain.transact(fn, sender, label="council.reveal")
        else:
            fn = self.contract.functions.revealMany(motion, [v.opening() for v in votes])
            self.chain.transact(fn, sender, label="council.revealMany")

    def close(self, motion: int, sender: Sender) -> MotionView:
        """Decide the motion (anyone): R-WD-2 threshold, R-WD-6 first responsible, R-WD-7 budget."""
        self.chain.transact(self.contract.functions.close(motion), sender, label="council.close")
        return self.motion(motion)

    # ------------------------------------------------------------------ time (test chains move the clock)

    def wait_until(self, ts: int) -> None:
        """Let the chain's clock reach ``ts`` (moved on test chains, waited for on a real one)."""
        self.chain.wait_until(ts)

    def wait_for_classification(self, motion: int) -> None:
        self.wait_until(self.motion(motion).classify_end)

    def wait_for_vote_end(self, motion: int) -> None:
        end = self.motion(motion).vote_end
        if end is not None:
            self.wait_until(end)

    def wait_for_reveal_end(self, motion: int) -> None:
        end = self.motion(motion).reveal_end
        if end is not None:
            self.wait_until(end)

    # ------------------------------------------------------------------ offline fallback (R-WD-8)

    def sign_minutes(self, minutes: Minutes, key: LocalAccount) -> bytes:
        return minutes.sign(key, self.minutes.address, self.chain.chain_id)

    def minutes_digest(self, minutes: Minutes) -> bytes:
        return bytes(self.chain.call(self.minutes.functions.minutesDigest(minutes.as_tuple())))

    def backfill(self, minutes: Minutes, outage: int, signatures: dict[Office, bytes], sender: Sender) -> int:
        """Back-fill a paper decision of a meeting held during the recorded ``outage``, with the
        signatures of the members present; returns the motion id."""
        sigs = [signatures.get(o, b"") for o in CORE_OFFICES]
        receipt = self.chain.transact(self.minutes.functions.backfill(minutes.as_tuple(), outage, sigs), sender, label="council.backfill")
        (ev,) = self.minutes.events.MinutesRecorded().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.id)

    def record_outage(self, reason_hash: bytes, started_at: int, ended_at: int, signed: Sequence[tuple[Office, bytes]], sender: Sender) -> int:
        """Record a platform outage with two members' ``Outage`` signatures; returns its index (R-WD-8)."""
        fn = self.minutes.functions.recordOutage(reason_hash, started_at, ended_at, [int(o) for o, _ in signed], [s for _, s in signed])
        receipt = self.chain.transact(fn, sender, label="council.recordOutage")
        (ev,) = self.minutes.events.OutageRecorded().process_receipt(receipt, errors=DISCARD)
        return int(ev.args.index)

    def outage_signature(self, key: LocalAccount, reason_hash: bytes, started_at: int, ended_at: int) -> bytes:
        return outage_signature(key, self.minutes.address, self.chain.chain_id, reason_hash, started_at, ended_at)

    def outages(self) -> list[tuple[int, int]]:
        """Every recorded outage as (started at, ended at)."""
        f = self.minutes.functions
        out = []
        for i in range(int(self.chain.call(f.outageCount()))):
            started, ended = self.chain.call(f.outage(i))
            out.append((int(started), int(ended)))
        return out

    def record_seal_use(self, purpose_hash: bytes, used_at: int, signed: Sequence[tuple[Office, bytes]], sender: Sender) -> int:
        """Record an emergency seal use with two members' ``SealUse`` signatures; returns its index."""
        offices = [int(o) for o, _ in signed]
        sigs = [s for _, s in signed]
        fn = self.minutes.functions.recordSealUse(purpose_hash, used_at, offices, sigs)
        receipt = self.chain.transact(fn, sender, label="council.recordSealUse")
        (ev,) = self.minutes.events.SealUseRecorded().process_receipt(receipt)
        return int(ev.args.index)

    # ------------------------------------------------------------------ reads

    def motion_count(self) -> int:
        return int(self.chain.call(self.contract.functions.motionCount()))

    def motion(self, motion: int) -> MotionView:
        f = self.contract.functions
        m, basis, line, amount, decided_at, responsible = self.chain.call(f.motion(motion))
        kind, category, status, flags, votes, _weights, roster, opened_at, cw, vw, rw, ends_at = m
        members, weights, positions = self.chain.call(f.positions(motion))
        yes, no, abstain = self.chain.call(f.tally(motion))
        phase = Phase(self.chain.call(f.stage(motion)))
        lead = self.lead(motion)
        voting = Status(status) == Status.VOTING
        return MotionView(
            id=motion,
            kind=Kind(kind),
            category=Category(category),
            status=Status(status),
            phase=phase,
            weights=list(weights),
            members=[bytes(x) if any(x) else None for x in members],
            positions=[Position(p) for p in positions],
            yes=yes,
            no=no,
            abstain=abstain,
            threshold=int(self.chain.call(f.threshold())),
            lead=lead,
            roster=int(roster),
            opened_at=int(opened_at),
            classify_end=int(opened_at) + int(cw),
            vote_end=int(ends_at) if voting else None,
            reveal_end=int(ends_at) + int(rw) if voting else None,
            basis_hash=bytes(basis),
            budget_line=bytes(line) if any(line) else None,
            amount=int(amount),
            decided_at=int(decided_at) if Status(status) in (Status.PASSED, Status.REJECTED) else None,
            first_responsible=bytes(responsible) if any(responsible) else None,
            backfilled=bool(flags & 1),
            over_budget=bool(flags & 2),
            lead_declined=bool(flags & 4),
        )

    def lead(self, motion: int) -> Office | None:
        """The office that leads the motion (R-WD-4): from its roster once voting opened, else the
        current holders; ``None`` if no core office is held."""
        try:
            return Office(self.chain.call(self.contract.functions.lead(motion)))
        except ContractRevert:
            return None

    def decision(self, motion: int) -> dict[str, Any]:
        """``ICouncilDecisions.decision``: what the evidence ledger reads (R-DOC-2, R-WD-6)."""
        d = self.chain.call(self.contract.functions.decision(motion))
        keys = ("category", "passed", "backfilled", "yesWeight", "threshold", "decidedAt", "firstResponsible", "budgetLine", "amount", "basisHash")
        return dict(zip(keys, d))

    def budget_lines(self) -> list[dict[str, Any]]:
        """Every budget line with its year, approved and spent amounts, and what remains (R-WD-7)."""
        out = []
        for line in self.chain.call(self.contract.functions.budgetLines()):
            index, year, approved, spent = self.chain.call(self.contract.functions.budgetLine(line))
            out.append({"line": bytes(line), "year": year, "approved": approved, "spent": spent, "remaining": approved - spent})
        return out

    def sealed_vote(self, motion: int, office: Office) -> tuple[bool, bool]:
        cast, opened = self.chain.call(self.contract.functions.sealedVote(motion, int(office)))
        return bool(cast), bool(opened)
