"""Gas of the village credit scheme (SPEC §9, issue 18): one declaration, verification per item in a
batch, a quarter's publication per person, grading per person, and a two-party redemption.

A village of ``n`` persons (default 100) runs a year on the chain given: the list adopted in January,
declarations from April, the four quarters published and final, grades, a credit claim and one
redemption. Figures are gas of whole transactions; the per-person and per-item figures divide a
batch's transaction by its size (the issue's goals: a declaration ≤ 60,000, verification ≤ 25,000
per item in batches, a quarter's publication for 1,000 persons ≤ 30 M in total).
"""

from __future__ import annotations

import calendar as calendar_mod
import datetime as dt

from eth_account import Account
from eth_utils import keccak

from .. import profiles
from ..calendar.client import CalendarClient
from ..core.chain import Chain
from ..core.workdays import YearMap
from ..jurisdiction import registry
from ..persons.client import deploy_person_registry, person_id
from ..village.client import COUNCIL, KEEPER, PARTY, REPRESENTATIVE, SECRETARY, Colour, VillageClient, deploy_framework, month_index
from ..village.profile import load

CST = dt.timezone(dt.timedelta(hours=8))
OFFICE = 1
VERIFY_BATCH = 50


def _at(chain: Chain, year: int, month: int, day: int) -> None:
    target = int(dt.datetime(year, month, day, 10, tzinfo=CST).timestamp())
    if target > chain.now():
        chain.wait_until(target)


def _publish_made_up_year(chain: Chain, calendar: CalendarClient, year: int) -> None:
    """A made-up calendar for a year the library does not cover (bench only): Monday to Friday,
    without the first ten weekdays of February (a Spring Festival's shape)."""
    if calendar.is_published(year):
        return
    days = [dt.date(year, 1, 1) + dt.timedelta(d) for d in range(366 if calendar_mod.isleap(year) else 365)]
    weekdays = [d for d in days if d.weekday() < 5]
    february = [d for d in weekdays if d.month == 2][:10]
    ym = YearMap.from_workdays(year, set(weekdays) - set(february))
    chain.transact(calendar.contract.functions.publish(year, ym.low, ym.high, keccak(text=f"bench: made-up calendar {year}")))


def village_gas(chain: Chain, n: int = 100) -> dict[str, int]:
    year = dt.datetime.fromtimestamp(chain.now(), CST).year
    roles: dict[str, list[str]] = {role: [str(chain.accounts[1 + i].address)] for i, role in enumerate(registry.ROLES)}
    j = registry.deploy_jurisdiction(chain, profiles.load("township"), "371003-101", "bench town", roles=roles)
    _publish_made_up_year(chain, CalendarClient.of_jurisdiction(chain, j), year + 1)
    VillageClient.grant_office(chain, j, chain.accounts[OFFICE].address)
    persons = deploy_person_registry(chain)
    profile = load()
    v = VillageClient.deploy(chain, j, persons, deploy_framework(chain, "bench district", profile), "bench village", OFFICE, profile=profile)
    ids, keys = [], []
    for i in range(n):
        pid = person_id(f"bench-village-{i}")
        acct = Account.from_key(keccak(text=f"zhili bench villager {i}"))
        chain.transact(persons.functions.register(pid, acct.address))
        ids.append(pid)
        keys.append(acct)
    # functions: 0 secretary, 1-3 team 1..3, 4-6 representatives, 7-9 council, 10 keeper; active persons 0..11 get gas
    roll = {0: (SECRETARY | PARTY, 0), 1: (PARTY, 1), 2: (0, 2), 3: (0, 3), 4: (REPRESENTATIVE, 0), 5: (REPRESENTATIVE, 0), 6: (REPRESENTATIVE, 0),
            7: (COUNCIL, 0), 8: (COUNCIL, 0), 9: (COUNCIL, 0), 10: (KEEPER, 0)}  # fmt: skip
    for i in range(n):
        r, t = roll.get(i, (0, 0))
        v.set_member(ids[i], r, t, OFFICE)
    for acct in keys[:12]:
        chain.fund(acct.address, 10**18)
    for i in range(12):
        v.sign_contract(ids[i], year, Colour.BLUE, keccak(text="自治契约"), keys[i], relayer=0)
    version = v.propose_profile_list(profile, keys[0])
    for i in (4, 5):  # two of three: more than half (R-VC-2)
        v.vote_list(version, True, keys[i])
    apr = month_index(year, 4)
    _at(chain, year, 4, 6)  # the declarations are for the 3rd, a day that has come (R-VC-5)
    team = v.open_month(apr).team
    verifier = keys[team]  # persons 1..3 are teams 1..3
    chain.gas_used.pop("village.declare", None)
    decls = [v.declare(apr, 1 + (k % 19), 3, keccak(text=f"evidence {k}"), keys[4 + k % 8]) for k in range(VERIFY_BATCH)]
    declare = sorted(chain.gas_used["village.declare"])[len(decls) // 2]  # the median declaration
    chain.gas_used.pop("village.verify", None)
    v.verify(decls, True, verifier)
    verify = chain.gas_used["village.verify"][-1]
    q1 = (year - 1970) * 4
    council = keys[8]
    chain.gas_used.pop("village.publish", None)
    for k, (m, d) in enumerate(((4, 20), (7, 15), (10, 15), (13, 15))):
        _at(chain, year + (m - 1) // 12, (m - 1) % 12 + 1, d)
        qi = v.publish(q1 + k, council, batch=n)
        chain.wait_until(qi.deadline + 1)
        v.finalize(q1 + k)
    publish = chain.gas_used["village.publish"][1]  # the quarter with declarations
    chain.gas_used.pop("village.grade", None)
    v.grade(year, list(range(1, 13)))
    grade = chain.gas_used["village.grade"][-1]
    v.claim(year, ids[5])
    chain.gas_used.pop("village.redeem", None)
    v.redeem(ids[5], ids[10], 1, 1, keys[5], keys[10])
    return {
        "declare": declare,
        "verify": verify // VERIFY_BATCH,
        "verify.batch50": verify,
        "publish_quarter": publish // n,
        f"publish_quarter.{n}": publish,
        "grade.per_person": grade // 12,
        "redeem": chain.gas_used["village.redeem"][-1],
    }
