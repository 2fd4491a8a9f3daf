// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ICreditSupermarket} from "../interfaces/ICreditSupermarket.sol";
import {IVillageQuarters} from "../interfaces/IVillageQuarters.sol";
import {VillageLedger} from "./VillageLedger.sol";
import {VillageQuarters} from "./VillageQuarters.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";
import {PersonSigned} from "../base/PersonSigned.sol";
import {Roles} from "../lib/Roles.sol";
import {VillageTypes as V} from "../lib/VillageTypes.sol";

/// @title A village's credit supermarket (信用超市, R-VC-10)
/// @notice The town keeps the catalogue, stock and star bonuses. Once a person is graded, anyone can
/// credit their redeemable balance for that year (once). A redemption carries the villager's and the
/// keeper's signatures over the same `Redemption`; it spends balance and stock, and its nonce is the
/// villager's next, so a signed redemption is never redeemed twice. The score is never touched.
contract CreditSupermarket is ICreditSupermarket, JurisdictionBound, PersonSigned {
    /// @notice EIP-712 type both parties sign.
    bytes32 public constant REDEMPTION_TYPEHASH =
        keccak256("Redemption(bytes32 person,bytes32 keeper,uint16 item,uint32 quantity,uint32 nonce)");

    /// @notice The village's ledger (keepers).
    VillageLedger public immutable ledger;
    /// @notice The village's quarters (grades).
    VillageQuarters public immutable quarters;

    uint32[5] private _bonus;
    mapping(uint16 item => Item) private _items;
    mapping(bytes32 person => Account) private _accounts;
    mapping(uint256 yearPerson => bool) private _credited;

    /// @param quarters_ the village's quarters contract (its ledger, jurisdiction and persons are used)
    constructor(VillageQuarters quarters_)
        JurisdictionBound(quarters_.jurisdiction())
        PersonSigned("zhili CreditSupermarket", "1", quarters_.ledger().persons())
    {
        quarters = quarters_;
        ledger = quarters_.ledger();
    }

    function setItem(uint16 item, uint32 price, bytes32 description, bool listed)
        external
        onlyRole(Roles.VILLAGE_OFFICE)
    {
        Item storage it = _items[item];
        it.price = price;
        it.listed = listed;
        emit ItemSet(item, price, description, listed);
    }

    function restock(uint16 item, uint32 added) external onlyRole(Roles.VILLAGE_OFFICE) {
        Item storage it = _items[item];
        if (!it.listed) revert ItemNotListed(item);
        it.stock += added;
        emit Restocked(item, added, it.stock);
    }

    function setBonus(uint32[5] calldata starBonus) external onlyRole(Roles.VILLAGE_OFFICE) {
        _bonus = starBonus;
        emit BonusSet(starBonus);
    }

    function claim(uint16 year, bytes32 person) external {
        uint32 idx = ledger.idxOf(person);
        IVillageQuarters.Annual memory a = quarters.annual(year, idx);
        if (idx == 0 || !a.graded) revert NotGradedYet(year, person);
        uint256 key = (uint256(year) << 32) | idx;
        if (_credited[key]) revert AlreadyCredited(year, person);
        _credited[key] = true;
        int256 excess = int256(a.villagerScore) - int256(uint256(ledger.framework().framework().baseScore));
        uint64 amount = excess > 0 && a.stars != 0 ? uint64(uint256(excess)) : 0;
        if (a.stars != 0) amount += _bonus[a.stars - 1];
        Account storage acc = _accounts[person];
        acc.balance += amount;
        emit Credited(person, year, amount, acc.balance);
    }

    function redeem(
        bytes32 person,
        bytes32 keeper,
        uint16 item,
        uint32 quantity,
        uint32 nonce,
        bytes calldata personSignature,
        bytes calldata keeperSignature
    ) external {
        bytes32 digest = redemptionDigest(person, keeper, item, quantity, nonce);
        _checkPersonSigned(person, digest, personSignature);
        _checkPersonSigned(keeper, digest, keeperSignature);
        if (keeper == person || ledger.rolesOf(ledger.idxOf(keeper)) & V.KEEPER == 0) revert NotAKeeper(keeper);
        _spend(person, keeper, item, quantity, nonce);
    }

    function _spend(bytes32 person, bytes32 keeper, uint16 item, uint32 quantity, uint32 nonce) private {
        Account storage acc = _accounts[person];
        if (nonce != acc.nonce) revert RedemptionReplayed(person, nonce, acc.nonce);
        if (quantity == 0) revert ZeroQuantity();
        Item storage it = _items[item];
        if (!it.listed) revert ItemNotListed(item);
        uint32 stock = it.stock;
        if (stock < quantity) revert InsufficientStock(item, stock, quantity);
        uint64 cost = uint64(it.price) * quantity;
        uint64 balance = acc.balance;
        if (balance < cost) revert InsufficientBalance(person, balance, cost);
        acc.nonce = nonce + 1;
        acc.balance = balance - cost;
        it.stock = stock - quantity;
        emit Redeemed(person, item, keeper, quantity, cost, balance - cost, stock - quantity, nonce);
    }

    /// @notice A catalogue item.
    function itemInfo(uint16 item) external view returns (Item memory) {
        return _items[item];
    }

    /// @notice A person's balance and next nonce.
    function account(bytes32 person) external view returns (Account memory) {
        return _accounts[person];
    }

    /// @notice The star bonuses.
    function bonus() external view returns (uint32[5] memory) {
        return _bonus;
    }

    /// @notice Whether `person`'s grades of `year` were credited.
    function credited(uint16 year, bytes32 person) external view returns (bool) {
        return _credited[(uint256(year) << 32) | ledger.idxOf(person)];
    }

    /// @notice The EIP-712 digest both parties sign for a redemption.
    function redemptionDigest(bytes32 person, bytes32 keeper, uint16 item, uint32 quantity, uint32 nonce)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(REDEMPTION_TYPEHASH, person, keeper, item, quantity, nonce)));
    }
}
