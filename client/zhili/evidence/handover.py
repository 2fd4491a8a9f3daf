"""Drive a ``Handover`` contract: oaths (R-DOC-6), handovers with the four-group checklist and three
signatures (R-DOC-7), issues in the transition and look-back windows (R-DOC-8), disputes (R-DOC-9).

Working-day deadlines (the oath period from the seating the jurisdiction recorded, the dispute
escalation) are computed by the contract from the province's working-day calendar
(:mod:`zhili.calendar.client`) when the period starts; this client only reads them. Everything else is
decided by the contract too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3.contract import Contract

from ..core import eip712
from ..core.chain import Chain
from ..core.store import algorithm_id, fingerprint
from ..errors import InputError
from ..types import Office

Sender = int | str | LocalAccount | None
GROUPS = ("credentials", "files", "assets", "work_items")
MAX_ITEMS = 1000  # items per group (the contract has no bound; docs/bad-input.md)


class IssueKind(IntEnum):
    MISSING_ITEM = 0
    NO_ASSISTANCE = 1


class DisputeStatus(IntEnum):
    NONE = 0
    RAISED = 1
    SETTLED = 2
    ESCALATED = 3
    RULED = 4


class ChecklistError(InputError, ValueError):
    """A checklist file that is not the four groups of R-DOC-7."""


def item_fingerprint(text: str) -> bytes:
    """Fingerprint of one checklist item: SHA-256 of its UTF-8 text (a line naming the item and its evidence)."""
    return fingerprint(text.strip().encode("utf-8"), "sha256")


def load_checklist(path: str | Path) -> dict[str, list[str]]:
    """A YAML or JSON checklist: the four groups ``credentials``, ``files``, ``assets``, ``work_items``, each a list of items."""
    import yaml

    from ..core.files import MAX_FILE_BYTES

    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise ChecklistError(f"R-DOC-7: checklist {path} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ChecklistError(f"R-DOC-7: cannot read checklist {path}: {exc}") from None
    if not isinstance(data, dict) or set(data) != set(GROUPS):
        have = ", ".join(map(str, data)) if isinstance(data, dict) else type(data).__name__
        raise ChecklistError(f"R-DOC-7: checklist {path} must have exactly the groups {', '.join(GROUPS)} (it has {have})")
    for g in GROUPS:
        if data[g] is not None and not isinstance(data[g], list):
            raise ChecklistError(f"R-DOC-7: checklist {path}: {g} must be a list of items")
        if len(data[g] or []) > MAX_ITEMS:
            raise ChecklistError(f"R-DOC-7: checklist {path}: {g} has {len(data[g]):,} items; at most {MAX_ITEMS:,} per group")
    return {g: [str(x) for x in (data[g] or [])] for g in GROUPS}


def checklist_items(checklist: Mapping[str, Sequence[str]]) -> list[list[bytes]]:
    return [[item_fingerprint(t) for t in checklist.get(g, [])] for g in GROUPS]


#: What each party signs to confirm a handover (``Handover``'s ``CONFIRMATION_TYPEHASH``).
CONFIRMATION = eip712.Struct("HandoverConfirmation", eip712.fields("uint256 handover", "bytes32 checklist", "bytes32 signer"), "zhili Handover")


@dataclass
class HandoverClient:
    chain: Chain
    contract: Contract
    from_block: int = 0

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, *, sender: Sender = None) -> HandoverClient:
        start = chain.w3.eth.block_number
        return cls(chain, chain.deploy("Handover", jurisdiction.address, persons.address, sender=sender, label="handover.deploy"), start)

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> HandoverClient:
        return cls(chain, chain.contract("Handover", to_checksum_address(address)), from_block)

    def _tx(self, fn: Any, sender: Sender, label: str) -> Any:
        return self.chain.transact(fn, sender, label=f"handover.{label}")

    # ------------------------------------------------------------------ oath (R-DOC-6)

    def schedule_oath(self, person: bytes, office: Office, sender: Sender) -> int:
        """Open the oath period of the seating of ``person`` in ``office``: the contract computes the
        deadline, the end of the N-th working day (N from the profile) after the seating's day."""
        receipt = self._tx(self.contract.functions.scheduleOath(person, int(office)), sender, "scheduleOath")
        return int(self.contract.events.OathScheduled().process_receipt(receipt)[0].args.id)

    def record_oath(self, oath_id: int, recording: bytes, sender: Sender, algorithm: str = "sha256") -> bytes:
        """Record the oath with the fingerprint of the recording's bytes; returns the fingerprint."""
        fp = fingerprint(recording, algorithm)
        self._tx(self.contract.functions.recordOath(oath_id, fp, algorithm_id(algorithm)), sender, "recordOath")
        return fp

    # ------------------------------------------------------------------ handover (R-DOC-7)

    def open(self, oath_id: int, outgoing: bytes, supervisor: bytes, checklist: Mapping[str, Sequence[str]], sender: Sender) -> int:
        items = checklist_items(checklist)
        receipt = self._tx(self.contract.functions.openHandover(oath_id, outgoing, supervisor, items), sender, "open")
        return int(self.contract.events.HandoverOpened().process_receipt(receipt)[0].args.id)

    def confirmation(self, handover_id: int, person: bytes) -> dict[str, Any]:
        """The EIP-712 confirmation a party signs."""
        checklist = bytes(self.case(handover_id)["checklist"])
        return CONFIRMATION.typed_data(self.contract.address, self.chain.chain_id, {"handover": handover_id, "checklist": checklist, "signer": person})

    def sign(self, handover_id: int, person: bytes, key: LocalAccount, sender: Sender = None) -> None:
        """Sign the confirmation with ``key`` (the person's current key) and submit it (R-DOC-7)."""
        r, vs = eip712.sign_compact(key, self.confirmation(handover_id, person))
        self._tx(self.contract.functions.signHandover(handover_id, person, r, vs), sender if sender is not None else key, "sign")

    # ------------------------------------------------------------------ after handover, disputes

    def record_issue(self, handover_id: int, kind: IssueKind, issue: bytes, sender: Sender) -> None:
        self._tx(self.contract.functions.recordIssue(handover_id, int(kind), fingerprint(issue)), sender, "recordIssue")

    def raise_dispute(self, handover_id: int, item: str | bytes, reason: bytes, major: bool, sender: Sender) -> int:
        """A party disputes an item; the escalation deadline is 2 working days (profile) after today (R-DOC-9)."""
        fp = item if isinstance(item, bytes) else item_fingerprint(item)
        fn = self.contract.functions.raiseDispute(handover_id, fp, fingerprint(reason), major)
        receipt = self._tx(fn, sender, "raiseDispute")
        return int(self.contract.events.DisputeRaised().process_receipt(receipt)[0].args.id)

    def settle(self, dispute_id: int, resolution: bytes, sender: Sender) -> None:
        self._tx(self.contract.functions.settleDispute(dispute_id, fingerprint(resolution)), sender, "settle")

    def escalate(self, dispute_id: int, sender: Sender) -> None:
        self._tx(self.contract.functions.escalateDispute(dispute_id), sender, "escalate")

    def rule(self, dispute_id: int, ruling: bytes, sender: Sender) -> None:
        self._tx(self.contract.functions.ruleDispute(dispute_id, fingerprint(ruling)), sender, "rule")

    # ------------------------------------------------------------------ views

    def oath(self, oath_id: int) -> dict[str, Any]:
        keys = ("person", "office", "resultAt", "deadline", "takenAt", "algorithm", "recording")
        return dict(zip(keys, self.chain.call(self.contract.functions.oath(oath_id))))

    def case(self, handover_id: int) -> dict[str, Any]:
        keys = ("oathId", "office", "outgoing", "incoming", "supervisor", "checklist", "openedAt", "deadline", "signedAt",
                "transitionEnds", "lookbackEnds", "signedMask")  # fmt: skip
        return dict(zip(keys, self.chain.call(self.contract.functions.handover(handover_id))))

    def dispute(self, dispute_id: int) -> dict[str, Any]:
        keys = ("handover", "item", "raisedBy", "reason", "outcome", "raisedAt", "escalationDeadline", "major", "suspended", "status")
        d, effective = self.chain.call(self.contract.functions.dispute(dispute_id))
        out = dict(zip(keys, d))
        out["effective"] = DisputeStatus(effective)
        return out

    def show(self, handover_id: int) -> dict[str, Any]:
        c = self.case(handover_id)
        h = lambda b: "0x" + bytes(b).hex()  # noqa: E731
        issues = self.contract.events.IssueRecorded().get_logs(from_block=self.from_block, argument_filters={"handover": handover_id})
        disputes = self.contract.events.DisputeRaised().get_logs(from_block=self.from_block, argument_filters={"handover": handover_id})
        return {
            "id": handover_id, "office": Office(c["office"]).key, "outgoing": h(c["outgoing"]), "incoming": h(c["incoming"]),
            "supervisor": h(c["supervisor"]), "checklist": h(c["checklist"]), "deadline": c["deadline"],
            "signed": {p: bool(c["signedMask"] & b) for p, b in (("outgoing", 1), ("incoming", 2), ("supervisor", 4))},
            "transferred_at": c["signedAt"] or None, "transition_ends": c["transitionEnds"] or None, "lookback_ends": c["lookbackEnds"] or None,
            "issues": [{"kind": IssueKind(e.args.kind).name.lower(), "issue": h(e.args.issue)} for e in issues],
            "disputes": [{"id": int(e.args.id), "item": h(e.args.item), "status": self.dispute(int(e.args.id))["effective"].name.lower()} for e in disputes],
        }  # fmt: skip


