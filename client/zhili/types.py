"""Python mirrors of the Solidity enums in ``contracts/lib/ZhiliTypes.sol`` (same order)."""

from __future__ import annotations

from enum import IntEnum


class _Keyed(IntEnum):
    @property
    def key(self) -> str:
        """The snake_case name used in profiles, scenarios and JSON output."""
        return self.name.lower()

    @classmethod
    def from_key(cls, key: str) -> _Keyed:
        for member in cls:
            if member.key == key:
                return member
        raise ValueError(f"unknown {cls.__name__.lower()} {key!r}; expected one of {[m.key for m in cls]}")


class Office(_Keyed):
    SECRETARY = 0
    DISCIPLINE = 1
    CONGRESS = 2
    CONSULTATIVE = 3
    ADMINISTRATOR = 4
    DISCIPLINE_DEPUTY = 5


CORE_OFFICES = tuple(o for o in Office if o != Office.DISCIPLINE_DEPUTY)


class Category(_Keyed):
    STRATEGIC = 0
    DISCIPLINE = 1
    LEGISLATIVE = 2
    CONSULTATIVE = 3
    LIVELIHOOD = 4


class ProfileKind(_Keyed):
    TOWNSHIP = 0
    COUNTY = 1
