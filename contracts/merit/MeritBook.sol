// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {PersonRegistry} from "../registry/PersonRegistry.sol";
import {Ledger, EntryKind} from "../lib/MeritTypes.sol";
import {Roles} from "../lib/Roles.sol";

/// @title The province's merit and demerit ledgers (R-MR-1, R-MR-12)
/// @notice Two append-only ledgers per lifetime person id (功 and 过), kept province-wide so that the
/// record follows a person across jurisdictions (全省联网, 终身有效): every jurisdiction's
/// `MeritLedger` writes its final entries here. Nothing is ever changed or removed; an approved offset
/// (R-MR-12) is two more entries. Amounts are integer tenths (60 = 6.0 points).
/// @dev Storage keeps each person's totals (one slot) and one hash per entry (what an offset must
/// prove); the `EntryAppended` events carry every field, so the ledgers can be rebuilt from logs.
contract MeritBook is AccessControl {
    /// @notice Held by each jurisdiction's `MeritLedger`: appends final entries and applies offsets.
    bytes32 public constant LEDGER_WRITER = Roles.LEDGER_WRITER;

    /// @notice A person's running totals. `earned` sums positive merit entries only (R-SU-5 cycles).
    struct Totals {
        int64 merit;
        int64 demerit;
        uint64 earned;
        uint64 entries;
    }

    /// @notice The province's person registry: ledgers are bound to its ids.
    PersonRegistry public immutable persons;
    /// @notice Number of entries appended so far; entry ids are 1..entryCount.
    uint256 public entryCount;

    mapping(bytes32 personId => Totals) private _totals;
    mapping(uint256 entryId => bytes32) private _entryHash;
    mapping(uint256 entryId => bool) private _offset;

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
    /// @notice The person's merit total does not cover the sanction to offset.
    /// @custom:rule R-MR-12
    error InsufficientMerit(bytes32 personId, int64 merit, int32 needed);

    /// @param admin account that grants LEDGER_WRITER (the provincial organisation)
    /// @param persons_ the province's person registry
    constructor(address admin, PersonRegistry persons_) {
        persons = persons_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice The case reference `MeritLedger` `ledger` uses for its case `caseId`.
    function caseRef(address ledger, uint256 caseId) public pure returns (bytes32) {
        return bytes32((uint256(uint160(ledger)) << 96) | uint96(caseId));
    }

    /// @notice Hash of an entry's fields, as stored for entry ids.
    function hashEntry(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(personId, ledger, kind, points, ref));
    }

    /// @notice Append a final entry (R-MR-1). Only a jurisdiction's `MeritLedger` may write.
    /// @param personId the person the entry is bound to
    /// @param ledger merit or demerit
    /// @param kind why (award, liability, ...); never `Offset`
    /// @param points signed amount in tenths
    /// @param ref the case reference (see `caseRef`); the new entry's id is in `EntryAppended`
    function append(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref)
        external
        onlyRole(LEDGER_WRITER)
    {
        if (kind == EntryKind.Offset) revert OffsetOnlyByApproval();
        if (!persons.isRegistered(personId)) revert UnregisteredPerson(personId);
        _append(personId, ledger, kind, points, ref);
    }

    /// @notice Reverts unless demerit entry `entryId` with these fields may be offset by its holder (R-MR-12).
    function checkOffset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref) public view {
        if (
            _entryHash[entryId] == bytes32(0)
                || _entryHash[entryId] != hashEntry(personId, Ledger.Demerit, kind, points, ref)
        ) {
            revert EntryMismatch(entryId);
        }
        if (kind != EntryKind.Procedural) revert NotOffsettable(entryId, kind);
        if (_offset[entryId]) revert AlreadyOffset(entryId);
        int64 merit = _totals[personId].merit;
        if (merit < points) revert InsufficientMerit(personId, merit, points);
    }

    /// @notice Offset a minor procedural sanction with merit (R-MR-12), once approved upstream:
    /// appends `-points` to both ledgers. Only a `MeritLedger` may call it, after the approvals.
    /// @param entryId the demerit entry to offset
    /// @param personId its person
    /// @param kind its kind (must be `Procedural`)
    /// @param points its points
    /// @param ref its case reference
    function offset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref)
        external
        onlyRole(LEDGER_WRITER)
    {
        checkOffset(entryId, personId, kind, points, ref);
        _offset[entryId] = true;
        uint256 m = _append(personId, Ledger.Merit, EntryKind.Offset, -points, ref);
        uint256 d = _append(personId, Ledger.Demerit, EntryKind.Offset, -points, ref);
        emit EntryOffset(entryId, personId, points, m, d);
    }

    /// @notice A person's totals (merit, demerit, positive merit earned, entry count).
    function totals(bytes32 personId) external view returns (Totals memory) {
        return _totals[personId];
    }

    /// @notice Merit totals of several persons (for the succession order, R-SU-3).
    function meritOf(bytes32[] calldata ids) external view returns (int64[] memory out) {
        out = new int64[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            out[i] = _totals[ids[i]].merit;
        }
    }

    /// @notice The stored hash of entry `entryId` (zero if none).
    function entryHash(uint256 entryId) external view returns (bytes32) {
        return _entryHash[entryId];
    }

    /// @notice Whether entry `entryId` was offset (R-MR-12).
    function isOffset(uint256 entryId) external view returns (bool) {
        return _offset[entryId];
    }

    function _append(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref)
        private
        returns (uint256 id)
    {
        id = ++entryCount;
        _entryHash[id] = hashEntry(personId, ledger, kind, points, ref);
        Totals storage t = _totals[personId];
        int64 total;
        if (ledger == Ledger.Merit) {
            total = t.merit += points;
            if (points > 0) t.earned += uint64(uint32(points));
        } else {
            total = t.demerit += points;
        }
        ++t.entries;
        emit EntryAppended(id, personId, ledger, kind, points, ref, total, msg.sender);
    }
}
