"""Rebuild a village's state from its events alone, and read the same state from storage
(``VillageLedger``, ``VillageQuarters``, ``CreditSupermarket``; the pattern of :mod:`zhili.rebuild`).

The two dicts must be equal (``tests/village/test_village_rebuild.py``): the public log tells the whole
story (R-VC-11): the roll, contracts, lists and votes, months, every declaration, verification and
negative item, the running totals, publications, objections and rulings, grades and consequences,
the catalogue, balances and redemptions. Nothing is re-decided: the events carry the decisions.
"""

from __future__ import annotations

from typing import Any

from web3.contract import Contract

from ..core.chain import Chain
from ..rebuild import Events, event_logs, hexstr

_KIND_FIELDS = ((1, "party"), (2, "rep"), (4, "credit"))


def _totals_add(t: dict[str, list[int]], key: str, kinds: int, value: int, penalty: bool) -> None:
    row = t.setdefault(key, [0] * 6)
    for n, (bit, _) in enumerate(_KIND_FIELDS):
        if kinds & bit:
            row[2 * n + (1 if penalty else 0)] += value


LEDGER_EVENTS = ("ManualSet", "QuartersSet", "MemberSet", "KeySynced", "ContractSigned", "ListProposed", "ListVoted", "ListDecided",
                 "MonthOpened", "Declared", "Verified", "NegativeRecorded", "QuarterFrozen", "SeatVacated")  # fmt: skip
QUARTERS_EVENTS = ("PublicationStarted", "Standing", "QuarterPublished", "Objected", "RulingVoted", "ObjectionRuled", "QuarterFinal",
                   "Graded", "RectificationDue", "Rectified", "SeatLost", "ReferredToBranch", "HelperAssigned")  # fmt: skip
MARKET_EVENTS = ("ItemSet", "Restocked", "BonusSet", "Credited", "Redeemed")


def rebuild_village(ledger: Contract, quarters: Contract, market: Contract | None, from_block: int = 0) -> dict[str, Any]:
    """The village's state folded from its events (read from the node)."""
    return fold_village(
        event_logs(ledger, LEDGER_EVENTS, from_block), event_logs(quarters, QUARTERS_EVENTS, from_block),
        None if market is None else event_logs(market, MARKET_EVENTS, from_block),
    )  # fmt: skip


