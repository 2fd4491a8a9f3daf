"""The village ledger (R-VC-1 … R-VC-6): lists, contracts, declarations, verification, negative items,
and the insider attacks the contract refuses."""

from __future__ import annotations

from eth_utils import keccak

from chain_kit import revert
from village_kit import YEAR, VillageWorld, april
from zhili.persons.client import label_identity
from zhili.village.client import Colour, DeclStatus, month_index


def test_list_needs_more_than_half_of_the_roll(vw: VillageWorld) -> None:
    # R-VC-2: a roll of four representatives; two yes is exactly half and adopts nothing, three adopts
    v = vw.v
    version = v.propose_profile_list(vw.profile, vw.key(0))
    info = v.list_info(version)
    assert (info.size, info.positives, info.roll, info.state_key) == (56, 19, 4, "proposed")
    v.vote_list(version, True, vw.key(4))
    assert v.vote_list(version, True, vw.key(5)).state_key == "proposed"
    info = v.vote_list(version, True, vw.key(7))
    assert info.state_key == "adopted" and info.effective_from == month_index(YEAR, 4) // 3


def test_list_rejected_when_half_say_no_and_only_representatives_vote(vw: VillageWorld) -> None:
    v = vw.v
    version = v.propose_profile_list(vw.profile, vw.key(0))
    assert revert(v.vote_list, version, True, vw.key(8)).error == "NotOnRoll"  # council member, not a representative
    v.vote_list(version, False, vw.key(4))
    assert revert(v.vote_list, version, True, vw.key(4)).error == "AlreadyVoted"
    assert v.vote_list(version, False, vw.key(5)).state_key == "rejected"
    assert revert(v.vote_list, version, True, vw.key(6)).error == "ListClosed"


def test_insider_cannot_change_the_list_without_the_assembly(vw: VillageWorld) -> None:
    # R-VC-2: only the secretary proposes; nothing is in force before the assembly adopts it
    v = vw.v
    assert revert(v.propose_profile_list, vw.profile, vw.key(1)).error == "VillageRoleRequired"
    v.propose_profile_list(vw.profile, vw.key(0))
    vw.go_to(april())
    assert revert(v.open_month, april()).error == "NoListInForce"
    # a representative enrolled after the proposal cannot vote on it
    vw.v.set_member(vw.ids[11], 2, 0, 1)
    assert revert(v.vote_list, 1, True, vw.key(11)).error == "NotOnRoll"


def test_quarter_scored_with_the_list_in_force_when_it_began(adopted: VillageWorld) -> None:
    # R-VC-2: a list adopted in April is in force from July; April to June keep the first list
    vw, v = adopted, adopted.v
    vw.go_to(april())
    version2 = v.propose_profile_list(vw.profile, vw.key(0))
    for i in (4, 5, 7):
        v.vote_list(version2, True, vw.key(i))
    assert v.open_month(april()).version == 1
    vw.go_to(april() + 3)
    assert v.open_month(april() + 3).version == version2


def test_a_value_over_the_framework_bound_is_refused(vw: VillageWorld) -> None:
    # R-VC-1: the district's largest value is 5.0 points
    crit = [c.as_tuple() for c in vw.profile.criteria()]
    crit[0] = (51, *crit[0][1:])
    e = revert(vw.v.propose_list, crit, 19, vw.key(0))
    assert e.error == "CriterionOutOfBounds" and e.rule == "R-VC-1"


def test_manual_outside_the_framework_is_refused(vw: VillageWorld) -> None:
    e = revert(vw.v.set_manual, (16, 7, 1), 1)
    assert e.error == "ManualOutOfBounds" and e.rule == "R-VC-1"
    assert revert(vw.v.set_manual, (5, 7, 1), 2).error == "JurisdictionRoleRequired"


def test_contracts_by_colour_and_signature(vw: VillageWorld) -> None:
    # R-VC-3: red only for party members, yellow only for representatives, each colour once a year
    v = vw.v
    assert revert(v.sign_contract, vw.ids[11], YEAR, Colour.RED, b"\1" * 32, vw.key(11)).error == "ContractNotAllowed"
    assert revert(v.sign_contract, vw.ids[2], YEAR, Colour.YELLOW, b"\1" * 32, vw.key(2)).error == "ContractNotAllowed"
    assert revert(v.sign_contract, vw.ids[2], YEAR, Colour.BLUE, b"\1" * 32, vw.key(2)).error == "ContractAlreadySigned"
    assert revert(v.sign_contract, vw.ids[2], YEAR - 1, Colour.GREEN, b"\1" * 32, vw.key(2)).error == "ContractYear"
    # somebody else's key cannot sign for a person
    assert revert(v.sign_contract, vw.ids[2], YEAR, Colour.GREEN, b"\1" * 32, vw.key(3)).error == "PersonSignatureInvalid"
    v.sign_contract(vw.ids[2], YEAR, Colour.SILVER, b"\2" * 32, vw.key(2))
    assert v.colours(vw.ids[2], YEAR) == [Colour.BLUE, Colour.SILVER]
    # the client's EIP-712 digest is the contract's
    from eth_account.messages import encode_typed_data
    from eth_utils import keccak as k

    typed = encode_typed_data(full_message=v.contract_typed(vw.ids[2], YEAR, 3, b"\3" * 32))
    digest = k(b"\x19" + typed.version + typed.header + typed.body)
    assert digest == bytes(vw.chain.call(v.ledger.functions.contractDigest(vw.ids[2], YEAR, 3, b"\3" * 32)))


