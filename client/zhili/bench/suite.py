"""The benchmark as a list of registered sections (``zhili bench``, ``bench/run.py``; docs/benchmarks.md).

A *gas section* is a function ``(chain) -> {figure: gas}`` in a ``zhili.bench.election*`` module; a *scale run*
is a function ``(chain, **size) -> {"gas_total": …, "wall_seconds": …, …}``. Sections whose module is
not installed are reported as absent and their keys are left out, so a module that lands later is
picked up without touching this file beyond its registry line. Every figure is ``gasUsed`` of whole
transactions, amortized per item where its key says so.

The *anchors* (``zhili.bench.anchors``: OpenZeppelin Governor, EAS, Safe) run on the same chain in
the same run; :data:`RATIOS` pairs each zhili figure with the anchor doing the closest public
equivalent.
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ..core.chain import Chain

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
        return {k if k.startswith(prefix + ".") else f"{prefix}.{k}": v for k, v in flat.items() if not any(k.startswith(x) for x in exclude)}

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


def _merit(raw: dict[str, Any]) -> Figures:
    """Merit figures; ``merit.report.full`` is every transaction of one report's life.

    ``report_life`` gives one figure per step, the two reviewers' ``sealReview`` and ``openReview``
    averaged into one each; a report has two of each, so they are counted twice here.
    """
    out = _aliases("merit", {"merit.report.full": ("report.full", "total_one_report (citizen award)", "total_one_report")})(raw)
    steps = raw.get("steps")
    if "report.full" not in raw and isinstance(steps, Mapping) and "sealReview" in steps and "openReview" in steps:
        out["merit.report.full"] = sum(int(v) for v in steps.values()) + int(steps["sealReview"]) + int(steps["openReview"])
        out["merit.report.transactions"] = len(steps) + 2
    return out


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
    sizes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # per-chain overrides of kwargs

    def kwargs_for(self, chain_kind: str) -> dict[str, Any]:
        return {**self.kwargs, **self.sizes.get(chain_kind, {})}


# ------------------------------------------------------------------ the registry

GAS_SECTIONS: list[GasSection] = [
    GasSection(
        "election",
        "zhili.bench.election",
        ("election_ballots",),
        _prefixed("election"),
        ("election.ballot10.single", "election.ballot10.amortized", "election.ballot10.sealed", "election.credential.issue", "election.credential.register"),
    ),  # fmt: skip
    GasSection(
        "confirmations",
        "zhili.bench.election",
        ("confirmation_polls",),
        lambda raw: _flatten(raw),  # keys already name their contract: election.cppcc.*, team.confirmation.*
        ("election.cppcc.recommend", "election.cppcc.settle", "team.confirmation.open", "team.confirmation.settle"),
    ),
    GasSection(
        "council",
        "zhili.bench.council",
        ("council_gas",),
        _aliases(
            "council",
            {
                "council.open": ("open.warm", "open"),
                # whole transactions of one member: the sealed vote and the reveal in their own transaction
                "council.vote": ("vote.per_member.all_phases.own_reveal.warm", "vote"),
                # the way a meeting runs: five openings revealed in one batch, its gas shared by five
                "council.vote.batched_reveal.amortized": ("vote.per_member.all_phases.batched_reveal.warm",),
            },
        ),
        ("council.open", "council.vote"),
    ),
    GasSection(
        "evidence",
        "zhili.bench.evidence",
        ("evidence_gas", "anchor_gas"),
        _aliases("evidence", {"evidence.anchor": ("anchor",), "evidence.amend": ("amend", "amendment")}, exclude=("sample.",)),
        ("evidence.anchor", "evidence.amend"),
    ),
    GasSection("merit", "zhili.bench.merit", ("merit_gas", "report_life"), _merit, ("merit.report.full",)),
    GasSection("calendar", "zhili.bench.calendar", ("calendar_gas",), _prefixed("calendar"), ("calendar.publish_year", "calendar.deadline15")),
    GasSection("village", "zhili.bench.village", ("village_gas",), _prefixed("village"), ("village.declare", "village.verify", "village.publish_quarter", "village.redeem")),
]

ANCHOR_SECTION = GasSection(
    "anchors",
    "zhili.bench.anchors",
    ("anchors",),
    lambda raw: _flatten(raw),
    ("oz.propose", "oz.castVote", "eas.attest", "eas.attest_ref", "safe.exec_3of5"),
)

SCALE_RUNS: list[ScaleRun] = [
    ScaleRun(
        "county_election",
        "a county election: 40 candidates, 300 party delegates, 150 congress deputies, registration to seated offices",
        "zhili.bench.election",
        ("full_election",),
        {"candidates": 40, "delegates": 300, "deputies": 150},
        headline=("polls",),
    ),
    ScaleRun(
        "council_year",
        "a year of a township council: 200 motions in meetings of 10",
        "zhili.bench.council",
        ("council_year",),
        {"motions": 200},
        headline=("gas_per_motion", "passed"),
    ),
    ScaleRun(
        "documents_10k",
        "10,000 signed documents anchored in the evidence ledger, then verify and rebuild from events",
        "zhili.bench.evidence",
        ("documents", "scale"),
        {"n": 10_000},
        headline=("gas_per_anchor_median", "anchors_per_second", "verify_latency_ms_median", "rebuild_from_events_seconds"),
        # eth-tester finds a receipt by walking the blocks: 10,000 one-transaction blocks make it quadratic
        sizes={"embedded": {"n": 1_000}},
    ),
    ScaleRun(
        "reports_1k",
        "1,000 merit reports through the whole review",
        "zhili.bench.merit",
        ("reports", "many_reports"),
        {"n": 1_000},
        headline=("gas_per_report",),
        # MeritClient.finalize reads its case's logs from the deployment block, and eth-tester walks every
        # block to find logs: after 100 reports (1,100 blocks) one finalization takes 1.5 minutes
        sizes={"embedded": {"n": 10}},
    ),
    ScaleRun(
        "village_year",
        "a village of 1,500 through a year: two declarations per person per month, verified; four publications with objections; grades, claims, redemptions",
        "zhili.bench.village",
        ("village_year",),
        {"persons": 1_500},
        # on anvil (issue 18); eth-tester finds a receipt by walking the blocks, and the year is 50,000 transactions
        chains=("anvil",),
        headline=("declarations", "gas_per_person_year", "gas_per_declaration", "gas_per_verified_item", "publish_quarter_gas", "year_seconds"),
    ),
]

# (ours, anchor, what is compared)
RATIOS: list[tuple[str, str, str]] = [
    ("election.ballot10.single", "oz.castVote", "one secret ballot naming 10 (commit + reveal, alone) vs one public Governor vote"),
    ("election.ballot10.amortized", "oz.castVote", "one secret ballot naming 10, relayed in batches of 100 vs one public Governor vote"),
    ("council.open", "oz.propose", "open a motion vs propose one call"),
    ("council.vote", "oz.castVote", "one member's sealed weighted vote (commit + own reveal) vs one Governor vote"),
    ("council.vote.batched_reveal.amortized", "oz.castVote", "the same with the five reveals in one batch (per member) vs one Governor vote"),
    ("council.motion.full", "safe.exec_3of5", "a whole council decision (open, opinion, 5 sealed votes, batch reveal, close) vs a 3-of-5 Safe transaction"),
    ("evidence.anchor", "eas.attest", "anchor a signed document vs an attestation (hash, trace code, version)"),
    ("evidence.amend", "eas.attest_ref", "a new version of a document vs an attestation referring to an earlier one"),
    ("merit.report.full", "eas.attest", "a merit report's whole life (filed, two sealed reviews, re-check, proposal, vote, publication, final) vs one attestation"),
]


# ------------------------------------------------------------------ running


class SectionAbsent(Exception):
    """The section's module is not installed (not merged yet), or what it deploys is not shipped."""


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
    parts = ("council.open", "council.opinion.warm", "council.commit.warm", "council.reveal.batch5.per_member.warm", "council.close.passed.warm")
    if "council.motion.full" not in gas and all(k in gas for k in parts):
        # open, lead opinion, five sealed votes, one batch of five reveals, close (steady state)
        open_, opinion, commit, reveal, close = (gas[k] for k in parts)
        out["council.motion.full"] = open_ + opinion + 5 * commit + 5 * reveal + close
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
    kwargs = run.kwargs_for(chain.kind)
    if "progress" in inspect.signature(fn).parameters:
        kwargs["progress"] = lambda s: progress(f"{run.name}: {s}")
    t0 = time.monotonic()
    result: dict[str, Any] = fn(chain, **kwargs)
    result.setdefault("wall_seconds", round(time.monotonic() - t0, 2))
    return result


