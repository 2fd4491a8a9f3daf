"""Reference model of SPEC §5 and §6 (R-SU-1 ... R-SU-5, R-MR-1 ... R-MR-12), in plain Python, for tests only.

It decides nothing at run time: the stateful test drives the contracts and this model with the same
acts (reports, decisions, appeals, finality, offsets, cycles, enforcement) and requires the same
ledgers, lists, offices, terms and succession order after every step. Written from SPEC and the
[decision]s of docs/merit.md. Amounts are tenths. Persons are any hashable ids; offices and
enumerations are the snake_case keys used by the client (``zhili.merit.client``, ``zhili.types``).

The numbers are the model's own, transcribed from SPEC §6 (``/work/shared/SPEC.md``, rule and line
cited), not read from the client's ``table_from_profile`` or a profile: :data:`SPEC_TOWNSHIP_AWARDS`
and the defaults of :class:`Table`. ``tests/merit/test_merit_model.py`` checks once that the
township profile, as the client turns it into the ledger's table, says the same.

Its deadlines are its own too (R-MR-10, R-MR-11): the appeal window, the answer window and the review
deadline are counted by the calendar model (``tests/model/calendar.py``: the State Council's notices
written as data, a plain loop over the days) from the act's time and the day counts of :class:`Table`,
transcribed from the seeds (line cited). The test gives the model the time an act was mined and
compares the deadline the chain stored with the model's; it never hands the chain's deadline to the model.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from .calendar import deadline as working_deadline

Id = Hashable
CITIZEN_AWARDS = ("citizen_section_level", "citizen_division_level", "citizen_bureau_level")
#: The award table of a township (tenths), from SPEC §6: R-MR-2 (SPEC.md line 190, the township's
#: cadre awards) and R-MR-4 (line 195, the citizen table "also offered in the township profile");
#: R-MR-3's county awards (line 193, 科级 1.0, 副处级 3.0) are not offered in a township (0).
SPEC_TOWNSHIP_AWARDS: dict[str, int] = {
    "direct_superior_removed": 60,  # R-MR-2: "report of one's direct superior, who is removed: 6.0"
    "key_clue_same_level_secretary": 60,  # R-MR-2: "key clue decisive in removing the same-level secretary or higher: 6.0"
    "peer_investigated": 30,  # R-MR-2: "report of a same-level peer, investigated: 3.0"
    "other_department_removed": 10,  # R-MR-2: "a non-direct-subordinate in another department, removed: 1.0"
    "section_level_case": 0,  # R-MR-3 (county only)
    "deputy_division_case": 0,  # R-MR-3 (county only)
    "citizen_section_level": 40,  # R-MR-4: 科级 4
    "citizen_division_level": 90,  # R-MR-4: 处级 9
    "citizen_bureau_level": 160,  # R-MR-4: 厅级 16
}
REMOVAL_AWARDS = ("direct_superior_removed", "key_clue_same_level_secretary", "other_department_removed")
SUBSTANTIATED = ("investigated", "removed", "corruption", "procedural", "dereliction")


class ModelError(Exception):
    """A refusal; ``name`` is the contract's custom error name the test expects."""

    def __init__(self, name: str, rule: str) -> None:
        self.name, self.rule = name, rule
        super().__init__(f"{rule}: {name}")


