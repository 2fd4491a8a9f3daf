"""The village profile (``profiles/village.yaml``): the district framework, the town manual, the
criteria list and the supermarket catalogue as data (SPEC §9), validated field by field.

As for the township and county profiles, Python checks the *shape* (fields present, integers in
range to be encoded) and reports every problem as ``field: problem``; the *rules* (a value above the
framework's bound, a window longer than the framework allows, R-VC-1) are the contracts'.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.files import read_yaml
from ..profiles import PROFILE_DIR, ProfileError

KINDS = {"party_duty": 1, "rep_duty": 2, "credit": 4}
UINT8 = (0, 255)
UINT16 = (0, 65535)
UINT32 = (0, 2**32 - 1)
_FRAMEWORK = {"base_score": UINT16, "max_value": (1, 65535), "duty_percent": (0, 100), "max_window_days": (1, 255)}
_MANUAL = {"declare_days": (1, 255), "objection_days": (1, 255), "first_team": (1, 3)}
_MEMBER_GRADES = ("excellent", "qualified", "basic")
_STAR_GRADES = ("five", "four", "three", "two")


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of the list: its code (``P01``), text, category index, kinds bits, value (tenths)."""

    code: str
    text: str
    category: int
    kinds: int
    value: int
    positive: bool

    @property
    def text_hash(self) -> bytes:
        """The fingerprint the chain keeps: SHA-256 of ``code + " " + text``."""
        return hashlib.sha256(f"{self.code} {self.text}".encode()).digest()

    def as_tuple(self) -> tuple[int, int, int, bytes]:
        """``IVillageLedger.Criterion`` (value, kinds, category, textHash)."""
        return (self.value, self.kinds, self.category, self.text_hash)


@dataclass(frozen=True)
class VillageProfile:
    data: dict[str, Any]
    source: str

    def framework(self) -> tuple[Any, ...]:
        """``ICreditFramework.Framework`` in field order."""
        f = self.data["framework"]
        return (
            f["base_score"], f["max_value"], f["duty_percent"], f["max_window_days"],
            [f["member_grades"][k] for k in _MEMBER_GRADES], [f["star_grades"][k] for k in _STAR_GRADES],
        )  # fmt: skip

    def manual(self) -> tuple[int, int, int]:
        """``ICreditFramework.Manual`` in field order."""
        m = self.data["manual"]
        return (m["declare_days"], m["objection_days"], m["first_team"])

    @property
    def categories(self) -> list[str]:
        return [c["key"] for c in self.data["categories"]]

    def criteria(self) -> list[CriterionSpec]:
        """The list, positive criteria first (their position from 1 is their code on chain)."""
        out = []
        for positive, section in ((True, "positive"), (False, "negative")):
            for c in self.data["criteria"][section]:
                kinds = sum(KINDS[k] for k in c["kinds"])
                out.append(CriterionSpec(c["code"], c["zh"], self.categories.index(c["category"]), kinds, c["value"], positive))
        return out

    @property
    def positives(self) -> int:
        return len(self.data["criteria"]["positive"])

    def chain_code(self, code: str) -> int:
        """The on-chain code (position from 1) of criterion ``code`` (``P03`` -> 3)."""
        for i, c in enumerate(self.criteria(), 1):
            if c.code == code:
                return i
        raise ProfileError(self.source, [f"criteria: no criterion {code!r}"])

    def star_bonus(self) -> list[int]:
        return list(self.data["supermarket"]["star_bonus"])

    def catalogue(self) -> list[dict[str, Any]]:
        return list(self.data["supermarket"]["catalogue"])


def _int(problems: list[str], where: str, value: Any, bounds: tuple[int, int]) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(f"{where}: expected an integer, got {value!r}")
    elif not bounds[0] <= value <= bounds[1]:
        problems.append(f"{where}: {value} is outside {bounds[0]}..{bounds[1]}")


def _table(problems: list[str], data: dict[str, Any], section: str, spec: dict[str, tuple[int, int]]) -> dict[str, Any]:
    table = data.get(section)
    if not isinstance(table, dict):
        problems.append(f"{section}: missing (a table of {', '.join(spec)})")
        return {}
    for key, bounds in spec.items():
        if key not in table:
            problems.append(f"{section}.{key}: missing")
        else:
            _int(problems, f"{section}.{key}", table[key], bounds)
    return table


