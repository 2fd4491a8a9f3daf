"""Declarative scenarios: a term of office executed on a chain through the client library.

``zhili run SCENARIO.yaml`` validates the file (field-level errors, nothing sent), rehearses it on an
in-process chain when the target is a real node, then executes it and reports what the chain decided.
Every figure in the result is read back from the chain. The schema is documented in
``docs/scenarios.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract import Contract

from .. import profiles
from ..calendar.client import CalendarClient
from ..core import entropy
from ..core.chain import Chain, connect
from ..core.files import read_yaml
from ..core.journal import JournalError, RunJournal, digest
from ..core.store import ContentStore
from ..core.workdays import CalendarError, Notice, covered_years, cst_day
from ..deploy import plan
from ..election.client import ElectionClient, Electorate, Phase, Sealing, person_id, roll_persons
from ..election.credentials import Issuer
from ..election.scrutiny import Scrutineer, ScrutinyClient
from ..errors import InputError
from ..jurisdiction import registry
from ..persons.client import label_identity
from ..types import Office
from . import village
from .steps import ScenarioRunError, run_step
from .term import check_council, check_handover, check_reports, run_council, run_handover, run_reports

SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
BUILTIN = ("township", "county")  # the bundled terms of office (township and county profiles)
SCENARIOS = (*BUILTIN, "village")  # every bundled scenario: the terms and the village year (SPEC §9)
Progress = Callable[[str], None]


class ScenarioError(InputError, ValueError):
    """A malformed scenario; ``problems`` are ``field: problem`` strings. Nothing was sent."""

    prefix = "error"

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"invalid scenario {source}:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------------------- validation


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def mapping(self, value: Any, where: str, required: bool = True) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping, got {type(value).__name__ if value is not None else 'nothing'}")
            return {}
        return value

    def seq(self, value: Any, where: str, required: bool = True) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {type(value).__name__ if value is not None else 'nothing'}")
            return []
        return value

    def count(self, value: Any, where: str, lo: int = 0, hi: int = 100_000) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(where, f"expected a whole number, got {value!r}")
            return 0
        if not lo <= value <= hi:
            self.fail(where, f"{value} is outside {lo}..{hi}")
        return value

    def person(self, value: Any, where: str, people: set[str]) -> str | None:
        if not isinstance(value, str | int) or str(value) not in people:
            self.fail(where, f"unknown person {value!r} (not in people)")
            return None
        return str(value)

    def entries(self, value: Any, where: str, known: tuple[str, ...], required: bool = True) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each entry of the list ``value``: its place (``where[i]``) and its mapping, fields checked against ``known``."""
        for i, item in enumerate(self.seq(value, where, required)):
            w = f"{where}[{i}]"
            entry = self.mapping(item, w)
            self.unknown_keys(entry, w, known)
            yield w, entry

    def unknown_keys(self, table: dict[str, Any], where: str, known: tuple[str, ...]) -> None:
        for k in table:
            if k not in known:
                self.fail(f"{where}.{k}" if where else k, f"unknown field; expected one of {', '.join(known)}")


CORE_OFFICE_LIST = tuple(Office)[:5]


def prior_terms(n: int | dict[str, int]) -> dict[Office, int]:
    """``history.terms`` of one person: a plain number is secretary terms, a mapping gives terms per core office."""
    if isinstance(n, dict):
        return {Office.from_key(k): int(v) for k, v in n.items()}
    return {Office.SECRETARY: int(n)}


TOP_KEYS = ("profile", "jurisdiction", "people", "history", "election", "next_election", "council", "reports", "cycles", "documents", "handover", "title", "description", "calendar")
ELECTION_KEYS = (
    "candidates", "vetting_failures", "party_delegates", "party_ballots", "upper_strikes",
    "congress_deputies", "congress_ballots", "runoff_ballots", "administrator",
)  # fmt: skip


