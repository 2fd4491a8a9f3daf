"""Reference model of SPEC §3 (R-WD-1 ... R-WD-7) and R-TC-3, in plain Python, for tests only.

Written from SPEC and the [decision]s in docs/council.md, not from the contract code (issue 17 adds
the profile's window minimums, the lead's opinion deadline and the paper back-fill's quorum and lead).
Its numbers are data written here from the seeds (file and line cited) or from SPEC's [decision]s, never
read from ``zhili.profiles`` or the chain (issue 20): :data:`SEED_WEIGHTS`, :data:`THRESHOLD`,
:data:`WINDOW_LIMITS`. A test that deploys a shipped profile and compares the chain with this model
therefore fails when a profile number changes. Tests drive the
contract and this model with the same acts and require the same outcomes: which acts are refused (by
error name), the category after a dispute, the weighted tally, pass or fail, the first responsible
person, the positions per office, and the budget lines.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

Pid = Hashable
OFFICES = 5
YES, NO, ABSTAIN = 1, 2, 3
GENERAL, BUDGET, SPENDING = 0, 1, 2
MAX_WINDOW = 90 * 86400
STRATEGIC, LEGISLATIVE = 0, 2

# R-WD-1: the weight matrix as the seeds write it. Rows: strategic, discipline, legislative, consultative,
# livelihood; columns: secretary, discipline, congress, consultative, administrator. Seeds in ../shared/seeds/:
# 000 = 乡镇治理现代化方案 (township), 001 = 中国式治理现代化方案 (county).
SEED_WEIGHTS: dict[str, tuple[tuple[int, int, int, int, int], ...]] = {
    "township": (
        (100, 80, 60, 40, 20),  # 000:183 全局性、战略性议题: 乡镇党委书记100,党委副书记/纪委书记80,人大主席60,统战委员40,乡理20
        (80, 100, 60, 40, 20),  # 000:185 反腐倡廉与执纪问责: 书记80,纪委书记100,人大主席60,统战委员40,乡理20
        (80, 60, 100, 40, 20),  # 000:187 地方性法规与监督事务: 书记80,纪委书记60,人大主席100,统战委员40,乡理20
        (80, 60, 40, 100, 20),  # 000:189 政治协商与统一战线事务: 书记80,纪委书记60,人大主席40,统战委员100,乡理20
        (80, 60, 60, 40, 100),  # 000:193 民生服务与社会治理: 书记80,纪委书记60,人大主席60,统战委员40,乡理100 (sums to 340, SPEC R-WD-1)
    ),
    "county": (
        (100, 80, 60, 40, 20),  # 001:97 全局战略方向: 县委书记(100票),纪委书记(80票),人大常委会主任(60票),政协主席(40票),县理(20票)
        (80, 100, 60, 40, 20),  # 001:98 反腐倡廉执纪: 纪委书记(100票),县委书记(80票),人大常委会主任(60票),政协主席(40票),县理(20票)
        (80, 60, 100, 40, 20),  # 001:99 地方立法与监督: 人大常委会主任(100票),县委书记(80票),纪委书记(60票),政协主席(40票),县理(20票)
        (80, 60, 40, 100, 20),  # 001:100 政治协商与统一战线: 县政协主席(100票),县委书记(80票),县纪委书记(60票),县人大常委会主任(40票),县理(20票)
        (80, 60, 40, 20, 100),  # 001:101 经济发展与民生服务: 县理(100票),县委书记(80票),纪委书记(60票),人大常委会主任(40票),政协主席(20票)
    ),
}
# R-WD-2: 000:205 "160票阈值"; 001:119 "重大决策需获得总权重160票支持" (both profiles)
THRESHOLD = 160
# R-WD-3 [decision]: the alternative category wins with more than half of the strategic row's total
# (computed from the row in _settle_if_decided; 150 for both seeds' strategic rows, which sum to 300)
# R-WD-3 ... R-WD-5 [decision, docs/council.md]: the seeds give the meeting steps no lengths; the shortest
# classification, sealed-vote and reveal windows are 600 s each, the lead's silence 86,400 s (both profiles)
WINDOW_LIMITS = (600, 600, 600, 86400)


def seed_matrix(kind: str) -> list[list[int]]:
    """The seed's weight matrix of a ``township`` or ``county`` (R-WD-1), as lists."""
    return [list(r) for r in SEED_WEIGHTS[kind]]


class ModelError(Exception):
    """An act SPEC refuses; ``name`` is the contract's custom error for it."""

    def __init__(self, rule: str, name: str) -> None:
        self.rule, self.name = rule, name
        super().__init__(f"{rule}: {name}")


