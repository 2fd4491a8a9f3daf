"""Rebuild ``Council``, ``CouncilMinutes`` and ``TeamCompletion`` from their events alone, and read the
same state from their views (the pattern of :mod:`zhili.rebuild`).

The two dicts must be equal (``tests/scenario/test_scenario.py (test_rebuild_bundled_scenarios_from_logs)`` for the bundled scenarios,
``tests/council/test_council_rebuild.py`` for back-fills, seal uses and appointments). Nothing is re-decided:
tallies, settlements and first responsible persons come from the events; the fold only replays them.
Like :mod:`zhili.evidence.handover`, times that a contract takes from ``block.timestamp`` without logging
them (when a motion was opened or closed, when an appointment was made or settled) are the
timestamps of the blocks holding the logs.

What the council's log does not repeat comes from the jurisdiction's log (``rebuild_jurisdiction``):
the weight matrix and threshold the council copied at construction (``JurisdictionCreated``), and
the current holders, from which a motion that has no roster yet finds its lead (R-WD-4).

Views that depend on the clock (``stage``) are compared at one block: ``now`` is that block's
timestamp, ``block`` its number.
"""

from __future__ import annotations

from typing import Any

from web3.contract import Contract
from web3.types import BlockIdentifier

from ..core.chain import Chain, ContractRevert
from ..council.client import Phase, Status, basis_hash
from ..council.team import NO_OFFICE, Body, Step, TeamKind
from ..rebuild import Clock, Events, event_logs, hexstr
from ..types import CORE_OFFICES, Category

_N = len(CORE_OFFICES)
_ZERO = "0x" + "00" * 32
RING = 32  # Council.RING: sealed votes of motion id live in ring slot id % RING
PROPOSED, DISPUTED, CLASSIFIED, VOTING, PASSED, REJECTED, WITHDRAWN = (int(s) for s in list(Status)[1:])
FLAG_BACKFILLED, FLAG_OVER_BUDGET, FLAG_LEAD_DECLINED = 1, 2, 4  # Council.FLAG_*


class _Clock:
    """Block timestamps, fetched once per block."""

    def __init__(self, w3: Any) -> None:
        self.w3 = w3
        self._ts: dict[int, int] = {}

    def __call__(self, ev: Any) -> int:
        n = int(ev.blockNumber)
        if n not in self._ts:
            self._ts[n] = int(self.w3.eth.get_block(n)["timestamp"])
        return self._ts[n]


def _threshold(jurisdiction: dict[str, Any]) -> int:
    return int(jurisdiction["params"][2])  # Jurisdiction.Params: kind, profileHash, threshold, …


def _tally(votes: int, weights: list[int]) -> list[int]:
    out = [0, 0, 0]
    for o in range(_N):
        v = (votes >> (2 * o)) & 3
        if v:
            out[v - 1] += weights[o]
    return out


def _lead(weights: list[int], members: list[str | None]) -> int | None:
    """``Council._lead``: the seated office with the top weight, precedence breaking ties (R-WD-4)."""
    best = None
    for o in range(_N):
        if members[o] is not None and (best is None or weights[o] > weights[best]):
            best = o
    return best


def _stage(m: dict[str, Any], now: int) -> int:
    """``Council.stage``: the stored status seen at time ``now``."""
    s = m["status"]
    if s == PROPOSED:
        p = Phase.CLASSIFICATION if now < m["openedAt"] + m["classifyWindow"] else Phase.AWAITING_OPINION
    elif s == DISPUTED:
        p = Phase.DISPUTE
    elif s == CLASSIFIED:
        p = Phase.AWAITING_OPINION
    elif s == VOTING:
        p = Phase.VOTING if now < m["endsAt"] else (Phase.REVEALING if now < m["endsAt"] + m["revealWindow"] else Phase.COUNTING)
    else:
        p = {PASSED: Phase.PASSED, REJECTED: Phase.REJECTED, WITHDRAWN: Phase.WITHDRAWN}[s]
    return int(p)


