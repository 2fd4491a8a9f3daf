"""What the console's pages read from the index (:mod:`zhili.index.schema`); nothing here writes.

Every function takes a SQLAlchemy connection and returns plain data for a template, or ``None`` /
an empty list when the id is unknown (the page turns that into a 404).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from ..core.eip712 import recover_compact
from ..core.store import algorithm_id
from ..core.workdays import YearMap, YearSource, working_days_between
from ..evidence.client import Kind, parse_trace, typed_document
from ..index import schema as s
from ..index.indexer import decoded
from ..merit.rebuild import SUCCESSION_EVENTS, fold_merit
from ..rebuild import BALLOT_BOX_EVENTS, fold_election, hexstr
from ..types import CORE_OFFICES, Office

CST = timezone(timedelta(hours=8))
HEX32 = re.compile(r"^0x[0-9a-fA-F]{64}$")
ID_MAX = 2**63 - 1  # ids are signed 64-bit integers in the database: a larger one names nothing indexed
TRACE_LIKE = re.compile(r"^\d[\w-]*-\d{4}-[A-Za-z]{2}-\d+(/v\d+)?$")


def when(ts: int | None) -> str:
    """A block time as China Standard Time (the chain's calendar, SPEC §8)."""
    return datetime.fromtimestamp(int(ts), CST).strftime("%Y-%m-%d %H:%M") if ts else ""


def day_range(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """``YYYY-MM-DD`` bounds (CST, end inclusive) as timestamps; ValueError on a malformed date."""
    lo = int(datetime.strptime(start, "%Y-%m-%d").replace(tzinfo=CST).timestamp()) if start else None
    hi = int((datetime.strptime(end, "%Y-%m-%d").replace(tzinfo=CST) + timedelta(days=1)).timestamp()) - 1 if end else None
    return lo, hi


def meta(conn: Connection) -> dict[str, str]:
    return {r.key: r.value for r in conn.execute(select(s.meta))}


def labels(conn: Connection) -> dict[str, str]:
    return {r.person_id: r.name for r in conn.execute(select(s.labels))}


def jurisdictions(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(s.jurisdictions).order_by(s.jurisdictions.c.code)).mappings()]


def jurisdiction(conn: Connection, code: str) -> dict[str, Any] | None:
    r = conn.execute(select(s.jurisdictions).where(s.jurisdictions.c.code == code)).mappings().first()
    return dict(r) if r else None


# ---------------------------------------------------------------------------- search


def search(conn: Connection, q: str, *, code: str | None = None, start: int | None = None, end: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Documents, motions, persons and cases matching ``q`` (trace code, title, person id or name,
    motion or case number), in jurisdiction ``code`` and the time range [start, end] if given.

    A query shaped like a trace code is parsed first (R-DOC-2); a malformed one raises the
    :class:`zhili.evidence.client.EvidenceError` of :func:`parse_trace`."""
    q = q.strip()
    j_addr = None
    if code:
        j = jurisdiction(conn, code)
        j_addr = j["address"] if j else "-"
    out: dict[str, list[dict[str, Any]]] = {"documents": [], "motions": [], "persons": [], "cases": []}
    d, m, c = s.documents.c, s.motions.c, s.merit_cases.c
    dq = select(s.documents)
    mq = select(s.motions)
    cq = select(s.merit_cases)
    if j_addr:
        dq, mq, cq = dq.where(d.jurisdiction == j_addr), mq.where(m.jurisdiction == j_addr), cq.where(c.jurisdiction == j_addr)
    if start is not None:
        dq, mq, cq = dq.where(d.anchored_at >= start), mq.where(m.opened_at >= start), cq.where(c.filed_at >= start)
    if end is not None:
        dq, mq, cq = dq.where(d.anchored_at <= end), mq.where(m.opened_at <= end), cq.where(c.filed_at <= end)
    if q and (TRACE_LIKE.match(q) or q.count("-") >= 3):
        trace, version = parse_trace(q)
        dq = dq.where(d.trace == str(trace))
        if version is not None:
            dq = dq.where(d.version == version)
        out["documents"] = [dict(r) for r in conn.execute(dq.order_by(d.trace, d.version)).mappings()]
        return out
    pids: Any = None  # the persons ``q`` names: a subquery (a province has thousands of names), not a list of ids
    if q:
        low = q.lower()
        ids = [low] if HEX32.match(q) else []
        if re.fullmatch(r"0x[0-9a-f]{4,63}", low):  # the first hex digits of an id
            ids += [r.person_id for r in conn.execute(select(s.persons.c.person_id).where(s.persons.c.person_id.startswith(low)))]
        by_name = select(s.labels.c.person_id).where(s.labels.c.name.contains(q, autoescape=True))
        pids = by_name.union(select(s.persons.c.person_id).where(s.persons.c.person_id.in_(ids))) if ids else by_name
        conds_d = [d.title.contains(q, autoescape=True), d.trace.contains(q, autoescape=True), d.signer.in_(pids)] + ([d.fingerprint == low] if HEX32.match(q) else [])
        dq = dq.where(or_(*conds_d))
        digits = q.lstrip("#")
        number = int(digits) if len(digits) <= 19 and digits.isascii() and digits.isdigit() and int(digits) <= ID_MAX else None
        mq = mq.where(or_(m.id == number, m.first_responsible.in_(pids))) if number is not None else mq.where(m.first_responsible.in_(pids))
        cq = cq.where(or_(c.case_id == number, c.accused.in_(pids))) if number is not None else cq.where(c.accused.in_(pids))
    out["documents"] = [dict(r) for r in conn.execute(dq.order_by(d.anchored_at.desc(), d.trace).limit(200)).mappings()]
    out["motions"] = [dict(r) for r in conn.execute(mq.order_by(m.opened_at.desc()).limit(200)).mappings()]
    out["cases"] = [dict(r) for r in conn.execute(cq.order_by(c.filed_at.desc()).limit(200)).mappings()]
    if q:
        out["persons"] = [dict(r) for r in conn.execute(select(s.persons).where(s.persons.c.person_id.in_(pids)).order_by(s.persons.c.person_id).limit(200)).mappings()]
    return out


# ---------------------------------------------------------------------------- decisions


def motion(conn: Connection, code: str, mid: int) -> dict[str, Any] | None:
    j = jurisdiction(conn, code)
    if j is None or not 0 <= mid <= ID_MAX:
        return None
    r = conn.execute(select(s.motions).where(s.motions.c.jurisdiction == j["address"], s.motions.c.id == mid)).mappings().first()
    if r is None:
        return None
    out = dict(r) | {"jurisdiction_row": j}
    line = None
    if any(int(x, 16) for x in [r["budget_line"][2:]] if x):
        line = conn.execute(select(s.budget_lines).where(s.budget_lines.c.council == r["council"], s.budget_lines.c.line == r["budget_line"])).mappings().first()
    out["line"] = dict(line) if line else None
    data = r["data"]
    out["rows"] = [{"office": o, "weight": data["weights"][i], "member": data["members"][i], "position": data["positions"][i]} for i, o in enumerate(CORE_OFFICES)]
    d = data["dispute"]
    out["dispute"] = d | {
        "yes_offices": [o for i, o in enumerate(CORE_OFFICES) if d["yesMask"] >> i & 1],
        "no_offices": [o for i, o in enumerate(CORE_OFFICES) if d["noMask"] >> i & 1],
    }
    docs = [dict(x) for x in conn.execute(select(s.documents).where(s.documents.c.jurisdiction == j["address"], s.documents.c.motion_id == mid)).mappings()]
    out["documents"] = chains(conn, docs)
    return out


def chains(conn: Connection, docs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents grouped by trace code, each with its versions oldest first and signatures re-verified."""
    by: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        by.setdefault(d["trace"], []).append(d)
    out = []
    for trace, vs in sorted(by.items()):
        vs = sorted(vs, key=lambda v: v["version"])
        for v in vs:
            v["signature_ok"] = signature_ok(conn, v)
        out.append({"trace": trace, "versions": vs})
    return out


def key_at(conn: Connection, person: str, block: int) -> str | None:
    """The person's signing key at ``block``, from the registry's logs (registration, rotations)."""
    key = None
    rows = conn.execute(select(s.logs).where(s.logs.c.event.in_(["PersonRegistered", "KeyRotated"]), s.logs.c.block <= block).order_by(s.logs.c.block, s.logs.c.log_index))
    for r in rows:
        a = r.args
        if a.get("personId") == person:
            key = a.get("key") or a.get("newKey")
    return key


def signature_ok(conn: Connection, d: dict[str, Any]) -> bool:
    """Re-verify a kept EIP-712 signature (R-DOC-3) from the index alone: the signed document rebuilt
    from the logged fields, its signer recovered, compared with the person's key at that block."""
    chain_id = int(meta(conn).get("chain_id", "0"))
    b = lambda h: bytes.fromhex(h[2:]) if h else b"\0" * 32  # noqa: E731
    doc = (b(d["fingerprint"]), algorithm_id(d["algorithm"]), d["category"], d["motion_id"], d["title"], b(d["raw_details"]) if d["raw_details"] else b"")
    typed = typed_document(d["ledger"], chain_id, doc, Kind(d["kind"]), b(d["previous"]), d["reason"] or "", b(d["signer"]))
    key = key_at(conn, d["signer"], int(d["block"]))
    try:
        return key is not None and recover_compact(typed, b(d["r"]), b(d["vs"])).lower() == key.lower()
    except Exception:  # a malformed signature recovers nothing
        return False


def document(conn: Connection, fp: str) -> dict[str, Any] | None:
    r = conn.execute(select(s.documents).where(s.documents.c.fingerprint == fp.lower())).mappings().first()
    if r is None:
        return None
    d = dict(r)
    d["signature_ok"] = signature_ok(conn, d)
    blk = conn.execute(select(s.blocks).where(s.blocks.c.number == d["block"])).mappings().first()
    d["block_hash"] = blk["hash"] if blk else None
    d["block_time"] = blk["timestamp"] if blk else None
    d["jurisdiction_row"] = conn.execute(select(s.jurisdictions).where(s.jurisdictions.c.address == d["jurisdiction"])).mappings().first()
    d["history"] = chains(conn, [dict(x) for x in conn.execute(select(s.documents).where(s.documents.c.ledger == d["ledger"], s.documents.c.trace == d["trace"])).mappings()])
    return d


def by_fingerprints(conn: Connection, fps: Sequence[str]) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(s.documents).where(s.documents.c.fingerprint.in_([f.lower() for f in fps]))).mappings()]


