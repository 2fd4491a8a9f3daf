// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {ICouncil} from "../interfaces/ICouncil.sol";
import {ITeamCompletion} from "../interfaces/ITeamCompletion.sol";
import {Office, Category} from "../lib/ZhiliTypes.sol";
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
contract TeamCompletion is JurisdictionBound, ITeamCompletion {
    /// @inheritdoc ITeamCompletion
    bytes32 public constant SECRETARIAT = Roles.SECRETARIAT;
    /// @inheritdoc ITeamCompletion
    bytes32 public constant ELECTION_AUTHORITY = Roles.ELECTION_AUTHORITY;
    /// @inheritdoc ITeamCompletion
    uint8 public constant NO_OFFICE = type(uint8).max;

    /// @inheritdoc ITeamCompletion
    ICouncil public immutable council;
    /// @inheritdoc ITeamCompletion
    IPersonRegistry public immutable persons;
    uint8 private immutable _termLimit;

    Appointment[] private _appointments;

    /// @param council_ the council whose weighted votes nominate (R-TC-1)
    /// @param jurisdiction_ the council's jurisdiction
    /// @param persons_ the person registry
    constructor(ICouncil council_, IJurisdiction jurisdiction_, IPersonRegistry persons_)
        JurisdictionBound(jurisdiction_)
    {
        council = council_;
        persons = persons_;
        _termLimit = jurisdiction_.params().secretaryTermLimit;
    }

    // ------------------------------------------------------------------ R-TC-1, R-TC-3

    /// @inheritdoc ITeamCompletion
    function nominate(ICouncil.Proposal calldata p, bytes32 personId, bytes32 post, uint8 office)
        external
        returns (uint256 id)
    {
        _checkRole(SECRETARIAT);
        bool core = office != NO_OFFICE;
        // a core office, or the discipline deputy (R-SU-1's third successor, appointed the same way)
        bool badOffice = core && office > uint8(Office.DisciplineDeputy);
        if (personId == bytes32(0) || (post == bytes32(0)) != core || badOffice) {
            revert BadNomination(post, office);
        }
        _checkNominee(personId, office);
        ICouncil.Proposal memory q = p;
        q.kind = ICouncil.Kind.Nomination;
        uint256 motionId = council.propose(q);
        // committee members: both congresses (R-TC-1); a core office: the people's congress (R-TC-3)
        uint8 needed = core ? uint8(1 << uint8(Body.PeoplesCongress)) : 3;
        id = _push(core ? Kind.CoreOffice : Kind.CommitteeMember, personId, post, office, needed, motionId, bytes32(0));
        emit Nominated(id, core ? Kind.CoreOffice : Kind.CommitteeMember, personId, post, office, motionId, needed);
    }

    /// @inheritdoc ITeamCompletion
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

    /// @inheritdoc ITeamCompletion
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

    /// @inheritdoc ITeamCompletion
    function consent(uint256 id, bool consented) external {
        bytes32 secretary = _holder(Office.Secretary);
        Appointment storage a = _appointment(id);
        if (a.kind != Kind.GovernmentMember || a.step != Step.Pending) revert WrongStep(id, a.step);
        emit Consent(id, secretary, consented);
        if (consented) a.step = Step.AwaitingConfirmation;
        else _settle(id, a, false);
    }

    // ------------------------------------------------------------------ confirmations

    /// @inheritdoc ITeamCompletion
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

    /// @inheritdoc ITeamCompletion
    function appointment(uint256 id) external view returns (Appointment memory) {
        return _appointment(id);
    }

    /// @inheritdoc ITeamCompletion
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
