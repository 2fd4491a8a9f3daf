"""A village year as a scenario (SPEC §9, ``profile: village``): the town deploys a village from the
village profile, the assembly adopts the list, persons sign their contracts, months of declarations
are verified by the team on duty, the council publishes the quarters (with objections ruled), the
year is graded and the supermarket redeems. Every act goes through :class:`VillageClient`; every
figure of the result is read back from the chain. The schema is in docs/scenarios.md ("The village").
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from .. import profiles
from ..calendar.client import CalendarClient
from ..core.chain import Chain
from ..core.workdays import CST, CalendarError, Notice, cst_day
from ..jurisdiction import registry
from ..persons.client import deploy_person_registry, label_identity, person_id
from ..village.client import (
    ROLE_BITS,
    Annual,
    Colour,
    CreditAccount,
    ListInfo,
    Month,
    Objection,
    Quarter,
    QuarterState,
    VillageClient,
    deploy_framework,
    month_index,
    quarter_label,
)  # fmt: skip
from ..village.profile import VillageProfile
from ..village.profile import load as load_village_profile
from .steps import ScenarioRunError, run_step


def step(where: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``; a refusal names the scenario field ``where`` (:func:`run_step`)."""
    return run_step(where, functools.partial(fn, *args))


Progress = Callable[[str], None]
Check = Any  # runner._Checker (no import cycle: the runner imports this module)

TOP_KEYS = ("title", "description", "profile", "jurisdiction", "village", "people", "list_votes", "months", "objections", "redemptions", "rectified", "calendar")
RECTIFICATION = {1: "due", 2: "rectified", 3: "seat_lost"}  # IVillageQuarters.Rectification.state
KINDS = {"party_duty": 0, "rep_duty": 1, "credit": 2}  # the council's ruling kinds (IVillageQuarters.rule)
ADMIN, OFFICE = 0, 1  # the jurisdiction's admin; the town's VILLAGE_OFFICE account


# ---------------------------------------------------------------------------- validation


def validate(c: Check, data: dict[str, Any], notice: Callable[[Any], Notice]) -> None:
    """Field-level problems of a village scenario into ``c`` (rules are the contracts' business)."""
    c.unknown_keys(data, "", TOP_KEYS)
    prof = load_village_profile()
    codes = {cr.code: cr.positive for cr in prof.criteria()}
    j = c.mapping(data.get("jurisdiction"), "jurisdiction")
    c.unknown_keys(j, "jurisdiction", ("code", "name"))
    v = c.mapping(data.get("village"), "village")
    c.unknown_keys(v, "village", ("code", "district"))
    for where, table in (("jurisdiction", j), ("village", v)):
        for k in ("code", "name") if where == "jurisdiction" else ("code", "district"):
            if table and not (isinstance(table.get(k), str) and table[k].strip()):
                c.fail(f"{where}.{k}", "expected a non-empty text")
    people: set[str] = set()
    for w, p in c.entries(data.get("people"), "people", ("id", "name", "roles", "team")):
        pid = p.get("id")
        if not isinstance(pid, str | int) or str(pid) == "" or str(pid) in people:
            c.fail(f"{w}.id", f"expected a new id, got {pid!r}")
        else:
            people.add(str(pid))
        for r in c.seq(p.get("roles"), f"{w}.roles", required=False):
            if r not in ROLE_BITS:
                c.fail(f"{w}.roles", f"unknown function {r!r}; expected one of {', '.join(ROLE_BITS)}")
        if p.get("team") is not None:
            c.count(p["team"], f"{w}.team", 0, 3)
    for pid, vote in c.mapping(data.get("list_votes"), "list_votes").items():
        c.person(pid, f"list_votes.{pid}", people)
        if not isinstance(vote, bool):
            c.fail(f"list_votes.{pid}", f"expected yes or no, got {vote!r}")
    for w, m in c.entries(data.get("months"), "months", ("month", "declarations", "negatives"), required=False):
        c.count(m.get("month"), f"{w}.month", 1, 12)
        for key, positive in (("declarations", True), ("negatives", False)):
            for dw, d in c.entries(m.get(key), f"{w}.{key}", ("person", "criterion", "day", "accept"), required=False):
                c.person(d.get("person"), f"{dw}.person", people)
                if codes.get(d.get("criterion")) is not positive:
                    c.fail(f"{dw}.criterion", f"expected a {'positive' if positive else 'negative'} criterion of the village profile's list, got {d.get('criterion')!r}")
                c.count(d.get("day"), f"{dw}.day", 1, 31)
                if "accept" in d and not isinstance(d["accept"], bool):
                    c.fail(f"{dw}.accept", "expected true or false")
    for w, o in c.entries(data.get("objections"), "objections", ("quarter", "objector", "subject", "grounds", "uphold", "kind", "delta", "reason"), required=False):
        c.count(o.get("quarter"), f"{w}.quarter", 1, 4)
        c.person(o.get("objector"), f"{w}.objector", people)
        c.person(o.get("subject"), f"{w}.subject", people)
        if not isinstance(o.get("uphold"), bool):
            c.fail(f"{w}.uphold", "expected true or false (the council's ruling)")
        elif o["uphold"]:
            if o.get("kind") not in KINDS:
                c.fail(f"{w}.kind", f"expected one of {', '.join(KINDS)}")
            if not isinstance(o.get("delta"), int) or isinstance(o.get("delta"), bool):
                c.fail(f"{w}.delta", "expected a whole number of tenths")
    for w, r in c.entries(data.get("redemptions"), "redemptions", ("person", "keeper", "item", "quantity"), required=False):
        c.person(r.get("person"), f"{w}.person", people)
        c.person(r.get("keeper"), f"{w}.keeper", people)
        c.count(r.get("item"), f"{w}.item", 1, 65_535)
        c.count(r.get("quantity"), f"{w}.quantity", 0, 1_000_000)
    for i, p in enumerate(c.seq(data.get("rectified"), "rectified", required=False)):
        c.person(p, f"rectified[{i}]", people)
    for i, n in enumerate(c.seq(data.get("calendar"), "calendar", required=False)):
        try:
            notice(n)
        except CalendarError as exc:
            c.fail(f"calendar[{i}]", str(exc))


