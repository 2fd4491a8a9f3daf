"""Rebuild contract state from event logs alone, and read the same state from contract storage.

Auditors use this to check that the public log tells the whole story: for each contract, ``rebuild_*``
folds its events into a plain dict, ``state_*`` reads the corresponding views, and the two must be
equal (``tests/scenario/test_scenario.py (test_rebuild_bundled_scenarios_from_logs)`` runs it over the bundled scenarios). No rule is re-decided here: the
events carry the decisions (tallies, offices), the fold only replays them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from eth_utils import keccak
from web3.contract import Contract

from .core.chain import Chain
from .types import Office


def event_logs(contract: Contract, names: Iterable[str], from_block: int = 0) -> list[Any]:
    """The contract's events of the given names, in chain order: one log query, decoded locally."""
    by_topic = {keccak(text=getattr(contract.events, n).signature): getattr(contract.events, n)() for n in names}
    raw = contract.w3.eth.get_logs({"address": contract.address, "fromBlock": from_block, "toBlock": "latest"})
    out = [by_topic[bytes(log["topics"][0])].process_log(log) for log in raw if log["topics"] and bytes(log["topics"][0]) in by_topic]
    return sorted(out, key=lambda e: (e.blockNumber, e.transactionIndex, e.logIndex))


def hexstr(b: bytes) -> str:
    return "0x" + bytes(b).hex()


#: What a fold reads of an event: ``event`` (its name), ``args``, ``blockNumber``, ``logIndex`` (web3's
#: decoded log, from the node by :func:`event_logs` or from the indexer's database, :mod:`zhili.index`).
Events = Iterable[Any]
#: A block's timestamp for an event (the node's ``get_block``, or the indexer's stored blocks).
Clock = Callable[[Any], int]


ZERO_ADDRESS = "0x" + "00" * 20

# ---------------------------------------------------------------------------- Jurisdiction


JURISDICTION_EVENTS = ("JurisdictionCreated", "OfficeSeated", "OfficeVacated", "RoleGranted", "RoleRevoked", "PriorSecretaryDeclared")


def rebuild_jurisdiction(contract: Contract, from_block: int = 0) -> dict[str, Any]:
    return fold_jurisdiction(event_logs(contract, JURISDICTION_EVENTS, from_block))


def fold_jurisdiction(events: Events) -> dict[str, Any]:
    """:func:`rebuild_jurisdiction` over given events (in chain order)."""
    st: dict[str, Any] = {"holders": {o.key: None for o in Office}, "last_holders": {o.key: None for o in Office}, "roles": {}, "last_secretary": None}
    for ev in events:
        a = ev.args
        if ev.event == "JurisdictionCreated":
            st |= {"code": a.code, "name": a.name, "params": list(a.params.values()), "weights": [list(r) for r in a.weights]}
        elif ev.event == "OfficeSeated":
            st["holders"][Office(a.office).key] = hexstr(a.personId)
            if a.office == Office.SECRETARY:
                st["last_secretary"] = hexstr(a.personId)
        elif ev.event == "PriorSecretaryDeclared":
            st["last_secretary"] = hexstr(a.personId)
        elif ev.event == "OfficeVacated":
            st["holders"][Office(a.office).key] = None
            st["last_holders"][Office(a.office).key] = hexstr(a.personId)  # the next handover's outgoing party (R-DOC-7)
        elif ev.event == "RoleGranted":
            st["roles"].setdefault(hexstr(a.role), set()).add(a.account)
        elif ev.event == "RoleRevoked":
            st["roles"].setdefault(hexstr(a.role), set()).discard(a.account)
    return st


def state_jurisdiction(chain: Chain, contract: Contract, roles: dict[str, set[str]]) -> dict[str, Any]:
    f = contract.functions
    holders = chain.call(f.holders())
    return {
        "code": chain.call(f.code()),
        "name": chain.call(f.name()),
        "params": list(chain.call(f.params())),
        "weights": [list(r) for r in chain.call(f.weights())],
        "holders": {o.key: (hexstr(h) if any(h) else None) for o, h in zip(Office, holders)},
        "last_secretary": (lambda h: hexstr(h) if any(h) else None)(chain.call(f.lastSecretary())),
        "last_holders": {o.key: (hexstr(h) if any(h := bytes(chain.call(f.lastHolder(int(o))))) else None) for o in Office},
        # AccessControl has no enumeration: check every account the log names, for every role it names
        "roles": {r: {a for a in accts if chain.call(f.hasRole(bytes.fromhex(r[2:]), a))} for r, accts in roles.items()},
    }


