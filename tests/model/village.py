"""Reference model of SPEC §9 (R-VC-1 ... R-VC-11), the village "contract + credit" scheme, for tests only.

It shares nothing with the code it checks: it imports nothing from ``zhili``. Its fixed numbers come
from seed 004 (``/work/shared/seeds/004_50c53297a3ffbae2.txt``, cited as ``004 L<n>``) and from the
[decision]s of SPEC §9 and docs/village.md ("Rules and decisions"), written here; its deadlines from
the independent calendar of ``tests/model/calendar.py`` (the State Council's notices written as data,
not the ``chinese-calendar`` library), never from ``zhili.core.workdays`` or the chain. What a village chooses (point values, base score,
grade thresholds, windows, the catalogue) is data: the test gives it to the model and to the contracts
alike, and checks the profile's values against the seed where the seed has a number.

Points are tenths (``15`` is 1.5 points). Times are unix seconds; days are CST calendar days. Persons
are any hashable ids. Every refused act raises :class:`Refused` naming the SPEC rule (``R-VC-n``) and a
short reason; a refused act changes nothing.

The model covers one scheme year (contracts are signed "for the year", R-VC-3; grades are annual,
R-VC-8). Lists and their assembly votes, contracts, declarations, verification, negative items,
publication, objections, rulings, finality, grades, consequences and the supermarket are all here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from model.calendar import CST, at, expected_deadline

Pid = Hashable

# ---------------------------------------------------------------- the seed's numbers and names

#: 004 L7 "分類設置黨員先鋒、村民代表模範、村民自治三類積分": three point types.
PARTY, REPRESENTATIVE, VILLAGER = "party_vanguard", "representative_model", "villager_autonomy"
POINT_TYPES = (PARTY, REPRESENTATIVE, VILLAGER)
#: 004 L7: the first two are "角色職責積分、居民信用積分兩部分"; 村民自治積分 is resident credit alone.
TYPES_WITH_DUTY = (PARTY, REPRESENTATIVE)

#: 004 L13 "五色契約": red 先鋒 (party members), yellow 模範 (representatives), blue 自治 (villagers),
#: green 服務 (volunteers), silver 調解 (the "五老" mediators).
RED, YELLOW, BLUE, GREEN, SILVER = "red", "yellow", "blue", "green", "silver"
COLOURS = (RED, YELLOW, BLUE, GREEN, SILVER)
#: The function a colour needs ([decision]: blue, green and silver are open to every villager; who is
#: one of the "五老" is the village's judgement, not checked).
COLOUR_NEEDS: dict[str, str | None] = {RED: "party_member", YELLOW: "representative", BLUE: None, GREEN: None, SILVER: None}
#: Village functions the town records (R-VC-1 "村級負責具體實施"): party member, registered representative,
#: credit council member (004 L9 信用議事會), the party secretary (proposes lists), the shop keeper.
ROLES = ("party_member", "representative", "council", "secretary", "keeper")

#: What a criterion counts for (R-VC-4): the party members' role duty, the representatives' role duty,
#: resident credit. [decision] Resident credit is one account per person: it is the 40 % part of both
#: combined types and the whole of 村民自治积分 (004 L7 "融入個人行為信用評價"; "以村民信用積分為基礎").
PARTY_DUTY, REP_DUTY, CREDIT = "party_duty", "rep_duty", "credit"
KINDS = (PARTY_DUTY, REP_DUTY, CREDIT)
#: R-VC-3: a duty kind counts only under its signed contract; credit under any signed contract.
KIND_NEEDS: dict[str, str | None] = {PARTY_DUTY: RED, REP_DUTY: YELLOW, CREDIT: None}

#: 004 L9 "評出優秀、合格、基本合格、不合格4個等次" (party members and representatives), best first.
EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED = "excellent", "qualified", "basically_qualified", "unqualified"
MEMBER_GRADES = (EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED)
#: 004 L9 "評出五星、四星、三星、二星、一星5個等次" (villagers), best first.
STARS = (5, 4, 3, 2, 1)

#: 004 L9 "按照'黨員先鋒+村幹部+群眾代表'的結構成立三支評分隊伍,以輪值形式擔任評分隊長": three teams,
#: numbered 1..3 in this order; R-VC-6 [decision]: the captaincy (the team on duty) rotates monthly in
#: this fixed order, starting in January with the team the town's manual names.
TEAMS = ("party_members", "village_cadres", "masses_representatives")

#: 004 L7 "細化分解19項正面、37項負面評價標準": the seed's example list (counts are data, not code).
SEED_POSITIVE, SEED_NEGATIVE = 19, 37
#: The categories the seed names (004 L7 協商議事、環境治理、養老助殘; L7 文明實踐、社會公益、公民公德;
#: L9 鄉村振興、志願服務、矛盾化解). SPEC R-VC-2 leaves the list open ("…"): the model does not close it.
SEED_CATEGORIES = ("协商议事", "环境治理", "养老助残", "文明实践", "社会公益", "公民公德", "乡村振兴", "志愿服务", "矛盾化解")

#: 004 L9 "每月登記、季度公示、年底總評": months, quarters of three months, one year.
MONTHS, QUARTERS = 12, 4

# ---------------------------------------------------------------- SPEC §9 [decision]s

DUTY_SHARE = 60  # R-VC-4 [decision]: 60 % duty / 40 % credit by default (the framework may state another)
OBJECTION_WORKDAYS = 7  # R-VC-7 [decision]: 7 (working) days
RECTIFY_MONTHS = 3  # R-VC-9 [decision]: 3 months
DECLARE_WORKDAYS = 5  # R-VC-5 [decision] (docs/village.md): a month's window closes 5 working days after it ends
MAX_WINDOW_WORKDAYS = 15  # R-VC-1 [decision]: the framework's bound on the town's windows
FIRST_TEAM = 1  # R-VC-6: the team on duty in January, by default


class Refused(Exception):
    """An act SPEC §9 refuses: ``rule`` is the rule ID (``"R-VC-7"``), ``reason`` a short key."""

    def __init__(self, rule: str, reason: str) -> None:
        self.rule, self.reason = rule, reason
        super().__init__(f"{rule}: {reason}")


def refuse_unless(ok: bool, rule: str, reason: str) -> None:
    if not ok:
        raise Refused(rule, reason)


# ---------------------------------------------------------------- calendar helpers (independent)


def cst_date(t: int) -> dt.date:
    return dt.datetime.fromtimestamp(t, CST).date()


def day_start(d: dt.date) -> int:
    return at(d.year, d.month, d.day)


def month_last_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def add_months(d: dt.date, n: int) -> dt.date:
    """The same day ``n`` calendar months later, the month's last day if it has no such day."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, month_last_day(year, month).day))


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def trunc_div(x: int, d: int) -> int:
    """Integer division rounding toward zero ([decision] R-VC-4: the weighted total is truncated)."""
    q = abs(x) // d
    return q if x >= 0 else -q