# ---------------------------------------------------------------------------- persons


def person(conn: Connection, pid: str) -> dict[str, Any] | None:
    r = conn.execute(select(s.persons).where(s.persons.c.person_id == pid)).mappings().first()
    if r is None:
        return None
    out = dict(r)
    codes = {j["address"]: j for j in jurisdictions(conn)}
    # offices over time: the jurisdictions' seatings and vacancies that name this person
    spans: list[dict[str, Any]] = []
    rows = conn.execute(
        select(s.logs, s.blocks.c.timestamp).join(s.blocks, s.blocks.c.number == s.logs.c.block).where(s.logs.c.event.in_(["OfficeSeated", "OfficeVacated"])).order_by(s.logs.c.block, s.logs.c.log_index)
    )
    for lg in rows:
        if lg.args.get("personId") != pid or lg.address not in codes:
            continue
        office = Office(int(lg.args["office"]))
        if lg.event == "OfficeSeated":
            spans.append({"jurisdiction": codes[lg.address], "office": office, "from": lg.timestamp, "to": None})
        else:
            for sp in reversed(spans):
                if sp["office"] == office and sp["jurisdiction"]["address"] == lg.address and sp["to"] is None:
                    sp["to"] = lg.timestamp
                    break
    out["offices"] = spans
    out["terms_by_office"] = {o: out["terms"][int(o)] for o in Office if out["terms"] and out["terms"][int(o)]}
    out["motions"] = [dict(x) | {"code": codes[x["jurisdiction"]]["code"]} for x in conn.execute(select(s.motions).where(s.motions.c.first_responsible == pid).order_by(s.motions.c.decided_at)).mappings()]
    out["documents"] = [dict(x) for x in conn.execute(select(s.documents).where(s.documents.c.signer == pid).order_by(s.documents.c.anchored_at)).mappings()]
    out["totals"] = [dict(x) for x in conn.execute(select(s.merit_totals).where(s.merit_totals.c.person_id == pid)).mappings()]
    out["cases"] = [
        dict(x) | {"code": codes[x["jurisdiction"]]["code"] if x["jurisdiction"] in codes else None}
        for x in conn.execute(select(s.merit_cases).where(s.merit_cases.c.accused == pid).order_by(s.merit_cases.c.filed_at)).mappings()
    ]
    entries = []
    for lg in conn.execute(select(s.logs, s.blocks.c.timestamp).join(s.blocks, s.blocks.c.number == s.logs.c.block).where(s.logs.c.event == "EntryAppended").order_by(s.logs.c.block, s.logs.c.log_index)):
        if lg.args.get("personId") == pid:
            entries.append({"id": lg.args.get("id"), "ledger": int(lg.args.get("ledger", 0)), "points": int(lg.args.get("points", 0)), "at": lg.timestamp, "args": lg.args})
    out["entries"] = entries
    out["held_now"] = [(j, o) for j in codes.values() for o, h in (j["holders"] or {}).items() if h == pid]
    return out