# ---------------------------------------------------------------------------- execution


class _Village:
    def __init__(self, chain: Chain, data: dict[str, Any], progress: Progress) -> None:
        self.chain, self.data, self.progress = chain, data, progress
        self.year = cst_day(chain.now()).year
        self.ids: dict[str, bytes] = {}
        self.keys: dict[str, LocalAccount] = {}
        self.people = {str(p["id"]): p for p in data["people"]}
        self.timeline: list[dict[str, Any]] = []
        self.profile: VillageProfile = load_village_profile()

    def at(self, month: int, day: int, hour: int = 10) -> None:
        """Move the clock to ``day`` of ``month`` (of the scenario's year; 13 is the next January)."""
        y, m = self.year + (month - 1) // 12, (month - 1) % 12 + 1
        t = int(dt.datetime(y, m, day, hour, tzinfo=CST).timestamp())
        if t > self.chain.now():
            self.chain.wait_until(t)

    def mark(self, what: str, **data: Any) -> None:
        self.timeline.append({"time": self.chain.now(), "what": what, **data})

    def team(self, sid: str) -> int:
        return int(self.people[sid].get("team") or 0)

    def with_role(self, role: str) -> list[str]:
        return [sid for sid, p in self.people.items() if role in (p.get("roles") or [])]


