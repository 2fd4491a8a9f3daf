// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {IWorkCalendar} from "./IWorkCalendar.sol";

/// @title The surface of `Handover`: its events, errors, types and external functions
interface IHandover {
    /// @notice The four checklist groups of R-DOC-7.
    enum Group {
        Credentials, // seals, e-government accounts, confidential files
        Files, // plans, 3 years of minutes, major decisions, budgets, audits
        Assets, // fixed and collective assets, equipment, IT systems
        WorkItems // annual tasks, projects, livelihood items, risk register, supervised matters
    }

    /// @notice Where a dispute stands (R-DOC-9). A raised dispute not settled by its escalation
    /// deadline counts as escalated.
    enum DisputeStatus {
        None,
        Raised,
        Settled,
        Escalated,
        Ruled
    }

    /// @notice R-DOC-8: an item missing from the checklist (look-back window) or the outgoing
    /// official not assisting (transition window).
    enum IssueKind {
        MissingItem,
        NoAssistance
    }

    /// @notice An oath period (R-DOC-6): the seated person and office, the seating time, the deadline and the recording.
    struct Oath {
        bytes32 person;
        Office office;
        uint40 resultAt;
        uint40 deadline;
        uint40 takenAt; // zero until taken
        uint8 algorithm; // of the recording's hash: 1 SHA-256, 2 SM3
        bytes32 recording;
    }

    /// @notice A handover (R-DOC-7, R-DOC-8): the three parties, the checklist, its deadlines and signatures.
    struct Case {
        uint256 oathId;
        Office office;
        bytes32 outgoing;
        bytes32 incoming;
        bytes32 supervisor; // the supervision group's signing representative
        bytes32 checklist; // keccak256(abi.encode(items)) of the four groups
        uint40 openedAt;
        uint40 deadline; // oath time + handover hours: to complete (township), to start (county)
        uint40 signedAt; // zero until all three signed: responsibility transfers then
        uint40 transitionEnds;
        uint40 lookbackEnds;
        uint8 signedMask; // 1 outgoing, 2 incoming, 4 supervisor
    }

    /// @notice A disputed checklist item (R-DOC-9): who raised it, the escalation deadline and the outcome.
    struct Dispute {
        uint256 handover;
        bytes32 item;
        bytes32 raisedBy;
        bytes32 reason;
        bytes32 outcome; // settlement or ruling hash
        uint40 raisedAt;
        uint40 escalationDeadline;
        bool major;
        bool suspended;
        DisputeStatus status;
    }

    /// @notice The oath period of `person` for `office` opened: due by `deadline` (R-DOC-6).
    event OathScheduled(
        uint256 indexed id, bytes32 indexed person, Office office, uint40 resultAt, uint40 deadline, uint8 workingDays
    );
    /// @notice `person` took the oath before `supervisor`; the recording's hash is published (R-DOC-6).
    event OathRecorded(
        uint256 indexed id, bytes32 indexed person, bytes32 recording, uint8 algorithm, address supervisor
    );
    /// @notice A handover opened with its checklist (R-DOC-7); item fingerprints by group.
    event HandoverOpened(
        uint256 indexed id,
        uint256 indexed oathId,
        Office office,
        bytes32 outgoing,
        bytes32 incoming,
        bytes32 supervisor,
        uint40 deadline,
        bytes32 checklist,
        bytes32[][4] items
    );
    /// @notice `person` signed the handover confirmation (signature kept for re-verification).
    event HandoverSigned(uint256 indexed id, bytes32 indexed person, bytes32 r, bytes32 vs);
    /// @notice All three sides signed: responsibility for `office` passed from `outgoing` to `incoming`
    /// (R-DOC-7); the transition and look-back windows run until the given times (R-DOC-8).
    event ResponsibilityTransferred(
        uint256 indexed id,
        Office office,
        bytes32 indexed outgoing,
        bytes32 indexed incoming,
        uint40 at,
        uint40 transitionEnds,
        uint40 lookbackEnds
    );
    /// @notice A dispute on a checklist item (R-DOC-9); settle on site by `escalationDeadline` or it
    /// goes to the organisation department.
    event DisputeRaised(
        uint256 indexed id,
        uint256 indexed handover,
        bytes32 item,
        bytes32 raisedBy,
        bytes32 reason,
        bool major,
        uint40 escalationDeadline,
        uint8 workingDays
    );
    /// @notice The supervision group settled the dispute on site (R-DOC-9).
    event DisputeSettled(uint256 indexed id, bytes32 resolution);
    /// @notice The dispute went to the organisation department; a major one suspends its item and is
    /// filed with the discipline commission (county: city audit bureau), R-DOC-9.
    event DisputeEscalated(uint256 indexed id, bytes32 by, bool suspended);
    /// @notice The organisation department ruled; any suspension of the item ends (R-DOC-9).
    event DisputeRuled(uint256 indexed id, bytes32 ruling, address by);
    /// @notice An issue recorded against the outgoing official (R-DOC-8).
    event IssueRecorded(
        uint256 indexed handover, bytes32 indexed outgoing, IssueKind kind, bytes32 issue, bytes32 reporter, address by
    );

