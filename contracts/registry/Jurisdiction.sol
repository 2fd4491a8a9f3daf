// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {WriterAccess} from "../base/WriterAccess.sol";
import {Office, Category, CORE_OFFICES, ALL_OFFICES, CATEGORIES} from "../lib/ZhiliTypes.sol";
import {Roles} from "../lib/Roles.sol";

/// @title Jurisdiction registry of one township or county
/// @notice Holds what a jurisdiction is: its code and name, the profile parameters it runs under
/// (weight matrix R-WD-1, threshold R-WD-2, election sizes R-EL-2..R-EL-4, term limit R-TL-1,
/// deadlines R-DOC-6..R-DOC-8, R-MR-11, merit thresholds R-MR-7, R-SU-3), the external roles of
/// SPEC section 0, and who holds each office (R-OF-1). Offices are written only by the contracts
/// that own the rules deciding them (election, succession), never by hand (R-EL-11).
/// @dev Every state change emits an event that carries the full new state of what it changed, so
/// the registry can be rebuilt from logs alone. The writer roles (`OFFICE_WRITER`,
/// `SUCCESSION_WRITER`, `POLL_CLIENT`) go only to contracts whose `jurisdiction()` is this one
/// (`WriterAccess`): the admin cannot seat anyone by hand through a key.
contract Jurisdiction is WriterAccess, IJurisdiction {
    bytes32 public constant ELECTION_AUTHORITY = Roles.ELECTION_AUTHORITY;
    bytes32 public constant VETTING_BOARD = Roles.VETTING_BOARD;
    bytes32 public constant UPPER_COMMITTEE = Roles.UPPER_COMMITTEE;
    bytes32 public constant MERIT_COMMITTEE = Roles.MERIT_COMMITTEE;
    bytes32 public constant ORG_DEPARTMENT = Roles.ORG_DEPARTMENT;
    bytes32 public constant OATH_SUPERVISOR = Roles.OATH_SUPERVISOR;
    bytes32 public constant AUDITOR = Roles.AUDITOR;
    bytes32 public constant OFFICE_WRITER = Roles.OFFICE_WRITER;

    string public code;
    string public name;
    IWorkCalendar public calendar;

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
    bytes32 public lastSecretary;
    /// @dev who last left each office (R-DOC-7: the outgoing party of its next handover).
    bytes32[ALL_OFFICES] private _lastHolders;

    /// @param admin_ account that may grant and revoke the external roles (the upper organisation)
    /// @param calendar_ the province's working-day calendar
    /// @param code_ administrative code of the jurisdiction
    /// @param name_ name of the jurisdiction
    /// @param params_ profile parameters
    /// @param weights_ weight matrix, weights_[category][office] (R-WD-1)
    constructor(
        address admin_,
        IWorkCalendar calendar_,
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
        if (
            params_.minCastSeconds == 0 || params_.minCountSeconds == 0 || params_.openWithinSeconds == 0
                || params_.minCastSeconds > params_.maxPollSeconds || params_.minCountSeconds > params_.maxPollSeconds
                || params_.minRegisterSeconds > params_.maxPollSeconds
        ) {
            revert InvalidPollLimits(
                params_.minRegisterSeconds,
                params_.minCastSeconds,
                params_.minCountSeconds,
                params_.maxPollSeconds,
                params_.openWithinSeconds
            );
        }
        if (
            params_.scrutinyThreshold < 2 || 2 * uint256(params_.scrutinyThreshold) <= params_.scrutineers
                || params_.scrutineers > 16
        ) revert InvalidScrutinyPanel(params_.scrutineers, params_.scrutinyThreshold);
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

    // ---------------------------------------------------------------- writer roles

    /// @dev `OFFICE_WRITER` (election, succession, team completion, CPPCC session), `SUCCESSION_WRITER`
    /// (merit ledger) and `POLL_CLIENT` (team completion) are held only by contracts bound here.
    function _isWriterRole(bytes32 role) internal pure override returns (bool) {
        return role == Roles.OFFICE_WRITER || role == Roles.SUCCESSION_WRITER || role == Roles.POLL_CLIENT;
    }

    /// @dev A writer names this jurisdiction through `JurisdictionBound.jurisdiction()`.
    function _writerBinding() internal pure override returns (bytes4) {
        return bytes4(keccak256("jurisdiction()"));
    }

    // ---------------------------------------------------------------- profile

    function params() external view returns (Params memory) {
        return _params;
    }

    function weight(Category category, Office office) external view returns (uint256) {
        if (uint256(office) >= CORE_OFFICES) return 0;
        return _weights[uint256(category)][uint256(office)];
    }

    function weightRow(Category category) external view returns (uint16[CORE_OFFICES] memory) {
        return _weights[uint256(category)];
    }

    function weights() external view returns (uint16[CORE_OFFICES][CATEGORIES] memory) {
        return _weights;
    }

    // ---------------------------------------------------------------- offices

    function holder(Office office) external view returns (bytes32) {
        return _holders[uint256(office)];
    }

    function holders() external view returns (bytes32[ALL_OFFICES] memory) {
        return _holders;
    }

    function seatedAt(Office office) external view returns (uint40) {
        return _seatedAt[uint256(office)];
    }

    function lastHolder(Office office) external view returns (bytes32) {
        return _lastHolders[uint256(office)];
    }

    function isSeated(bytes32 personId) external view returns (bool) {
        return _officeOf[personId] != 0;
    }

    function officeOf(bytes32 personId) external view returns (bool seated, Office office) {
        uint8 slot = _officeOf[personId];
        if (slot == 0) return (false, Office.Secretary);
        return (true, Office(slot - 1));
    }

    function seat(Office office, bytes32 personId) external onlyRole(OFFICE_WRITER) {
        if (personId == bytes32(0)) revert ZeroPerson();
        bytes32 current = _holders[uint256(office)];
        if (current != bytes32(0)) revert OfficeOccupied(office, current);
        uint8 held = _officeOf[personId];
        if (held != 0) revert AlreadyInOffice(personId, Office(held - 1));
        _holders[uint256(office)] = personId;
        _officeOf[personId] = uint8(office) + 1;
        _seatedAt[uint256(office)] = uint40(block.timestamp);
        if (office == Office.Secretary) lastSecretary = personId; // the incumbent of the next election (R-EL-8)
        emit OfficeSeated(office, personId);
    }

    function declarePriorSecretary(bytes32 personId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (personId == bytes32(0)) revert ZeroPerson();
        if (lastSecretary != bytes32(0)) revert PriorSecretaryFixed(lastSecretary);
        lastSecretary = personId;
        emit PriorSecretaryDeclared(personId);
    }

    function vacate(Office office, bytes32 reason) external onlyRole(OFFICE_WRITER) {
        bytes32 current = _holders[uint256(office)];
        if (current == bytes32(0)) revert OfficeVacant(office);
        delete _holders[uint256(office)];
        delete _officeOf[current];
        _lastHolders[uint256(office)] = current;
        emit OfficeVacated(office, current, reason);
    }
}
