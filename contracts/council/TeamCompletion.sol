// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office, Category, CORE_OFFICES} from "../lib/ZhiliTypes.sol";
import {Jurisdiction} from "../registry/Jurisdiction.sol";
import {PersonRegistry} from "../registry/PersonRegistry.sol";
import {Council} from "./Council.sol";
import {ICouncilDecisions} from "../interfaces/ICouncilDecisions.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Team completion and government members (R-TC-1, R-TC-2, R-TC-3)
/// @notice Completes the team after the election. A committee member (组织委员, 宣传委员, …) is
/// nominated by a weighted council vote (the `strategic` row, or `discipline` for the discipline
/// commission) passing at the threshold, then confirmed by the party congress and the people's
/// congress (R-TC-1). A vacant core office is filled the same way, confirmed by the people's congress,
/// and the nominee is seated in the jurisdiction (R-TC-3). A government member is nominated by the
/// administrator, needs the secretary's consent and the approval of more than half of the people's
/// congress deputies (R-TC-2).
/// @dev Congress votes are not run on chain: the election authority records each body's counts (for,
/// against, registered), and the contract applies "more than half of the registered". This contract
/// holds SECRETARIAT (to propose nominations in the council), OFFICE_WRITER (to seat, R-TC-3) and the
/// person registry's RECORD_WRITER (to count the term, R-TL-1).
contract TeamCompletion is JurisdictionBound {
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

    struct Appointment {
        Kind kind;
        Step step;
        uint8 office; // the core office (CoreOffice), else NO_OFFICE
        uint8 needed; // bit per Body whose confirmation is required
        uint8 confirmed; // bit per Body that confirmed
        uint40 createdAt;
        uint40 settledAt;
        bytes32 personId;
        bytes32 post; // hash of the post's name (zero for a core office)
        uint256 motionId; // the council's nomination motion (R-TC-1, R-TC-3)
        bytes32 nominator; // R-TC-2: the administrator who nominated
    }

    bytes32 public constant SECRETARIAT = Roles.SECRETARIAT;
    bytes32 public constant ELECTION_AUTHORITY = Roles.ELECTION_AUTHORITY;
    uint8 public constant NO_OFFICE = type(uint8).max;

    Council public immutable council;
    PersonRegistry public immutable persons;
    uint8 private immutable _termLimit;

    Appointment[] private _appointments;

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

    /// @param council_ the council whose weighted votes nominate (R-TC-1)
    /// @param jurisdiction_ the council's jurisdiction
    /// @param persons_ the person registry
    constructor(Council council_, Jurisdiction jurisdiction_, PersonRegistry persons_)
        JurisdictionBound(jurisdiction_)
    {
        council = council_;
        persons = persons_;
        _termLimit = jurisdiction_.params().secretaryTermLimit;
    }

    // ------------------------------------------------------------------ R-TC-1, R-TC-3

    /// @notice Nominate a committee member for `post`, or a person for the vacant core `office`
    /// (R-TC-1, R-TC-3): opens the council's weighted nomination vote (`strategic` row, or `discipline`
    /// for the discipline commission). Secretariat only.
    /// @param p the council proposal (its `kind` is set to Nomination)
    /// @param personId the nominee
    /// @param post the committee post (hash of its name), zero when filling a core office
    /// @param office the vacant core office to fill, or NO_OFFICE for a committee post
    /// @return id the appointment id
    function nominate(Council.Proposal calldata p, bytes32 personId, bytes32 post, uint8 office)
        external
        returns (uint256 id)
    {
        _checkRole(SECRETARIAT);
        bool core = office != NO_OFFICE;
        if (personId == bytes32(0) || (post == bytes32(0)) != core || (core && office >= CORE_OFFICES)) {
            revert BadNomination(post, office);
        }
        _checkNominee(personId, office);
        Council.Proposal memory q = p;
        q.kind = Council.Kind.Nomination;
        uint256 motionId = council.propose(q);
        // committee members: both congresses (R-TC-1); a core office: the people's congress (R-TC-3)
        uint8 needed = core ? uint8(1 << uint8(Body.PeoplesCongress)) : 3;
        id = _push(core ? Kind.CoreOffice : Kind.CommitteeMember, personId, post, office, needed, motionId, bytes32(0));
        emit Nominated(id, core ? Kind.CoreOffice : Kind.CommitteeMember, personId, post, office, motionId, needed);
    }

    /// @notice Move a nomination on once the council decided it (anyone): passed → awaiting the
    /// congress confirmations; failed → refused (R-TC-1).
    /// @param id the appointment
    function settleNomination(uint256 id) external {
        Appointment storage a = _appointment(id);
        if (a.kind == Kind.GovernmentMember || a.step != Step.Pending) revert WrongStep(id, a.step);
        ICouncilDecisions.Decision memory d = council.decision(a.motionId);
        if (d.passed) {
            a.step = Step.AwaitingConfirmation;
            emit NominationPassed(id, a.motionId);
        } else {
            _settle(id, a, false);
        }
    }

    // ------------------------------------------------------------------ R-TC-2

    /// @notice The administrator nominates a government member (R-TC-2).
    /// @param personId the nominee
    /// @param post the government post (hash of its name)
    /// @param contentHash the written nomination
    /// @return id the appointment id
    function proposeGovernmentMember(bytes32 personId, bytes32 post, bytes32 contentHash)
        external
        returns (uint256 id)
    {
        bytes32 admin = _holder(Office.Administrator);
        if (personId == bytes32(0) || post == bytes32(0)) revert BadNomination(post, NO_OFFICE);
        _checkNominee(personId, NO_OFFICE);
        id = _push(Kind.GovernmentMember, personId, post, NO_OFFICE, uint8(1 << uint8(Body.PeoplesCongress)), 0, admin);
        emit GovernmentMemberProposed(id, personId, post, admin, contentHash);
    }

    /// @notice The secretary consents to, or refuses, the administrator's nominee (R-TC-2).
    /// @param id the appointment
    /// @param consented true to consent
    function consent(uint256 id, bool consented) external {
        bytes32 secretary = _holder(Office.Secretary);
        Appointment storage a = _appointment(id);
        if (a.kind != Kind.GovernmentMember || a.step != Step.Pending) revert WrongStep(id, a.step);
        emit Consent(id, secretary, consented);
        if (consented) a.step = Step.AwaitingConfirmation;
        else _settle(id, a, false);
    }

    // ------------------------------------------------------------------ confirmations

    /// @notice Record a congress vote on the nominee (R-TC-1, R-TC-2, R-TC-3): confirmed with more than
    /// half of the registered delegates or deputies. A refusal settles the appointment; the last
    /// confirmation appoints (and seats a core office). Election authority only.
    /// @param id the appointment
    /// @param body which congress voted
    /// @param votesFor votes for the nominee
    /// @param votesAgainst votes against
    /// @param registered registered delegates or deputies of that body
    function recordConfirmation(uint256 id, Body body, uint32 votesFor, uint32 votesAgainst, uint32 registered)
        external
    {
        _checkRole(ELECTION_AUTHORITY);
        Appointment storage a = _appointment(id);
        if (a.step == Step.Pending && a.kind != Kind.GovernmentMember) {
            if (!council.decision(a.motionId).passed) revert NominationRejected(id, a.motionId);
            a.step = Step.AwaitingConfirmation;
            emit NominationPassed(id, a.motionId);
        }
        if (a.step != Step.AwaitingConfirmation) revert WrongStep(id, a.step);
        uint8 bit = uint8(1 << uint8(body));
        if (a.needed & bit == 0 || a.confirmed & bit != 0) revert ConfirmationNotExpected(id, body);
        if (registered == 0 || uint256(votesFor) + votesAgainst > registered) {
            revert BadCount(votesFor, votesAgainst, registered);
        }
        bool ok = uint256(votesFor) * 2 > registered;
        emit ConfirmationRecorded(id, body, votesFor, votesAgainst, registered, ok);
        if (!ok) return _settle(id, a, false);
        a.confirmed |= bit;
        if (a.confirmed == a.needed) _settle(id, a, true);
    }

    // ------------------------------------------------------------------ views

    /// @notice An appointment.
    function appointment(uint256 id) external view returns (Appointment memory) {
        return _appointment(id);
    }

    /// @notice Number of appointments.
    function appointmentCount() external view returns (uint256) {
        return _appointments.length;
    }

    // ------------------------------------------------------------------ internals

    function _push(
        Kind kind,
        bytes32 personId,
        bytes32 post,
        uint8 office,
        uint8 needed,
        uint256 motionId,
        bytes32 nominator
    ) private returns (uint256 id) {
        id = _appointments.length;
        _appointments.push(
            Appointment(
                kind, Step.Pending, office, needed, 0, uint40(block.timestamp), 0, personId, post, motionId, nominator
            )
        );
    }

    function _settle(uint256 id, Appointment storage a, bool appointed) private {
        if (appointed && a.kind == Kind.CoreOffice) {
            // R-TC-3: eligibility is checked again at seating
            _checkNominee(a.personId, a.office);
            jurisdiction.seat(Office(a.office), a.personId);
            persons.recordTerm(a.personId, Office(a.office));
        }
        a.step = appointed ? Step.Appointed : Step.Refused;
        a.settledAt = uint40(block.timestamp);
        emit Settled(id, a.personId, a.step);
    }

    function _appointment(uint256 id) private view returns (Appointment storage) {
        if (id >= _appointments.length) revert UnknownAppointment(id);
        return _appointments[id];
    }

    function _holder(Office office) private view returns (bytes32 pid) {
        pid = jurisdiction.holder(office);
        if (pid == bytes32(0) || persons.keyOf(pid) != msg.sender) revert NotHolder(office, msg.sender);
    }

    function _checkNominee(bytes32 personId, uint8 office) private view {
        if (!persons.isRegistered(personId)) revert NomineeUnknown(personId);
        if (persons.isBlacklisted(personId)) revert BlacklistedNominee(personId);
        (bool seated, Office held) = jurisdiction.officeOf(personId);
        if (seated) revert NomineeInOffice(personId, held);
        if (office != NO_OFFICE) {
            bytes32 h = jurisdiction.holder(Office(office));
            if (h != bytes32(0)) revert OfficeNotVacant(Office(office), h);
            if (office == uint8(Office.Secretary)) {
                uint8 terms = persons.termsServed(personId, Office.Secretary);
                if (terms >= _termLimit) revert SecretaryTermLimit(personId, terms);
            }
        }
    }
}