    /// @notice The person does not hold the office in this jurisdiction.
    /// @custom:rule R-DOC-6
    error NotOfficeHolder(Office office, bytes32 person, bytes32 holder);
    /// @notice An oath period is already open for this seating: it is not rescheduled.
    /// @custom:rule R-DOC-6
    error OathAlreadyScheduled(Office office, bytes32 person, uint40 seatedAt);
    /// @notice No such oath.
    /// @custom:rule none
    error UnknownOath(uint256 id);
    /// @notice The oath is already recorded.
    /// @custom:rule R-DOC-6
    error OathAlreadyRecorded(uint256 id, uint40 takenAt);
    /// @notice The oath deadline (3 working days, county 5, after the result) has passed.
    /// @custom:rule R-DOC-6
    error OathLate(uint256 id, uint40 deadline, uint256 now_);
    /// @notice A recording hash of zero, or an unknown hash algorithm (1 SHA-256, 2 SM3).
    /// @custom:rule R-DOC-6
    error BadRecording(bytes32 recording, uint8 algorithm);
    /// @notice The handover needs the incoming official's oath first.
    /// @custom:rule R-DOC-7
    error OathNotTaken(uint256 oathId);
    /// @notice The 24-hour handover window after the oath has passed (township: to open and to sign;
    /// county: to open).
    /// @custom:rule R-DOC-7
    error HandoverLate(uint256 id, uint40 deadline, uint256 now_);
    /// @notice Outgoing, incoming and supervisor must be three distinct persons.
    /// @custom:rule R-DOC-7
    error BadParties(bytes32 outgoing, bytes32 incoming, bytes32 supervisor);
    /// @notice The outgoing party must be the person who last left the office (`Jurisdiction.lastHolder`).
    /// @custom:rule R-DOC-7
    error NotOutgoingHolder(Office office, bytes32 outgoing, bytes32 lastHolder);
    /// @notice The supervisor party must be a registered person whose current key holds
    /// `OATH_SUPERVISOR` here, or (township) the seated discipline secretary.
    /// @custom:rule R-DOC-7
    error NotSupervisionGroup(bytes32 supervisor, address key);
    /// @notice Each of the four checklist groups needs at least one item.
    /// @custom:rule R-DOC-7
    error EmptyGroup(Group group);
    /// @notice A checklist item is zero or listed twice.
    /// @custom:rule R-DOC-7
    error BadItem(Group group, bytes32 item);
    /// @notice No such handover.
    /// @custom:rule none
    error UnknownHandover(uint256 id);
    /// @notice The person is not a party of this handover (outgoing, incoming, supervisor).
    /// @custom:rule R-DOC-7
    error NotAParty(uint256 id, bytes32 person);
    /// @notice The caller's key is not the current key of a party of this handover.
    /// @custom:rule R-DOC-9
    error CallerNotAParty(uint256 id, address caller);
    /// @notice This party already signed.
    /// @custom:rule R-DOC-7
    error AlreadySigned(uint256 id, bytes32 person);
    /// @notice The handover is already signed by all three sides; responsibility has passed.
    /// @custom:rule R-DOC-7
    error AlreadyTransferred(uint256 id, uint40 signedAt);
    /// @notice The handover is not yet signed by all three sides.
    /// @custom:rule R-DOC-8
    error NotTransferred(uint256 id);
    /// @notice The window for this issue (transition or look-back) has closed.
    /// @custom:rule R-DOC-8
    error WindowClosed(uint256 id, IssueKind kind, uint40 end, uint256 now_);
    /// @notice Only the incoming official, the supervision group or the organisation department
    /// records issues.
    /// @custom:rule R-DOC-8
    error NotAReporter(uint256 id, address caller);
    /// @notice The item is not on this handover's checklist.
    /// @custom:rule R-DOC-9
    error UnknownItem(uint256 id, bytes32 item);
    /// @notice No such dispute.
    /// @custom:rule none
    error UnknownDispute(uint256 id);
    /// @notice The dispute is not in the state this step needs.
    /// @custom:rule R-DOC-9
    error WrongDisputeStatus(uint256 id, DisputeStatus status);
    /// @notice The on-site settlement window (2 working days) has passed: the dispute is with the
    /// organisation department.
    /// @custom:rule R-DOC-9
    error SettlementWindowClosed(uint256 id, uint40 deadline, uint256 now_);
    /// @notice Only the supervision group settles a dispute on site.
    /// @custom:rule R-DOC-9
    error NotSupervisor(uint256 id, bytes32 person);

