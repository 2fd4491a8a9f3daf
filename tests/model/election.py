"""Reference model of SPEC §1 (R-EL-1 ... R-EL-11) and R-TL-1, in plain Python, for tests only.

It decides nothing at run time: tests drive the contracts and this model with the same inputs and
require the same polls (purpose, candidates, places), finalists, elected team and offices.
Written from SPEC and the [decision]s in docs/election.md, not from the contract code. Its numbers
(:data:`TOWNSHIP`, :data:`COUNTY`) are written here from the seeds (file and line cited) and SPEC's
[decision]s, never read from ``zhili.profiles`` or the chain (issue 20).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

Id = Hashable
Ballots = Sequence[frozenset[Id] | set[Id] | Sequence[Id]]
# (purpose, candidates, seats, electorate size) -> the ballots cast in that poll
Oracle = Callable[[str, frozenset[Id], int], list[set[Id]]]
OFFICES = ("secretary", "discipline", "congress", "consultative", "administrator")


class ModelError(Exception):
    def __init__(self, rule: str, what: str) -> None:
        self.rule, self.what = rule, what
        super().__init__(f"{rule}: {what}")


@dataclass(frozen=True)
class Rules:
    """SPEC §1's numbers; the defaults are the township's (seed 000), :data:`COUNTY` the county's (seed 001).
    Seeds in ../shared/seeds/: 000 = 乡镇治理现代化方案, 001 = 中国式治理现代化方案."""

    max_names: int = 10  # R-EL-2: 000:37 "采用“10票制”…每位党代表享有10张选票"; 001:40 "每位党代表享有10张选票"
    advance: int = 7  # R-EL-2: 000:39 "按得票总数取前7名"; 001:40 "确保选出的7名预备人选"
    min_candidates: int = 8  # R-EL-2: a contested (差额, 000:37) choice of 7 needs at least 8 (SPEC R-EL-2)
    elected: int = 5  # R-EL-4: 000:53 "产生的5人班子"; 001:44 the same
    top_rank: int = 3  # R-EL-8: 000:61 "未能进入前三名"; 001:49 "进入前三名"
    term_limit: int = 2  # R-TL-1: 000:331 "总任期累计不得超过两届"; 001:194 the same
    per_office: bool = True  # R-TL-1 [decision]: 000:331 "等同一关键领导职务" caps each core office; 001:194 the secretary only


TOWNSHIP = Rules()
COUNTY = Rules(per_office=False)
RULES = {"township": TOWNSHIP, "county": COUNTY}


@dataclass
class Outcome:
    polls: list[tuple[str, frozenset[Id], int]] = field(default_factory=list)
    stage1: dict[Id, int] = field(default_factory=dict)
    finalists: set[Id] = field(default_factory=set)
    stage2: dict[Id, int] = field(default_factory=dict)
    elected: set[Id] = field(default_factory=set)
    offices: dict[str, Id] = field(default_factory=dict)
    secretary_path: int | None = None
    void: bool = False


def count(ballots: Ballots, candidates: Sequence[Id], max_names: int) -> dict[Id, int]:
    votes = Counter({c: 0 for c in candidates})
    for b in ballots:
        names = list(b)
        if len(set(names)) != len(names) or not set(names) <= set(candidates):
            raise ModelError("R-EL-2", f"invalid ballot {names}")
        if len(names) > max_names:
            raise ModelError("R-EL-2", f"ballot too long: {len(names)} > {max_names}")
        votes.update(names)
    return dict(votes)


class ElectionModel:
    def __init__(
        self,
        rules: Rules,
        candidates: Sequence[Id],
        *,
        failed: set[Id] = frozenset(),  # type: ignore[assignment]
        blacklisted: set[Id] = frozenset(),  # type: ignore[assignment]
        secretary_terms: dict[Id, int] | None = None,
        office_terms: dict[Id, dict[str, int]] | None = None,
        incumbent: Id | None = None,
        party_roll: int,
        congress_roll: int,
        oracle: Oracle,
    ) -> None:
        self.r = rules
        self.candidates = list(candidates)
        self.failed = set(failed)
        self.blacklisted = set(blacklisted)
        self.terms = dict(secretary_terms or {})
        self.office_terms = dict(office_terms or {})
        self.incumbent = incumbent
        self.rolls = {"party": party_roll, "congress": congress_roll}
        self.oracle = oracle
        self.out = Outcome()
        self.struck: set[Id] = set()

    # -------------------------------------------------------------- polls

    def _poll(self, purpose: str, cands: Sequence[Id], seats: int, max_names: int) -> dict[Id, int]:
        electorate = "party" if purpose in ("stage1", "stage1_runoff") else "congress"
        while True:  # R-EL-5: a poll without quorum is void and re-run
            self.out.polls.append((purpose, frozenset(cands), seats))
            ballots = self.oracle(purpose, frozenset(cands), seats)
            if len(ballots) > self.rolls[electorate]:
                raise ModelError("R-EL-5", "more ballots than credentials")
            votes = count(ballots, cands, max_names)
            if 2 * len(ballots) > self.rolls[electorate]:
                return votes

    def _top(self, purpose: str, pool: Sequence[Id], votes: dict[Id, int], k: int) -> list[Id]:
        """The k best of pool; a tie across place k goes to runoffs among exactly the tied (R-EL-6)."""
        chosen: list[Id] = []
        pool = list(pool)
        while k > 0 and pool:
            if k >= len(pool):
                return chosen + pool
            ordered = sorted(pool, key=lambda c: -votes[c])
            line = votes[ordered[k - 1]]
            above = [c for c in pool if votes[c] > line]
            tied = [c for c in pool if votes[c] == line]
            if len(above) + len(tied) == k:
                return chosen + above + tied
            chosen += above
            k -= len(above)
            pool = tied
            votes = self._poll(purpose, tied, k, k)
        return chosen

    # -------------------------------------------------------------- stages

    def eligible_for_secretary(self, c: Id) -> bool:
        return self.terms.get(c, 0) < self.r.term_limit and c not in self.blacklisted  # R-TL-1, R-MR-9

    def may_hold(self, c: Id, office: str) -> bool:
        """R-TL-1: under the limit for the secretary post; in the township for each core office."""
        if office == "secretary":
            return self.eligible_for_secretary(c)
        return not self.r.per_office or self.office_terms.get(c, {}).get(office, 0) < self.r.term_limit

    def _free(self, team: list[Id], office: str) -> list[Id]:
        return [c for c in team if c not in self.out.offices.values() and self.may_hold(c, office)]

    def stage1(self) -> None:
        eligible = [c for c in self.candidates if c not in self.failed and c not in self.blacklisted]  # R-EL-1
        if len(eligible) < self.r.min_candidates:
            raise ModelError("R-EL-2", f"not contested: {len(eligible)} < {self.r.min_candidates}")
        self.eligible = eligible
        self.out.stage1 = self._poll("stage1", eligible, self.r.advance, self.r.max_names)
        self._fill()

    def _fill(self) -> None:
        need = self.r.advance - len(self.out.finalists)
        pool = [c for c in self.eligible if c not in self.out.finalists and c not in self.struck]
        if need > 0 and pool:
            self.out.finalists |= set(self._top("stage1_runoff", pool, self.out.stage1, need))

    def strike(self, c: Id) -> None:
        """R-EL-3 [decision]: the next-ranked fills the place; stage 2 must stay contested."""
        if c not in self.out.finalists:
            raise ModelError("R-EL-3", f"{c} is not a finalist")
        pool = [x for x in self.eligible if x not in self.out.finalists and x not in self.struck]
        if len(self.out.finalists) - 1 + len(pool) <= self.r.elected:
            raise ModelError("R-EL-3", "strike leaves too few")
        self.out.finalists.discard(c)
        self.struck.add(c)
        self._fill()

    def stage2(self, pick: Callable[[Id, list[Id]], Id]) -> None:
        fin = sorted(self.out.finalists, key=self.candidates.index)
        self.out.stage2 = v = self._poll("stage2", fin, self.r.elected, len(fin))
        self.out.elected = set(self._top("stage2_runoff", fin, v, self.r.elected))
        self._offices(pick)

    # -------------------------------------------------------------- offices

    def _best(self, purpose: str, pool: list[Id]) -> Id:
        return self._top(purpose, pool, self.out.stage2, 1)[0]

    def _offices(self, pick: Callable[[Id, list[Id]], Id]) -> None:
        v, team, off = self.out.stage2, list(self.out.elected), self.out.offices
        inc = self.incumbent
        if inc in self.out.elected and self.eligible_for_secretary(inc):  # R-EL-8
            above = [c for c in team if v[c] > v[inc]]
            tied = [c for c in team if v[c] == v[inc]]
            if len(above) + len(tied) <= self.r.top_rank:
                off["secretary"], self.out.secretary_path = inc, 1
            elif len(above) < self.r.top_rank and self._path_one(tied, self.r.top_rank - len(above)):
                off["secretary"], self.out.secretary_path = inc, 1
        if "secretary" not in off:  # R-EL-9
            eligible = [c for c in team if self.eligible_for_secretary(c)]
            if not eligible:
                self.out.void = True
                return
            off["secretary"], self.out.secretary_path = self._best("secretary", eligible), 2
        # R-EL-10 with R-TL-1: an office is skipped by whoever has held it twice; nobody left: vacant (None)
        rest = self._free(team, "discipline")
        off["discipline"] = self._best("discipline", rest) if rest else None
        rest = self._free(team, "administrator")
        off["administrator"] = pick(off["secretary"], rest) if rest else None
        if rest and off["administrator"] not in rest:
            raise ModelError("R-EL-10", "not pickable")
        rest = self._free(team, "congress")
        off["congress"] = self._best("congress", rest) if rest else None
        rest = self._free(team, "consultative")
        off["consultative"] = self._best("consultative", rest) if rest else None

    def _path_one(self, group: list[Id], seats: int) -> bool:
        """Runoffs among the incumbent's tie group for the places left within the top 3, only as
        long as the incumbent's own place is undecided."""
        while True:
            votes = self._poll("path_one", group, seats, seats)
            mine = votes[self.incumbent]
            above = [c for c in group if votes[c] > mine]
            tied = [c for c in group if votes[c] == mine]
            if len(above) + len(tied) <= seats:
                return True
            if len(above) >= seats:
                return False
            group, seats = tied, seats - len(above)
