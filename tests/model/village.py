"""Reference model of SPEC §9 (R-VC-1 ... R-VC-11), the village "contract + credit" scheme, for tests only.

It shares nothing with the code it checks: it imports nothing from ``zhili``. Its fixed numbers come
from seed 004 (``/work/shared/seeds/004_50c53297a3ffbae2.txt``, cited as ``004 L<n>``) and from the
[decision]s of SPEC §9 and docs/village.md ("Rules and decisions"), written here; its deadlines from
the independent calendar of ``tests/calendar_ref.py`` (the ``chinese-calendar`` library day by day),
never from ``zhili.core.workdays`` or the chain. What a village chooses (point values, base score,
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

from calendar_ref import CST, at, expected_deadline

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
#: The role a colour needs ([decision]: every registered person is a villager and may volunteer).
COLOUR_NEEDS: dict[str, str | None] = {RED: "party_member", YELLOW: "representative", BLUE: None, GREEN: None, SILVER: "mediator"}
#: The point type a colour's holder is scored in ([decision]: green and silver add no point type, 004 L7 names three).
COLOUR_TYPE: dict[str, str | None] = {RED: PARTY, YELLOW: REPRESENTATIVE, BLUE: VILLAGER, GREEN: None, SILVER: None}
ROLES = ("party_member", "representative", "mediator")

#: 004 L9 "評出優秀、合格、基本合格、不合格4個等次" (party members and representatives), best first.
EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED = "excellent", "qualified", "basically_qualified", "unqualified"
MEMBER_GRADES = (EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED)
#: 004 L9 "評出五星、四星、三星、二星、一星5個等次" (villagers), best first.
STARS = (5, 4, 3, 2, 1)

#: 004 L9 "按照'黨員先鋒+村幹部+群眾代表'的結構成立三支評分隊伍,以輪值形式擔任評分隊長": three teams,
#: in this fixed order; R-VC-6 [decision]: the captaincy (the team on duty) rotates monthly, January
#: is the first team's month.
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
        refuse_unless(0 <= self.duty_share <= 100, "R-VC-4", "framework_proportion")
        for scale in (self.member_thresholds, self.star_thresholds):
            refuse_unless(all(a > b for a, b in zip(scale, scale[1:])), "R-VC-8", "thresholds_not_descending")
        refuse_unless(self.max_window_workdays >= 1, "R-VC-1", "framework_window")


@dataclass(frozen=True)
class Good:
    price: int  # tenths of redeemable credit
    stock: int


@dataclass(frozen=True)
class Manual:
    """The town's operation manual (R-VC-1, 004 L7 "鎮級負責制定操作手冊"): windows and the catalogue."""

    catalogue: Mapping[str, Good]
    grade_credit: Mapping[str, int]  # grade key (MEMBER_GRADES, "star5" ... "star1") -> redeemable tenths (R-VC-10)
    declare_workdays: int = DECLARE_WORKDAYS
    objection_workdays: int = OBJECTION_WORKDAYS

    def check(self, fw: Framework) -> None:
        for w in (self.declare_workdays, self.objection_workdays):
            refuse_unless(1 <= w <= fw.max_window_workdays, "R-VC-1", "window_outside_framework")
        for g in self.catalogue.values():
            refuse_unless(g.price > 0 and g.stock >= 0, "R-VC-10", "bad_good")
        keys = set(MEMBER_GRADES) | {f"star{s}" for s in STARS}
        refuse_unless(set(self.grade_credit) <= keys and all(v >= 0 for v in self.grade_credit.values()), "R-VC-10", "bad_grade_credit")


@dataclass(frozen=True)
class Criterion:
    """One entry of the village list (R-VC-2): code, text, category, sign, value by importance, types."""

    code: str
    text: str
    category: str
    positive: bool
    value: int  # tenths, > 0; a negative criterion subtracts it
    types: frozenset[str]
    duty: bool = False  # a role-duty criterion (R-VC-4), else resident credit


