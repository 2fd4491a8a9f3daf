// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IMeritBook} from "../interfaces/IMeritBook.sol";
import {WriterAccess} from "../base/WriterAccess.sol";
import {Ledger, EntryKind} from "../lib/MeritTypes.sol";
import {Roles} from "../lib/Roles.sol";

/// @title The province's merit and demerit ledgers (R-MR-1, R-MR-12)
/// @notice Two append-only ledgers per lifetime person id (功 and 过), kept province-wide so that the
/// record follows a person across jurisdictions (全省联网, 终身有效): every jurisdiction's
/// `MeritLedger` writes its final entries here. Nothing is ever changed or removed; an approved offset
/// (R-MR-12) is two more entries. Amounts are integer tenths (60 = 6.0 points).
/// @dev Storage keeps each person's totals (one slot) and one hash per entry (what an offset must
/// prove); the `EntryAppended` events carry every field, so the ledgers can be rebuilt from logs.
contract MeritBook is WriterAccess, IMeritBook {
    bytes32 public constant LEDGER_WRITER = Roles.LEDGER_WRITER;

    IPersonRegistry public immutable persons;
    uint256 public entryCount;

    mapping(bytes32 personId => Totals) private _totals;
    mapping(uint256 entryId => bytes32) private _entryHash;
    mapping(uint256 entryId => bool) private _offset;

    /// @param admin account that grants LEDGER_WRITER (the provincial organisation)
    /// @param persons_ the province's person registry
    constructor(address admin, IPersonRegistry persons_) {
        persons = persons_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @dev `LEDGER_WRITER` (each jurisdiction's merit ledger) is held only by contracts whose `book()` is
    /// this book.
    function _isWriterRole(bytes32 role) internal pure override returns (bool) {
        return role == Roles.LEDGER_WRITER;
    }

    /// @dev A writer names this contract through its `book()` getter.
    function _writerBinding() internal pure override returns (bytes4) {
        return bytes4(keccak256("book()"));
    }

    function caseRef(address ledger, uint256 caseId) public pure returns (bytes32) {
        return bytes32((uint256(uint160(ledger)) << 96) | uint96(caseId));
    }

    function hashEntry(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(personId, ledger, kind, points, ref));
    }

    function append(bytes32 personId, Ledger ledger, EntryKind kind, int32 points, bytes32 ref)
        external
        onlyRole(LEDGER_WRITER)
    {
        if (kind == EntryKind.Offset) revert OffsetOnlyByApproval();
        if (!persons.isRegistered(personId)) revert UnregisteredPerson(personId);
        _append(personId, ledger, kind, points, ref);
    }

    function checkOffset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref) public view {
        if (
            _entryHash[entryId] == bytes32(0)
                || _entryHash[entryId] != hashEntry(personId, Ledger.Demerit, kind, points, ref)
        ) {
            revert EntryMismatch(entryId);
        }
        if (kind != EntryKind.Procedural) revert NotOffsettable(entryId, kind);
        // R-MR-12: the case reference names the ledger that wrote the entry; only it approves the offset
        address writer = address(uint160(uint256(ref) >> 96));
        if (writer != msg.sender) revert NotWritingLedger(entryId, writer, msg.sender);
        if (_offset[entryId]) revert AlreadyOffset(entryId);
        int64 merit = _totals[personId].merit;
        if (merit < points) revert InsufficientMerit(personId, merit, points);
    }

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

    function totals(bytes32 personId) external view returns (Totals memory) {
        return _totals[personId];
    }

    function meritOf(bytes32[] calldata ids) external view returns (int64[] memory out) {
        out = new int64[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            out[i] = _totals[ids[i]].merit;
        }
    }

    function entryHash(uint256 entryId) external view returns (bytes32) {
        return _entryHash[entryId];
    }

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