# ---------------------------------------------------------------------------- elections


def elections(conn: Connection, code: str) -> list[dict[str, Any]] | None:
    j = jurisdiction(conn, code)
    if j is None:
        return None
    out = []
    for e in conn.execute(select(s.elections).where(s.elections.c.jurisdiction == j["address"]).order_by(s.elections.c.address)).mappings():
        ps = []
        for row in conn.execute(select(s.polls).where(s.polls.c.election == e["address"]).order_by(s.polls.c.round)).mappings():
            p = dict(row)
            cands = p["candidates"] or []
            votes = p["votes"] or [0] * len(cands)
            p["ranking"] = sorted(({"person": c, "votes": votes[i] if i < len(votes) else 0} for i, c in enumerate(cands)), key=lambda x: -x["votes"])
            electorate = 0 if (p["purpose"] or 0) in (0, 1) else 1  # Election._schedule: stage 1 and its runoff poll the party roll
            roll = (e["rolls"] or [0, 0])[electorate] if e["rolls"] else 0
            p["roll"] = roll
            p["turnout"] = round(100 * (p["cast"] or 0) / roll, 1) if roll else None
            ps.append(p)
        out.append(dict(e) | {"polls": ps})
    return out


def contract_tally(conn: Connection, box: str, round_: int) -> list[int] | None:
    """The tally the ballot box itself logged (``RoundTallied``), or None before it tallied."""
    rows = conn.execute(select(s.logs).where(and_(s.logs.c.address == box, s.logs.c.event == "RoundTallied")))
    for r in rows:
        if int(r.args["round"]) == round_:
            return [int(v) for v in r.args["votes"]]
    return None


