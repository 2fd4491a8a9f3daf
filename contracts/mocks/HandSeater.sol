// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IMeritBook} from "../interfaces/IMeritBook.sol";
import {Office} from "../lib/ZhiliTypes.sol";

/// @title TEST ONLY: seats and vacates offices by hand, a stand-in for an election
/// @notice The test kits seat offices directly, without running an election, and act as the zhili
/// contracts that record terms, blacklist or write merit entries. Writer roles go only to contracts
/// bound to the jurisdiction (R-EL-11, `WriterAccess`), so the kits deploy this contract, bound to
/// their jurisdiction, registry and book, and the admin grants it the writer roles a test needs. Its
/// operator (the deployer) then seats, vacates and relays any call as that writer. It decides nothing
/// by the rules: never deploy it for a real jurisdiction (the deployment plan never does, and in a
/// deployed province every grant goes through the admin timelock, in public).
contract HandSeater {
    /// @notice The jurisdiction whose offices it seats (what `Jurisdiction` checks before granting).
    IJurisdiction public immutable jurisdiction;
    /// @notice The person registry it writes to as `RECORD_WRITER` (what `PersonRegistry` checks).
    IPersonRegistry public immutable persons;
    /// @notice The merit book it writes to as `LEDGER_WRITER` (what `MeritBook` checks).
    IMeritBook public immutable book;
    /// @notice The only account that may use it: its deployer.
    address public immutable operator;

    /// @notice Someone other than the operator called.
    /// @custom:rule none
    error NotOperator(address caller);

    /// @notice A call was relayed to `target` as this writer.
    event Relayed(address indexed target, bytes4 selector);

    /// @param jurisdiction_ the jurisdiction
    /// @param persons_ the person registry (zero if the test needs none)
    /// @param book_ the merit book (zero if the test needs none)
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_, IMeritBook book_) {
        jurisdiction = jurisdiction_;
        persons = persons_;
        book = book_;
        operator = msg.sender;
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    /// @notice Seat `personId` in `office`, as an election's completion would.
    /// @param office the office
    /// @param personId the person
    function seat(Office office, bytes32 personId) external onlyOperator {
        jurisdiction.seat(office, personId);
    }

    /// @notice Vacate `office`, as a removal would.
    /// @param office the office
    /// @param reason the reason recorded with the vacancy
    function vacate(Office office, bytes32 reason) external onlyOperator {
        jurisdiction.vacate(office, reason);
    }

    /// @notice Call `target` with `data` as this contract (a writer), bubbling up any revert unchanged.
    /// @param target the contract called
    /// @param data the calldata
    /// @return ret what the call returned
    function relay(address target, bytes calldata data) external onlyOperator returns (bytes memory ret) {
        bool ok;
        (ok, ret) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        emit Relayed(target, bytes4(data));
    }
}
