// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IVillageQuarters} from "../interfaces/IVillageQuarters.sol";
import {IVillageLedger} from "../interfaces/IVillageLedger.sol";
import {ICreditFramework} from "../interfaces/ICreditFramework.sol";
import {VillageLedger} from "./VillageLedger.sol";
import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";
import {Roles} from "../lib/Roles.sol";
import {VillageTypes as V} from "../lib/VillageTypes.sol";

/// @title A village's quarters: publication, objections, rulings, finality, grades, consequences
/// (R-VC-7, R-VC-8, R-VC-9)
/// @notice A credit council member publishes a quarter's standings in rank order once its last
/// declaration window has closed; the first batch freezes the quarter in the ledger, so no team can
/// change a point of it afterwards. Within the objection window (working days from the manual) any
/// villager objects; the council rules by more than half of its members, never on a member's own
/// standing; then anyone makes the quarter final, and a final quarter never changes. Grades follow
/// from the four final quarters and the framework's thresholds; a failing representative has a
/// rectification deadline, after which anyone can make the seat lost (a by-election is due).
/// @dev Publication reads one ledger slot per person and stores nothing per person (the `Standing`
/// events are the record); rulings store a signed `Adjustment` per corrected person and quarter.
contract VillageQuarters is IVillageQuarters, JurisdictionBound {
    /// @notice The village's ledger (points, roll, manual).
    VillageLedger public immutable ledger;
    /// @notice The district framework (base score, proportions, grade scale).
    ICreditFramework public immutable framework;
    /// @notice The province's working-day calendar (objection window, declaration windows).
    IWorkCalendar public immutable calendar;

    /// @notice A failing representative rectifies within this many calendar months (R-VC-9, SPEC [decision]).
    uint256 public constant RECTIFY_MONTHS = 3;

    /// @notice Number of objections; ids are 1..objectionCount.
    uint256 public objectionCount;

    mapping(uint32 quarter => Quarter) private _quarters;
    mapping(uint256 id => Objection) private _objections;
    mapping(uint256 id => mapping(uint32 member => bool)) private _ruled;
    mapping(uint256 id => mapping(bytes32 ruling => uint32)) private _tally;
    mapping(uint256 quarterIdx => Adjustment) private _adjust; // (quarter << 32 | idx)
    mapping(uint256 yearIdx => Annual) private _annual; // (year << 32 | idx)
    mapping(uint256 yearIdx => Rectification) private _rect;
    mapping(uint256 yearIdx => uint32) private _helper;

    /// @param ledger_ the village's ledger (the town binds this contract there with `setQuarters`)
    constructor(VillageLedger ledger_) JurisdictionBound(ledger_.jurisdiction()) {
        ledger = ledger_;
        framework = ledger_.framework();
        calendar = ledger_.calendar();
    }

    // ------------------------------------------------------------------ publication (R-VC-7)

    /// @inheritdoc IVillageQuarters
    /// @dev The external calls go to this village's own ledger and the province's calendar (immutable
    /// zhili contracts without callbacks); slither's reentrancy-no-eth is suppressed for that reason.
    // slither-disable-next-line reentrancy-no-eth
    function publish(uint32 quarter, uint32[] calldata idx) external {
        (bytes32 publisher,) = _caller(V.COUNCIL);
        Quarter storage q = _quarters[quarter];
        if (q.state == 0) {
            _checkOver(quarter);
            q.state = 1;
            q.count = ledger.participants();
            q.council = ledger.councilSize();
            q.lastCredit = type(int64).max;
            ledger.freeze(quarter);
            emit PublicationStarted(quarter, q.count, q.council, publisher);
        } else if (q.state != 1) {
            revert QuarterState(quarter, q.state);
        }
        IVillageLedger.Totals[] memory t = ledger.totals(quarter, idx);
        int64 lastCredit = q.lastCredit;
        uint32 lastIdx = q.lastIdx;
        uint32 rank = q.done;
        uint32 count = q.count;
        for (uint256 i = 0; i < idx.length; ++i) {
            uint32 p = idx[i];
            IVillageLedger.Totals memory x = t[i];
            int64 credit = int64(uint64(x.creditPlus)) - int64(uint64(x.creditMinus));
            if (p == 0 || p > count || credit > lastCredit || (credit == lastCredit && p <= lastIdx)) {
                revert RankOrder(quarter, p, credit);
            }
            (lastCredit, lastIdx) = (credit, p);
            emit Standing(
                quarter, p, ++rank, [x.partyPlus, x.partyMinus, x.repPlus, x.repMinus, x.creditPlus, x.creditMinus]
            );
        }
        (q.lastCredit, q.lastIdx, q.done) = (lastCredit, lastIdx, rank);
        if (rank == count) {
            q.state = 2;
            q.publishedAt = uint64(block.timestamp);
            q.deadline = calendar.deadline(block.timestamp, ledger.manual().objectionDays);
            emit QuarterPublished(quarter, q.publishedAt, q.deadline);
        }
    }

    function object(uint32 quarter, bytes32 subject, uint256 entry, bytes32 grounds) external returns (uint256 id) {
        (, uint32 objector) = _caller(0);
        Quarter storage q = _quarters[quarter];
        if (q.state != 2 || block.timestamp > q.deadline) {
            revert ObjectionWindowClosed(quarter, block.timestamp, q.deadline);
        }
        uint32 s = ledger.idxOf(subject);
        if (s == 0 || s > q.count) revert EntryNotInStanding(entry, s, quarter);
        if (entry != 0) {
            IVillageLedger.Declaration memory d = ledger.declaration(entry);
            if (d.idx != s || d.month / 3 != quarter) revert EntryNotInStanding(entry, s, quarter);
        }
        id = ++objectionCount;
        _objections[id] = Objection({quarter: quarter, subject: s, objector: objector, state: 1, entry: entry});
        ++q.open;
        emit Objected(id, quarter, s, objector, entry, grounds);
    }

    function rule(uint256 id, bool uphold, uint8 kind, int32 delta, bytes32 reason) external {
        (, uint32 member) = _caller(V.COUNCIL);
        Objection storage o = _objections[id];
        if (o.state == 0) revert UnknownObjection(id);
        if (o.state != 1) revert ObjectionClosed(id, o.state);
        if (o.subject == member) revert OwnStanding(id, member);
        if (_ruled[id][member]) revert AlreadyRuled(id, member);
        if (kind > 2 || (uphold ? delta == 0 : (delta != 0 || kind != 0))) revert RulingShape(uphold, kind, delta);
        _ruled[id][member] = true;
        bytes32 ruling = keccak256(abi.encode(uphold, kind, delta, reason));
        uint32 votes = ++_tally[id][ruling];
        emit RulingVoted(id, member, uphold, kind, delta, reason, votes);
        Quarter storage q = _quarters[o.quarter];
        if (uint256(votes) * 2 > q.council) {
            o.state = uphold ? 2 : 3;
            --q.open;
            if (uphold) {
                Adjustment storage a = _adjust[(uint256(o.quarter) << 32) | o.subject];
                if (kind == 0) a.party += delta;
                else if (kind == 1) a.rep += delta;
                else a.credit += delta;
            }
            emit ObjectionRuled(id, uphold, kind, delta, reason);
        }
    }

    function finalize(uint32 quarter) external {
        Quarter storage q = _quarters[quarter];
        if (q.state != 2) revert QuarterState(quarter, q.state);
        if (block.timestamp <= q.deadline || q.open != 0) revert NotYetFinal(quarter, q.deadline, q.open);
        q.state = 3;
        emit QuarterFinal(quarter);
    }

    // ------------------------------------------------------------------ grades (R-VC-8, R-VC-9)

    function grade(uint16 year, uint32[] calldata idx) external {
        uint32 first = uint32(year - 1970) * 4;
        for (uint32 k = 0; k < 4; ++k) {
            if (_quarters[first + k].state != 3) revert YearNotFinal(year, first + k);
        }
        ICreditFramework.Framework memory f = framework.framework();
        int256[3][] memory sums = _yearSums(first, idx);
        for (uint256 i = 0; i < idx.length; ++i) {
            _grade(year, idx[i], f, sums[i]);
        }
    }

    function confirmRectified(uint16 year, bytes32 person, bytes32 evidence) external onlyRole(Roles.VILLAGE_OFFICE) {
        uint32 p = ledger.idxOf(person);
        Rectification storage r = _rect[(uint256(year) << 32) | p];
        if (r.state != 1) revert NoRectificationDue(year, person, r.state);
        if (block.timestamp > r.deadline) revert RectificationDeadline(year, person, block.timestamp, r.deadline);
        r.state = 2;
        emit Rectified(year, p, evidence);
    }

    function loseSeat(uint16 year, bytes32 person) external {
        uint32 p = ledger.idxOf(person);
        Rectification storage r = _rect[(uint256(year) << 32) | p];
        if (r.state != 1) revert NoRectificationDue(year, person, r.state);
        if (block.timestamp <= r.deadline) revert RectificationDeadline(year, person, block.timestamp, r.deadline);
        r.state = 3;
        emit SeatLost(year, p, person);
        ledger.vacateSeat(person);
    }

    function assignHelper(uint16 year, bytes32 villager, bytes32 helper) external {
        _caller(V.SECRETARY);
        uint32 v = ledger.idxOf(villager);
        uint32 h = ledger.idxOf(helper);
        uint256 key = (uint256(year) << 32) | v;
        if (
            v == 0 || _annual[key].stars != 1 || h == 0 || ledger.rolesOf(h) & V.PARTY == 0 || _helper[key] != 0
                || h == v
        ) {
            revert HelpNotAllowed(year, villager, helper);
        }
        _helper[key] = h;
        emit HelperAssigned(year, v, h);
    }

    // ------------------------------------------------------------------ views

    /// @notice A quarter's publication record.
    function quarterInfo(uint32 quarter) external view returns (Quarter memory) {
        return _quarters[quarter];
    }

    /// @notice An objection.
    function objection(uint256 id) external view returns (Objection memory) {
        return _objections[id];
    }

    /// @notice Corrections of person `idx`'s quarter by upheld rulings.
    function adjustment(uint32 quarter, uint32 idx) external view returns (Adjustment memory) {
        return _adjust[(uint256(quarter) << 32) | idx];
    }

    /// @notice Person `idx`'s grades for `year`.
    function annual(uint16 year, uint32 idx) external view returns (Annual memory) {
        return _annual[(uint256(year) << 32) | idx];
    }

    /// @notice Representative `idx`'s rectification for `year`.
    function rectification(uint16 year, uint32 idx) external view returns (Rectification memory) {
        return _rect[(uint256(year) << 32) | idx];
    }

    /// @notice The party member helping villager `idx` after `year`'s grades (0 if none).
    function helperOf(uint16 year, uint32 idx) external view returns (uint32) {
        return _helper[(uint256(year) << 32) | idx];
    }

    // ------------------------------------------------------------------ internals

    /// @dev The caller's person and index in the ledger, reverting unless they hold `role` (0: any villager).
    function _caller(uint8 role) private view returns (bytes32 person, uint32 idx) {
        idx = ledger.idxOfKey(msg.sender);
        if (idx == 0) revert IVillageLedger.NotInVillage(msg.sender);
        IVillageLedger.Member memory m;
        (person, m) = ledger.member(idx);
        if (role != 0 && m.roles & role == 0) revert IVillageLedger.VillageRoleRequired(person, role);
    }

    /// @dev Reverts with `QuarterNotOver` until the quarter has ended and each of its months' declaration
    /// window has closed: an opened month's as pinned, the last month's from the manual's working days
    /// on the calendar (as opening it would) if nobody opened it (R-VC-7).
    function _checkOver(uint32 quarter) private view {
        uint256 end = V.monthStart(uint256(quarter) * 3 + 3);
        if (block.timestamp < end) revert QuarterNotOver(quarter, uint64(end));
        for (uint32 k = 0; k < 3; ++k) {
            uint64 close = ledger.monthInfo(quarter * 3 + k).declareClose;
            if (close == 0 && k == 2) {
                uint8 days_ = ledger.manual().declareDays;
                if (days_ != 0) close = calendar.deadline(end - 1, days_);
            }
            if (block.timestamp <= close) revert QuarterNotOver(quarter, close);
        }
    }

    /// @dev Net points per kind (party duty, representative duty, credit) over the year's four quarters,
    /// rulings included.
    function _yearSums(uint32 first, uint32[] calldata idx) private view returns (int256[3][] memory sums) {
        sums = new int256[3][](idx.length);
        for (uint32 k = 0; k < 4; ++k) {
            IVillageLedger.Totals[] memory t = ledger.totals(first + k, idx);
            for (uint256 i = 0; i < idx.length; ++i) {
                Adjustment memory a = _adjust[(uint256(first + k) << 32) | idx[i]];
                sums[i][0] += int256(uint256(t[i].partyPlus)) - int256(uint256(t[i].partyMinus)) + a.party;
                sums[i][1] += int256(uint256(t[i].repPlus)) - int256(uint256(t[i].repMinus)) + a.rep;
                sums[i][2] += int256(uint256(t[i].creditPlus)) - int256(uint256(t[i].creditMinus)) + a.credit;
            }
        }
    }

    function _grade(uint16 year, uint32 p, ICreditFramework.Framework memory f, int256[3] memory s) private {
        uint256 key = (uint256(year) << 32) | p;
        if (_annual[key].graded) revert AlreadyGraded(year, p);
        uint8 colours = ledger.coloursOf(p, year);
        int256 base = int256(uint256(f.baseScore));
        Annual memory a =
            Annual({partyScore: 0, repScore: 0, villagerScore: 0, partyGrade: 0, repGrade: 0, stars: 0, graded: true});
        if (colours & (1 << V.RED) != 0) {
            a.partyScore = int32(V.combined(base, f.dutyPercent, s[0], s[2]));
            a.partyGrade = V.memberGrade(f.memberGrades, a.partyScore);
        }
        if (colours & (1 << V.YELLOW) != 0) {
            a.repScore = int32(V.combined(base, f.dutyPercent, s[1], s[2]));
            a.repGrade = V.memberGrade(f.memberGrades, a.repScore);
        }
        if (colours & (1 << V.BLUE) != 0) {
            a.villagerScore = int32(base + s[2]);
            a.stars = V.stars(f.starGrades, a.villagerScore);
        }
        _annual[key] = a;
        emit Graded(year, p, a);
        if (a.repGrade == V.FAILING) {
            uint64 deadline = V.monthsOnEnd(block.timestamp, RECTIFY_MONTHS);
            _rect[key] = Rectification({deadline: deadline, state: 1});
            emit RectificationDue(year, p, deadline);
        }
        if (a.partyGrade == V.FAILING) emit ReferredToBranch(year, p);
    }
}