def retally_from_events(box_events: Sequence[Any], round_: int) -> list[int] | None:
    """The poll's votes re-counted from its opened ballots (the rebuild fold, R-EL-7)."""
    st = fold_election([], (e for e in box_events if e.event in BALLOT_BOX_EVENTS))
    p = st["polls"].get(round_)
    return None if p is None or "votes" not in p else list(p["votes"])


# ---------------------------------------------------------------------------- merit cases and succession (issue 19, part 2)

#: R-MR-13 service levels (reported, not enforced): initial verification within 24 h of the report,
#: the case closed within 15 working days of it.
VERIFY_HOURS, CLOSE_WORKING_DAYS = 24, 15
_CASE_STEPS = ("ReportFiled", "ReviewersAssigned", "ReviewerReplaced", "ReviewSealed", "ReviewOpened", "InitialReviewDone", "Rechecked",
               "DecisionProposed", "Voted", "DecisionVoted", "Published", "Appealed", "AppealDecided", "AppealEscalated", "AwardWithheld", "CaseClosed")  # fmt: skip


def _cst_days(start: int, end: int) -> int:
    """Calendar days from ``start``'s day (CST) to ``end``'s day: an upper bound of the working days
    strictly after the one up to the other (each working day is a calendar day)."""
    return (datetime.fromtimestamp(end, CST).date() - datetime.fromtimestamp(start, CST).date()).days


def case_steps(events: Sequence[dict[str, Any]], as_of: int, years: YearSource | None = None) -> list[dict[str, Any]]:
    """A merit case's timeline from its ledger events (each ``{"event", "args", "time", "block", "tx"}``,
    in chain order; ``time`` the block's), with its deadlines and late steps.

    The working-day deadlines are those the contract computed from the on-chain calendar and logged
    (``reviewDeadline``, ``appealDeadline``, ``answerDeadline``); a step after its deadline, a review
    reassigned because it was missed (R-MR-10) and an appeal escalated unanswered (R-MR-11) are late.
    R-MR-13's levels: initial verification within 24 h of the report (hours, no calendar needed) and
    closing within 15 working days, which needs the calendar's published years (not indexed): it is
    shown as met when the calendar days are 15 or fewer, as undetermined otherwise. An open case's
    passed deadline is judged against ``as_of``, the last indexed block's time, never the machine's clock.
    """
    steps: list[dict[str, Any]] = []
    filed = review_deadline = appeal_deadline = answer_deadline = None
    assigned: dict[str, Any] | None = None
    appealed: dict[str, Any] | None = None
    reviewed = closed = False
    for ev in events:
        a, e = ev["args"], ev["event"]
        at = int(a.get("at") or ev["time"])
        st: dict[str, Any] = {"event": e, "time": at, "block": ev["block"], "tx": ev["tx"], "deadline": None, "late": None, "level": None}
        if e == "ReportFiled":
            filed = at
        elif e == "ReviewersAssigned":
            if a.get("reassigned") and assigned is not None:
                assigned["late"] = True  # the missed review starts over (R-MR-10)
            review_deadline = int(a["reviewDeadline"])
            st |= {"deadline": review_deadline, "deadline_kind": "review"}
            assigned = st
        elif e == "InitialReviewDone":
            reviewed = True
            if review_deadline:
                st |= {"deadline": review_deadline, "deadline_kind": "review", "late": at > review_deadline}
                if assigned is not None and assigned["late"] is None:
                    assigned["late"] = at > review_deadline
            if filed is not None:
                hours = (at - filed) / 3600
                st["level"] = {"rule": "verify", "value": round(hours, 2), "ok": hours <= VERIFY_HOURS}
        elif e == "Published":
            appeal_deadline = int(a["appealDeadline"])
            st |= {"deadline": appeal_deadline, "deadline_kind": "appeal"}
        elif e == "Appealed":
            answer_deadline = int(a["answerDeadline"])
            st |= {"deadline": appeal_deadline, "deadline_kind": "appeal", "late": appeal_deadline is not None and at > appeal_deadline}
            appealed = st
        elif e == "AppealEscalated":
            if appealed is not None:
                appealed["answer_late"] = True
            st |= {"deadline": answer_deadline, "deadline_kind": "answer", "late": True}  # not answered in time (R-MR-11)
            answer_deadline = int(a["answerDeadline"])
        elif e == "AppealDecided" and answer_deadline:
            st |= {"deadline": answer_deadline, "deadline_kind": "answer", "late": at > answer_deadline}
        elif e == "CaseClosed":
            closed = True
            if filed is not None:
                worked = working_days_between(filed, at, years) if years else None
                if worked is not None:  # the calendar's published years: counted, R-MR-13 judged
                    st["level"] = {"rule": "close_wd", "value": worked, "ok": worked <= CLOSE_WORKING_DAYS}
                else:
                    days = _cst_days(filed, at)
                    st["level"] = {"rule": "close", "value": days, "ok": True if days <= CLOSE_WORKING_DAYS else None}
        steps.append(st)
    if not closed and filed is not None:  # what an open case has let pass, as of the last indexed block
        if not reviewed and review_deadline and as_of > review_deadline:
            steps.append({"event": "overdue", "time": as_of, "deadline": review_deadline, "deadline_kind": "review", "late": True, "level": None})
        if not reviewed and as_of - filed > VERIFY_HOURS * 3600:
            steps.append({"event": "overdue", "time": as_of, "deadline": filed + VERIFY_HOURS * 3600, "deadline_kind": "verify", "late": True, "level": None})
        if appealed is not None and answer_deadline and as_of > answer_deadline and not any(s["event"] in ("AppealDecided", "AppealEscalated") for s in steps if s["time"] >= appealed["time"]):
            steps.append({"event": "overdue", "time": as_of, "deadline": answer_deadline, "deadline_kind": "answer", "late": True, "level": None})
    return steps


