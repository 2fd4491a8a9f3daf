"""The benchmark as a list of registered sections (``zhili bench``, ``bench/run.py``; docs/benchmarks.md).

A *gas section* is a function ``(chain) -> {figure: gas}`` in a ``zhili.bench*`` module; a *scale run*
is a function ``(chain, **size) -> {"gas_total": …, "wall_seconds": …, …}``. Sections whose module is
not installed are reported as absent and their keys are left out, so a module that lands later is
picked up without touching this file beyond its registry line. Every figure is ``gasUsed`` of whole
transactions, amortized per item where its key says so.

The *anchors* (``zhili.bench_anchors``: OpenZeppelin Governor, EAS, Safe) run on the same chain in
the same run; :data:`RATIOS` pairs each zhili figure with the anchor doing the closest public
equivalent.
"""

from __future__ import annotations

import importlib
import inspect
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Mapping

from .chain import Chain

Figures = dict[str, int]
Adapter = Callable[[dict[str, Any]], Figures]


def _flatten(raw: Mapping[str, Any], prefix: str = "") -> dict[str, int]:
    """Integer figures of a (nested) result, keyed by dotted paths; sizes and notes are dropped."""
    out: dict[str, int] = {}
    for k, v in raw.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "."))
        elif isinstance(v, int) and not isinstance(v, bool):
            out[key] = v
    return out


def _prefixed(prefix: str, exclude: tuple[str, ...] = ()) -> Adapter:
    """Keys may come back unprefixed (``open.warm``): file them under ``<prefix>.``; drop non-gas keys."""

    def adapt(raw: dict[str, Any]) -> Figures:
        flat = _flatten(raw)
        return {
            k if k.startswith(prefix + ".") else f"{prefix}.{k}": v
            for k, v in flat.items()
            if not any(k.startswith(x) for x in exclude)
        }

    return adapt


def _aliases(prefix: str, required: Mapping[str, tuple[str, ...]], exclude: tuple[str, ...] = ()) -> Adapter:
    """Prefix every key, then name each required figure after the first of its source keys present."""
    base = _prefixed(prefix, exclude)

    def adapt(raw: dict[str, Any]) -> Figures:
        out = base(raw)
        for key, sources in required.items():
            if key in out:
                continue
            for src in sources:
                name = src if src.startswith(prefix + ".") else f"{prefix}.{src}"
                if name in out:
                    out[key] = out[name]
                    break
        return out

    return adapt


@dataclass(frozen=True)
class GasSection:
    """One section of the gas table: ``module.function(chain)`` returning gas figures."""

    name: str
    module: str
    functions: tuple[str, ...]  # the first one the module has is run
    adapt: Adapter
    required: tuple[str, ...] = ()  # figures the issue names; missing ones are reported


@dataclass(frozen=True)
class ScaleRun:
    """A scale run: ``module.function(chain, **kwargs)`` returning totals and ``wall_seconds``."""

    name: str
    what: str
    module: str
    functions: tuple[str, ...]  # the first one the module has is run
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    chains: tuple[str, ...] = ("anvil", "embedded")
    headline: tuple[str, ...] = ()  # result keys shown in the table beside gas and wall time


# ------------------------------------------------------------------ the registry

GAS_SECTIONS: list[GasSection] = [
    GasSection("election", "zhili.bench", ("election_ballots",), _prefixed("election"), ("election.ballot10.single", "election.ballot10.amortized")),
    GasSection(
        "council",
        "zhili.bench_council",
        ("council_gas",),
        _aliases(
            "council",
            {
                "council.open": ("open.warm", "open"),
                "council.vote": ("vote.per_member.all_phases.own_reveal.warm", "vote.per_member.all_phases.batched_reveal.warm", "vote"),
            },
        ),
        ("council.open", "council.vote"),
    ),
    GasSection(
        "evidence",
        "zhili.bench_evidence",
        ("evidence_gas", "anchor_gas"),
        _aliases("evidence", {"evidence.anchor": ("anchor",), "evidence.amend": ("amend", "amendment")}, exclude=("sample.",)),
        ("evidence.anchor", "evidence.amend"),
    ),
    GasSection(
        "merit",
        "zhili.bench_merit",
        ("merit_gas", "report_life"),
        _aliases("merit", {"merit.report.full": ("report.full", "total_one_report (citizen award)", "total_one_report")}),
        ("merit.report.full",),
    ),
]

ANCHOR_SECTION = GasSection(
    "anchors",
    "zhili.bench_anchors",
    ("anchors",),
    lambda raw: _flatten(raw),
    ("oz.propose", "oz.castVote", "eas.attest", "eas.attest_ref", "safe.exec_3of5"),
)

SCALE_RUNS: list[ScaleRun] = [
    ScaleRun(
        "county_election",
        "a county election: 40 candidates, 300 party delegates, 150 congress deputies, registration to seated offices",
        "zhili.bench",
        ("full_election",),
        {"candidates": 40, "delegates": 300, "deputies": 150},
        headline=("polls",),
    ),
    ScaleRun(
        "council_year",
        "a year of a township council: 200 motions in meetings of 10",
        "zhili.bench_council",
        ("council_year",),
        {"motions": 200},
        headline=("gas_per_motion", "passed"),
    ),
    ScaleRun(
        "documents_10k",
        "10,000 signed documents anchored in the evidence ledger, then verify and rebuild from events",
        "zhili.bench_evidence",
        ("documents", "scale"),
        {"n": 10_000},
        headline=("gas_per_anchor_median", "anchors_per_second", "verify_latency_ms_median", "rebuild_from_events_seconds"),
    ),
    ScaleRun(
        "reports_1k",
        "1,000 merit reports through the whole review",
        "zhili.bench_merit",
        ("reports", "many_reports"),
        {"n": 1_000},
        headline=("gas_per_report",),
    ),
]

