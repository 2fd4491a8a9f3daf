// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {IMeritBook} from "./IMeritBook.sol";

/// @title The surface of `Succession`: its events, errors, types and external functions
interface ISuccession {
    /// @notice The order is now `order` (first successor first); `reason` says why.
    event OrderChanged(bytes32[] order, bytes32 reason);
    /// @notice `mover` passed `passed` by `margin` or more merit (R-SU-3).
    event Overtook(bytes32 indexed mover, bytes32 indexed passed, int64 moverMerit, int64 passedMerit);
    /// @notice `personId` left the order and their office here (`office` if `seated`), for `reason`.
    event Removed(bytes32 indexed personId, bool seated, Office office, bytes32 reason);
    /// @notice `personId` succeeded as secretary from `fromOffice` (if `wasSeated`), R-SU-2; `skipped`
    /// earlier successors were ineligible (two terms, blacklisted or over the resignation threshold).
    event Succeeded(bytes32 indexed personId, bool wasSeated, Office fromOffice, uint256 skipped);
    /// @notice The secretary's office stays vacant: nobody in the order is eligible (R-SU-2, R-TC-3).
    event NoEligibleSuccessor();
    /// @notice `personId` moved back one place (R-SU-5) for `reason`.
    event Demoted(bytes32 indexed personId, bytes32 reason);
    /// @notice Assessment cycle `cycle` opened with `holder` as discipline secretary, `earned` merit so far.
    event CycleOpened(uint32 indexed cycle, bytes32 holder, uint64 earned);
    /// @notice Cycle `cycle` closed: `holder` earned `earned` merit in it; `streak` zero cycles in a row.
    event CycleClosed(uint32 indexed cycle, bytes32 holder, uint64 earned, uint8 streak, bool demoted);

    /// @notice The order would be longer than MAX_ORDER.
    /// @custom:rule R-SU-1
    error OrderTooLong(uint256 length, uint256 max);
    /// @notice A person appears twice, is the secretary, is unknown or is blacklisted.
    /// @custom:rule R-SU-1
    error InvalidMember(bytes32 personId);
    /// @notice The person is neither blacklisted nor over the resignation threshold: nothing to enforce.
    /// @custom:rule R-MR-7
    error NothingToEnforce(bytes32 personId, int64 demerit, uint16 threshold);
    /// @notice An assessment cycle is already open (or none is open to close).
    /// @custom:rule R-SU-5
    error CycleState(bool open);

    /// @notice Role (on the jurisdiction) of the contract that applies final merit findings here.
    function SUCCESSION_WRITER() external view returns (bytes32);
    /// @notice Longest succession order kept (core offices, deputy and committee members).
    function MAX_ORDER() external view returns (uint256);
    /// @notice The province's person registry.
    function persons() external view returns (IPersonRegistry);
    /// @notice The province's merit book (merit earned per cycle).
    function book() external view returns (IMeritBook);
    /// @notice Number of the last assessment cycle opened (R-SU-5); zero if none yet.
    function cycle() external view returns (uint32);
    /// @notice Whether cycle `cycle` is open.
    function cycleOpen() external view returns (bool);
    /// @notice Consecutive closed cycles in which `streakHolder` (the discipline secretary) earned no merit.
    function zeroStreak() external view returns (uint8);
    /// @notice The discipline secretary the streak counts for.
    function streakHolder() external view returns (bytes32);
    /// @notice Set the initial order from the seated offices (R-SU-1): discipline, congress, discipline
    /// deputy, consultative, then `members` (other committee members, in precedence order), the
    /// administrator last. Vacant offices are skipped. Run by the election authority after an election.
    /// @param members the other committee members in precedence order
    function initOrder(bytes32[] calldata members) external;
    /// @notice Add a committee member who joined later (e.g. R-TC-1) at the end of the order, ahead of
    /// the administrator if the administrator is last (R-SU-1).
    /// @param personId the new member
    function enroll(bytes32 personId) external;
    /// @notice Remove `personId` from the order and from their office here (R-MR-7, R-MR-9, removal);
    /// if they were the secretary, the first eligible successor takes over at once (R-SU-2).
    /// No effect if they are neither in the order nor seated.
    /// @param personId the person removed
    /// @param reason short code: "removed", "blacklisted", "resigned"
    function remove(bytes32 personId, bytes32 reason) external;
    /// @notice R-SU-4 direct replacement: `personId` becomes first successor at once (if in the order).
    /// @param personId the committee member whose report removed the same-level secretary (or higher)
    function promoteToFirst(bytes32 personId) external;
    /// @notice R-SU-5: move `personId` back one place (no effect if last or not in the order).
    /// @param personId the discipline secretary found derelict
    /// @param reason short code, "dereliction"
    function demote(bytes32 personId, bytes32 reason) external;
    /// @notice R-SU-3: one pass front to back after a final merit change. A member whose merit total
    /// exceeds that of the member directly ahead by the margin (6.0) or more moves up one place; a
    /// member moves up at most one place per pass. Cost grows with the order's length only.
    function overtakePass() external;
    /// @notice Enforce R-MR-9 / R-MR-7 here for a person blacklisted or over the resignation threshold
    /// anywhere in the province (e.g. by another jurisdiction's ledger). Anyone may call it.
    /// @param personId the person
    function enforce(bytes32 personId) external;
    /// @notice Open an assessment cycle (R-SU-5): remembers the discipline secretary and their merit earned.
    function openCycle() external;
    /// @notice Close the open cycle (R-SU-5). If the same discipline secretary held office through the
    /// cycle and earned no merit in it, their zero streak grows; at two in a row they move back one place.
    function closeCycle() external;
    /// @notice The succession order, first successor first.
    function order() external view returns (bytes32[] memory);
    /// @notice 1-based place of `personId` in the order, zero if absent.
    function placeOf(bytes32 personId) external view returns (uint256);
}
