"""The rest of a term in a scenario: council motions (SPEC §3), their documents (§4), reports through
the merit review and succession (§5, §6). Used by ``zhili.scenario.runner``; every outcome is read back from
the chain."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eth_utils import keccak

from ..council.client import CouncilClient, Position, Proposal, Windows, text_id
from ..council.client import Kind as MotionKind
from ..evidence.client import DocMeta, EvidenceClient
from ..evidence.client import Kind as DocKind
from ..merit.client import Award, Conclusion, Decision, Finding, MeritClient, ReporterClass, Stage
from ..merit.identity import CommitteeKey, ReporterIdentity
from ..types import CORE_OFFICES, Category, Office
from .steps import ScenarioRunError, run_step

POSITIONS = {"yes": Position.YES, "no": Position.NO, "abstain": Position.ABSTAIN}


def position(value: Any) -> str | None:
    """A vote as written in YAML: yes/no (YAML 1.1 reads them as booleans) or abstain."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value if value in POSITIONS else None


OUTCOMES = ("upheld", "rejected", "false", "corruption")
REPORTER_KINDS = {"committee_member": ReporterClass.COMMITTEE_MEMBER, "cadre": ReporterClass.CADRE, "citizen": ReporterClass.CITIZEN}
WINDOWS = Windows(classify=600, vote=3600, reveal=3600)


def check_council(c: Any, items: Any, where: str) -> None:
    """Field checks of ``council`` (the _Checker of zhili.scenario.runner)."""
    offices = [o.key for o in CORE_OFFICES]
    for w, m in c.entries(items, where, ("id", "category", "kind", "budget", "votes", "unrevealed", "document", "title"), required=False):
        if m.get("category") not in [k.key for k in Category]:
            c.fail(f"{w}.category", f"expected one of {[k.key for k in Category]}, got {m.get('category')!r}")
        if m.get("kind", "general") not in ("general", "budget", "spending"):
            c.fail(f"{w}.kind", f"expected general, budget or spending, got {m.get('kind')!r}")
        b = c.mapping(m.get("budget"), f"{w}.budget", required=False)
        c.unknown_keys(b, f"{w}.budget", ("line", "amount", "year"))
        if b:
            c.count(b.get("amount"), f"{w}.budget.amount", 0, 10**15)
        for office, pos in c.mapping(m.get("votes"), f"{w}.votes").items():
            if office not in offices:
                c.fail(f"{w}.votes.{office}", f"unknown office; expected one of {offices}")
            if position(pos) is None:
                c.fail(f"{w}.votes.{office}", f"expected yes, no or abstain, got {pos!r}")
        for j, office in enumerate(c.seq(m.get("unrevealed"), f"{w}.unrevealed", required=False)):
            if office not in offices:
                c.fail(f"{w}.unrevealed[{j}]", f"unknown office {office!r}")
        d = c.mapping(m.get("document"), f"{w}.document", required=False)
        c.unknown_keys(d, f"{w}.document", ("title", "amend", "revoke"))


def outcome(value: Any) -> Any:
    """``false`` (a false accusation, R-MR-8) is read by YAML 1.1 as a boolean."""
    return "false" if value is False else value


def check_reports(c: Any, items: Any, where: str, people: set[str]) -> None:
    for w, r in c.entries(items, where, ("id", "reporter", "accused", "kind", "award", "outcome", "removes_accused", "appeal"), required=False):
        c.person(r.get("reporter"), f"{w}.reporter", people)
        c.person(r.get("accused"), f"{w}.accused", people)
        if r.get("kind", "committee_member") not in REPORTER_KINDS:
            c.fail(f"{w}.kind", f"expected one of {list(REPORTER_KINDS)}, got {r.get('kind')!r}")
        if outcome(r.get("outcome")) not in OUTCOMES:
            c.fail(f"{w}.outcome", f"expected one of {OUTCOMES}, got {r.get('outcome')!r}")
        if r.get("award", "none") not in [a.key for a in Award]:
            c.fail(f"{w}.award", f"expected one of {[a.key for a in Award]}, got {r.get('award')!r}")


# ---------------------------------------------------------------------------- council and documents


