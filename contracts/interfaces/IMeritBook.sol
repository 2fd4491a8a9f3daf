// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Ledger, EntryKind} from "../lib/MeritTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";

/// @title The surface of `MeritBook`: its events, errors, types and external functions
interface IMeritBook is IAccessControl {
    /// @notice A person's running totals. `earned` sums positive merit entries only (R-SU-5 cycles).
    struct Totals {
        int64 merit;
        int64 demerit;
        uint64 earned;
        uint64 entries;
    }

    /// @notice Entry `id` was appended to `personId`'s `ledger`; `total` is that ledger's new total.
    /// `caseRef` names the case: the writing `MeritLedger`'s address in the high 160 bits, the case id low.
    event EntryAppended(
        uint256 indexed id,
        bytes32 indexed personId,
        Ledger ledger,
        EntryKind kind,
        int32 points,
        bytes32 indexed caseRef,
        int64 total,
        address writer
    );
    /// @notice Demerit entry `entryId` was offset (R-MR-12) by entries `meritEntry` and `demeritEntry`.
    event EntryOffset(
        uint256 indexed entryId, bytes32 indexed personId, int32 points, uint256 meritEntry, uint256 demeritEntry
    );

    /// @notice The person id is not registered in the province's registry.
    /// @custom:rule R-MR-1
    error UnregisteredPerson(bytes32 personId);
    /// @notice Offset entries are written only by an approved offset.
    /// @custom:rule R-MR-12
    error OffsetOnlyByApproval();
    /// @notice The given fields are not those of entry `entryId` (or it does not exist).
    /// @custom:rule R-MR-12
    error EntryMismatch(uint256 entryId);
    /// @notice Only a minor procedural sanction may be offset; serious corruption and its
    /// consequences (liability, silence) never can.
    /// @custom:rule R-MR-12
    error NotOffsettable(uint256 entryId, EntryKind kind);
    /// @notice The entry was already offset.
    /// @custom:rule R-MR-12
    error AlreadyOffset(uint256 entryId);
    /// @notice Only the ledger that wrote an entry (its case reference) may offset it (R-MR-12).
    /// @custom:rule R-MR-12
    error NotWritingLedger(uint256 entryId, address writer, address caller);
    /// @notice The person's merit total does not cover the sanction to offset.
    /// @custom:rule R-MR-12
    error InsufficientMerit(bytes32 personId, int64 merit, int32 needed);

    /// @notice Held by each jurisdiction's `MeritLedger`: appends final entries and applies offsets.
    function LEDGER_WRITER() external view returns (bytes32);
    /// @notice The province's person registry: ledgers are bound to its ids.
    function persons() external view returns (IPersonRegistry);
    /// @notice Number of entries appended so far; entry ids are 1..entryCount.
    function entryCount() external view returns (uint256);
    /// @notice The case reference `MeritLedger` `ledger` uses for its case `caseId`.
    function caseRef(address ledger, uint256 caseId) external pure returns (bytes32);
    /// @notice Hash of an entry's fields, as stored for entry ids.
    function hashEntry(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref)
        external
        pure
        returns (bytes32);
    /// @notice Append a final entry (R-MR-1). Only a jurisdiction's `MeritLedger` may write.
    /// @param personId the person the entry is bound to
    /// @param ledger merit or demerit
    /// @param kind why (award, liability, ...); never `Offset`
    /// @param points signed amount in tenths
    /// @param ref the case reference (see `caseRef`); the new entry's id is in `EntryAppended`
    function append(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref) external;
    /// @notice Reverts unless demerit entry `entryId` with these fields may be offset by its holder, through
    /// the ledger calling (the one that wrote the entry), R-MR-12.
    function checkOffset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref) external view;
    /// @notice Offset a minor procedural sanction with merit (R-MR-12), once approved upstream:
    /// appends `-points` to both ledgers. Only a `MeritLedger` may call it, after the approvals.
    /// @param entryId the demerit entry to offset
    /// @param personId its person
    /// @param kind its kind (must be `Procedural`)
    /// @param points its points
    /// @param ref its case reference
    function offset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref) external;
    /// @notice A person's totals (merit, demerit, positive merit earned, entry count).
    function totals(bytes32 personId) external view returns (Totals memory);
    /// @notice Merit totals of several persons (for the succession order, R-SU-3).
    function meritOf(bytes32[] calldata ids) external view returns (int64[] memory out);
    /// @notice The stored hash of entry `entryId` (zero if none).
    function entryHash(uint256 entryId) external view returns (bytes32);
    /// @notice Whether entry `entryId` was offset (R-MR-12).
    function isOffset(uint256 entryId) external view returns (bool);
}
