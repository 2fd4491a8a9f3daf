"""The village client's mirrors (DESIGN principle 8) and the village profile's field-level validation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from village_kit import VillageWorld, month_start
from zhili.profiles import ProfileError
from zhili.village import client as vc
from zhili.village.profile import PROFILE_DIR, check_schema, load

ROOT = Path(__file__).resolve().parents[2]


def test_constants_mirror_village_types() -> None:
    src = (ROOT / "contracts" / "lib" / "VillageTypes.sol").read_text(encoding="utf-8")
    sol = {n: int(v) for n, v in re.findall(r"uint8 internal constant (\w+) = (\d+);", src)}
    py = {
        "KIND_PARTY_DUTY": vc.KIND_PARTY_DUTY, "KIND_REP_DUTY": vc.KIND_REP_DUTY, "KIND_CREDIT": vc.KIND_CREDIT,
        "PARTY": vc.PARTY, "REPRESENTATIVE": vc.REPRESENTATIVE, "COUNCIL": vc.COUNCIL, "SECRETARY": vc.SECRETARY, "KEEPER": vc.KEEPER,
        **{c.name: int(c) for c in vc.Colour}, "COLOURS": len(vc.Colour), "ALL_ROLES": sum(vc.ROLE_BITS.values()),
        "EXCELLENT": min(vc.MEMBER_GRADES), "FAILING": max(vc.MEMBER_GRADES),
    }  # fmt: skip
    assert sol == py


def test_months_agree_with_the_chain(vw: VillageWorld) -> None:
    v = vw.v
    now = vw.chain.now()
    m = v.current_month()
    assert month_start(m) <= now < month_start(m + 1)
    assert vc.month_label(vc.month_index(2026, 4)) == "2026-04" and vc.quarter_label(vc.month_index(2026, 4) // 3) == "2026Q2"


def test_the_shipped_profile() -> None:
    p = load()
    crit = p.criteria()
    assert (p.positives, len(crit) - p.positives) == (19, 37)  # the seed's counts, as data
    assert {c.category for c in crit} == set(range(len(p.categories)))
    assert p.framework()[2] == 60 and p.manual()[1] == 7
    assert max(c.value for c in crit) <= p.framework()[1]
    assert p.chain_code("P01") == 1 and p.chain_code("N01") == 20


def _broken(**changes: object) -> dict:
    data = yaml.safe_load((PROFILE_DIR / "village.yaml").read_text(encoding="utf-8"))
    for path, value in changes.items():
        node = data
        keys = path.split("__")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        node[keys[-1]] = value
    return data


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"framework__duty_percent": 160}, "framework.duty_percent: 160 is outside 0..100"),
        ({"framework__member_grades": {"excellent": 500, "qualified": 620, "basic": 560}}, "framework.member_grades: thresholds must not increase"),
        ({"manual__first_team": 4}, "manual.first_team: 4 is outside 1..3"),
        ({"manual__declare_days": "five"}, "manual.declare_days: expected an integer"),
        ({"criteria__positive__0__category": "sports"}, "criteria.positive.P01.category: 'sports' is not one of"),
        ({"criteria__positive__1__kinds": ["duty"]}, "criteria.positive.P02.kinds"),
        ({"criteria__negative__0__code": "P01"}, "criteria.negative[0].code: 'P01' appears twice"),
        ({"criteria__negative__2__value": 0}, "criteria.negative.N03.value: 0 is outside 1..65535"),
        ({"supermarket__star_bonus": [1, 2]}, "supermarket.star_bonus: expected 5 amounts"),
    ],
)
def test_profile_errors_name_the_field(changes: dict, says: str, tmp_path: Path) -> None:
    problems = check_schema(_broken(**changes))
    assert any(says in p for p in problems), problems
    f = tmp_path / "v.yaml"
    f.write_text(yaml.safe_dump(_broken(**changes), allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load(f)
    assert says in str(e.value)