@dataclass
class Table:
    """The numbers the model applies (tenths); the defaults are SPEC's for a township (line cited)."""

    awards: dict[str, int] = field(default_factory=lambda: dict(SPEC_TOWNSHIP_AWARDS))  # key -> tenths (0: not offered)
    liability_direct: int = 10  # R-MR-5 (line 198): "costs the direct supervisor 1.0 demerit"
    liability_next: int = 1  # R-MR-5: "and the next level up 0.1"
    clue_refund: int = 1  # R-MR-5: "gets 0.1 merit back"
    silence: int = 5  # R-MR-6 (line 201): "0.5 demerit"
    procedural_max: int = 10  # R-MR-12 [decision] (docs/merit.md): the largest minor procedural sanction, 1.0
    false_factor: int = 2  # R-MR-8 (line 204): "twice the points it claimed"
    offset_approvals: int = 1  # R-MR-12 (line 214): the upper committee (county: two levels up)
    warning: int = 40  # R-MR-7 (line 202): "≥ 4.0 → warning list"
    resign: int = 60  # R-MR-7: "≥ 6.0 → must resign"
    margin: int = 60  # R-SU-3 (line 176): overtaking by 6.0
    term_limit: int = 2  # R-TL-1 (line 221): two terms
    min_cycle: int = 0  # R-SU-5: shortest assessment cycle, seconds
    # R-MR-11, seed 000 (/work/shared/seeds/000_3d128fc15a5853f9.txt) line 283, 功勋积分申诉原则:
    # "可在结果公布后7个工作日内…提起书面申诉,…需在15个工作日内复核并作出答复" (seed 001 line 170:
    # the same 7 and 15 for a county); the escalated appeal's body has 15 again (docs/merit.md [decision])
    appeal_days: int = 7
    answer_days: int = 15
    review_days: int = 5  # R-MR-10 [decision] (docs/merit.md, "review deadline"): no seed number; the profile's 5


@dataclass
class Decision:
    finding: str
    award: str = "none"
    reporter: Id | None = None  # revealed reporter
    sanction: int = 0
    direct: Id | None = None
    next: Id | None = None
    direct_clue: bool = False
    next_clue: bool = False
    silent: tuple[Id, ...] = ()


@dataclass
class Case:
    accused: Id
    cls: str
    claimed: str
    reporter: Id  # the true reporter behind the commitment
    stage: str = "filed"
    decision: Decision | None = None
    appeal_deadline: int = 0
    answer_deadline: int = 0


@dataclass
class Entry:
    id: int
    person: Id
    ledger: str
    kind: str
    points: int
    case: int