    /// @notice The working-day calendar the oath and escalation deadlines are computed from.
    function calendar() external view returns (IWorkCalendar);
    /// @notice Working days an oath period lasts (the profile's `oathWorkingDays`).
    function oathWorkingDays() external view returns (uint8);
    /// @notice Hours a handover may take (the profile's `handoverHours`).
    function handoverHours() external view returns (uint16);
    /// @notice Days of the transition period (the profile's `transitionDays`).
    function transitionDays() external view returns (uint16);
    /// @notice Days of the look-back period (the profile's `lookbackDays`).
    function lookbackDays() external view returns (uint16);
    /// @notice Working days before a dispute may be escalated (the profile's `disputeEscalationWorkingDays`).
    function escalationWorkingDays() external view returns (uint8);
    /// @notice Whether all three signatures are due within `handoverHours` of the oath (township,
    /// R-DOC-7) or only the opening (county: the handover must start within 24 hours, 001 L77).
    function completionDeadline() external view returns (bool);
    /// @notice Open the oath period of a newly seated member (oath supervisor). The result is the
    /// seating the jurisdiction recorded; the period ends `oathWorkingDays` working days after its
    /// day, computed here from the calendar. One oath period per seating.
    /// @param person the member, who must hold `office` here
    /// @param office the office
    /// @return id the oath id
    function scheduleOath(bytes32 person, Office office) external returns (uint256 id);
    /// @notice Record the oath taken before the caller, with the recording's hash (oath supervisor).
    /// @param id the oath
    /// @param recording hash of the audio-video recording
    /// @param algorithm 1 SHA-256, 2 SM3
    function recordOath(uint256 id, bytes32 recording, uint8 algorithm) external;
    /// @notice Open the handover of the office whose new holder took oath `oathId`, with the four-group
    /// checklist of item fingerprints (oath supervisor, for the supervision group), within
    /// `handoverHours` of the oath (its last second included).
    /// @param oathId the incoming official's oath
    /// @param outgoing the outgoing official: the person who last left the office
    /// @param supervisor the supervision group's signing representative: a person whose key holds
    /// `OATH_SUPERVISOR`, or (township) the seated discipline secretary
    /// @param items item fingerprints per group (credentials, files, assets, work items)
    /// @return id the handover id
    function openHandover(uint256 oathId, bytes32 outgoing, bytes32 supervisor, bytes32[][4] calldata items)
        external
        returns (uint256 id);
    /// @notice Add one party's EIP-712 signature of the confirmation; anyone may submit it; township:
    /// by the handover's deadline, county: at any time after it opened. The third
    /// signature transfers responsibility and starts the transition and look-back windows (R-DOC-7, R-DOC-8).
    /// @param id the handover
    /// @param person the signing party (outgoing, incoming or supervisor)
    /// @param r signature r (EIP-2098 compact form)
    /// @param vs signature s with the parity bit of v
    function signHandover(uint256 id, bytes32 person, bytes32 r, bytes32 vs) external;
    /// @notice Record an issue against the outgoing official: an item missing from the checklist
    /// (within the look-back window) or failure to assist (within the transition window). By the
    /// incoming official, the supervision group (their keys) or the organisation department.
    /// @param id the handover
    /// @param kind MissingItem or NoAssistance
    /// @param issue hash of the issue's written record
    function recordIssue(uint256 id, IssueKind kind, bytes32 issue) external;
    /// @notice A party (by their key) disputes a checklist item before the handover is signed.
    /// @param id the handover
    /// @param item the item's fingerprint
    /// @param reason hash of the written objection
    /// @param major whether it concerns major assets or decisions (suspends the item if escalated)
    /// @return disputeId the dispute id; it is escalated unless settled on site by the end of the
    /// `escalationWorkingDays`-th working day after today (computed here from the calendar)
    function raiseDispute(uint256 id, bytes32 item, bytes32 reason, bool major) external returns (uint256 disputeId);
    /// @notice The supervision group settles a dispute on site, within the escalation deadline.
    /// @param disputeId the dispute
    /// @param resolution hash of the written settlement
    function settleDispute(uint256 disputeId, bytes32 resolution) external;
    /// @notice A party escalates an unsettled dispute to the organisation department; a major one
    /// suspends its item (R-DOC-9). Past the deadline an unsettled dispute counts as escalated anyway.
    /// @param disputeId the dispute
    function escalateDispute(uint256 disputeId) external;
    /// @notice The organisation department rules on an escalated dispute (or one left unsettled past
    /// its deadline); any suspension ends.
    /// @param disputeId the dispute
    /// @param ruling hash of the written ruling
    function ruleDispute(uint256 disputeId, bytes32 ruling) external;
    /// @notice Oath `id`.
    function oath(uint256 id) external view returns (Oath memory);
    /// @notice Handover `id`.
    function handover(uint256 id) external view returns (Case memory);
    /// @notice Dispute `id`, with its effective status (Escalated once an unsettled one passes its deadline).
    function dispute(uint256 id) external view returns (Dispute memory d, DisputeStatus effective);
    /// @notice Group of `item` on handover `id`'s checklist, and whether it is listed at all.
    function itemGroup(uint256 id, bytes32 item) external view returns (bool listed, Group group);
    /// @notice Numbers of oaths, handovers and disputes.
    function counts() external view returns (uint256 oaths, uint256 handovers, uint256 disputes);
    /// @notice The EIP-712 digest `person` signs to confirm handover `id`.
    function confirmationDigest(uint256 id, bytes32 person) external view returns (bytes32);
}