def _timed_logs(conn: Connection, where: Any) -> list[dict[str, Any]]:
    q = select(s.logs, s.blocks.c.timestamp).join(s.blocks, s.blocks.c.number == s.logs.c.block).where(where).order_by(s.logs.c.block, s.logs.c.log_index)
    return [{"event": r.event, "args": r.args, "time": int(r.timestamp), "block": int(r.block), "log_index": int(r.log_index), "tx": r.tx_hash, "address": r.address} for r in conn.execute(q)]


def as_of(conn: Connection) -> int:
    """The last indexed block's time: "now" for the pages (never the machine's clock)."""
    return int(conn.execute(select(func.max(s.blocks.c.timestamp))).scalar() or 0)


def merit_case(conn: Connection, code: str, cid: int) -> dict[str, Any] | None:
    """A case of the jurisdiction's merit ledger (the folded row) with its timeline (:func:`case_steps`)."""
    j = jurisdiction(conn, code)
    if j is None or not 0 <= cid <= ID_MAX:
        return None
    r = conn.execute(select(s.merit_cases).where(s.merit_cases.c.jurisdiction == j["address"], s.merit_cases.c.case_id == cid)).mappings().first()
    if r is None:
        return None
    lg = s.logs.c
    evs = _timed_logs(conn, and_(lg.address == r["ledger"], lg.event.in_(_CASE_STEPS), lg.args["caseId"].as_integer() == cid))
    now = as_of(conn)
    return dict(r) | {"jurisdiction_row": j, "steps": case_steps(evs, now, calendar_years(conn, j["address"])), "as_of": now}


def calendar_years(conn: Connection, jurisdiction: str) -> YearSource:
    """The working days of each year the jurisdiction's ``WorkCalendar`` published (its ``YearPublished``
    logs in the index), as :func:`zhili.core.workdays.working_days_between` reads them; a year not
    published (or a calendar not indexed) is None, and the count is then not made. The calendar is the
    one the jurisdictions projection names (``Jurisdiction.calendar()``): a province's jurisdictions
    may share one, which ``contracts`` lists once, under the first of them."""
    cal = conn.execute(select(s.jurisdictions.c.calendar).where(s.jurisdictions.c.address == jurisdiction)).scalar()
    evs = decoded(conn, cal) if cal else []  # not followed (or not yet indexed): no logs, no years
    maps = {int(e.args.year): YearMap.from_words(int(e.args.year), int(e.args.low), int(e.args.high)) for e in evs if e.event == "YearPublished"}
    return maps.get


def _reason(h: str | None) -> str:
    raw = bytes.fromhex((h or "0x")[2:]).rstrip(b"\0")
    try:
        return raw.decode()
    except UnicodeDecodeError:
        return "0x" + raw.hex()