def fold_village(ledger_events: Events, quarters_events: Events, market_events: Events | None) -> dict[str, Any]:
    """:func:`rebuild_village` over given events of the three contracts (each in chain order; the
    indexer's stored logs, :mod:`zhili.index`). ``ranks`` (quarter:idx -> rank, the published
    ``Standing``) and ``referred`` are kept besides the storage's keys: no view returns them."""
    st: dict[str, Any] = {"members": {}, "colours": {}, "holders": {}, "lists": {}, "criteria": {}, "months": {}, "declarations": {}, "totals": {}, "frozen": []}
    holders = st["holders"]  # idx -> [colourYear, colours]: the record moves with the person's key
    reps = council = 0
    members, lists, decls, totals = st["members"], st["lists"], st["declarations"], st["totals"]
    adopted: list[int] = []
    for ev in ledger_events:
        a, e = ev.args, ev.event
        if e == "ManualSet":
            st["manual"] = list(a.manual.values()) if hasattr(a.manual, "values") else list(a.manual)
        elif e == "QuartersSet":
            st["quartersContract"] = a.quarters
        elif e == "MemberSet":
            if int(a.idx) not in members:  # the enrolment (a person's first event) sets no functions
                members[int(a.idx)] = {"person": hexstr(a.person), "key": a.key, "roles": 0, "team": 0, "since": 0}
                continue
            m = members[int(a.idx)]
            old = m["roles"]
            reps += bool(a.roles & 2) - bool(old & 2)
            council += bool(a.roles & 4) - bool(old & 4)
            m |= {"roles": int(a.roles), "team": int(a.team), "since": ev.blockNumber if (a.roles ^ old) & 2 else m["since"]}
        elif e == "KeySynced":
            members[int(a.idx)]["key"] = a.key
        elif e == "ContractSigned":
            k = f"{int(a.idx)}:{int(a.year)}"
            st["colours"][k] = st["colours"].get(k, 0) | (1 << int(a.colour))
            h = holders.setdefault(int(a.idx), [0, 0])
            if h[0] <= int(a.year):
                h[1] = (h[1] if h[0] == int(a.year) else 0) | (1 << int(a.colour))
                h[0] = int(a.year)
        elif e == "ListProposed":
            crit = [(int(c["value"]), int(c["kinds"])) for c in a.criteria]
            st["criteria"][int(a.version)] = crit
            lists[int(a.version)] = {"size": len(crit), "positives": int(a.positives), "state": 1, "yes": 0, "no": 0, "roll": int(a.roll),
                                     "proposedBlock": ev.blockNumber, "effectiveFrom": 0}  # fmt: skip
        elif e == "ListVoted":
            lists[int(a.version)] |= {"yes": int(a.yesVotes), "no": int(a.noVotes)}
        elif e == "ListDecided":
            lists[int(a.version)] |= {"state": 2 if a.adopted else 3, "effectiveFrom": int(a.effectiveFrom)}
            if a.adopted:
                adopted.append(int(a.version))
        elif e == "MonthOpened":
            st["months"][int(a.month)] = [int(a.declareClose), int(a.version), int(a.positives), int(a.size), int(a.team), int(a.start), int(a.length)]
        elif e == "Declared":
            decls[int(a.id)] = [int(a.idx), int(a.month), int(a.code), int(a.day), int(a.colours), 1, 0, 0, 0]
        elif e == "Verified":
            d = decls[int(a.id)]
            d[5], d[6], d[7], d[8] = (2 if a.accepted else 3), int(a.kinds), int(a.value), int(a.verifier)
            if a.accepted:
                _totals_add(totals, f"{d[1] // 3}:{d[0]}", int(a.kinds), int(a.value), False)
        elif e == "NegativeRecorded":
            decls[int(a.id)] = [int(a.idx), int(a.month), int(a.code), int(a.day), int(a.colours), 4, int(a.kinds), int(a.value), int(a.recorder)]
            _totals_add(totals, f"{int(a.month) // 3}:{int(a.idx)}", int(a.kinds), int(a.value), True)
        elif e == "QuarterFrozen":
            st["frozen"].append(int(a.quarter))
        elif e == "SeatVacated":
            members[int(a.idx)] |= {"roles": int(a.roles), "since": ev.blockNumber}
            reps -= 1
    st["counts"] = [len(members), reps, council, len(lists)]
    st["holders"] = {i: holders.get(i, [0, 0]) for i in members}
    st["adopted"] = adopted  # in adoption order

    q: dict[str, Any] = {"quarters": {}, "objections": {}, "adjust": {}, "annual": {}, "rect": {}, "helper": {}, "ranks": {}, "referred": []}
    for ev in quarters_events:
        a, e = ev.args, ev.event
        if e == "PublicationStarted":
            q["quarters"][int(a.quarter)] = {"state": 1, "count": int(a.count), "done": 0, "council": int(a.council), "open": 0, "publishedAt": 0, "deadline": 0}
        elif e == "Standing":
            q["quarters"][int(a.quarter)]["done"] = int(a.rank)
            q["ranks"][f"{int(a.quarter)}:{int(a.idx)}"] = int(a.rank)
        elif e == "QuarterPublished":
            q["quarters"][int(a.quarter)] |= {"state": 2, "publishedAt": int(a.publishedAt), "deadline": int(a.deadline)}
        elif e == "Objected":
            q["objections"][int(a.id)] = [int(a.quarter), int(a.subject), int(a.objector), 1, int(a.entry)]
            q["quarters"][int(a.quarter)]["open"] += 1
        elif e == "ObjectionRuled":
            o = q["objections"][int(a.id)]
            o[3] = 2 if a.upheld else 3
            q["quarters"][o[0]]["open"] -= 1
            if a.upheld:
                adj = q["adjust"].setdefault(f"{o[0]}:{o[1]}", [0, 0, 0])
                adj[int(a.kind)] += int(a.delta)
        elif e == "QuarterFinal":
            q["quarters"][int(a.quarter)]["state"] = 3
        elif e == "Graded":
            q["annual"][f"{int(a.year)}:{int(a.idx)}"] = list(a.annual.values()) if hasattr(a.annual, "values") else list(a.annual)
        elif e == "RectificationDue":
            q["rect"][f"{int(a.year)}:{int(a.idx)}"] = [int(a.deadline), 1]
        elif e == "Rectified":
            q["rect"][f"{int(a.year)}:{int(a.idx)}"][1] = 2
        elif e == "SeatLost":
            q["rect"][f"{int(a.year)}:{int(a.idx)}"][1] = 3
        elif e == "ReferredToBranch":
            q["referred"].append(f"{int(a.year)}:{int(a.idx)}")
        elif e == "HelperAssigned":
            q["helper"][f"{int(a.year)}:{int(a.idx)}"] = int(a.helper)
    st |= q
    st["objectionCount"] = len(q["objections"])

    if market_events is not None:
        mk: dict[str, Any] = {"items": {}, "accounts": {}, "credited": [], "bonus": [0] * 5}
        for ev in market_events:
            a, e = ev.args, ev.event
            if e == "ItemSet":
                it = mk["items"].setdefault(int(a.item), [0, 0, False])
                it[0], it[2] = int(a.price), bool(a.listed)
            elif e == "Restocked":
                mk["items"][int(a.item)][1] = int(a.stock)
            elif e == "BonusSet":
                mk["bonus"] = [int(b) for b in a.starBonus]
            elif e == "Credited":
                mk["accounts"].setdefault(hexstr(a.person), [0, 0])[0] = int(a.balance)
                mk["credited"].append(f"{int(a.year)}:{hexstr(a.person)}")
            elif e == "Redeemed":
                mk["accounts"][hexstr(a.person)] = [int(a.balance), int(a.nonce) + 1]
                mk["items"][int(a.item)][1] = int(a.stock)
        st["market"] = mk
    return st


