"""Gas of the working-day calendar (SPEC §8): publishing one year, and one 15-working-day deadline
computed on chain (the appeal answer window of R-MR-11), across the 2026 Spring Festival."""

from __future__ import annotations

import datetime as dt

from ..calendar.client import CalendarClient
from ..core.chain import Chain
from ..core.workdays import CST, Notice
from ..testing import Staff


def calendar_gas(chain: Chain) -> dict[str, int]:
    cal = CalendarClient.deploy(chain)
    chain.gas_used.pop("calendar.publish", None)
    cal.publish(Notice.from_library(2026), None)
    publish = chain.gas_used["calendar.publish"][-1]
    # a whole transaction whose only work is the deadline: 15 working days from Friday 13 February 2026,
    # the eve of the Spring Festival (15-23 February off): 31 calendar days scanned
    start = int(dt.datetime(2026, 2, 13, 10, tzinfo=CST).timestamp())
    fn = cal.contract.functions.deadline(start, 15)
    deadline15 = int(fn.estimate_gas({"from": chain.accounts[Staff.ADMIN].address}))
    return {"publish_year": publish, "deadline15": deadline15}
