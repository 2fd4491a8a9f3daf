"""Every state-changing external function against every kind of account, checked against docs/access-matrix.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_utils import keccak, to_checksum_address
from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError

import council_kit
import evidence_kit
from election_kit import World, build_world
from zhili.core import artifacts
from zhili.core.chain import Chain, ContractRevert
from zhili.election.client import Phase
from zhili.persons.client import label_identity
from zhili.testing import ROLE_HOLDERS, Staff
from zhili.types import Office

DOC = Path(__file__).resolve().parents[1] / "docs" / "access-matrix.md"
ACCESS_ERRORS = {
    "JurisdictionRoleRequired", "AccessControlUnauthorizedAccount", "NotOwner", "NotSecretaryElect",
    "NotMember", "NotAuthorized", "NotSigner", "NotReviewer", "NotCommittee", "NotAuditor", "Unauthorized",
    "CallerNotAParty", "NotSupervisor", "NotAReporter", "NotLead", "NotMinutes", "NotHolder", "NotPersonKey",
    "NotInVillage", "VillageRoleRequired", "NotQuarters", "NotScrutiny", "NotOperator", "TimelockUnauthorizedCaller",
}  # fmt: skip


def matrix() -> dict[tuple[str, str], set[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*(\w+)\s*\|\s*(\w+)\s*\|\s*([\w, ]+)\s*\|$", line)
        if m and m.group(1) != "contract":
            rows[(m.group(1), m.group(2))] = {k.strip() for k in m.group(3).split(",")}
    return rows


def default_arg(param: dict[str, Any], who: str) -> Any:
    t = param["type"]
    if t.endswith("]"):  # T[] is empty, T[n] has n default elements
        inner, _, n = t[:-1].rpartition("[")
        return [] if n == "" else [default_arg({**param, "type": inner}, who) for _ in range(int(n))]
    if t.startswith("tuple"):
        return tuple(default_arg(c, who) for c in param["components"])
    if t.startswith("uint") or t.startswith("int"):
        return 0
    if t == "address":
        return who
    if t == "bool":
        return False
    if t.startswith("bytes") and t != "bytes":
        return keccak(text="zhili.role.AUDITOR")[: int(t[5:])]
    if t == "bytes":
        return b""
    if t == "string":
        return "x"
    raise NotImplementedError(t)


@pytest.fixture
def scene(session_chain: Chain) -> Iterator[dict[str, Any]]:
    chain = session_chain
    snap = chain.snapshot()
    w: World = build_world(chain)
    sealing = w.seal_elections()  # the jurisdiction's elections seal every round to five scrutineers (R-EL-13)
    registrar = chain.accounts[Staff.SECRETARIAT].address  # in this world the persons' registrar
    chain.transact(w.persons.functions.grantRole(keccak(text="zhili.role.REGISTRAR"), registrar))
    chain.transact(w.persons.functions.revokeRole(keccak(text="zhili.role.REGISTRAR"), chain.accounts[Staff.ADMIN].address))
    approver = Account.from_key(keccak(text="access matrix recovery approver")).address  # a second body (issue 17)
    chain.transact(w.persons.functions.grantRole(keccak(text="zhili.role.RECOVERY_APPROVER"), approver))
    # one election waiting in registration, one waiting for the administrator pick
    e1 = w.prepared(9)
    e2 = w.prepared(9, congress=5)
    e2.begin_stage1(Staff.AUTHORITY)
    e2.run_poll([w.ids[: 7 - v] for v in range(7)], Staff.AUTHORITY, Staff.RELAYER)
    e2.approve_list(Staff.UPPER)
    e2.run_poll([w.ids[: 5 - v] for v in range(5)], Staff.AUTHORITY, Staff.RELAYER)
    assert e2.phase == Phase.AWAITING_PICK
    sec = e2.offices()["secretary"]
    kinds = {"admin": w.address(Staff.ADMIN), "registrar": registrar, "recovery_approver": approver, "outsider": w.address(Staff.RELAYER)}
    kinds |= {role: w.address(who) for role, who in ROLE_HOLDERS.items()}
    kinds |= {"election": e1.contract.address, "secretary_elect": w.keys[sec].address}
    # a third election's stage 1 waits to be opened; its scrutineers are dealing (member 0 is `scrutineer`)
    e3 = w.prepared(9)
    e3.begin_stage1(Staff.AUTHORITY)
    sealing.scrutiny.name_panel(e3.box.address, 0, sealing.members, sealing.threshold, Staff.AUTHORITY)
    kinds |= {"scrutiny": sealing.scrutiny.contract.address, "scrutineer": sealing.members[0].key.address}
    # evidence: a ledger whose access log a records keeper anchors; handover 0 open (unsigned) with dispute 0
    keeper = to_checksum_address(keccak(text="records keeper")[:20])
    ew = evidence_kit.build_world(chain, keeper=keeper)
    oath = ew.handover.schedule_oath(ew.ids[0], 0, Staff.OATH)
    ew.handover.record_oath(oath, b"recording", Staff.OATH)
    checklist = {"credentials": ["seal"], "files": ["minutes"], "assets": ["car"], "work_items": ["road"]}
    ew.handover.open(oath, ew.ids[5], ew.ids[6], checklist, Staff.OATH)
    ew.handover.raise_dispute(0, "car", b"missing", False, ew.key(0))
    kinds["records_keeper"] = keeper
    # merit (R-MR-*, R-SU-*): the jurisdiction's ledger and succession order, the province's book
    from zhili import profiles
    from zhili.merit.client import MeritClient

    m = MeritClient.deploy(chain, w.jurisdiction, w.persons, profiles.load("township"))
    kinds |= {"merit_ledger": m.ledger.address, "succession": m.succession.address}
    # village (SPEC §9): a village of the jurisdiction with five persons of its own, one per village function
    from zhili.types import Role
    from zhili.village.client import COUNCIL, REPRESENTATIVE, SECRETARY, VillageClient, deploy_framework
    from zhili.village.profile import load as load_village

    office = Account.from_key(keccak(text="access matrix village office"))
    chain.transact(w.jurisdiction.functions.grantRole(Role.VILLAGE_OFFICE, office.address))
    chain.fund(office.address, 10**18)
    vil = VillageClient.deploy(chain, w.jurisdiction, w.persons, deploy_framework(chain, "district", load_village()), "village", office)
    for name, roles in (("village_secretary", SECRETARY), ("representative", REPRESENTATIVE), ("council_member", COUNCIL),
                        ("team_member", 0), ("villager", 0)):  # fmt: skip
        key = Account.from_key(keccak(text=f"access matrix {name}"))
        pid = keccak(text=f"access matrix person {name}")
        chain.transact(w.persons.functions.register(pid, key.address, label_identity(f"access matrix person {name}")), registrar)
        vil.set_member(pid, roles, 1 if name == "team_member" else 0, office)
        kinds[name] = key.address
    kinds |= {"village_office": office.address, "quarters": vil.quarters.address}
    # council (its own seated jurisdiction, built last so that motion 1 is still in its sealed vote):
    # motion 1 (strategic, the secretary leads) voting; appointment 0 a government member awaiting consent
    sec = Account.from_key(keccak(text="access matrix secretariat"))
    chain.fund(sec.address, 10**18)
    cw = council_kit.build_council_world(chain, secretariat=sec.address)
    cw.open_vote(cw.council.propose(cw.proposal(), sec))
    cw.team.propose_government_member(cw.ids[6], keccak(text="post"), keccak(text="nomination"), cw.key(Office.ADMINISTRATOR))
    kinds |= {
        "secretariat": sec.address, "member": cw.key(Office.SECRETARY).address,
        "administrator": cw.key(Office.ADMINISTRATOR).address, "team": cw.team.contract.address,
        "minutes": cw.council.minutes.address,
    }  # fmt: skip
    # the county CPPCC's vote on its recommended chair (R-EL-12): a county jurisdiction's session, roll empty
    from zhili.election.cppcc import CppccClient
    from zhili.jurisdiction import registry

    county = registry.deploy_jurisdiction(chain, profiles.load("county"), "330111", "余杭县", roles={r: [w.address(s)] for r, s in ROLE_HOLDERS.items()})
    cppcc = CppccClient.deploy(chain, county, w.persons, 1, admin=Staff.ADMIN)
    # the admin timelock of a deployment (issue 17): the organisation department proposes, the auditor's
    # account stands in for the executing body
    timelock = chain.deploy("AdminTimelock", 7 * 86400, [kinds["org_department"]], [kinds["auditor"]])
    contracts = {
        "AdminTimelock": timelock,
        "CppccConfirmation": cppcc.contract,
        "MeritLedger": m.ledger, "Succession": m.succession, "MeritBook": m.book,
        "Jurisdiction": w.jurisdiction, "PersonRegistry": w.persons, "Election": e1.contract, "BallotBox": e1.box,
        "EvidenceLedger": ew.ledger.contract, "Handover": ew.handover.contract, "MockCouncilDecisions": ew.decisions,
        "HandSeater": cw.hand.contract,
        "Council": cw.council.contract, "CouncilMinutes": cw.council.minutes, "TeamCompletion": cw.team.contract,
        "WorkCalendar": chain.contract("WorkCalendar", chain.call(w.jurisdiction.functions.calendar())),
        "VillageLedger": vil.ledger, "VillageQuarters": vil.quarters, "CreditSupermarket": vil.market,
        "Scrutiny": sealing.scrutiny.contract,
    }  # fmt: skip
    # council motion ids run from 1: motion acts are walked on motion 1 (other arguments keep their defaults)
    args = {("Council", name): {"id": 1} for name in ("close", "commit", "dispute", "reveal", "revealMany", "settleDispute", "stateOpinion", "voteDispute", "withdraw")}
    panel = {"box": e3.box.address, "round": 0, "dealer": 0, "accuser": 0, "member": 0, "person": sealing.members[0].person}
    args |= {("Scrutiny", name): panel for name in ("answer", "complain", "count", "deal", "fixKey", "namePanel", "publishShare", "setEncryptionKey")}
    yield {"chain": chain, "kinds": kinds, "contracts": contracts, "special": {("Election", "pickAdministrator"): e2.contract}, "args": args}
    chain.revert_to(snap)


def outcome(chain: Chain, fn: Any, who: str) -> str:
    try:
        fn.call({"from": who})
        return "allowed"
    except (ContractLogicError, ContractCustomError, ContractPanicError) as exc:
        err = chain._revert(exc)
        assert isinstance(err, ContractRevert)
        return "denied" if err.error in ACCESS_ERRORS else "allowed"


@pytest.mark.anvil_only  # calls are simulated from contract addresses and unfunded keys: anvil allows it, py-evm checks balances
def test_access_matrix(scene: dict[str, Any]) -> None:
    rows = matrix()
    chain, kinds = scene["chain"], scene["kinds"]
    shipped = set(artifacts.names())
    documented = {c for c, _ in rows}
    assert shipped <= documented, f"contracts without rows in docs/access-matrix.md: {shipped - documented}"
    mismatches = []
    checked = 0
    for cname, contract in scene["contracts"].items():
        for entry in artifacts.load(cname).abi:
            if entry["type"] != "function" or entry["stateMutability"] not in ("nonpayable", "payable"):
                continue
            name = entry["name"]
            assert (cname, name) in rows, f"{cname}.{name} has no row in docs/access-matrix.md"
            allowed = rows[(cname, name)]
            target = scene["special"].get((cname, name), contract)
            for kind, who in kinds.items():
                given = scene["args"].get((cname, name), {})
                args = [given.get(p["name"], default_arg(p, who)) for p in entry["inputs"]]
                got = outcome(chain, getattr(target.functions, name)(*args), who)
                want = "allowed" if ("anyone" in allowed or kind in allowed) else "denied"
                checked += 1
                if got != want:
                    mismatches.append(f"{cname}.{name} from {kind}: {got}, table says {want}")
    assert not mismatches, "\n".join(mismatches)
    assert checked >= 26 * len(kinds)
