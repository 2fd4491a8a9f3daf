// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IHandover} from "../interfaces/IHandover.sol";
import {Office, ProfileKind} from "../lib/ZhiliTypes.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";
import {PersonSigned} from "../base/PersonSigned.sol";

/// @title Oath and handover records of one jurisdiction (R-DOC-6 ... R-DOC-9)
/// @notice Oaths taken before the supervisor within the working-day deadline, with the recording's
/// hash (R-DOC-6); handovers within 24 hours of the oath (township: completed; county, 001 L77:
/// started), checked item by item in four groups and signed by the outgoing official (the person who
/// last left the office, as the jurisdiction recorded), the incoming official (the oath's) and the
/// supervision group (a key holding `OATH_SUPERVISOR`, or the township's discipline secretary),
/// responsibility passing at the last signature (R-DOC-7); the transition and look-back windows in which issues are
/// recorded against the outgoing official (R-DOC-8); disputes settled on site, or escalated within two
/// working days to the organisation department, which rules (R-DOC-9).
/// @dev Working-day deadlines (oath, escalation) are computed here from the province's
/// `WorkCalendar` when the period starts (the oath period from the seating recorded by the
/// jurisdiction) and stored as absolute times; the events carry start and length so anyone can
/// recompute them. Hour and day windows are computed here too.
contract Handover is JurisdictionBound, PersonSigned, IHandover {
    bytes32 private constant CONFIRMATION_TYPEHASH =
        keccak256("HandoverConfirmation(uint256 handover,bytes32 checklist,bytes32 signer)");
    IWorkCalendar public immutable calendar;
    uint8 public immutable oathWorkingDays;
    uint16 public immutable handoverHours;
    uint16 public immutable transitionDays;
    uint16 public immutable lookbackDays;
    uint8 public immutable escalationWorkingDays;
    bool public immutable completionDeadline;

    Oath[] private _oaths;
    Case[] private _cases;
    Dispute[] private _disputes;
    mapping(uint256 handover => mapping(bytes32 item => uint8)) private _itemGroup; // group + 1
    /// @dev The seating (its time) each office's last oath period was opened for: one per seating.
    mapping(Office office => uint40 seatedAt) private _oathFor;

    /// @param jurisdiction_ the jurisdiction (roles, office holders, profile windows)
    /// @param persons_ the province's person registry (parties' keys)
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_)
        JurisdictionBound(jurisdiction_)
        PersonSigned("zhili Handover", "1", persons_)
    {
        calendar = jurisdiction_.calendar();
        IJurisdiction.Params memory p = jurisdiction_.params();
        oathWorkingDays = p.oathWorkingDays;
        handoverHours = p.handoverHours;
        transitionDays = p.transitionDays;
        lookbackDays = p.lookbackDays;
        escalationWorkingDays = p.disputeEscalationWorkingDays;
        completionDeadline = p.kind == ProfileKind.Township;
    }

    // ------------------------------------------------------------------ oath (R-DOC-6)

    function scheduleOath(bytes32 person, Office office) external onlyRole(Roles.OATH_SUPERVISOR) returns (uint256 id) {
        bytes32 holder = jurisdiction.holder(office);
        if (holder != person || person == bytes32(0)) revert NotOfficeHolder(office, person, holder);
        uint40 resultAt = jurisdiction.seatedAt(office);
        if (_oathFor[office] == resultAt) revert OathAlreadyScheduled(office, person, resultAt);
        _oathFor[office] = resultAt;
        uint40 deadline = uint40(calendar.deadline(resultAt, oathWorkingDays));
        id = _oaths.length;
        _oaths.push(Oath(person, office, resultAt, deadline, 0, 0, bytes32(0)));
        emit OathScheduled(id, person, office, resultAt, deadline, oathWorkingDays);
    }

    function recordOath(uint256 id, bytes32 recording, uint8 algorithm) external onlyRole(Roles.OATH_SUPERVISOR) {
        Oath storage o = _oath(id);
        if (o.takenAt != 0) revert OathAlreadyRecorded(id, o.takenAt);
        if (block.timestamp > o.deadline) revert OathLate(id, o.deadline, block.timestamp);
        if (recording == bytes32(0) || algorithm == 0 || algorithm > 2) revert BadRecording(recording, algorithm);
        o.takenAt = uint40(block.timestamp);
        o.recording = recording;
        o.algorithm = algorithm;
        emit OathRecorded(id, o.person, recording, algorithm, msg.sender);
    }

    // ------------------------------------------------------------------ handover (R-DOC-7)

    function openHandover(uint256 oathId, bytes32 outgoing, bytes32 supervisor, bytes32[][4] calldata items)
        external
        onlyRole(Roles.OATH_SUPERVISOR)
        returns (uint256 id)
    {
        Oath storage o = _oath(oathId);
        if (o.takenAt == 0) revert OathNotTaken(oathId);
        uint40 deadline = o.takenAt + uint40(handoverHours) * 1 hours;
        id = _cases.length;
        if (block.timestamp > deadline) revert HandoverLate(id, deadline, block.timestamp);
        bytes32 incoming = o.person;
        _checkParties(o.office, outgoing, incoming, supervisor);
        Case storage c = _cases.push();
        c.oathId = oathId;
        c.office = o.office;
        c.outgoing = outgoing;
        c.incoming = incoming;
        c.supervisor = supervisor;
        c.checklist = _storeItems(id, items);
        c.openedAt = uint40(block.timestamp);
        c.deadline = deadline;
        emit HandoverOpened(id, oathId, c.office, outgoing, incoming, supervisor, deadline, c.checklist, items);
    }

    function signHandover(uint256 id, bytes32 person, bytes32 r, bytes32 vs) external {
        Case storage c = _case(id);
        if (c.signedAt != 0) revert AlreadyTransferred(id, c.signedAt);
        if (completionDeadline && block.timestamp > c.deadline) revert HandoverLate(id, c.deadline, block.timestamp);
        uint8 bit = _partyBit(c, person);
        if (bit == 0) revert NotAParty(id, person);
        if (c.signedMask & bit != 0) revert AlreadySigned(id, person);
        _checkPersonSigned(
            person, _hashTypedDataV4(keccak256(abi.encode(CONFIRMATION_TYPEHASH, id, c.checklist, person))), r, vs
        );
        c.signedMask |= bit;
        emit HandoverSigned(id, person, r, vs);
        if (c.signedMask == 7) {
            uint40 now_ = uint40(block.timestamp);
            c.signedAt = now_;
            c.transitionEnds = now_ + uint40(transitionDays) * 1 days;
            c.lookbackEnds = now_ + uint40(lookbackDays) * 1 days;
            emit ResponsibilityTransferred(id, c.office, c.outgoing, c.incoming, now_, c.transitionEnds, c.lookbackEnds);
        }
    }

    // ------------------------------------------------------------------ after handover (R-DOC-8)

    function recordIssue(uint256 id, IssueKind kind, bytes32 issue) external {
        Case storage c = _case(id);
        bytes32 reporter = persons.personOf(msg.sender);
        if (
            (reporter == bytes32(0) || (reporter != c.incoming && reporter != c.supervisor))
                && !_hasRole(Roles.ORG_DEPARTMENT)
        ) revert NotAReporter(id, msg.sender);
        if (c.signedAt == 0) revert NotTransferred(id);
        uint40 end = kind == IssueKind.MissingItem ? c.lookbackEnds : c.transitionEnds;
        if (block.timestamp > end) revert WindowClosed(id, kind, end, block.timestamp);
        emit IssueRecorded(id, c.outgoing, kind, issue, reporter, msg.sender);
    }

    // ------------------------------------------------------------------ disputes (R-DOC-9)

    function raiseDispute(uint256 id, bytes32 item, bytes32 reason, bool major) external returns (uint256 disputeId) {
        Case storage c = _case(id);
        if (c.signedAt != 0) revert AlreadyTransferred(id, c.signedAt);
        bytes32 person = persons.personOf(msg.sender);
        if (person == bytes32(0) || _partyBit(c, person) == 0) revert CallerNotAParty(id, msg.sender);
        if (_itemGroup[id][item] == 0) revert UnknownItem(id, item);
        uint40 escalationDeadline = uint40(calendar.deadline(block.timestamp, escalationWorkingDays));
        disputeId = _disputes.length;
        _disputes.push(
            Dispute(
                id,
                item,
                person,
                reason,
                bytes32(0),
                uint40(block.timestamp),
                escalationDeadline,
                major,
                false,
                DisputeStatus.Raised
            )
        );
        emit DisputeRaised(disputeId, id, item, person, reason, major, escalationDeadline, escalationWorkingDays);
    }

    function settleDispute(uint256 disputeId, bytes32 resolution) external {
        Dispute storage d = _dispute(disputeId);
        bytes32 person = persons.personOf(msg.sender);
        if (person == bytes32(0) || person != _cases[d.handover].supervisor) revert NotSupervisor(disputeId, person);
        if (d.status != DisputeStatus.Raised) revert WrongDisputeStatus(disputeId, d.status);
        if (block.timestamp > d.escalationDeadline) {
            revert SettlementWindowClosed(disputeId, d.escalationDeadline, block.timestamp);
        }
        d.status = DisputeStatus.Settled;
        d.outcome = resolution;
        emit DisputeSettled(disputeId, resolution);
    }

    function escalateDispute(uint256 disputeId) external {
        Dispute storage d = _dispute(disputeId);
        bytes32 person = persons.personOf(msg.sender);
        if (person == bytes32(0) || _partyBit(_cases[d.handover], person) == 0) {
            revert CallerNotAParty(d.handover, msg.sender);
        }
        if (d.status != DisputeStatus.Raised) revert WrongDisputeStatus(disputeId, d.status);
        d.status = DisputeStatus.Escalated;
        d.suspended = d.major;
        emit DisputeEscalated(disputeId, person, d.major);
    }

    function ruleDispute(uint256 disputeId, bytes32 ruling) external onlyRole(Roles.ORG_DEPARTMENT) {
        Dispute storage d = _dispute(disputeId);
        DisputeStatus s = _effective(d);
        if (s != DisputeStatus.Escalated) revert WrongDisputeStatus(disputeId, s);
        d.status = DisputeStatus.Ruled;
        d.suspended = false;
        d.outcome = ruling;
        emit DisputeRuled(disputeId, ruling, msg.sender);
    }

    // ------------------------------------------------------------------ views

    function oath(uint256 id) external view returns (Oath memory) {
        return _oath(id);
    }

    function handover(uint256 id) external view returns (Case memory) {
        return _case(id);
    }

    function dispute(uint256 id) external view returns (Dispute memory d, DisputeStatus effective) {
        d = _dispute(id);
        effective = _effective(d);
    }

    function itemGroup(uint256 id, bytes32 item) external view returns (bool listed, Group group) {
        uint8 g = _itemGroup[id][item];
        return g == 0 ? (false, Group.Credentials) : (true, Group(g - 1));
    }

    function counts() external view returns (uint256 oaths, uint256 handovers, uint256 disputes) {
        return (_oaths.length, _cases.length, _disputes.length);
    }

    function confirmationDigest(uint256 id, bytes32 person) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CONFIRMATION_TYPEHASH, id, _case(id).checklist, person)));
    }

    // ------------------------------------------------------------------ internals

    function _storeItems(uint256 id, bytes32[][4] calldata items) private returns (bytes32) {
        for (uint256 g = 0; g < 4; ++g) {
            uint256 n = items[g].length;
            if (n == 0) revert EmptyGroup(Group(g));
            for (uint256 i = 0; i < n; ++i) {
                bytes32 item = items[g][i];
                if (item == bytes32(0) || _itemGroup[id][item] != 0) revert BadItem(Group(g), item);
                _itemGroup[id][item] = uint8(g + 1);
            }
        }
        return keccak256(abi.encode(items));
    }

    /// @dev Three distinct parties; the outgoing one is who last left `office` (R-DOC-7).
    function _checkParties(Office office, bytes32 outgoing, bytes32 incoming, bytes32 supervisor) private view {
        if (outgoing == incoming || supervisor == incoming || supervisor == outgoing) {
            revert BadParties(outgoing, incoming, supervisor);
        }
        bytes32 left = jurisdiction.lastHolder(office);
        if (outgoing != left || left == bytes32(0)) revert NotOutgoingHolder(office, outgoing, left);
        _checkSupervisor(supervisor);
    }

    /// @dev The supervision group's representative: a registered person whose current key holds
    /// `OATH_SUPERVISOR` here (county liaison; county profile: city discipline and organisation staff),
    /// or, in the township profile, the seated discipline secretary (R-DOC-7).
    function _checkSupervisor(bytes32 supervisor) private view {
        address key = persons.keyOf(supervisor);
        if (key != address(0)) {
            if (jurisdiction.hasRole(Roles.OATH_SUPERVISOR, key)) return;
            if (completionDeadline && jurisdiction.holder(Office.Discipline) == supervisor) return;
        }
        revert NotSupervisionGroup(supervisor, key);
    }

    function _partyBit(Case storage c, bytes32 person) private view returns (uint8) {
        if (person == c.outgoing) return 1;
        if (person == c.incoming) return 2;
        if (person == c.supervisor) return 4;
        return 0;
    }

    /// @dev Compares the status enum, not a time (slither taints it through `raisedAt`).
    // slither-disable-next-line incorrect-equality
    function _effective(Dispute memory d) private view returns (DisputeStatus) {
        if (d.status == DisputeStatus.Raised && block.timestamp > d.escalationDeadline) return DisputeStatus.Escalated;
        return d.status;
    }

    function _oath(uint256 id) private view returns (Oath storage) {
        if (id >= _oaths.length) revert UnknownOath(id);
        return _oaths[id];
    }

    function _case(uint256 id) private view returns (Case storage) {
        if (id >= _cases.length) revert UnknownHandover(id);
        return _cases[id];
    }

    function _dispute(uint256 id) private view returns (Dispute storage) {
        if (id >= _disputes.length) revert UnknownDispute(id);
        return _disputes[id];
    }
}