# ---------------------------------------------------------------------------- PersonRegistry


PERSONS_EVENTS = ("PersonRegistered", "KeyRotated", "TermRecorded", "Blacklisted", "Engaged")


def rebuild_persons(contract: Contract, from_block: int = 0) -> dict[str, Any]:
    return fold_persons(event_logs(contract, PERSONS_EVENTS, from_block))


def fold_persons(events: Events) -> dict[str, Any]:
    """:func:`rebuild_persons` over given events (in chain order)."""
    people: dict[str, dict[str, Any]] = {}
    for ev in events:
        a = ev.args
        pid = hexstr(a.personId)
        if ev.event == "PersonRegistered":
            people[pid] = {"key": a.key, "identity": hexstr(a.identity), "blacklisted": False, "terms": [0] * len(Office), "engaged": (ZERO_ADDRESS, False)}
        elif ev.event == "KeyRotated":
            people[pid]["key"] = a.newKey
        elif ev.event == "TermRecorded":
            people[pid]["terms"][a.office] = int(a.total)
        elif ev.event == "Blacklisted":
            people[pid]["blacklisted"] = True
        elif ev.event == "Engaged":  # elected or seated where (zero: released)
            people[pid]["engaged"] = (a.jurisdiction, bool(a.seated))
    return people


def state_persons(chain: Chain, contract: Contract, ids: Iterable[str]) -> dict[str, Any]:
    f = contract.functions
    out = {}
    for pid in ids:
        raw = bytes.fromhex(pid[2:])
        out[pid] = {
            "key": chain.call(f.keyOf(raw)),
            "identity": hexstr(chain.call(f.identityOf(raw))),
            "blacklisted": chain.call(f.isBlacklisted(raw)),
            "terms": [int(chain.call(f.termsServed(raw, o))) for o in Office],
            "engaged": tuple(chain.call(f.engagement(raw))),
        }
    return out


# ---------------------------------------------------------------------------- Election and its BallotBox


ELECTION_EVENTS = ("PhaseChanged", "CandidateAdded", "CandidateVetted", "VotersRegistered", "PollScheduled", "FinalistsChanged", "Struck", "ElectedChanged", "OfficeAssigned", "SeatingRefused")
BALLOT_BOX_EVENTS = (
    "RoundCreated", "RoundOpened", "BallotRevealed", "SealedBatchCounted", "RoundTallied", "BallotCommitted",
    "IssuerKeyPublished", "CredentialIssued", "CredentialRegistered", "ForgeryProven",
)  # fmt: skip


def rebuild_election(election: Contract, box: Contract, from_block: int = 0) -> dict[str, Any]:
    return fold_election(event_logs(election, ELECTION_EVENTS, from_block), event_logs(box, BALLOT_BOX_EVENTS, from_block))