def _decision(m: dict[str, Any], threshold: int) -> dict[str, Any] | None:
    """``ICouncilDecisions.decision`` (reverts, here ``None``, while undecided)."""
    if m["status"] not in (PASSED, REJECTED):
        return None
    return {
        "category": m["category"], "passed": m["status"] == PASSED, "backfilled": bool(m["flags"] & FLAG_BACKFILLED),
        "yesWeight": m["tally"][0], "threshold": threshold, "decidedAt": m["decidedAt"],
        "firstResponsible": m["firstResponsible"], "budgetLine": m["budgetLine"], "amount": m["amount"], "basisHash": m["basisHash"],
    }  # fmt: skip


# ---------------------------------------------------------------------------- Council


COUNCIL_EVENTS = ("MotionProposed", "MotionBudget", "BudgetLineRegistered", "CategoryDisputed", "DisputeVoted", "DisputeSettled",
                  "RosterRecorded", "LeadOpinion", "LeadDeclined", "VoteSealed", "VotesUnsealed", "VoteRevealed", "MotionDecided", "MotionWithdrawn",
                  "BudgetApproved", "BudgetSpent", "Backfilled")  # fmt: skip


def rebuild_council(contract: Contract, jurisdiction: dict[str, Any], from_block: int = 0, now: int | None = None) -> dict[str, Any]:
    """A council's whole state from its events: motions (kind, category, status, flags, windows,
    weight row, roster, positions, tally, lead, sealed votes, stage at ``now``, decision record,
    basis hash, budget line), disputes, rosters and budget lines (R-WD-1 … R-WD-8, R-TC-3).
    ``jurisdiction`` is :func:`zhili.rebuild.rebuild_jurisdiction` of the council's jurisdiction;
    ``now`` defaults to the latest block's timestamp."""
    if now is None:
        now = int(contract.w3.eth.get_block("latest")["timestamp"])
    return fold_council(event_logs(contract, COUNCIL_EVENTS, from_block), jurisdiction, _Clock(contract.w3), now)