# ------------------------------------------------------------------ capacity on a QBFT network

QBFT = {"block_gas": 30_000_000, "block_seconds": 2}
SECONDS_PER_YEAR = 365 * 24 * 3600

# What a province of 1,000 townships does (docs/benchmarks.md states why each number was chosen).
PROVINCE: dict[str, Any] = {
    "townships": 1_000,
    "motions_per_township_year": 200,  # the council_year scale run: about four a week
    "documents_per_motion": 3,  # decision, implementation record, a later amendment or supplement
    "other_documents_per_township_year": 1_400,  # notices, minutes, contracts: about 6 a working day
    "reports_per_township_year": 100,  # merit reports: citizen and cadre reports together
    "ballots_per_township_term": 500,  # 150 party delegates x 2 stage-1 polls + 60 deputies x 3 stage-2 polls, rounded up
    "term_years": 5,
    "election_days": 1,  # every township votes in the same season: the peak is one day
}

# What a county of 300 villages does with the village scheme (issue 18; docs/benchmarks.md).
COUNTY: dict[str, Any] = {
    "villages": 300,
    "persons_per_village": 1_500,  # the village_year scale run's village
    "declarations_per_person_month": 2,
    "declare_workdays": 5,  # the manual's window after a month (profiles/village.yaml): when a month's declarations arrive
}