def succession(conn: Connection, code: str) -> dict[str, Any] | None:
    """The jurisdiction's order of succession over time: each ``OrderChanged`` with the order the
    succession fold (:func:`zhili.merit.rebuild.fold_merit`) holds after it, its reason and the events
    of the same transaction that led to it (an election's seating, a final case, a removal, …)."""
    j = jurisdiction(conn, code)
    if j is None:
        return None
    c = s.contracts.c
    addrs = [a for (a,) in conn.execute(select(c.address).where(c.kind == "Succession", c.jurisdiction == j["address"]))]
    changes: list[dict[str, Any]] = []
    order: list[str] = []
    for addr in addrs:
        evs = [e for e in decoded(conn, addr) if e.event in SUCCESSION_EVENTS or e.event in ("Removed", "Succeeded", "Overtook", "Demoted", "NoEligibleSuccessor")]
        folded = [e for e in evs if e.event in SUCCESSION_EVENTS]
        txs = {"0x" + bytes(e.transactionHash).hex() for e in evs if e.event == "OrderChanged"}
        related = _timed_logs(conn, s.logs.c.tx_hash.in_(txs)) if txs else []
        for k, ev in enumerate(folded):
            if ev.event != "OrderChanged":
                continue
            order = fold_merit([], [], folded[: k + 1])["order"]  # the rebuild's order after this change
            tx = "0x" + bytes(ev.transactionHash).hex()
            same = [x for x in related if x["tx"] == tx]
            prev = max((x["log_index"] for x in same if x["event"] == "OrderChanged" and x["log_index"] < ev.logIndex), default=-1)
            causes: dict[str, dict[str, Any]] = {}  # by event name: how many, the cases and persons they name
            for x in same:
                if prev < x["log_index"] < ev.logIndex and x["event"] not in ("BasisSet", "TermRecorded", "Engaged"):
                    cz = causes.setdefault(x["event"], {"event": x["event"], "count": 0, "cases": [], "persons": []})
                    cz["count"] += 1
                    if "caseId" in x["args"]:
                        cz["cases"].append(int(x["args"]["caseId"]))
                    if x["args"].get("personId") and x["args"]["personId"] not in cz["persons"]:
                        cz["persons"].append(x["args"]["personId"])
            time = next((x["time"] for x in same), 0)
            changes.append({"order": order, "reason": _reason(hexstr(ev.args.reason)), "time": time, "block": ev.blockNumber, "tx": tx, "causes": list(causes.values())})
    return {"jurisdiction_row": j, "changes": changes, "order": order}


# ---------------------------------------------------------------------------- handovers (R-DOC-6..9)


def handovers(conn: Connection, code: str) -> list[dict[str, Any]] | None:
    """The jurisdiction's handovers (the rows :func:`zhili.evidence.handover.fold` gave), oldest first."""
    j = jurisdiction(conn, code)
    if j is None:
        return None
    h = s.handovers.c
    rows = conn.execute(select(s.handovers).where(h.jurisdiction == j["address"], h.kind == "handover").order_by(h.contract, h.id)).mappings()
    return [dict(r["data"]) | {"id": r["id"], "contract": r["contract"], "started_in_time": r["data"]["openedAt"] <= r["data"]["deadline"]} for r in rows]


def handover(conn: Connection, code: str, hid: int) -> dict[str, Any] | None:
    """One handover: its oath (R-DOC-6), checklist by group and opening against its deadline, the three
    parties' confirmations re-verified (R-DOC-7), the issues recorded after it (R-DOC-8) and its disputes (R-DOC-9)."""
    from ..evidence.handover import CONFIRMATION, GROUPS, IssueKind

    j = jurisdiction(conn, code)
    if j is None or not 0 <= hid <= ID_MAX:
        return None
    h = s.handovers.c
    row = conn.execute(select(s.handovers).where(h.jurisdiction == j["address"], h.kind == "handover", h.id == hid).order_by(h.contract)).mappings().first()
    if row is None:
        return None
    addr, d = row["contract"], dict(row["data"])
    oath = conn.execute(select(s.handovers.c.data).where(h.contract == addr, h.kind == "oath", h.id == d["oathId"])).scalar()
    logs = [lg for lg in conn.execute(select(s.logs).where(s.logs.c.address == addr).order_by(s.logs.c.block, s.logs.c.log_index)) if lg.args.get("id", lg.args.get("handover")) == hid]
    opened = next((lg for lg in logs if lg.event == "HandoverOpened"), None)
    items = (opened.args.get("items") if opened else None) or [[] for _ in GROUPS]
    chain_id = int(meta(conn).get("chain_id", "0"))
    b = lambda x: bytes.fromhex(x[2:])  # noqa: E731
    roles = {d["outgoing"]: "outgoing", d["incoming"]: "incoming", d["supervisor"]: "supervisor"}
    signatures = []
    for lg in (x for x in logs if x.event == "HandoverSigned"):
        a = lg.args
        typed = CONFIRMATION.typed_data(addr, chain_id, {"handover": hid, "checklist": b(d["checklist"]), "signer": b(a["person"])})
        key = key_at(conn, a["person"], int(lg.block))
        try:
            ok = key is not None and recover_compact(typed, b(a["r"]), b(a["vs"])).lower() == key.lower()
        except Exception:  # a malformed signature recovers nothing
            ok = False
        signatures.append({"person": a["person"], "role": roles.get(a["person"], "?"), "block": lg.block, "tx": lg.tx_hash, "ok": ok})
    issues = [{"kind": IssueKind(int(lg.args["kind"])).name.lower(), "issue": lg.args["issue"], "reporter": lg.args["reporter"], "block": lg.block,
               "at": conn.execute(select(s.blocks.c.timestamp).where(s.blocks.c.number == lg.block)).scalar()}
              for lg in logs if lg.event == "IssueRecorded"]  # fmt: skip
    disputes = [dict(r["data"]) | {"id": r["id"]} for r in conn.execute(select(s.handovers).where(h.contract == addr, h.kind == "dispute").order_by(h.id)).mappings() if r["data"]["handover"] == hid]
    return d | {
        "id": hid, "contract": addr, "jurisdiction_row": j, "oath": oath, "groups": list(zip(GROUPS, items, strict=False)),
        "started_in_time": d["openedAt"] <= d["deadline"], "oath_in_time": bool(oath and oath["takenAt"] and oath["takenAt"] <= oath["deadline"]),
        "signatures": signatures, "signed": {r: bool(d["signedMask"] & bit) for r, bit in (("outgoing", 1), ("incoming", 2), ("supervisor", 4))},
        "issues": issues, "disputes": disputes,
    }  # fmt: skip