def fold_council(events: Events, jurisdiction: dict[str, Any], at: Clock, now: int) -> dict[str, Any]:
    """:func:`rebuild_council` over given events (in chain order), with their blocks' times from ``at``."""
    matrix = jurisdiction["weights"]
    threshold = _threshold(jurisdiction)
    motions: dict[int, dict[str, Any]] = {}
    rosters: dict[int, list[str | None]] = {}
    lines: dict[str, dict[str, int]] = {}
    ring: dict[tuple[int, int], int] = {}  # (id % RING, office) -> last motion that sealed a vote there
    for ev in events:
        a, e = ev.args, ev.event
        if e == "RosterRecorded":
            rosters[int(a.roster)] = [hexstr(p) if any(p) else None for p in a.members]
        elif e == "BudgetLineRegistered":
            lines[hexstr(a.budgetLine)] = {"index": int(a.index), "year": int(a.year), "approved": 0, "spent": 0}
        elif e == "BudgetApproved":
            lines[hexstr(a.budgetLine)]["approved"] = int(a.approved)
        elif e == "BudgetSpent":
            lines[hexstr(a.budgetLine)]["spent"] = int(a.spent)
        elif e == "MotionProposed":
            t = a.timing
            opened = at(ev)
            motions[int(a.id)] = {
                "kind": int(a.kind), "category": int(a.category), "status": PROPOSED, "flags": 0, "votes": 0,
                "weights": list(matrix[a.category]), "roster": 0, "openedAt": opened,
                # a back-fill logs no windows (zeros); a proposal logs the end of classification
                "classifyWindow": int(t.classifyEnd) - opened if t.classifyEnd else 0,
                "voteWindow": int(t.voteWindow), "revealWindow": int(t.revealWindow), "endsAt": 0,
                "basisHash": hexstr(basis_hash(a.basisRefs, a.planId)),
                "budgetLine": _ZERO, "amount": 0, "decidedAt": 0, "firstResponsible": _ZERO,
                "dispute": {"alternative": 0, "endsAt": 0, "yesMask": 0, "noMask": 0, "weights": [0] * _N, "disputer": 0},
            }  # fmt: skip
        else:
            m = motions[int(a.id)]
            if e == "MotionBudget":
                m |= {"budgetLine": hexstr(a.budgetLine), "amount": int(a.amount)}
            elif e == "CategoryDisputed":
                m["status"] = DISPUTED
                m["dispute"] |= {"alternative": int(a.alternative), "endsAt": int(a.endsAt), "disputer": int(a.office),
                                 "weights": list(matrix[Category.STRATEGIC])}  # fmt: skip  # R-WD-3
            elif e == "DisputeVoted":
                m["dispute"]["yesMask" if a.support else "noMask"] |= 1 << int(a.office)
            elif e == "DisputeSettled":
                m |= {"status": CLASSIFIED, "category": int(a.category), "weights": list(matrix[a.category])}
            elif e == "LeadOpinion":
                m |= {"status": VOTING, "roster": int(a.roster), "endsAt": int(a.voteEnd)}
            elif e == "LeadDeclined":  # R-WD-4: the lead's silence ran out; recorded on the motion
                m |= {"status": VOTING, "roster": int(a.roster), "endsAt": int(a.voteEnd), "flags": m["flags"] | FLAG_LEAD_DECLINED}
            elif e == "VoteSealed":
                ring[(int(a.id) % RING, int(a.office))] = int(a.id)
            elif e == "VotesUnsealed":
                m["endsAt"] = int(a.at)
            elif e == "VoteRevealed":
                m["votes"] |= int(a.position) << (2 * int(a.office))
            elif e == "Backfilled":
                # recorded with the latest roster (the current holders), decided at the meeting time (R-WD-8)
                m |= {"status": VOTING, "flags": FLAG_BACKFILLED, "votes": int(a.votes), "roster": max(rosters, default=0),
                      "endsAt": int(a.meetingTime)}  # fmt: skip
            elif e == "MotionDecided":
                decided = m["endsAt"] if m["flags"] & FLAG_BACKFILLED else at(ev)
                m |= {"status": PASSED if a.passed else REJECTED, "endsAt": decided, "decidedAt": decided,
                      "firstResponsible": hexstr(a.firstResponsible)}  # fmt: skip
                if a.overBudget:
                    m["flags"] |= FLAG_OVER_BUDGET
            elif e == "MotionWithdrawn":
                m["status"] = WITHDRAWN
    holders = [jurisdiction["holders"][o.key] for o in CORE_OFFICES]
    for mid, m in motions.items():
        members: list[str | None] = rosters[m["roster"]] if m["roster"] else [None] * _N
        m["members"] = members
        m["positions"] = [(m["votes"] >> (2 * o)) & 3 for o in range(_N)]
        m["tally"] = _tally(m["votes"], m["weights"])
        m["lead"] = _lead(m["weights"], members if m["roster"] else holders)
        m["sealed"] = [[ring.get((mid % RING, o)) == mid or bool((m["votes"] >> (2 * o)) & 3), bool((m["votes"] >> (2 * o)) & 3)]
                       for o in range(_N)]  # fmt: skip
        m["stage"] = _stage(m, now)
        m["decision"] = _decision(m, threshold)
    return {
        "motionCount": len(motions),
        "rosterCount": len(rosters),
        "threshold": threshold,
        "motions": motions,
        "rosters": rosters,
        "budgetLines": sorted(lines, key=lambda k: lines[k]["index"]),
        "lines": lines,
    }


