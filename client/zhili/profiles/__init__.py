"""Jurisdiction profiles (township, county) shipped as data, and their validation.

A profile file is checked in two layers, so that no rule is written twice:

* :func:`check_schema` (here): every field present, of the right type and range to be encoded
  on chain; field-level messages such as ``weights.livelihood: expected 5 weights, got 4``.
* the :class:`Jurisdiction` contract's constructor owns the rules (no single weight reaches the
  threshold, R-WD-2; consistent election sizes, R-EL-2): :func:`validate` dry-runs it on an
  in-process chain and reports its custom error with the rule ID.

:func:`validate` also *reports* facts that are legal but notable (e.g. the township
``livelihood`` row summing to 340 while the others sum to 300), without refusing them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import keccak

from ..core.files import read_yaml
from ..errors import InputError
from ..types import CORE_OFFICES, Category, Office, ProfileKind, role_id

PROFILE_DIR = Path(__file__).resolve().parent
BUILTIN = ("township", "county")

UINT8 = (0, 2**8 - 1)
UINT16 = (0, 2**16 - 1)
#: Roles a profile may name in ``document_roles`` (SPEC section 0's bodies that direct a jurisdiction).
_DOCUMENT_ROLES = ("upper_committee", "org_department")
UINT32 = (0, 2**32 - 1)
_ELECTION = {
    "stage1_max_names": UINT8,
    "stage1_advance": UINT8,
    "stage1_min_candidates": UINT8,
    "elected": UINT8,
    "secretary_term_limit": UINT8,
    "path_one_top_rank": UINT8,
    "scrutineers": UINT8,  # R-EL-13: the panel; its rule (majority, 2 ≤ threshold, ≤ 16) is the Jurisdiction constructor's
    "scrutiny_threshold": UINT8,
}
#: poll windows (``IJurisdiction.Params``, ``IBallotBox.PollLimits``), seconds; their consistency
#: (minimums within the maximum) is the ``Jurisdiction`` constructor's (``InvalidPollLimits``, R-EL-7)
_POLLS = {
    "min_register_seconds": UINT32,
    "min_cast_seconds": (1, UINT32[1]),
    "min_count_seconds": (1, UINT32[1]),
    "max_poll_seconds": (1, UINT32[1]),
    "open_within_seconds": (1, UINT32[1]),
}
_DEADLINES = {
    "oath_working_days": UINT8,
    "handover_hours": UINT16,
    "transition_days": UINT16,
    "lookback_days": UINT16,
    "dispute_escalation_working_days": UINT8,
    "appeal_working_days": UINT8,
    "appeal_answer_working_days": UINT8,
    "admin_delay_days": (1, 365),
}
_MERIT = {"warning_demerit": UINT16, "resign_demerit": UINT16, "overtake_margin": UINT16, "assessment_cycle_days": (1, (2**32 - 1) // 86400)}
#: ``Council`` window limits (``ICouncil.WindowLimits``), seconds: 1 … 90 days (the council's ``MAX_WINDOW``)
_COUNCIL = {"min_classify_seconds": (1, 90 * 86400), "min_vote_seconds": (1, 90 * 86400), "min_reveal_seconds": (1, 90 * 86400), "opinion_seconds": (1, 90 * 86400)}


class ProfileError(InputError, ValueError):
    """A profile file is malformed; ``problems`` lists ``field: problem`` strings."""

    prefix = "error"

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"invalid profile {source}:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Profile:
    """A loaded profile: the raw data plus what the chain needs."""

    data: dict[str, Any]
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> ProfileKind:
        return ProfileKind.from_key(self.data["kind"])

    @property
    def threshold(self) -> int:
        return int(self.data["threshold"])

    def weight_row(self, category: Category) -> list[int]:
        return [int(w) for w in self.data["weights"][category.key]]

    def weight_matrix(self) -> list[list[int]]:
        """``weights[category][office]`` in enum order, as the contract takes it."""
        return [self.weight_row(c) for c in Category]

    def office_label(self, office: Office, lang: str = "zh") -> str:
        return str(self.data["offices"][office.key][lang])

    def category_label(self, category: Category, lang: str = "zh") -> str:
        return str(self.data["categories"][category.key][lang])

    @property
    def hash(self) -> bytes:
        """keccak256 of the canonical JSON of the profile (stored on chain)."""
        canonical = json.dumps(self.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return keccak(canonical.encode("utf-8"))

    def council_limits(self) -> tuple[int, int, int, int]:
        """The ``Council`` constructor's ``WindowLimits``: shortest classification, vote and reveal
        windows and the lead's opinion deadline, in seconds (R-WD-3 … R-WD-5)."""
        c = self.data["council"]
        return (int(c["min_classify_seconds"]), int(c["min_vote_seconds"]), int(c["min_reveal_seconds"]), int(c["opinion_seconds"]))

    def document_roles(self) -> list[bytes]:
        """Per category (enum order), the role whose holders may sign new versions of any document
        of it (``document_roles``, R-DOC-4; a [decision], docs/evidence.md); zero bytes: none."""
        table = self.data.get("document_roles") or {}
        return [role_id(str(table[c.key]).upper()) if table.get(c.key) else b"\0" * 32 for c in Category]

    @property
    def admin_delay_seconds(self) -> int:
        """Issue 17: the shortest delay between scheduling an admin action on the deployment's
        ``AdminTimelock`` and carrying it out (``deadlines.admin_delay_days``, calendar days)."""
        return int(self.data["deadlines"]["admin_delay_days"]) * 86400

    @property
    def succession_head(self) -> list[Office]:
        """R-SU-1: the offices whose holders head the order, first successor first (``succession``)."""
        return [Office.from_key(k) for k in self.data["succession"]]

    @property
    def min_cycle_seconds(self) -> int:
        """R-SU-5: the shortest assessment cycle, in seconds (``merit.assessment_cycle_days``, calendar days)."""
        return int(self.data["merit"]["assessment_cycle_days"]) * 86400

    def chain_params(self) -> tuple[Any, ...]:
        """The ``Jurisdiction.Params`` tuple, in the struct's field order."""
        e, d, m = self.data["election"], self.data["deadlines"], self.data["merit"]
        return (
            int(self.kind),
            self.hash,
            self.threshold,
            e["stage1_max_names"],
            e["stage1_advance"],
            e["stage1_min_candidates"],
            e["elected"],
            e["secretary_term_limit"],
            e["path_one_top_rank"],
            len(self.data["vetting_dimensions"]),
            d["oath_working_days"],
            d["handover_hours"],
            d["transition_days"],
            d["lookback_days"],
            d["dispute_escalation_working_days"],
            d["appeal_working_days"],
            d["appeal_answer_working_days"],
            m["warning_demerit"],
            m["resign_demerit"],
            m["overtake_margin"],
            *self.poll_limits(),
            *self.scrutiny_panel(),
        )

    def scrutiny_panel(self) -> tuple[int, int]:
        """``(scrutineers, threshold)`` of every poll's panel (``election`` section, R-EL-13): the
        ``Jurisdiction`` constructor checks the rule (``InvalidScrutinyPanel``), ``Scrutiny`` enforces the numbers."""
        e = self.data["election"]
        return int(e["scrutineers"]), int(e["scrutiny_threshold"])

    def poll_limits(self) -> tuple[int, int, int, int, int]:
        """The ``IBallotBox.PollLimits`` (``election`` section, seconds, R-EL-7): shortest registration,
        casting and counting windows, the longest window, and the opening deadline after scheduling."""
        e = self.data["election"]
        return tuple(int(e[k]) for k in _POLLS)  # type: ignore[return-value]