def _check_ballots(c: _Checker, value: Any, where: str, people: set[str]) -> None:
    for w, b in c.entries(value, where, ("names", "count")):
        for j, n in enumerate(c.seq(b.get("names"), f"{w}.names")):
            c.person(n, f"{w}.names[{j}]", people)
        c.count(b.get("count", 1), f"{w}.count", 0, 10_000)


def _check_election(c: _Checker, e: dict[str, Any], where: str, people: set[str], profile: profiles.Profile | None) -> None:
    c.unknown_keys(e, where, ELECTION_KEYS)
    cands = [c.person(x, f"{where}.candidates[{i}]", people) for i, x in enumerate(c.seq(e.get("candidates"), f"{where}.candidates"))]
    cand_set = {x for x in cands if x}
    dims = [d["key"] for d in profile.data["vetting_dimensions"]] if profile else []
    for pid, dim in c.mapping(e.get("vetting_failures"), f"{where}.vetting_failures", required=False).items():
        w = f"{where}.vetting_failures.{pid}"
        if str(pid) not in cand_set:
            c.fail(w, f"{pid!r} is not a candidate")
        if dims and dim not in dims and not (isinstance(dim, int) and 0 <= dim < len(dims)):
            c.fail(w, f"unknown vetting dimension {dim!r}; expected one of {dims}")
    c.count(e.get("party_delegates"), f"{where}.party_delegates", 1, 10_000)
    c.count(e.get("congress_deputies"), f"{where}.congress_deputies", 1, 10_000)
    _check_ballots(c, e.get("party_ballots"), f"{where}.party_ballots", cand_set)
    _check_ballots(c, e.get("congress_ballots"), f"{where}.congress_ballots", cand_set)
    for k, poll in enumerate(c.seq(e.get("runoff_ballots"), f"{where}.runoff_ballots", required=False)):
        _check_ballots(c, poll, f"{where}.runoff_ballots[{k}]", cand_set)
    for i, s in enumerate(c.seq(e.get("upper_strikes"), f"{where}.upper_strikes", required=False)):
        pid = s.get("id") if isinstance(s, dict) else s
        c.person(pid, f"{where}.upper_strikes[{i}]", cand_set)
    if e.get("administrator") is not None:
        c.person(e["administrator"], f"{where}.administrator", cand_set)
    for key, roll in (("party_ballots", "party_delegates"), ("congress_ballots", "congress_deputies")):
        total = sum(b.get("count", 1) for b in e.get(key) or [] if isinstance(b, dict) and isinstance(b.get("count", 1), int))
        if isinstance(e.get(roll), int) and total > e[roll]:
            c.fail(f"{where}.{key}", f"{total} ballots for {e[roll]} {roll.replace('_', ' ')} (R-EL-5: ballots cast never exceed ballots issued)")