# activity -> (figure used per item, fallback figure)
CAPACITY_ITEMS: list[tuple[str, str, tuple[str, ...]]] = [
    ("ballot (10 names, batched)", "ballots", ("election.ballot10.amortized",)),
    ("ballot (10 names, alone)", "", ("election.ballot10.single",)),
    ("council motion, all phases", "motions", ("scale.council_year.gas_per_motion", "council.motion.full")),
    ("council vote (one member)", "", ("council.vote",)),
    ("document anchored", "documents", ("evidence.anchor",)),
    ("document amended", "", ("evidence.amend",)),
    ("merit report, every phase", "reports", ("merit.report.full",)),
    ("anchor: Governor castVote", "", ("oz.castVote",)),
    ("anchor: EAS attest", "", ("eas.attest",)),
    ("anchor: Safe 3-of-5 exec", "", ("safe.exec_3of5",)),
]


def capacity(figures: Mapping[str, int], province: Mapping[str, Any] = PROVINCE, net: Mapping[str, int] = QBFT) -> dict[str, Any]:
    """Items per 30M-gas block and per second, and the province's yearly load on one QBFT chain.

    ``figures`` holds gas per item (the gas table, anchors, and ``scale.<run>.<key>`` figures).
    """
    per_second_gas = net["block_gas"] / net["block_seconds"]
    rows = []
    per_item: dict[str, int] = {}
    for what, load, keys in CAPACITY_ITEMS:
        key = next((k for k in keys if k in figures), None)
        if key is None:
            continue
        gas = int(figures[key])
        if load:
            per_item[load] = gas
        rows.append({"item": what, "figure": key, "gas": gas, "per_block": net["block_gas"] // gas, "per_second": round(per_second_gas / gas, 1)})
    t = province["townships"]
    yearly = {
        "motions": t * province["motions_per_township_year"],
        "documents": t * (province["motions_per_township_year"] * province["documents_per_motion"] + province["other_documents_per_township_year"]),
        "reports": t * province["reports_per_township_year"],
        "ballots": t * province["ballots_per_township_term"] / province["term_years"],
    }
    capacity_year = per_second_gas * SECONDS_PER_YEAR
    load_rows = []
    for what, n in yearly.items():
        if what not in per_item:
            continue
        gas = n * per_item[what]
        load_rows.append({"activity": what, "per_year": int(n), "gas_per_item": per_item[what], "gas_per_year": int(gas), "share_of_chain": round(gas / capacity_year, 5)})
    out: dict[str, Any] = {"network": dict(net), "province": dict(province), "items": rows, "province_load": load_rows}
    if load_rows:
        total = sum(r["gas_per_year"] for r in load_rows)
        out["province_total"] = {"gas_per_year": total, "share_of_chain": round(total / capacity_year, 5), "average_gas_per_block": int(total / (SECONDS_PER_YEAR / net["block_seconds"]))}
    if "ballots" in per_item:
        peak = t * province["ballots_per_township_term"] * per_item["ballots"]
        out["election_peak"] = {
            "ballots": t * province["ballots_per_township_term"],
            "gas": peak,
            "blocks": -(-peak // net["block_gas"]),
            "hours_of_full_blocks": round(peak / per_second_gas / 3600, 2),
            "share_of_the_day": round(peak / per_second_gas / (86_400 * province["election_days"]), 4),
        }
    county_out = county(figures, COUNTY, net)
    if county_out:
        out["county_villages"] = county_out
    return out


def county(figures: Mapping[str, int], c: Mapping[str, Any] = COUNTY, net: Mapping[str, int] = QBFT) -> dict[str, Any]:
    """A county's villages on one QBFT chain: the yearly load and the monthly declaration peak.

    Per person and year it takes the ``village_year`` scale run's measured figure; without the run,
    the gas table's per-item figures (24 declarations and verifications, four publications, a
    grade, a redemption: ``"from": "gas table"``). Empty when neither was measured.
    """
    per_second_gas = net["block_gas"] / net["block_seconds"]
    persons = c["villages"] * c["persons_per_village"]
    decl_month = persons * c["declarations_per_person_month"]
    if "scale.village_year.gas_per_person_year" in figures:
        source = "scale.village_year"
        per_person = int(figures["scale.village_year.gas_per_person_year"])
        declare = int(figures["scale.village_year.gas_per_declaration"])
        verify = int(figures["scale.village_year.gas_per_verified_item"])
        publish = int(figures["scale.village_year.gas_per_person_publication"])
    elif all(k in figures for k in ("village.declare", "village.verify", "village.publish_quarter")):
        source = "gas table"
        declare, verify, publish = (int(figures[k]) for k in ("village.declare", "village.verify", "village.publish_quarter"))
        per_person = 12 * c["declarations_per_person_month"] * (declare + verify) + 4 * publish + int(figures.get("village.grade.per_person", 0)) + int(figures.get("village.redeem", 0))
    else:
        return {}
    year_gas = persons * per_person
    month_gas = decl_month * (declare + verify)
    quarter_gas = persons * publish
    out: dict[str, Any] = {
        "county": dict(c),
        "from": source,
        "persons": persons,
        "gas_per_person_year": per_person,
        "gas_per_year": year_gas,
        "share_of_chain": round(year_gas / (per_second_gas * SECONDS_PER_YEAR), 5),
        "average_gas_per_block": int(year_gas / (SECONDS_PER_YEAR / net["block_seconds"])),
        "month": {
            "declarations": decl_month,
            "gas": month_gas,
            "blocks": -(-month_gas // net["block_gas"]),
            "hours_of_full_blocks": round(month_gas / per_second_gas / 3600, 2),
            # the month's declarations and verifications spread over the window's working days (8 hours each)
            "share_of_the_window": round(month_gas / per_second_gas / (c["declare_workdays"] * 8 * 3600), 4),
            "declarations_per_second_in_the_window": round(decl_month / (c["declare_workdays"] * 8 * 3600), 1),
        },
        "quarter_publication": {"gas": quarter_gas, "blocks": -(-quarter_gas // net["block_gas"]), "minutes_of_full_blocks": round(quarter_gas / per_second_gas / 60, 1)},
    }
    if "scale.village_year.transactions_per_person_year" in figures:
        out["transactions_per_year"] = persons * int(figures["scale.village_year.transactions_per_person_year"])
    return out


def capacity_figures(gas_result: Mapping[str, Any], scale: Mapping[str, Any] | None = None, chain: str = "anvil") -> dict[str, int]:
    """The gas per item that :func:`capacity` reads: gas table, anchors, and per-item scale figures."""
    figures: dict[str, int] = {**gas_result.get("gas", {}), **gas_result.get("anchors", {})}
    for name, entry in (scale or {}).items():
        r = entry.get(chain) if isinstance(entry, Mapping) else None
        if isinstance(r, Mapping):
            for k, v in r.items():
                if isinstance(v, int) and not isinstance(v, bool) and (k.startswith(("gas_per", "transactions_per")) or k.endswith("_per_item")):
                    figures[f"scale.{name}.{k}"] = v
    return figures
