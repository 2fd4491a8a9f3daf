"""Jurisdiction registry (contracts/registry/Jurisdiction.sol) on both chains."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from zhili import profiles
from zhili.core.chain import Chain, ContractRevert
from zhili.jurisdiction import registry
from zhili.testing import ROLE_HOLDERS, HandSeater, Staff
from zhili.types import Category, Office

PERSON_A = keccak(text="person-a")
PERSON_B = keccak(text="person-b")


def _writer(chain: Chain, jurisdiction) -> HandSeater:  # type: ignore[no-untyped-def]
    """A test-only hand seater bound to ``jurisdiction`` (stands in for the election contract), granted
    OFFICE_WRITER by the admin: writer roles go only to contracts bound to the jurisdiction (R-EL-11)."""
    writer = HandSeater.deploy(chain, jurisdiction, operator=Staff.RELAYER)
    writer.grant(jurisdiction, registry.role_id("office_writer"))
    return writer


def test_profile_parameters_readable_on_chain(chain: Chain, jurisdiction, township: profiles.Profile) -> None:
    # R-WD-1, R-WD-2, R-EL-2, R-TL-1: the profile's numbers are what the chain holds
    view = registry.read_jurisdiction(chain, jurisdiction)
    assert view.code == "330110-001" and view.name == "良渚镇"
    assert view.weights == township.weight_matrix()
    assert view.params["threshold"] == 160
    assert view.params["profileHash"] == township.hash
    assert tuple(view.params.values()) == township.chain_params()
    assert chain.call(jurisdiction.functions.weight(Category.LIVELIHOOD, Office.ADMINISTRATOR)) == 100
    assert chain.call(jurisdiction.functions.weight(Category.STRATEGIC, Office.DISCIPLINE_DEPUTY)) == 0
    assert chain.call(jurisdiction.functions.weightRow(Category.LIVELIHOOD)) == [80, 60, 60, 40, 100]
    assert all(h is None for h in view.holders.values())


def test_county_profile_deploys(chain: Chain, county: profiles.Profile) -> None:
    j = registry.deploy_jurisdiction(chain, county, "330100", "某县")
    view = registry.read_jurisdiction(chain, j)
    assert view.params["kind"] == 1 and view.params["oathWorkingDays"] == 5  # R-DOC-6 county: 5
    assert view.weights[Category.LIVELIHOOD] == [80, 60, 40, 20, 100]


def test_external_roles_granted(chain: Chain, jurisdiction) -> None:
    # SPEC section 0: each external role is held by the account the deployment named
    assert set(ROLE_HOLDERS) == set(registry.ROLES)
    for role, who in ROLE_HOLDERS.items():
        assert chain.call(jurisdiction.functions.hasRole(registry.role_id(role), chain.accounts[who].address))
        assert not chain.call(jurisdiction.functions.hasRole(registry.role_id(role), chain.accounts[Staff.RELAYER].address))


def test_creation_event_carries_the_whole_profile(chain: Chain, jurisdiction, township: profiles.Profile) -> None:
    # rebuild from logs: JurisdictionCreated alone gives code, name, params and weights
    (ev,) = jurisdiction.events.JurisdictionCreated().get_logs(from_block=0)
    assert ev.args.code == "330110-001"
    assert tuple(ev.args.params.values()) == township.chain_params()
    assert [list(r) for r in ev.args.weights] == township.weight_matrix()


def test_weight_reaching_threshold_is_refused(chain: Chain, township: profiles.Profile) -> None:
    # R-WD-2: no member alone can pass a motion
    data = {**township.data, "weights": {**township.data["weights"], "discipline": [80, 160, 60, 40, 20]}}
    with pytest.raises(ContractRevert) as e:
        registry.deploy_jurisdiction(chain, profiles.Profile(data, "test"), "X", "x")
    assert e.value.error == "WeightReachesThreshold" and e.value.rule == "R-WD-2"
    assert e.value.args_by_name == {"category": 1, "office": 1, "weight": 160, "threshold": 160}


def test_unreachable_threshold_is_refused(chain: Chain, township: profiles.Profile) -> None:
    # R-WD-2: a threshold no vote can reach would freeze the council
    data = {**township.data, "threshold": 159, "weights": {**township.data["weights"], "strategic": [50, 40, 30, 20, 10]}}
    with pytest.raises(ContractRevert) as e:
        registry.deploy_jurisdiction(chain, profiles.Profile(data, "test"), "X", "x")
    assert e.value.error == "ThresholdUnreachable" and e.value.args_by_name["rowTotal"] == 150


def test_inconsistent_election_sizes_are_refused(chain: Chain, township: profiles.Profile) -> None:
    # R-EL-2: a contested stage 1 needs more candidates than places
    data = {**township.data, "election": {**township.data["election"], "stage1_min_candidates": 7}}
    with pytest.raises(ContractRevert) as e:
        registry.deploy_jurisdiction(chain, profiles.Profile(data, "test"), "X", "x")
    assert e.value.error == "InvalidElectionSizes" and e.value.rule == "R-EL-2"


def test_offices_written_only_by_office_writer(chain: Chain, jurisdiction) -> None:
    # R-EL-11: nobody assigns an office by hand, not even the admin or the election authority
    for who in (0, 1):
        with pytest.raises(ContractRevert) as e:
            chain.transact(jurisdiction.functions.seat(Office.SECRETARY, PERSON_A), who)
        assert e.value.error == "AccessControlUnauthorizedAccount"
    assert chain.call(jurisdiction.functions.holder(Office.SECRETARY)) == b"\0" * 32


def test_seat_and_vacate(chain: Chain, jurisdiction) -> None:
    # R-OF-1, R-TC-3
    writer = _writer(chain, jurisdiction)
    r = writer.seat(Office.SECRETARY, PERSON_A)
    (ev,) = jurisdiction.events.OfficeSeated().process_receipt(r)
    assert ev.args.office == Office.SECRETARY and ev.args.personId == PERSON_A
    assert chain.call(jurisdiction.functions.officeOf(PERSON_A)) == [True, Office.SECRETARY]

    with pytest.raises(ContractRevert) as e:  # one person, one office
        writer.seat(Office.CONGRESS, PERSON_A)
    assert e.value.error == "AlreadyInOffice"
    with pytest.raises(ContractRevert) as e:  # an office, one holder
        writer.seat(Office.SECRETARY, PERSON_B)
    assert e.value.error == "OfficeOccupied" and e.value.rule == "R-TC-3"

    r = writer.vacate(Office.SECRETARY, keccak(text="removed"))
    (ev,) = jurisdiction.events.OfficeVacated().process_receipt(r)
    assert ev.args.personId == PERSON_A and ev.args.reason == keccak(text="removed")
    assert chain.call(jurisdiction.functions.officeOf(PERSON_A)) == [False, Office.SECRETARY]
    with pytest.raises(ContractRevert) as e:
        writer.vacate(Office.SECRETARY, b"\0" * 32)
    assert e.value.error == "OfficeVacant"
    with pytest.raises(ContractRevert) as e:
        writer.seat(Office.CONGRESS, b"\0" * 32)
    assert e.value.error == "ZeroPerson"


def test_refused_transaction_sends_nothing(chain: Chain, jurisdiction) -> None:
    # bad input leaves the chain unchanged: nothing is mined, the nonce does not move
    sender = chain.accounts[Staff.AUTHORITY].address  # holds no OFFICE_WRITER
    nonce = chain.w3.eth.get_transaction_count(sender)
    block = chain.w3.eth.block_number
    with pytest.raises(ContractRevert):
        chain.transact(jurisdiction.functions.seat(Office.SECRETARY, PERSON_A), sender)
    assert chain.w3.eth.get_transaction_count(sender) == nonce
    assert chain.w3.eth.block_number == block
