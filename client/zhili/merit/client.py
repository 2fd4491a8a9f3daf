"""Drive a jurisdiction's ``MeritLedger`` and ``Succession`` and read the province's ``MeritBook``
(SPEC sections 5 and 6: R-MR-1 ... R-MR-13, R-SU-1 ... R-SU-5).

The contracts decide everything: points come from the award table fixed at deployment, finality from
the deadlines, thresholds and the order from the chain. This module sends the acts SPEC gives to
people (a report, a sealed review, a re-check, a proposal, votes, publication, an appeal, an answer, an
offset request and approvals, assessment cycles), computes working-day deadlines from the official
calendar (:mod:`zhili.core.workdays`), keeps the reporter's identity off chain (:mod:`zhili.merit.identity`), and
reads results back from storage and events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3.contract import Contract

from .. import profiles as _profiles
from ..calendar.client import CalendarClient
from ..core import entropy, workdays
from ..core.chain import Chain
from ..errors import NotFound
from ..jurisdiction.registry import role_id
from ..merit.identity import CommitteeKey, ReporterIdentity, blob_hash, seal_identity
from ..types import Keyed, Role

Sender = int | str | LocalAccount | None
ZERO32 = b"\0" * 32
HOUR = 3600

RECORD_WRITER = Role.RECORD_WRITER
LEDGER_WRITER = Role.LEDGER_WRITER
SUCCESSION_WRITER = Role.SUCCESSION_WRITER


class Ledger(Keyed):
    MERIT = 0
    DEMERIT = 1


class EntryKind(Keyed):
    AWARD = 0
    FALSE_ACCUSATION = 1
    CLUE_REFUND = 2
    LEADERSHIP_LIABILITY = 3
    SILENCE = 4
    PROCEDURAL = 5
    CORRUPTION = 6
    OFFSET = 7


class ReporterClass(Keyed):
    COMMITTEE_MEMBER = 0
    CADRE = 1
    CITIZEN = 2


class Award(Keyed):
    NONE = 0
    DIRECT_SUPERIOR_REMOVED = 1
    KEY_CLUE_SAME_LEVEL_SECRETARY = 2
    PEER_INVESTIGATED = 3
    OTHER_DEPARTMENT_REMOVED = 4
    SECTION_LEVEL_CASE = 5
    DEPUTY_DIVISION_CASE = 6
    CITIZEN_SECTION_LEVEL = 7
    CITIZEN_DIVISION_LEVEL = 8
    CITIZEN_BUREAU_LEVEL = 9


class Finding(Keyed):
    UNFOUNDED = 0
    MALICIOUS = 1
    INVESTIGATED = 2
    REMOVED = 3
    CORRUPTION = 4
    PROCEDURAL = 5
    DERELICTION = 6


class Stage(Keyed):
    NONE = 0
    FILED = 1
    IN_REVIEW = 2
    REVIEWED = 3
    RECHECKED = 4
    DELIBERATING = 5
    DECIDED = 6
    PUBLISHED = 7
    APPEALED = 8
    FINAL = 9
    ANNULLED = 10
    ESCALATED = 11


class Conclusion(Keyed):
    SUBSTANTIATED = 0
    UNSUBSTANTIATED = 1


#: Profile keys of the award tables (``merit.awards`` / ``merit.citizen_awards``) by award.
AWARD_KEYS = {
    Award.DIRECT_SUPERIOR_REMOVED: ("awards", "direct_superior_removed"),
    Award.KEY_CLUE_SAME_LEVEL_SECRETARY: ("awards", "key_clue_same_level_secretary"),
    Award.PEER_INVESTIGATED: ("awards", "peer_investigated"),
    Award.OTHER_DEPARTMENT_REMOVED: ("awards", "other_department_removed"),
    Award.SECTION_LEVEL_CASE: ("awards", "section_level_case"),
    Award.DEPUTY_DIVISION_CASE: ("awards", "deputy_division_case"),
    Award.CITIZEN_SECTION_LEVEL: ("citizen_awards", "section_level"),
    Award.CITIZEN_DIVISION_LEVEL: ("citizen_awards", "division_level"),
    Award.CITIZEN_BUREAU_LEVEL: ("citizen_awards", "bureau_level"),
}


def table_from_profile(profile: _profiles.Profile) -> tuple[Any, ...]:
    """The ``MeritLedger.Table`` of a profile's ``merit`` section (tenths), in the struct's order.

    Data only: the contract decides which award a case gets and looks its points up in this table.
    """
    m = profile.data["merit"]
    awards = [0] * len(Award)
    for award, (section, key) in AWARD_KEYS.items():
        awards[award] = int(m.get(section, {}).get(key, 0))
    ll = m["leadership_liability"]
    return (
        awards,
        int(ll["direct_supervisor"]),
        int(ll["next_level"]),
        int(ll["earlier_clue_refund"]),
        int(m["silence"]),
        int(m.get("procedural_sanction_max", 10)),
        int(m["false_accusation_factor"]),
        int(m["offset_approval_levels"]),
        int(m.get("review_working_days", 5)),
    )


def _b32(v: Any) -> bytes:
    return bytes(v) if v else ZERO32


@dataclass(frozen=True)
class Decision:
    """A committee decision (``MeritLedger.Decision``)."""

    finding: Finding
    award: Award = Award.NONE
    reporter: bytes = ZERO32
    reporter_salt: bytes = ZERO32
    sanction: int = 0
    direct_supervisor: bytes = ZERO32
    next_supervisor: bytes = ZERO32
    direct_gave_clue: bool = False
    next_gave_clue: bool = False
    silent: tuple[bytes, ...] = ()
    finding_hash: bytes = ZERO32

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            int(self.finding), int(self.award), self.reporter, self.reporter_salt, self.sanction,
            self.direct_supervisor, self.next_supervisor, self.direct_gave_clue, self.next_gave_clue,
            list(self.silent), self.finding_hash,
        )  # fmt: skip

    @classmethod
    def from_chain(cls, d: Any) -> Decision:
        if isinstance(d, dict) or hasattr(d, "keys"):
            v = [d[k] for k in ("finding", "award", "reporter", "reporterSalt", "sanction", "directSupervisor",
                                "nextSupervisor", "directGaveClue", "nextGaveClue", "silent", "findingHash")]  # fmt: skip
        else:
            v = list(d)
        return cls(
            Finding(v[0]), Award(v[1]), _b32(v[2]), _b32(v[3]), int(v[4]), _b32(v[5]), _b32(v[6]),
            bool(v[7]), bool(v[8]), tuple(bytes(s) for s in v[9]), _b32(v[10]),
        )  # fmt: skip

    @property
    def hash(self) -> bytes:
        types = "(uint8,uint8,bytes32,bytes32,uint16,bytes32,bytes32,bool,bool,bytes32[],bytes32)"
        return keccak(abi_encode([types], [self.as_tuple()]))

    def as_json(self) -> dict[str, Any]:
        return {
            "finding": self.finding.key,
            "award": self.award.key,
            "reporter": _hex(self.reporter),
            "sanction": self.sanction,
            "direct_supervisor": _hex(self.direct_supervisor),
            "next_supervisor": _hex(self.next_supervisor),
            "direct_gave_clue": self.direct_gave_clue,
            "next_gave_clue": self.next_gave_clue,
            "silent": [_hex(s) for s in self.silent],
            "finding_hash": _hex(self.finding_hash),
        }


def _hex(b: bytes) -> str | None:
    return "0x" + b.hex() if b and any(b) else None


@dataclass(frozen=True)
class ReviewOpening:
    """What a reviewer keeps between sealing and opening a conclusion."""

    case_id: int
    conclusion: Conclusion
    report_hash: bytes
    salt: bytes

    def seal(self, ledger: str, reviewer: str) -> bytes:
        return keccak(
            abi_encode(
                ["address", "uint256", "address", "uint8", "bytes32", "bytes32"],
                [to_checksum_address(ledger), self.case_id, to_checksum_address(reviewer), int(self.conclusion), self.report_hash, self.salt],
            )
        )

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case_id, "conclusion": self.conclusion.key, "report_hash": "0x" + self.report_hash.hex(), "salt": "0x" + self.salt.hex()}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReviewOpening:
        return cls(int(d["case"]), Conclusion.from_key(d["conclusion"]), bytes.fromhex(d["report_hash"][2:]), bytes.fromhex(d["salt"][2:]))


@dataclass(frozen=True)
class CaseView:
    case_id: int
    accused: bytes
    commitment: bytes
    evidence_hash: bytes
    decision_hash: bytes
    reviewer1: str
    reviewer2: str
    filed_at: int
    stage: Stage
    reporter_class: ReporterClass
    claimed: Award
    round: int
    reviewed_at: int
    yes: int
    no: int
    published_at: int
    appeal_deadline: int
    answer_deadline: int
    closed_at: int
    review_deadline: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "case": self.case_id,
            "stage": self.stage.key,
            "accused": _hex(self.accused),
            "reporter_class": self.reporter_class.key,
            "claimed": self.claimed.key,
            "commitment": _hex(self.commitment),
            "evidence_hash": _hex(self.evidence_hash),
            "reviewers": [self.reviewer1, self.reviewer2],
            "round": self.round,
            "votes": {"yes": self.yes, "no": self.no},
            "filed_at": self.filed_at,
            "reviewed_at": self.reviewed_at or None,
            "published_at": self.published_at or None,
            "appeal_deadline": self.appeal_deadline or None,
            "answer_deadline": self.answer_deadline or None,
            "closed_at": self.closed_at or None,
            "review_deadline": self.review_deadline or None,
        }


@dataclass
class MeritClient:
    chain: Chain
    ledger: Contract
    book: Contract
    succession: Contract
    persons: Contract
    jurisdiction: Contract
    from_block: int = 0
    names: dict[bytes, str] = field(default_factory=dict)
    #: decisions seen, by their hash (content-addressed: a cached entry can never be stale)
    _decisions: dict[bytes, Decision] = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------------ deployment

    @classmethod
    def deploy(
        cls,
        chain: Chain,
        jurisdiction: Contract,
        persons: Contract,
        profile: _profiles.Profile,
        *,
        book: Contract | None = None,
        committee_size: int = 1,
        admin: Sender = None,
    ) -> MeritClient:
        """Deploy (the province's ``MeritBook`` unless given,) the jurisdiction's ``Succession`` and
        ``MeritLedger``, and grant their roles. ``admin`` must administer all three registries."""
        acct = chain.account(admin)
        start = chain.w3.eth.block_number
        if book is None:
            book = chain.deploy("MeritBook", acct.address, persons.address, sender=acct, label="merit.deploy")
            # a new book of the province: the registry reads it at every seating (R-MR-7), bound once
            if int(chain.call(persons.functions.meritBook()), 16) == 0:
                chain.transact(persons.functions.bindMeritBook(book.address), acct, label="persons.bind")
        succ = chain.deploy(
            "Succession", jurisdiction.address, persons.address, book.address,
            [int(o) for o in profile.succession_head], profile.min_cycle_seconds, sender=acct, label="merit.deploy",
        )  # fmt: skip
        ledger = chain.deploy(
            "MeritLedger", jurisdiction.address, persons.address, book.address, succ.address,
            table_from_profile(profile), committee_size, sender=acct, label="merit.deploy",
        )  # fmt: skip
        grants = [
            (jurisdiction, role_id("office_writer"), succ.address),
            (jurisdiction, SUCCESSION_WRITER, ledger.address),
            (persons, RECORD_WRITER, succ.address),
            (persons, RECORD_WRITER, ledger.address),
            (book, LEDGER_WRITER, ledger.address),
        ]
        for contract, role, who in grants:
            chain.transact(contract.functions.grantRole(role, who), acct, label="merit.grant")
        return cls(chain, ledger, book, succ, persons, jurisdiction, start)

    @classmethod
    def at(cls, chain: Chain, ledger: str, *, from_block: int = 0) -> MeritClient:
        led = chain.contract("MeritLedger", ledger)
        f = led.functions
        return cls(
            chain, led,
            chain.contract("MeritBook", chain.call(f.book())),
            chain.contract("Succession", chain.call(f.succession())),
            chain.contract("PersonRegistry", chain.call(f.persons())),
            chain.contract("Jurisdiction", chain.call(f.jurisdiction())),
            from_block,
        )  # fmt: skip

    def _tx(self, fn: Any, sender: Sender, label: str) -> Any:
        return self.chain.transact(fn, sender, label=f"merit.{label}")

    def now(self) -> int:
        return int(self.chain.w3.eth.get_block("latest")["timestamp"])

    # ------------------------------------------------------------------ reports (R-MR-4)

    def file(
        self,
        accused: bytes,
        reporter_class: ReporterClass,
        claimed: Award,
        evidence_hash: bytes,
        commitment: bytes,
        identity_blob_hash: bytes,
        sender: Sender,
    ) -> int:
        """Send a report (commitment only); returns the case id."""
        fn = self.ledger.functions.fileReport(accused, int(reporter_class), int(claimed), evidence_hash, commitment, identity_blob_hash)
        receipt = self._tx(fn, sender, "fileReport")
        (ev,) = self.ledger.events.ReportFiled().process_receipt(receipt)
        return int(ev.args.caseId)

    def report(
        self,
        accused: bytes,
        reporter_class: ReporterClass,
        claimed: Award,
        evidence: bytes,
        identity: ReporterIdentity,
        committee: CommitteeKey,
        sender: Sender,
        keep: Callable[[bytes], None] | None = None,
    ) -> tuple[int, bytes]:
        """What a reporter's device does: seal the identity for the committee (SM2/SM4), file the report
        with the commitment and the blob's hash. Returns the case id and the blob to store off chain;
        ``keep(blob)`` runs before anything is sent (the chain holds only the blob's hash)."""
        blob = seal_identity(identity, committee.public_only())
        if keep is not None:
            keep(blob)
        case_id = self.file(accused, reporter_class, claimed, keccak(evidence), identity.commitment, blob_hash(blob), sender)
        return case_id, blob

    # ------------------------------------------------------------------ review (R-MR-10)

    def assign(self, case_id: int, reviewer1: str, reviewer2: str, sender: Sender) -> None:
        self._tx(self.ledger.functions.assignReviewers(case_id, reviewer1, reviewer2), sender, "assignReviewers")

    def reassign(self, case_id: int, reviewer1: str, reviewer2: str, sender: Sender) -> None:
        """R-MR-10: replace the reviewers after the review deadline (never a reviewer who missed it)."""
        self._tx(self.ledger.functions.reassignReviewers(case_id, reviewer1, reviewer2), sender, "reassignReviewers")

    def seal_review(self, case_id: int, conclusion: Conclusion, report_hash: bytes, reviewer: Sender, keep: Callable[[ReviewOpening], None] | None = None) -> ReviewOpening:
        """Seal a conclusion (nothing about it is readable on chain); keep the returned opening.

        ``keep(opening)`` runs before the seal is sent: a crash after sending never loses the opening."""
        acct = self.chain.account(reviewer)
        opening = ReviewOpening(case_id, conclusion, report_hash, entropy.token_bytes(32))
        if keep is not None:
            keep(opening)
        self._tx(self.ledger.functions.sealReview(case_id, opening.seal(self.ledger.address, acct.address)), acct, "sealReview")
        return opening

    def open_review(self, opening: ReviewOpening, reviewer: Sender) -> None:
        fn = self.ledger.functions.openReview(opening.case_id, int(opening.conclusion), opening.report_hash, opening.salt)
        self._tx(fn, reviewer, "openReview")

    def recheck(self, case_id: int, result_hash: bytes, consistent: bool, sender: Sender) -> None:
        self._tx(self.ledger.functions.anchorRecheck(case_id, result_hash, consistent), sender, "anchorRecheck")

    def propose(self, case_id: int, decision: Decision, sender: Sender) -> None:
        self._tx(self.ledger.functions.propose(case_id, decision.as_tuple()), sender, "propose")
        self._decisions[decision.hash] = decision

    def vote(self, case_id: int, yes: bool, sender: Sender) -> None:
        self._tx(self.ledger.functions.vote(case_id, yes), sender, "vote")

    @cached_property
    def calendar(self) -> CalendarClient:
        """The working-day calendar the ledger computes its windows from (SPEC §8)."""
        return CalendarClient.at(self.chain, self.chain.call(self.ledger.functions.calendar()))

    def appeal_deadline(self, start: int | None = None) -> workdays.Deadline:
        """R-MR-11: the end of the 7th working day after ``start``'s day (default: the latest block),
        recomputed from the published calendar as the ledger computes it."""
        days = int(self.chain.call(self.jurisdiction.functions.params())[15])
        return self.calendar.deadline(self.now() if start is None else start, days)

    def answer_deadline(self, start: int | None = None) -> workdays.Deadline:
        """R-MR-11: the end of the 15th working day after ``start``'s day (the appeal's)."""
        days = int(self.chain.call(self.jurisdiction.functions.params())[16])
        return self.calendar.deadline(self.now() if start is None else start, days)

    def publish(self, case_id: int, notice_hash: bytes, sender: Sender) -> workdays.Deadline:
        """Publish (step 4); the ledger computes the appeal deadline from the publication block's time.
        Returns it, recomputed from that block's time and checked against what the ledger stored."""
        receipt = self._tx(self.ledger.functions.publish(case_id, notice_hash), sender, "publish")
        ev = self.ledger.events.Published().process_receipt(receipt)[0].args
        return self._stored(self.appeal_deadline(int(ev.at)), int(ev.appealDeadline))

    # ------------------------------------------------------------------ appeal and finality (R-MR-11)

    def appeal(self, case_id: int, appellant: bytes, grounds_hash: bytes, sender: Sender, *, salt: bytes = ZERO32) -> workdays.Deadline:
        """Appeal, signed with the appellant's own key (``sender``)."""
        d = self.decision(case_id)
        fn = self.ledger.functions.appeal(case_id, d.as_tuple(), appellant, salt, grounds_hash)
        receipt = self._tx(fn, sender, "appeal")
        ev = self.ledger.events.Appealed().process_receipt(receipt)[0].args
        return self._stored(self.answer_deadline(int(ev.at)), int(ev.answerDeadline))

    @staticmethod
    def _stored(expected: workdays.Deadline, stored: int) -> workdays.Deadline:
        if expected.deadline != stored:  # the contract and this client disagree on SPEC §8: a bug, say so
            raise AssertionError(f"deadline on chain {stored} != recomputed {expected.deadline} ({expected})")
        return expected

    def decide_appeal(self, case_id: int, upheld: bool, answer_hash: bytes, sender: Sender) -> None:
        d = self.decision(case_id)
        self._tx(self.ledger.functions.decideAppeal(case_id, d.as_tuple(), upheld, answer_hash), sender, "decideAppeal")

    def escalate(self, case_id: int, sender: Sender) -> workdays.Deadline:
        """R-MR-11: after the answer deadline, send the appeal to the committee two levels up; returns its deadline."""
        receipt = self._tx(self.ledger.functions.escalateAppeal(case_id), sender, "escalateAppeal")
        ev = self.ledger.events.AppealEscalated().process_receipt(receipt)[0].args
        return self._stored(self.answer_deadline(int(ev.at)), int(ev.answerDeadline))

    def finalize(self, case_id: int, sender: Sender) -> None:
        d = self.decision(case_id)
        self._tx(self.ledger.functions.finalize(case_id, d.as_tuple()), sender, "finalize")

    def decision(self, case_id: int) -> Decision:
        """The decision adopted (or proposed) for ``case_id``, from its ``DecisionProposed`` event."""
        want = bytes(self.case(case_id).decision_hash)
        if want in self._decisions:
            return self._decisions[want]
        logs = self.ledger.events.DecisionProposed().get_logs(from_block=self.from_block, argument_filters={"caseId": case_id})
        for ev in sorted(logs, key=lambda e: (e.blockNumber, e.logIndex), reverse=True):
            if bytes(ev.args.decisionHash) == want:
                self._decisions[want] = Decision.from_chain(ev.args.decision)
                return self._decisions[want]
        raise NotFound(f"R-MR-10: case {case_id} has no decision under deliberation or adopted")

    # ------------------------------------------------------------------ offsets (R-MR-12)

    def request_offset(self, entry_id: int, sender: Sender) -> int:
        """Ask to offset demerit entry ``entry_id`` (signed by the entry's person)."""
        e = self.entry(entry_id)
        fn = self.ledger.functions.requestOffset(entry_id, e["person"], int(EntryKind.from_key(e["kind"])), e["points"], e["case_ref"])
        receipt = self._tx(fn, sender, "requestOffset")
        (ev,) = self.ledger.events.OffsetRequested().process_receipt(receipt)
        return int(ev.args.requestId)

    def approve_offset(self, request_id: int, sender: Sender) -> None:
        self._tx(self.ledger.functions.approveOffset(request_id), sender, "approveOffset")

    # ------------------------------------------------------------------ succession (R-SU-*)

    def offices_seated(self, sender: Sender) -> None:
        """R-SU-1: the order from the offices just seated. An election's completion does this itself;
        only an OFFICE_WRITER may (the test kits' stand-in for an election, which seat by hand)."""
        self._tx(self.succession.functions.officesSeated(), sender, "officesSeated")

    def join(self, person: bytes, sender: Sender) -> None:
        """R-SU-1: a newly seated office holder (team completion) joins the order; anyone may send it."""
        self._tx(self.succession.functions.join(person), sender, "join")

    def overtake_pass(self, sender: Sender) -> None:
        """R-SU-3: one pass after a final merit entry written elsewhere in the province's book."""
        self._tx(self.succession.functions.overtakePass(), sender, "overtakePass")

    def open_cycle(self, sender: Sender) -> None:
        self._tx(self.succession.functions.openCycle(), sender, "openCycle")

    def close_cycle(self, sender: Sender) -> None:
        self._tx(self.succession.functions.closeCycle(), sender, "closeCycle")

    def enforce(self, person: bytes, sender: Sender) -> None:
        self._tx(self.succession.functions.enforce(person), sender, "enforce")

    def order(self) -> list[bytes]:
        return [bytes(p) for p in self.chain.call(self.succession.functions.order())]

    def order_history(self) -> list[dict[str, Any]]:
        logs = self.succession.events.OrderChanged().get_logs(from_block=self.from_block)
        out = []
        for ev in sorted(logs, key=lambda e: (e.blockNumber, e.logIndex)):
            ts = int(self.chain.w3.eth.get_block(ev.blockHash)["timestamp"])
            out.append({"block": ev.blockNumber, "time": ts, "reason": bytes(ev.args.reason).rstrip(b"\0").decode(), "order": [self.name(p) for p in ev.args.order]})
        return out

    def order_table(self) -> list[dict[str, Any]]:
        """The current order with each member's office and merit/demerit totals."""
        rows = []
        for i, p in enumerate(self.order(), 1):
            t = self.totals(p)
            seated, office = self.chain.call(self.jurisdiction.functions.officeOf(p))
            from ..types import Office

            rows.append({"place": i, "person": self.name(p), "office": Office(office).key if seated else None, **t})
        return rows

    # ------------------------------------------------------------------ reads

    def case(self, case_id: int) -> CaseView:
        c = self.chain.call(self.ledger.functions.caseOf(case_id))
        return CaseView(
            case_id, bytes(c[0]), bytes(c[1]), bytes(c[2]), bytes(c[3]), c[6], c[12], int(c[7]), Stage(c[8]),
            ReporterClass(c[9]), Award(c[10]), int(c[11]), int(c[13]), int(c[14]), int(c[15]), int(c[18]),
            int(c[19]), int(c[20]), int(c[21]), int(c[22]),
        )  # fmt: skip

    def case_count(self) -> int:
        return int(self.chain.call(self.ledger.functions.caseCount()))

    def totals(self, person: bytes) -> dict[str, int]:
        merit, demerit, earned, entries = self.chain.call(self.book.functions.totals(person))
        warning, resign = self.chain.call(self.ledger.functions.status(person))
        return {"merit": int(merit), "demerit": int(demerit), "earned": int(earned), "entries": int(entries),
                "warning_list": bool(warning), "must_resign": bool(resign)}  # fmt: skip

    def entries(self, person: bytes) -> list[dict[str, Any]]:
        """A person's entries in both ledgers, oldest first (from the book's events, province-wide)."""
        logs = self.book.events.EntryAppended().get_logs(from_block=self.from_block, argument_filters={"personId": person})
        return [self._entry_json(ev) for ev in sorted(logs, key=lambda e: (e.blockNumber, e.logIndex))]

    def entry(self, entry_id: int) -> dict[str, Any]:
        logs = self.book.events.EntryAppended().get_logs(from_block=self.from_block, argument_filters={"id": entry_id})
        if not logs:
            raise NotFound(f"R-MR-1: no ledger entry {entry_id}")
        return self._entry_json(logs[0])

    def _entry_json(self, ev: Any) -> dict[str, Any]:
        a = ev.args
        ref = bytes(a.caseRef)
        return {
            "id": int(a.id),
            "person": bytes(a.personId),
            "ledger": Ledger(a.ledger).key,
            "kind": EntryKind(a.kind).key,
            "points": int(a.points),
            "total": int(a.total),
            "case_ref": ref,
            "case": {"ledger": to_checksum_address(ref[:20]), "case": int.from_bytes(ref[20:], "big")},
            "offset": bool(self.chain.call(self.book.functions.isOffset(int(a.id)))),
            "block": ev.blockNumber,
        }

    def name(self, pid: bytes) -> str:
        return self.names.get(bytes(pid), "0x" + bytes(pid).hex())

    def service_levels(self) -> dict[str, Any]:
        """R-MR-13 (reported, not enforced): time to initial verification (≤ 24 h), time to close
        (≤ 15 working days), share of cases discovered internally (≥ 70 %), from chain events only."""
        ev = self.ledger.events
        filed = {int(e.args.caseId): e.args for e in ev.ReportFiled().get_logs(from_block=self.from_block)}
        reviewed = {int(e.args.caseId): int(e.args.at) for e in ev.InitialReviewDone().get_logs(from_block=self.from_block)}
        closed = {int(e.args.caseId): int(e.args.at) for e in ev.CaseClosed().get_logs(from_block=self.from_block)}
        escalated = [int(e.args.caseId) for e in ev.AppealEscalated().get_logs(from_block=self.from_block)]
        verify_h = [(reviewed[c] - int(filed[c].at)) / HOUR for c in reviewed if c in filed]
        spans = [workdays.working_days_between(int(filed[c].at), closed[c], self.calendar.year) for c in closed if c in filed]
        close_wd = [d for d in spans if d is not None]  # a span into an unpublished year is not counted
        internal = sum(1 for a in filed.values() if a["class"] != ReporterClass.CITIZEN)

        def share(xs: list[Any], ok: Any) -> float | None:
            return round(sum(1 for x in xs if ok(x)) / len(xs), 3) if xs else None

        return {
            "cases": len(filed),
            "initial_verification_hours": {
                "count": len(verify_h),
                "max": round(max(verify_h), 2) if verify_h else None,
                "mean": round(sum(verify_h) / len(verify_h), 2) if verify_h else None,
                "within_24h": share(verify_h, lambda h: h <= 24),
                "target_hours": 24,
            },
            "close_working_days": {
                "count": len(close_wd),
                "max": max(close_wd) if close_wd else None,
                "within_15": share(close_wd, lambda d: d <= 15),
                "target_working_days": 15,
            },
            "discovered_internally": {
                "internal": internal,
                "share": round(internal / len(filed), 3) if filed else None,
                "target_share": 0.7,
            },
            "escalated_appeals": escalated,
        }