def validate(data: Any, source: str = "<scenario>") -> list[str]:
    """Field-level problems of a scenario (empty: fine). Rules are the contracts' business."""
    c = _Checker()
    data = c.mapping(data, "<root>")
    if not data:
        return c.problems
    if data.get("profile") == "village":  # a village year (SPEC §9): its own schema (scenario/village.py)
        village.validate(c, data, calendar_notice)
        return c.problems
    c.unknown_keys(data, "", TOP_KEYS)
    profile = None
    if data.get("profile") not in BUILTIN:
        c.fail("profile", f"expected one of {BUILTIN}, got {data.get('profile')!r}")
    else:
        profile = profiles.load(data["profile"])
    j = c.mapping(data.get("jurisdiction"), "jurisdiction")
    c.unknown_keys(j, "jurisdiction", ("code", "name"))
    for k in ("code", "name"):
        if j and not (isinstance(j.get(k), str) and j[k].strip()):
            c.fail(f"jurisdiction.{k}", "expected a non-empty text")
    people: set[str] = set()
    for w, p in c.entries(data.get("people"), "people", ("id", "name")):
        pid = p.get("id")
        if not isinstance(pid, str | int) or str(pid) == "":
            c.fail(f"{w}.id", f"expected an id, got {pid!r}")
        elif str(pid) in people:
            c.fail(f"{w}.id", f"duplicate id {pid!r}")
        else:
            people.add(str(pid))
    h = c.mapping(data.get("history"), "history", required=False)
    c.unknown_keys(h, "history", ("secretary", "terms"))
    if h.get("secretary") is not None:
        c.person(h["secretary"], "history.secretary", people)
    for pid, n in c.mapping(h.get("terms"), "history.terms", required=False).items():
        c.person(pid, f"history.terms.{pid}", people)
        if isinstance(n, dict):  # terms per core office (R-TL-1: the township caps each one)
            c.unknown_keys(n, f"history.terms.{pid}", tuple(o.key for o in CORE_OFFICE_LIST))
            for office, k in n.items():
                c.count(k, f"history.terms.{pid}.{office}", 0, 10)
        else:  # a plain number: secretary terms
            c.count(n, f"history.terms.{pid}", 0, 10)
    if data.get("election") is None:
        c.fail("election", "missing")
    else:
        _check_election(c, c.mapping(data["election"], "election"), "election", people, profile)
    if data.get("next_election") is not None:
        _check_election(c, c.mapping(data["next_election"], "next_election"), "next_election", people, profile)
    for i, n in enumerate(c.seq(data.get("calendar"), "calendar", required=False)):
        try:
            calendar_notice(n)
        except CalendarError as exc:
            c.fail(f"calendar[{i}]", str(exc))

    check_council(c, data.get("council"), "council")
    check_handover(c, data.get("handover"), "handover")
    check_reports(c, data.get("reports"), "reports", people)
    return c.problems


def calendar_notice(entry: Any) -> Notice:
    """A scenario's ``calendar:`` entry: a holiday notice written inline (docs/calendar.md format)."""
    if not isinstance(entry, dict):
        raise CalendarError(f"SPEC §8: expected a notice (year, source, holidays, workdays), got {entry!r}")
    return Notice.parse(yaml.safe_dump(entry, allow_unicode=True, sort_keys=True).encode(), "the scenario's notice")


def load(name_or_path: str | Path) -> dict[str, Any]:
    """Load a bundled scenario by name (``township``, ``county``, ``village``) or a YAML file, validated."""
    path = SCENARIO_DIR / f"{name_or_path}.yaml" if str(name_or_path) in SCENARIOS else Path(name_or_path)
    data = read_yaml(path, "scenario", ScenarioError)
    problems = validate(data, str(path))
    if problems:
        raise ScenarioError(str(path), problems)
    return data


# ---------------------------------------------------------------------------- execution


@dataclass
class Context:
    chain: Chain
    profile: profiles.Profile
    jurisdiction: Contract
    persons: Contract
    ids: dict[str, bytes]
    keys: dict[str, LocalAccount]
    names: dict[bytes, str]
    staff: dict[str, int]
    progress: Progress
    plan_params: dict[str, Any]
    addresses: dict[str, str]  # the plan's steps deployed so far
    history_secretary: bytes | None = None
    merit_from: int = 0  # the block before the merit contracts were deployed (their logs start after it)
    free_gas: bool = False  # a real chain whose gas is free: people's keys are not funded
    sealing: Sealing | None = None  # the jurisdiction's scrutineers (R-EL-13), from the first election on
    store: ContentStore | None = None  # where anchored documents' content goes (the console demo's content service)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def deploy(self, *groups: str) -> tuple[dict[str, str], int]:
        """Deploy the plan's ``groups`` (zhili.deploy.plan) when the term first needs them; returns the
        addresses so far and the block before (where the new contracts' logs start)."""
        start = int(self.chain.w3.eth.block_number)
        return plan.apply(self.chain, self.plan_params, groups, self.addresses), start

    def pid(self, sid: Any) -> bytes:
        return self.ids[str(sid)]

    def key_of(self, pid: bytes) -> LocalAccount:
        return self.keys[self.names[pid]]

    def mark(self, what: str, **data: Any) -> None:
        """A point on the term's timeline (for the report): block, time, what happened."""
        blk = self.chain.w3.eth.get_block("latest")
        self.timeline.append({"block": int(blk["number"]), "time": int(blk["timestamp"]), "what": what, **data})