def lead(weights: list[int], members: list[Pid | None]) -> int | None:
    """R-WD-4 / R-WD-6 [decision]: the seated office with the top weight; precedence breaks a tie."""
    best = None
    for o in range(OFFICES):
        if members[o] is not None and (best is None or weights[o] > weights[best]):
            best = o
    return best


def tally(weights: list[int], positions: dict[int, int]) -> tuple[int, int, int]:
    """R-WD-2: weight voting yes, no, abstain (an unrevealed vote counts nowhere)."""
    return tuple(sum(weights[o] for o, p in positions.items() if p == want) for want in (YES, NO, ABSTAIN))  # type: ignore[return-value]


@dataclass
class Line:
    year: int
    approved: int = 0
    spent: int = 0


@dataclass
class Motion:
    kind: int
    category: int
    weights: list[int]
    line: str | None
    amount: int
    status: str = "proposed"  # proposed, disputed, classified, voting, passed, rejected
    dispute: dict[str, object] | None = None
    roster: list[Pid | None] = field(default_factory=list)
    committed: set[int] = field(default_factory=set)
    positions: dict[int, int] = field(default_factory=dict)
    first_responsible: Pid | None = None
    over_budget: bool = False
    yes: int = 0
    final_at: int = 0  # when the category became final: end of classification, or of the dispute's vote
    lead_declined: bool = False
    classify: int = 600  # the classification window (seconds)


