"""The village contracts and the reference model agree on SPEC §9 (R-VC-1 … R-VC-11).

The contracts are driven through their client (``zhili.village.client``), the model
(tests/model/village.py) by the same acts; after every act both must show the same observables: each
person's rewards and penalties by kind per quarter, declaration statuses, the quarters' states,
publication order and objection deadlines, the council's corrections, and, for the year, grades,
rectification deadlines, seats, helpers, balances and stock. A refusal must be a refusal on both sides
naming the same rule; where the contract refuses by plumbing (rule ``none``: an unknown caller, a
missing function) the model's reason must be the one listed in ``PLUMBING``.

The hypothesis state machine runs on every chain kind selected (embedded and anvil by default) with
few examples; ``test_a_year_agrees`` takes one village through the whole of 2026 (the test chains
start on 5 January 2026, so a list adopted then is in force from the second quarter).

Where the contracts and the model differ on purpose-built inputs, a strict ``xfail`` names the
difference (``DIVERGENCES``): SPEC or docs/village.md says what the model does; the test turns
green (and the xfail must go) when the contract follows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from election_kit import World, build_world
from model import examples
from model.calendar import at
from model.village import (
    BLUE,
    CREDIT,
    GREEN,
    KINDS,
    PARTY,
    PARTY_DUTY,
    RED,
    REP_DUTY,
    REPRESENTATIVE,
    UNQUALIFIED,
    VILLAGER,
    YELLOW,
    Criterion,
    Framework,
    Good,
    Manual,
    Refused,
    VillageModel,
    cst_date,
)
from zhili.calendar.client import CalendarClient
from zhili.core.chain import Chain, ContractRevert
from zhili.core.workdays import Notice
from zhili.election.client import person_id
from zhili.persons.client import label_identity
from zhili.testing import Staff
from zhili.village.client import Colour, VillageClient

ADMIN = Staff.ADMIN
T = TypeVar("T")
Y = 2026
NOTICE_2027 = Path(__file__).resolve().parents[1] / "calendar" / "notice-2027.yaml"
OFFICE = 8  # the town's account (VILLAGE_OFFICE on the jurisdiction)

FW = Framework(base=100, max_value=50, member_thresholds=(200, 120, 100), star_thresholds=(200, 160, 120, 100))
MANUAL = Manual(catalogue={"rice": Good(price=50, stock=2), "tractor_hour": Good(price=100, stock=1)}, star_bonus=(0, 0, 10, 50, 100))
GOODS = {"rice": 1, "tractor_hour": 2}
C = frozenset({CREDIT})
LIST = (  # positive criteria first: on chain a criterion's code is its position from 1
    Criterion("P01", "参加村民议事会", "协商议事", True, 20, C),
    Criterion("P02", "清理房前屋后", "环境治理", True, 10, C),
    Criterion("P03", "走访困难群众", "养老助残", True, 50, frozenset({PARTY_DUTY})),
    Criterion("P04", "收集并反映民意", "协商议事", True, 30, frozenset({REP_DUTY})),
    Criterion("P05", "带头调解邻里纠纷", "矛盾化解", True, 10, frozenset({PARTY_DUTY, CREDIT})),
    Criterion("N01", "乱倒垃圾", "环境治理", False, 10, C),
    Criterion("N02", "无故缺席党员大会", "协商议事", False, 50, frozenset({PARTY_DUTY})),
    Criterion("N03", "无故缺席村民代表会议", "协商议事", False, 50, frozenset({REP_DUTY})),
    Criterion("N04", "严重违反村规民约", "公民公德", False, 50, C),
)
CATEGORY = {"协商议事": 0, "环境治理": 1, "养老助残": 2, "文明实践": 3, "社会公益": 4, "公民公德": 5, "矛盾化解": 6, "志愿服务": 7}
KIND_BIT = {PARTY_DUTY: 1, REP_DUTY: 2, CREDIT: 4}
KIND_NO = {k: n for n, k in enumerate(KINDS)}  # the contract's ruling kinds: 0 party duty, 1 representative duty, 2 credit
COLOUR = {RED: Colour.RED, YELLOW: Colour.YELLOW, BLUE: Colour.BLUE, GREEN: Colour.GREEN}

# The village: model persons are these indexes; functions (roles), team and contracts
SEC, P1, P2, C1, C2, V2, V3, R1, R2, R3, R4, K1, K2, V1, SHOP, P3, OUTSIDER = range(17)
PEOPLE: dict[int, tuple[tuple[str, ...], int, tuple[str, ...]]] = {
    SEC: (("party_member", "secretary"), 0, (RED, BLUE)),
    P1: (("party_member",), 1, (RED, BLUE)),
    P2: (("party_member",), 1, (RED, BLUE)),
    C1: ((), 2, (BLUE,)),
    C2: ((), 2, (BLUE,)),
    V2: ((), 3, (BLUE,)),
    V3: ((), 3, (BLUE,)),
    R1: (("representative",), 0, (YELLOW, BLUE)),
    R2: (("representative",), 0, (YELLOW, BLUE)),
    R3: (("representative", "council"), 0, (YELLOW, BLUE)),
    R4: (("representative", "council"), 0, (YELLOW, BLUE)),
    K1: (("council",), 0, (BLUE,)),
    K2: (("council",), 0, (BLUE, GREEN)),
    V1: ((), 0, (BLUE,)),
    SHOP: (("keeper",), 0, ()),
    P3: (("party_member",), 0, (BLUE,)),  # a party member without the red contract
}
ROLE_BITS = {"party_member": 1, "representative": 2, "council": 4, "secretary": 8, "keeper": 16}

# model reason -> the contract's plumbing error (rule "none") for the same refusal
PLUMBING = {
    "not_in_village": {"NotInVillage", "NotAVillager"},
    "not_a_villager": {"NotInVillage"},
    "not_council_member": {"VillageRoleRequired"},
    "ruling_shape": {"RulingShape"},
    "bad_quantity": {"ZeroQuantity"},
    "not_listed": {"ItemNotListed"},
    "no_list_in_force": {"MonthNotOpen"},  # a month of a quarter without a list cannot be opened
    "outside_window": {"MonthNotOpen"},  # (such a month's window, closed)
    "already_published": {"QuarterState"},  # a wrong state is plumbing in the contracts (DESIGN principle 4)
    "not_published": {"QuarterState"},
    "already_final": {"QuarterState"},
    "batch_shape": {"BatchShape"},
}


def quarter_index(q: int) -> int:
    return (Y - 1970) * 4 + q - 1


def month_index(month: int) -> int:
    return (Y - 1970) * 12 + month - 1


def code_of(code: str) -> int:
    return [c.code for c in LIST].index(code) + 1


def criterion_tuple(c: Criterion) -> tuple[int, int, int, bytes]:
    return (c.value, sum(KIND_BIT[k] for k in c.kinds), CATEGORY[c.category], hashlib.sha256(f"{c.code} {c.text}".encode()).digest())


def fingerprint(*parts: object) -> bytes:
    return keccak(text=" ".join(map(str, parts)))


# ---------------------------------------------------------------- the world


@dataclass
class VillageWorld:
    w: World
    v: VillageClient
    ids: list[bytes]
    keys: dict[int, LocalAccount]
    list_version: int

    @property
    def chain(self) -> Chain:
        return self.w.chain


def build_village(chain: Chain) -> VillageWorld:
    """A township with a village: 16 persons enrolled, teams, council, contracts signed, the list
    adopted in January (in force from the second quarter); 2027's calendar published for December's window."""
    w = build_world(chain)
    ids, keys = list(w.ids), {i: w.keys[p] for i, p in enumerate(w.ids)}
    for i in range(len(ids), OUTSIDER + 1):  # two more persons than the election world has
        pid = person_id(f"3301101970010100{i:02d}")
        acct = Account.from_key(keccak(text=f"zhili test person {i}"))
        chain.transact(w.persons.functions.register(pid, acct.address, label_identity(f"3301101970010100{i:02d}")), ADMIN)
        chain.fund(acct.address, 10**18)
        ids.append(pid)
        keys[i] = acct
    cal = CalendarClient.of_jurisdiction(chain, w.jurisdiction)
    if not cal.is_published(2027):
        cal.publish(Notice.load(NOTICE_2027), ADMIN)
    office = chain.accounts[OFFICE].address
    VillageClient.grant_office(chain, w.jurisdiction, office, ADMIN)
    fw = chain.deploy("CreditFramework", "371003", (FW.base, FW.max_value, FW.duty_share, FW.max_window_workdays, FW.member_thresholds, FW.star_thresholds))
    v = VillageClient.deploy(chain, w.jurisdiction, w.persons, fw, "371003-102-001", OFFICE)
    v.set_manual((MANUAL.declare_workdays, MANUAL.objection_workdays, MANUAL.first_team), OFFICE)
    v.set_bonus(list(MANUAL.star_bonus), OFFICE)
    for good, g in MANUAL.catalogue.items():
        v.set_item(GOODS[good], g.price, fingerprint(good), OFFICE)
        v.restock(GOODS[good], g.stock, OFFICE)
    for i, (roles, team, _c) in PEOPLE.items():
        v.set_member(ids[i], sum(ROLE_BITS[r] for r in roles), team, OFFICE)
    version = v.propose_list([criterion_tuple(c) for c in LIST], sum(c.positive for c in LIST), keys[SEC])
    for r in (R1, R2, R3):
        v.vote_list(version, True, keys[r])
    for i, (_r, _t, colours) in PEOPLE.items():
        for colour in colours:
            v.sign_contract(ids[i], Y, COLOUR[colour], fingerprint("contract", i, colour), keys[i], ADMIN)
    return VillageWorld(w, v, ids, keys, version)


def model_village(now: int) -> VillageModel:
    """The same village in the model, built by the same acts in the same order."""
    m = VillageModel(Y, FW, MANUAL)
    for i, (roles, team, _c) in PEOPLE.items():
        m.set_member(i, *roles, team=team)
    pid = m.propose_list(LIST)
    for r in (R1, R2, R3):
        m.vote_list(pid, r, True, now)
    for i, (_r, _t, colours) in PEOPLE.items():
        for colour in colours:
            m.sign(i, colour)
    return m


_WORLDS: dict[str, tuple[VillageWorld, int]] = {}


@pytest.fixture(scope="module")
def village_chain(chain_kind: str) -> Iterator[Chain]:
    """A chain of this module's own, from the test genesis (5 January 2026): the year's acts need the
    first quarter still to come, whatever other tests left on the session's chain."""
    from zhili.core.chain import connect

    c = connect(chain_kind)
    yield c
    _WORLDS.pop(c.kind, None)
    c.close()