@dataclass
class MeritModel:
    table: Table
    registered: set[Id]
    offices: dict[str, Id | None]  # office key -> holder
    terms: dict[Id, int] = field(default_factory=dict)  # terms as secretary
    blacklisted: set[Id] = field(default_factory=set)
    order: list[Id] = field(default_factory=list)
    merit: dict[Id, int] = field(default_factory=dict)
    demerit: dict[Id, int] = field(default_factory=dict)
    earned: dict[Id, int] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    offset_done: set[int] = field(default_factory=set)
    cases: dict[int, Case] = field(default_factory=dict)
    warned: list[Id] = field(default_factory=list)  # WarningListed, in order
    resigned: list[Id] = field(default_factory=list)  # MustResign, in order
    cycle_open: bool = False
    cycle_opened_at: int = 0
    cycle_holder: Id | None = None
    cycle_earned: int = 0
    streak: int = 0
    streak_holder: Id | None = None

    # ------------------------------------------------------------------ R-SU-1

    def offices_seated(self, head: list[str]) -> None:
        """The order an election's completion sets: holders of the profile's head offices, then the
        other offices in precedence order, the administrator last (vacant and blacklisted skipped)."""
        self.order = order_from_offices(self.offices, head, self.blacklisted)

    def join(self, p: Id) -> None:
        office = self.office_of(p)
        if office is None or office == "secretary" or p in self.order or p in self.blacklisted:
            raise ModelError("InvalidMember", "R-SU-1")
        admin = self.offices.get("administrator")
        if self.order and admin is not None and self.order[-1] == admin:
            self.order.insert(len(self.order) - 1, p)
        else:
            self.order.append(p)

    # ------------------------------------------------------------------ reports and decisions

    def file(self, accused: Id, cls: str, claimed: str, reporter: Id) -> int:
        if accused not in self.registered:
            raise ModelError("UnregisteredPerson", "R-MR-1")
        if claimed != "none":
            self._check_award(claimed, cls)
        cid = len(self.cases) + 1
        self.cases[cid] = Case(accused, cls, claimed, reporter)
        return cid

    def chain_class(self, p: Id, declared: str) -> str:
        """R-MR-4 [decision]: an office here or a place in the order makes a committee member; otherwise the
        declaration, a declared member being a cadre."""
        if self.office_of(p) is not None or p in self.order:
            return "committee_member"
        return "cadre" if declared == "committee_member" else declared

    def least_award(self, cls: str) -> int:
        """R-MR-8 [decision]: the smallest award a class may claim in this profile (what a claim of nothing costs)."""
        offered = [v for k, v in self.table.awards.items() if v and (k in CITIZEN_AWARDS) == (cls == "citizen")]
        return min(offered, default=0)

    def _check_award(self, award: str, cls: str) -> None:
        if (award in CITIZEN_AWARDS) != (cls == "citizen"):
            raise ModelError("AwardNotForClass", "R-MR-4")
        if not self.table.awards.get(award):
            raise ModelError("AwardNotInProfile", "R-MR-2")

    def decide(self, cid: int, d: Decision) -> None:
        """Steps 1-4 of R-MR-10 with the committee adopting ``d``: the case is published."""
        c = self.cases[cid]
        if c.stage != "filed":
            raise ModelError("WrongStage", "R-MR-10")
        f = d.finding
        if d.reporter is not None and d.reporter != c.reporter:
            raise ModelError("CommitmentMismatch", "R-MR-4")
        if d.award != "none":
            if f in ("unfounded", "malicious"):
                raise ModelError("NotAllowedWithFinding", "R-MR-5")
            if d.reporter is None:
                raise ModelError("ReporterNotRevealed", "R-MR-8")
            self._check_award(d.award, self.chain_class(d.reporter, c.cls))
            if d.award in REMOVAL_AWARDS:
                if f not in ("removed", "corruption"):
                    raise ModelError("AwardNeedsRemoval", "R-MR-2")
                if self.office_of(c.accused) is None:
                    raise ModelError("AccusedHoldsNoOffice", "R-MR-2")
            if self.table.awards.get(d.award, 0) > self.table.awards.get(c.claimed, 0):
                raise ModelError("AwardAboveClaim", "R-MR-4")
        if f == "malicious" and d.reporter is None:
            raise ModelError("ReporterNotRevealed", "R-MR-8")
        if f == "procedural":
            if not 1 <= d.sanction <= self.table.procedural_max:
                raise ModelError("InvalidSanction", "R-MR-12")
        elif d.sanction:
            raise ModelError("InvalidSanction", "R-MR-12")
        if (d.direct is not None or d.next is not None or d.silent or d.direct_clue or d.next_clue) and f != "corruption":
            raise ModelError("NotAllowedWithFinding", "R-MR-5")
        if (d.direct_clue and d.direct is None) or (d.next_clue and d.next is None):
            raise ModelError("InvalidParty", "R-MR-6")
        parties = [p for p in (d.direct, d.next) if p is not None]
        if c.accused in parties or (d.direct is not None and d.direct == d.next):
            raise ModelError("InvalidParty", "R-MR-6")
        for i, s in enumerate(d.silent):
            if s == c.accused or s in (d.direct, d.next) or s in d.silent[:i]:
                raise ModelError("InvalidParty", "R-MR-6")
        if f == "dereliction" and self.offices.get("discipline") != c.accused:
            raise ModelError("NotDisciplineSecretary", "R-SU-5")
        c.decision = d
        c.stage = "published"

    def publish(self, cid: int, at: int) -> int:
        """Step 4 mined at ``at``: the appeal window runs 7 working days from its day (R-MR-11). Returns the
        model's deadline (24:00 CST of the 7th working day after ``at``'s day)."""
        c = self.cases[cid]
        c.appeal_deadline = working_deadline(at, self.table.appeal_days)
        return c.appeal_deadline

    def review_deadline(self, assigned_at: int) -> int:
        """R-MR-10 [decision]: reviewers assigned at ``assigned_at`` may be replaced after this."""
        return working_deadline(assigned_at, self.table.review_days)

    # ------------------------------------------------------------------ R-MR-11

    def appeal(self, cid: int, appellant: Id, now: int, *, reveal_self: bool = False) -> None:
        c = self.cases[cid]
        if c.stage != "published":
            raise ModelError("WrongStage", "R-MR-10")
        if now > c.appeal_deadline:
            raise ModelError("AppealWindowClosed", "R-MR-11")
        d = c.decision
        assert d is not None
        parties = {c.accused, d.reporter, d.direct, d.next, *d.silent} - {None}
        if appellant not in parties and not (reveal_self and appellant == c.reporter):
            raise ModelError("NotAppealParty", "R-MR-11")
        c.stage = "appealed"

    def answer_window(self, cid: int, at: int) -> int:
        """The appeal (or its escalation, R-MR-11 [decision]) mined at ``at``: the body in charge answers
        within 15 working days from its day. Returns the model's deadline."""
        c = self.cases[cid]
        if c.stage not in ("appealed", "escalated"):
            raise ValueError(f"case {cid} is {c.stage}: no answer window")
        c.answer_deadline = working_deadline(at, self.table.answer_days)
        return c.answer_deadline

    def decide_appeal(self, cid: int, upheld: bool, now: int, body: str = "upper") -> None:
        """``body``: "upper" (UPPER_COMMITTEE) or "higher" (HIGHER_COMMITTEE, for an escalated appeal)."""
        c = self.cases[cid]
        if body != ("higher" if c.stage == "escalated" else "upper"):
            raise ModelError("JurisdictionRoleRequired", "none")
        if c.stage not in ("appealed", "escalated"):
            raise ModelError("WrongStage", "R-MR-10")
        if now > c.answer_deadline:
            raise ModelError("AnswerDeadlinePassed", "R-MR-11")
        if upheld:
            self._finalize(cid)
        else:
            c.stage = "annulled"

    def escalate(self, cid: int, now: int) -> None:
        """R-MR-11 [decision]: an unanswered appeal goes to the committee two levels up (its window: :meth:`answer_window`)."""
        c = self.cases[cid]
        if c.stage != "appealed":
            raise ModelError("WrongStage", "R-MR-10")
        if now <= c.answer_deadline:
            raise ModelError("AnswerDeadlineNotPassed", "R-MR-11")
        c.stage = "escalated"

    def finalize(self, cid: int, now: int) -> None:
        c = self.cases[cid]
        if c.stage == "escalated":  # neither body answered: the decision stands
            if now <= c.answer_deadline:
                raise ModelError("AnswerDeadlineNotPassed", "R-MR-11")
            self._finalize(cid)
            return
        if c.stage != "published":
            raise ModelError("WrongStage", "R-MR-10")
        if now <= c.appeal_deadline:
            raise ModelError("AppealWindowOpen", "R-MR-11")
        self._finalize(cid)

    # ------------------------------------------------------------------ finality

    def _append(self, p: Id, ledger: str, kind: str, points: int, cid: int) -> None:
        self.entries.append(Entry(len(self.entries) + 1, p, ledger, kind, points, cid))
        if ledger == "merit":
            self.merit[p] = self.merit.get(p, 0) + points
            if points > 0:
                self.earned[p] = self.earned.get(p, 0) + points
        else:
            self.demerit[p] = self.demerit.get(p, 0) + points

    def _finalize(self, cid: int) -> None:
        c = self.cases[cid]
        d = c.decision
        assert d is not None
        c.stage = "final"
        t = self.table
        f = d.finding
        changed = False
        if f == "malicious":  # R-MR-8
            base = t.awards.get(c.claimed, 0) if c.claimed != "none" else self.least_award(self.chain_class(d.reporter, c.cls))
            penalty = base * t.false_factor
            if penalty:
                self._append(d.reporter, "merit", "false_accusation", -penalty, cid)
                changed = True
            if changed:
                self.overtake_pass()
            return
        if f == "unfounded":
            return
        # one removal, one award [decision]: a removal award needs the accused still in office at finality
        if d.award != "none" and not (d.award in REMOVAL_AWARDS and self.office_of(c.accused) is None):
            self._append(d.reporter, "merit", "award", t.awards[d.award], cid)
            changed = True
        if f == "corruption":
            self._append(c.accused, "demerit", "corruption", 0, cid)
            self.blacklisted.add(c.accused)  # R-MR-9
            for p, pts, clue in ((d.direct, t.liability_direct, d.direct_clue), (d.next, t.liability_next, d.next_clue)):
                if p is not None:  # R-MR-5
                    self._append(p, "demerit", "leadership_liability", pts, cid)
                    if clue:
                        self._append(p, "merit", "clue_refund", t.clue_refund, cid)
                        changed = True
            for s in d.silent:  # R-MR-6
                self._append(s, "demerit", "silence", t.silence, cid)
        elif f == "procedural":
            self._append(c.accused, "demerit", "procedural", d.sanction, cid)
        if f in ("removed", "corruption"):
            # R-SU-4 before R-SU-2
            if d.reporter is not None and (self.offices.get("secretary") == c.accused or d.award == "key_clue_same_level_secretary"):
                if d.reporter in self.order:
                    self.order.remove(d.reporter)
                    self.order.insert(0, d.reporter)
            self.remove(c.accused)
        elif f == "dereliction":
            self.demote(c.accused)  # R-SU-5
        if f == "corruption":
            self._threshold(d.direct, t.liability_direct)
            self._threshold(d.next, t.liability_next)
            for s in d.silent:
                self._threshold(s, t.silence)
        elif f == "procedural":
            self._threshold(c.accused, d.sanction)
        if changed:
            self.overtake_pass()

    def _threshold(self, p: Id | None, added: int) -> None:  # R-MR-7
        if p is None or not added:
            return
        now = self.demerit.get(p, 0)
        before = now - added
        if now >= self.table.warning > before:
            self.warned.append(p)
        if now >= self.table.resign:
            if before < self.table.resign:
                self.resigned.append(p)
            self.remove(p)

    # ------------------------------------------------------------------ succession

    def office_of(self, p: Id) -> str | None:
        for k, h in self.offices.items():
            if h == p:
                return k
        return None

    def remove(self, p: Id) -> None:
        """Out of the order and out of office here; R-SU-2 if they were the secretary."""
        if p in self.order:
            self.order.remove(p)
        office = self.office_of(p)
        if office is not None:
            self.offices[office] = None
        if office == "secretary":
            self.succeed()

    def succeed(self) -> None:  # R-SU-2
        for p in list(self.order):
            if self.office_of(p) is None:  # a successor must hold an office here
                continue
            if self.terms.get(p, 0) >= self.table.term_limit or p in self.blacklisted or self.demerit.get(p, 0) >= self.table.resign:
                continue
            self.order.remove(p)
            old = self.office_of(p)
            if old is not None:
                self.offices[old] = None  # R-TC-3
            self.offices["secretary"] = p
            self.terms[p] = self.terms.get(p, 0) + 1  # [decision] succession counts as a term
            return

    def demote(self, p: Id) -> bool:  # R-SU-5
        if p not in self.order:
            return False
        i = self.order.index(p)
        if i + 1 >= len(self.order):
            return False
        self.order[i], self.order[i + 1] = self.order[i + 1], p
        return True

    def overtake_pass(self) -> None:  # R-SU-3
        o = self.order
        for i in range(1, len(o)):
            if self.merit.get(o[i], 0) - self.merit.get(o[i - 1], 0) >= self.table.margin:
                o[i], o[i - 1] = o[i - 1], o[i]

    def enforce(self, p: Id) -> None:
        if p in self.blacklisted or self.demerit.get(p, 0) >= self.table.resign:
            self.remove(p)
        else:
            raise ModelError("NothingToEnforce", "R-MR-7")

    # ------------------------------------------------------------------ cycles (R-SU-5)

    def open_cycle(self, now: int = 0) -> None:
        if self.cycle_open:
            raise ModelError("CycleState", "R-SU-5")
        self.cycle_open = True
        self.cycle_opened_at = now
        self.cycle_holder = self.offices.get("discipline")
        self.cycle_earned = self.earned.get(self.cycle_holder, 0) if self.cycle_holder is not None else 0

    def close_cycle(self, now: int = 0) -> bool:
        if not self.cycle_open:
            raise ModelError("CycleState", "R-SU-5")
        if now < self.cycle_opened_at + self.table.min_cycle:
            raise ModelError("CycleTooShort", "R-SU-5")
        self.cycle_open = False
        holder = self.offices.get("discipline")
        streak = 0
        if holder is not None and holder == self.cycle_holder and self.earned.get(holder, 0) == self.cycle_earned:
            streak = (self.streak if self.streak_holder == holder else 0) + 1
        demoted = False
        if streak >= 2:
            demoted = self.demote(holder)
            streak = 0
        self.streak, self.streak_holder = streak, holder
        return demoted

    # ------------------------------------------------------------------ offsets (R-MR-12)

    def offset(self, entry_id: int, person: Id) -> None:
        e = self.entries[entry_id - 1]
        if e.person != person or e.ledger != "demerit":
            raise ModelError("EntryMismatch", "R-MR-12")
        if e.kind != "procedural":
            raise ModelError("NotOffsettable", "R-MR-12")
        if entry_id in self.offset_done:
            raise ModelError("AlreadyOffset", "R-MR-12")
        if self.merit.get(person, 0) < e.points:
            raise ModelError("InsufficientMerit", "R-MR-12")
        self.offset_done.add(entry_id)
        self._append(person, "merit", "offset", -e.points, e.case)
        self._append(person, "demerit", "offset", -e.points, e.case)
        self.overtake_pass()

    # ------------------------------------------------------------------ views

    def status(self, p: Id) -> tuple[bool, bool]:
        d = self.demerit.get(p, 0)
        return d >= self.table.warning, d >= self.table.resign