# ---------------------------------------------------------------- the three levels (R-VC-1)


@dataclass(frozen=True)
class Framework:
    """The district's framework (R-VC-1, 004 L7 "區級負責搭建評分框架")."""

    base: int  # base score, tenths (004 L9 "總積分由基礎分、獎懲分構成")
    max_value: int  # the largest value one criterion may carry, tenths
    member_thresholds: tuple[int, int, int]  # least annual total for 優秀, 合格, 基本合格 (R-VC-8)
    star_thresholds: tuple[int, int, int, int]  # least annual total for 5, 4, 3, 2 stars (R-VC-8)
    duty_share: int = DUTY_SHARE  # percent of the duty part in party and representative points (R-VC-4)
    max_window_workdays: int = MAX_WINDOW_WORKDAYS

    def check(self) -> None:
        refuse_unless(self.base >= 0 and self.max_value > 0, "R-VC-1", "framework_values")
        refuse_unless(0 <= self.duty_share <= 100, "R-VC-1", "framework_proportion")
        refuse_unless(self.max_window_workdays >= 1, "R-VC-1", "framework_window")
        for scale in (self.member_thresholds, self.star_thresholds):  # equal steps leave a grade empty: allowed
            refuse_unless(all(a >= b for a, b in zip(scale, scale[1:])), "R-VC-1", "thresholds_not_descending")


@dataclass(frozen=True)
class Good:
    price: int  # tenths of redeemable credit
    stock: int


