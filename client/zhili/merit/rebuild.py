"""Rebuild the merit contracts' state from their events alone, and read the same state from storage
(``MeritBook``, ``MeritLedger``, ``Succession``; the pattern of :mod:`zhili.rebuild`).

The two dicts must be equal (``tests/merit/test_merit.py``): the public log tells the whole story of the
ledgers (R-MR-1), every case (R-MR-10, R-MR-11), offsets (R-MR-12) and the succession order and
cycles (R-SU-1 … R-SU-5). Nothing is re-decided: the events carry the decisions, the fold replays them.
"""

from __future__ import annotations

from typing import Any

from web3.contract import Contract

from ..core.chain import Chain
from ..rebuild import Events, event_logs, hexstr

_CASE_FIELDS = (
    "accused", "commitment", "evidenceHash", "decisionHash", "seal1", "seal2", "reviewer1", "filedAt", "stage",
    "class", "claimed", "round", "reviewer2", "reviewedAt", "yes", "no", "open1", "open2", "publishedAt",
    "appealDeadline", "answerDeadline", "closedAt", "reviewDeadline",
)  # fmt: skip
_ZERO = "0x" + "00" * 32
_NOBODY = "0x0000000000000000000000000000000000000000"


def _blank_case() -> dict[str, Any]:
    c: dict[str, Any] = {k: 0 for k in _CASE_FIELDS}
    for k in ("accused", "commitment", "evidenceHash", "decisionHash", "seal1", "seal2"):
        c[k] = _ZERO
    c["reviewer1"] = c["reviewer2"] = _NOBODY
    c["open1"] = c["open2"] = False
    return c


BOOK_EVENTS = ("EntryAppended", "EntryOffset")
LEDGER_EVENTS = ("TableSet", "CommitteeSizeSet", "ReportFiled", "ReviewersAssigned", "ReviewSealed", "ReviewOpened",
                 "InitialReviewDone", "Rechecked", "DecisionProposed", "Voted", "DecisionVoted", "Published", "Appealed",
                 "AppealEscalated", "CaseClosed", "OffsetRequested", "OffsetApproved")  # fmt: skip
SUCCESSION_EVENTS = ("OrderChanged", "CycleOpened", "CycleClosed", "BasisSet")


def rebuild_merit(ledger: Contract, book: Contract, succession: Contract, from_block: int = 0) -> dict[str, Any]:
    return fold_merit(event_logs(ledger, LEDGER_EVENTS, from_block), event_logs(book, BOOK_EVENTS, from_block), event_logs(succession, SUCCESSION_EVENTS, from_block))


