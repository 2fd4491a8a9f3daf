"""The benchmark: ``zhili bench --gas --json``, the registered sections, and the shipped anchors.

No gas figure is asserted here (targets live in the benchmark's output, docs/benchmarks.md); the
tests check that every figure the issue names is produced, whole and positive, and that the anchor
artifacts are exactly what their npm sources compile to.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path

import pytest

from zhili.bench import anchors as bench_anchors
from zhili.bench import suite as bench_suite
from zhili.cli import main
from zhili.core import artifacts
from zhili.core.artifacts import ANCHOR_DIR
from zhili.core.build import compile_anchors, render
from zhili.core.chain import Chain

REQUIRED_GAS = {
    "election": (
        "election.ballot10.single",
        "election.ballot10.amortized",
        "election.credential.issue",
        "election.credential.register",
        "election.ballot10.sealed",
        "election.count.per_ballot",
        "election.dkg.total",
        "election.open_box",
    ),
    "council": ("council.open", "council.vote"),
    "evidence": ("evidence.anchor", "evidence.amend"),
    "merit": ("merit.report.full",),
    "village": ("village.declare", "village.verify", "village.publish_quarter", "village.redeem"),
}
REQUIRED_ANCHORS = ("oz.propose", "oz.castVote", "eas.attest", "eas.attest_ref", "safe.exec_3of5")


def test_zhili_bench_gas_json_gives_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    # on anvil: the same sections as on the embedded default, in a fraction of the time (a whole
    # election with credentials); the figures' presence is tested here, not their values
    assert main(["bench", "--gas", "--json", "--quiet", "--chain", "anvil"]) == 0
    result = json.loads(capsys.readouterr().out)  # stdout is the JSON document only
    assert result["chain"] == "anvil"
    for name, keys in REQUIRED_GAS.items():
        module = next(s.module for s in bench_suite.GAS_SECTIONS if s.name == name)
        if importlib.util.find_spec(module) is None:  # not merged yet: reported, never silently empty
            assert result["sections"][name].startswith("absent")
            continue
        assert result["sections"][name] == "ok"
        for key in keys:
            assert key in result["gas"], key
    for key in REQUIRED_ANCHORS:
        assert key in result["anchors"], key
    assert result["missing"] == []
    for figure, gas in [*result["gas"].items(), *result["anchors"].items()]:
        assert isinstance(gas, int) and gas > 0, figure
    for row in result["ratios"]:
        assert row["ratio"] == round(row["ours_gas"] / row["anchor_gas"], 2)


def test_anchors_run_on_both_chains(chain: Chain) -> None:
    figures = bench_anchors.anchors(chain)  # the Safe and Governor steps check their own outcome
    for key in REQUIRED_ANCHORS:
        assert figures[key] > 0


def test_anchor_artifacts_equal_a_fresh_compile() -> None:
    """The shipped anchors are exactly what bench/contracts and the pinned npm packages compile to."""
    fresh = compile_anchors()
    committed = {p.name for p in ANCHOR_DIR.glob("*.json")}
    assert committed == set(fresh), "run `zhili build --anchors`: the set of anchor contracts changed"
    for fname, art in fresh.items():
        on_disk = (ANCHOR_DIR / fname).read_text(encoding="utf-8")
        assert on_disk == render(art), f"anchors/{fname} is stale: run `zhili build --anchors` and commit"
    info = fresh["_build.json"]
    assert info["evmVersion"] == "paris" and info["warnings"] == []
    assert info["packages"]["@ethereum-attestation-service/eas-contracts"] != "missing"


def test_anchors_stay_out_of_the_system_contracts() -> None:
    assert not set(artifacts.names()) & {p.stem for p in ANCHOR_DIR.glob("*.json")}
    assert {e.contract for e in artifacts.error_table().values()} <= set(artifacts.names())


def test_anchor_bytecode_targets_paris() -> None:
    for path in ANCHOR_DIR.glob("*.json"):
        if path.name == artifacts.BUILD_INFO:
            continue
        art = json.loads(path.read_text())
        assert art["compiler"]["evmVersion"] == "paris"
        assert (len(art["deployedBytecode"]) - 2) // 2 < 24_576, path.name


def test_a_missing_section_is_reported_not_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    ghost = bench_suite.GasSection("ghost", "zhili.bench_ghost", ("ghost_gas",), bench_suite._prefixed("ghost"))
    with pytest.raises(bench_suite.SectionAbsent, match="not installed"):
        bench_suite.run_section(ghost, None)  # type: ignore[arg-type]


def test_without_the_test_only_mock_the_evidence_section_is_absent(chain: Chain, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # an installed zhili ships no contracts/mocks/ artifact (tests/test_wheel.py): reported, not a crash
    monkeypatch.setattr(artifacts, "TEST_ARTIFACT_DIR", tmp_path / "not-a-checkout")
    evidence = next(s for s in bench_suite.GAS_SECTIONS if s.name == "evidence")
    with pytest.raises(bench_suite.SectionAbsent, match="test-only MockCouncilDecisions"):
        bench_suite.run_section(evidence, chain)


def test_a_module_without_the_named_function_is_discovered(monkeypatch: pytest.MonkeyPatch) -> None:
    mod = types.ModuleType("zhili.bench_fake")

    def fake_gas(chain: Chain) -> dict[str, int]:
        return {"open": 7}

    def fake_scale(chain: Chain, n: int = 10) -> dict[str, object]:  # a scale run: never picked up as gas
        raise AssertionError("scale run called")

    fake_gas.__module__ = fake_scale.__module__ = mod.__name__
    mod.fake_gas = fake_gas  # type: ignore[attr-defined]
    mod.fake_scale = fake_scale  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    assert bench_suite.discover_gas_functions(mod) == [fake_gas]


def test_adapters_name_the_required_figures() -> None:
    council = {"open.cold": 300_000, "open.warm": 150_000, "vote.per_member.all_phases.own_reveal.warm": 60_000,
               "vote.per_member.all_phases.batched_reveal.warm": 50_000, "commit.warm": 40_000,
               "reveal.batch5.per_member.warm": 10_000, "opinion.warm": 40_000, "close.passed.warm": 90_000}  # fmt: skip
    sec = next(s for s in bench_suite.GAS_SECTIONS if s.name == "council")
    got = sec.adapt(council)
    assert got["council.open"] == 150_000 and got["council.vote"] == 60_000 and got["council.open.cold"] == 300_000
    assert got["council.vote.batched_reveal.amortized"] == 50_000
    assert bench_suite._derived(got)["council.motion.full"] == 150_000 + 40_000 + 5 * 40_000 + 5 * 10_000 + 90_000
    evidence = {"evidence.anchor": 90_000, "evidence.amend": 95_000, "sample.title_bytes": 45}
    got = next(s for s in bench_suite.GAS_SECTIONS if s.name == "evidence").adapt(evidence)
    assert got == {"evidence.anchor": 90_000, "evidence.amend": 95_000}  # sizes are not gas
    merit = {"steps": {"fileReport": 100_000, "sealReview": 50_000, "openReview": 40_000}, "total_one_report (citizen award)": 190_000, "flag": True}
    got = next(s for s in bench_suite.GAS_SECTIONS if s.name == "merit").adapt(merit)
    # two reviewers each seal and open: the whole life counts both
    assert got["merit.report.full"] == 100_000 + 2 * 50_000 + 2 * 40_000 and got["merit.steps.fileReport"] == 100_000
    assert got["merit.total_one_report (citizen award)"] == 190_000 and "merit.flag" not in got


def test_county_projection_from_the_village_year_or_the_gas_table() -> None:
    c = bench_suite.COUNTY
    assert (c["villages"], c["persons_per_village"], c["declarations_per_person_month"]) == (300, 1_500, 2)  # issue 18's county
    measured = {"scale.village_year.gas_per_person_year": 2_000_000, "scale.village_year.gas_per_declaration": 57_000,
                "scale.village_year.gas_per_verified_item": 18_000, "scale.village_year.gas_per_person_publication": 11_000,
                "scale.village_year.transactions_per_person_year": 26}  # fmt: skip
    got = bench_suite.capacity(measured)["county_villages"]
    assert got["from"] == "scale.village_year" and got["persons"] == 450_000
    assert got["gas_per_year"] == 450_000 * 2_000_000 and got["transactions_per_year"] == 450_000 * 26
    assert got["share_of_chain"] == round(9e11 / (15e6 * bench_suite.SECONDS_PER_YEAR), 5)
    m = got["month"]
    assert m["declarations"] == 900_000 and m["gas"] == 900_000 * 75_000 and m["blocks"] == -(-900_000 * 75_000 // 30_000_000)
    assert m["hours_of_full_blocks"] == round(900_000 * 75_000 / 15e6 / 3600, 2)
    assert got["quarter_publication"]["gas"] == 450_000 * 11_000
    # without the scale run: per-item figures of the gas table, and said so
    table = {"village.declare": 57_000, "village.verify": 15_000, "village.publish_quarter": 11_000, "village.grade.per_person": 70_000, "village.redeem": 68_000}
    est = bench_suite.county(table)
    assert est["from"] == "gas table" and est["gas_per_person_year"] == 24 * 72_000 + 4 * 11_000 + 70_000 + 68_000
    assert bench_suite.county({"village.declare": 1}) == {} and "county_villages" not in bench_suite.capacity({})