def state_council(chain: Chain, contract: Contract, block: BlockIdentifier = "latest") -> dict[str, Any]:
    """The same as :func:`rebuild_council`, read from the council's views at ``block``."""
    f = contract.functions

    def call(fn: Any) -> Any:
        return chain.call(fn, block=block)

    threshold = int(call(f.threshold()))
    motions = {}
    for mid in range(1, int(call(f.motionCount())) + 1):
        raw, basis, line, amount, decided_at, responsible = call(f.motion(mid))
        kind, category, status, flags, votes, _w, roster, opened, cw, vw, rw, ends = raw
        members, weights, positions = call(f.positions(mid))
        alt, d_ends, yes_mask, no_mask, d_weights, disputer = call(f.disputeOf(mid))
        try:
            lead: int | None = int(call(f.lead(mid)))
        except ContractRevert:
            lead = None  # NoMembers
        try:
            d = call(f.decision(mid))
            decision: dict[str, Any] | None = {
                "category": int(d[0]), "passed": bool(d[1]), "backfilled": bool(d[2]), "yesWeight": int(d[3]), "threshold": int(d[4]),
                "decidedAt": int(d[5]), "firstResponsible": hexstr(d[6]), "budgetLine": hexstr(d[7]), "amount": int(d[8]), "basisHash": hexstr(d[9]),
            }  # fmt: skip
        except ContractRevert:
            decision = None  # NotDecided
        motions[mid] = {
            "kind": int(kind), "category": int(category), "status": int(status), "flags": int(flags), "votes": int(votes),
            "weights": [int(w) for w in weights], "roster": int(roster), "openedAt": int(opened), "classifyWindow": int(cw),
            "voteWindow": int(vw), "revealWindow": int(rw), "endsAt": int(ends), "basisHash": hexstr(basis), "budgetLine": hexstr(line),
            "amount": int(amount), "decidedAt": int(decided_at), "firstResponsible": hexstr(responsible),
            "dispute": {"alternative": int(alt), "endsAt": int(d_ends), "yesMask": int(yes_mask), "noMask": int(no_mask),
                        "weights": [(int(d_weights) >> (8 * o)) & 0xFF for o in range(_N)], "disputer": int(disputer)},
            "members": [hexstr(p) if any(p) else None for p in members],
            "positions": [int(p) for p in positions],
            "tally": [int(x) for x in call(f.tally(mid))],
            "lead": lead,
            "sealed": [[bool(x) for x in call(f.sealedVote(mid, o))] for o in range(_N)],
            "stage": int(call(f.stage(mid))),
            "decision": decision,
        }  # fmt: skip
    rosters = {r: [hexstr(p) if any(p) else None for p in call(f.roster(r))] for r in range(1, int(call(f.rosterCount())) + 1)}
    ids = [hexstr(x) for x in call(f.budgetLines())]
    lines = {}
    for lid in ids:
        index, year, approved, spent = call(f.budgetLine(bytes.fromhex(lid[2:])))
        lines[lid] = {"index": int(index), "year": int(year), "approved": int(approved), "spent": int(spent)}
    return {
        "motionCount": len(motions),
        "rosterCount": len(rosters),
        "threshold": threshold,
        "motions": motions,
        "rosters": rosters,
        "budgetLines": ids,
        "lines": lines,
    }


# ---------------------------------------------------------------------------- CouncilMinutes


def rebuild_minutes(contract: Contract, from_block: int = 0) -> dict[str, Any]:
    """Back-filled minutes and emergency seal uses from the minutes book's events (R-WD-8).

    Besides what storage can confirm, entries carry what only the log keeps (the book stores the
    signed digests, not their contents): the minutes' hash and lead opinion, the seal uses'
    purposes, times and signers; :func:`comparable_minutes` leaves those out."""
    return fold_minutes(event_logs(contract, MINUTES_EVENTS, from_block))


MINUTES_EVENTS = ("MinutesRecorded", "SealUseRecorded", "OutageRecorded")


def fold_minutes(events: Events) -> dict[str, Any]:
    """:func:`rebuild_minutes` over given events (in chain order)."""
    minutes: dict[int, dict[str, Any]] = {}
    uses: dict[int, dict[str, Any]] = {}
    outages: dict[int, dict[str, Any]] = {}
    for ev in events:
        a = ev.args
        if ev.event == "OutageRecorded":
            outages[int(a.index)] = {"digest": hexstr(a.digest), "startedAt": int(a.startedAt), "endedAt": int(a.endedAt),
                                     "reasonHash": hexstr(a.reasonHash), "signers": [hexstr(a.firstSigner), hexstr(a.secondSigner)]}  # fmt: skip
        elif ev.event == "MinutesRecorded":
            minutes[int(a.id)] = {"digest": hexstr(a.digest), "meetingTime": int(a.meetingTime),
                                  "signers": [hexstr(s) if any(s) else None for s in a.signers],
                                  "minutesHash": hexstr(a.minutesHash), "leadOpinion": hexstr(a.leadOpinion)}  # fmt: skip
        else:
            uses[int(a.index)] = {"digest": hexstr(a.digest), "purposeHash": hexstr(a.purposeHash), "usedAt": int(a.usedAt),
                                  "signers": [hexstr(a.firstSigner), hexstr(a.secondSigner)]}  # fmt: skip
    digests = [m["digest"] for m in minutes.values()] + [u["digest"] for u in uses.values()] + [o["digest"] for o in outages.values()]
    return {"sealUseCount": len(uses), "recorded": {d: True for d in digests}, "minutes": minutes, "sealUses": uses, "outages": outages}