@dataclass(frozen=True)
class Manual:
    """The town's operation manual (R-VC-1, 004 L7 "鎮級負責制定操作手冊"): windows, the first team, the catalogue."""

    catalogue: Mapping[str, Good] = field(default_factory=dict)  # the goods listed at the start
    star_bonus: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # redeemable tenths for one ... five stars (R-VC-10)
    declare_workdays: int = DECLARE_WORKDAYS
    objection_workdays: int = OBJECTION_WORKDAYS
    first_team: int = FIRST_TEAM

    def check(self, fw: Framework) -> None:
        for w in (self.declare_workdays, self.objection_workdays):
            refuse_unless(1 <= w <= fw.max_window_workdays, "R-VC-1", "window_outside_framework")
        refuse_unless(1 <= self.first_team <= len(TEAMS), "R-VC-1", "no_such_team")
        for g in self.catalogue.values():
            refuse_unless(g.price > 0 and g.stock >= 0, "R-VC-10", "bad_good")
        refuse_unless(len(self.star_bonus) == len(STARS) and min(self.star_bonus) >= 0, "R-VC-10", "bad_bonus")


@dataclass(frozen=True)
class Criterion:
    """One entry of the village list (R-VC-2): code, text, category, sign, value by importance, kinds."""

    code: str
    text: str
    category: str
    positive: bool
    value: int  # tenths, > 0; a negative criterion subtracts it
    kinds: frozenset[str]  # of KINDS


def check_list(criteria: Iterable[Criterion], fw: Framework) -> tuple[Criterion, ...]:
    """R-VC-1: every value within the framework; R-VC-2: a well-formed list with something to declare."""
    items = tuple(criteria)
    refuse_unless(any(c.positive for c in items), "R-VC-2", "no_positive_criterion")
    refuse_unless(len({c.code for c in items}) == len(items), "R-VC-2", "duplicate_code")
    for c in items:
        refuse_unless(bool(c.code) and bool(c.category) and bool(c.text), "R-VC-2", "incomplete_criterion")
        refuse_unless(len(c.kinds) > 0 and c.kinds <= set(KINDS), "R-VC-2", "bad_kinds")
        refuse_unless(1 <= c.value <= fw.max_value, "R-VC-1", "value_outside_framework")
    return items


# ---------------------------------------------------------------- state


@dataclass
class Member:
    roles: set[str] = field(default_factory=set)
    team: int = 0  # 0 none, 1..3 (TEAMS)
    since: int = 0  # the model's step of the last change of functions


@dataclass
class Proposal:
    criteria: tuple[Criterion, ...]
    roll: frozenset[Pid]  # the representatives registered when it was proposed
    yes: set[Pid] = field(default_factory=set)
    no: set[Pid] = field(default_factory=set)
    state: str = "proposed"  # "proposed", "adopted", "rejected"
    effective_from: int = 0  # the first quarter it is in force in (1..4; 5: next year)


@dataclass
class Item:
    """A declared positive item (R-VC-5) or a recorded negative item (R-VC-5, R-VC-6)."""

    id: int
    person: Pid
    code: str
    day: dt.date
    evidence: bytes
    negative: bool
    by: Pid  # the declarer, or the team member who recorded it
    colours: frozenset[str]  # the person's contracts when it was written (R-VC-3)
    status: str  # "declared", "accepted", "rejected", "recorded"
    verifier: Pid | None = None

    @property
    def quarter(self) -> int:
        return quarter_of(self.day.month)

    @property
    def counted(self) -> bool:
        return self.status in ("accepted", "recorded")


@dataclass
class Objection:
    id: int
    quarter: int
    subject: Pid
    entry: int | None  # one entry of the subject's quarter, or the standing as a whole
    objector: Pid
    votes: dict[tuple[bool, str | None, int, bytes], set[Pid]] = field(default_factory=dict)  # ruling -> members
    outcome: str = "pending"  # "pending", "upheld", "rejected"


@dataclass
class Quarter:
    state: str = "open"  # "open", "published", "final"
    published_at: int = 0
    deadline: int = 0  # last second an objection is in time (R-VC-7)
    council: int = 0  # the council's size when publication began: rulings need more than half of it
    order: list[Pid] = field(default_factory=list)  # the published rank order
    points: dict[Pid, tuple[int, int, int, int, int, int]] = field(default_factory=dict)  # as published
    adjust: dict[Pid, dict[str, int]] = field(default_factory=dict)  # upheld rulings, tenths per kind


@dataclass
class Rectification:
    deadline: int
    state: str = "due"  # "due", "rectified", "seat_lost"


