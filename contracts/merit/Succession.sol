// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IMeritBook} from "../interfaces/IMeritBook.sol";
import {ISuccession} from "../interfaces/ISuccession.sol";
import {Office, ALL_OFFICES} from "../lib/ZhiliTypes.sol";
import {Roles} from "../lib/Roles.sol";
import {MeritMath} from "../lib/MeritMath.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title The succession order of one jurisdiction (R-SU-1 ... R-SU-5)
/// @notice Who succeeds the secretary: the order set from the offices an election seats (R-SU-1;
/// nobody sets it by hand), joined by later office holders, automatic succession when the
/// secretary is removed or must resign (R-SU-2, the successor's old office left vacant, R-TC-3, and
/// the term counted, R-TL-1), overtaking by 6.0 merit one place per pass (R-SU-3), direct replacement
/// (R-SU-4), demotion of the discipline secretary after two zero cycles or a dereliction finding
/// (R-SU-5), and the assessment cycles that decide it. Merit totals come from the province's
/// `MeritBook`; only the jurisdiction's `MeritLedger` (role SUCCESSION_WRITER on the jurisdiction)
/// applies final findings here. A successor must hold an office here when they succeed.
/// @dev Holds OFFICE_WRITER on the jurisdiction and RECORD_WRITER on the person registry. Roles are
/// checked on the jurisdiction. Every change of the order emits `OrderChanged` with the whole order.
contract Succession is JurisdictionBound, ISuccession {
    bytes32 public constant SUCCESSION_WRITER = Roles.SUCCESSION_WRITER;
    bytes32 private constant R_ELECTION = "election";
    bytes32 private constant R_SEATING = "seating";
    bytes32 private constant R_SUCCESSION = "succession";
    bytes32 private constant R_OVERTAKE = "overtake";
    bytes32 private constant R_REPLACE = "direct-replacement";
    bytes32 private constant R_DEMOTE_CYCLES = "demotion-cycles";

    IPersonRegistry public immutable persons;
    IMeritBook public immutable book;
    uint16 private immutable _margin;
    uint16 private immutable _resign;
    uint8 private immutable _termLimit;
    uint256 private immutable _head; // the profile's succession offices, 8 bits each, first lowest
    uint256 private immutable _headLen;
    uint32 public immutable minCycleSeconds;

    bytes32[] private _order;

    uint32 public cycle;
    bool public cycleOpen;
    uint8 public zeroStreak;
    bytes32 public streakHolder;
    bytes32 private _cycleHolder;
    uint64 private _cycleEarned;
    uint64 public cycleOpenedAt;
    uint40 public basis;
    bytes32 private _seen; // order and merit totals after the last pass or change of the order

    /// @param jurisdiction_ the jurisdiction whose offices this order serves
    /// @param persons_ the province's person registry (terms, blacklist)
    /// @param book_ the province's merit ledgers
    /// @param head_ the profile's `succession` offices, first successor first (R-SU-1)
    /// @param minCycleSeconds_ the shortest assessment cycle (the profile's `assessment_cycle_days`, R-SU-5)
    constructor(
        IJurisdiction jurisdiction_,
        IPersonRegistry persons_,
        IMeritBook book_,
        Office[] memory head_,
        uint32 minCycleSeconds_
    ) JurisdictionBound(jurisdiction_) {
        persons = persons_;
        book = book_;
        IJurisdiction.Params memory p = jurisdiction_.params();
        _margin = p.overtakeMargin;
        _resign = p.resignDemerit;
        _termLimit = p.secretaryTermLimit;
        uint256 packed = 0;
        uint256 used = 0;
        for (uint256 i = 0; i < head_.length; ++i) {
            Office o = head_[i];
            uint256 bit = 1 << uint8(o);
            if (o == Office.Secretary || o == Office.Administrator || used & bit != 0) revert BadSuccessionHead(o);
            used |= bit;
            packed |= uint256(uint8(o)) << (8 * i);
        }
        _head = packed;
        _headLen = head_.length;
        minCycleSeconds = minCycleSeconds_;
        emit SuccessionRules(head_, minCycleSeconds_);
    }

    // ---------------------------------------------------------------- R-SU-1

    function officesSeated() external onlyRole(Roles.OFFICE_WRITER) {
        uint40 seatedAt = jurisdiction.seatedAt(Office.Secretary);
        if (seatedAt <= basis) revert OrderAlreadySet(basis, seatedAt);
        basis = seatedAt;
        emit BasisSet(seatedAt);
        bytes32[] memory next = new bytes32[](ALL_OFFICES);
        uint256 n = 0;
        uint256 used = (1 << uint8(Office.Secretary)) | (1 << uint8(Office.Administrator));
        // the profile's head first, then every other office in precedence order, the administrator last
        for (uint256 i = 0; i < _headLen; ++i) {
            Office o = Office(uint8(_head >> (8 * i)));
            used |= 1 << uint8(o);
            n = _addHolder(next, n, o);
        }
        for (uint256 o = 0; o < ALL_OFFICES; ++o) {
            if (used & (1 << o) == 0) n = _addHolder(next, n, Office(o));
        }
        n = _addHolder(next, n, Office.Administrator);
        delete _order;
        for (uint256 i = 0; i < n; ++i) {
            _order.push(next[i]);
        }
        _changed(R_ELECTION);
    }

    function join(bytes32 personId) external {
        (bool seated, Office office) = jurisdiction.officeOf(personId);
        if (
            !seated || office == Office.Secretary || _indexOf(personId) != type(uint256).max
                || persons.isBlacklisted(personId)
        ) revert InvalidMember(personId, seated, office);
        uint256 n = _order.length;
        bytes32 admin = jurisdiction.holder(Office.Administrator);
        if (n > 0 && admin != bytes32(0) && _order[n - 1] == admin) {
            _order.push(admin);
            _order[n - 1] = personId;
        } else {
            _order.push(personId);
        }
        _changed(R_SEATING);
    }

    // ---------------------------------------------------------------- applied by the merit ledger

    function remove(bytes32 personId, bytes32 reason) external onlyRole(SUCCESSION_WRITER) {
        _remove(personId, reason);
    }

    function promoteToFirst(bytes32 personId) external onlyRole(SUCCESSION_WRITER) {
        uint256 i = _indexOf(personId);
        if (i == type(uint256).max || i == 0) return;
        for (uint256 k = i; k > 0; --k) {
            _order[k] = _order[k - 1];
        }
        _order[0] = personId;
        _changed(R_REPLACE);
    }

    function demote(bytes32 personId, bytes32 reason) external onlyRole(SUCCESSION_WRITER) {
        _demote(personId, reason);
    }

    function overtakePass() external {
        bytes32[] memory o = _order;
        int64[] memory m = book.meritOf(o);
        bytes32 seen = keccak256(abi.encode(o, m));
        if (seen == _seen && !_hasRole(SUCCESSION_WRITER)) revert NoMeritChange(seen);
        uint256 n = o.length;
        bool changed = false;
        for (uint256 i = 1; i < n; ++i) {
            if (MeritMath.reaches(m[i] - m[i - 1], _margin)) {
                emit Overtook(o[i], o[i - 1], m[i], m[i - 1]);
                (o[i], o[i - 1]) = (o[i - 1], o[i]);
                (m[i], m[i - 1]) = (m[i - 1], m[i]);
                _order[i] = o[i];
                _order[i - 1] = o[i - 1];
                changed = true;
            }
        }
        _seen = keccak256(abi.encode(o, m));
        if (changed) emit OrderChanged(o, R_OVERTAKE);
    }

    function enforce(bytes32 personId) external {
        if (persons.isBlacklisted(personId)) {
            _remove(personId, "blacklisted");
            return;
        }
        int64 demerit = book.totals(personId).demerit;
        if (!MeritMath.reaches(demerit, _resign)) revert NothingToEnforce(personId, demerit, _resign);
        _remove(personId, "resigned");
    }

    // ---------------------------------------------------------------- R-SU-5 cycles

    function openCycle() external onlyRole(Roles.MERIT_COMMITTEE) {
        if (cycleOpen) revert CycleState(true);
        bytes32 holder = jurisdiction.holder(Office.Discipline);
        uint64 earned = holder == bytes32(0) ? 0 : book.totals(holder).earned;
        cycleOpen = true;
        ++cycle;
        _cycleHolder = holder;
        _cycleEarned = earned;
        cycleOpenedAt = uint64(block.timestamp);
        emit CycleOpened(cycle, holder, earned, uint64(block.timestamp));
    }

    function closeCycle() external onlyRole(Roles.MERIT_COMMITTEE) {
        if (!cycleOpen) revert CycleState(false);
        if (block.timestamp < cycleOpenedAt + minCycleSeconds) {
            revert CycleTooShort(cycle, cycleOpenedAt, uint64(block.timestamp), minCycleSeconds);
        }
        cycleOpen = false;
        bytes32 holder = jurisdiction.holder(Office.Discipline);
        uint64 earned = 0;
        uint8 streak = 0;
        bool demoted = false;
        if (holder != bytes32(0) && holder == _cycleHolder) {
            earned = book.totals(holder).earned - _cycleEarned;
            if (earned == 0) streak = (streakHolder == holder ? zeroStreak : 0) + 1;
        }
        if (streak >= 2) {
            demoted = _demote(holder, R_DEMOTE_CYCLES);
            streak = 0;
        }
        zeroStreak = streak;
        streakHolder = holder;
        emit CycleClosed(cycle, holder, earned, streak, demoted);
    }

    // ---------------------------------------------------------------- views

    function order() external view returns (bytes32[] memory) {
        return _order;
    }

    function head() external view returns (Office[] memory out) {
        out = new Office[](_headLen);
        for (uint256 i = 0; i < _headLen; ++i) {
            out[i] = Office(uint8(_head >> (8 * i)));
        }
    }

    function placeOf(bytes32 personId) external view returns (uint256) {
        uint256 i = _indexOf(personId);
        return i == type(uint256).max ? 0 : i + 1;
    }

    // ---------------------------------------------------------------- internals

    function _indexOf(bytes32 personId) private view returns (uint256) {
        uint256 n = _order.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_order[i] == personId) return i;
        }
        return type(uint256).max;
    }

    function _drop(uint256 i) private {
        uint256 n = _order.length;
        for (uint256 k = i; k + 1 < n; ++k) {
            _order[k] = _order[k + 1];
        }
        _order.pop();
    }

    function _demote(bytes32 personId, bytes32 reason) private returns (bool) {
        uint256 i = _indexOf(personId);
        if (i == type(uint256).max || i + 1 >= _order.length) return false;
        (_order[i], _order[i + 1]) = (_order[i + 1], personId);
        emit Demoted(personId, reason);
        _changed(reason);
        return true;
    }

    /// @dev Leaves the order and the office here; R-SU-2 if it was the secretary's. All of this
    /// contract's state is written before the calls that vacate and seat offices.
    function _remove(bytes32 personId, bytes32 reason) private {
        uint256 i = _indexOf(personId);
        if (i != type(uint256).max) _drop(i);
        (bool seated, Office office) = jurisdiction.officeOf(personId);
        if (seated || i != type(uint256).max) {
            emit Removed(personId, seated, office, reason);
            _changed(reason);
        }
        bool secretary = seated && office == Office.Secretary;
        uint256 k = secretary ? _eligibleSuccessor() : type(uint256).max;
        bytes32 next = k == type(uint256).max ? bytes32(0) : _order[k];
        if (next != bytes32(0)) _drop(k);
        if (seated) jurisdiction.vacate(office, reason);
        if (!secretary) return;
        if (next == bytes32(0)) {
            emit NoEligibleSuccessor();
            return;
        }
        // R-SU-2: the successor's old office stays vacant (R-TC-3); the succession counts as a term (R-TL-1)
        (bool wasSeated, Office from) = jurisdiction.officeOf(next);
        if (wasSeated) jurisdiction.vacate(from, R_SUCCESSION);
        jurisdiction.seat(Office.Secretary, next);
        basis = uint40(block.timestamp);
        emit BasisSet(uint40(block.timestamp));
        persons.recordTerm(next, Office.Secretary);
        emit Succeeded(next, wasSeated, from, k);
        _changed(R_SUCCESSION);
    }

    function _addHolder(bytes32[] memory next, uint256 n, Office o) private view returns (uint256) {
        bytes32 h = jurisdiction.holder(o);
        if (h == bytes32(0) || persons.isBlacklisted(h)) return n;
        next[n] = h;
        return n + 1;
    }

    /// @dev Every change of the order but a pass: the event with the whole order (the rebuild), and the
    /// snapshot a permissionless pass compares with (R-SU-3).
    function _changed(bytes32 reason) private {
        bytes32[] memory o = _order;
        _seen = keccak256(abi.encode(o, book.meritOf(o)));
        emit OrderChanged(o, reason);
    }

    /// @dev R-SU-2: index of the first successor eligible for secretary (holding an office here, fewer
    /// than the term limit, not blacklisted, below the resignation threshold); max if none. Reads only.
    function _eligibleSuccessor() private view returns (uint256) {
        uint256 n = _order.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 p = _order[i];
            (bool seated, Office office) = jurisdiction.officeOf(p);
            if (
                seated && office != Office.Secretary && persons.termsServed(p, Office.Secretary) < _termLimit
                    && !persons.isBlacklisted(p) && !MeritMath.reaches(book.totals(p).demerit, _resign)
            ) return i;
        }
        return type(uint256).max;
    }
}