def _expand(ballots: list[dict[str, Any]], ctx: Context) -> list[list[bytes]]:
    out: list[list[bytes]] = []
    for b in ballots or []:
        out += [[ctx.pid(n) for n in b.get("names", [])]] * int(b.get("count", 1))
    return out


SCRUTINEERS, SCRUTINY_THRESHOLD = 5, 3  # SPEC R-EL-13: 3 of 5


def scrutineers(ctx: Context) -> Sealing:
    """The jurisdiction's ``Scrutiny`` and its five scrutineers (registered persons with keys of their own,
    encryption keys set from their devices), deployed with the first election (R-EL-13)."""
    if ctx.sealing is None:
        deployed, start = ctx.deploy("scrutiny")  # the plan's wiring
        s = ScrutinyClient.at(ctx.chain, deployed["scrutiny"], start)
        members = []
        for pid, key in roll_persons(ctx.chain, ctx.persons, "scrutineer", SCRUTINEERS):
            if not ctx.free_gas:
                ctx.chain.fund(key.address, 10**18)
            m = Scrutineer(pid, key)
            s.set_encryption_key(m)
            members.append(m)
        ctx.sealing = Sealing(s, members, SCRUTINY_THRESHOLD)
    return ctx.sealing


def run_election(ctx: Context, spec: dict[str, Any], where: str, term: int) -> dict[str, Any]:
    chain, auth, relayer = ctx.chain, ctx.staff["election_authority"], ctx.staff["relayer"]
    succ = ctx.addresses.get("succession")
    sealing = scrutineers(ctx)  # every poll sealed to the scrutineers (R-EL-13)
    e = ElectionClient.deploy(chain, ctx.jurisdiction, ctx.persons, term, succession=succ, scrutiny=sealing.scrutiny.contract.address)
    e.names = ctx.names
    e.sealing = sealing
    dims = [d["key"] for d in ctx.profile.data["vetting_dimensions"]]
    cands = [ctx.pid(c) for c in spec["candidates"]]
    run_step(f"{where}.candidates", lambda: e.add_candidates(cands, auth))
    failures = {str(k): v for k, v in (spec.get("vetting_failures") or {}).items()}
    for sid in spec["candidates"]:
        dim = failures.get(str(sid))
        failed = [] if dim is None else [dim if isinstance(dim, int) else dims.index(dim)]
        run_step(f"{where}.vetting_failures.{sid}", lambda: e.vet(ctx.pid(sid), failed, keccak(text=f"vetting report {sid}"), ctx.staff["vetting_board"]))
    issuer = Issuer.generate()  # the authority's blind-signing key for this election (R-EL-7)
    for electorate, label, n in ((Electorate.PARTY, f"{where} delegate", spec["party_delegates"]), (Electorate.CONGRESS, f"{where} deputy", spec["congress_deputies"])):
        voters = roll_persons(chain, ctx.persons, label, n)
        e.register_voters(electorate, [pid for pid, _ in voters], auth)
        e.enrol(electorate, voters, issuer, auth, relayer)  # each voter's device asks, unblinds, registers
    ctx.progress(f"{where}: stage 1 ({len(cands)} candidates, {spec['party_delegates']} party delegates)")
    run_step(f"{where}.candidates", lambda: e.begin_stage1(auth))
    runoffs = list(spec.get("runoff_ballots") or [])
    used = 0

    def settle() -> None:
        nonlocal used
        while (r := e.pending_round()) is not None:
            p = e.poll(r)
            if used >= len(runoffs):
                names = [ctx.names.get(c, c.hex()) for c in p.candidates]
                raise ScenarioRunError(
                    f"{where}.runoff_ballots[{used}]",
                    ValueError(f"the chain scheduled a runoff ({p.purpose.name.lower()}, {p.seats} place(s) among {names}) and the scenario has no ballots for it"),
                )
            ctx.progress(f"{where}: runoff {used + 1} ({p.purpose.name.lower()}) among {[ctx.names[c] for c in p.candidates]}")
            ballots = _expand(runoffs[used], ctx)
            run_step(f"{where}.runoff_ballots[{used}]", lambda: e.run_poll(ballots, auth, relayer))
            ctx.mark("runoff", purpose=p.purpose.name.lower(), candidates=[ctx.names[c] for c in p.candidates])
            used += 1

    run_step(f"{where}.party_ballots", lambda: e.run_poll(_expand(spec["party_ballots"], ctx), auth, relayer))
    settle()
    for i, s in enumerate(spec.get("upper_strikes") or []):
        sid, reason = (s["id"], s.get("reason", "struck")) if isinstance(s, dict) else (s, "struck")
        run_step(f"{where}.upper_strikes[{i}]", lambda: e.strike(ctx.pid(sid), keccak(text=str(reason)), ctx.staff["upper_committee"]))
        settle()
    run_step(f"{where}.upper_strikes", lambda: e.approve_list(ctx.staff["upper_committee"]))
    ctx.progress(f"{where}: stage 2 ({spec['congress_deputies']} congress deputies)")
    run_step(f"{where}.congress_ballots", lambda: e.run_poll(_expand(spec["congress_ballots"], ctx), auth, relayer))
    settle()
    if e.phase == Phase.AWAITING_PICK:
        if spec.get("administrator") is None:
            raise ScenarioRunError(f"{where}.administrator", ValueError("the secretary must pick the administrator (R-EL-10): name one"))
        sec = e.offices()["secretary"]
        assert sec is not None
        run_step(f"{where}.administrator", lambda: e.pick_administrator(ctx.pid(spec["administrator"]), ctx.key_of(sec)))
        settle()
    res = e.results()
    ctx.mark("election", term=term, offices=res["offices"])
    ctx.progress(f"{where}: offices " + ", ".join(f"{k} {v}" for k, v in res["offices"].items()))
    res["address"] = e.contract.address
    res["scrutiny"] = sealing.scrutiny.contract.address
    if succ is not None:  # R-SU-1: the order the election's completion set from the seated offices
        order = chain.call(chain.contract("Succession", succ).functions.order())
        res["succession"] = [ctx.names[bytes(p)] for p in order]
    return res