def check_schema(data: Any) -> list[str]:
    """Field-level problems of a village profile (empty: fine)."""
    if not isinstance(data, dict):
        return [f"<root>: expected a mapping, got {type(data).__name__}"]
    problems: list[str] = []
    f = _table(problems, data, "framework", _FRAMEWORK)
    for key, names in (("member_grades", _MEMBER_GRADES), ("star_grades", _STAR_GRADES)):
        g = f.get(key) if f else None
        if not isinstance(g, dict):
            problems.append(f"framework.{key}: missing (a table of {', '.join(names)})")
            continue
        for n in names:
            _int(problems, f"framework.{key}.{n}", g.get(n), UINT16)
        values = [g.get(n) for n in names]
        if all(isinstance(v, int) for v in values) and values != sorted(values, reverse=True):  # type: ignore[type-var]
            problems.append(f"framework.{key}: thresholds must not increase ({', '.join(names)}), got {values}")
    _table(problems, data, "manual", _MANUAL)
    cats = data.get("categories")
    keys: list[str] = []
    if not isinstance(cats, list) or not cats or not all(isinstance(c, dict) and c.get("key") and c.get("zh") for c in cats):
        problems.append("categories: expected a non-empty list of {key, zh, en}")
    elif len(cats) > 16:
        problems.append(f"categories: at most 16 fit on chain, got {len(cats)}")
    else:
        keys = [c["key"] for c in cats]
    crit = data.get("criteria")
    if not isinstance(crit, dict):
        problems.append("criteria: missing (positive and negative lists)")
    else:
        seen: set[str] = set()
        for section in ("positive", "negative"):
            items = crit.get(section)
            if not isinstance(items, list) or not items:
                problems.append(f"criteria.{section}: expected a non-empty list")
                continue
            for i, c in enumerate(items):
                where = f"criteria.{section}[{i}]"
                if not isinstance(c, dict):
                    problems.append(f"{where}: expected a mapping")
                    continue
                code = c.get("code")
                if not isinstance(code, str) or not code:
                    problems.append(f"{where}.code: expected a code such as P01")
                elif code in seen:
                    problems.append(f"{where}.code: {code!r} appears twice")
                else:
                    seen.add(code)
                    where = f"criteria.{section}.{code}"
                if not isinstance(c.get("zh"), str) or not c.get("zh"):
                    problems.append(f"{where}.zh: the criterion's text is missing")
                if keys and c.get("category") not in keys:
                    problems.append(f"{where}.category: {c.get('category')!r} is not one of {keys}")
                kinds = c.get("kinds")
                if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
                    problems.append(f"{where}.kinds: expected a non-empty list of {list(KINDS)}, got {kinds!r}")
                _int(problems, f"{where}.value", c.get("value"), (1, 65535))
    market = data.get("supermarket")
    if not isinstance(market, dict):
        problems.append("supermarket: missing (star_bonus and catalogue)")
    else:
        bonus = market.get("star_bonus")
        if not isinstance(bonus, list) or len(bonus) != 5:
            problems.append(f"supermarket.star_bonus: expected 5 amounts (one to five stars), got {bonus!r}")
        else:
            for i, b in enumerate(bonus):
                _int(problems, f"supermarket.star_bonus[{i}]", b, UINT32)
        cat = market.get("catalogue")
        if not isinstance(cat, list):
            problems.append("supermarket.catalogue: expected a list of {item, zh, price, stock}")
        else:
            for i, it in enumerate(cat):
                if not isinstance(it, dict):
                    problems.append(f"supermarket.catalogue[{i}]: expected a mapping")
                    continue
                _int(problems, f"supermarket.catalogue[{i}].item", it.get("item"), UINT16)
                _int(problems, f"supermarket.catalogue[{i}].price", it.get("price"), UINT32)
                _int(problems, f"supermarket.catalogue[{i}].stock", it.get("stock"), UINT32)
    return problems


def load(name_or_path: str | Path = "village") -> VillageProfile:
    """The built-in ``village`` profile or a YAML file, schema-checked (:class:`ProfileError` lists every problem)."""
    path = PROFILE_DIR / "village.yaml" if str(name_or_path) == "village" else Path(name_or_path)
    data = read_yaml(path, "profile", ProfileError, shown=str(name_or_path))
    problems = check_schema(data)
    if problems:
        raise ProfileError(str(path), problems)
    return VillageProfile(data, str(path))
