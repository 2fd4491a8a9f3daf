// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {ICouncil} from "./ICouncil.sol";

/// @title The surface of `TeamCompletion`: its events, errors, types and external functions
interface ITeamCompletion {
    /// @notice What is being filled.
    enum Kind {
        CommitteeMember, // R-TC-1
        CoreOffice, // R-TC-3
        GovernmentMember // R-TC-2
    }

    /// @notice Where an appointment stands.
    enum Step {
        None,
        Pending, // council nomination vote (R-TC-1) or the secretary's consent (R-TC-2)
        AwaitingConfirmation, // congress vote(s) to record
        Appointed,
        Refused
    }

    /// @notice Which congress voted.
    enum Body {
        PartyCongress,
        PeoplesCongress
    }

    /// @notice A nomination or appointment: kind, step, office or post, the confirmations needed and given, the council motion.
    struct Appointment {
        Kind kind;
        Step step;
        uint8 office; // the core office or DisciplineDeputy (CoreOffice), else NO_OFFICE
        uint8 needed; // bit per Body whose confirmation is required
        uint8 confirmed; // bit per Body that confirmed
        uint40 createdAt;
        uint40 settledAt;
        bytes32 personId;
        bytes32 post; // hash of the post's name (zero for a core office)
        uint256 motionId; // the council's nomination motion (R-TC-1, R-TC-3)
        bytes32 nominator; // R-TC-2: the administrator who nominated
    }

    /// @notice Appointment `id` names `personId` for `post` or core `office`; `motionId` is the
    /// council's nomination vote (R-TC-1, R-TC-3), `needed` the bodies that must confirm.
    event Nominated(
        uint256 indexed id,
        Kind kind,
        bytes32 indexed personId,
        bytes32 post,
        uint8 office,
        uint256 motionId,
        uint8 needed
    );
    /// @notice The administrator nominated a government member (R-TC-2).
    event GovernmentMemberProposed(
        uint256 indexed id, bytes32 indexed personId, bytes32 post, bytes32 administrator, bytes32 contentHash
    );
    /// @notice The secretary consented or refused (R-TC-2).
    event Consent(uint256 indexed id, bytes32 secretary, bool consented);
    /// @notice The council's nomination vote passed: congress confirmations may be recorded (R-TC-1).
    event NominationPassed(uint256 indexed id, uint256 motionId);
    /// @notice A congress vote was recorded: confirmed with more than half of `registered`.
    event ConfirmationRecorded(
        uint256 indexed id, Body body, uint32 votesFor, uint32 votesAgainst, uint32 registered, bool confirmed
    );
    /// @notice The appointment is settled; for a core office the nominee is now seated (R-TC-3).
    event Settled(uint256 indexed id, bytes32 indexed personId, Step step);

    /// @notice The caller is not the current key of the holder of the office the step needs.
    /// @custom:rule R-TC-2
    error NotHolder(Office office, address caller);
    /// @notice No such appointment.
    /// @custom:rule none
    error UnknownAppointment(uint256 id);
    /// @notice The appointment is not at the step this act needs.
    /// @custom:rule R-TC-1
    error WrongStep(uint256 id, Step step);
    /// @notice A nomination names either a post or a vacant core office, and a person.
    /// @custom:rule R-TC-1
    error BadNomination(bytes32 post, uint8 office);
    /// @notice The person is not registered.
    /// @custom:rule R-TC-1
    error NomineeUnknown(bytes32 personId);
    /// @notice A blacklisted person can never be nominated (R-MR-9).
    /// @custom:rule R-TC-1
    error BlacklistedNominee(bytes32 personId);
    /// @notice The nominee already holds an office of this jurisdiction.
    /// @custom:rule R-TC-3
    error NomineeInOffice(bytes32 personId, Office office);
    /// @notice Only a vacant core office is filled this way.
    /// @custom:rule R-TC-3
    error OfficeNotVacant(Office office, bytes32 holder);
    /// @notice The nominee has served the lifetime limit of terms as secretary.
    /// @custom:rule R-TL-1
    error SecretaryTermLimit(bytes32 personId, uint8 terms);
    /// @notice The council's nomination vote failed (below the threshold): the nomination is refused.
    /// @custom:rule R-TC-1
    error NominationRejected(uint256 id, uint256 motionId);
    /// @notice This body's confirmation is not required or already recorded.
    /// @custom:rule R-TC-1
    error ConfirmationNotExpected(uint256 id, Body body);
    /// @notice Votes for and against cannot exceed the registered (and there must be some registered).
    /// @custom:rule R-TC-1
    error BadCount(uint32 votesFor, uint32 votesAgainst, uint32 registered);

    /// @notice Proposes nominations (`zhili.role.SECRETARIAT`).
    function SECRETARIAT() external view returns (bytes32);
    /// @notice Records the congress's counts (`zhili.role.ELECTION_AUTHORITY`).
    function ELECTION_AUTHORITY() external view returns (bytes32);
    /// @notice The `office` of a committee post (no core office).
    function NO_OFFICE() external view returns (uint8);
    /// @notice The council whose weighted vote nominates (R-TC-1, R-TC-3).
    function council() external view returns (ICouncil);
    /// @notice The province's person registry.
    function persons() external view returns (IPersonRegistry);
    /// @notice Nominate a committee member for `post`, or a person for the vacant core `office` or the
    /// vacant `DisciplineDeputy` (the third successor, R-SU-1) (R-TC-1, R-TC-3): opens the council's
    /// weighted nomination vote (`strategic` row, or `discipline` for the discipline commission).
    /// Secretariat only. Once seated, the nominee joins the succession order (`ISuccession.join`).
    /// @param p the council proposal (its `kind` is set to Nomination)
    /// @param personId the nominee
    /// @param post the committee post (hash of its name), zero when filling a core office
    /// @param office the vacant core office (or `DisciplineDeputy`) to fill, or NO_OFFICE for a committee post
    /// @return id the appointment id
    function nominate(ICouncil.Proposal calldata p, bytes32 personId, bytes32 post, uint8 office)
        external
        returns (uint256 id);
    /// @notice Move a nomination on once the council decided it (anyone): passed → awaiting the
    /// congress confirmations; failed → refused (R-TC-1).
    /// @param id the appointment
    function settleNomination(uint256 id) external;
    /// @notice The administrator nominates a government member (R-TC-2).
    /// @param personId the nominee
    /// @param post the government post (hash of its name)
    /// @param contentHash the written nomination
    /// @return id the appointment id
    function proposeGovernmentMember(bytes32 personId, bytes32 post, bytes32 contentHash) external returns (uint256 id);
    /// @notice The secretary consents to, or refuses, the administrator's nominee (R-TC-2).
    /// @param id the appointment
    /// @param consented true to consent
    function consent(uint256 id, bool consented) external;
    /// @notice Record a congress vote on the nominee (R-TC-1, R-TC-2, R-TC-3): confirmed with more than
    /// half of the registered delegates or deputies. A refusal settles the appointment; the last
    /// confirmation appoints (and seats a core office). Election authority only.
    /// @param id the appointment
    /// @param body which congress voted
    /// @param votesFor votes for the nominee
    /// @param votesAgainst votes against
    /// @param registered registered delegates or deputies of that body
    function recordConfirmation(uint256 id, Body body, uint32 votesFor, uint32 votesAgainst, uint32 registered) external;
    /// @notice An appointment.
    function appointment(uint256 id) external view returns (Appointment memory);
    /// @notice Number of appointments.
    function appointmentCount() external view returns (uint256);
}
