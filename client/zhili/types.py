"""Python mirrors of the Solidity enums in ``contracts/lib/ZhiliTypes.sol`` (same order)."""

from __future__ import annotations

from enum import IntEnum
from typing import TypeVar

from eth_utils import keccak

K = TypeVar("K", bound="Keyed")


class Keyed(IntEnum):
    """An enum mirror whose members are named in files and on the command line by a snake_case key."""

    @property
    def key(self) -> str:
        """The snake_case name used in profiles, scenarios and JSON output."""
        return self.name.lower()

    @classmethod
    def from_key(cls: type[K], key: str) -> K:
        for member in cls:
            if member.key == key.replace("-", "_"):
                return member
        raise ValueError(f"unknown {cls.__name__.lower()} {key!r}; expected one of {[m.key for m in cls]}")


class Office(Keyed):
    SECRETARY = 0
    DISCIPLINE = 1
    CONGRESS = 2
    CONSULTATIVE = 3
    ADMINISTRATOR = 4
    DISCIPLINE_DEPUTY = 5


CORE_OFFICES: tuple[Office, ...] = tuple(o for o in Office if o != Office.DISCIPLINE_DEPUTY)


class Category(Keyed):
    STRATEGIC = 0
    DISCIPLINE = 1
    LEGISLATIVE = 2
    CONSULTATIVE = 3
    LIVELIHOOD = 4


class ProfileKind(Keyed):
    TOWNSHIP = 0
    COUNTY = 1


def role_id(name: str) -> bytes:
    """The on-chain id of role ``NAME``: ``keccak256("zhili.role.NAME")`` (contracts/lib/Roles.sol)."""
    return bytes(keccak(text=f"zhili.role.{name}"))


class Role:
    """Every role of contracts/lib/Roles.sol, once (tests/test_conventions.py compares the two)."""

    ELECTION_AUTHORITY = role_id("ELECTION_AUTHORITY")
    VETTING_BOARD = role_id("VETTING_BOARD")
    UPPER_COMMITTEE = role_id("UPPER_COMMITTEE")
    HIGHER_COMMITTEE = role_id("HIGHER_COMMITTEE")
    MERIT_COMMITTEE = role_id("MERIT_COMMITTEE")
    ORG_DEPARTMENT = role_id("ORG_DEPARTMENT")
    OATH_SUPERVISOR = role_id("OATH_SUPERVISOR")
    AUDITOR = role_id("AUDITOR")
    OFFICE_WRITER = role_id("OFFICE_WRITER")
    POLL_CLIENT = role_id("POLL_CLIENT")
    SECRETARIAT = role_id("SECRETARIAT")
    RECORDS_KEEPER = role_id("RECORDS_KEEPER")
    SUCCESSION_WRITER = role_id("SUCCESSION_WRITER")
    REGISTRAR = role_id("REGISTRAR")
    RECORD_WRITER = role_id("RECORD_WRITER")
    RECOVERY_APPROVER = role_id("RECOVERY_APPROVER")
    LEDGER_WRITER = role_id("LEDGER_WRITER")
    CALENDAR_AUTHORITY = role_id("CALENDAR_AUTHORITY")
    VILLAGE_OFFICE = role_id("VILLAGE_OFFICE")