def test_declare_verify_and_totals(adopted: VillageWorld) -> None:
    # R-VC-5, R-VC-6, R-VC-4: P05 counts party duty (red) and credit; a villager without red gets credit only
    vw, v = adopted, adopted.v
    vw.go_to(april())
    mo = v.open_month(april())
    assert mo.team == 1 + (april() % 12) % 3  # January's team is 1, then monthly in order
    d1 = v.declare(april(), vw.code("P05"), 3, keccak(text="photo 1"), vw.key(1))  # party member
    d2 = v.declare(april(), vw.code("P05"), 4, keccak(text="photo 2"), vw.key(11))  # villager
    verifier = vw.on_duty(mo.team, avoid=[1, 11])
    v.verify([d1, d2], [True, True], vw.key(verifier))
    q = april() // 3
    t1, t2 = v.totals(q, vw.ids[1]), v.totals(q, vw.ids[11])
    assert (t1.party_plus, t1.credit_plus) == (15, 15)
    assert (t2.party_plus, t2.credit_plus) == (0, 15)
    assert v.declaration(d1).status == DeclStatus.ACCEPTED
    assert revert(v.verify, [d1], [True], vw.key(verifier)).error == "AlreadyVerified"


def test_insider_captain_cannot_verify_own_declaration(adopted: VillageWorld) -> None:
    # R-VC-6: a member of the team on duty verifies everybody's declarations but their own
    vw, v = adopted, adopted.v
    vw.go_to(april())
    mo = v.open_month(april())
    captain = vw.on_duty(mo.team)
    own = v.declare(april(), vw.code("P04"), 3, keccak(text="own"), vw.key(captain))
    e = revert(v.verify, [own], [True], vw.key(captain))
    assert e.error == "OwnDeclaration" and e.rule == "R-VC-6"
    # nor record a negative item against themselves, nor may another team verify
    assert revert(v.record_negative, vw.ids[captain], april(), vw.code("N06"), 3, b"\1" * 32, vw.key(captain)).error == "OwnDeclaration"
    other = next(i for i, (_, t) in __import__("village_kit").ROLL.items() if t and t != mo.team)
    e = revert(v.verify, [own], [True], vw.key(other))
    assert e.error == "NotOnDuty" and e.rule == "R-VC-6"


def test_declaration_window_and_criteria(adopted: VillageWorld) -> None:
    # R-VC-5: only positive criteria of the list in force, with evidence, within the month's window
    vw, v = adopted, adopted.v
    vw.go_to(april())
    mo = v.open_month(april())
    e = revert(v.declare, april(), vw.code("N01"), 3, b"\1" * 32, vw.key(11))
    assert e.error == "WrongCriterion" and e.rule == "R-VC-5"
    assert revert(v.declare, april(), 57, 3, b"\1" * 32, vw.key(11)).error == "WrongCriterion"
    assert revert(v.declare, april(), 1, 3, b"\0" * 32, vw.key(11)).error == "EvidenceRequired"
    assert revert(v.declare, april() + 1, 1, 3, b"\1" * 32, vw.key(11)).error == "MonthNotOpen"
    vw.go_after(mo.declare_close, 0)  # the last second of the window
    v.declare(april(), 1, 30, b"\1" * 32, vw.key(11))
    vw.go_after(mo.declare_close, 1)
    e = revert(v.declare, april(), 1, 30, b"\1" * 32, vw.key(11))
    assert e.error == "DeclarationWindowClosed" and e.rule == "R-VC-5"


def test_negative_items_only_by_the_team_on_duty(adopted: VillageWorld) -> None:
    vw, v = adopted, adopted.v
    vw.go_to(april())
    mo = v.open_month(april())
    rec = vw.on_duty(mo.team, avoid=[11])
    assert revert(v.record_negative, vw.ids[11], april(), vw.code("P01"), 3, b"\1" * 32, vw.key(rec)).error == "WrongCriterion"
    assert revert(v.record_negative, vw.ids[11], april(), vw.code("N06"), 3, b"\1" * 32, vw.key(0 if mo.team != 1 else 2)).error == "NotOnDuty"
    nid = v.record_negative(vw.ids[11], april(), vw.code("N07"), 3, b"\1" * 32, vw.key(rec))
    assert v.declaration(nid).status == DeclStatus.NEGATIVE
    assert v.totals(april() // 3, vw.ids[11]).credit_minus == 20


def test_no_contract_no_points(adopted: VillageWorld) -> None:
    # R-VC-3: a person of the roll without a signed contract for the year cannot declare
    vw, v = adopted, adopted.v
    from eth_account import Account

    newcomer = Account.from_key(keccak(text="newcomer"))
    pid = keccak(text="newcomer id")
    vw.chain.transact(vw.persons.functions.register(pid, newcomer.address, label_identity("newcomer")), 0)
    vw.chain.fund(newcomer.address, 10**18)
    v.set_member(pid, 0, 0, 1)
    vw.go_to(april())
    v.open_month(april())
    e = revert(v.declare, april(), 1, 3, b"\1" * 32, newcomer)
    assert e.error == "NoContract" and e.rule == "R-VC-3"