def comparable_minutes(rebuilt: dict[str, Any]) -> dict[str, Any]:
    """Rebuilt minutes in the shape of :func:`state_minutes` (without what only the log keeps)."""
    return {
        "sealUseCount": rebuilt["sealUseCount"],
        "recorded": rebuilt["recorded"],
        "minutes": {i: {k: m[k] for k in ("meetingTime", "signers")} for i, m in rebuilt["minutes"].items()},
        "sealUses": {i: {"digest": u["digest"]} for i, u in rebuilt["sealUses"].items()},
        "outages": {i: {k: o[k] for k in ("startedAt", "endedAt", "digest")} for i, o in rebuilt["outages"].items()},
    }


def state_minutes(chain: Chain, contract: Contract, council: Contract, rebuilt: dict[str, Any]) -> dict[str, Any]:
    """What storage says about the minutes book: the seal-use count, whether each digest the log names
    is recorded, and, from the council, every back-filled motion with its meeting time and signers (the
    members minuted present, on the roster recorded with it). A seal use's digest is recomputed by the
    book's ``sealUseDigest`` from the logged purpose and time (``rebuilt`` names what to ask)."""
    f, c = contract.functions, council.functions
    minutes = {}
    for mid in range(1, int(chain.call(c.motionCount())) + 1):
        raw = chain.call(c.motion(mid))[0]
        if not raw[3] & FLAG_BACKFILLED:
            continue
        members, _w, votes = chain.call(c.positions(mid))
        signers = [hexstr(members[o]) if votes[o] else None for o in range(_N)]
        minutes[mid] = {"meetingTime": int(chain.call(c.decision(mid))[5]), "signers": signers}
    uses = {}
    for i, u in rebuilt["sealUses"].items():
        uses[i] = {"digest": hexstr(chain.call(f.sealUseDigest(bytes.fromhex(u["purposeHash"][2:]), u["usedAt"])))}
    outages = {}
    for i in range(int(chain.call(f.outageCount()))):
        started, ended = chain.call(f.outage(i))
        reason = rebuilt["outages"][i]["reasonHash"] if i in rebuilt["outages"] else _ZERO
        outages[i] = {"startedAt": int(started), "endedAt": int(ended), "digest": hexstr(chain.call(f.outageDigest(bytes.fromhex(reason[2:]), started, ended)))}
    return {
        "sealUseCount": int(chain.call(f.sealUseCount())),
        "recorded": {d: bool(chain.call(f.recorded(bytes.fromhex(d[2:])))) for d in rebuilt["recorded"]},
        "minutes": minutes,
        "sealUses": uses,
        "outages": outages,
    }


# ---------------------------------------------------------------------------- TeamCompletion

_APPOINTMENT = ("kind", "step", "office", "needed", "confirmed", "scheduled", "createdAt", "settledAt", "personId", "post", "motionId", "nominator")
_CONFIRMATION = ("body", "settled", "election", "round", "ids")
_LOG_ONLY = ("contentHash", "consent", "confirmations", "seatingRefused")


def rebuild_team(contract: Contract, from_block: int = 0) -> dict[str, Any]:
    """Every appointment and confirmation poll from the team contract's events (R-TC-1, R-TC-2,
    R-TC-3): kind, step, office, bodies needed, confirmed and scheduled, times, nominee, post, council
    motion, nominator; each poll's body, election, round, appointments and whether it was counted.
    Appointments also carry what only the log keeps: the written nomination's hash, the secretary's
    consent, each poll's count and a refusal at seating (``_LOG_ONLY``; :func:`comparable_team` leaves
    them out)."""
    return fold_team(event_logs(contract, TEAM_EVENTS, from_block), _Clock(contract.w3))


