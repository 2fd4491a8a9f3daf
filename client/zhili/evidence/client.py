"""Drive an ``EvidenceLedger`` (R-DOC-1 ... R-DOC-5): sign and anchor documents, add versions,
verify a file, read a trace code's history, rebuild the ledger from its events.

The contract decides (signature, current version, motion passed, trace code); this module hashes
files, signs the EIP-712 ``Document`` with the signer's key, sends, and reads back. The trace code
string is ``<jurisdiction code>-<year>-<category code>-<sequence>`` (e.g. ``330110-001-2025-LI-0007``)
and is also returned by the contract's ``traceCode``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3.contract import Contract

from ..core import eip712
from ..core.chain import Chain, ContractRevert
from ..core.store import ALGORITHM_NAMES, ContentStore, algorithm_id, fingerprint
from ..errors import InputError
from ..types import Category, Role

Sender = int | str | LocalAccount | None
ZERO32 = b"\0" * 32
RECORDS_KEEPER = Role.RECORDS_KEEPER
AUDITOR = Role.AUDITOR

#: Category codes of trace codes (order of ``Category``).
CATEGORY_CODES = {Category.STRATEGIC: "ST", Category.DISCIPLINE: "DI", Category.LEGISLATIVE: "LE",
                  Category.CONSULTATIVE: "CO", Category.LIVELIHOOD: "LI"}  # fmt: skip
_CODE_CATEGORY = {v: k for k, v in CATEGORY_CODES.items()}
_TRACE_RE = re.compile(r"^(?P<code>.+)-(?P<year>\d{4})-(?P<cat>[A-Z]{2})-(?P<seq>\d+)(?:/v(?P<version>\d+))?$")

#: What a signer signs for one version (``EvidenceLedger``'s ``DOCUMENT_TYPEHASH``).
DOCUMENT = eip712.Struct("Document", eip712.fields(
    "bytes32 fingerprint", "uint8 algorithm", "uint8 category", "uint64 motionId", "string title", "bytes details",
    "uint8 kind", "bytes32 previous", "string reason", "bytes32 signer",
), "zhili EvidenceLedger")  # fmt: skip


class Kind(IntEnum):
    ORIGINAL = 0
    AMENDMENT = 1
    SUPPLEMENT = 2
    REVOCATION = 3


class Status(IntEnum):
    NONE = 0
    CURRENT = 1
    SUPERSEDED = 2
    REVOKED = 3


class EvidenceError(InputError, ValueError):
    """Bad input caught before anything is sent (unknown trace code, unreadable file, ...)."""


# ------------------------------------------------------------------ trace codes


@dataclass(frozen=True)
class Trace:
    code: str
    year: int
    category: Category
    seq: int

    @property
    def key(self) -> int:
        """The packed form indexed in events: year << 40 | category << 32 | seq."""
        return trace_key(self.year, self.category, self.seq)

    def __str__(self) -> str:
        return f"{self.code}-{self.year}-{CATEGORY_CODES[self.category]}-{self.seq:04d}"


def trace_key(year: int, category: int, seq: int) -> int:
    return (year << 40) | (int(category) << 32) | seq


def parse_trace(text: str) -> tuple[Trace, int | None]:
    """``330110-001-2025-LI-0007`` (optionally ``/v2``) -> (trace, version or None)."""
    m = _TRACE_RE.match(text.strip())
    if not m or m["cat"] not in _CODE_CATEGORY:
        raise EvidenceError(f"R-DOC-2: {text!r} is not a trace code (expected <jurisdiction>-<year>-<{'|'.join(_CODE_CATEGORY)}>-<sequence>)")
    version = int(m["version"]) if m["version"] else None
    return Trace(m["code"], int(m["year"]), _CODE_CATEGORY[m["cat"]], int(m["seq"])), version


# ------------------------------------------------------------------ documents and signatures


# Sizes of the anchored elements (the contract keeps them in events and has no bound; every byte is gas):
# far above a real document's, far below a block.
MAX_TITLE, MAX_SUMMARY, MAX_RECIPIENTS, MAX_LINE, MAX_BASIS = 200, 4000, 100, 200, 100


@dataclass(frozen=True)
class DocMeta:
    """The anchored elements of a version besides the fingerprint (R-DOC-2)."""

    title: str
    category: Category = Category.STRATEGIC
    summary: str = ""
    recipients: tuple[str, ...] = ()
    basis: tuple[bytes, ...] = ()
    motion_id: int = 0
    budget: str = ""  # budget link of a document that executes no motion (a motion's comes from the council)

    def check(self) -> None:
        """Refuse oversized elements (R-DOC-2) before anything is signed or sent."""
        for name, value, limit in (("title", self.title, MAX_TITLE), ("summary", self.summary, MAX_SUMMARY), ("budget", self.budget, MAX_LINE)):
            if len(value) > limit:
                raise EvidenceError(f"R-DOC-2: the {name} is {len(value):,} characters; at most {limit:,}")
        for name, items, limit in (("recipients", self.recipients, MAX_RECIPIENTS), ("basis", self.basis, MAX_BASIS)):
            if len(items) > limit:
                raise EvidenceError(f"R-DOC-2: {len(items):,} {name}; at most {limit:,}")
        for r in self.recipients:
            if len(r) > MAX_LINE:
                raise EvidenceError(f"R-DOC-2: a recipient is {len(r):,} characters; at most {MAX_LINE:,}")

    def details(self) -> bytes:
        """Canonical details (sorted keys, no spaces, UTF-8, empty fields left out): what is signed and logged."""
        d: dict[str, Any] = {}
        if self.basis:
            d["basis"] = ["0x" + bytes(b).hex() for b in self.basis]
        if self.budget:
            d["budget"] = self.budget
        if self.recipients:
            d["recipients"] = list(self.recipients)
        if self.summary:
            d["summary"] = self.summary
        return json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def parse_details(raw: bytes) -> dict[str, Any]:
    """Summary, recipients and basis from logged details (tolerates a non-canonical or broken blob)."""
    try:
        d = json.loads(bytes(raw).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {"summary": "", "recipients": [], "basis": [], "budget": "", "raw": "0x" + bytes(raw).hex()}
    return {"summary": d.get("summary", ""), "recipients": list(d.get("recipients", [])), "basis": list(d.get("basis", [])), "budget": d.get("budget", "")}


def doc_input(fp: bytes, algorithm: str, meta: DocMeta) -> tuple[Any, ...]:
    """The ``EvidenceLedger.DocInput`` tuple."""
    return (fp, algorithm_id(algorithm), int(meta.category), meta.motion_id, meta.title, meta.details())


def typed_document(ledger: str, chain_id: int, doc: Sequence[Any], kind: Kind, previous: bytes, reason: str, signer: bytes) -> dict[str, Any]:
    """The EIP-712 message a signer signs for one version."""
    fp, alg, cat, motion, title, details = doc
    return DOCUMENT.typed_data(ledger, chain_id, {
        "fingerprint": bytes(fp), "algorithm": int(alg), "category": int(cat), "motionId": int(motion),
        "title": title, "details": bytes(details), "kind": int(kind),
        "previous": bytes(previous), "reason": reason, "signer": bytes(signer),
    })  # fmt: skip


# ------------------------------------------------------------------ records and views

RECORD_FIELDS = ("anchoredAt", "algorithm", "kind", "status", "version", "year", "category", "seq", "signer", "motionId", "office", "originalSigner")


def unpack_record(p: int) -> dict[str, int]:
    """The packed ``Record`` slot (as stored and as logged) as a dict in the order of ``Record``."""
    return {
        "anchoredAt": p & (2**40 - 1), "algorithm": p >> 40 & 0xFF, "kind": p >> 48 & 0xFF, "status": p >> 56 & 0xFF,
        "version": p >> 64 & 0xFFFF, "year": p >> 120 & 0xFFFF, "category": p >> 112 & 0xFF, "seq": p >> 80 & 0xFFFFFFFF,
        "signer": p >> 136 & 0xFFFFFFFF, "motionId": p >> 168 & (2**64 - 1),
        "office": p >> 232 & 0xF, "originalSigner": p >> 236,
    }  # fmt: skip


@dataclass
class Version:
    """One anchored version, from its event and its status (from the contract, or replayed from events)."""

    fingerprint: bytes
    trace: str
    trace_key: int
    version: int
    kind: Kind
    status: Status
    algorithm: str
    signer: bytes
    anchored_at: int
    previous: bytes
    motion_id: int
    category: Category
    title: str
    details: bytes
    reason: str
    r: bytes
    vs: bytes
    block: int
    decision: dict[str, Any] | None = None
    positions: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        h = lambda b: "0x" + bytes(b).hex()  # noqa: E731
        return {
            "trace": self.trace, "version": self.version, "kind": self.kind.name.lower(), "status": self.status.name.lower(),
            "fingerprint": h(self.fingerprint), "algorithm": self.algorithm, "signer": h(self.signer),
            "anchored_at": self.anchored_at, "previous": h(self.previous) if any(self.previous) else None,
            "title": self.title, **parse_details(self.details), "reason": self.reason or None, "category": self.category.key,
            "motion": self.motion_id or None,
            "decision": self.decision, "positions": self.positions, "signature": {"r": h(self.r), "vs": h(self.vs)},
            "block": self.block,
        }  # fmt: skip


@dataclass(frozen=True)
class Verdict:
    """What ``zhili doc verify`` reports (R-DOC-1)."""

    fingerprint: bytes
    algorithm: str | None
    status: Status
    signer: bytes | None
    anchored_at: int | None
    trace: str | None
    version: int | None
    latest: Version | None = None  # the trace's last version when this one is not current

    @property
    def valid(self) -> bool:
        """Found, current and not revoked: the instruction it carries may be followed."""
        return self.status == Status.CURRENT

    def as_json(self) -> dict[str, Any]:
        return {
            "fingerprint": "0x" + self.fingerprint.hex(), "algorithm": self.algorithm, "found": self.status != Status.NONE,
            "status": self.status.name.lower(), "valid": self.valid, "signer": "0x" + self.signer.hex() if self.signer else None,
            "anchored_at": self.anchored_at, "trace": self.trace, "version": self.version,
            "latest": None if self.latest is None else {"version": self.latest.version, "kind": self.latest.kind.name.lower(),
                                                         "fingerprint": "0x" + self.latest.fingerprint.hex(), "status": self.latest.status.name.lower()},
        }  # fmt: skip


def _decision_json(d: Any) -> dict[str, Any]:
    keys = ("category", "passed", "backfilled", "yesWeight", "threshold", "decidedAt", "firstResponsible", "budgetLine", "amount", "basisHash")
    vals = [d[k] for k in keys] if hasattr(d, "keys") else list(d)
    return {k: ("0x" + bytes(v).hex() if isinstance(v, bytes) else v) for k, v in zip(keys, vals)}


@dataclass
class EvidenceClient:
    chain: Chain
    contract: Contract
    from_block: int = 0
    _code: str | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ deployment

    @classmethod
    def deploy(cls, chain: Chain, jurisdiction: Contract, persons: Contract, council: str | None = None, *, sender: Sender = None, version_roles: Sequence[bytes] | None = None) -> EvidenceClient:
        """Deploy a ledger; ``version_roles`` (per category, R-DOC-4) default to the jurisdiction's profile's ``document_roles``."""
        if version_roles is None:
            from ..profiles import load
            from ..types import ProfileKind

            kind = ProfileKind(chain.call(jurisdiction.functions.params())[0])
            version_roles = load(kind.key).document_roles()
        start = chain.w3.eth.block_number
        c = chain.deploy("EvidenceLedger", jurisdiction.address, persons.address, council or "0x" + "00" * 20, list(version_roles), sender=sender, label="evidence.deploy")
        return cls(chain, c, start)

    @classmethod
    def at(cls, chain: Chain, address: str, from_block: int = 0) -> EvidenceClient:
        return cls(chain, chain.contract("EvidenceLedger", to_checksum_address(address)), from_block)

    @property
    def jurisdiction(self) -> Contract:
        return self.chain.contract("Jurisdiction", self.chain.call(self.contract.functions.jurisdiction()))

    @property
    def persons(self) -> Contract:
        return self.chain.contract("PersonRegistry", self.chain.call(self.contract.functions.persons()))

    @property
    def code(self) -> str:
        if self._code is None:
            self._code = str(self.chain.call(self.jurisdiction.functions.code()))
        return self._code

    def grant_records_keeper(self, keeper: str, admin: Sender = None) -> None:
        """The jurisdiction's admin lets ``keeper`` (the auditor service's key) anchor access logs (R-DOC-5)."""
        self.chain.transact(self.jurisdiction.functions.grantRole(RECORDS_KEEPER, keeper), admin, label="evidence.grantKeeper")

    def person_of(self, address: str) -> bytes:
        return bytes(self.chain.call(self.persons.functions.personOf(to_checksum_address(address))))

    # ------------------------------------------------------------------ writing

    def prepare(
        self,
        data: bytes,
        meta: DocMeta,
        signer: LocalAccount,
        *,
        algorithm: str = "sha256",
        kind: Kind = Kind.ORIGINAL,
        previous: bytes = ZERO32,
        reason: str = "",
        signer_id: bytes | None = None,
    ) -> tuple[tuple[Any, ...], bytes, bytes, bytes]:
        """Hash and sign (nothing is sent): the DocInput tuple, the signer's person id, r, vs."""
        meta.check()
        pid = signer_id if signer_id is not None else self.person_of(signer.address)
        doc = doc_input(fingerprint(data, algorithm), algorithm, meta)
        typed = typed_document(self.contract.address, self.chain.chain_id, doc, kind, previous, reason, pid)
        r, vs = eip712.sign_compact(signer, typed)
        return doc, pid, r, vs  # fmt: skip

    def anchor(
        self,
        data: bytes,
        meta: DocMeta,
        signer: LocalAccount,
        *,
        algorithm: str = "sha256",
        sender: Sender = None,
        store: ContentStore | None = None,
        signer_id: bytes | None = None,
    ) -> bytes:
        """Sign and anchor the first version of ``data``; returns its fingerprint. ``sender`` defaults to the signer.

        The content goes to ``store`` only after the chain accepted it (nothing half-written).
        """
        doc, pid, r, vs = self.prepare(data, meta, signer, algorithm=algorithm, signer_id=signer_id)
        self._send_committed(self.contract.functions.anchor(doc, pid, r, vs), bytes(doc[0]), pid, sender if sender is not None else signer, "evidence.anchor")
        if store is not None:
            store.put(data, algorithm)
        return bytes(doc[0])

    def new_version(
        self,
        previous: bytes,
        kind: Kind,
        data: bytes,
        meta: DocMeta,
        reason: str,
        signer: LocalAccount,
        *,
        algorithm: str = "sha256",
        sender: Sender = None,
        store: ContentStore | None = None,
        signer_id: bytes | None = None,
    ) -> bytes:
        """Amend, supplement or revoke the current version ``previous`` (R-DOC-4); returns the new fingerprint."""
        doc, pid, r, vs = self.prepare(data, meta, signer, algorithm=algorithm, kind=kind, previous=previous, reason=reason, signer_id=signer_id)
        fn = self.contract.functions.newVersion(previous, int(kind), reason, doc, pid, r, vs)
        self._send_committed(fn, bytes(doc[0]), pid, sender if sender is not None else signer, f"evidence.{kind.name.lower()}")
        if store is not None:
            store.put(data, algorithm)
        return bytes(doc[0])

    def _send_committed(self, fn: Any, fp: bytes, pid: bytes, sender: Sender, label: str) -> None:
        """Simulate ``fn``; commit only when the missing commitment is its one objection (the contract
        checks it last), so a version refused for any other reason writes nothing; then send it."""
        try:
            self.chain.prepare(fn, sender)
        except ContractRevert as e:
            if e.error != "NotCommitted":
                raise
            self.commit(fp, pid, sender)
        self.chain.transact(fn, sender, label=label)

    def commitment(self, fp: bytes, signer_id: bytes) -> bytes:
        """The commitment ``commit`` takes for ``signer_id`` anchoring ``fp`` (the contract's ``commitment``)."""
        return bytes(self.chain.call(self.contract.functions.commitment(fp, signer_id)))

    def commit(self, fp: bytes, signer_id: bytes, sender: Sender) -> None:
        """Commit to anchoring ``fp`` for ``signer_id`` (R-DOC-3, anti-squatting) and return once a later
        block exists, in which the anchor or version that uses it can be simulated and sent. A
        commitment already on chain is left as it is."""
        c = self.commitment(fp, signer_id)
        if not self.chain.call(self.contract.functions.committedAt(c)):
            self.chain.transact(self.contract.functions.commit(c), sender, label="evidence.commit")
            self.chain.wait_until(self.chain.now() + 1)  # a later block (test chains mine one; a real chain makes it)

    def anchor_access_log(self, head: bytes, entries: int, sender: Sender) -> None:
        self.chain.transact(self.contract.functions.anchorAccessLog(head, entries), sender, label="evidence.anchorAccessLog")

    # ------------------------------------------------------------------ reading

    def verify_fingerprint(self, fp: bytes) -> tuple[Status, bytes, int, str, int]:
        status, signer, at, code, version = self.chain.call(self.contract.functions.verify(fp))
        return Status(status), bytes(signer), int(at), str(code), int(version)

    def verify(self, data: bytes, algorithms: Sequence[str] = ("sha256", "sm3"), *, follow: bool = True) -> Verdict:
        """Is ``data`` an anchored version, and which status (R-DOC-1)? Tries each algorithm in turn."""
        fp = fingerprint(data, algorithms[0])
        for alg in algorithms:
            digest = fingerprint(data, alg)
            status, signer, at, code, version = self.verify_fingerprint(digest)
            if status == Status.NONE:
                continue
            rec = self.record(digest)
            if ALGORITHM_NAMES.get(rec["algorithm"]) != alg:
                continue  # anchored under another algorithm: not a match for this file
            latest = None
            if follow and status != Status.CURRENT:
                latest = self.history(trace_key(rec["year"], rec["category"], rec["seq"]))[-1]
            return Verdict(digest, alg, status, signer, at, code, version, latest)
        return Verdict(fp, None, Status.NONE, None, None, None, None)

    def record(self, fp: bytes) -> dict[str, Any]:
        return dict(zip(RECORD_FIELDS, self.chain.call(self.contract.functions.record(fp))))

    def trace_of(self, trace: str | int) -> int:
        if isinstance(trace, int):
            return trace
        t, _ = parse_trace(trace)
        if t.code != self.code:
            raise EvidenceError(f"R-DOC-2: trace code {trace!r} belongs to jurisdiction {t.code!r}, this ledger is {self.code!r}")
        return t.key

    def _events(self, name: str, **filters: Any) -> list[Any]:
        ev = getattr(self.contract.events, name)()
        logs = ev.get_logs(from_block=self.from_block, argument_filters=filters or None)
        return list(logs)

    def _version_events(self, **filters: Any) -> list[Any]:
        evs = self._events("DocumentAnchored", **filters) + self._events("VersionAdded", **filters)
        return sorted(evs, key=lambda e: (e.blockNumber, e.logIndex))

    def _version(self, ev: Any, status: Status | None = None) -> Version:
        if status is None:
            status = Status(self.record(bytes(ev.args.fingerprint))["status"])
        return version_of(ev, self.code, status)

    def history(self, trace: str | int) -> list[Version]:
        """Every version of a trace code, oldest first, with each one's status read from the contract."""
        key = self.trace_of(trace)
        versions = [self._version(e) for e in self._version_events(trace=key)]
        if not versions:
            raise EvidenceError(f"R-DOC-2: no document with trace code {trace!r} on ledger {self.contract.address}")
        if any(v.motion_id for v in versions):
            motions = {bytes(e.args.fingerprint): e for e in self._events("MotionLinked")}
            positions = {bytes(e.args.fingerprint): e for e in self._events("PositionsRecorded")}
            for v in versions:
                if v.fingerprint in motions:
                    v.decision = _decision_json(motions[v.fingerprint].args.decision)
                if v.fingerprint in positions:
                    p = positions[v.fingerprint].args
                    v.positions = {"members": ["0x" + bytes(m).hex() for m in p.members], "weights": list(p.weights), "votes": list(p.votes)}
        return sorted(versions, key=lambda v: v.version)

    def versions(self, offset: int = 0, limit: int | None = None) -> list[Version]:
        """All versions in anchoring order (auditors' listing); statuses replayed from events."""
        evs = self._version_events()
        state = replay_records(evs)
        sel = evs[offset : None if limit is None else offset + limit]
        return [self._version(e, Status(state[bytes(e.args.fingerprint)]["status"])) for e in sel]

    def signed_input(self, v: Version) -> tuple[Any, ...]:
        """The DocInput of a version as signed, rebuilt from its event."""
        alg = {n: i for i, n in ALGORITHM_NAMES.items()}.get(v.algorithm, 0)
        return (v.fingerprint, alg, int(v.category), v.motion_id, v.title, v.details)

    def check_signature(self, v: Version) -> bool:
        """Re-verify a kept signature from the chain alone and the signer's key at that block (R-DOC-3)."""
        typed = typed_document(self.contract.address, self.chain.chain_id, self.signed_input(v), v.kind, v.previous, v.reason, v.signer)
        key = self.chain.call(self.persons.functions.keyOf(v.signer), block=v.block)
        return eip712.recover_compact(typed, v.r, v.vs).lower() == str(key).lower()

    # ------------------------------------------------------------------ rebuild from events

    def rebuild(self) -> dict[str, Any]:
        """The whole ledger state from its events alone (records, signers, counters, access logs)."""
        evs = self._version_events()
        records = replay_records(evs)
        signers = {int(e.args.number): bytes(e.args.personId) for e in self._events("SignerAdded")}
        logs: dict[str, dict[str, Any]] = {}
        for e in sorted(self._events("AccessLogAnchored"), key=lambda e: (e.blockNumber, e.logIndex)):
            ts = int(self.chain.w3.eth.get_block(e.blockHash)["timestamp"])
            logs[e.args.keeper] = {"head": bytes(e.args.head), "entries": int(e.args.entries), "anchoredAt": ts}
        year, seqs = 0, [0] * len(Category)
        for e in evs:
            rec = unpack_record(int(e.args.record))
            if rec["kind"] == Kind.ORIGINAL:
                if rec["year"] != year:
                    year, seqs = rec["year"], [0] * len(Category)
                seqs[rec["category"]] = rec["seq"]
        return {"records": records, "signers": signers, "access_logs": logs,
                "counters": {"year": year, "seqs": seqs, "signers": len(signers),
                             "documents": sum(1 for e in evs if e.event == "DocumentAnchored")}}  # fmt: skip

    def state_of(self, fps: Sequence[bytes], signers: int, keepers: Sequence[str]) -> dict[str, Any]:
        """The same shape as :meth:`rebuild`, read from contract storage (for comparison)."""
        year, seqs, n_signers, n_docs = self.chain.call(self.contract.functions.counters())
        logs = {}
        for k in keepers:
            head, entries, at = self.chain.call(self.contract.functions.accessLog(k))
            logs[k] = {"head": bytes(head), "entries": int(entries), "anchoredAt": int(at)}
        return {
            "records": {fp: self.record(fp) for fp in fps},
            "signers": {i: bytes(self.chain.call(self.contract.functions.signerAt(i))) for i in range(1, signers + 1)},
            "access_logs": logs,
            "counters": {"year": int(year), "seqs": list(seqs), "signers": int(n_signers), "documents": int(n_docs)},
        }


