// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {ICouncil} from "../interfaces/ICouncil.sol";
import {ITeamCompletion} from "../interfaces/ITeamCompletion.sol";
import {Office} from "../lib/ZhiliTypes.sol";
import {ICouncilDecisions} from "../interfaces/ICouncilDecisions.sol";
import {IElection} from "../interfaces/IElection.sol";
import {IBallotBox} from "../interfaces/IBallotBox.sol";
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
/// @dev Congress confirmations are polls, not numbers anyone types: a round in the ballot box of this
/// jurisdiction's latest completed election, voted by that election's party-delegate or deputy roll
/// with the credentials they registered for it (voter-held, unlinkable, docs/election.md), and counted
/// here against the roll's size. A poll carries every nominee waiting for that body on one post, so the
/// authority cannot choose whom the congress sees. This contract holds SECRETARIAT (to propose
/// nominations in the council), OFFICE_WRITER (to seat, R-TC-3), POLL_CLIENT (to create and finalize
/// its rounds in an election's box) and the person registry's RECORD_WRITER (to count the term, R-TL-1).
contract TeamCompletion is JurisdictionBound, ITeamCompletion {
    bytes32 public constant SECRETARIAT = Roles.SECRETARIAT;
    bytes32 public constant ELECTION_AUTHORITY = Roles.ELECTION_AUTHORITY;
    uint8 public constant NO_OFFICE = type(uint8).max;
    uint256 public constant MAX_CONTEST = 16;

    ICouncil public immutable council;
    IPersonRegistry public immutable persons;
    uint8 private immutable _termLimit;
    uint16 private immutable _resignDemerit;

    Appointment[] private _appointments;
    Confirmation[] private _confirmations;
    /// @dev appointments waiting for a body's poll, per (kind, post, office, body): a poll takes them all
    mapping(bytes32 contest => uint256) private _waiting;
    uint16 private _latestTerm; // the latest election term whose rolls voted

    /// @param council_ the council whose weighted votes nominate (R-TC-1)
    /// @param jurisdiction_ the council's jurisdiction
    /// @param persons_ the person registry
    constructor(ICouncil council_, IJurisdiction jurisdiction_, IPersonRegistry persons_)
        JurisdictionBound(jurisdiction_)
    {
        council = council_;
        persons = persons_;
        IJurisdiction.Params memory params = jurisdiction_.params();
        _termLimit = params.secretaryTermLimit;
        _resignDemerit = params.resignDemerit;
    }

    // ------------------------------------------------------------------ R-TC-1, R-TC-3

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

    function settleNomination(uint256 id) external {
        Appointment storage a = _appointment(id);
        if (a.kind == Kind.GovernmentMember || a.step != Step.Pending) revert WrongStep(id, a.step);
        ICouncilDecisions.Decision memory d = council.decision(a.motionId);
        if (d.passed) {
            _await(a);
            emit NominationPassed(id, a.motionId);
        } else {
            _settle(id, a, false);
        }
    }

    // ------------------------------------------------------------------ R-TC-2

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

    function consent(uint256 id, bool consented) external {
        bytes32 secretary = _holder(Office.Secretary);
        Appointment storage a = _appointment(id);
        if (a.kind != Kind.GovernmentMember || a.step != Step.Pending) revert WrongStep(id, a.step);
        emit Consent(id, secretary, consented);
        if (consented) _await(a);
        else _settle(id, a, false);
    }

    // ------------------------------------------------------------------ confirmations

    /// @inheritdoc ITeamCompletion
    /// @dev Order of checks: the caller's role, the election (this jurisdiction's, completed, not older than
    /// one already used), the contest (each appointment waiting for `body`, one post, all of them), then
    /// the round is created in the election's box.
    function openConfirmation(IElection election, Body body, uint256[] calldata ids) external returns (uint256 poll) {
        if (!_hasRole(Roles.UPPER_COMMITTEE)) _checkRole(ELECTION_AUTHORITY);
        uint32 registered = _checkElection(election, body);
        _checkContest(body, ids);
        IBallotBox box = election.ballots();
        uint256 round = box.createRound(uint8(body), uint8(ids.length), 1, registered);
        poll = _confirmations.length;
        _confirmations.push(Confirmation(body, false, election, round, ids));
        emit ConfirmationScheduled(poll, body, address(election), round, ids);
    }

    /// @inheritdoc ITeamCompletion
    /// @dev `settled` is written before the first external call, so a re-entry reverts with
    /// `ConfirmationSettled`; the calls go to the election's `BallotBox` (checked at scheduling) and, at
    /// seating, to the zhili `Jurisdiction` and `PersonRegistry`, none of which calls back.
    // slither-disable-next-line reentrancy-no-eth
    function settleConfirmation(uint256 poll) external {
        if (poll >= _confirmations.length) revert UnknownConfirmation(poll);
        Confirmation storage c = _confirmations[poll];
        if (c.settled) revert ConfirmationSettled(poll);
        c.settled = true;
        IBallotBox box = c.election.ballots();
        (uint32[] memory tally, bool quorum) = box.finalize(c.round);
        uint32 registered = box.getRound(c.round).rollSize;
        Body body = c.body;
        uint8 bit = uint8(1 << uint8(body));
        uint256 n = c.ids.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = c.ids[i];
            Appointment storage a = _appointments[id];
            bool ok = quorum && uint256(tally[i]) * 2 > registered;
            emit ConfirmationRecorded(id, body, poll, tally[i], registered, ok);
            if (!ok) {
                _settle(id, a, false);
                continue;
            }
            a.confirmed |= bit;
            if (a.confirmed == a.needed) _settle(id, a, true);
            else _waiting[_contest(a, Body.PeoplesCongress)] += 1; // a committee member, after the party
        }
    }

    // ------------------------------------------------------------------ views

    function appointment(uint256 id) external view returns (Appointment memory) {
        return _appointment(id);
    }

    function appointmentCount() external view returns (uint256) {
        return _appointments.length;
    }

    function confirmation(uint256 poll) external view returns (Confirmation memory) {
        if (poll >= _confirmations.length) revert UnknownConfirmation(poll);
        return _confirmations[poll];
    }

    function confirmationCount() external view returns (uint256) {
        return _confirmations.length;
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
                kind,
                Step.Pending,
                office,
                needed,
                0,
                0,
                uint40(block.timestamp),
                0,
                personId,
                post,
                motionId,
                nominator
            )
        );
    }

    /// @dev The nomination passed (or the secretary consented): it waits for its first congress poll.
    function _await(Appointment storage a) private {
        a.step = Step.AwaitingConfirmation;
        _waiting[_contest(a, _nextBody(a))] += 1;
    }

    /// @dev A committee member goes to the party congress first, then the people's congress (R-TC-1).
    function _nextBody(Appointment storage a) private view returns (Body) {
        bool party = a.needed & (1 << uint8(Body.PartyCongress)) != 0;
        return party && a.confirmed & (1 << uint8(Body.PartyCongress)) == 0 ? Body.PartyCongress : Body.PeoplesCongress;
    }

    function _contest(Appointment storage a, Body body) private view returns (bytes32) {
        return keccak256(abi.encode(a.kind, a.post, a.office, body));
    }

    /// @dev The election is this jurisdiction's (it holds OFFICE_WRITER here and names this jurisdiction),
    /// completed, and of a term not older than one already used; returns the size of `body`'s roll.
    function _checkElection(IElection election, Body body) private returns (uint32 registered) {
        address e = address(election);
        if (
            e.code.length == 0 || !jurisdiction.hasRole(Roles.OFFICE_WRITER, e)
                || JurisdictionBound(e).jurisdiction() != jurisdiction
        ) revert NotThisJurisdictionsElection(e);
        try election.phase() returns (IElection.Phase phase) {
            if (phase != IElection.Phase.Completed) revert ElectionNotCompleted(e, phase);
        } catch {
            revert NotThisJurisdictionsElection(e); // another zhili contract that writes offices
        }
        uint16 term = election.term();
        if (term < _latestTerm) revert StaleElection(e, term, _latestTerm);
        _latestTerm = term;
        // slither-disable-next-line unused-return
        (registered,) = election.roll(IElection.Electorate(uint8(body))); // frozen: the election completed
    }

    /// @dev Each appointment waits for `body` (not yet scheduled), all are for the first one's post, and
    /// they are all that wait for it; marks them scheduled.
    function _checkContest(Body body, uint256[] calldata ids) private {
        uint256 n = ids.length;
        if (n == 0 || n > MAX_CONTEST) revert ContestSize(Kind.CommitteeMember, body, n, 0);
        uint8 bit = uint8(1 << uint8(body));
        Appointment storage first = _appointment(ids[0]);
        bytes32 key = _contest(first, body);
        for (uint256 i = 0; i < n; ++i) {
            Appointment storage a = _appointment(ids[i]);
            if (a.step != Step.AwaitingConfirmation) revert WrongStep(ids[i], a.step);
            if (_nextBody(a) != body || a.scheduled & bit != 0) revert ConfirmationNotExpected(ids[i], body);
            if (_contest(a, body) != key) revert MixedContest(ids[i], ids[0]);
            a.scheduled |= bit;
        }
        uint256 waiting = _waiting[key];
        bool contested = first.kind == Kind.CommitteeMember && body == Body.PartyCongress;
        if (n != waiting || (contested && n < 2)) revert ContestSize(first.kind, body, n, waiting);
        _waiting[key] = 0;
    }

    // slither-disable-next-line incorrect-equality
    function _settle(uint256 id, Appointment storage a, bool appointed) private {
        // R-TC-1, R-TC-3: eligibility is checked again at seating; a failure refuses, never reverts the count
        bytes memory problem = appointed ? _nomineeProblem(a.personId, a.office) : bytes("");
        if (problem.length != 0) {
            appointed = false;
            emit SeatingRefused(id, a.personId, problem);
        }
        a.step = appointed ? Step.Appointed : Step.Refused;
        a.settledAt = uint40(block.timestamp);
        emit Settled(id, a.personId, a.step);
        if (appointed && a.kind == Kind.CoreOffice) {
            jurisdiction.seat(Office(a.office), a.personId);
            persons.recordTerm(a.personId, Office(a.office));
            persons.engage(a.personId, address(jurisdiction), true); // the province-wide record (R-EL-1)
        }
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
        bytes memory problem = _nomineeProblem(personId, office);
        if (problem.length != 0) {
            assembly ("memory-safe") {
                revert(add(problem, 32), mload(problem))
            }
        }
    }

    /// @dev Why `personId` cannot be nominated to (or seated in) `office`, as an encoded custom error;
    /// empty when eligible.
    function _nomineeProblem(bytes32 personId, uint8 office) private view returns (bytes memory) {
        if (!persons.isRegistered(personId)) return abi.encodeWithSelector(NomineeUnknown.selector, personId);
        uint8 why = persons.hindrance(personId, address(jurisdiction), _resignDemerit);
        if (why == 1) return abi.encodeWithSelector(BlacklistedNominee.selector, personId);
        if (why == 2) return abi.encodeWithSelector(NomineeAtResignationThreshold.selector, personId, _resignDemerit);
        if (why == 3) {
            return abi.encodeWithSelector(
                NomineeEngagedElsewhere.selector, personId, persons.engagement(personId).jurisdiction
            );
        }
        (bool seated, Office held) = jurisdiction.officeOf(personId);
        if (seated) return abi.encodeWithSelector(NomineeInOffice.selector, personId, held);
        if (office != NO_OFFICE) {
            bytes32 h = jurisdiction.holder(Office(office));
            if (h != bytes32(0)) return abi.encodeWithSelector(OfficeNotVacant.selector, Office(office), h);
            if (office == uint8(Office.Secretary)) {
                uint8 terms = persons.termsServed(personId, Office.Secretary);
                if (terms >= _termLimit) return abi.encodeWithSelector(SecretaryTermLimit.selector, personId, terms);
            }
        }
        return "";
    }
}