class CouncilModel:
    def __init__(self, matrix: list[list[int]], holders: list[Pid | None], threshold: int = THRESHOLD, limits: tuple[int, int, int, int] = WINDOW_LIMITS) -> None:
        self.limits = limits  # the profile's shortest classify, vote, reveal windows and the opinion deadline (seconds)
        self.matrix = [list(r) for r in matrix]
        self.holders = list(holders)
        self.threshold = threshold
        self.lines: dict[str, Line] = {}
        self.motions: dict[int, Motion] = {}  # ids run from 1, as in the contract

    # ---- offices (R-TC-3)
    def seat(self, office: int, pid: Pid) -> None:
        self.holders[office] = pid

    def vacate(self, office: int) -> None:
        self.holders[office] = None

    # ---- proposing (R-WD-1, R-WD-7)
    def propose(self, kind: int, category: int, line: str | None = None, year: int = 0, amount: int = 0, now: int = 0, windows: tuple[int, int, int] = (600, 600, 600)) -> int:
        for which, w in enumerate(windows):  # issue 17: no window shorter than the profile allows
            if not self.limits[which] <= w <= MAX_WINDOW:
                raise ModelError("R-WD-5", "WindowOutOfBounds")
        if kind == BUDGET:
            if category != LEGISLATIVE:
                raise ModelError("R-WD-7", "BudgetNotLegislative")
            if line is None or year == 0 or amount == 0:
                raise ModelError("R-WD-7", "BadBudget")
            if line in self.lines and self.lines[line].year != year:
                raise ModelError("R-WD-7", "LineYearMismatch")
            self.lines.setdefault(line, Line(year))
        elif kind == SPENDING:
            if line is None or amount == 0:
                raise ModelError("R-WD-7", "BadBudget")
            if line not in self.lines:
                raise ModelError("R-WD-7", "UnknownBudgetLine")
            rest = self.lines[line].approved - self.lines[line].spent
            if amount > rest:
                raise ModelError("R-WD-7", "OverBudget")
        mid = len(self.motions) + 1
        self.motions[mid] = Motion(kind, category, list(self.matrix[category]), line if kind else None, amount if kind else 0)
        self.motions[mid].classify = windows[0]
        self.motions[mid].final_at = now + windows[0]
        return mid

    def _member(self, office: int) -> Pid:
        if self.holders[office] is None:
            raise ModelError("R-TC-3", "SeatVacant")
        return self.holders[office]

    # ---- classification dispute (R-WD-3)
    def dispute(self, mid: int, office: int, alternative: int, now: int = 0) -> None:
        m = self.motions[mid]
        self._member(office)  # who acts is checked first
        if m.status != "proposed":
            raise ModelError("R-WD-7", "WrongStatus")
        if alternative == m.category or m.kind == BUDGET:
            raise ModelError("R-WD-3", "BadAlternative")
        m.dispute = {"alternative": alternative, "yes": {office}, "no": set()}
        m.status = "disputed"
        m.final_at = now + m.classify  # the dispute vote lasts one classification window
        self._settle_if_decided(m, time_up=False)

    def vote_dispute(self, mid: int, office: int, support: bool) -> None:
        m = self.motions[mid]
        self._member(office)
        if m.status != "disputed":
            raise ModelError("R-WD-7", "WrongStatus")
        d = m.dispute
        assert d is not None
        if office in d["yes"] or office in d["no"]:  # type: ignore[operator]
            raise ModelError("R-WD-3", "AlreadyVotedOnDispute")
        d["yes" if support else "no"].add(office)  # type: ignore[attr-defined]
        self._settle_if_decided(m, time_up=False)

    def settle_dispute(self, mid: int) -> None:
        m = self.motions[mid]
        if m.status != "disputed":
            raise ModelError("R-WD-7", "WrongStatus")
        self._settle_if_decided(m, time_up=True)

    def _settle_if_decided(self, m: Motion, time_up: bool) -> None:
        d = m.dispute
        assert d is not None
        row = self.matrix[STRATEGIC]
        total = sum(row)
        yes = sum(row[o] for o in d["yes"])  # type: ignore[attr-defined]
        no = sum(row[o] for o in d["no"])  # type: ignore[attr-defined]
        won = 2 * yes > total  # more than half of the strategic row's total
        lost = 2 * (total - no) <= total
        if not (won or lost or time_up):
            return
        if won:
            m.category = int(d["alternative"])  # type: ignore[call-overload]
            m.weights = list(self.matrix[m.category])
        m.status = "classified"

    # ---- lead opinion (R-WD-4) and voting (R-WD-5, R-TC-3)
    def open_vote(self, mid: int) -> int:
        """Voting opens; returns the lead office, who states the opinion."""
        m = self.motions[mid]
        if m.status not in ("proposed", "classified"):
            raise ModelError("R-WD-7", "WrongStatus")
        roster = list(self.holders)
        office = lead(m.weights, roster)
        if office is None:
            raise ModelError("R-TC-3", "NoMembers")
        m.roster = roster
        m.status = "voting"
        return office

    def open_without_opinion(self, mid: int, now: int) -> int:
        """Issue 17: the lead stayed silent until the deadline; anyone opens the vote, "declined" recorded."""
        m = self.motions[mid]
        if m.status not in ("proposed", "classified"):
            raise ModelError("R-WD-7", "WrongStatus")
        if now < m.final_at + self.limits[3]:
            raise ModelError("R-WD-4", "OpinionPending")
        office = self.open_vote(mid)
        m.lead_declined = True
        return office

    def check_backfill(self, weights: list[int], holders: list[Pid | None], votes: dict[int, int]) -> None:
        """Issue 17, R-WD-8: paper minutes need more than half of the seated members present, and a
        passing one the lead's own presence (and so signature)."""
        seated = sum(1 for h in holders if h is not None)
        if 2 * len(votes) <= seated:
            raise ModelError("R-WD-8", "NoQuorum")
        yes, _, _ = tally(weights, votes)
        if yes >= self.threshold and lead(weights, holders) not in votes:
            raise ModelError("R-WD-8", "LeadAbsent")

    def commit(self, mid: int, office: int) -> None:
        m = self.motions[mid]
        if m.status != "voting":
            raise ModelError("R-WD-7", "WrongStatus")
        holder = self._member(office)
        if m.roster[office] != holder:
            raise ModelError("R-TC-3", "NotOnRoster")
        if office in m.committed:
            raise ModelError("R-WD-5", "AlreadyVoted")
        m.committed.add(office)

    def reveal(self, mid: int, office: int, position: int) -> None:
        m = self.motions[mid]
        holder = self._member(office)
        if m.roster[office] != holder:
            raise ModelError("R-TC-3", "NotOnRoster")
        if office not in m.committed:
            raise ModelError("R-WD-5", "NotCommitted")
        if office in m.positions:
            raise ModelError("R-WD-5", "AlreadyRevealed")
        m.positions[office] = position

    def close(self, mid: int) -> Motion:
        m = self.motions[mid]
        if m.status != "voting":
            raise ModelError("R-WD-7", "WrongStatus")
        yes, _, _ = tally(m.weights, m.positions)
        m.yes = yes
        passed = yes >= self.threshold
        if passed and m.kind == SPENDING:
            ln = self.lines[m.line]  # type: ignore[index]
            if ln.approved - ln.spent < m.amount:
                passed, m.over_budget = False, True
        m.status = "passed" if passed else "rejected"
        if passed:
            m.first_responsible = m.roster[lead(m.weights, m.roster)]  # type: ignore[index]
            if m.kind == BUDGET:
                self.lines[m.line].approved += m.amount  # type: ignore[index]
            elif m.kind == SPENDING:
                self.lines[m.line].spent += m.amount  # type: ignore[index]
        return m
