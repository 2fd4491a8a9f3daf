"""Profiles as data: loading, field-level schema errors, the contract's own rule checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from zhili import profiles
from zhili.jurisdiction import registry
from zhili.types import Category


def test_builtin_profiles_load_and_are_valid() -> None:
    for name in profiles.BUILTIN:
        p = profiles.load(name)
        assert registry.validate(p) == []
        assert p.threshold == 160  # R-WD-2
        assert p.data["election"]["stage1_max_names"] == 10 and p.data["election"]["elected"] == 5  # R-EL-2, R-EL-4


def test_seed_values_kept_and_livelihood_340_reported() -> None:
    # R-WD-1: the township livelihood row sums to 340; kept, and the validator reports it
    t = profiles.load("township")
    assert sum(t.weight_row(Category.LIVELIHOOD)) == 340
    assert any("weights.livelihood" in n and "340" in n for n in t.notes)
    c = profiles.load("county")
    assert c.notes == []
    assert len(c.data["vetting_dimensions"]) == 7 and len(t.data["vetting_dimensions"]) == 5  # R-EL-1


def test_weight_matrix_matches_spec_table() -> None:
    # R-WD-1 table, township column
    t = profiles.load("township")
    assert t.weight_matrix() == [
        [100, 80, 60, 40, 20],
        [80, 100, 60, 40, 20],
        [80, 60, 100, 40, 20],
        [80, 60, 40, 100, 20],
        [80, 60, 60, 40, 100],
    ]
    assert profiles.load("county").weight_row(Category.LIVELIHOOD) == [80, 60, 40, 20, 100]


def test_profile_hash_is_canonical(tmp_path: Path) -> None:
    t = profiles.load("township")
    # the same data with keys in another order and different formatting hashes the same
    f = tmp_path / "p.yaml"
    f.write_text(yaml.safe_dump(dict(reversed(list(t.data.items()))), allow_unicode=True))
    assert profiles.load(f).hash == t.hash
    assert profiles.load("county").hash != t.hash


def _write(tmp_path: Path, data: object) -> Path:
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True))
    return f


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["weights"].update(livelihood=[80, 60, 60, 40]), "weights.livelihood: expected 5 weights, got 4"),
        (lambda d: d["weights"].update(strategic=[100, 80, "x", 40, 20]), "weights.strategic[congress]: expected an integer"),
        (lambda d: d.update(kind="village"), "kind: expected one of"),
        (lambda d: d["election"].pop("elected"), "election.elected: missing"),
        (lambda d: d["election"].update(stage1_max_names=300), "election.stage1_max_names: 300 is outside 0..255"),
        (lambda d: d["election"].update(min_cast_seconds=0), "election.min_cast_seconds: 0 is outside 1..4294967295"),  # R-EL-7
        (lambda d: d["election"].pop("open_within_seconds"), "election.open_within_seconds: missing"),  # R-EL-11
        (lambda d: d["offices"]["secretary"].pop("en"), "offices.secretary: needs both"),
        (lambda d: d["weights"].update(housing=[1, 2, 3, 4, 5]), "weights.housing: unknown category"),
    ],
)
def test_schema_errors_name_the_field(tmp_path: Path, mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((profiles.PROFILE_DIR / "township.yaml").read_text())
    mutate(data)
    with pytest.raises(profiles.ProfileError) as e:
        profiles.load(_write(tmp_path, data))
    assert any(expected in p for p in e.value.problems), e.value.problems


def test_rule_violations_come_from_the_contract(tmp_path: Path) -> None:
    # R-WD-2 is enforced by the Jurisdiction constructor; the validator reports the contract's error
    data = yaml.safe_load((profiles.PROFILE_DIR / "township.yaml").read_text())
    data["weights"]["consultative"] = [80, 60, 40, 170, 20]
    problems = registry.validate(profiles.load(_write(tmp_path, data)))
    assert len(problems) == 1 and problems[0].startswith("R-WD-2: WeightReachesThreshold(")
    assert "weight=170" in problems[0]


def test_inconsistent_poll_limits_come_from_the_contract(tmp_path: Path) -> None:
    # R-EL-7 (issue 15 item 4): a minimum window above the longest one could never be opened
    data = yaml.safe_load((profiles.PROFILE_DIR / "township.yaml").read_text())
    data["election"]["min_count_seconds"] = data["election"]["max_poll_seconds"] + 1
    problems = registry.validate(profiles.load(_write(tmp_path, data)))
    assert len(problems) == 1 and problems[0].startswith("R-EL-7: InvalidPollLimits(")
    assert "minCount=2592001" in problems[0]


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(profiles.ProfileError, match="cannot read"):
        profiles.load(tmp_path / "missing.yaml")
    f = tmp_path / "x.yaml"
    f.write_text("kind: [unclosed")
    with pytest.raises(profiles.ProfileError, match="not valid YAML"):
        profiles.load(f)


@pytest.mark.parametrize(
    ("scrutineers", "threshold", "refused"),
    [(5, 3, False), (5, 2, True), (4, 2, True), (4, 3, False), (3, 2, False), (3, 1, True), (1, 1, True), (16, 9, False), (16, 8, True), (17, 9, True)],
)
def test_the_scrutiny_panel_rule_comes_from_the_contract(tmp_path: Path, scrutineers: int, threshold: int, refused: bool) -> None:
    # R-EL-13: no minority opens a poll (2·threshold > scrutineers, exactly half refused), at least two
    # shares, at most 16 members; the profile's numbers are checked by the Jurisdiction constructor
    data = yaml.safe_load((profiles.PROFILE_DIR / "township.yaml").read_text())
    data["election"] |= {"scrutineers": scrutineers, "scrutiny_threshold": threshold}
    problems = registry.validate(profiles.load(_write(tmp_path, data)))
    if refused:
        assert len(problems) == 1 and problems[0].startswith(f"R-EL-13: InvalidScrutinyPanel(scrutineers={scrutineers}, threshold={threshold})")
    else:
        assert problems == []