def rebuild(h: HandoverClient) -> dict[str, Any]:
    """Oaths, handovers and disputes folded from the contract's events alone (times from their blocks)."""
    evs = []
    for n in HANDOVER_EVENTS:
        evs += getattr(h.contract.events, n)().get_logs(from_block=h.from_block)
    evs.sort(key=lambda e: (e.blockNumber, e.logIndex))
    ts: dict[int, int] = {}

    def at(e: Any) -> int:
        if e.blockNumber not in ts:
            ts[e.blockNumber] = int(h.chain.w3.eth.get_block(e.blockHash)["timestamp"])
        return ts[e.blockNumber]

    return fold(evs, at)


HANDOVER_EVENTS = ("OathScheduled", "OathRecorded", "HandoverOpened", "HandoverSigned", "ResponsibilityTransferred",
                   "DisputeRaised", "DisputeSettled", "DisputeEscalated", "DisputeRuled")  # fmt: skip


def fold(evs: Iterable[Any], at: Callable[[Any], int]) -> dict[str, Any]:
    """:func:`rebuild` over given events (in chain order), with their blocks' times from ``at``."""
    oaths: dict[int, dict[str, Any]] = {}
    cases: dict[int, dict[str, Any]] = {}
    disputes: dict[int, dict[str, Any]] = {}
    for e in evs:
        a = e.args
        if e.event == "OathScheduled":
            oaths[a.id] = {"person": bytes(a.person), "office": a.office, "resultAt": a.resultAt, "deadline": a.deadline,
                           "takenAt": 0, "algorithm": 0, "recording": b"\0" * 32}  # fmt: skip
        elif e.event == "OathRecorded":
            oaths[a.id] |= {"takenAt": at(e), "algorithm": a.algorithm, "recording": bytes(a.recording)}
        elif e.event == "HandoverOpened":
            cases[a.id] = {"oathId": a.oathId, "office": a.office, "outgoing": bytes(a.outgoing), "incoming": bytes(a.incoming),
                           "supervisor": bytes(a.supervisor), "checklist": bytes(a.checklist), "openedAt": at(e), "deadline": a.deadline,
                           "signedAt": 0, "transitionEnds": 0, "lookbackEnds": 0, "signedMask": 0}  # fmt: skip
        elif e.event == "HandoverSigned":
            c = cases[a.id]
            c["signedMask"] |= {c["outgoing"]: 1, c["incoming"]: 2, c["supervisor"]: 4}[bytes(a.person)]
        elif e.event == "ResponsibilityTransferred":
            cases[a.id] |= {"signedAt": a.at, "transitionEnds": a.transitionEnds, "lookbackEnds": a.lookbackEnds}
        elif e.event == "DisputeRaised":
            disputes[a.id] = {"handover": a.handover, "item": bytes(a.item), "raisedBy": bytes(a.raisedBy), "reason": bytes(a.reason),
                              "outcome": b"\0" * 32, "raisedAt": at(e), "escalationDeadline": a.escalationDeadline, "major": a.major,
                              "suspended": False, "status": int(DisputeStatus.RAISED)}  # fmt: skip
        elif e.event == "DisputeSettled":
            disputes[a.id] |= {"status": int(DisputeStatus.SETTLED), "outcome": bytes(a.resolution)}
        elif e.event == "DisputeEscalated":
            disputes[a.id] |= {"status": int(DisputeStatus.ESCALATED), "suspended": a.suspended}
        elif e.event == "DisputeRuled":
            disputes[a.id] |= {"status": int(DisputeStatus.RULED), "suspended": False, "outcome": bytes(a.ruling)}
    return {"oaths": oaths, "handovers": cases, "disputes": disputes}


def state_of(h: HandoverClient) -> dict[str, Any]:
    """The same shape as :func:`rebuild`, read from contract storage."""
    n_oaths, n_cases, n_disputes = h.chain.call(h.contract.functions.counts())
    norm = lambda d: {k: (bytes(v) if isinstance(v, bytes) else v) for k, v in d.items()}  # noqa: E731
    disputes = {}
    for i in range(n_disputes):
        d = h.dispute(i)
        d.pop("effective")
        disputes[i] = norm(d)
    return {"oaths": {i: norm(h.oath(i)) for i in range(n_oaths)}, "handovers": {i: norm(h.case(i)) for i in range(n_cases)},
            "disputes": disputes}  # fmt: skip


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=lambda b: "0x" + b.hex() if isinstance(b, bytes) else str(b))
