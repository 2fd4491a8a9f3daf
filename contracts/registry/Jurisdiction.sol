// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {WorkCalendar} from "./WorkCalendar.sol";
import {Office, Category, ProfileKind, CORE_OFFICES, ALL_OFFICES, CATEGORIES} from "../lib/ZhiliTypes.sol";
import {Roles} from "../lib/Roles.sol";

/// @title Jurisdiction registry of one township or county
/// @notice Holds what a jurisdiction is: its code and name, the profile parameters it runs under
/// (weight matrix R-WD-1, threshold R-WD-2, election sizes R-EL-2..R-EL-4, term limit R-TL-1,
/// deadlines R-DOC-6..R-DOC-8, R-MR-11, merit thresholds R-MR-7, R-SU-3), the external roles of
/// SPEC section 0, and who holds each office (R-OF-1). Offices are written only by the contracts
/// that own the rules deciding them (election, succession), never by hand (R-EL-11).
/// @dev Every state change emits an event that carries the full new state of what it changed, so
/// the registry can be rebuilt from logs alone.
contract Jurisdiction is AccessControl {
    /// @notice Runs elections and registers delegates and deputies.
    bytes32 public constant ELECTION_AUTHORITY = Roles.ELECTION_AUTHORITY;
    /// @notice Joint qualification review board (资格审查联席会议), R-EL-1.
    bytes32 public constant VETTING_BOARD = Roles.VETTING_BOARD;
    /// @notice Upper party committee (上级党委): approves the stage-1 list (R-EL-3) and offsets (R-MR-12).
    bytes32 public constant UPPER_COMMITTEE = Roles.UPPER_COMMITTEE;
    /// @notice Merit review committee (功勋积分审定委员会), R-MR-10.
    bytes32 public constant MERIT_COMMITTEE = Roles.MERIT_COMMITTEE;
    /// @notice Organisation department (组织部): rules on handover disputes (R-DOC-9).
    bytes32 public constant ORG_DEPARTMENT = Roles.ORG_DEPARTMENT;
    /// @notice Supervises oaths (R-DOC-6).
    bytes32 public constant OATH_SUPERVISOR = Roles.OATH_SUPERVISOR;
    /// @notice Upper discipline commission, inspection teams, same-level congress, audit (R-DOC-5).
    bytes32 public constant AUDITOR = Roles.AUDITOR;
    /// @notice Held only by zhili contracts that decide offices (election, succession), R-EL-11.
    bytes32 public constant OFFICE_WRITER = Roles.OFFICE_WRITER;

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
    }

    /// @notice The jurisdiction's administrative code (e.g. "330110-001"), unique in the province.
    string public code;
    /// @notice The jurisdiction's name.
    string public name;
    /// @notice The province's working-day calendar every deadline of this jurisdiction is computed
    /// from (SPEC section 8).
    /// @dev Storage, not immutable: set once here, read once by each contract built on this jurisdiction.
    WorkCalendar public calendar;

    Params private _params;
    /// @dev weights[category][office] for the five core offices, R-WD-1.
    uint16[CORE_OFFICES][CATEGORIES] private _weights;
    /// @dev person id seated in each office; zero means vacant.
    bytes32[ALL_OFFICES] private _holders;
    /// @dev When each office's holder was seated (block time; zero while never seated). Six uint40
    /// pack into one storage word: a seating writes one slot more than before, not six.
    uint40[ALL_OFFICES] private _seatedAt;
    /// @dev office index + 1 a person holds; zero means none.
    mapping(bytes32 personId => uint8) private _officeOf;

    /// @notice The profile parameters were set at deployment.
    event JurisdictionCreated(string code, string name, Params params, uint16[CORE_OFFICES][CATEGORIES] weights);
    /// @notice `personId` now holds `office`.
    event OfficeSeated(Office indexed office, bytes32 indexed personId);
    /// @notice `office`, held by `personId`, is now vacant (R-TC-3); `reason` is a short code
    /// such as keccak256("removed") or keccak256("succession").
    event OfficeVacated(Office indexed office, bytes32 indexed personId, bytes32 reason);

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

    /// @param admin_ account that may grant and revoke the external roles (the upper organisation)
    /// @param calendar_ the province's working-day calendar
    /// @param code_ administrative code of the jurisdiction
    /// @param name_ name of the jurisdiction
    /// @param params_ profile parameters
    /// @param weights_ weight matrix, weights_[category][office] (R-WD-1)
    constructor(
        address admin_,
        WorkCalendar calendar_,
        string memory code_,
        string memory name_,
        Params memory params_,
        uint16[CORE_OFFICES][CATEGORIES] memory weights_
    ) {
        if (bytes(code_).length == 0) revert EmptyCode();
        if (
            params_.elected == 0 || params_.stage1Advance < params_.elected
                || params_.stage1MaxNames < params_.stage1Advance
                || params_.stage1MinCandidates <= params_.stage1Advance || params_.pathOneTopRank > params_.elected
                || params_.vettingDimensions == 0 || params_.vettingDimensions > 8
        ) {
            revert InvalidElectionSizes(
                params_.stage1MaxNames, params_.stage1Advance, params_.stage1MinCandidates, params_.elected
            );
        }
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            uint256 total = 0;
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                uint256 w = weights_[c][o];
                if (w >= params_.threshold) {
                    revert WeightReachesThreshold(Category(c), Office(o), w, params_.threshold);
                }
                total += w;
            }
            if (total < params_.threshold) revert ThresholdUnreachable(Category(c), total, params_.threshold);
        }
        // checked last: a dry run with no calendar reports every other problem first
        if (address(calendar_).code.length == 0) revert NoCalendar(address(calendar_));
        calendar = calendar_;
        code = code_;
        name = name_;
        _params = params_;
        _weights = weights_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin_);
        emit JurisdictionCreated(code_, name_, params_, weights_);
    }

    // ---------------------------------------------------------------- profile

    /// @notice The profile parameters this jurisdiction runs under.
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @notice Weight of `office` in motions of `category` (R-WD-1); zero for the discipline deputy.
    function weight(Category category, Office office) external view returns (uint256) {
        if (uint256(office) >= CORE_OFFICES) return 0;
        return _weights[uint256(category)][uint256(office)];
    }

    /// @notice The weight row of `category`, one weight per core office in precedence order (R-WD-1).
    function weightRow(Category category) external view returns (uint16[CORE_OFFICES] memory) {
        return _weights[uint256(category)];
    }

    /// @notice The whole weight matrix, weights[category][office] (R-WD-1).
    function weights() external view returns (uint16[CORE_OFFICES][CATEGORIES] memory) {
        return _weights;
    }

    // ---------------------------------------------------------------- offices

    /// @notice Person id holding `office`, zero if vacant.
    function holder(Office office) external view returns (bytes32) {
        return _holders[uint256(office)];
    }

    /// @notice All office holders in precedence order (zero = vacant).
    function holders() external view returns (bytes32[ALL_OFFICES] memory) {
        return _holders;
    }

    /// @notice When the current holder of `office` was seated (block time), zero if never seated;
    /// the start of the oath period (R-DOC-6).
    function seatedAt(Office office) external view returns (uint40) {
        return _seatedAt[uint256(office)];
    }

    /// @notice Whether `personId` holds an office here, and which.
    function officeOf(bytes32 personId) external view returns (bool seated, Office office) {
        uint8 slot = _officeOf[personId];
        if (slot == 0) return (false, Office.Secretary);
        return (true, Office(slot - 1));
    }

    /// @notice Seat `personId` in the vacant `office`. Only contracts that decide offices may call it (R-EL-11).
    /// @param office the office to fill
    /// @param personId lifetime person id of the new holder
    function seat(Office office, bytes32 personId) external onlyRole(OFFICE_WRITER) {
        if (personId == bytes32(0)) revert ZeroPerson();
        bytes32 current = _holders[uint256(office)];
        if (current != bytes32(0)) revert OfficeOccupied(office, current);
        uint8 held = _officeOf[personId];
        if (held != 0) revert AlreadyInOffice(personId, Office(held - 1));
        _holders[uint256(office)] = personId;
        _officeOf[personId] = uint8(office) + 1;
        _seatedAt[uint256(office)] = uint40(block.timestamp);
        emit OfficeSeated(office, personId);
    }

    /// @notice Leave `office` vacant (R-TC-3). Only contracts that decide offices may call it.
    /// @param office the office to vacate
    /// @param reason short reason code, e.g. keccak256("removed")
    function vacate(Office office, bytes32 reason) external onlyRole(OFFICE_WRITER) {
        bytes32 current = _holders[uint256(office)];
        if (current == bytes32(0)) revert OfficeVacant(office);
        delete _holders[uint256(office)];
        delete _officeOf[current];
        emit OfficeVacated(office, current, reason);
    }
}
