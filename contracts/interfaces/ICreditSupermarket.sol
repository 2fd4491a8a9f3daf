// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title A village's credit supermarket (信用超市, R-VC-10)
/// @notice The surface of `CreditSupermarket`. Grades and points earn a redeemable balance, separate
/// from the score; the town keeps the catalogue and its stock; a redemption is signed by the villager
/// and the shop keeper (EIP-712), spends balance and stock, neither of which can go negative, and a
/// signed redemption counts once (per-person sequential nonce). Amounts are tenths of a point.
interface ICreditSupermarket {
    /// @notice A catalogue item: price per unit (tenths), units in stock, whether listed.
    struct Item {
        uint32 price;
        uint32 stock;
        bool listed;
    }

    /// @notice A person's redeemable balance (tenths) and the nonce their next redemption must carry.
    struct Account {
        uint64 balance;
        uint32 nonce;
    }

    /// @notice The town listed or repriced item `item`; `description` fingerprints its text.
    event ItemSet(uint16 indexed item, uint32 price, bytes32 description, bool listed);
    /// @notice The town added `added` units of `item`; `stock` after.
    event Restocked(uint16 indexed item, uint32 added, uint32 stock);
    /// @notice The bonus a grade of one to five stars earns (tenths), set by the town.
    event BonusSet(uint32[5] starBonus);
    /// @notice `person`'s grades of `year` earned `amount` (R-VC-10); `balance` after.
    event Credited(bytes32 indexed person, uint16 indexed year, uint64 amount, uint64 balance);
    /// @notice `person` redeemed `quantity` of `item` at `keeper`'s shop for `cost` (R-VC-10); balance
    /// and stock after; `nonce` is the redemption's number for that person.
    event Redeemed(
        bytes32 indexed person,
        uint16 indexed item,
        bytes32 indexed keeper,
        uint32 quantity,
        uint64 cost,
        uint64 balance,
        uint32 stock,
        uint32 nonce
    );

    /// @notice No such item in the catalogue (or it is withdrawn).
    /// @custom:rule none
    error ItemNotListed(uint16 item);
    /// @notice A redemption needs a quantity of at least one.
    /// @custom:rule none
    error ZeroQuantity();
    /// @notice The person is not graded for that year yet.
    /// @custom:rule R-VC-10
    error NotGradedYet(uint16 year, bytes32 person);
    /// @notice The year's grades of this person are credited already.
    /// @custom:rule R-VC-10
    error AlreadyCredited(uint16 year, bytes32 person);
    /// @notice Not enough stock.
    /// @custom:rule R-VC-10
    error InsufficientStock(uint16 item, uint32 stock, uint32 quantity);
    /// @notice Not enough redeemable balance.
    /// @custom:rule R-VC-10
    error InsufficientBalance(bytes32 person, uint64 balance, uint64 cost);
    /// @notice The redemption's nonce is not the person's next one: it was redeemed already (or is out of order).
    /// @custom:rule R-VC-10
    error RedemptionReplayed(bytes32 person, uint32 nonce, uint32 expected);
    /// @notice The second signer is not a shop keeper of the village (or is the villager).
    /// @custom:rule R-VC-10
    error NotAKeeper(bytes32 keeper);

    /// @notice List, reprice or withdraw a catalogue item. Only the town.
    /// @param item the item's number
    /// @param price price per unit (tenths)
    /// @param description fingerprint of its text
    /// @param listed false withdraws it
    function setItem(uint16 item, uint32 price, bytes32 description, bool listed) external;

    /// @notice Add stock of an item. Only the town.
    /// @param item the item
    /// @param added units added
    function restock(uint16 item, uint32 added) external;

    /// @notice Set what each star grade earns. Only the town.
    /// @param starBonus bonus for one to five stars (tenths)
    function setBonus(uint32[5] calldata starBonus) external;

    /// @notice Credit a person's balance from their grades of `year`, once: their villager score's
    /// excess over the base score plus the bonus of their stars. Anyone.
    /// @param year the graded year
    /// @param person the person
    function claim(uint16 year, bytes32 person) external;

    /// @notice Redeem with the villager's and the keeper's EIP-712 `Redemption` signatures. Anyone relays.
    /// @param person the villager
    /// @param keeper the shop keeper (a village keeper)
    /// @param item the catalogue item
    /// @param quantity units
    /// @param nonce the villager's next redemption number
    /// @param personSignature the villager's 65-byte signature
    /// @param keeperSignature the keeper's 65-byte signature
    function redeem(
        bytes32 person,
        bytes32 keeper,
        uint16 item,
        uint32 quantity,
        uint32 nonce,
        bytes calldata personSignature,
        bytes calldata keeperSignature
    ) external;
}