def fold_election(election_events: Events, box_events: Events) -> dict[str, Any]:
    """:func:`rebuild_election` over given events of the election and of its ballot box (each in chain order)."""
    st: dict[str, Any] = {"phase": 0, "candidates": [], "vetting": {}, "rolls": [0, 0], "finalists": [], "elected": [], "offices": [None] * 5, "polls": {}}
    st["credentials"] = {"issuer_key": "0x", "counts": [[0, 0, False], [0, 0, False]]}
    for ev in election_events:
        a = ev.args
        if ev.event == "PhaseChanged":
            st["phase"] = int(a.phase)
        elif ev.event == "CandidateAdded":
            st["candidates"].append(hexstr(a.personId))
        elif ev.event == "CandidateVetted":
            st["vetting"][hexstr(a.personId)] = (bool(a.passed), int(a.failedMask))
        elif ev.event == "VotersRegistered":
            st["rolls"][a.electorate] = int(a.rollSize)
        elif ev.event == "PollScheduled":
            st["polls"][int(a.round)] = {"purpose": int(a.purpose), "candidates": [hexstr(c) for c in a.candidates], "seats": int(a.seats)}
        elif ev.event == "FinalistsChanged":
            st["finalists"] = sorted(hexstr(c) for c in a.finalists)
        elif ev.event == "Struck":
            st["finalists"] = sorted(c for c in st["finalists"] if c != hexstr(a.personId))
        elif ev.event == "ElectedChanged":
            st["elected"] = sorted(hexstr(c) for c in a.elected)
        elif ev.event == "OfficeAssigned":  # a zero person: left vacant (R-TL-1, R-TC-3)
            st["offices"][a.office] = hexstr(a.personId) if any(a.personId) else None
        elif ev.event == "SeatingRefused":  # checked again at seating: offices derived anew
            st["offices"] = [None] * 5
            if a.reason < 4:  # blacklisted, demerit, engaged elsewhere: out of the five (vetting failed)
                pid = hexstr(a.personId)
                st["vetting"][pid] = (False, st["vetting"].get(pid, (False, 0))[1])
    # the ballot box: re-tally every poll from the opened ballots alone
    for ev in box_events:
        a = ev.args
        cred = st["credentials"]
        if ev.event == "IssuerKeyPublished":
            cred["issuer_key"] = hexstr(a.modulus)
            continue
        if ev.event in ("CredentialIssued", "CredentialRegistered", "ForgeryProven"):
            i = {"CredentialIssued": 0, "CredentialRegistered": 1, "ForgeryProven": 2}[ev.event]
            cred["counts"][a.electorate][i] = True if i == 2 else cred["counts"][a.electorate][i] + 1
            continue
        p = st["polls"].setdefault(int(a.round), {})
        if ev.event == "RoundCreated":  # by the election, or a POLL_CLIENT (TeamCompletion's confirmations)
            for k, v in (("purpose", 0), ("candidates", []), ("seats", 0)):  # not one of the election's polls
                p.setdefault(k, v)
            p |= {"creator": a.creator, "votes": [0] * a.candidateCount, "cast": 0, "invalid": 0, "status": 1, "open_deadline": int(a.openDeadline), "closes_at": 0, "reveal_deadline": 0}
        elif ev.event == "RoundOpened":  # by the authority, or the upper committee once overdue (R-EL-11)
            p |= {"status": 2, "closes_at": int(a.closesAt), "reveal_deadline": int(a.revealDeadline), "opened_by": a.openedBy}
        elif ev.event == "BallotCommitted":
            p["cast"] += 1
        elif ev.event == "BallotRevealed":
            for i in range(len(p["votes"])):
                p["votes"][i] += (int(a.mask) >> i) & 1
        elif ev.event == "SealedBatchCounted":  # a whole batch decrypted by the scrutiny contract (R-EL-13)
            p["votes"] = [v + int(d) for v, d in zip(p["votes"], a.votes)]
            p["invalid"] += int(a.invalid)
        elif ev.event == "RoundTallied":
            p["status"] = 3 if a.quorum else 4
    return st


def state_election(chain: Chain, election: Contract, box: Contract) -> dict[str, Any]:
    f = election.functions
    n = int(chain.call(f.candidateCount()))
    cands = [chain.call(f.candidate(i)) for i in range(n)]
    polls = {}
    for r in range(int(chain.call(box.functions.roundCount()))):
        purpose, seats, _ = chain.call(f.poll(r))
        rnd = chain.call(box.functions.getRound(r))
        status = int(rnd[0])
        votes = list(chain.call(box.functions.votes(r))) if status >= 3 else None
        polls[r] = {"purpose": int(purpose), "candidates": [hexstr(c) for c in chain.call(f.pollCandidates(r))], "seats": int(seats), "votes": votes, "cast": int(rnd[4]), "status": status}
        polls[r]["invalid"] = int(chain.call(box.functions.invalidBallots(r)))
        polls[r] |= {"open_deadline": int(chain.call(box.functions.openDeadline(r))), "closes_at": int(rnd[6]), "reveal_deadline": int(rnd[7])}
        polls[r]["creator"] = chain.call(box.functions.roundCreator(r))
    return {
        "phase": int(chain.call(f.phase())),
        "candidates": [hexstr(c[0]) for c in cands],
        "vetting": {hexstr(c[0]): (c[1] == 1, int(c[2])) for c in cands if c[1] != 0},
        "rolls": [int(chain.call(f.roll(e))[0]) for e in (0, 1)],
        "finalists": sorted(hexstr(c) for c in chain.call(f.finalists())),
        "elected": sorted(hexstr(c) for c in chain.call(f.elected())),
        "offices": [(hexstr(c) if any(c) else None) for c in chain.call(f.offices())],
        "polls": polls,
        "credentials": {
            "issuer_key": hexstr(chain.call(box.functions.issuerKey())),
            "counts": [list(chain.call(box.functions.credentialCounts(e))) for e in (0, 1)],
        },
    }


def comparable_polls(rebuilt: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Rebuilt polls in the shape of ``state_election`` (votes shown once a poll is tallied; who opened
    a poll is in its ``RoundOpened`` event only)."""
    out = {}
    for r, p in rebuilt.items():
        out[r] = {**{k: v for k, v in p.items() if k != "opened_by"}, "votes": p["votes"] if p["status"] >= 3 else None}
    return out
