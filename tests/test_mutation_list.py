"""The mutation list cannot rot silently (docs/mutation.md): every mutant of
``tests/mutation/mutants.yaml`` still applies to the current sources (its original text occurs
exactly once in its file, and the mutant differs), and every test it names exists. Static: no chain,
no compiler, no test collection."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("zhili_mutate", ROOT / "scripts" / "mutate.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


MUTATE = _runner()
MUTANTS = MUTATE.load()
FORGE = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "forge").rglob("*.sol")))


def test_the_list_is_large_enough_and_covers_the_four_examples_of_issue_20() -> None:
    ids = {m.id for m in MUTANTS}
    assert len(MUTANTS) >= 40
    assert {"election-stage2-tie-silent", "council-spend-close-lt", "merit-committee-more-than-half", "merit-appeal-last-second"} <= ids


@pytest.mark.parametrize("m", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_applies_once_and_its_tests_exist(m) -> None:  # type: ignore[no-untyped-def]
    path = ROOT / m.file
    assert path.is_file(), m.file
    assert m.original != m.mutant
    assert path.read_text(encoding="utf-8").count(m.original) == 1, f"{m.id}: original not found exactly once in {m.file}"
    assert re.fullmatch(r"R-[A-Z]+-\d+|SPEC §\d+|none", m.rule), m.rule
    for node in m.pytest:
        file, _, func = node.partition("::")
        test_file = ROOT / file
        assert test_file.is_file(), node
        name = func.split("::")[-1].split("[")[0]
        if name:
            assert re.search(rf"^\s*def {re.escape(name)}\(", test_file.read_text(encoding="utf-8"), re.M), node
    for name in m.forge:
        assert re.search(rf"\bfunction {re.escape(name)}\(", FORGE), name