def run_council(ctx: Any, motions: list[dict[str, Any]], where: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], CouncilClient, EvidenceClient]:

    chain, j = ctx.chain, ctx.jurisdiction
    secretariat = ctx.staff["relayer"]
    deployed, start = ctx.deploy("council", "evidence")  # the plan's wiring; its secretariat is the relayer
    council = CouncilClient.at(chain, deployed["council"], from_block=start)
    council.names = ctx.names
    ledger = EvidenceClient.at(chain, deployed["evidence"], start)
    holder = {o: bytes(chain.call(j.functions.holder(o))) for o in CORE_OFFICES}
    out, docs = [], []
    fps: dict[str, bytes] = {}
    for i, m in enumerate(motions):
        w = f"{where}[{i}]"
        cat = Category.from_key(m["category"])
        b = m.get("budget") or {}
        kind = MotionKind[(m.get("kind") or ("spending" if b else "general")).upper()]
        prop = Proposal(
            cat, keccak(text=f"{m['id']} content"), [keccak(text=f"{m['id']} basis")], text_id("annual plan"), kind,
            text_id(str(b["line"])) if b.get("line") else b"\0" * 32, int(b.get("year", 2026)) if b else 0, int(b.get("amount", 0)), WINDOWS,
        )  # fmt: skip
        motion = run_step(f"{w}", lambda: council.propose(prop, secretariat))
        council.wait_for_classification(motion)
        lead = council.lead(motion)
        if lead is None or not any(holder[lead]):
            raise ScenarioRunError(f"{w}.category", ValueError(f"the lead office of {cat.key} is vacant: nobody can state the opinion (R-WD-4)"))
        run_step(f"{w}", lambda: council.state_opinion(motion, keccak(text=f"{m['id']} opinion"), ctx.key_of(holder[lead])))
        votes = []
        for office_key, pos in (m.get("votes") or {}).items():
            office = Office.from_key(office_key)
            if not any(holder[office]):
                raise ScenarioRunError(f"{w}.votes.{office_key}", ValueError(f"the {office_key} seat is vacant and cannot vote (R-TC-3)"))
            key = ctx.key_of(holder[office])
            v = run_step(f"{w}.votes.{office_key}", lambda: council.seal(motion, POSITIONS[position(pos) or "abstain"], key, office))
            run_step(f"{w}.votes.{office_key}", lambda: council.commit(v, key))
            votes.append(v)
        hidden = set(m.get("unrevealed") or [])
        shown = [v for v in votes if v.office.key not in hidden]
        if len(shown) < len(votes) or len(votes) < sum(1 for o in CORE_OFFICES if any(holder[o])):
            council.wait_for_vote_end(motion)
        if shown:
            run_step(f"{w}", lambda: council.reveal(shown, ctx.staff["relayer"]))
        if len(shown) < len(votes):
            council.wait_for_reveal_end(motion)
        run_step(f"{w}", lambda: council.close(motion, ctx.staff["relayer"]))
        d = council.decision(motion)
        first = bytes(d["firstResponsible"])
        row = {"id": m["id"], "motion": motion, "category": cat.key, "kind": kind.name.lower(), "yes_weight": int(d["yesWeight"]),
               "passed": bool(d["passed"]), "first_responsible": ctx.names.get(first) if any(first) else None}  # fmt: skip
        if b:
            row["budget"] = {"line": b.get("line"), "amount": int(b.get("amount", 0))}
        out.append(row)
        ctx.mark("motion", id=m["id"], passed=row["passed"])
        ctx.progress(f"{w}: motion {m['id']} ({cat.key}) yes weight {row['yes_weight']} → {'passed' if row['passed'] else 'failed'}")
        doc = m.get("document")
        if doc and row["passed"]:
            signer = ctx.key_of(holder[Office.SECRETARY])
            data = f"{m['id']}: {doc.get('title', m['id'])}".encode()
            meta = DocMeta(doc.get("title", str(m["id"])), cat, summary=f"decision on motion {motion}", motion_id=motion)
            fp = run_step(f"{w}.document", lambda: ledger.anchor(data, meta, signer, store=ctx.store))
            fps[m["id"]] = fp
            if doc.get("amend"):
                data2 = data + b" (amended)"
                meta2 = replace(meta, title=meta.title + "（修订）")
                fp = run_step(f"{w}.document.amend", lambda: ledger.new_version(fps[m["id"]], DocKind.AMENDMENT, data2, meta2, str(doc["amend"]), signer, store=ctx.store))
                docs.append(_doc_row(ledger, data, m["id"]))
                data = data2
            if doc.get("revoke"):
                data3 = data + b" (revoked)"
                run_step(f"{w}.document.revoke", lambda: ledger.new_version(fp, DocKind.REVOCATION, data3, meta, str(doc["revoke"]), signer, store=ctx.store))
            docs.append(_doc_row(ledger, data, m["id"]))
    return out, docs, council, ledger