TEAM_EVENTS = ("Nominated", "GovernmentMemberProposed", "Consent", "NominationPassed", "ConfirmationScheduled", "ConfirmationRecorded", "SeatingRefused", "Settled")


def fold_team(events: Events, at: Clock) -> dict[str, Any]:
    """:func:`rebuild_team` over given events (in chain order), with their blocks' times from ``at``."""
    apps: dict[int, dict[str, Any]] = {}
    polls: dict[int, dict[str, Any]] = {}
    for ev in events:
        a, e = ev.args, ev.event
        if e == "ConfirmationScheduled":
            ids = [int(i) for i in a.ids]
            polls[int(a.poll)] = {"body": int(a.body), "settled": 0, "election": str(a.election), "round": int(a.round), "ids": ids}
            for i in ids:
                apps[i]["scheduled"] |= 1 << int(a.body)
            continue
        if e in ("Nominated", "GovernmentMemberProposed"):
            gov = e == "GovernmentMemberProposed"
            apps[int(a.id)] = {
                "kind": int(TeamKind.GOVERNMENT_MEMBER) if gov else int(a.kind), "step": int(Step.PENDING),
                "office": NO_OFFICE if gov else int(a.office), "needed": 1 << Body.PEOPLES_CONGRESS if gov else int(a.needed),
                "confirmed": 0, "scheduled": 0, "createdAt": at(ev), "settledAt": 0,
                "personId": hexstr(a.personId), "post": hexstr(a.post), "motionId": 0 if gov else int(a.motionId),
                "nominator": hexstr(a.administrator) if gov else _ZERO,
                "contentHash": hexstr(a.contentHash) if gov else None, "consent": None, "confirmations": [], "seatingRefused": None,
            }  # fmt: skip
            continue
        p = apps[int(a.id)]
        if e == "Consent":
            p["consent"] = {"secretary": hexstr(a.secretary), "consented": bool(a.consented)}
            if a.consented:
                p["step"] = int(Step.AWAITING_CONFIRMATION)
        elif e == "NominationPassed":
            p["step"] = int(Step.AWAITING_CONFIRMATION)
        elif e == "ConfirmationRecorded":
            polls[int(a.poll)]["settled"] = 1
            p["confirmations"].append({"body": int(a.body), "poll": int(a.poll), "for": int(a.votesFor),
                                       "registered": int(a.registered), "confirmed": bool(a.confirmed)})  # fmt: skip
            if a.confirmed:
                p["confirmed"] |= 1 << int(a.body)
        elif e == "SeatingRefused":
            p["seatingRefused"] = hexstr(a.reason)
        elif e == "Settled":
            p |= {"step": int(a.step), "settledAt": at(ev)}
    return {"appointmentCount": len(apps), "appointments": apps, "confirmationCount": len(polls), "confirmations": polls}


def comparable_team(rebuilt: dict[str, Any]) -> dict[str, Any]:
    """Rebuilt appointments in the shape of :func:`state_team` (without what only the log keeps)."""
    return {
        "appointmentCount": rebuilt["appointmentCount"],
        "appointments": {i: {k: v for k, v in p.items() if k not in _LOG_ONLY} for i, p in rebuilt["appointments"].items()},
        "confirmationCount": rebuilt["confirmationCount"],
        "confirmations": rebuilt["confirmations"],
    }


def state_team(chain: Chain, contract: Contract) -> dict[str, Any]:
    f = contract.functions
    apps = {}
    for i in range(int(chain.call(f.appointmentCount()))):
        raw = dict(zip(_APPOINTMENT, chain.call(f.appointment(i))))
        apps[i] = {k: (hexstr(v) if isinstance(v, bytes) else int(v)) for k, v in raw.items()}
    polls = {}
    for i in range(int(chain.call(f.confirmationCount()))):
        c = dict(zip(_CONFIRMATION, chain.call(f.confirmation(i))))
        polls[i] = {"body": int(c["body"]), "settled": int(c["settled"]), "election": str(c["election"]), "round": int(c["round"]), "ids": [int(x) for x in c["ids"]]}
    return {"appointmentCount": len(apps), "appointments": apps, "confirmationCount": len(polls), "confirmations": polls}