def state_village(chain: Chain, ledger: Contract, quarters: Contract, market: Contract | None, rebuilt: dict[str, Any]) -> dict[str, Any]:
    """The same state read from storage, for the keys ``rebuilt`` names (ids, months, quarters, persons)."""
    L, Q = ledger.functions, quarters.functions
    st: dict[str, Any] = {"manual": list(chain.call(L.manual())), "quartersContract": chain.call(L.quarters())}
    n = int(chain.call(L.participants()))
    st["members"] = {}
    for i in range(1, n + 1):
        person, m = chain.call(L.member(i))
        st["members"][i] = {"person": hexstr(person), "key": m[0], "roles": int(m[1]), "team": int(m[2]), "since": int(m[3])}
    st["holders"] = {}
    for i, m in st["members"].items():
        h = chain.call(L.holder(m["key"]))
        st["holders"][i] = [int(h[1]), int(h[2])] if int(h[0]) == i else None
    st["colours"] = {}
    for k in rebuilt["colours"]:
        idx, year = map(int, k.split(":"))
        st["colours"][k] = int(chain.call(L.coloursOf(idx, year)))
    st["lists"], st["criteria"] = {}, {}
    for v in range(1, int(chain.call(L.listCount())) + 1):
        li = chain.call(L.list(v))
        st["lists"][v] = dict(zip(["size", "positives", "state", "yes", "no", "roll", "proposedBlock", "effectiveFrom"], map(int, li)))
        st["criteria"][v] = [tuple(int(x) for x in chain.call(L.criterion(v, c))) for c in range(1, int(li[0]) + 1)]
    st["months"] = {m: [int(x) for x in chain.call(L.monthInfo(m))] for m in rebuilt["months"]}
    st["declarations"] = {i: [int(x) for x in chain.call(L.declaration(i))] for i in rebuilt["declarations"]}
    st["totals"] = {}
    for k in rebuilt["totals"]:
        qq, idx = map(int, k.split(":"))
        st["totals"][k] = [int(x) for x in chain.call(L.totals(qq, [idx]))[0]]
    st["frozen"] = [qq for qq in rebuilt["frozen"] if chain.call(L.isFrozen(qq))]
    st["counts"] = [n, int(chain.call(L.representatives())), int(chain.call(L.councilSize())), int(chain.call(L.listCount()))]
    st["adopted"] = [int(v) for v in chain.call(L.adoptedLists())]
    keys = ("state", "count", "done", "council", "open", "publishedAt", "deadline")
    st["quarters"] = {qq: dict(zip(keys, map(int, chain.call(Q.quarterInfo(qq))[:7]))) for qq in rebuilt["quarters"]}
    st["objections"] = {i: [int(x) for x in chain.call(Q.objection(i))] for i in range(1, int(chain.call(Q.objectionCount())) + 1)}
    st["objectionCount"] = int(chain.call(Q.objectionCount()))
    st["adjust"] = {}
    for k in rebuilt["adjust"]:
        qq, idx = map(int, k.split(":"))
        st["adjust"][k] = [int(x) for x in chain.call(Q.adjustment(qq, idx))]
    st["annual"] = {}
    for k in rebuilt["annual"]:
        y, idx = map(int, k.split(":"))
        st["annual"][k] = list(chain.call(Q.annual(y, idx)))
    st["rect"] = {}
    for k in rebuilt["rect"]:
        y, idx = map(int, k.split(":"))
        st["rect"][k] = [int(x) for x in chain.call(Q.rectification(y, idx))]
    st["helper"] = {}
    for k in rebuilt["helper"]:
        y, idx = map(int, k.split(":"))
        st["helper"][k] = int(chain.call(Q.helperOf(y, idx)))
    if market is not None:
        M = market.functions
        items = {i: list(chain.call(M.itemInfo(i))) for i in rebuilt["market"]["items"]}
        accounts = {p: [int(x) for x in chain.call(M.account(bytes.fromhex(p[2:])))] for p in rebuilt["market"]["accounts"]}
        credited = [k for k in rebuilt["market"]["credited"] if chain.call(M.credited(int(k.split(":")[0]), bytes.fromhex(k.split(":")[1][2:])))]
        st["market"] = {"items": {i: [int(v[0]), int(v[1]), bool(v[2])] for i, v in items.items()}, "accounts": accounts,
                        "credited": credited, "bonus": [int(b) for b in chain.call(M.bonus())]}  # fmt: skip
    return st


def compare(rebuilt: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    """Differences between the rebuilt and the stored state (empty: the log tells the whole story)."""
    return [f"{key}: rebuilt {rebuilt.get(key)!r} != stored {stored[key]!r}" for key in stored if rebuilt.get(key) != stored[key]]
