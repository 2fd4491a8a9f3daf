"""Contracts and reference model agree on SPEC §5–§6 for random sequences of acts (hypothesis stateful).

Each step is one act on the chain (a report taken through the four review steps to publication, an
appeal, an appeal answer, finality after the window, time passing, an assessment cycle opened or
closed, an offset, enforcement) and the same act on the pure-Python model (tests/model/merit.py).
After every step both must show the same ledgers (R-MR-1), blacklist (R-MR-9), warning and
resignation status (R-MR-7), offices and terms (R-SU-2, R-TC-3, R-TL-1), succession order (R-SU-1 …
R-SU-5) and case stages (R-MR-10, R-MR-11). Refusals must be the same custom error on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from eth_utils import keccak
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from merit_kit import SEATED, MeritWorld, build_merit_world, reveal
from model import examples
from model.merit import REMOVAL_AWARDS, MeritModel, ModelError, Table
from model.merit import Decision as MDecision
from zhili import profiles
from zhili.core.chain import Chain, ContractRevert
from zhili.core.workdays import Deadline
from zhili.merit.client import Award, Decision, Finding, ReporterClass, Stage, table_from_profile
from zhili.testing import Staff
from zhili.types import Office, Role

_WORLDS: dict[str, MeritWorld] = {}
N = 14
CLASS_AWARDS = {
    "committee_member": ["none", "direct_superior_removed", "key_clue_same_level_secretary", "peer_investigated", "other_department_removed"],
    "cadre": ["none", "peer_investigated", "other_department_removed", "direct_superior_removed"],
    "citizen": ["none", "citizen_section_level", "citizen_division_level", "citizen_bureau_level"],
}
FINDINGS = ["unfounded", "malicious", "investigated", "removed", "corruption", "corruption", "procedural", "procedural", "dereliction"]
STAGES = {Stage.PUBLISHED: "published", Stage.APPEALED: "appealed", Stage.FINAL: "final", Stage.ANNULLED: "annulled", Stage.RECHECKED: "stuck",
          Stage.ESCALATED: "escalated"}  # fmt: skip
HIGHER = Staff.ORG  # the committee two levels up (R-MR-11 escalation)


@pytest.fixture
def mworld(session_chain: Chain) -> Iterator[MeritWorld]:
    if session_chain.kind not in _WORLDS:
        _WORLDS[session_chain.kind] = build_merit_world(session_chain, profile=stress_profile())
    yield _WORLDS[session_chain.kind]


# The stress test's own numbers (tenths; days), written once here and given to both sides: to the
# profile the contracts are deployed from and to the model. Heavier sanctions, so that a few cases reach
# the thresholds (R-MR-7); a short assessment cycle (R-SU-5), so that a random walk closes some cycles
# and is refused others. Everything else is SPEC's: the profile's for the chain, the model's own
# transcription (tests/model/merit.py) for the model.
STRESS = {"direct_supervisor": 30, "next_level": 10, "earlier_clue_refund": 1, "silence": 15, "procedural_sanction_max": 30, "assessment_cycle_days": 4}


def stress_profile() -> profiles.Profile:
    """The township profile with the numbers of :data:`STRESS`."""
    import copy

    base = profiles.load("township")
    data = copy.deepcopy(base.data)
    data["merit"]["leadership_liability"] = {k: STRESS[k] for k in ("direct_supervisor", "next_level", "earlier_clue_refund")}
    data["merit"]["silence"] = STRESS["silence"]
    data["merit"]["procedural_sanction_max"] = STRESS["procedural_sanction_max"]
    data["merit"]["assessment_cycle_days"] = STRESS["assessment_cycle_days"]
    return profiles.Profile(data=data, source="stress")


def model_table() -> Table:
    """The model's table: SPEC's township numbers as the model transcribes them (its own award table,
    not the client's ``table_from_profile``), with :data:`STRESS` applied."""
    return Table(
        liability_direct=STRESS["direct_supervisor"], liability_next=STRESS["next_level"], clue_refund=STRESS["earlier_clue_refund"],
        silence=STRESS["silence"], procedural_max=STRESS["procedural_sanction_max"], min_cycle=STRESS["assessment_cycle_days"] * 86400,
    )  # fmt: skip


def _client_table(profile: profiles.Profile) -> Table:
    """What the client deploys for ``profile`` (``table_from_profile``, the ledger's constructor data,
    and the profile's thresholds), in the model's shape: only for the cross-check below."""
    t, m = table_from_profile(profile), profile.data["merit"]
    return Table(
        {a.key: int(t[0][a]) for a in Award if a != Award.NONE}, *t[1:8], warning=int(m["warning_demerit"]), resign=int(m["resign_demerit"]),
        margin=int(m["overtake_margin"]), term_limit=int(profile.data["election"]["secretary_term_limit"]), min_cycle=profile.min_cycle_seconds,
    )  # fmt: skip


def test_the_models_own_table_is_what_the_client_deploys_for_the_profile() -> None:
    # the cross-check (issue 20): the model's table is transcribed from SPEC, the chain's comes from the
    # profile through the client; they must agree, for the township profile and for the stress profile
    # the model test runs on, so that neither side can drift unnoticed (a changed award value in the
    # profile fails here and in tests/edges/test_seed_numbers.py)
    assert _client_table(profiles.load("township")) == Table(min_cycle=365 * 86400)  # R-SU-5 [decision]: a year
    assert _client_table(stress_profile()) == model_table()


class MeritMachine(RuleBasedStateMachine):
    world: MeritWorld

    def __init__(self) -> None:
        super().__init__()
        w = self.world
        self.snap = w.chain.snapshot()
        w.chain.transact(w.jurisdiction.functions.grantRole(Role.HIGHER_COMMITTEE, w.address(HIGHER)), Staff.ADMIN)
        # the starting offices from the world's definition (person i holds the i-th office of SEATED), not
        # from the chain; the chain must have seated exactly those (issue 20: the model shares nothing with it)
        offices: dict[str, int | None] = {o.key: (SEATED.index(o) if o in SEATED else None) for o in Office}
        assert {o.key: i for o, i in w.holders().items()} == offices
        self.model = MeritModel(model_table(), registered=set(range(N)), offices=offices)
        self.model.offices_seated(stress_profile().data["succession"])  # R-SU-1, computed by the model
        assert self.model.order == w.order()
        self.idents: dict[int, object] = {}
        self.chain_cases: dict[int, Decision] = {}
        self.mined: object = None  # what the chain's side of the last act returned (both)

    def teardown(self) -> None:
        w = self.world
        try:  # R-MR-7: the same warning-list and resignation events, in the same order
            ev = w.m.ledger.events

            def people(event) -> list[int]:  # type: ignore[no-untyped-def]
                logs = sorted(event().get_logs(from_block=w.m.from_block), key=lambda e: (e.blockNumber, e.logIndex))
                return [w.idx(bytes(e.args.personId)) for e in logs]

            assert people(ev.WarningListed) == self.model.warned
            assert people(ev.MustResign) == self.model.resigned
            # and the log alone rebuilds the whole state (ledgers, cases, offsets, order, cycles)
            from zhili.merit.rebuild import rebuild_merit, state_merit

            built = rebuild_merit(w.m.ledger, w.m.book, w.m.succession, w.m.from_block)
            assert built == state_merit(w.chain, w.m.ledger, w.m.book, w.m.succession, list(built["people"]))
        finally:
            w.chain.revert_to(self.snap)

    # ------------------------------------------------------------------ helpers

    def both(self, chain_fn, model_fn):  # type: ignore[no-untyped-def]
        """Run an act on the chain and on the model; refusals must agree by error name."""
        try:
            expected = model_fn()
        except ModelError as exc:
            with pytest.raises(ContractRevert) as e:
                chain_fn()
            assert e.value.error == exc.name, (e.value.message, exc)
            return None
        self.mined = chain_fn()
        return expected

    def cases_in(self, *stages: str) -> list[int]:
        return [c for c, k in self.model.cases.items() if k.stage in stages]

    # ------------------------------------------------------------------ rules

    @rule(data=st.data())
    def report(self, data: st.DataObject) -> None:
        self._report(data)

    @rule(data=st.data())
    def another_report(self, data: st.DataObject) -> None:
        self._report(data)

    def _report(self, data: st.DataObject) -> None:
        w, m = self.world, self.model
        # mostly the team (offices and committee members): removals, succession and overtaking happen there
        accused = data.draw(st.one_of(st.integers(0, 7), st.integers(0, 7), st.integers(0, N - 1)), label="accused")
        finding = data.draw(st.sampled_from(FINDINGS), label="finding")
        if finding == "dereliction" and m.offices.get("discipline") is not None and data.draw(st.integers(0, 4)) > 0:
            accused = m.offices["discipline"]
        reporter = data.draw(st.integers(0, N - 1).filter(lambda r: r != accused), label="reporter")
        sloppy = data.draw(st.integers(0, 9), label="sloppy") == 0  # one decision in ten may break a rule
        # mostly the class the chain knows (R-MR-4); a sloppy report declares any
        member = m.chain_class(reporter, "citizen") == "committee_member"
        cls = data.draw(st.sampled_from(list(CLASS_AWARDS) if sloppy or not member else ["committee_member"]), label="class")
        claimed = data.draw(st.sampled_from(CLASS_AWARDS[cls]), label="claimed")
        award = "none"
        if finding in ("investigated", "removed", "corruption", "procedural", "dereliction"):
            choices = CLASS_AWARDS[cls] if sloppy else [claimed, "none"]
            if finding not in ("removed", "corruption") and not sloppy:
                choices = [a for a in choices if a not in REMOVAL_AWARDS] or ["none"]
            award = data.draw(st.sampled_from(choices), label="award")
        revealed = award != "none" or (finding == "malicious" and not sloppy) or data.draw(st.booleans(), label="reveal")
        md = MDecision(finding, award, reporter if revealed else None)
        if finding == "procedural":
            md = replace(md, sanction=data.draw(st.integers(1, 30), label="sanction"))
        if finding == "corruption":
            others = [p for p in range(8) if p != accused] if not sloppy else list(range(8))
            direct = data.draw(st.one_of(st.none(), st.sampled_from(others)), label="direct")
            nxt = data.draw(st.one_of(st.none(), st.sampled_from([p for p in others if p != direct or sloppy])), label="next")
            rest = [p for p in others if p not in (direct, nxt) or sloppy]
            silent = tuple(data.draw(st.lists(st.sampled_from(rest), max_size=3, unique=True), label="silent"))
            md = replace(md, direct=direct, next=nxt, silent=silent,
                         direct_clue=direct is not None and data.draw(st.booleans()), next_clue=nxt is not None and data.draw(st.booleans()))  # fmt: skip

        # filing (R-MR-4)
        cls_e, claimed_e = ReporterClass.from_key(cls), Award.from_key(claimed)
        try:
            cid_model = m.file(accused, cls, claimed, reporter)
        except ModelError:
            raise AssertionError("the drawn report is always valid") from None
        cid, ident = w.file(accused, reporter, cls_e, claimed_e)
        assert cid == cid_model
        ids = w.ids

        def pid(i: int | None) -> bytes:
            return ids[i] if i is not None else b"\0" * 32

        d = Decision(Finding.from_key(finding), Award.from_key(award), sanction=md.sanction, direct_supervisor=pid(md.direct),
                     next_supervisor=pid(md.next), direct_gave_clue=md.direct_clue, next_gave_clue=md.next_clue,
                     silent=tuple(ids[s] for s in md.silent), finding_hash=keccak(text=f"finding {cid}"))  # fmt: skip
        if revealed:
            d = reveal(d, ident)
        w.review(cid)
        try:
            m.decide(cid, md)
        except ModelError as exc:
            with pytest.raises(ContractRevert) as e:
                w.m.propose(cid, d, 4)
            assert e.value.error == exc.name, (e.value.message, exc)
            m.cases[cid].stage = "stuck"
            return
        deadline = w.decide(cid, d)
        # R-MR-11: the model counts the window itself from the publication's time (issue 20: never the chain's deadline)
        assert deadline == m.publish(cid, w.m.case(cid).published_at), "appeal deadline: chain != model"
        self.chain_cases[cid] = d
        if data.draw(st.integers(0, 2), label="settle") > 0:  # mostly: nobody appeals, the case becomes final
            w.pass_window(deadline)
            now = w.m.now() + 1
            self.both(lambda: w.m.finalize(cid, Staff.ADMIN), lambda: m.finalize(cid, now))

    @rule(days=st.sampled_from([1, 4, 12, 25]))
    def time_passes(self, days: int) -> None:
        self.world.chain.advance_time(days * 86400)

    @precondition(lambda self: bool(self.cases_in("published", "escalated")))
    @rule(data=st.data())
    def finalize(self, data: st.DataObject) -> None:
        cid = data.draw(st.sampled_from(self.cases_in("published", "escalated")), label="finalize")
        now = self.world.m.now() + 1
        self.both(lambda: self.world.m.finalize(cid, Staff.ADMIN), lambda: self.model.finalize(cid, now))

    @precondition(lambda self: bool(self.cases_in("published")))
    @rule(data=st.data())
    def appeal(self, data: st.DataObject) -> None:
        w = self.world
        cid = data.draw(st.sampled_from(self.cases_in("published")), label="appeal")
        case = self.model.cases[cid]
        who = data.draw(st.sampled_from([case.accused, case.accused, (case.accused + 3) % N]), label="appellant")
        now = w.m.now() + 1
        self.both(
            lambda: w.m.appeal(cid, w.ids[who], keccak(text="grounds"), w.key(who)),
            lambda: self.model.appeal(cid, who, now),
        )
        if case.stage == "appealed":  # the answer window from the appeal's own time (the Appealed event's)
            mined = self.mined
            assert isinstance(mined, Deadline)
            assert w.m.case(cid).answer_deadline == mined.deadline == self.model.answer_window(cid, mined.start), "answer deadline"

    @precondition(lambda self: bool(self.cases_in("appealed", "escalated")))
    @rule(data=st.data())
    def answer(self, data: st.DataObject) -> None:
        """R-MR-11: the body in charge answers (refused after its deadline); sometimes the wrong body tries."""
        cid = data.draw(st.sampled_from(self.cases_in("appealed", "escalated")), label="answer")
        upheld = data.draw(st.booleans(), label="upheld")
        body = data.draw(st.sampled_from(["upper", "higher"]), label="body")
        now = self.world.m.now() + 1
        who = Staff.UPPER if body == "upper" else HIGHER
        self.both(
            lambda: self.world.m.decide_appeal(cid, upheld, keccak(text="answer"), who),
            lambda: self.model.decide_appeal(cid, upheld, now, body),
        )

    @precondition(lambda self: bool(self.cases_in("appealed")))
    @rule(data=st.data())
    def escalate(self, data: st.DataObject) -> None:
        """R-MR-11 [decision]: after the answer deadline anyone escalates; before it, refused."""
        w = self.world
        cid = data.draw(st.sampled_from(self.cases_in("appealed")), label="escalate")
        now = w.m.now() + 1
        self.both(lambda: w.m.escalate(cid, Staff.RELAYER), lambda: self.model.escalate(cid, now))
        if self.model.cases[cid].stage == "escalated":  # the higher body's window from the escalation's time
            mined = self.mined
            assert isinstance(mined, Deadline)
            assert w.m.case(cid).answer_deadline == mined.deadline == self.model.answer_window(cid, mined.start), "escalated deadline"

    @rule(data=st.data())
    def upkeep(self, data: st.DataObject) -> None:
        """An assessment cycle opened or closed (R-SU-5), an offset (R-MR-12) or enforcement (R-MR-7, R-MR-9)."""
        w, m = self.world, self.model
        what = data.draw(st.sampled_from(["cycle", "offset", "enforce"]), label="upkeep")
        demerits = [e for e in m.entries if e.ledger == "demerit" and e.kind != "offset"]
        if what == "offset" and demerits:
            e = data.draw(st.sampled_from(demerits), label="offset entry")

            def chain_fn() -> None:
                rid = w.m.request_offset(e.id, w.key(e.person))
                w.m.approve_offset(rid, Staff.UPPER)

            self.both(chain_fn, lambda: m.offset(e.id, e.person))
        elif what == "enforce":
            who = data.draw(st.integers(0, N - 1), label="enforce")
            self.both(lambda: w.m.enforce(w.ids[who], Staff.ADMIN), lambda: m.enforce(who))
        elif m.cycle_open:
            now = w.m.now() + 1
            self.both(lambda: w.m.close_cycle(4), lambda: m.close_cycle(now))
        else:
            now = w.m.now() + 1
            w.m.open_cycle(4)
            m.open_cycle(now)

    # ------------------------------------------------------------------ agreement

    @invariant()
    def same_state(self) -> None:
        w, m = self.world, self.model
        f, p = w.m.book.functions, w.persons.functions
        # every person's ledgers, blacklist, status and terms, and every office holder: one batch of reads
        reads = [fn for pid in w.ids for fn in (f.totals(pid), p.isBlacklisted(pid), w.m.ledger.functions.status(pid),
                                                p.termsServed(pid, int(Office.SECRETARY)))]  # fmt: skip
        got = w.chain.call_many([*reads, *(w.jurisdiction.functions.holder(o) for o in Office)])
        for i, _pid in enumerate(w.ids):
            (merit, demerit, earned, _), black, status, terms = got[4 * i : 4 * i + 4]
            assert (merit, demerit, earned) == (m.merit.get(i, 0), m.demerit.get(i, 0), m.earned.get(i, 0)), f"P{i:02d} ledgers"  # R-MR-1
            assert black == (i in m.blacklisted)  # R-MR-9
            assert tuple(status) == m.status(i)  # R-MR-7
            assert terms == m.terms.get(i, 0)  # R-SU-2
        holders = {o.key: (w.idx(bytes(h)) if any(h) else None) for o, h in zip(Office, got[len(reads) :])}
        assert holders == m.offices  # R-SU-2, R-TC-3
        assert w.order() == m.order  # R-SU-1 … R-SU-5
        for cid, c in m.cases.items():
            if c.stage != "filed":
                assert STAGES.get(w.m.case(cid).stage) == c.stage, f"case {cid}"
        assert w.chain.call(w.m.book.functions.entryCount()) == len(m.entries)
        assert (w.chain.call(w.m.succession.functions.zeroStreak()), w.chain.call(w.m.succession.functions.cycleOpen())) == (m.streak, m.cycle_open)


@pytest.mark.anvil_only  # ~10 transactions per report: the embedded chain would take minutes
def test_contracts_agree_with_model(mworld: MeritWorld) -> None:
    # R-MR-1 … R-MR-12, R-SU-1 … R-SU-5: random sequences through contracts and model
    MeritMachine.world = mworld
    run_state_machine_as_test(
        MeritMachine,
        settings=settings(max_examples=examples(deep=10, ci=4), stateful_step_count=20, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )  # fmt: skip