def check_list(criteria: Iterable[Criterion], fw: Framework) -> tuple[Criterion, ...]:
    """R-VC-1: a village list within the framework; R-VC-4: duty criteria only for the two role types."""
    items = tuple(criteria)
    refuse_unless(len(items) > 0, "R-VC-2", "empty_list")
    refuse_unless(len({c.code for c in items}) == len(items), "R-VC-2", "duplicate_code")
    for c in items:
        refuse_unless(bool(c.code) and bool(c.category) and bool(c.text), "R-VC-2", "incomplete_criterion")
        refuse_unless(1 <= c.value <= fw.max_value, "R-VC-1", "value_outside_framework")
        refuse_unless(len(c.types) > 0 and c.types <= set(POINT_TYPES), "R-VC-1", "type_outside_framework")
        if c.duty:  # [decision] a duty criterion is one role's duty: exactly one of the two role types
            refuse_unless(len(c.types) == 1 and c.types <= set(TYPES_WITH_DUTY), "R-VC-4", "duty_type")
    return items


# ---------------------------------------------------------------- state


@dataclass
class Proposal:
    criteria: tuple[Criterion, ...]
    yes: set[Pid] = field(default_factory=set)
    no: set[Pid] = field(default_factory=set)
    adopted_at: int | None = None


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
    status: str  # "declared", "accepted", "rejected", "lapsed" (unverified at publication), "recorded"
    counted: bool
    verifier: Pid | None = None

    @property
    def quarter(self) -> int:
        return quarter_of(self.day.month)


@dataclass
class Objection:
    id: int
    quarter: int
    item: int
    objector: Pid
    yes: set[Pid] = field(default_factory=set)
    no: set[Pid] = field(default_factory=set)
    outcome: str = "pending"  # "pending", "upheld", "rejected"