def _doc_row(ledger: EvidenceClient, data: bytes, motion_id: str) -> dict[str, Any]:
    """A document version as the chain sees it: trace code, version, status; verified = valid and current (R-DOC-1)."""
    v = ledger.verify(data, ("sha256",))
    return {"trace_code": v.trace, "motion": motion_id, "version": v.version, "status": v.status.name.lower(), "verified": v.valid}


# ---------------------------------------------------------------------------- reports and succession


def run_reports(ctx: Any, reports: list[dict[str, Any]], where: str) -> tuple[dict[str, Any], MeritClient]:

    chain = ctx.chain
    deployed, _ = ctx.deploy("merit_book", "merit")  # the plan's wiring (deployed before the election, R-SU-1)
    m = MeritClient.at(chain, deployed["merit_ledger"], from_block=ctx.merit_from)
    m.names = ctx.names
    committee = ctx.staff["merit_committee"]
    history = [{"label": "elected", "order": [ctx.names[p] for p in m.order()]}]
    ckey = CommitteeKey.generate()
    r1, r2 = chain.accounts[ctx.staff["relayer"]].address, chain.accounts[0].address
    for i, r in enumerate(reports):
        w = f"{where}[{i}]"
        reporter, accused = ctx.pid(r["reporter"]), ctx.pid(r["accused"])
        award = Award.from_key(r.get("award", "none"))
        ident = ReporterIdentity.new(reporter, name=str(r["reporter"]))
        cls = REPORTER_KINDS[r.get("kind", "committee_member")]
        case, _blob = run_step(w, lambda: m.report(accused, cls, award, f"evidence {r['id']}".encode(), ident, ckey, ctx.staff["relayer"]))
        run_step(w, lambda: m.assign(case, r1, r2, committee))
        result = outcome(r["outcome"])
        upheld = result in ("upheld", "corruption")
        concl = Conclusion.SUBSTANTIATED if upheld else Conclusion.UNSUBSTANTIATED
        o1 = run_step(w, lambda: m.seal_review(case, concl, keccak(text="review 1"), ctx.staff["relayer"]))
        o2 = run_step(w, lambda: m.seal_review(case, concl, keccak(text="review 2"), 0))
        run_step(w, lambda: m.open_review(o1, ctx.staff["relayer"]))
        run_step(w, lambda: m.open_review(o2, 0))
        run_step(w, lambda: m.recheck(case, keccak(text="big data re-check"), True, committee))
        finding = {
            "upheld": Finding.REMOVED if r.get("removes_accused") else Finding.INVESTIGATED,
            "rejected": Finding.UNFOUNDED, "false": Finding.MALICIOUS, "corruption": Finding.CORRUPTION,
        }[result]  # fmt: skip
        d = Decision(finding, award if upheld else Award.NONE, finding_hash=keccak(text=f"finding {r['id']}"))
        if d.award != Award.NONE or finding == Finding.MALICIOUS:  # R-MR-8: a malicious reporter always pays
            d = replace(d, reporter=ident.person_id, reporter_salt=ident.salt)
        run_step(f"{w}.outcome", lambda: m.propose(case, d, committee))
        run_step(w, lambda: m.vote(case, True, committee))
        deadline = run_step(w, lambda: m.publish(case, keccak(text=f"notice {r['id']}"), committee)).deadline
        if r.get("appeal"):
            appellant = accused if upheld else reporter
            run_step(f"{w}.appeal", lambda: m.appeal(case, appellant, keccak(text="grounds"), ctx.key_of(appellant)))
            # the appeal is answered in time and the decision stands (R-MR-11)
            run_step(f"{w}.appeal", lambda: m.decide_appeal(case, True, keccak(text="answer"), ctx.staff["upper_committee"]))
        else:
            chain.wait_until(deadline + 1)
        if m.case(case).stage != Stage.FINAL:
            run_step(w, lambda: m.finalize(case, 0))
        history.append({"label": str(r["id"]), "order": [ctx.names[p] for p in m.order()]})
        ctx.mark("report", id=r["id"], outcome=result)
        ctx.progress(f"{w}: report {r['id']} ({r['reporter']} on {r['accused']}) → {result}; order {history[-1]['order']}")
    merit = {}
    for sid, pid in ctx.ids.items():
        t = m.totals(pid)
        black = bool(chain.call(ctx.persons.functions.isBlacklisted(pid)))
        if t["merit"] or t["demerit"] or black:
            merit[sid] = {"merit": t["merit"], "demerit": t["demerit"], "warning": t["warning_list"], "resigned": t["must_resign"], "blacklisted": black}
    holders = chain.call(ctx.jurisdiction.functions.holders())
    mid = {o.key: (ctx.names.get(bytes(h)) if any(h) else None) for o, h in zip(Office, holders)}
    return {"merit": merit, "succession": [ctx.names[p] for p in m.order()], "succession_history": history, "offices_after_reports": mid}, m