def run(data: dict[str, Any], chain: Chain, notice: Callable[[Any], Notice], progress: Progress = lambda s: None) -> dict[str, Any]:
    """Execute a validated village scenario on ``chain``; returns the result (docs/scenarios.md)."""
    t0 = time.monotonic()
    chain.gas_used.clear()
    w = _Village(chain, data, progress)
    acc = chain.accounts
    code, name = data["jurisdiction"]["code"], data["jurisdiction"]["name"]
    progress(f"deploying {name} ({code}) and village {data['village']['code']}")
    roles = {role: [str(acc[1 + i].address)] for i, role in enumerate(registry.ROLES)}
    j = registry.deploy_jurisdiction(chain, profiles.load("township"), code, name, roles=roles)
    cal = CalendarClient.of_jurisdiction(chain, j)
    for n in data.get("calendar") or []:
        nt = notice(n)
        if not cal.is_published(nt.year):
            cal.publish(nt, ADMIN)
    VillageClient.grant_office(chain, j, acc[OFFICE].address, ADMIN)
    persons = deploy_person_registry(chain, ADMIN)
    salt = f"zhili-scenario:{data['village']['code']}".encode()
    for sid in w.people:
        pid = person_id(sid, salt)
        acct = Account.from_key(keccak(salt + b":key:" + sid.encode()))
        chain.transact(persons.functions.register(pid, acct.address, label_identity(f"{salt.decode()}:{sid}")), ADMIN, label="persons.register")
        chain.fund(acct.address, 10**18)
        w.ids[sid], w.keys[sid] = pid, acct
    fw = deploy_framework(chain, data["village"]["district"], w.profile)
    v = VillageClient.deploy(chain, j, persons, fw, data["village"]["code"], OFFICE, profile=w.profile)
    for sid, p in w.people.items():
        bits = sum(ROLE_BITS[r] for r in p.get("roles") or [])
        step(f"people.{sid}", v.set_member, w.ids[sid], bits, w.team(sid), OFFICE)
    for sid, p in w.people.items():  # R-VC-3: blue for everyone, red for party members, yellow for representatives
        colours = [Colour.BLUE] + [c for c, r in ((Colour.RED, "party"), (Colour.YELLOW, "representative")) if r in (p.get("roles") or [])]
        for colour in colours:
            v.sign_contract(w.ids[sid], w.year, colour, keccak(text=f"{colour.key} contract {sid}"), w.keys[sid])
    secretary = w.with_role("secretary")[0]
    version: int = step("list", v.propose_profile_list, w.profile, w.keys[secretary])
    info: ListInfo | None = None
    for sid, vote in data["list_votes"].items():
        info = step(f"list_votes.{sid}", v.vote_list, version, bool(vote), w.keys[str(sid)])
    w.mark("list voted", state=info.state_key if info else "proposed")
    progress(f"list {version}: {info.state_key if info else 'proposed'} ({info.yes if info else 0} yes, {info.no if info else 0} no)")

    months = {int(m["month"]): m for m in data.get("months") or []}
    objections = data.get("objections") or []
    result_objections: list[dict[str, Any]] = []
    q0 = (w.year - 1970) * 4

    def publish(q: int) -> None:  # quarter 1..4, published on the 15th of the month after it
        council = w.with_role("council")
        w.at(3 * q + 1, 15)
        qi: Quarter = step(f"quarter {q}", v.publish, q0 + q - 1, w.keys[council[0]])
        w.mark(f"{quarter_label(q0 + q - 1)} published", deadline=qi.deadline)
        progress(f"{quarter_label(q0 + q - 1)} published; objections until {dt.datetime.fromtimestamp(qi.deadline, CST):%Y-%m-%d %H:%M}")
        for k, o in enumerate(objections):
            if int(o["quarter"]) != q:
                continue
            where = f"objections[{k}]"
            oid: int = step(where, v.object, q0 + q - 1, w.ids[str(o["subject"])], 0, keccak(text=str(o.get("grounds", ""))), w.keys[str(o["objector"])])
            uphold = bool(o["uphold"])
            kind, delta = (KINDS[o["kind"]], int(o["delta"])) if uphold else (0, 0)
            voters = [s for s in council if s != str(o["subject"])]
            ob: Objection | None = None
            reason = keccak(text=str(o.get("reason", "")))
            for s in voters[: len(council) // 2 + 1]:  # more than half of the council, the same ruling (R-VC-7)
                ob = step(where, v.rule, oid, uphold, kind, delta, reason, w.keys[s])
            result_objections.append({"id": oid, "quarter": quarter_label(q0 + q - 1), "objector": str(o["objector"]), "subject": str(o["subject"]),
                                      "state": ob.as_json()["state"] if ob is not None else "open", "kind": o.get("kind"), "delta": delta})  # fmt: skip
        w.chain.wait_until(qi.deadline + 1)
        step(f"quarter {q}", v.finalize, q0 + q - 1)

    for month in range(1, 13):
        m = months.get(month)
        if m is not None:
            _month(w, v, month, m)
        if month in (4, 7, 10):
            publish(month // 3)
    publish(4)
    w.at(13, 28)
    progress("grading the year")
    annual: list[Annual] = step("grades", v.grade, w.year)
    w.mark("graded")
    balances: dict[str, int] = {}
    for sid in w.people:
        if Colour.BLUE in v.colours(w.ids[sid], w.year):
            balances[sid] = step(f"claim {sid}", v.claim, w.year, w.ids[sid]).balance
    redemptions = []
    for k, r in enumerate(data.get("redemptions") or []):
        p, kp = str(r["person"]), str(r["keeper"])
        account: CreditAccount = step(f"redemptions[{k}]", v.redeem, w.ids[p], w.ids[kp], int(r["item"]), int(r["quantity"]), w.keys[p], w.keys[kp])
        redemptions.append({"person": p, "keeper": kp, "item": int(r["item"]), "quantity": int(r["quantity"]), "balance": account.balance, "stock": v.item(int(r["item"])).stock})
    w.mark("supermarket")
    # R-VC-9: a grade below 基本合格 owes a rectification within three calendar months; the town confirms
    # those the scenario lists as `rectified`, the others lose their seat once the deadline has passed
    due = {sid: v.rectification(w.year, w.ids[sid]) for sid in w.people}
    due = {sid: r for sid, r in due.items() if r[1] == 1}
    listed = {str(p) for p in data.get("rectified") or []}
    for sid in sorted(due.keys() & listed):
        step(f"rectified {sid}", v.confirm_rectified, w.year, w.ids[sid], keccak(text=f"rectification of {sid}"), OFFICE)
    lapsed = sorted(due.keys() - listed)
    if lapsed:
        w.chain.wait_until(max(due[sid][0] for sid in lapsed) + 1)  # the first second after the deadline
        for sid in lapsed:
            step(f"seat {sid}", v.lose_seat, w.year, w.ids[sid])
    rectifications = {sid: {"deadline": due[sid][0], "state": RECTIFICATION[v.rectification(w.year, w.ids[sid])[1]]} for sid in sorted(due)}
    w.mark("rectifications")
    by_idx = {v.idx_of(pid): sid for sid, pid in w.ids.items()}
    quarters = {}
    for k in range(4):
        q = q0 + k
        qi = v.quarter(q)
        quarters[quarter_label(q)] = {
            "state": QuarterState(qi.state).name.lower(),
            "standings": [{"id": by_idx.get(s.idx), "rank": s.rank, "party": s.totals.party, "rep": s.totals.rep, "credit": s.totals.credit} for s in v.standings(q)],
        }
    grades = {by_idx[a.idx]: a.as_json() for a in annual}
    return {
        "scenario": data.get("title", ""),
        "people": {sid: str(p.get("name", sid)) for sid, p in w.people.items()},
        "chain": {"kind": chain.kind, "chain_id": chain.chain_id},
        "jurisdiction": {"code": code, "name": name, "address": j.address, "persons": persons.address},
        "village": {
            "code": data["village"]["code"],
            "year": w.year,
            "ledger": v.ledger.address,
            "quarters_contract": v.quarters.address,
            "market": v.market.address if v.market is not None else None,
            "list": {"version": version, "state": info.state_key if info else "proposed", "yes": info.yes if info else 0, "no": info.no if info else 0},
            "quarters": quarters,
            "objections": result_objections,
            "grades": grades,
            "balances": balances,
            "redemptions": redemptions,
            "rectifications": rectifications,
        },  # fmt: skip
        "gas": {k: {"transactions": len(g), "total": sum(g), "mean": sum(g) // len(g)} for k, g in sorted(chain.gas_used.items())},
        "timeline": w.timeline,
        "wall_seconds": round(time.monotonic() - t0, 2),
    }


def _month(w: _Village, v: VillageClient, month: int, m: dict[str, Any]) -> None:
    """One month's work: on the day after the last day named, anyone opens the month, persons declare,
    the team on duty verifies (never its own: another member takes those) and records negative items."""
    decls, negs = m.get("declarations") or [], m.get("negatives") or []
    last = max([int(d["day"]) for d in decls + negs] or [1])
    w.at(month, min(last + 1, 28))
    mi = month_index(w.year, month)
    mo: Month = step(f"months.{month}", v.open_month, mi)
    team = [sid for sid in w.people if w.team(sid) == mo.team]
    batches: dict[str, list[tuple[int, bool]]] = {}
    for k, d in enumerate(decls):
        sid = str(d["person"])
        evidence = keccak(text=f"evidence {sid} {d}")
        did: int = step(f"months.{month}.declarations[{k}]", v.declare, mi, w.profile.chain_code(d["criterion"]), int(d["day"]), evidence, w.keys[sid])
        verifier = next((s for s in team if s != sid), None)
        if verifier is None:  # R-VC-6: nobody verifies their own
            raise ScenarioRunError(f"months.{month}.declarations[{k}]", ValueError(f"R-VC-6: team {mo.team} has no member but the declarer"))
        batches.setdefault(verifier, []).append((did, bool(d.get("accept", True))))
    for verifier, items in batches.items():
        step(f"months.{month}.verify", v.verify, [i for i, _ in items], [a for _, a in items], w.keys[verifier])
    for k, d in enumerate(negs):
        sid = str(d["person"])
        rec = next((s for s in team if s != sid), None)
        if rec is None:  # R-VC-6: nobody records against themselves
            raise ScenarioRunError(f"months.{month}.negatives[{k}]", ValueError(f"R-VC-6: team {mo.team} has no member but the person"))
        evidence = keccak(text=f"negative {sid} {d}")
        step(f"months.{month}.negatives[{k}]", v.record_negative, w.ids[sid], mi, w.profile.chain_code(d["criterion"]), int(d["day"]), evidence, w.keys[rec])
    w.mark(f"{month_label_of(w.year, month)}: {len(decls)} declarations, {len(negs)} negative items", team=mo.team)
    w.progress(f"{month_label_of(w.year, month)}: {len(decls)} declarations verified by team {mo.team}, {len(negs)} negative items")


def month_label_of(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


__all__ = ["TOP_KEYS", "run", "validate"]