def _int_in(problems: list[str], where: str, value: Any, bounds: tuple[int, int]) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(f"{where}: expected an integer, got {value!r}")
    elif not bounds[0] <= value <= bounds[1]:
        problems.append(f"{where}: {value} is outside {bounds[0]}..{bounds[1]}")


def _labels(problems: list[str], data: dict[str, Any], section: str, keys: list[str]) -> None:
    table = data.get(section)
    if not isinstance(table, dict):
        problems.append(f"{section}: missing (a table of {', '.join(keys)})")
        return
    for k in keys:
        entry = table.get(k)
        if not isinstance(entry, dict) or not entry.get("zh") or not entry.get("en"):
            problems.append(f"{section}.{k}: needs both a 'zh' and an 'en' label")
    for k in table:
        if k not in keys:
            problems.append(f"{section}.{k}: unknown key; expected one of {keys}")


def check_schema(data: Any) -> list[str]:
    """Field-level problems of a profile's shape and ranges (empty list: fine)."""
    if not isinstance(data, dict):
        return [f"<root>: expected a mapping, got {type(data).__name__}"]
    problems: list[str] = []
    kinds = [k.key for k in ProfileKind]
    if data.get("kind") not in kinds:
        problems.append(f"kind: expected one of {kinds}, got {data.get('kind')!r}")
    _labels(problems, data, "offices", [o.key for o in Office])
    _labels(problems, data, "categories", [c.key for c in Category])
    weights = data.get("weights")
    if not isinstance(weights, dict):
        problems.append("weights: missing (one row of 5 weights per category)")
    else:
        for c in Category:
            row = weights.get(c.key)
            if not isinstance(row, list) or len(row) != len(CORE_OFFICES):
                got = len(row) if isinstance(row, list) else repr(row)
                problems.append(f"weights.{c.key}: expected {len(CORE_OFFICES)} weights, got {got}")
                continue
            for o, w in zip(CORE_OFFICES, row):
                _int_in(problems, f"weights.{c.key}[{o.key}]", w, UINT16)
        for k in weights:
            if k not in [c.key for c in Category]:
                problems.append(f"weights.{k}: unknown category")
    _int_in(problems, "threshold", data.get("threshold"), UINT16)
    _int_in(problems, "dispute_majority_over", data.get("dispute_majority_over"), UINT16)
    dims = data.get("vetting_dimensions")
    if not isinstance(dims, list) or not dims or not all(isinstance(d, dict) and d.get("key") for d in dims):
        problems.append("vetting_dimensions: expected a non-empty list of {key, zh, en}")
    elif len(dims) > 8:
        problems.append(f"vetting_dimensions: at most 8 dimensions fit on chain, got {len(dims)}")
    doc_roles = data.get("document_roles", {})
    if not isinstance(doc_roles, dict):
        problems.append("document_roles: expected a mapping of category to role name")
    else:
        for k, v in doc_roles.items():
            if k not in [c.key for c in Category]:
                problems.append(f"document_roles.{k}: unknown category")
            elif v is not None and v not in _DOCUMENT_ROLES:
                problems.append(f"document_roles.{k}: expected one of {list(_DOCUMENT_ROLES)}, got {v!r}")
    for section, spec in (("election", _ELECTION), ("deadlines", _DEADLINES), ("merit", _MERIT), ("council", _COUNCIL)):
        table = data.get(section)
        if not isinstance(table, dict):
            problems.append(f"{section}: missing")
            continue
        if section == "election":
            spec = {**spec, **_POLLS}
        for key, bounds in spec.items():
            if key not in table:
                problems.append(f"{section}.{key}: missing")
            else:
                _int_in(problems, f"{section}.{key}", table[key], bounds)
    head = data.get("succession")
    offices = [o.key for o in Office]
    if not isinstance(head, list) or not all(isinstance(k, str) and k in offices for k in head):
        problems.append(f"succession: expected a list of office keys ({', '.join(offices)}), got {head!r}")
    return problems


def notes(profile: Profile) -> list[str]:
    """Legal but notable facts worth reporting (never a reason to refuse)."""
    out = []
    totals = {c.key: sum(profile.weight_row(c)) for c in Category}
    common = max(set(totals.values()), key=list(totals.values()).count)
    for key, total in totals.items():
        if total != common:
            out.append(f"weights.{key}: row sums to {total}, the other rows to {common} (kept as the source says, R-WD-1)")
    strategic = totals[Category.STRATEGIC.key]
    if profile.data["dispute_majority_over"] != strategic // 2:
        out.append(f"dispute_majority_over: {profile.data['dispute_majority_over']} is not half of the strategic row ({strategic}), R-WD-3")
    return out


def load(name_or_path: str | Path) -> Profile:
    """Load a built-in profile by name (``township``, ``county``) or a YAML file; checks the schema."""
    path = Path(name_or_path)
    if str(name_or_path) in BUILTIN:
        path = PROFILE_DIR / f"{name_or_path}.yaml"
    data = read_yaml(path, "profile", ProfileError, shown=str(name_or_path))
    problems = check_schema(data)
    if problems:
        raise ProfileError(str(path), problems)
    profile = Profile(data=data, source=str(path))
    profile.notes.extend(notes(profile))
    return profile
