"""Deploy and read a jurisdiction registry (``contracts/registry/Jurisdiction.sol``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3.contract import Contract

from .. import profiles as _profiles
from ..core.chain import Chain, ContractRevert, connect
from ..types import Category, Office
from ..types import role_id as role_id_of

ZERO_ADDRESS = "0x" + "00" * 20

#: External roles of SPEC section 0, by the names used in profiles, scenarios and the CLI.
ROLES = (
    "election_authority",
    "vetting_board",
    "upper_committee",
    "merit_committee",
    "org_department",
    "oath_supervisor",
    "auditor",
)
#: Roles a jurisdiction's admin may grant besides those of SPEC section 0: the council's secretariat,
#: which proposes motions (R-WD-3; a [decision], see docs/council.md).
EXTRA_ROLES = ("secretariat",)
PARAM_FIELDS = (
    "kind", "profileHash", "threshold", "stage1MaxNames", "stage1Advance", "stage1MinCandidates",
    "elected", "secretaryTermLimit", "pathOneTopRank", "vettingDimensions", "oathWorkingDays", "handoverHours",
    "transitionDays", "lookbackDays", "disputeEscalationWorkingDays", "appealWorkingDays",
    "appealAnswerWorkingDays", "warningDemerit", "resignDemerit", "overtakeMargin",
    "minRegisterSeconds", "minCastSeconds", "minCountSeconds", "maxPollSeconds", "openWithinSeconds",
    "scrutineers", "scrutinyThreshold",
)  # fmt: skip


def role_id(role: str) -> bytes:
    """The on-chain role id of an external role name (``"auditor"`` -> ``Role.AUDITOR``, zhili.types)."""
    if role not in ROLES + EXTRA_ROLES and role != "office_writer":
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES + EXTRA_ROLES}")
    return role_id_of(role.upper())


@dataclass(frozen=True)
class JurisdictionView:
    address: str
    code: str
    name: str
    params: dict[str, Any]
    weights: list[list[int]]
    holders: dict[str, str | None]
    calendar: str = ""

    def as_json(self) -> dict[str, Any]:
        params = {k: ("0x" + v.hex() if isinstance(v, bytes) else v) for k, v in self.params.items()}
        return {
            "address": self.address,
            "code": self.code,
            "name": self.name,
            "params": params,
            "weights": {c.key: self.weights[c] for c in Category},
            "offices": self.holders,
            "calendar": self.calendar,
        }


def deploy_jurisdiction(
    chain: Chain,
    profile: _profiles.Profile,
    code: str,
    name: str,
    *,
    admin: int | str | None = None,
    roles: dict[str, list[str]] | None = None,
    calendar: str | None = None,
) -> Contract:
    """Deploy a :class:`Jurisdiction` from ``profile`` and grant the external roles.

    ``admin`` (default: the deployer) may grant and revoke roles; ``roles`` maps role names of
    :data:`ROLES` to the addresses that hold them. ``calendar`` is the province's ``WorkCalendar``;
    without one, a calendar administered by ``admin`` is deployed and every year from the chain's
    current one that the installed ``chinese-calendar`` covers is published.
    """
    from ..calendar.client import CalendarClient

    admin_acct = chain.account(admin)
    args = (code, name, profile.chain_params(), profile.weight_matrix())
    if calendar is None:
        dry_run(chain, admin_acct.address, args)  # nothing is sent for a jurisdiction the contract refuses
        cal = CalendarClient.deploy(chain, admin=admin_acct)
        cal.publish_covered(admin_acct)
        calendar = cal.address
    contract = chain.deploy("Jurisdiction", admin_acct.address, calendar, *args, label="registry.deploy")
    for role, holders in (roles or {}).items():
        for holder in holders:
            chain.transact(contract.functions.grantRole(role_id(role), holder), admin_acct, label="registry.grantRole")
    return contract


def dry_run(chain: Chain, admin: str, args: tuple[Any, ...]) -> None:
    """Simulate the constructor without a calendar: any refusal other than the missing calendar
    (which the constructor checks last) is the jurisdiction's own and is raised."""
    try:
        chain.call_constructor("Jurisdiction", admin, ZERO_ADDRESS, *args, sender=admin)
    except ContractRevert as exc:
        if exc.error != "NoCalendar":
            raise


def read_jurisdiction(chain: Chain, contract: Contract) -> JurisdictionView:
    f = contract.functions
    params = dict(zip(PARAM_FIELDS, chain.call(f.params())))
    holders = chain.call(f.holders())
    return JurisdictionView(
        address=contract.address,
        code=chain.call(f.code()),
        name=chain.call(f.name()),
        params=params,
        weights=[list(row) for row in chain.call(f.weights())],
        holders={o.key: ("0x" + h.hex() if any(h) else None) for o, h in zip(Office, holders)},
        calendar=chain.call(f.calendar()),
    )


def validate(profile: _profiles.Profile) -> list[str]:
    """Rule problems the contract itself reports for ``profile`` (dry-run deploy on an embedded chain)."""
    with connect("embedded") as chain:
        try:
            dry_run(chain, chain.account(None).address, ("DRY-RUN", "dry run", profile.chain_params(), profile.weight_matrix()))
        except ContractRevert as exc:
            return [exc.message]
    return []