@dataclass
class Quarter:
    state: str = "open"  # "open", "published", "final"
    published_at: int = 0
    deadline: int = 0  # last second an objection is in time (R-VC-7)
    list_id: int | None = None  # the list in force when the quarter began (R-VC-2)
    standings: dict[str, dict[Pid, tuple[int, int]]] = field(default_factory=dict)  # type -> person -> (total, rank)


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
        self.roles: dict[Pid, set[str]] = {}
        self.contracts: dict[Pid, set[str]] = {}
        self.teams: tuple[frozenset[Pid], ...] | None = None
        self.council: frozenset[Pid] | None = None
        self.proposals: dict[int, Proposal] = {}  # ids from 1
        self.items: dict[int, Item] = {}  # ids from 1
        self.objections: dict[int, Objection] = {}  # ids from 1
        self.quarters = {q: Quarter() for q in range(1, QUARTERS + 1)}
        self.graded = False
        self.annual: dict[str, dict[Pid, int]] = {}
        self.grades: dict[Pid, dict[str, str | int]] = {}  # person -> point type -> grade key or stars
        self.rectifications: dict[Pid, Rectification] = {}
        self.referred: list[Pid] = []  # party members referred to the branch (R-VC-9)
        self.by_elections: list[Pid] = []  # seats lost, a by-election due for each (R-VC-9)
        self.help_due: set[Pid] = set()
        self.helpers: dict[Pid, Pid] = {}  # villager -> party member (one-to-one help, R-VC-9)
        self.balance: dict[Pid, int] = {}
        self.stock = {k: g.stock for k, g in manual.catalogue.items()}
        self.redeemed: set[tuple[Pid, int]] = set()  # (person, nonce): nothing redeemed twice

    # ------------------------------------------------------------ people, teams, council

    def register(self, person: Pid, *roles: str) -> None:
        refuse_unless(person not in self.roles, "R-VC-3", "already_registered")
        refuse_unless(all(r in ROLES for r in roles), "R-VC-3", "unknown_role")
        self.roles[person] = set(roles)

    def representatives(self) -> set[Pid]:
        return {p for p, r in self.roles.items() if "representative" in r}

    def form_teams(self, teams: tuple[Iterable[Pid], Iterable[Pid], Iterable[Pid]]) -> None:
        """R-VC-6: three teams for the year, in the order of TEAMS; nobody in two teams ([decision])."""
        refuse_unless(self.teams is None, "R-VC-6", "teams_formed")
        sets = tuple(frozenset(t) for t in teams)
        refuse_unless(len(sets) == len(TEAMS) and all(sets), "R-VC-6", "three_teams")
        members = [p for s in sets for p in s]
        refuse_unless(len(set(members)) == len(members), "R-VC-6", "member_of_two_teams")
        refuse_unless(all(p in self.roles for p in members), "R-VC-6", "unregistered_member")
        self.teams = sets

    def seat_council(self, members: Iterable[Pid]) -> None:
        refuse_unless(self.council is None, "R-VC-7", "council_seated")
        council = frozenset(members)
        refuse_unless(len(council) > 0 and all(p in self.roles for p in council), "R-VC-7", "bad_council")
        self.council = council

    @staticmethod
    def team_on_duty(month: int) -> int:
        """R-VC-6 [decision]: monthly, in the fixed order of TEAMS, January the first."""
        return (month - 1) % len(TEAMS)

    def _on_duty(self, member: Pid, month: int) -> None:
        refuse_unless(self.teams is not None and member in self.teams[self.team_on_duty(month)], "R-VC-6", "not_team_on_duty")

    # ------------------------------------------------------------ the list (R-VC-2)

    def propose_list(self, criteria: Iterable[Criterion]) -> int:
        items = check_list(criteria, self.fw)
        pid = len(self.proposals) + 1
        self.proposals[pid] = Proposal(items)
        return pid

    def vote_list(self, proposal: int, rep: Pid, yes: bool, now: int) -> bool:
        """A registered representative's vote; the list takes effect when yes > half of the registered."""
        p = self.proposals[proposal]
        refuse_unless(rep in self.representatives(), "R-VC-2", "not_representative")
        refuse_unless(p.adopted_at is None, "R-VC-2", "already_adopted")
        refuse_unless(rep not in p.yes and rep not in p.no, "R-VC-2", "already_voted")
        (p.yes if yes else p.no).add(rep)
        if 2 * len(p.yes & self.representatives()) > len(self.representatives()):
            p.adopted_at = now
        return p.adopted_at is not None

    def quarter_start(self, q: int) -> int:
        return at(self.year, 3 * q - 2, 1)

    def list_in_force(self, t: int) -> int | None:
        """The list adopted last at or before ``t`` (a later adoption replaces it; R-VC-2)."""
        best: tuple[int, int] | None = None
        for pid, p in self.proposals.items():
            if p.adopted_at is not None and p.adopted_at <= t and (best is None or (p.adopted_at, pid) > best):
                best = (p.adopted_at, pid)
        return None if best is None else best[1]

    def _criterion(self, quarter: int, code: str) -> Criterion:
        """The criterion ``code`` of the list in force when ``quarter`` began (R-VC-2)."""
        lid = self.list_in_force(self.quarter_start(quarter))
        refuse_unless(lid is not None, "R-VC-2", "no_list_in_force")
        assert lid is not None
        for c in self.proposals[lid].criteria:
            if c.code == code:
                return c
        raise Refused("R-VC-2", "unknown_criterion")

    # ------------------------------------------------------------ contracts (R-VC-3)

    def sign(self, person: Pid, colour: str) -> None:
        refuse_unless(person in self.roles, "R-VC-3", "unregistered")
        refuse_unless(colour in COLOURS, "R-VC-3", "unknown_colour")
        need = COLOUR_NEEDS[colour]
        refuse_unless(need is None or need in self.roles[person], "R-VC-3", "role_missing")
        refuse_unless(colour not in self.contracts.get(person, set()), "R-VC-3", "already_signed")
        self.contracts.setdefault(person, set()).add(colour)

    def scored_types(self, person: Pid) -> set[str]:
        return {t for c in self.contracts.get(person, set()) if (t := COLOUR_TYPE[c]) is not None}

    # ------------------------------------------------------------ declarations and negative items

    def declare_deadline(self, month: int) -> int:
        """R-VC-5 [decision]: a month's window closes at the end of the N-th working day after its last day."""
        return expected_deadline(day_start(month_last_day(self.year, month)), self.manual.declare_workdays)

    def _item_checks(self, person: Pid, code: str, day: dt.date, evidence: bytes, now: int, *, negative: bool) -> Criterion:
        refuse_unless(person in self.roles and bool(self.contracts.get(person)), "R-VC-3", "no_contract")
        refuse_unless(len(evidence) == 32, "R-VC-11", "not_a_fingerprint")
        refuse_unless(any(evidence), "R-VC-5", "no_evidence")
        refuse_unless(day.year == self.year and day <= cst_date(now), "R-VC-5", "bad_date")
        c = self._criterion(quarter_of(day.month), code)
        refuse_unless(c.positive != negative, "R-VC-5", "negative_is_recorded" if not negative else "positive_is_declared")
        held = c.types & self.scored_types(person)
        refuse_unless(bool(held), "R-VC-3" if c.duty else "R-VC-4", "duty_without_contract" if c.duty else "type_not_held")
        refuse_unless(self.quarters[quarter_of(day.month)].state == "open", "R-VC-7", "quarter_published")
        refuse_unless(all((i.person, i.code, i.day) != (person, code, day) for i in self.items.values()), "R-VC-5", "duplicate_item")
        return c

    def declare(self, person: Pid, code: str, day: dt.date, evidence: bytes, now: int) -> int:
        """R-VC-5: a positive item the person did, in the month's window."""
        refuse_unless(day.year == self.year, "R-VC-5", "bad_date")
        refuse_unless(at(self.year, day.month, 1) <= now <= self.declare_deadline(day.month), "R-VC-5", "outside_window")
        self._item_checks(person, code, day, evidence, now, negative=False)
        iid = len(self.items) + 1
        self.items[iid] = Item(iid, person, code, day, evidence, False, person, "declared", False)
        return iid

    def verify(self, member: Pid, ids: Iterable[int], accept: bool) -> None:
        """R-VC-6: the team on duty in the declaration's month verifies; nobody their own. All or nothing."""
        batch = list(ids)
        refuse_unless(len(set(batch)) == len(batch), "R-VC-6", "twice_in_batch")
        for iid in batch:
            i = self.items[iid]
            self._on_duty(member, i.day.month)
            refuse_unless(i.person != member, "R-VC-6", "own_declaration")
            refuse_unless(self.quarters[i.quarter].state == "open", "R-VC-7", "quarter_published")
            refuse_unless(i.status == "declared", "R-VC-6", "not_pending")
        for iid in batch:
            i = self.items[iid]
            i.status, i.counted, i.verifier = ("accepted" if accept else "rejected"), accept, member

    def record(self, member: Pid, person: Pid, code: str, day: dt.date, evidence: bytes, now: int) -> int:
        """R-VC-5, R-VC-6: a negative item, by the team on duty in the item's month, never on oneself."""
        refuse_unless(day.year == self.year, "R-VC-5", "bad_date")
        self._on_duty(member, day.month)
        refuse_unless(member != person, "R-VC-6", "own_record")
        self._item_checks(person, code, day, evidence, now, negative=True)
        iid = len(self.items) + 1
        self.items[iid] = Item(iid, person, code, day, evidence, True, member, "recorded", True)
        return iid

    # ------------------------------------------------------------ standings (R-VC-4, R-VC-7)

    def _standings(self, q: int) -> dict[str, dict[Pid, tuple[int, int]]]:
        lid = self.quarters[q].list_id
        crit = {c.code: c for c in self.proposals[lid].criteria} if lid is not None else {}
        out: dict[str, dict[Pid, tuple[int, int]]] = {}
        for t in POINT_TYPES:
            people = [p for p in self.roles if t in self.scored_types(p)]
            duty = dict.fromkeys(people, 0)
            credit = dict.fromkeys(people, 0)
            for i in self.items.values():
                if i.quarter != q or not i.counted or i.person not in duty or t not in crit[i.code].types:
                    continue
                c = crit[i.code]
                signed = -c.value if i.negative else c.value
                if c.duty:
                    duty[i.person] += signed
                else:
                    credit[i.person] += signed
            totals: dict[Pid, int] = {}
            for p in people:
                if t in TYPES_WITH_DUTY:  # R-VC-4: base + the duty and credit parts in the framework's proportion
                    totals[p] = self.fw.base + trunc_div(self.fw.duty_share * duty[p] + (100 - self.fw.duty_share) * credit[p], 100)
                else:  # 村民自治积分: resident credit alone
                    totals[p] = self.fw.base + credit[p]
            # rank: 1 + how many in the same type stand strictly higher (ties share a rank) [decision]
            out[t] = {p: (v, 1 + sum(1 for w in totals.values() if w > v)) for p, v in totals.items()}
        return out

    def publish(self, q: int, now: int) -> None:
        """R-VC-7: the council publishes the quarter after its last month's declaration window has closed."""
        qs = self.quarters[q]
        refuse_unless(qs.state == "open", "R-VC-7", "already_published")
        refuse_unless(q == 1 or self.quarters[q - 1].state != "open", "R-VC-7", "previous_unpublished")
        refuse_unless(now > self.declare_deadline(3 * q), "R-VC-7", "declarations_open")
        for i in self.items.values():  # [decision] a declaration nobody verified lapses (an objection may revive it)
            if i.quarter == q and i.status == "declared":
                i.status = "lapsed"
        qs.list_id = self.list_in_force(self.quarter_start(q))
        qs.state, qs.published_at = "published", now
        qs.deadline = expected_deadline(now, self.manual.objection_workdays)
        qs.standings = self._standings(q)

    def object(self, objector: Pid, item: int, now: int) -> int:
        """R-VC-7: any villager objects to one entry of a published quarter within the window."""
        refuse_unless(objector in self.roles, "R-VC-7", "not_a_villager")
        i = self.items[item]
        qs = self.quarters[i.quarter]
        refuse_unless(qs.state == "published", "R-VC-7", "not_open_to_objection")
        refuse_unless(now <= qs.deadline, "R-VC-7", "window_closed")
        refuse_unless(all(o.item != item for o in self.objections.values()), "R-VC-7", "already_objected")
        oid = len(self.objections) + 1
        self.objections[oid] = Objection(oid, i.quarter, item, objector)
        return oid

    def rule(self, member: Pid, objection: int, uphold: bool) -> str:
        """R-VC-7: the council decides by a majority of its members; an upheld objection reverses the entry."""
        o = self.objections[objection]
        refuse_unless(self.council is not None and member in self.council, "R-VC-7", "not_council_member")
        assert self.council is not None
        refuse_unless(o.outcome == "pending", "R-VC-7", "already_ruled")
        refuse_unless(member not in o.yes and member not in o.no, "R-VC-7", "already_voted")
        (o.yes if uphold else o.no).add(member)
        n = len(self.council)
        if 2 * len(o.yes) > n:
            o.outcome = "upheld"
            i = self.items[o.item]
            i.counted = not i.counted
            self.quarters[o.quarter].standings = self._standings(o.quarter)
        elif 2 * len(o.no) >= n:  # the yes side can no longer pass half
            o.outcome = "rejected"
        return o.outcome

    def finalize(self, q: int, now: int) -> None:
        """R-VC-7: after the window, with every objection ruled, the quarter is final; it never changes."""
        qs = self.quarters[q]
        refuse_unless(qs.state == "published", "R-VC-7", "not_published" if qs.state == "open" else "already_final")
        refuse_unless(now > qs.deadline, "R-VC-7", "window_open")
        refuse_unless(all(o.outcome != "pending" for o in self.objections.values() if o.quarter == q), "R-VC-7", "objection_pending")
        qs.state = "final"
        for i in self.items.values():  # R-VC-10 [decision]: a final quarter's rewards become redeemable credit
            if i.quarter == q and i.counted and not i.negative:
                value = self._criterion(q, i.code).value
                self.balance[i.person] = self.balance.get(i.person, 0) + value

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

    def grade(self, now: int) -> None:
        """R-VC-8: from the four final quarters, by absolute thresholds; R-VC-9 follows at once."""
        refuse_unless(all(qs.state == "final" for qs in self.quarters.values()), "R-VC-8", "quarters_not_final")
        refuse_unless(not self.graded, "R-VC-8", "already_graded")
        self.graded = True
        for t in POINT_TYPES:
            people = [p for p in self.roles if t in self.scored_types(p)]
            self.annual[t] = {p: self.fw.base + sum(qs.standings[t].get(p, (self.fw.base, 0))[0] - self.fw.base for qs in self.quarters.values()) for p in people}
        deadline = day_start(add_months(cst_date(now), RECTIFY_MONTHS)) + 86400  # R-VC-9: 24:00 CST, 3 months on
        for t in POINT_TYPES:
            for p, total in self.annual[t].items():
                g: str | int = self.stars(total) if t == VILLAGER else self.member_grade(total)
                self.grades.setdefault(p, {})[t] = g
                key = f"star{g}" if t == VILLAGER else str(g)
                self.balance[p] = self.balance.get(p, 0) + self.manual.grade_credit.get(key, 0)
                if g == UNQUALIFIED and t == REPRESENTATIVE:
                    self.rectifications[p] = Rectification(deadline)
                elif g == UNQUALIFIED and t == PARTY:
                    self.referred.append(p)
                elif g == 1 and t == VILLAGER:  # [decision] "排名靠後": the villagers graded one star
                    self.help_due.add(p)

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
        self.roles[rep].discard("representative")
        self.by_elections.append(rep)

    def assign_helper(self, villager: Pid, helper: Pid) -> None:
        refuse_unless(villager in self.help_due, "R-VC-9", "no_help_due")
        refuse_unless(villager not in self.helpers, "R-VC-9", "helper_assigned")
        refuse_unless(helper != villager and RED in self.contracts.get(helper, set()), "R-VC-9", "helper_not_party_member")
        self.helpers[villager] = helper

    # ------------------------------------------------------------ the credit supermarket (R-VC-10)

    def restock(self, good: str, n: int) -> None:
        refuse_unless(good in self.stock, "R-VC-10", "unknown_good")
        refuse_unless(n > 0, "R-VC-10", "bad_quantity")
        self.stock[good] += n

    def redeem(self, person: Pid, good: str, qty: int, nonce: int, *, person_signed: bool = True, keeper_signed: bool = True) -> None:
        """Spends the redeemable balance, never the score; both sign; no negatives; nothing twice."""
        refuse_unless(person_signed and keeper_signed, "R-VC-10", "unsigned")
        refuse_unless((person, nonce) not in self.redeemed, "R-VC-10", "redeemed_twice")
        refuse_unless(good in self.stock, "R-VC-10", "unknown_good")
        refuse_unless(qty > 0, "R-VC-10", "bad_quantity")
        refuse_unless(qty <= self.stock[good], "R-VC-10", "out_of_stock")
        cost = qty * self.manual.catalogue[good].price
        refuse_unless(cost <= self.balance.get(person, 0), "R-VC-10", "balance_too_low")
        self.stock[good] -= qty
        self.balance[person] -= cost
        self.redeemed.add((person, nonce))

    # ------------------------------------------------------------ views (R-VC-11: all of this is public)

    def standing(self, q: int, point_type: str, person: Pid) -> tuple[int, int] | None:
        return self.quarters[q].standings.get(point_type, {}).get(person)

    def public_item(self, iid: int) -> tuple[Pid, str, dt.date, bytes, str, bool]:
        """What anyone sees of an entry: person, criterion, date, evidence fingerprint, status, counted."""
        i = self.items[iid]
        return i.person, i.code, i.day, i.evidence, i.status, i.counted
