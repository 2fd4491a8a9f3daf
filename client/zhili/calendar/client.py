"""Drive the province's ``WorkCalendar`` (SPEC §8): publish a year, read it, compute deadlines.

The contract holds the working days year by year (a 366-bit map in two words), published once per
year by the calendar authority with the fingerprint of the State Council's notice it transcribes;
the contracts compute every working-day deadline from it. :class:`CalendarClient` publishes years
(from a notice file, or from the ``chinese-calendar`` library for the years it covers), reads the
published maps, and recomputes deadlines in Python (:func:`zhili.core.workdays.add_working_days`) so a
caller can check what the chain stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3.contract import Contract

from ..core.chain import Chain
from ..core.workdays import CalendarError, Deadline, Notice, YearMap, add_working_days, covered_years, cst_day, missing_year
from ..types import Role

Sender = int | str | LocalAccount | None
CALENDAR_AUTHORITY = Role.CALENDAR_AUTHORITY


@dataclass
class CalendarClient:
    chain: Chain
    contract: Contract
    _maps: dict[int, YearMap] = field(default_factory=dict, repr=False)

    @classmethod
    def deploy(cls, chain: Chain, *, admin: Sender = None, authority: str | None = None) -> CalendarClient:
        """Deploy a calendar administered by ``admin``; the calendar authority role goes to
        ``authority`` (default: the admin itself)."""
        acct = chain.account(admin)
        c = chain.deploy("WorkCalendar", acct.address, sender=acct, label="calendar.deploy")
        who = to_checksum_address(authority) if authority else acct.address
        chain.transact(c.functions.grantRole(CALENDAR_AUTHORITY, who), acct, label="calendar.grant")
        return cls(chain, c)

    @classmethod
    def at(cls, chain: Chain, address: str) -> CalendarClient:
        return cls(chain, chain.contract("WorkCalendar", to_checksum_address(address)))

    @classmethod
    def of_jurisdiction(cls, chain: Chain, jurisdiction: Contract) -> CalendarClient:
        return cls.at(chain, chain.call(jurisdiction.functions.calendar()))

    @property
    def address(self) -> str:
        return str(self.contract.address)

    # ------------------------------------------------------------------ publish

    def publish(self, notice: Notice, sender: Sender) -> YearMap:
        """Publish ``notice``'s year (calendar authority). Final: a year is published once."""
        ym = notice.year_map()
        self.chain.transact(self.contract.functions.publish(notice.year, ym.low, ym.high, notice.fingerprint), sender, label="calendar.publish")
        self._maps[notice.year] = ym
        return ym

    def publish_from_library(self, years: Iterable[int], sender: Sender) -> list[int]:
        """Publish each of ``years`` not yet published, from the installed ``chinese-calendar``."""
        done = []
        for y in years:
            if not self.is_published(y):
                self.publish(Notice.from_library(y), sender)
                done.append(y)
        return done

    def publish_covered(self, sender: Sender, *, start: int | None = None) -> list[int]:
        """At deployment: publish every year from the chain's current year (or ``start``'s) on that
        the installed ``chinese-calendar`` covers. Later years come from notice files."""
        return self.publish_from_library(covered_years(cst_day(self.chain.now() if start is None else start).year), sender)

    # ------------------------------------------------------------------ read

    def is_published(self, year: int) -> bool:
        return year in self._maps or bool(self.chain.call(self.contract.functions.isPublished(year)))

    def year(self, year: int) -> YearMap | None:
        """The published map of ``year``, or ``None``. Published years are final, so they are cached."""
        if year not in self._maps:
            low, high, notice = self.chain.call(self.contract.functions.yearMap(year))
            if not any(bytes(notice)):
                return None
            self._maps[year] = YearMap.from_words(year, int(low), int(high), bytes(notice))
        return self._maps[year]

    def published_years(self) -> list[int]:
        return sorted(int(e.args.year) for e in self.contract.events.YearPublished().get_logs(from_block=0))

    def deadline(self, start: int, working_days: int) -> Deadline:
        """The deadline recomputed here from the published maps (what the contracts store)."""
        return add_working_days(start, working_days, self.year, where=f"on chain in calendar {self.address}", basis=self.basis)

    def deadline_on_chain(self, start: int, working_days: int) -> int:
        """The contract's own computation (a call: no transaction)."""
        return int(self.chain.call(self.contract.functions.deadline(start, working_days)))

    @property
    def basis(self) -> str:
        return f"WorkCalendar {self.address}"

    def show(self, year: int) -> dict[str, Any]:
        ym = self.year(year)
        if ym is None:
            raise missing_year(year, f"in calendar {self.address}")
        return {"calendar": self.address, **ym.as_json()}


__all__ = ["CALENDAR_AUTHORITY", "CalendarClient", "CalendarError", "Notice", "YearMap"]