# ---------------------------------------------------------------------------- oath and handover


def check_handover(c: Any, spec: Any, where: str) -> None:
    h = c.mapping(spec, where, required=False)
    c.unknown_keys(h, where, ("checklist",))
    groups = c.mapping(h.get("checklist"), f"{where}.checklist", required=bool(h))
    c.unknown_keys(groups, f"{where}.checklist", ("credentials", "files", "assets", "work_items"))
    for g, items in groups.items():
        for i, item in enumerate(c.seq(items, f"{where}.checklist.{g}")):
            if not isinstance(item, str) or not item.strip():
                c.fail(f"{where}.checklist.{g}[{i}]", "expected a non-empty text")


def run_handover(ctx: Any, spec: dict[str, Any], outgoing: bytes, where: str) -> dict[str, Any]:
    """The new secretary's oath (R-DOC-6) and the handover from ``outgoing`` (R-DOC-7): the checklist's
    four groups with item fingerprints, signed by outgoing, incoming and the supervisor (the discipline
    secretary)."""
    from ..evidence.handover import HandoverClient

    chain, j = ctx.chain, ctx.jurisdiction
    supervisor_role = ctx.staff["oath_supervisor"]
    deployed, start = ctx.deploy("handover")  # the plan's wiring
    h = HandoverClient.at(chain, deployed["handover"], start)
    incoming = bytes(chain.call(j.functions.holder(Office.SECRETARY)))
    supervisor = bytes(chain.call(j.functions.holder(Office.DISCIPLINE)))
    oath = run_step(f"{where}", lambda: h.schedule_oath(incoming, Office.SECRETARY, supervisor_role))
    run_step(f"{where}", lambda: h.record_oath(oath, f"oath recording of {ctx.names[incoming]}".encode(), supervisor_role))
    hid = run_step(f"{where}.checklist", lambda: h.open(oath, outgoing, supervisor, spec["checklist"], supervisor_role))
    for who in (outgoing, incoming, supervisor):
        run_step(f"{where}", lambda: h.sign(hid, who, ctx.key_of(who)))
    case = h.case(hid)
    ctx.mark("handover", outgoing=ctx.names[outgoing], incoming=ctx.names[incoming])
    ctx.progress(f"{where}: oath of {ctx.names[incoming]} recorded; handover from {ctx.names[outgoing]} signed by all three")
    return {"oath": oath, "handover": hid, "outgoing": ctx.names[outgoing], "incoming": ctx.names[incoming],
            "supervisor": ctx.names[supervisor], "items": sum(len(v) for v in spec["checklist"].values()),
            "signed_at": int(case["signedAt"]), "transition_ends": int(case["transitionEnds"]),
            "lookback_ends": int(case["lookbackEnds"]), "address": h.contract.address}  # fmt: skip