#: The events that carry a version (``DocumentAnchored``: an original; ``VersionAdded``: the others).
VERSION_EVENTS = ("DocumentAnchored", "VersionAdded")


def version_of(ev: Any, code: str, status: Status) -> Version:
    """A version from its ``DocumentAnchored`` or ``VersionAdded`` event, on the ledger of jurisdiction ``code``."""
    a = ev.args
    rec = unpack_record(int(a.record))
    cat = Category(rec["category"])
    return Version(
        fingerprint=bytes(a.fingerprint), trace=f"{code}-{rec['year']}-{CATEGORY_CODES[cat]}-{rec['seq']:04d}", trace_key=int(a.trace),
        version=rec["version"], kind=Kind(rec["kind"]), status=status, algorithm=ALGORITHM_NAMES.get(rec["algorithm"], str(rec["algorithm"])),
        signer=bytes(a.signer), anchored_at=rec["anchoredAt"], previous=bytes(a.get("previous", ZERO32)), motion_id=rec["motionId"],
        category=cat, title=a.title, details=bytes(a.details), reason=a.get("reason", ""),
        r=bytes(a.r), vs=bytes(a.vs), block=int(ev.blockNumber),
    )  # fmt: skip


def replay_records(evs: Sequence[Any]) -> dict[bytes, dict[str, Any]]:
    """Records by fingerprint from the version events, statuses applied in order."""
    out: dict[bytes, dict[str, Any]] = {}
    for e in evs:
        rec = unpack_record(int(e.args.record))
        out[bytes(e.args.fingerprint)] = rec
        prev = bytes(e.args.get("previous", ZERO32))
        if any(prev):
            out[prev]["status"] = int(Status.REVOKED if rec["kind"] == Kind.REVOCATION else Status.SUPERSEDED)
    return out
