"""The credit supermarket (R-VC-10): a separate redeemable balance credited once from the year's
grades, two-party signed redemptions, stock and balance never negative, nothing redeemed twice."""

from __future__ import annotations

from eth_account.messages import encode_typed_data
from eth_utils import keccak

from chain_kit import revert
from village_kit import OFFICE, YEAR, VillageWorld

KEEPER = 10


def _credited(vw: VillageWorld) -> None:
    vw.v.grade(YEAR)
    vw.v.claim(YEAR, vw.ids[11])


def test_balance_credited_once_and_score_untouched(year: VillageWorld) -> None:
    vw, v = year, year.v
    assert revert(v.claim, YEAR, vw.ids[11]).error == "NotGradedYet"
    v.grade(YEAR)
    acc = v.claim(YEAR, vw.ids[11])
    assert acc.balance == 20 + 50  # 62.0 − 60.0 base, plus three stars' bonus 5.0
    assert revert(v.claim, YEAR, vw.ids[11]).error == "AlreadyCredited"
    assert v.claim(YEAR, vw.ids[3]).balance == 0  # one star: nothing above the base, no bonus
    v.redeem(vw.ids[11], vw.ids[KEEPER], 1, 2, vw.key(11), vw.key(KEEPER))
    assert v.account(vw.ids[11]).balance == 10
    assert v.annual(YEAR, vw.ids[11]).villager_score == 620  # the score is never spent


def test_stock_reaches_zero_and_balance_never_negative(year: VillageWorld) -> None:
    vw, v = year, year.v
    _credited(vw)
    v.set_item(9, 5, keccak(text="last bag of rice"), OFFICE)
    v.restock(9, 1, OFFICE)
    acc = v.redeem(vw.ids[11], vw.ids[KEEPER], 9, 1, vw.key(11), vw.key(KEEPER))
    assert v.item(9).stock == 0 and acc.balance == 65
    e = revert(v.redeem, vw.ids[11], vw.ids[KEEPER], 9, 1, vw.key(11), vw.key(KEEPER))
    assert e.error == "InsufficientStock" and e.rule == "R-VC-10"
    e = revert(v.redeem, vw.ids[11], vw.ids[KEEPER], 2, 1, vw.key(11), vw.key(KEEPER))  # 12.0 > 6.5
    assert e.error == "InsufficientBalance" and e.rule == "R-VC-10"
    # exactly the balance is redeemable, down to zero; then nothing more (R-VC-10: never negative)
    v.set_item(12, 65, keccak(text="exactly the balance"), OFFICE)
    v.restock(12, 2, OFFICE)
    assert v.redeem(vw.ids[11], vw.ids[KEEPER], 12, 1, vw.key(11), vw.key(KEEPER)).balance == 0
    e = revert(v.redeem, vw.ids[11], vw.ids[KEEPER], 12, 1, vw.key(11), vw.key(KEEPER))
    assert e.error == "InsufficientBalance" and e.args_by_name["balance"] == 0


def test_insider_keeper_cannot_redeem_without_the_villager(year: VillageWorld) -> None:
    vw, v = year, year.v
    _credited(vw)
    m = v.market
    assert m is not None
    n = v.account(vw.ids[11]).nonce
    ks = v.sign_redemption(vw.ids[11], vw.ids[KEEPER], 1, 1, n, vw.key(KEEPER))
    forged = v.sign_redemption(vw.ids[11], vw.ids[KEEPER], 1, 1, n, vw.key(KEEPER))  # the keeper signs for the villager
    e = revert(v.redeem_signed, vw.ids[11], vw.ids[KEEPER], 1, 1, n, forged, ks, vw.key(KEEPER))
    assert e.error == "PersonSignatureInvalid"
    # a villager and a non-keeper together cannot redeem either
    ps = v.sign_redemption(vw.ids[11], vw.ids[2], 1, 1, n, vw.key(11))
    os_ = v.sign_redemption(vw.ids[11], vw.ids[2], 1, 1, n, vw.key(2))
    assert revert(v.redeem_signed, vw.ids[11], vw.ids[2], 1, 1, n, ps, os_, vw.key(2)).error == "NotAKeeper"
    # the client's digest is the contract's
    typed = encode_typed_data(full_message=v.redemption_typed(vw.ids[11], vw.ids[KEEPER], 1, 1, n))
    assert keccak(b"\x19" + typed.version + typed.header + typed.body) == bytes(vw.chain.call(m.functions.redemptionDigest(vw.ids[11], vw.ids[KEEPER], 1, 1, n)))


def test_a_signed_redemption_counts_once(year: VillageWorld) -> None:
    vw, v = year, year.v
    _credited(vw)
    n = v.account(vw.ids[11]).nonce
    ps = v.sign_redemption(vw.ids[11], vw.ids[KEEPER], 1, 1, n, vw.key(11))
    ks = v.sign_redemption(vw.ids[11], vw.ids[KEEPER], 1, 1, n, vw.key(KEEPER))
    v.redeem_signed(vw.ids[11], vw.ids[KEEPER], 1, 1, n, ps, ks, vw.key(KEEPER))
    e = revert(v.redeem_signed, vw.ids[11], vw.ids[KEEPER], 1, 1, n, ps, ks, vw.key(KEEPER))
    assert e.error == "RedemptionReplayed" and e.rule == "R-VC-10"


def test_catalogue_only_by_the_town(year: VillageWorld) -> None:
    vw, v = year, year.v
    assert revert(v.set_item, 1, 1, b"\1" * 32, vw.key(KEEPER)).error == "JurisdictionRoleRequired"
    assert revert(v.restock, 1, 1000, vw.key(KEEPER)).error == "JurisdictionRoleRequired"
    assert revert(v.restock, 77, 1, OFFICE).error == "ItemNotListed"
