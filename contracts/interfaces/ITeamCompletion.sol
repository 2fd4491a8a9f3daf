// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {ICouncil} from "./ICouncil.sol";
import {IElection} from "./IElection.sol";

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
        AwaitingConfirmation, // congress poll(s) to run
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
        uint8 scheduled; // bit per Body whose poll on this appointment was opened
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

    /// @notice A confirmation by `body`: also a poll, not a record of numbers.
    struct Confirmation {
        Body body;
        bool settled;
        IElection election; // whose roll votes, with the credentials registered in its ballot box
        uint256 round; // the round in `election.ballots()`
        uint256[] ids; // the appointments on the ballot, in ballot order (bit i = ids[i])
    }

    /// @notice Confirmation poll `poll` of `body` was scheduled as `round` of `election`'s ballot box,
    /// with the appointments `ids` on the ballot (in ballot order); the election authority opens it.
    event ConfirmationScheduled(uint256 indexed poll, Body body, address election, uint256 round, uint256[] ids);
    /// @notice Poll `poll` of `body` counted `votesFor` of `registered` for appointment `id`: confirmed
    /// when the poll had its quorum and more than half of the registered voted for the nominee.
    event ConfirmationRecorded(
        uint256 indexed id, Body body, uint256 indexed poll, uint32 votesFor, uint32 registered, bool confirmed
    );
    /// @notice The nominee was confirmed but no longer eligible at seating: `reason` is the encoded
    /// custom error (e.g. `BlacklistedNominee`); the appointment is refused.
    event SeatingRefused(uint256 indexed id, bytes32 indexed personId, bytes reason);
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
    /// @notice The nominee's demerit reached the resignation threshold (R-MR-7): they cannot take an office.
    /// @custom:rule R-MR-7
    error NomineeAtResignationThreshold(bytes32 personId, uint16 threshold);
    /// @notice The nominee is elected or seated in another jurisdiction (the province-wide record).
    /// @custom:rule R-EL-1
    error NomineeEngagedElsewhere(bytes32 personId, address jurisdiction);
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
    /// @notice This body's confirmation is not the next one the appointment needs (a committee member
    /// goes to the party congress first), or its poll was already scheduled.
    /// @custom:rule R-TC-1
    error ConfirmationNotExpected(uint256 id, Body body);
    /// @notice The election is not one of this jurisdiction's (a contract holding `OFFICE_WRITER` in it).
    /// @custom:rule R-TC-1
    error NotThisJurisdictionsElection(address election);
    /// @notice The election has not completed: its rolls are not the sitting congress's yet.
    /// @custom:rule R-TC-1
    error ElectionNotCompleted(address election, IElection.Phase phase);
    /// @notice A later term's election was already used: an earlier roll no longer votes.
    /// @custom:rule R-TC-1
    error StaleElection(address election, uint16 term, uint16 latestTerm);
    /// @notice A contest is for one post: every nominee has the kind, post and office of the first.
    /// @custom:rule R-TC-1
    error MixedContest(uint256 id, uint256 first);
    /// @notice A poll must carry every nominee waiting for this body on the same post (`waiting`), at
    /// most 16, and a party-congress poll on a committee member is contested: at least two (R-EL-2 style).
    /// @custom:rule R-TC-1
    error ContestSize(Kind kind, Body body, uint256 given, uint256 waiting);
    /// @notice No such confirmation poll.
    /// @custom:rule none
    error UnknownConfirmation(uint256 poll);
    /// @notice The confirmation poll was already settled.
    /// @custom:rule R-TC-1
    error ConfirmationSettled(uint256 poll);

    /// @notice Proposes nominations (`zhili.role.SECRETARIAT`).
    function SECRETARIAT() external view returns (bytes32);
    /// @notice Schedules confirmation polls (`zhili.role.ELECTION_AUTHORITY`; the upper committee too).
    function ELECTION_AUTHORITY() external view returns (bytes32);
    /// @notice Most nominees on one confirmation ballot.
    function MAX_CONTEST() external view returns (uint256);
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
    /// @notice Schedule a congress confirmation poll (R-TC-1, R-TC-2, R-TC-3): a round in the completed
    /// `election`'s ballot box, voted by `body`'s roll (party delegates or congress deputies) with the
    /// credentials they registered for the election, one name per ballot. `ids` must be every
    /// appointment waiting for this body on one post (a party-congress poll on a committee member is
    /// contested: two or more). Election authority or upper committee; the authority then opens the round
    /// (`IBallotBox.openRound`, the upper committee once overdue).
    /// @param election this jurisdiction's latest completed election
    /// @param body which congress votes
    /// @param ids the appointments on the ballot, in ballot order
    /// @return poll the confirmation poll's id
    function openConfirmation(IElection election, Body body, uint256[] calldata ids) external returns (uint256 poll);
    /// @notice Count a confirmation poll once its reveal is over (anyone): a nominee is confirmed when
    /// the poll had its quorum and more than half of the registered voted for them; the others are
    /// refused. The last confirmation appoints (and seats a core office) after eligibility is checked
    /// again; a nominee no longer eligible is refused (`SeatingRefused`), never reverting the count.
    /// @param poll the confirmation poll
    function settleConfirmation(uint256 poll) external;
    /// @notice A confirmation poll.
    function confirmation(uint256 poll) external view returns (Confirmation memory);
    /// @notice Number of confirmation polls.
    function confirmationCount() external view returns (uint256);
    /// @notice An appointment.
    function appointment(uint256 id) external view returns (Appointment memory);
    /// @notice Number of appointments.
    function appointmentCount() external view returns (uint256);
}