OFFICES = ("secretary", "discipline", "congress", "consultative", "administrator", "discipline_deputy")  # precedence order


# R-SU-1: successors to the secretary, 1st discipline, 2nd congress, 3rd discipline_deputy (SPEC; 000:237
# "乡镇纪委书记(选举第二名)是党委书记(兼乡镇长)的法定第一顺位继承人。乡镇人大主席是…"; 001:152 "县纪委书记是县委书记的
# 法定第一顺位继承人。县人大常委会主任为第二顺位继承人。县纪委第一副书记为第三…"), the same in both profiles
SUCCESSION_HEAD = ("discipline", "congress", "discipline_deputy")


def order_from_offices(offices: dict[str, Id | None], head: Sequence[str] = SUCCESSION_HEAD, blacklisted: set[Id] | frozenset[Id] = frozenset()) -> list[Id]:
    """R-SU-1 from SPEC: the holders of the ``head`` offices (:data:`SUCCESSION_HEAD` unless a test gives its own) in
    that order, then the other offices in precedence order, the administrator last; the secretary is
    never in it; vacant offices and blacklisted holders are skipped."""
    keys = [k for k in head] + [k for k in OFFICES if k not in head and k not in ("secretary", "administrator")] + ["administrator"]
    return [h for k in keys if (h := offices.get(k)) is not None and h not in blacklisted]