def fold_merit(ledger_events: Events, book_events: Events, succession_events: Events) -> dict[str, Any]:
    """:func:`rebuild_merit` over given events of the three contracts (each in chain order)."""
    people: dict[str, dict[str, int]] = {}
    entries: dict[int, dict[str, Any]] = {}
    for ev in book_events:
        a = ev.args
        if ev.event == "EntryAppended":
            t = people.setdefault(hexstr(a.personId), {"merit": 0, "demerit": 0, "earned": 0, "entries": 0})
            t["merit" if a.ledger == 0 else "demerit"] += int(a.points)
            if a.ledger == 0 and a.points > 0:
                t["earned"] += int(a.points)
            t["entries"] += 1
            entries[int(a.id)] = {"offset": False}
        else:
            entries[int(a.entryId)]["offset"] = True

    cases: dict[int, dict[str, Any]] = {}
    offsets: dict[int, dict[str, Any]] = {}
    st: dict[str, Any] = {"people": people, "entries": entries, "cases": cases, "offsets": offsets}
    for ev in ledger_events:
        a = ev.args
        e = ev.event
        if e == "TableSet":
            st["committeeSize"] = int(a.committeeSize)
        elif e == "CommitteeSizeSet":
            st["committeeSize"] = int(a.size)
        elif e == "OffsetRequested":
            offsets[int(a.requestId)] = {"personId": hexstr(a.personId), "entryId": int(a.entryId), "points": int(a.points), "approvals": 0, "done": False, "levels": 0}
        elif e == "OffsetApproved":
            o = offsets[int(a.requestId)]
            o |= {"approvals": int(a.approvals), "done": bool(a.done), "levels": o["levels"] | (1 << (int(a.level) - 1))}
        else:
            c = cases.setdefault(int(a.caseId), _blank_case())
            if e == "ReportFiled":
                c |= {"accused": hexstr(a.accused), "commitment": hexstr(a.commitment), "evidenceHash": hexstr(a.evidenceHash),
                      "filedAt": int(a.at), "stage": 1, "class": int(a["class"]), "claimed": int(a.claimed)}  # fmt: skip
            elif e == "ReviewersAssigned":
                c |= {"reviewer1": a.reviewer1, "reviewer2": a.reviewer2, "stage": 2, "reviewDeadline": int(a.reviewDeadline)}
                if a.reassigned:  # R-MR-10: the missed review starts over
                    c |= {"seal1": _ZERO, "seal2": _ZERO, "open1": False, "open2": False}
            elif e == "ReviewSealed":
                c["seal1" if a.reviewer == c["reviewer1"] else "seal2"] = hexstr(a.seal)
            elif e == "ReviewOpened":
                first = a.reviewer == c["reviewer1"]
                c |= {"open1" if first else "open2": True, "seal1" if first else "seal2": _ZERO}
            elif e == "InitialReviewDone":
                c |= {"stage": 3, "reviewedAt": int(a.at)}
            elif e == "Rechecked":
                c["stage"] = 4
            elif e == "DecisionProposed":
                c |= {"stage": 5, "round": int(a.round), "decisionHash": hexstr(a.decisionHash), "yes": 0, "no": 0}
            elif e == "Voted":
                c["yes" if a.yes else "no"] += 1
            elif e == "DecisionVoted":
                c |= {"stage": 6} if a.adopted else {"stage": 4, "decisionHash": _ZERO}
            elif e == "Published":
                c |= {"stage": 7, "publishedAt": int(a.at), "appealDeadline": int(a.appealDeadline)}
            elif e == "Appealed":
                c |= {"stage": 8, "answerDeadline": int(a.answerDeadline)}
            elif e == "AppealEscalated":
                c |= {"stage": 11, "answerDeadline": int(a.answerDeadline)}
            elif e == "CaseClosed":
                c |= {"stage": 9 if a.final_ else 10, "closedAt": int(a.at)}

    order: list[str] = []
    cyc = {"cycle": 0, "cycleOpen": False, "zeroStreak": 0, "streakHolder": _ZERO, "cycleOpenedAt": 0}
    basis = 0
    for ev in succession_events:
        a = ev.args
        if ev.event == "OrderChanged":
            order = [hexstr(p) for p in a.order]
        elif ev.event == "BasisSet":
            basis = int(a.seatedAt)
        elif ev.event == "CycleOpened":
            cyc |= {"cycle": int(a.cycle), "cycleOpen": True, "cycleOpenedAt": int(a.at)}
        else:
            cyc |= {"cycleOpen": False, "zeroStreak": int(a.streak), "streakHolder": hexstr(a.holder)}
    st["order"] = order
    st["basis"] = basis
    st["cycles"] = cyc
    return st


def state_merit(chain: Chain, ledger: Contract, book: Contract, succession: Contract, people: list[str]) -> dict[str, Any]:
    """The same as :func:`rebuild_merit`, read from storage (``people``: the ids the rebuild found)."""
    b, f, s = book.functions, ledger.functions, succession.functions
    tot = {}
    for p in people:
        m, d, e, n = chain.call(b.totals(bytes.fromhex(p[2:])))
        tot[p] = {"merit": int(m), "demerit": int(d), "earned": int(e), "entries": int(n)}
    cases = {}
    for cid in range(1, int(chain.call(f.caseCount())) + 1):
        raw = chain.call(f.caseOf(cid))
        c = dict(zip(_CASE_FIELDS, raw))
        cases[cid] = {k: (hexstr(v) if isinstance(v, bytes) else (bool(v) if isinstance(v, bool) else (v if isinstance(v, str) else int(v)))) for k, v in c.items()}
    offsets = {}
    for rid in range(1, int(chain.call(f.offsetCount())) + 1):
        pid, _ref, entry, points, approvals, done, levels = chain.call(f.offsetRequest(rid))
        offsets[rid] = {"personId": hexstr(pid), "entryId": int(entry), "points": int(points), "approvals": int(approvals), "done": bool(done), "levels": int(levels)}
    return {
        "people": tot,
        "entries": {i: {"offset": bool(chain.call(b.isOffset(i)))} for i in range(1, int(chain.call(b.entryCount())) + 1)},
        "cases": cases,
        "offsets": offsets,
        "committeeSize": int(chain.call(f.committeeSize())),
        "order": [hexstr(p) for p in chain.call(s.order())],
        "basis": int(chain.call(s.basis())),
        "cycles": {
            "cycle": int(chain.call(s.cycle())),
            "cycleOpen": bool(chain.call(s.cycleOpen())),
            "zeroStreak": int(chain.call(s.zeroStreak())),
            "streakHolder": hexstr(chain.call(s.streakHolder())),
            "cycleOpenedAt": int(chain.call(s.cycleOpenedAt())),
        },
    }
