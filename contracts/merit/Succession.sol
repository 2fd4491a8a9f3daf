// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {Jurisdiction} from "../registry/Jurisdiction.sol";
import {PersonRegistry} from "../registry/PersonRegistry.sol";
import {MeritBook} from "./MeritBook.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title The succession order of one jurisdiction (R-SU-1 ... R-SU-5)
/// @notice Who succeeds the secretary: the initial order (R-SU-1), automatic succession when the
/// secretary is removed or must resign (R-SU-2, the successor's old office left vacant, R-TC-3, and
/// the term counted, R-TL-1), overtaking by 6.0 merit one place per pass (R-SU-3), direct replacement
/// (R-SU-4), demotion of the discipline secretary after two zero cycles or a dereliction finding
/// (R-SU-5), and the assessment cycles that decide it. Merit totals come from the province's
/// `MeritBook`; only the jurisdiction's `MeritLedger` (role SUCCESSION_WRITER on the jurisdiction)
/// applies final findings here.
/// @dev Holds OFFICE_WRITER on the jurisdiction and RECORD_WRITER on the person registry. Roles are
/// checked on the jurisdiction. Every change of the order emits `OrderChanged` with the whole order.
contract Succession is JurisdictionBound {
    /// @notice Role (on the jurisdiction) of the contract that applies final merit findings here.
    bytes32 public constant SUCCESSION_WRITER = Roles.SUCCESSION_WRITER;
    bytes32 private constant R_INIT = "init";
    bytes32 private constant R_SUCCESSION = "succession";
    bytes32 private constant R_OVERTAKE = "overtake";
    bytes32 private constant R_REPLACE = "direct-replacement";
    bytes32 private constant R_DEMOTE_CYCLES = "demotion-cycles";
    bytes32 private constant R_ENROLL = "enroll";
    /// @notice Longest succession order kept (core offices, deputy and committee members).
    uint256 public constant MAX_ORDER = 16;

    PersonRegistry public immutable persons;
    MeritBook public immutable book;
    uint16 private immutable _margin;
    uint16 private immutable _resign;
    uint8 private immutable _termLimit;

    bytes32[] private _order;

    /// @notice Number of the last assessment cycle opened (R-SU-5); zero if none yet.
    uint32 public cycle;
    /// @notice Whether cycle `cycle` is open.
    bool public cycleOpen;
    /// @notice Consecutive closed cycles in which `streakHolder` (the discipline secretary) earned no merit.
    uint8 public zeroStreak;
    /// @notice The discipline secretary the streak counts for.
    bytes32 public streakHolder;
    bytes32 private _cycleHolder;
    uint64 private _cycleEarned;

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

    /// @param jurisdiction_ the jurisdiction whose offices this order serves
    /// @param persons_ the province's person registry (terms, blacklist)
    /// @param book_ the province's merit ledgers
    constructor(Jurisdiction jurisdiction_, PersonRegistry persons_, MeritBook book_) JurisdictionBound(jurisdiction_) {
        persons = persons_;
        book = book_;
        Jurisdiction.Params memory p = jurisdiction_.params();
        _margin = p.overtakeMargin;
        _resign = p.resignDemerit;
        _termLimit = p.secretaryTermLimit;
    }

    // ---------------------------------------------------------------- R-SU-1

    /// @notice Set the initial order from the seated offices (R-SU-1): discipline, congress, discipline
    /// deputy, consultative, then `members` (other committee members, in precedence order), the
    /// administrator last. Vacant offices are skipped. Run by the election authority after an election.
    /// @param members the other committee members in precedence order
    function initOrder(bytes32[] calldata members) external onlyRole(Roles.ELECTION_AUTHORITY) {
        Office[4] memory head = [Office.Discipline, Office.Congress, Office.DisciplineDeputy, Office.Consultative];
        bytes32[] memory next = new bytes32[](members.length + 5);
        uint256 n = 0;
        for (uint256 i = 0; i < 4; ++i) {
            bytes32 h = jurisdiction.holder(head[i]);
            if (h != bytes32(0)) next[n++] = h;
        }
        for (uint256 i = 0; i < members.length; ++i) {
            next[n++] = members[i];
        }
        bytes32 admin = jurisdiction.holder(Office.Administrator);
        if (admin != bytes32(0)) next[n++] = admin;
        if (n > MAX_ORDER) revert OrderTooLong(n, MAX_ORDER);
        bytes32 secretary = jurisdiction.holder(Office.Secretary);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 p = next[i];
            if (p == secretary || !persons.isRegistered(p) || persons.isBlacklisted(p)) revert InvalidMember(p);
            for (uint256 k = 0; k < i; ++k) {
                if (next[k] == p) revert InvalidMember(p);
            }
        }
        delete _order;
        for (uint256 i = 0; i < n; ++i) {
            _order.push(next[i]);
        }
        emit OrderChanged(_order, R_INIT);
    }

    /// @notice Add a committee member who joined later (e.g. R-TC-1) at the end of the order, ahead of
    /// the administrator if the administrator is last (R-SU-1).
    /// @param personId the new member
    function enroll(bytes32 personId) external onlyRole(Roles.ELECTION_AUTHORITY) {
        uint256 n = _order.length;
        if (n + 1 > MAX_ORDER) revert OrderTooLong(n + 1, MAX_ORDER);
        if (
            personId == bytes32(0) || _indexOf(personId) != type(uint256).max || !persons.isRegistered(personId)
                || persons.isBlacklisted(personId) || personId == jurisdiction.holder(Office.Secretary)
        ) revert InvalidMember(personId);
        bytes32 admin = jurisdiction.holder(Office.Administrator);
        if (n > 0 && admin != bytes32(0) && _order[n - 1] == admin) {
            _order.push(admin);
            _order[n - 1] = personId;
        } else {
            _order.push(personId);
        }
        emit OrderChanged(_order, R_ENROLL);
    }

    // ---------------------------------------------------------------- applied by the merit ledger

    /// @notice Remove `personId` from the order and from their office here (R-MR-7, R-MR-9, removal);
    /// if they were the secretary, the first eligible successor takes over at once (R-SU-2).
    /// No effect if they are neither in the order nor seated.
    /// @param personId the person removed
    /// @param reason short code: "removed", "blacklisted", "resigned"
    function remove(bytes32 personId, bytes32 reason) external onlyRole(SUCCESSION_WRITER) {
        _remove(personId, reason);
    }

    /// @notice R-SU-4 direct replacement: `personId` becomes first successor at once (if in the order).
    /// @param personId the committee member whose report removed the same-level secretary (or higher)
    function promoteToFirst(bytes32 personId) external onlyRole(SUCCESSION_WRITER) {
        uint256 i = _indexOf(personId);
        if (i == type(uint256).max || i == 0) return;
        for (uint256 k = i; k > 0; --k) {
            _order[k] = _order[k - 1];
        }
        _order[0] = personId;
        emit OrderChanged(_order, R_REPLACE);
    }

    /// @notice R-SU-5: move `personId` back one place (no effect if last or not in the order).
    /// @param personId the discipline secretary found derelict
    /// @param reason short code, "dereliction"
    function demote(bytes32 personId, bytes32 reason) external onlyRole(SUCCESSION_WRITER) {
        _demote(personId, reason);
    }

    /// @notice R-SU-3: one pass front to back after a final merit change. A member whose merit total
    /// exceeds that of the member directly ahead by the margin (6.0) or more moves up one place; a
    /// member moves up at most one place per pass. Cost grows with the order's length only.
    function overtakePass() external onlyRole(SUCCESSION_WRITER) {
        uint256 n = _order.length;
        if (n < 2) return;
        bytes32[] memory o = _order;
        int64[] memory m = book.meritOf(o);
        bool changed = false;
        for (uint256 i = 1; i < n; ++i) {
            if (m[i] - m[i - 1] >= int64(uint64(_margin))) {
                emit Overtook(o[i], o[i - 1], m[i], m[i - 1]);
                (o[i], o[i - 1]) = (o[i - 1], o[i]);
                (m[i], m[i - 1]) = (m[i - 1], m[i]);
                _order[i] = o[i];
                _order[i - 1] = o[i - 1];
                changed = true;
            }
        }
        if (changed) emit OrderChanged(o, R_OVERTAKE);
    }

    /// @notice Enforce R-MR-9 / R-MR-7 here for a person blacklisted or over the resignation threshold
    /// anywhere in the province (e.g. by another jurisdiction's ledger). Anyone may call it.
    /// @param personId the person
    function enforce(bytes32 personId) external {
        if (persons.isBlacklisted(personId)) {
            _remove(personId, "blacklisted");
            return;
        }
        int64 demerit = book.totals(personId).demerit;
        if (demerit < int64(uint64(_resign))) revert NothingToEnforce(personId, demerit, _resign);
        _remove(personId, "resigned");
    }

    // ---------------------------------------------------------------- R-SU-5 cycles

    /// @notice Open an assessment cycle (R-SU-5): remembers the discipline secretary and their merit earned.
    function openCycle() external onlyRole(Roles.MERIT_COMMITTEE) {
        if (cycleOpen) revert CycleState(true);
        bytes32 holder = jurisdiction.holder(Office.Discipline);
        uint64 earned = holder == bytes32(0) ? 0 : book.totals(holder).earned;
        cycleOpen = true;
        ++cycle;
        _cycleHolder = holder;
        _cycleEarned = earned;
        emit CycleOpened(cycle, holder, earned);
    }

    /// @notice Close the open cycle (R-SU-5). If the same discipline secretary held office through the
    /// cycle and earned no merit in it, their zero streak grows; at two in a row they move back one place.
    function closeCycle() external onlyRole(Roles.MERIT_COMMITTEE) {
        if (!cycleOpen) revert CycleState(false);
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

    /// @notice The succession order, first successor first.
    function order() external view returns (bytes32[] memory) {
        return _order;
    }

    /// @notice 1-based place of `personId` in the order, zero if absent.
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
        emit OrderChanged(_order, reason);
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
            emit OrderChanged(_order, reason);
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
        persons.recordTerm(next, Office.Secretary);
        emit Succeeded(next, wasSeated, from, k);
        emit OrderChanged(_order, R_SUCCESSION);
    }

    /// @dev R-SU-2: index of the first successor eligible for secretary (fewer than the term limit,
    /// not blacklisted, below the resignation threshold); max if none. Reads only.
    function _eligibleSuccessor() private view returns (uint256) {
        uint256 n = _order.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 p = _order[i];
            if (
                persons.termsServed(p, Office.Secretary) < _termLimit && !persons.isBlacklisted(p)
                    && book.totals(p).demerit < int64(uint64(_resign))
            ) return i;
        }
        return type(uint256).max;
    }
}