@pytest.fixture
def vworld(village_chain: Chain) -> Iterator[VillageWorld]:
    if village_chain.kind not in _WORLDS:
        vw = build_village(village_chain)
        _WORLDS[village_chain.kind] = (vw, vw.chain.now())
    vw, _t = _WORLDS[village_chain.kind]
    snap = village_chain.snapshot()
    try:
        yield vw
    finally:
        village_chain.revert_to(snap)


def embedded_only(chain: Chain) -> None:
    """The deterministic tests run once, on the embedded chain; anvil runs the random acts (test_acts_agree)."""
    if chain.kind != "embedded":
        pytest.skip("deterministic: the embedded chain runs it; the anvil variant is test_acts_agree")


# ---------------------------------------------------------------- both sides


class Both:
    """The contracts (through the client) and the model, acted on together."""

    def __init__(self, vw: VillageWorld, adopted_at: int) -> None:
        self.vw, self.v, self.chain = vw, vw.v, vw.chain
        self.m = model_village(adopted_at)
        self.decl: dict[int, int] = {}  # model item id -> chain declaration id
        self.objections: dict[int, int] = {}  # model objection id -> chain objection id
        self.opened: set[int] = set()
        self._idx: dict[int, int] = {}
        self.dirty = True  # something was written since the last comparison
        self.last_error = ""  # the contract's error of the last refused act
        self.open_months()

    def now(self) -> int:
        """The time of the next block: the time the next act happens at."""
        return self.chain.now() + 1

    def idx(self, person: int) -> int:
        """The village index (enrolment is done once, so it is read once)."""
        if person not in self._idx:
            self._idx[person] = self.v.idx_of(self.vw.ids[person])
        return self._idx[person]

    def act(self, chain_fn: Callable[[], T], model_fn: Callable[[], Any]) -> tuple[T | None, Any]:
        """Run the act on the model, then on the chain; a refusal must be the same on both."""
        try:
            expected = model_fn()
        except Refused as r:
            with pytest.raises(ContractRevert) as e:
                chain_fn()
            got = e.value
            self.last_error = got.error
            if got.rule in (None, "none"):
                assert got.error in PLUMBING.get(r.reason, set()), f"model {r} but contract {got.message}"
            else:
                assert got.rule == r.rule, f"model {r} but contract {got.message}"
            return None, r
        got = chain_fn()
        self.dirty = True
        return got, expected

    # -------------------------------------------------------- time

    def advance_to(self, t: int) -> None:
        self.chain.wait_until(t)
        self.open_months()

    def open_months(self) -> None:
        """Anyone opens a month once it has begun (plumbing; a month of a quarter without a list stays shut)."""
        today = cst_date(self.chain.now())
        for month in range(1, 13):
            if month in self.opened or dt.date(Y, month, 1) > today or self.m.list_for((month - 1) // 3 + 1) is None:
                continue
            if self.m.quarters[(month - 1) // 3 + 1].state != "open":
                continue
            mo = self.v.open_month(month_index(month))
            self.opened.add(month)
            assert mo.declare_close == self.m.declare_deadline(month)  # R-VC-5 on the independent calendar
            assert mo.team == self.m.team_on_duty(month)  # R-VC-6

    # -------------------------------------------------------- acts

    def declare(self, person: int, code: str, day: dt.date, evidence: bytes) -> None:
        iid, _ = self.act(
            lambda: self.v.declare(month_index(day.month), code_of(code), day.day, evidence, self.vw.keys[person]),
            lambda: self.m.declare(person, code, day, evidence, self.now()),
        )
        if iid is not None:
            self.decl[len(self.m.items)] = iid

    def verify(self, member: int, items: list[int], accept: list[bool]) -> None:
        self.act(lambda: self.v.verify([self.decl.get(i, 10**6) for i in items], accept, self.vw.keys[member]), lambda: self.m.verify(member, items, accept))

    def record(self, member: int, person: int, code: str, day: dt.date, evidence: bytes) -> None:
        iid, _ = self.act(
            lambda: self.v.record_negative(self.vw.ids[person], month_index(day.month), code_of(code), day.day, evidence, self.vw.keys[member]),
            lambda: self.m.record(member, person, code, day, evidence, self.now()),
        )
        if iid is not None:
            self.decl[len(self.m.items)] = iid

    def publish(self, member: int, q: int) -> None:
        done, _ = self.act(lambda: self.v.publish(quarter_index(q), self.vw.keys[member]), lambda: self.m.publish(q, self.now(), self.model_order(q), by=member))
        if done is not None:
            qs = self.m.quarters[q]
            assert (done.published_at, done.deadline, done.council) == (qs.published_at, qs.deadline, qs.council)  # R-VC-7

    def model_order(self, q: int) -> list[int]:
        """The client's publication order, in model persons; the model refuses any other (R-VC-7)."""
        by_idx = {self.idx(p): p for p in self.m.members}
        return [by_idx[i] for i in self.v.rank_order(quarter_index(q))]

    def object(self, objector: int, q: int, subject: int, entry: int | None) -> None:
        oid, _ = self.act(
            lambda: self.v.object(quarter_index(q), self.vw.ids[subject], self.decl.get(entry, 10**6) if entry else 0, fingerprint("grounds", objector), self.vw.keys[objector]),
            lambda: self.m.object(objector, q, subject, entry, self.now()),
        )
        if oid is not None:
            self.objections[len(self.m.objections)] = oid

    def rule(self, member: int, objection: int, uphold: bool, kind: str | None, delta: int) -> None:
        reason = fingerprint("reason", uphold, kind, delta)
        self.act(
            lambda: self.v.rule(self.objections[objection], uphold, KIND_NO[kind] if kind else 0, delta, reason, self.vw.keys[member]),
            lambda: self.m.rule(member, objection, uphold, kind, delta, reason),
        )

    def finalize(self, q: int) -> None:
        self.act(lambda: self.v.finalize(quarter_index(q)), lambda: self.m.finalize(q, self.now()))

    # -------------------------------------------------------- observables

    def check_quarters(self) -> None:
        self.dirty = False
        members = list(self.m.members)
        idx = [self.idx(p) for p in members]
        for q in range(1, 5):
            raw = self.chain.call(self.v.ledger.functions.totals(quarter_index(q), idx))
            for p, r in zip(members, raw):
                assert tuple(r) == self.m.points(q, p), (q, p)  # rewards and penalties by kind (R-VC-4 … R-VC-6)
            info = self.v.quarter(quarter_index(q))
            state = {0: "open", 1: "open", 2: "published", 3: "final"}[int(info.state)]
            assert state == self.m.quarters[q].state, q
            for p, i in zip(members, idx):
                adj = self.m.quarters[q].adjust.get(p, {})
                t = self.v.totals(quarter_index(q), i) if adj else None
                if t is not None:
                    assert (t.party_adjust, t.rep_adjust, t.credit_adjust) == tuple(adj.get(k, 0) for k in KINDS)

    def check_items(self) -> None:
        status = {"declared": 1, "accepted": 2, "rejected": 3, "recorded": 4}
        for iid, cid in self.decl.items():
            d = self.v.declaration(cid)
            item = self.m.items[iid]
            assert int(d.status) == status[item.status], (iid, d)
            if item.counted:
                assert d.kinds == sum(KIND_BIT[k] for k in self.m.counts_for(item)) and d.value == self.m.criterion(item.quarter, item.code).value


# ---------------------------------------------------------------- the state machine

PERSONS = st.sampled_from([p for p in PEOPLE] + [OUTSIDER])
POSITIVE = st.sampled_from([c.code for c in LIST if c.positive])
NEGATIVE = st.sampled_from([c.code for c in LIST if not c.positive])
DECLARERS = st.sampled_from([P1, P2, C1, V2, R1, R3, K2, V1, P3])  # persons under contract
TEAM_MEMBERS = st.sampled_from([P1, P2, C1, C2, V2, V3, SEC, V1])
COUNCIL = st.sampled_from([R3, R4, K1, K2, V1])


STATS: list[tuple[int, int, int, int]] = []  # per run: items, items counted, objections, quarters published


ACTS = ["advance", "advance", "declare", "declare", "declare", "verify", "verify", "record", "publish", "object", "rule", "rule", "finalize"]


class VillageMachine(RuleBasedStateMachine):
    """One rule that draws the act: hypothesis's swarm testing would otherwise switch whole rules off
    in a run, and with the few runs a chain allows, most acts would never meet."""

    vw: VillageWorld
    adopted_at: int

    def __init__(self) -> None:
        super().__init__()
        self.snap = self.vw.chain.snapshot()
        self.b = Both(self.vw, self.adopted_at)

    def teardown(self) -> None:
        try:
            self.b.check_items()  # every declaration's status, kinds and value (once per run: it grows)
            m = self.b.m
            STATS.append((len(m.items), sum(i.counted for i in m.items.values()), len(m.objections), sum(q.state != "open" for q in m.quarters.values())))
        finally:
            self.vw.chain.revert_to(self.snap)

    def today(self) -> dt.date:
        return cst_date(self.b.now())

    @initialize(days=st.integers(1, 150), hour=st.integers(0, 23))
    def start(self, days: int, hour: int) -> None:
        """Begin somewhere from April to August: the list adopted in January is in force from April (R-VC-2)."""
        d = dt.date(Y, 3, 31) + dt.timedelta(days=days)
        self.b.advance_to(at(d.year, d.month, d.day, hour, 30))

    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        getattr(self, "act_" + data.draw(st.sampled_from(ACTS), label="act"))(data)

    def act_advance(self, data: st.DataObject) -> None:
        d = self.today() + dt.timedelta(days=data.draw(st.integers(1, 25)))
        if d.year == Y:
            self.b.advance_to(at(d.year, d.month, d.day, data.draw(st.integers(0, 23)), 30))

    def act_declare(self, data: st.DataObject) -> None:
        person, code = data.draw(st.one_of(DECLARERS, PERSONS)), data.draw(POSITIVE)
        back = data.draw(st.one_of(st.integers(-2, 10), st.integers(0, 40)))
        day = self.today() - dt.timedelta(days=back)  # a day to come now and then; the same item twice too (R-VC-5)
        if day.year != Y:
            return
        zero = data.draw(st.integers(0, 9)) == 0
        self.b.declare(person, code, day, bytes(32) if zero else fingerprint("evidence", person, code, day))

    def act_verify(self, data: st.DataObject) -> None:
        pending = [i for i, it in self.b.m.items.items() if it.status == "declared"] or list(self.b.m.items)
        if not pending:
            return
        items = data.draw(st.lists(st.sampled_from(pending), min_size=1, max_size=3, unique=True))
        self.b.verify(data.draw(TEAM_MEMBERS), items, [data.draw(st.booleans())] * len(items))

    def act_record(self, data: st.DataObject) -> None:
        member, person, code = data.draw(TEAM_MEMBERS), data.draw(PERSONS), data.draw(NEGATIVE)
        day = self.today() - dt.timedelta(days=data.draw(st.integers(-2, 40)))
        if day.year != Y or person == OUTSIDER:
            return
        self.b.record(member, person, code, day, fingerprint("negative", person, code, day))

    def act_publish(self, data: st.DataObject) -> None:
        member, q = data.draw(COUNCIL), data.draw(st.integers(1, 4))
        self.b.publish(member, q)

    def act_object(self, data: st.DataObject) -> None:
        published = [q for q, qs in self.b.m.quarters.items() if qs.state != "open"]
        objector = data.draw(PERSONS)
        if not published or objector == OUTSIDER:
            return
        q = data.draw(st.sampled_from(published))
        subject = data.draw(st.sampled_from(list(PEOPLE)))
        theirs = [i for i, it in self.b.m.items.items() if it.person == subject and it.quarter == q]
        self.b.object(objector, q, subject, data.draw(st.sampled_from([None, *theirs])))

    def act_rule(self, data: st.DataObject) -> None:
        if not self.b.m.objections:
            return
        oid = data.draw(st.sampled_from(sorted(self.b.m.objections)))
        uphold = data.draw(st.booleans())
        kind = data.draw(st.sampled_from(KINDS)) if uphold else None
        delta = data.draw(st.sampled_from([-20, 10, 30])) if uphold else 0
        self.b.rule(data.draw(COUNCIL), oid, uphold, kind, delta)

    def act_finalize(self, data: st.DataObject) -> None:
        self.b.finalize(data.draw(st.integers(1, 4)))

    @invariant()
    def same_observables(self) -> None:
        if self.b.dirty:
            self.b.check_quarters()


def test_acts_agree(vworld: VillageWorld) -> None:
    """Random sequences of acts through the year: the same refusals, points, statuses, quarters."""
    VillageMachine.vw = vworld
    VillageMachine.adopted_at = _WORLDS[vworld.chain.kind][1]
    on_anvil = vworld.chain.kind == "anvil"  # the faster chain here: more runs
    run_state_machine_as_test(
        VillageMachine,
        settings=settings(
            max_examples=examples(deep=12, ci=6) if on_anvil else 4,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            phases=(Phase.explicit, Phase.generate),
        ),
    )


# ---------------------------------------------------------------- a whole year, every observable


def month_of_work(b: Both, month: int) -> None:
    """Month ``month``: six declarations (day 18, declared on the 20th), the team on duty verifies (never
    its own: refused on both sides, then the other member), negative items against R2, P2, C2."""
    m = b.m
    b.advance_to(at(Y, month, 20, 10))
    team = [p for p, (_r, t, _c) in PEOPLE.items() if t == m.team_on_duty(month)]
    day = dt.date(Y, month, 18)
    for person, code in ((V1, "P01"), (V2, "P02"), (P1, "P03"), (R1, "P04"), (P3, "P05"), (P2, "P05")):
        b.declare(person, code, day, fingerprint("e", person, code, day))
    pending = [i for i, it in m.items.items() if it.status == "declared" and it.day.month == month]
    own = [i for i in pending if m.items[i].person == team[0]]
    others = [i for i in pending if m.items[i].person != team[0]]
    if own:
        b.verify(team[0], own, [True] * len(own))  # R-VC-6: nobody verifies their own
        b.verify(team[1], own, [True] * len(own))
    b.verify(C1 if team[0] != C1 else V2, others[:1], [True])  # not on duty this month
    b.verify(team[0], others, [month % 4 != 0] * len(others))  # April, August, December: rejected
    b.record(team[0], R2, "N03", day, fingerprint("n", R2, month))
    if month in (5, 8, 11):
        b.record(team[0], P2, "N02", day, fingerprint("n", P2, month))
        b.record(team[0], C2, "N04", day, fingerprint("n", C2, month))
    b.record(team[0], team[0], "N01", day, fingerprint("n", "own", month))  # R-VC-6: never on oneself


def publish_quarter(b: Both, q: int) -> None:
    """Publication at its edge (R-VC-7): refused while the last month's window is open, done an hour after."""
    m = b.m
    end = m.declare_deadline(3 * q)
    b.advance_to(end - 10)  # (the first quarter's months were never opened: the window counts all the same)
    b.publish(K1, q)
    assert m.quarters[q].state == "open"
    b.advance_to(end + 3600)
    b.publish(V1, q)  # not a council member
    b.publish(K1, q)
    assert m.quarters[q].state == "published"
    b.check_quarters()
    b.finalize(q)  # the objection window is open: refused on both sides


def finalize_quarter(b: Both, q: int) -> None:
    b.advance_to(b.m.quarters[q].deadline + 60)
    b.finalize(q)
    assert b.m.quarters[q].state == "final"


def run_year(b: Both, work: Callable[[Both, int], None]) -> None:
    """Every month of the year with ``work`` from April (the list's first quarter), each quarter published
    in the next month and final after its window; the fourth in January."""
    for month in range(1, 13):
        q = (month - 1) // 3
        if month in (4, 7, 10):
            publish_quarter(b, q)
        if month >= 4:
            work(b, month)
        if month in (4, 7, 10):
            finalize_quarter(b, q)
    publish_quarter(b, 4)
    finalize_quarter(b, 4)


def objections_in_the_second_quarter(b: Both) -> None:
    m = b.m
    first = next(i for i, it in m.items.items() if it.person == V1 and it.quarter == 2)
    b.object(V2, 2, V1, first)
    b.object(V1, 2, R2, None)
    b.object(V1, 2, V2, first)  # the entry is V1's, not V2's
    b.rule(R3, 1, True, CREDIT, 10)
    b.rule(K1, 1, True, CREDIT, 10)
    assert m.objections[1].outcome == "pending"  # exactly half of the four
    b.rule(K2, 1, True, CREDIT, 10)  # three of four: upheld
    b.rule(R2, 2, False, None, 0)  # not a council member
    b.rule(R3, 2, False, None, 0)
    b.rule(R3, 2, True, REP_DUTY, 50)  # one vote each
    b.rule(R4, 2, False, None, 0)
    b.rule(K1, 2, True, REP_DUTY, 0)  # an upheld ruling corrects something
    b.rule(K1, 2, False, None, 0)  # three of four: rejected
    b.rule(K2, 2, True, REP_DUTY, 50)  # ruled already
    assert [o.outcome for o in m.objections.values()] == ["upheld", "rejected"]


def test_a_year_agrees(vworld: VillageWorld) -> None:
    """2026 from the list's adoption to the supermarket: declarations and verification in every month
    from April, negative items, four publications (the first quarter without a list), an objection
    upheld and one rejected, finality, grades (a representative 不合格, a party member referred, a
    one-star villager helped), a seat lost after the rectification deadline, claims and redemptions."""
    embedded_only(vworld.chain)
    b = Both(vworld, _WORLDS[vworld.chain.kind][1])
    m, v = b.m, b.v
    b.declare(V1, "P01", cst_date(b.now()), fingerprint("e"))  # the first quarter has no list in force (R-VC-2)

    def work(b: Both, month: int) -> None:
        if month == 7:  # the second quarter was just published
            objections_in_the_second_quarter(b)
        month_of_work(b, month)

    run_year(b, work)
    b.check_quarters()
    b.check_items()
    # the year (R-VC-8, R-VC-9)
    b.advance_to(at(Y + 1, 1, 25, 10))
    everyone = list(PEOPLE)
    b.act(lambda: v.grade(Y, [b.idx(p) for p in everyone]), lambda: m.grade(everyone, b.now()))
    b.act(lambda: v.grade(Y, [b.idx(V1)]), lambda: m.grade([V1], b.now()))  # once
    grades = {1: "excellent", 2: "qualified", 3: "basically_qualified", 4: UNQUALIFIED}
    for p in everyone:
        a = v.annual(Y, b.idx(p))
        g = m.grades[p]
        assert (grades.get(a.party_grade), grades.get(a.rep_grade), a.stars or None) == (g.get(PARTY), g.get(REPRESENTATIVE), g.get(VILLAGER)), p
        for t, score in ((PARTY, a.party_score), (REPRESENTATIVE, a.rep_score), (VILLAGER, a.villager_score)):
            if t in g:
                assert score == m.annual[t][p], (p, t)
    assert m.grades[R2][REPRESENTATIVE] == UNQUALIFIED and m.grades[P2][PARTY] == UNQUALIFIED and m.grades[C2][VILLAGER] == 1
    assert m.referred == [P2]
    # consequences (R-VC-9)
    b.act(lambda: v.assign_helper(Y, b.vw.ids[V2], b.vw.ids[P1], b.vw.keys[SEC]), lambda: m.assign_helper(V2, P1))  # V2 has more than one star
    b.act(lambda: v.assign_helper(Y, b.vw.ids[C2], b.vw.ids[V1], b.vw.keys[SEC]), lambda: m.assign_helper(C2, V1))  # not a party member
    b.act(lambda: v.assign_helper(Y, b.vw.ids[C2], b.vw.ids[P1], b.vw.keys[SEC]), lambda: m.assign_helper(C2, P1))
    b.act(lambda: v.assign_helper(Y, b.vw.ids[C2], b.vw.ids[P2], b.vw.keys[SEC]), lambda: m.assign_helper(C2, P2))  # once
    assert v.chain.call(v.quarters.functions.helperOf(Y, b.idx(C2))) == b.idx(P1)
    b.act(lambda: v.lose_seat(Y, b.vw.ids[R2]), lambda: m.lapse_seat(R2, b.now()))  # before the deadline
    b.act(lambda: v.confirm_rectified(Y, b.vw.ids[R1], fingerprint("r"), OFFICE), lambda: m.rectify(R1, b.now()))  # nothing due
    assert v.rectification(Y, b.vw.ids[R2])[0] == m.rectifications[R2].deadline  # R-VC-9: 3 calendar months
    later = m.rectifications[R2].deadline + 1
    b.advance_to(later)
    b.act(lambda: v.confirm_rectified(Y, b.vw.ids[R2], fingerprint("r"), OFFICE), lambda: m.rectify(R2, b.now()))  # too late
    b.act(lambda: v.lose_seat(Y, b.vw.ids[R2]), lambda: m.lapse_seat(R2, b.now()))
    assert not v.member(b.vw.ids[R2]).roles & ROLE_BITS["representative"] and not m.has(R2, "representative")
    # the supermarket (R-VC-10)
    for p in (V1, V2, C2, R1, SHOP):
        b.act(lambda p=p: v.claim(Y, b.vw.ids[p]), lambda p=p: m.claim(p))
        assert v.account(b.vw.ids[p]).balance == m.balance.get(p, 0), p
    b.act(lambda: v.claim(Y, b.vw.ids[V1]), lambda: m.claim(V1))  # once
    for person, good, qty in ((V1, "rice", 1), (V1, "rice", 2), (V1, "rice", 1), (V2, "tractor_hour", 1), (V1, "tractor_hour", 1), (V2, "rice", 0)):
        nonce = m.nonces.get(person, 0)
        b.act(
            lambda person=person, good=good, qty=qty, nonce=nonce: v.redeem(b.vw.ids[person], b.vw.ids[SHOP], GOODS[good], qty, b.vw.keys[person], b.vw.keys[SHOP], nonce=nonce),
            lambda person=person, good=good, qty=qty, nonce=nonce: m.redeem(person, SHOP, good, qty, nonce),
        )
        assert v.account(b.vw.ids[person]).balance == m.balance.get(person, 0)
        assert v.item(GOODS[good]).stock == m.stock[good]
    assert m.stock == {"rice": 0, "tractor_hour": 0}  # both reached 0
    b.act(lambda: v.redeem(b.vw.ids[V1], b.vw.ids[SHOP], 1, 1, b.vw.keys[V1], b.vw.keys[SHOP], nonce=0), lambda: m.redeem(V1, SHOP, "rice", 1, 0))  # replayed
    b.act(lambda: v.redeem(b.vw.ids[V1], b.vw.ids[V2], 1, 1, b.vw.keys[V1], b.vw.keys[V2], nonce=2), lambda: m.redeem(V1, V2, "rice", 1, 2))  # not a keeper


# ---------------------------------------------------------------- the edges of the rules that once differed

# (docs/village.md listed four places where the contracts differed from SPEC §9; each is now enforced,
# and each test below runs the edge on both chains, the contract and the model side by side.)


def clock_at(b: Both, t: int) -> None:
    """Make ``t`` the latest block's time (the months begun by then opened a minute before): a call
    simulated now runs at ``t``, the next act is mined at ``t + 1`` (``b.now()``)."""
    b.advance_to(t - 60)
    b.chain.wait_until(t)
    assert b.chain.now() == t


def simulate(b: Both, fn: Any, key: LocalAccount) -> ContractRevert | None:
    """The contract's answer to ``fn`` from ``key`` at the latest block's time (nothing is sent)."""
    try:
        b.chain.prepare(fn, key)
    except ContractRevert as e:
        return e
    return None


def test_a_day_to_come_or_not_in_the_month_is_refused(vworld: VillageWorld) -> None:
    """R-VC-5 [decision]: an item for a day that has not come yet (CST) or that is not in the month is
    refused, ``DayNotDeclarable(month, day, time)``; the day that just began at 00:00 CST is in time."""
    b = Both(vworld, _WORLDS[vworld.chain.kind][1])
    v, apr, t = b.v, month_index(4), at(Y, 4, 10)
    clock_at(b, t - 2)  # acts at 23:59:59 on 9 April: the 10th has not come
    b.declare(V1, "P01", dt.date(Y, 4, 10), fingerprint("early"))
    assert b.last_error == "DayNotDeclarable"
    on_duty = next(p for p, (_r, tm, _c) in PEOPLE.items() if tm == b.m.team_on_duty(4))
    b.record(on_duty, V2, "N01", dt.date(Y, 4, 10), fingerprint("early negative"))
    assert b.last_error == "DayNotDeclarable"
    fn = v.ledger.functions.declare(apr, code_of("P01"), 10, fingerprint("just in time"))
    clock_at(b, t - 1)  # the last second of the 9th
    e = simulate(b, fn, b.vw.keys[V1])
    assert e is not None and (e.error, e.rule, e.args_by_name["day"], e.args_by_name["time"]) == ("DayNotDeclarable", "R-VC-5", 10, t - 1)
    clock_at(b, t)  # 00:00:00 on 10 April: in time
    assert simulate(b, fn, b.vw.keys[V1]) is None
    b.declare(V1, "P01", dt.date(Y, 4, 10), fingerprint("just in time"))
    assert b.m.items[len(b.m.items)].status == "declared"
    for day in (0, 31):  # not days of April (the model cannot even write 31 April)
        e = simulate(b, v.ledger.functions.declare(apr, code_of("P02"), day, fingerprint("no such day", day)), b.vw.keys[V1])
        assert e is not None and (e.error, e.args_by_name["month"], e.args_by_name["day"]) == ("DayNotDeclarable", apr, day)
    b.advance_to(at(Y, 5, 6, 10))  # in May, April's window still open: 30 April exists, 31 April does not
    e = simulate(b, v.ledger.functions.declare(apr, code_of("P02"), 31, fingerprint("31 April")), b.vw.keys[V1])
    assert e is not None and e.error == "DayNotDeclarable"
    b.declare(V1, "P02", dt.date(Y, 4, 30), fingerprint("30 April"))
    may_duty = next(p for p, (_r, tm, _c) in PEOPLE.items() if tm == b.m.team_on_duty(5))
    b.record(may_duty, V2, "N01", dt.date(Y, 5, 7), fingerprint("tomorrow"))
    assert b.last_error == "DayNotDeclarable"
    b.check_items()


def test_the_same_item_twice_is_refused(vworld: VillageWorld) -> None:
    """R-VC-5 [decision]: the same person, criterion and day twice is refused, ``SameItemTwice``, whatever
    the first became (pending, rejected, recorded); another day or criterion is another item."""
    b = Both(vworld, _WORLDS[vworld.chain.kind][1])
    b.advance_to(at(Y, 4, 10, 10))
    day = dt.date(Y, 4, 9)
    b.declare(V1, "P01", day, fingerprint("once"))
    b.declare(V1, "P01", day, fingerprint("twice"))
    assert b.last_error == "SameItemTwice"
    b.declare(V1, "P01", dt.date(Y, 4, 8), fingerprint("another day"))
    b.declare(V1, "P02", day, fingerprint("another criterion"))
    team = [p for p, (_r, t, _c) in PEOPLE.items() if t == b.m.team_on_duty(4)]
    b.verify(team[0], [1], [False])  # rejected: still the same deed
    b.declare(V1, "P01", day, fingerprint("thrice"))
    assert b.last_error == "SameItemTwice"
    b.record(team[0], V2, "N01", day, fingerprint("negative"))
    b.record(team[1], V2, "N01", day, fingerprint("negative again"))  # by another member of the team
    assert b.last_error == "SameItemTwice"
    b.check_quarters()
    b.check_items()


def test_publication_waits_for_the_last_window_of_unopened_months(vworld: VillageWorld) -> None:
    """R-VC-7: a quarter is published only after its last month's declaration window has closed, even
    if nobody opened that month (the first quarter: 5 working days after 31 March 2026, Qingming off).
    The window's last second refuses (``QuarterNotOver``), the first second after publishes."""
    b = Both(vworld, _WORLDS[vworld.chain.kind][1])
    close = b.m.declare_deadline(3)
    assert close == at(Y, 4, 9)  # 24:00 on 8 April
    clock_at(b, close - 1)  # acts at the window's last second
    b.publish(K1, 1)
    assert b.last_error == "QuarterNotOver" and b.m.quarters[1].state == "open"
    order = b.v.rank_order(quarter_index(1))
    fn = b.v.quarters.functions.publish(quarter_index(1), order)
    clock_at(b, close)
    e = simulate(b, fn, b.vw.keys[K1])
    assert e is not None and (e.error, e.rule, e.args_by_name["until"]) == ("QuarterNotOver", "R-VC-7", close)
    clock_at(b, close + 1)  # the first second after
    assert simulate(b, fn, b.vw.keys[K1]) is None
    b.publish(K1, 1)
    assert b.m.quarters[1].state == "published"


def test_the_roll_is_who_was_registered(vworld: VillageWorld) -> None:
    """R-VC-2 [decision]: the roll is the representatives registered when the list was proposed. The
    contract once dropped a representative whose team the town re-recorded after the proposal; a team
    change now keeps the vote (only giving or taking the representative function moves ``since``)."""
    embedded_only(vworld.chain)
    b = Both(vworld, _WORLDS[vworld.chain.kind][1])
    version = b.v.propose_list([criterion_tuple(c) for c in LIST], sum(c.positive for c in LIST), b.vw.keys[SEC])
    pid = b.m.propose_list(LIST)
    b.v.set_member(b.vw.ids[R4], ROLE_BITS["representative"] | ROLE_BITS["council"], 2, OFFICE)  # R4 joins team 2
    b.m.set_member(R4, "representative", "council", team=2)
    b.act(lambda: b.v.vote_list(version, True, b.vw.keys[R4]), lambda: b.m.vote_list(pid, R4, True, b.now()))