# (ours, anchor, what is compared)
RATIOS: list[tuple[str, str, str]] = [
    ("election.ballot10.single", "oz.castVote", "one secret ballot naming 10 (commit + reveal, alone) vs one public Governor vote"),
    ("election.ballot10.amortized", "oz.castVote", "one secret ballot naming 10, relayed in batches of 100 vs one public Governor vote"),
    ("council.open", "oz.propose", "open a motion vs propose one call"),
    ("council.vote", "oz.castVote", "one member's sealed weighted vote (commit + reveal) vs one Governor vote"),
    ("council.motion.full", "safe.exec_3of5", "a whole council decision (open, opinion, 5 votes, close) vs a 3-of-5 Safe transaction"),
    ("evidence.anchor", "eas.attest", "anchor a signed document vs an attestation (hash, trace code, version)"),
    ("evidence.amend", "eas.attest_ref", "a new version of a document vs an attestation referring to an earlier one"),
    ("merit.report.full", "safe.exec_3of5", "a merit report through every phase vs a 3-of-5 Safe transaction"),
]


# ------------------------------------------------------------------ running


class SectionAbsent(Exception):
    """The section's module is not installed (not merged yet)."""


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise SectionAbsent(f"module {name} is not installed") from None
        raise


def _function(module: ModuleType, names: tuple[str, ...]) -> Callable[..., Any]:
    for name in names:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    raise SectionAbsent(f"{module.__name__} has none of {', '.join(n + '()' for n in names)}")


def discover_gas_functions(module: ModuleType) -> list[Callable[[Chain], dict[str, Any]]]:
    """Public functions of ``module`` taking only a chain and returning ``dict[str, int]``."""
    found = []
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != module.__name__:
            continue
        sig = inspect.signature(fn)
        required = [p for p in sig.parameters.values() if p.default is inspect.Parameter.empty]
        if len(required) == 1 and "dict[str, int]" in str(sig.return_annotation):
            found.append(fn)
    return found


def run_section(section: GasSection, chain: Chain) -> Figures:
    """Run one gas section on ``chain`` in a snapshot that is rolled back afterwards."""
    module = _module(section.module)
    try:
        fns: list[Callable[..., Any]] = [_function(module, section.functions)]
    except SectionAbsent:
        fns = list(discover_gas_functions(module))
        if not fns:
            raise
    raw: dict[str, Any] = {}
    snap = chain.snapshot()
    saved = dict(chain.gas_used)
    try:
        for fn in fns:
            raw.update(fn(chain))
    finally:
        chain.revert_to(snap)
        chain.gas_used.clear()
        chain.gas_used.update(saved)
    return section.adapt(raw)


def _derived(gas: Figures) -> Figures:
    """Figures made of other figures (whole decisions), when all their parts are present."""
    out: Figures = {}
    if "council.motion.full" not in gas and all(k in gas for k in ("council.open", "council.vote", "council.opinion.warm", "council.close.passed.warm")):
        out["council.motion.full"] = gas["council.open"] + gas["council.opinion.warm"] + 5 * gas["council.vote"] + gas["council.close.passed.warm"]
    return out


def gas_table(chain: Chain, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Every registered gas section and the anchors on ``chain``.

    Returns ``{"gas": {...}, "anchors": {...}, "sections": {name: "ok" | reason}, "missing": [...],
    "ratios": [...], "chain": kind, "wall_seconds": {...}}``.
    """
    gas: Figures = {}
    anchors: Figures = {}
    sections: dict[str, str] = {}
    walls: dict[str, float] = {}
    missing: list[str] = []
    for section in [*GAS_SECTIONS, ANCHOR_SECTION]:
        progress(f"{section.name} on {chain.kind}")
        t0 = time.monotonic()
        try:
            figures = run_section(section, chain)
        except SectionAbsent as exc:
            sections[section.name] = f"absent: {exc}"
            continue
        walls[section.name] = round(time.monotonic() - t0, 2)
        sections[section.name] = "ok"
        missing += [k for k in section.required if k not in figures]
        if section is ANCHOR_SECTION:
            anchors = figures
        else:
            gas.update(figures)
    gas.update(_derived(gas))
    return {
        "chain": chain.kind,
        "gas": dict(sorted(gas.items())),
        "anchors": dict(sorted(anchors.items())),
        "ratios": ratios(gas, anchors),
        "sections": sections,
        "missing": missing,
        "wall_seconds": walls,
    }


def ratios(gas: Figures, anchors: Figures) -> list[dict[str, Any]]:
    """Ours / anchor for every pair of :data:`RATIOS` whose two figures were measured."""
    rows = []
    for ours, anchor, what in RATIOS:
        if ours in gas and anchor in anchors:
            rows.append({"ours": ours, "anchor": anchor, "what": what, "ours_gas": gas[ours], "anchor_gas": anchors[anchor], "ratio": round(gas[ours] / anchors[anchor], 2)})
    return rows


def run_scale(run: ScaleRun, chain: Chain, progress: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """One scale run on ``chain`` (raises :class:`SectionAbsent` if its module is not installed)."""
    fn = _function(_module(run.module), run.functions)
    kwargs = dict(run.kwargs)
    if "progress" in inspect.signature(fn).parameters:
        kwargs["progress"] = lambda s: progress(f"{run.name}: {s}")
    t0 = time.monotonic()
    result: dict[str, Any] = fn(chain, **kwargs)
    result.setdefault("wall_seconds", round(time.monotonic() - t0, 2))
    return result