class VillageModel:
    """One village, one scheme year."""

    def __init__(self, year: int, framework: Framework, manual: Manual) -> None:
        framework.check()
        manual.check(framework)
        self.year, self.fw, self.manual = year, framework, manual
        self.step = 0  # a counter standing for the chain's block order
        self.members: dict[Pid, Member] = {}
        self.contracts: dict[Pid, set[str]] = {}
        self.proposals: dict[int, Proposal] = {}  # ids from 1
        self.adopted: list[int] = []  # in adoption order
        self.items: dict[int, Item] = {}  # ids from 1
        self.objections: dict[int, Objection] = {}  # ids from 1
        self.quarters = {q: Quarter() for q in range(1, QUARTERS + 1)}
        self.annual: dict[str, dict[Pid, int]] = {}
        self.grades: dict[Pid, dict[str, str | int]] = {}  # person -> point type -> grade key or stars (R-VC-8)
        self.rectifications: dict[Pid, Rectification] = {}
        self.referred: list[Pid] = []  # party members referred to the branch (R-VC-9)
        self.by_elections: list[Pid] = []  # seats lost, a by-election due for each (R-VC-9)
        self.helpers: dict[Pid, Pid] = {}  # villager -> party member (one-to-one help, R-VC-9)
        self.balance: dict[Pid, int] = {}
        self.credited: set[Pid] = set()
        self.prices = {k: g.price for k, g in manual.catalogue.items()}  # listed goods
        self.stock = {k: g.stock for k, g in manual.catalogue.items()}
        self.nonces: dict[Pid, int] = {}  # each person's next redemption number: nothing redeemed twice

    def _tick(self) -> int:
        self.step += 1
        return self.step

    # ------------------------------------------------------------ people, teams, council

    def set_member(self, person: Pid, *roles: str, team: int = 0) -> None:
        """The town records a person's village functions and scoring team (004 L9, R-VC-6)."""
        refuse_unless(all(r in ROLES for r in roles) and 0 <= team <= len(TEAMS), "R-VC-6", "bad_member")
        m = self.members.setdefault(person, Member())
        m.roles, m.team, m.since = set(roles), team, self._tick()

    def has(self, person: Pid, role: str) -> bool:
        return person in self.members and role in self.members[person].roles

    def with_role(self, role: str) -> set[Pid]:
        return {p for p, m in self.members.items() if role in m.roles}

    def team_on_duty(self, month: int) -> int:
        """R-VC-6 [decision]: monthly, in the fixed order of TEAMS, the manual's team in January (1..3)."""
        return (self.manual.first_team - 1 + month - 1) % len(TEAMS) + 1

    # ------------------------------------------------------------ the list (R-VC-2)

    def propose_list(self, criteria: Iterable[Criterion]) -> int:
        items = check_list(criteria, self.fw)
        pid = len(self.proposals) + 1
        self.proposals[pid] = Proposal(items, frozenset(self.with_role("representative")))
        self._tick()
        return pid

    def vote_list(self, proposal: int, rep: Pid, yes: bool, now: int) -> str:
        """A representative on the list's roll votes; adopted when yes > half of the roll, rejected when
        the no votes make that impossible (R-VC-2). Adopted in quarter q, it is in force from q + 1."""
        p = self.proposals[proposal]
        refuse_unless(p.state == "proposed", "R-VC-2", "list_closed")
        refuse_unless(rep in p.roll and self.has(rep, "representative"), "R-VC-2", "not_on_roll")
        refuse_unless(rep not in p.yes and rep not in p.no, "R-VC-2", "already_voted")
        (p.yes if yes else p.no).add(rep)
        if 2 * len(p.yes) > len(p.roll):
            d = cst_date(now)
            p.state = "adopted"
            p.effective_from = 1 + (quarter_of(d.month) if d.year == self.year else 0 if d.year < self.year else QUARTERS)
            self.adopted.append(proposal)
        elif 2 * len(p.no) >= len(p.roll):
            p.state = "rejected"
        return p.state

    def list_for(self, quarter: int) -> int | None:
        """The list in force in ``quarter``: the last adopted whose first quarter is not after it."""
        for pid in reversed(self.adopted):
            if self.proposals[pid].effective_from <= quarter:
                return pid
        return None

    def criterion(self, quarter: int, code: str) -> Criterion:
        """The criterion ``code`` of the list in force in ``quarter`` (R-VC-2)."""
        lid = self.list_for(quarter)
        refuse_unless(lid is not None, "R-VC-2", "no_list_in_force")
        assert lid is not None
        for c in self.proposals[lid].criteria:
            if c.code == code:
                return c
        raise Refused("R-VC-5", "unknown_criterion")

    # ------------------------------------------------------------ contracts (R-VC-3)

    def sign(self, person: Pid, colour: str) -> None:
        refuse_unless(colour in COLOURS, "R-VC-3", "unknown_colour")
        need = COLOUR_NEEDS[colour]
        refuse_unless(need is None or self.has(person, need), "R-VC-3", "role_missing")
        refuse_unless(colour not in self.contracts.get(person, set()), "R-VC-3", "already_signed")
        self.members.setdefault(person, Member())  # signing enrols a villager
        self.contracts.setdefault(person, set()).add(colour)

    def scored_types(self, person: Pid) -> set[str]:
        """The point types a person is graded in: red 党员先锋, yellow 村民代表模范, blue 村民自治 (R-VC-3, R-VC-8)."""
        held = self.contracts.get(person, set())
        return {t for t, c in ((PARTY, RED), (REPRESENTATIVE, YELLOW), (VILLAGER, BLUE)) if c in held}

    # ------------------------------------------------------------ declarations and negative items

    def declare_deadline(self, month: int) -> int:
        """R-VC-5 [decision]: a month's window closes at the end of the N-th working day after its last day."""
        return expected_deadline(day_start(month_last_day(self.year, month)), self.manual.declare_workdays)

    def _window(self, day: dt.date, now: int) -> None:
        refuse_unless(day.year == self.year, "R-VC-5", "not_this_year")
        refuse_unless(at(self.year, day.month, 1) <= now <= self.declare_deadline(day.month), "R-VC-5", "outside_window")

    def _write(self, person: Pid, code: str, day: dt.date, evidence: bytes, now: int, negative: bool) -> Criterion:
        c = self.criterion(quarter_of(day.month), code)
        refuse_unless(c.positive != negative, "R-VC-5", "a_negative_is_recorded" if not negative else "a_positive_is_declared")
        refuse_unless(len(evidence) == 32, "R-VC-11", "not_a_fingerprint")
        refuse_unless(any(evidence), "R-VC-5", "no_evidence")
        refuse_unless(day <= cst_date(now), "R-VC-5", "a_day_to_come")  # [decision]
        refuse_unless(bool(self.contracts.get(person)), "R-VC-3", "no_contract")
        refuse_unless(all((i.person, i.code, i.day) != (person, code, day) for i in self.items.values()), "R-VC-5", "twice")  # [decision]
        return c

    def declare(self, person: Pid, code: str, day: dt.date, evidence: bytes, now: int) -> int:
        """R-VC-5: a positive item the person did, in the month's window."""
        refuse_unless(person in self.members, "R-VC-3", "not_in_village")
        self._window(day, now)
        self._write(person, code, day, evidence, now, negative=False)
        iid = len(self.items) + 1
        self.items[iid] = Item(iid, person, code, day, evidence, False, person, frozenset(self.contracts[person]), "declared")
        return iid

    def _on_duty(self, member: Pid, month: int) -> None:
        refuse_unless(member in self.members and self.members[member].team == self.team_on_duty(month), "R-VC-6", "not_on_duty")

    def verify(self, member: Pid, ids: Iterable[int], accept: bool | Iterable[bool]) -> None:
        """R-VC-6: the team on duty in the declaration's month verifies; nobody their own. All or nothing."""
        batch = list(ids)
        decisions = [accept] * len(batch) if isinstance(accept, bool) else list(accept)
        refuse_unless(len(decisions) == len(batch) > 0, "R-VC-6", "batch_shape")
        seen: set[int] = set()
        for iid in batch:
            i = self.items[iid]
            refuse_unless(i.status == "declared" and iid not in seen, "R-VC-6", "verified_already")
            refuse_unless(i.person != member, "R-VC-6", "own_declaration")
            self._on_duty(member, i.day.month)
            refuse_unless(self.quarters[i.quarter].state == "open", "R-VC-7", "quarter_published")
            seen.add(iid)
        for iid, ok in zip(batch, decisions):
            i = self.items[iid]
            i.status, i.verifier = ("accepted" if ok else "rejected"), member

    def record(self, member: Pid, person: Pid, code: str, day: dt.date, evidence: bytes, now: int) -> int:
        """R-VC-5, R-VC-6: a negative item, by the team on duty in the item's month, in its window, never on oneself."""
        refuse_unless(person in self.members, "R-VC-3", "not_in_village")
        refuse_unless(member != person, "R-VC-6", "own_record")
        self._window(day, now)
        refuse_unless(self.list_for(quarter_of(day.month)) is not None, "R-VC-2", "no_list_in_force")
        self._on_duty(member, day.month)
        refuse_unless(self.quarters[quarter_of(day.month)].state == "open", "R-VC-7", "quarter_published")
        self._write(person, code, day, evidence, now, negative=True)
        iid = len(self.items) + 1
        self.items[iid] = Item(iid, person, code, day, evidence, True, member, frozenset(self.contracts[person]), "recorded")
        return iid

    # ------------------------------------------------------------ standings (R-VC-4, R-VC-7)

    def counts_for(self, item: Item) -> set[str]:
        """R-VC-3: the kinds an item counts in: a duty kind only under its contract, held when it was written."""
        c = self.criterion(item.quarter, item.code)
        return {k for k in c.kinds if KIND_NEEDS[k] is None or KIND_NEEDS[k] in item.colours}

    def points(self, q: int, person: Pid) -> tuple[int, int, int, int, int, int]:
        """Rewards and penalties, tenths, of party duty, representative duty and credit in quarter ``q``."""
        out = [0] * 6
        for i in self.items.values():
            if i.quarter == q and i.person == person and i.counted:
                v = self.criterion(q, i.code).value
                for k in self.counts_for(i):
                    out[2 * KINDS.index(k) + i.negative] += v
        return tuple(out)  # type: ignore[return-value]

    def nets(self, q: int, person: Pid) -> dict[str, int]:
        """Rewards minus penalties per kind, with the council's upheld corrections (R-VC-7)."""
        pts = self.quarters[q].points.get(person) if self.quarters[q].state != "open" else None
        pts = pts or self.points(q, person)
        adj = self.quarters[q].adjust.get(person, {})
        return {k: pts[2 * n] - pts[2 * n + 1] + adj.get(k, 0) for n, k in enumerate(KINDS)}

    def total(self, point_type: str, nets: Mapping[str, int]) -> int:
        """R-VC-4: base + rewards - penalties; the two role types combine duty and credit in the framework's proportion."""
        if point_type == VILLAGER:
            return self.fw.base + nets[CREDIT]
        duty = nets[PARTY_DUTY if point_type == PARTY else REP_DUTY]
        return self.fw.base + trunc_div(self.fw.duty_share * duty + (100 - self.fw.duty_share) * nets[CREDIT], 100)

    def rank_order(self, q: int) -> list[Pid]:
        """[decision] The published order: resident credit net descending, then the order of enrolment."""
        enrolled = list(self.members)
        return sorted(enrolled, key=lambda p: (-(self.points(q, p)[4] - self.points(q, p)[5]), enrolled.index(p)))

    def publish(self, q: int, now: int, order: list[Pid] | None = None, by: Pid | None = None) -> None:
        """R-VC-7: the council (``by``, when given, must sit on it) publishes every enrolled person's
        standing, in rank order, after the quarter's last declaration window has closed; the objection
        window runs from then."""
        refuse_unless(by is None or self.has(by, "council"), "R-VC-7", "not_council_member")
        qs = self.quarters[q]
        refuse_unless(qs.state == "open", "R-VC-7", "already_published")
        refuse_unless(now > self.declare_deadline(3 * q), "R-VC-7", "declarations_open")
        expected = self.rank_order(q)
        refuse_unless(order is None or list(order) == expected, "R-VC-7", "rank_order")
        qs.state, qs.published_at = "published", now
        qs.deadline = expected_deadline(now, self.manual.objection_workdays)
        qs.council = len(self.with_role("council"))
        qs.order = expected
        qs.points = {p: self.points(q, p) for p in expected}

    def standing(self, q: int, person: Pid) -> tuple[int, tuple[int, int, int, int, int, int]] | None:
        """The published rank (1 = first) and points of ``person`` in ``q`` (R-VC-7, R-VC-11)."""
        qs = self.quarters[q]
        if qs.state == "open" or person not in qs.points:
            return None
        return qs.order.index(person) + 1, qs.points[person]

    def object(self, objector: Pid, q: int, subject: Pid, entry: int | None, now: int) -> int:
        """R-VC-7: any villager objects to a person's standing (or one entry of it) within the window."""
        refuse_unless(objector in self.members, "R-VC-7", "not_a_villager")
        qs = self.quarters[q]
        refuse_unless(qs.state == "published" and now <= qs.deadline, "R-VC-7", "window_closed")
        refuse_unless(subject in qs.points, "R-VC-7", "not_in_standing")
        if entry is not None:
            i = self.items.get(entry)
            refuse_unless(i is not None and i.person == subject and i.quarter == q, "R-VC-7", "entry_not_in_standing")
        oid = len(self.objections) + 1
        self.objections[oid] = Objection(oid, q, subject, entry, objector)
        return oid

    def rule(self, member: Pid, objection: int, uphold: bool, kind: str | None = None, delta: int = 0, reason: bytes = b"") -> str:
        """R-VC-7: council members vote for a ruling; more than half of the council decides it. An upheld
        ruling corrects one kind of the subject's quarter by ``delta`` tenths. Nobody rules on their own standing."""
        o = self.objections[objection]
        refuse_unless(self.has(member, "council"), "R-VC-7", "not_council_member")
        refuse_unless(o.outcome == "pending", "R-VC-7", "already_ruled")
        refuse_unless(member != o.subject, "R-VC-7", "own_standing")
        refuse_unless(all(member not in v for v in o.votes.values()), "R-VC-7", "already_voted")
        refuse_unless((kind in KINDS and delta != 0) if uphold else (kind is None and delta == 0), "R-VC-7", "ruling_shape")
        voters = o.votes.setdefault((uphold, kind, delta, reason), set())
        voters.add(member)
        if 2 * len(voters) > self.quarters[o.quarter].council:
            o.outcome = "upheld" if uphold else "rejected"
            if uphold:
                assert kind is not None
                adj = self.quarters[o.quarter].adjust.setdefault(o.subject, {})
                adj[kind] = adj.get(kind, 0) + delta
        return o.outcome

    def finalize(self, q: int, now: int) -> None:
        """R-VC-7: after the window, with every objection ruled, the quarter is final; it never changes."""
        qs = self.quarters[q]
        refuse_unless(qs.state == "published", "R-VC-7", "not_published" if qs.state == "open" else "already_final")
        refuse_unless(now > qs.deadline, "R-VC-7", "window_open")
        refuse_unless(all(o.outcome != "pending" for o in self.objections.values() if o.quarter == q), "R-VC-7", "objection_pending")
        qs.state = "final"

    # ------------------------------------------------------------ grades and consequences (R-VC-8, R-VC-9)

    def member_grade(self, total: int) -> str:
        for grade, least in zip(MEMBER_GRADES, self.fw.member_thresholds):
            if total >= least:
                return grade
        return UNQUALIFIED

    def stars(self, total: int) -> int:
        for s, least in zip(STARS, self.fw.star_thresholds):
            if total >= least:
                return s
        return 1

    def year_nets(self, person: Pid) -> dict[str, int]:
        """The four final quarters' nets per kind, corrections included (R-VC-8)."""
        out = dict.fromkeys(KINDS, 0)
        for q in self.quarters:
            for k, v in self.nets(q, person).items():
                out[k] += v
        return out

    def grade(self, persons: Iterable[Pid], now: int) -> None:
        """R-VC-8: from the four final quarters, by absolute thresholds, each type under its contract
        (red: 党员先锋, yellow: 村民代表模范, blue: stars); R-VC-9 follows at once."""
        refuse_unless(all(qs.state == "final" for qs in self.quarters.values()), "R-VC-8", "quarters_not_final")
        batch = list(persons)
        refuse_unless(all(p not in self.grades for p in batch) and len(set(batch)) == len(batch), "R-VC-8", "already_graded")
        deadline = day_start(add_months(cst_date(now), RECTIFY_MONTHS)) + 86400  # R-VC-9: 24:00 CST, 3 months on
        for p in batch:
            nets, held = self.year_nets(p), self.contracts.get(p, set())
            g: dict[str, str | int] = {}
            for t, colour in ((PARTY, RED), (REPRESENTATIVE, YELLOW), (VILLAGER, BLUE)):
                if colour in held:
                    self.annual.setdefault(t, {})[p] = total = self.total(t, nets)
                    g[t] = self.stars(total) if t == VILLAGER else self.member_grade(total)
            self.grades[p] = g
            if g.get(REPRESENTATIVE) == UNQUALIFIED:
                self.rectifications[p] = Rectification(deadline)
            if g.get(PARTY) == UNQUALIFIED:
                self.referred.append(p)

    def rectify(self, rep: Pid, now: int) -> None:
        r = self.rectifications.get(rep)
        refuse_unless(r is not None and r.state == "due", "R-VC-9", "no_rectification_due")
        assert r is not None
        refuse_unless(now <= r.deadline, "R-VC-9", "deadline_passed")
        r.state = "rectified"

    def lapse_seat(self, rep: Pid, now: int) -> None:
        """R-VC-9: not rectified by the deadline: the seat is lost and a by-election is due."""
        r = self.rectifications.get(rep)
        refuse_unless(r is not None and r.state == "due", "R-VC-9", "no_rectification_due")
        assert r is not None
        refuse_unless(now > r.deadline, "R-VC-9", "deadline_not_passed")
        r.state = "seat_lost"
        m = self.members[rep]
        m.roles.discard("representative")
        m.since = self._tick()
        self.by_elections.append(rep)

    def assign_helper(self, villager: Pid, helper: Pid) -> None:
        """R-VC-9 [decision] ("排名靠後"): a one-star villager gets a party member's one-to-one help, once a year."""
        refuse_unless(self.grades.get(villager, {}).get(VILLAGER) == 1, "R-VC-9", "no_help_due")
        refuse_unless(villager not in self.helpers, "R-VC-9", "helper_assigned")
        refuse_unless(helper != villager and self.has(helper, "party_member"), "R-VC-9", "helper_not_party_member")
        self.helpers[villager] = helper

    # ------------------------------------------------------------ the credit supermarket (R-VC-10)

    def claim(self, person: Pid) -> int:
        """R-VC-10 [decision]: a graded villager's year earns redeemable credit once: the villager points
        above the base (points earn) and the stars' bonus from the town's manual (grades earn)."""
        refuse_unless(person in self.grades, "R-VC-10", "not_graded")
        refuse_unless(person not in self.credited, "R-VC-10", "credited_already")
        self.credited.add(person)
        stars = self.grades[person].get(VILLAGER)
        amount = 0
        if isinstance(stars, int):
            amount = max(0, self.annual[VILLAGER][person] - self.fw.base) + self.manual.star_bonus[stars - 1]
        self.balance[person] = self.balance.get(person, 0) + amount
        return amount

    def set_good(self, good: str, price: int, listed: bool = True) -> None:
        """The town lists, reprices or withdraws a good of the catalogue (R-VC-1)."""
        if listed:
            self.prices[good] = price
            self.stock.setdefault(good, 0)
        else:
            self.prices.pop(good, None)

    def restock(self, good: str, n: int) -> None:
        refuse_unless(good in self.prices, "R-VC-10", "not_listed")
        self.stock[good] += n

    def redeem(self, person: Pid, keeper: Pid, good: str, qty: int, nonce: int, *, person_signed: bool = True, keeper_signed: bool = True) -> None:
        """R-VC-10: spends the redeemable balance, never the score; signed by the villager and a shop
        keeper; stock and balance never below zero; each redemption numbered, nothing twice."""
        refuse_unless(person_signed and keeper_signed, "R-VC-10", "unsigned")
        refuse_unless(keeper != person and self.has(keeper, "keeper"), "R-VC-10", "not_a_keeper")
        refuse_unless(nonce == self.nonces.get(person, 0), "R-VC-10", "redeemed_twice")
        refuse_unless(qty > 0, "R-VC-10", "bad_quantity")
        refuse_unless(good in self.prices, "R-VC-10", "not_listed")
        refuse_unless(qty <= self.stock[good], "R-VC-10", "out_of_stock")
        cost = qty * self.prices[good]
        refuse_unless(cost <= self.balance.get(person, 0), "R-VC-10", "balance_too_low")
        self.stock[good] -= qty
        self.balance[person] -= cost
        self.nonces[person] = nonce + 1

    # ------------------------------------------------------------ views (R-VC-11: all of this is public)

    def quarter_total(self, q: int, point_type: str, person: Pid) -> int:
        """A person's points of one type in one quarter, corrections included (R-VC-4)."""
        return self.total(point_type, self.nets(q, person))

    def public_item(self, iid: int) -> tuple[Pid, str, dt.date, bytes, str, bool]:
        """What anyone sees of an entry: person, criterion, date, evidence fingerprint, status, counted."""
        i = self.items[iid]
        return i.person, i.code, i.day, i.evidence, i.status, i.counted
