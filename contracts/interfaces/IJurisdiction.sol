// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Office, Category, ProfileKind, CORE_OFFICES, ALL_OFFICES, CATEGORIES} from "../lib/ZhiliTypes.sol";
import {IWorkCalendar} from "./IWorkCalendar.sol";

/// @title The surface of `Jurisdiction`: its events, errors, types and external functions
interface IJurisdiction is IAccessControl {
    /// @notice Profile parameters, fixed at deployment. Points are in tenths (60 = 6.0 points).
    struct Params {
        ProfileKind kind;
        bytes32 profileHash; // keccak256 of the canonical JSON of the profile file
        uint16 threshold; // R-WD-2: yes weight needed to pass a motion (160)
        uint8 stage1MaxNames; // R-EL-2: names per stage-1 ballot (10)
        uint8 stage1Advance; // R-EL-2: candidates advancing from stage 1 (7)
        uint8 stage1MinCandidates; // R-EL-2: contested election needs at least this many (8)
        uint8 elected; // R-EL-4: candidates elected in stage 2 (5)
        uint8 secretaryTermLimit; // R-TL-1: lifetime terms as secretary (2)
        uint8 pathOneTopRank; // R-EL-8: incumbent re-elected as secretary if ranked within (3)
        uint8 vettingDimensions; // R-EL-1: 5 (county: 7 modules)
        uint8 oathWorkingDays; // R-DOC-6: 3 (county 5)
        uint16 handoverHours; // R-DOC-7: 24
        uint16 transitionDays; // R-DOC-8: 30 (county 90)
        uint16 lookbackDays; // R-DOC-8: 90
        uint8 disputeEscalationWorkingDays; // R-DOC-9: 2
        uint8 appealWorkingDays; // R-MR-11: 7
        uint8 appealAnswerWorkingDays; // R-MR-11: 15
        uint16 warningDemerit; // R-MR-7: 40 (4.0)
        uint16 resignDemerit; // R-MR-7: 60 (6.0)
        uint16 overtakeMargin; // R-SU-3: 60 (6.0)
        // poll windows, seconds (R-EL-7, issue 15 item 4; [decision] docs/election.md): read by each BallotBox
        uint32 minRegisterSeconds; // shortest time from a poll's scheduling to the close of its casting (600)
        uint32 minCastSeconds; // shortest casting window (600)
        uint32 minCountSeconds; // shortest counting (reveal) window (600)
        uint32 maxPollSeconds; // longest casting or counting window (30 days)
        uint32 openWithinSeconds; // after scheduling + this, the upper committee may open the poll too (7 days)
        // the scrutineers (R-EL-13; [decision] docs/election.md): read by the jurisdiction's Scrutiny
        uint8 scrutineers; // members of every poll's panel (5)
        uint8 scrutinyThreshold; // key shares that open a poll (3); 2 * threshold > members, threshold >= 2
    }

    /// @notice The profile parameters were set at deployment.
    event JurisdictionCreated(string code, string name, Params params, uint16[CORE_OFFICES][CATEGORIES] weights);
    /// @notice `personId` now holds `office`.
    event OfficeSeated(Office indexed office, bytes32 indexed personId);
    /// @notice `office`, held by `personId`, is now vacant (R-TC-3); `reason` is a short code
    /// such as keccak256("removed") or keccak256("succession").
    event OfficeVacated(Office indexed office, bytes32 indexed personId, bytes32 reason);

    /// @notice The secretary in office before the chain existed (R-EL-8), declared once by the admin
    /// before any secretary is seated on chain; an election counts them as incumbent only if the
    /// person registry records at least one secretary term for them.
    event PriorSecretaryDeclared(bytes32 indexed personId);

    /// @notice The last secretary is already known (seated on chain or declared): it can no longer be declared.
    /// @custom:rule R-EL-8
    error PriorSecretaryFixed(bytes32 lastSecretary);
    /// @notice The jurisdiction code was empty.
    /// @custom:rule R-OF-1
    error EmptyCode();
    /// @notice A single office's weight would pass a motion alone (R-WD-2: max 100 < 160).
    /// @custom:rule R-WD-2
    error WeightReachesThreshold(Category category, Office office, uint256 weight, uint256 threshold);
    /// @notice The threshold cannot be reached even with every seat voting yes.
    /// @custom:rule R-WD-2
    error ThresholdUnreachable(Category category, uint256 rowTotal, uint256 threshold);
    /// @notice An election-size parameter is inconsistent (needs maxNames >= advance >= elected > 0,
    /// minCandidates > advance, pathOneTopRank <= elected, 1..8 vetting dimensions).
    /// @custom:rule R-EL-2
    error InvalidElectionSizes(uint256 maxNames, uint256 advance, uint256 minCandidates, uint256 elected);
    /// @notice The poll bounds are inconsistent (needs 0 < minCast, minCount <= maxPoll, minRegister <= maxPoll,
    /// 0 < openWithin): a poll must be openable at once and closable within the longest window.
    /// @custom:rule R-EL-7
    error InvalidPollLimits(uint32 minRegister, uint32 minCast, uint32 minCount, uint32 maxPoll, uint32 openWithin);
    /// @notice The scrutiny panel's size and threshold break the rule: no minority opens a poll
    /// (2 * threshold > scrutineers), at least two shares (threshold >= 2), at most 16 members.
    /// @custom:rule R-EL-13
    error InvalidScrutinyPanel(uint8 scrutineers, uint8 threshold);
    /// @notice A person id of zero was given.
    /// @custom:rule R-OF-1
    error ZeroPerson();
    /// @notice The office is already held; vacate it first.
    /// @custom:rule R-TC-3
    error OfficeOccupied(Office office, bytes32 holder);
    /// @notice The person already holds another office of this jurisdiction.
    /// @custom:rule R-OF-1
    error AlreadyInOffice(bytes32 personId, Office office);
    /// @notice The office is vacant.
    /// @custom:rule R-TC-3
    error OfficeVacant(Office office);
    /// @notice The working-day calendar given is not a contract.
    /// @custom:rule none
    error NoCalendar(address calendar);