def run(data: dict[str, Any], chain: Chain, progress: Progress = lambda s: None, store: ContentStore | None = None) -> dict[str, Any]:
    """Execute a validated scenario on ``chain``; returns the result with stable keys (docs/scenarios.md).
    ``store`` keeps the content of the documents the term anchors (after the chain accepted each)."""
    if data["profile"] == "village":
        return village.run(data, chain, calendar_notice, progress)
    t0 = time.monotonic()
    chain.gas_used.clear()
    profile = profiles.load(data["profile"])
    acc = chain.accounts
    if len(acc) < 9:
        raise ScenarioRunError("<chain>", ValueError(f"the runner needs 9 signing keys (admin, 7 roles, relayer); {len(acc)} configured"))
    staff = {role: 1 + i for i, role in enumerate(registry.ROLES)} | {"admin": 0, "relayer": 8}
    roles = {role: [acc[i].address] for role, i in staff.items() if role in registry.ROLES}
    code, name = data["jurisdiction"]["code"], data["jurisdiction"]["name"]
    progress(f"deploying {name} ({code}), {profile.data['name']['en']} profile")
    # the deployment plan's wiring (zhili.deploy.plan), each group when the term first needs it
    years = covered_years(cst_day(chain.now()).year)
    params = plan.parameters(profile, code, name, acc[0].address, roles=roles, secretariat=[acc[staff["relayer"]].address], notices=[Notice.from_library(y) for y in years])
    plan.preflight(chain, params)  # nothing is sent for a jurisdiction the contract refuses
    addresses = plan.apply(chain, params, ("calendar", "jurisdiction"))
    j = chain.contract("Jurisdiction", addresses["jurisdiction"])
    cal = CalendarClient.at(chain, addresses["calendar"])
    for n in data.get("calendar") or []:  # years the library does not cover, from the scenario's notices
        notice = calendar_notice(n)
        if not cal.is_published(notice.year):
            cal.publish(notice, 0)
            progress(f"working-day calendar {notice.year} published from the scenario ({notice.source})")
    persons = chain.contract("PersonRegistry", plan.apply(chain, params, ("persons",), addresses)["persons"])
    ids, keys, names = {}, {}, {}
    salt = f"zhili-scenario:{code}".encode()
    # people sign their own transactions (oaths, picks, appeals): they need gas money unless gas is free
    free_gas = chain.kind == "rpc" and (chain.gas_price if chain.gas_price is not None else int(chain.w3.eth.gas_price)) == 0
    for p in data["people"]:
        sid = str(p["id"])
        pid = person_id(sid, salt)
        acct = Account.from_key(keccak(salt + b":key:" + sid.encode()))
        chain.transact(persons.functions.register(pid, acct.address, label_identity(f"{salt.decode()}:{sid}")), label="persons.register")
        if not free_gas:
            chain.fund(acct.address, 10**18)
        ids[sid], keys[sid], names[pid] = pid, acct, sid
    ctx = Context(chain, profile, j, persons, ids, keys, names, staff, progress, params, addresses, free_gas=free_gas, store=store)
    history = data.get("history") or {}
    for sid, n in (history.get("terms") or {}).items():
        for office, k in prior_terms(n).items():
            if k:
                chain.transact(persons.functions.declarePriorTerms(ids[str(sid)], office, k), label="persons.declarePriorTerms")
    if history.get("secretary") is not None:  # the secretary before the chain, declared once (R-EL-8)
        ctx.history_secretary = ids[str(history["secretary"])]
        chain.transact(j.functions.declarePriorSecretary(ctx.history_secretary), label="registry.declarePriorSecretary")
    ctx.mark("start")
    result: dict[str, Any] = {
        "scenario": data.get("title", ""),
        "people": {str(p["id"]): str(p.get("name", p["id"])) for p in data["people"]},
        "threshold": profile.threshold,
        "chain": {"kind": chain.kind, "chain_id": chain.chain_id},
        "jurisdiction": {"code": code, "name": name, "address": j.address, "persons": persons.address},
    }
    # the succession order exists before the election, whose completion sets it (R-SU-1)
    ctx.merit_from = ctx.deploy("merit_book", "merit")[1]
    result["election"] = run_election(ctx, data["election"], "election", 1)
    if data.get("council"):
        ctx.progress(f"council: {len(data['council'])} motions")
        result["council"], result["documents"], council, ledger = run_council(ctx, data["council"], "council")
        result["contracts"] = {"council": council.address, "evidence": ledger.contract.address}
    if data.get("reports"):
        ctx.progress(f"reports: {len(data['reports'])} through the four-step review")
        secretary_before = bytes(chain.call(j.functions.holder(Office.SECRETARY)))
        merit_part, mclient = run_reports(ctx, data["reports"], "reports")
        if data.get("handover") and bytes(chain.call(j.functions.holder(Office.SECRETARY))) != secretary_before:
            result["handover"] = run_handover(ctx, data["handover"], secretary_before, "handover")
        result |= merit_part
        result.setdefault("contracts", {})["merit_ledger"] = mclient.ledger.address
    if data.get("next_election"):
        result["next_election"] = run_election(ctx, data["next_election"], "next_election", 2)
    holders = chain.call(j.functions.holders())
    result["offices"] = {o.key: (names.get(bytes(h)) if any(h) else None) for o, h in zip(Office, holders)}
    result["terms"] = {sid: int(chain.call(persons.functions.termsServed(pid, Office.SECRETARY))) for sid, pid in ids.items()}
    result["gas"] = {k: {"transactions": len(v), "total": sum(v), "mean": sum(v) // len(v)} for k, v in sorted(chain.gas_used.items()) if not k.endswith((".per_ballot", ".per_voter"))}
    result["timeline"] = ctx.timeline
    result["wall_seconds"] = round(time.monotonic() - t0, 2)
    return result


def execute(
    data: dict[str, Any],
    target: str = "embedded",
    *,
    rehearse: bool = True,
    progress: Progress = lambda s: None,
    chain_id: int | None = None,
    journal: str | Path | None = None,
    seed: bytes | None = None,
) -> dict[str, Any]:
    """Run on ``target``; a real node gets the scenario only after a clean rehearsal in process.

    With ``journal`` (a file) the run is resumable: every transaction is written there before it is
    sent, and running the same scenario again with the same journal after a crash replays what is
    already on chain (sending nothing twice) and carries on (:mod:`zhili.core.journal`). ``seed`` fixes the
    run's secrets (credentials, salts) for a new journal; by default they are random.
    """
    if journal is not None:
        return _execute_journaled(data, target, Path(journal), rehearse=rehearse, progress=progress, chain_id=chain_id, seed=seed)
    with connect(target, chain_id=chain_id) as chain:  # the node and its chain id are checked first
        if rehearse and target not in ("embedded", "anvil"):  # a real node: a self-started anvil dies with us
            progress("rehearsal on the embedded chain (nothing is sent to the target until it passes)")
            with connect("embedded", genesis_time=chain.now()) as rehearsal:  # the target's date: same calendar
                run(data, rehearsal)
        if seed is None:
            return run(data, chain, progress)
        with entropy.seeded(seed):
            return run(data, chain, progress)


def _execute_journaled(data: dict[str, Any], target: str, path: Path, *, rehearse: bool, progress: Progress, chain_id: int | None, seed: bytes | None) -> dict[str, Any]:
    if target in ("embedded", "anvil"):
        raise ScenarioRunError("--journal", ValueError(f"a journal resumes a run on a node that outlives the process; the {target} chain ends with it (use a URL)"))
    with connect(target, chain_id=chain_id) as chain:
        j = RunJournal.open(path, scenario=journal_digest(data), chain_id=chain.chain_id, seed=seed or entropy.new_seed(), start_block=int(chain.w3.eth.block_number))
        try:
            if j.entries and seed is not None and seed != j.seed:
                raise JournalError(f"{path}: --seed differs from the seed this journal's run was made with; leave it out to resume")
            if j.entries:
                done = sum(1 for e in j.entries if "block" in e)
                progress(f"resuming from {path}: {done} of the run's steps are on chain and are replayed, not sent again")
            elif rehearse:
                progress("rehearsal on the embedded chain (nothing is sent to the target until it passes)")
                with connect("embedded", genesis_time=chain.now()) as rehearsal:  # the target's date: same calendar
                    run(data, rehearsal)
            replayed = len(j.entries)
            chain.attach_journal(j)
            with entropy.seeded(j.seed):
                result = run(data, chain, progress)
            result["journal"] = {"path": str(path), "steps": len(j.entries), "replayed": replayed, "sent": j.sent}
            if not j.finished:
                j.finish({k: v for k, v in result.items() if k not in ("journal", "wall_seconds")})
            return result
        finally:
            j.close()


def journal_digest(data: dict[str, Any]) -> str:
    """What a journal is bound to: the scenario and the client that turns it into transactions."""
    from .. import __version__

    return digest({"scenario": data, "zhili": __version__})
