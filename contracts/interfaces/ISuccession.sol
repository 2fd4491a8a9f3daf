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
    /// @notice Assessment cycle `cycle` opened at `at` with `holder` as discipline secretary, `earned` merit so far.
    event CycleOpened(uint32 indexed cycle, bytes32 holder, uint64 earned, uint64 at);
    /// @notice The order now rests on the secretary seated at `seatedAt` (set by an election, R-SU-1, or
    /// by a succession, R-SU-2): only a later seating of the secretary lets an election set it again.
    event BasisSet(uint40 seatedAt);
    /// @notice The rules this order was deployed with, from the profile: the head of the order
    /// (`succession`, R-SU-1) and the shortest assessment cycle in seconds (R-SU-5).
    event SuccessionRules(Office[] head, uint32 minCycleSeconds);
    /// @notice Cycle `cycle` closed: `holder` earned `earned` merit in it; `streak` zero cycles in a row.
    event CycleClosed(uint32 indexed cycle, bytes32 holder, uint64 earned, uint8 streak, bool demoted);

    /// @notice `personId` cannot join the order: they hold no office in this jurisdiction (`seated`
    /// false), are the secretary, are blacklisted or are already in it.
    /// @custom:rule R-SU-1
    error InvalidMember(bytes32 personId, bool seated, Office office);
    /// @notice The order was already set from the offices seated at `basis` (the secretary's seating
    /// time); only a new seating of the secretary by an election (`seatedAt`, later) sets it again.
    /// @custom:rule R-SU-1
    error OrderAlreadySet(uint40 basis, uint40 seatedAt);
    /// @notice The profile's succession head is malformed: `office` repeats, is the secretary or the
    /// administrator (who is always last).
    /// @custom:rule R-SU-1
    error BadSuccessionHead(Office office);
    /// @notice Nothing new to pass on: no merit total of anyone in the order changed since the last
    /// pass or change of the order (`snapshot` of order and totals), R-SU-3.
    /// @custom:rule R-SU-3
    error NoMeritChange(bytes32 snapshot);
    /// @notice Cycle `cycle`, opened at `openedAt`, cannot close at `at`: an assessment cycle lasts at
    /// least `minSeconds` (the profile's `assessment_cycle_days`), R-SU-5.
    /// @custom:rule R-SU-5
    error CycleTooShort(uint32 cycle, uint64 openedAt, uint64 at, uint32 minSeconds);
    /// @notice The person is neither blacklisted nor over the resignation threshold: nothing to enforce.
    /// @custom:rule R-MR-7
    error NothingToEnforce(bytes32 personId, int64 demerit, uint16 threshold);
    /// @notice An assessment cycle is already open (or none is open to close).
    /// @custom:rule R-SU-5
    error CycleState(bool open);

    /// @notice Role (on the jurisdiction) of the contract that applies final merit findings here.
    function SUCCESSION_WRITER() external view returns (bytes32);
    /// @notice The first places of the order by office (the profile's `succession` list, R-SU-1).
    function head() external view returns (Office[] memory);
    /// @notice Shortest assessment cycle in seconds (the profile's `assessment_cycle_days`, R-SU-5).
    function minCycleSeconds() external view returns (uint32);
    /// @notice When the open (or last) assessment cycle opened (block time).
    function cycleOpenedAt() external view returns (uint64);
    /// @notice The secretary's seating time the order was last set or succeeded from (R-SU-1 guard).
    function basis() external view returns (uint40);
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
    /// @notice R-SU-1: set the order from the offices an election has just seated: the holders of the
    /// profile's `succession` offices in that order (vacant ones skipped), then the other seated
    /// offices in precedence order, the administrator last. Called by the election at its completion
    /// (an OFFICE_WRITER contract); refused unless the secretary was seated since the order was last
    /// set, so nobody can set it again in the middle of a term (`OrderAlreadySet`).
    function officesSeated() external;
    /// @notice R-SU-1 after a seating by team completion (R-TC-1, R-TC-3; e.g. the discipline deputy):
    /// `personId`, who holds an office here and is not in the order, joins it at the end, ahead of
    /// the administrator if the administrator is last. Anyone may call it: the result depends only on
    /// the jurisdiction's offices.
    /// @param personId the newly seated office holder
    function join(bytes32 personId) external;
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
    /// member moves up at most one place per pass. Cost grows with the order's length only. The
    /// jurisdiction's merit ledger runs it after each final entry; anyone may run it after a final
    /// entry written elsewhere in the province's book (another jurisdiction's ledger), but only when
    /// some merit total of the order changed since the last pass or change of the order
    /// (`NoMeritChange`), so the pass cannot be repeated to move anyone further.
    function overtakePass() external;
    /// @notice Enforce R-MR-9 / R-MR-7 here for a person blacklisted or over the resignation threshold
    /// anywhere in the province (e.g. by another jurisdiction's ledger). Anyone may call it.
    /// @param personId the person
    function enforce(bytes32 personId) external;
    /// @notice Open an assessment cycle (R-SU-5): remembers the discipline secretary, their merit earned
    /// and the time.
    function openCycle() external;
    /// @notice Close the open cycle (R-SU-5), no sooner than `minCycleSeconds` after it opened. If the
    /// same discipline secretary held office through the cycle and earned no merit in it, their zero
    /// streak grows; at two in a row they move back one place.
    function closeCycle() external;
    /// @notice The succession order, first successor first.
    function order() external view returns (bytes32[] memory);
    /// @notice 1-based place of `personId` in the order, zero if absent.
    function placeOf(bytes32 personId) external view returns (uint256);
}