    /// @notice Runs elections and registers delegates and deputies.
    function ELECTION_AUTHORITY() external view returns (bytes32);
    /// @notice Joint qualification review board (资格审查联席会议), R-EL-1.
    function VETTING_BOARD() external view returns (bytes32);
    /// @notice Upper party committee (上级党委): approves the stage-1 list (R-EL-3) and offsets (R-MR-12).
    function UPPER_COMMITTEE() external view returns (bytes32);
    /// @notice Merit review committee (功勋积分审定委员会), R-MR-10.
    function MERIT_COMMITTEE() external view returns (bytes32);
    /// @notice Organisation department (组织部): rules on handover disputes (R-DOC-9).
    function ORG_DEPARTMENT() external view returns (bytes32);
    /// @notice Supervises oaths (R-DOC-6).
    function OATH_SUPERVISOR() external view returns (bytes32);
    /// @notice Upper discipline commission, inspection teams, same-level congress, audit (R-DOC-5).
    function AUDITOR() external view returns (bytes32);
    /// @notice Held only by zhili contracts that decide offices (election, succession), R-EL-11.
    function OFFICE_WRITER() external view returns (bytes32);
    /// @notice The jurisdiction's administrative code (e.g. "330110-001"), unique in the province.
    function code() external view returns (string memory);
    /// @notice The jurisdiction's name.
    function name() external view returns (string memory);
    /// @notice The province's working-day calendar every deadline of this jurisdiction is computed
    /// from (SPEC section 8).
    /// @dev Storage, not immutable: set once here, read once by each contract built on this jurisdiction.
    function calendar() external view returns (IWorkCalendar);
    /// @notice The profile parameters this jurisdiction runs under.
    function params() external view returns (Params memory);
    /// @notice Weight of `office` in motions of `category` (R-WD-1); zero for the discipline deputy.
    function weight(Category category, Office office) external view returns (uint256);
    /// @notice The weight row of `category`, one weight per core office in precedence order (R-WD-1).
    function weightRow(Category category) external view returns (uint16[CORE_OFFICES] memory);
    /// @notice The whole weight matrix, weights[category][office] (R-WD-1).
    function weights() external view returns (uint16[CORE_OFFICES][CATEGORIES] memory);
    /// @notice Person id holding `office`, zero if vacant.
    function holder(Office office) external view returns (bytes32);
    /// @notice All office holders in precedence order (zero = vacant).
    function holders() external view returns (bytes32[ALL_OFFICES] memory);
    /// @notice When the current holder of `office` was seated (block time), zero if never seated;
    /// the start of the oath period (R-DOC-6).
    function seatedAt(Office office) external view returns (uint40);
    /// @notice The last person seated as secretary here (or declared as the secretary before the
    /// chain), zero if none: the incumbent every election reads (R-EL-8); it stays when the seat is vacated.
    function lastSecretary() external view returns (bytes32);
    /// @notice Declare the secretary in office before the chain existed (R-EL-8); once, and only
    /// while no secretary has been seated or declared. Admin only.
    /// @param personId the previous secretary
    function declarePriorSecretary(bytes32 personId) external;
    /// @notice The person who last left `office` (zero if it was never vacated): the outgoing party
    /// of the handover to its next holder (R-DOC-7).
    function lastHolder(Office office) external view returns (bytes32);
    /// @notice Whether `personId` holds an office here.
    function isSeated(bytes32 personId) external view returns (bool);
    /// @notice Whether `personId` holds an office here, and which.
    function officeOf(bytes32 personId) external view returns (bool seated, Office office);
    /// @notice Seat `personId` in the vacant `office`. Only contracts that decide offices may call it (R-EL-11).
    /// @param office the office to fill
    /// @param personId lifetime person id of the new holder
    function seat(Office office, bytes32 personId) external;
    /// @notice Leave `office` vacant (R-TC-3). Only contracts that decide offices may call it.
    /// @param office the office to vacate
    /// @param reason short reason code, e.g. keccak256("removed")
    function vacate(Office office, bytes32 reason) external;
}