# ---------------------------------------------------------------------------- team appointments (R-TC-1..3)

#: The rule each kind of appointment follows (``TeamKind``): a committee member (R-TC-1), a vacant core
#: office (R-TC-3), a government member (R-TC-2).
TEAM_RULES = {0: "R-TC-1", 1: "R-TC-3", 2: "R-TC-2"}
NO_OFFICE = 255


def _appointment(r: Any, codes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    a = dict(r)
    d = a["data"] or {}
    j = codes.get(a["jurisdiction"])
    return a | {
        "rule": TEAM_RULES.get(int(a["kind"]), "?"), "code": j["code"] if j else None, "jurisdiction_row": j,
        "office_key": Office(int(a["office"])) if int(a["office"]) < len(Office) else None,  # NO_OFFICE (255): a post
        "confirmations": d.get("confirmations") or [], "consent": d.get("consent"), "seating_refused": _reason(d["seatingRefused"]) if d.get("seatingRefused") else None,
        "needed": int(d.get("needed") or 0), "confirmed": int(d.get("confirmed") or 0),
    }  # fmt: skip


def appointments(conn: Connection, code: str) -> list[dict[str, Any]] | None:
    """The jurisdiction's team appointments (the rows :func:`zhili.council.rebuild.fold_team` gave),
    oldest first: who was nominated to which office or post, under which rule, how far it went
    (pending, awaiting confirmation, appointed, refused), when, by which council motion or
    administrator, and each congress's count."""
    j = jurisdiction(conn, code)
    if j is None:
        return None
    a = s.appointments.c
    codes = {j["address"]: j}
    return [_appointment(r, codes) for r in conn.execute(select(s.appointments).where(a.jurisdiction == j["address"]).order_by(a.created_at, a.team, a.id)).mappings()]


def person_appointments(conn: Connection, pid: str) -> list[dict[str, Any]]:
    """The team appointments that name ``pid``, across jurisdictions, oldest first."""
    a = s.appointments.c
    codes = {j["address"]: j for j in jurisdictions(conn)}
    return [_appointment(r, codes) for r in conn.execute(select(s.appointments).where(a.person_id == pid).order_by(a.created_at, a.team, a.id)).mappings()]


# ---------------------------------------------------------------------------- villages (SPEC §9, R-VC-*)

#: Five-colour contracts (R-VC-3), by ``Colour`` bit: the key the templates translate and a CSS colour.
COLOURS = (("red", "#c62828"), ("yellow", "#f9a825"), ("blue", "#1565c0"), ("green", "#2e7d32"), ("silver", "#9e9e9e"))


def villages(conn: Connection, code: str) -> list[dict[str, Any]] | None:
    """The jurisdiction's villages (:data:`zhili.index.schema.villages`, folded by
    :func:`zhili.village.rebuild.fold_village`), each with its members, its standings by year and
    quarter (rank, points by kind, corrections, objections: R-VC-4, R-VC-7), the annual grades and
    consequences (R-VC-8, R-VC-9) and the supermarket accounts (R-VC-10). None: no such jurisdiction."""
    j = jurisdiction(conn, code)
    if j is None:
        return None
    out = []
    for v in conn.execute(select(s.villages).where(s.villages.c.jurisdiction == j["address"]).order_by(s.villages.c.code, s.villages.c.ledger)).mappings():
        led = v["ledger"]
        members = [dict(r) for r in conn.execute(select(s.village_members).where(s.village_members.c.ledger == led).order_by(s.village_members.c.idx)).mappings()]
        st = s.village_standings.c
        standings = [dict(r) for r in conn.execute(select(s.village_standings).where(st.ledger == led).order_by(st.quarter, st.idx)).mappings()]
        yr = s.village_years.c
        annual = {(r["year"], r["idx"]): dict(r) for r in conn.execute(select(s.village_years).where(yr.ledger == led)).mappings()}
        years = sorted({y for y, _ in annual} | {1970 + r["quarter"] // 4 for r in standings})
        data = v["data"] or {}
        by_year = []
        for y in years:
            quarters = sorted({r["quarter"] for r in standings if 1970 + r["quarter"] // 4 == y})
            cells = {(r["quarter"], r["idx"]): r for r in standings}
            rows = []
            for m in members:
                a = annual.get((y, m["idx"]))
                rows.append(m | {"quarters": [cells.get((qq, m["idx"])) for qq in quarters], "annual": a,
                                 "colours": [k for b, (k, _) in enumerate(COLOURS) if a and a["colours"] >> b & 1]})  # fmt: skip
            qinfo = [dict((data.get("quarters") or {}).get(str(qq)) or {}) | {"quarter": qq, "label": f"{1970 + qq // 4}Q{qq % 4 + 1}"} for qq in quarters]
            chart = {"labels": [m["person_id"] for m in members], "series": [{"label": qi["label"], "values": [((r["quarters"][k] or {}).get("credit") or 0) / 10 for r in rows]}
                                                                             for k, qi in enumerate(qinfo)]}  # fmt: skip
            by_year.append({"year": y, "quarters": qinfo, "rows": rows, "chart": chart})
        objections = [{"id": int(i), "quarter": o[0], "label": f"{1970 + o[0] // 4}Q{o[0] % 4 + 1}", "subject": o[1], "objector": o[2], "state": o[3]}
                      for i, o in sorted((data.get("objections") or {}).items(), key=lambda kv: int(kv[0]))]  # fmt: skip
        by_idx = {m["idx"]: m["person_id"] for m in members}
        for o in objections:
            o["subject_id"], o["objector_id"] = by_idx.get(o["subject"]), by_idx.get(o["objector"])
        lists = [dict(li) | {"version": int(k), "effective": f"{1970 + li['effectiveFrom'] // 4}Q{li['effectiveFrom'] % 4 + 1}" if li.get("effectiveFrom") else None}
                 for k, li in sorted((data.get("lists") or {}).items(), key=lambda kv: int(kv[0]))]  # fmt: skip
        out.append(dict(v) | {"members": members, "years": by_year, "objections": objections, "lists": lists, "by_idx": by_idx})
    return out


def search_villages(conn: Connection, text: str, code: str | None = None) -> list[dict[str, Any]]:
    """Villages whose code, or whose township's code or name, contains ``text`` (all of jurisdiction
    ``code``'s when it is given and ``text`` is empty), each with its township's code and name."""
    text = text.strip()
    if not text and not code:
        return []
    v, jt = s.villages.c, s.jurisdictions.c
    qy = select(v.ledger, v.code, jt.code.label("j_code"), jt.name.label("j_name")).join(s.jurisdictions, jt.address == v.jurisdiction)
    if code:
        qy = qy.where(jt.code == code)
    if text:
        qy = qy.where(or_(v.code.contains(text, autoescape=True), jt.code.contains(text, autoescape=True), jt.name.contains(text, autoescape=True)))
    return [dict(r) for r in conn.execute(qy.order_by(jt.code, v.code).limit(200)).mappings()]


def person_villages(conn: Connection, pid: str) -> list[dict[str, Any]]:
    """A person's village years (SPEC §9) across the indexed villages: each year's grades and
    consequences with its quarters' ranks and points, the village's code and its township's code."""
    codes = {j["address"]: j for j in jurisdictions(conn)}
    vcode = {r.ledger: r.code for r in conn.execute(select(s.villages.c.ledger, s.villages.c.code))}
    st = s.village_standings.c
    quarters = [dict(r) for r in conn.execute(select(s.village_standings).where(st.person_id == pid).order_by(st.ledger, st.quarter)).mappings()]
    out = []
    for y in conn.execute(select(s.village_years).where(s.village_years.c.person_id == pid).order_by(s.village_years.c.year)).mappings():
        j = codes.get(y["jurisdiction"]) or {}
        qs = [q for q in quarters if q["ledger"] == y["ledger"] and 1970 + q["quarter"] // 4 == y["year"]]
        out.append(dict(y) | {"village": vcode.get(y["ledger"]), "code": j.get("code"), "quarters": qs,
                              "colour_keys": [k for b, (k, _) in enumerate(COLOURS) if y["colours"] >> b & 1]})  # fmt: skip
    return out
