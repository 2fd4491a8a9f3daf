// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IBallotBox} from "../interfaces/IBallotBox.sol";
import {IScrutiny} from "../interfaces/IScrutiny.sol";
import {IElection} from "../interfaces/IElection.sol";
import {ICppccConfirmation} from "../interfaces/ICppccConfirmation.sol";
import {Office, ProfileKind} from "../lib/ZhiliTypes.sol";
import {BallotBox} from "./BallotBox.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title The county CPPCC's vote on the recommended chair (R-EL-12)
/// @notice In the county profile the member R-EL-10 gives the consultative slot is recommended as the
/// sole candidate for CPPCC chair (县政协主席) to the county CPPCC, whose registered members elect them by
/// more than half of the registered members, voting on chain. One contract per county election term (the
/// CPPCC session that receives that term's recommendation): the election authority registers the
/// members (PersonRegistry ids), who obtain voter-held, blind-signed credentials in this contract's own
/// `BallotBox` exactly as the election's delegates and deputies do in theirs (docs/election.md); the
/// recommendation is read from the completed election, never typed; the poll is a round of that box;
/// if the CPPCC rejects, the consultative office is left vacant and R-TC-3 (`TeamCompletion`) fills it.
/// @dev Holds OFFICE_WRITER in the jurisdiction, used only to `vacate(Consultative)` after a rejection.
/// It owns its ballot box (created in the constructor), so it answers the box's `onRoll` question for
/// electorate 0 and alone creates and finalizes its rounds; `Election` is untouched (it has no room
/// left, and its rolls are the party delegates' and deputies').
contract CppccConfirmation is JurisdictionBound, ICppccConfirmation {
    bytes32 private constant CPPCC_REJECTED = keccak256("cppcc_rejected");
    uint8 private constant MEMBERS = 0; // the box's electorate 0: the CPPCC roll

    uint16 public immutable term;
    IPersonRegistry public immutable persons;
    IBallotBox public immutable ballots;

    mapping(bytes32 memberId => bool) private _member;
    uint32 private _rollSize;
    Poll private _poll;

    /// @param jurisdiction_ the county jurisdiction (its profile must be the county's)
    /// @param persons_ the province's person registry
    /// @param term_ the election term whose consultative member this session votes on
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_, uint16 term_) JurisdictionBound(jurisdiction_) {
        ProfileKind kind = jurisdiction_.params().kind;
        if (kind != ProfileKind.County) revert NotCountyProfile(kind);
        term = term_;
        persons = persons_;
        ballots = new BallotBox(jurisdiction_, persons_, IScrutiny(address(0)));
        emit CppccConfirmationCreated(address(jurisdiction_), address(persons_), address(ballots), term_);
    }

    function registerMembers(bytes32[] calldata memberIds) external onlyRole(Roles.ELECTION_AUTHORITY) {
        if (_poll.status != Status.None) revert CppccRollFrozen(_rollSize);
        for (uint256 i = 0; i < memberIds.length; ++i) {
            bytes32 id = memberIds[i];
            if (!persons.isRegistered(id)) revert IPersonRegistry.UnknownPerson(id);
            if (persons.isBlacklisted(id)) revert BlacklistedMember(id);
            if (_member[id]) revert DuplicateMember(id);
            _member[id] = true;
        }
        _rollSize += uint32(memberIds.length);
        emit MembersRegistered(memberIds, _rollSize);
    }

    /// @inheritdoc ICppccConfirmation
    /// @dev Order of checks: the caller's role, once per session, the election (this jurisdiction's, an
    /// `Election`, completed, of this term), the candidate still holds the office, a roll; then the round.
    /// The calls before the writes go to the zhili `Jurisdiction` and to the election, a contract the
    /// jurisdiction's admin let write offices here (checked first); the status is written before the call
    /// to this contract's own `BallotBox`, which never calls back (a re-entry reverts `AlreadyRecommended`).
    // slither-disable-next-line reentrancy-no-eth
    function recommend(IElection election) external returns (uint256 round) {
        if (!_hasRole(Roles.UPPER_COMMITTEE)) _checkRole(Roles.ELECTION_AUTHORITY);
        if (_poll.status != Status.None) revert AlreadyRecommended(address(_poll.election), _poll.candidate);
        _checkElection(election);
        bytes32 candidate = election.offices()[uint8(Office.Consultative)];
        bytes32 holder = jurisdiction.holder(Office.Consultative);
        if (candidate == bytes32(0) || holder != candidate) revert NotConsultativeHolder(candidate, holder);
        uint32 size = _rollSize;
        if (size == 0) revert EmptyCppccRoll();
        uint40 seatedAt = jurisdiction.seatedAt(Office.Consultative);
        _poll = Poll(Status.Scheduled, seatedAt, election, candidate, 0);
        round = ballots.createRound(MEMBERS, 1, 1, size);
        _poll.round = round;
        emit Recommended(address(election), candidate, round, size, seatedAt);
    }

    /// @inheritdoc ICppccConfirmation
    /// @dev The calls go to this contract's own `BallotBox` (created in the constructor, immutable) and
    /// the zhili `Jurisdiction`, neither of which calls back; a re-entry while the box counts would find
    /// the round already final (`WrongRoundStatus`).
    // slither-disable-next-line reentrancy-no-eth
    function settle() external {
        Poll storage p = _poll;
        if (p.status != Status.Scheduled) revert NotScheduled(p.status);
        uint32 registered = _rollSize;
        (uint32[] memory tally, bool quorum) = ballots.finalize(p.round);
        bool confirmed = quorum && uint256(tally[0]) * 2 > registered;
        p.status = confirmed ? Status.Confirmed : Status.Rejected;
        bytes32 candidate = p.candidate;
        // rejected: vacate only the seating the poll was about (not a later holder, nor a later seating)
        bool vacated = !confirmed && jurisdiction.holder(Office.Consultative) == candidate
            && jurisdiction.seatedAt(Office.Consultative) == p.seatedAt;
        emit CppccVoted(candidate, tally[0], ballots.getRound(p.round).committed, registered, confirmed, vacated);
        if (vacated) jurisdiction.vacate(Office.Consultative, CPPCC_REJECTED);
    }

    function onRoll(IElection.Electorate electorate, bytes32 person) external view returns (bool) {
        return uint8(electorate) == MEMBERS && _member[person];
    }

    function roll() external view returns (uint32 size, bool frozen) {
        return (_rollSize, _poll.status != Status.None);
    }

    function poll() external view returns (Poll memory) {
        return _poll;
    }

    /// @dev The election is this jurisdiction's (it holds OFFICE_WRITER here and names this jurisdiction),
    /// an `Election` (answers `phase()`), completed, and of this session's term.
    function _checkElection(IElection election) private view {
        address e = address(election);
        if (
            e.code.length == 0 || !jurisdiction.hasRole(Roles.OFFICE_WRITER, e)
                || JurisdictionBound(e).jurisdiction() != jurisdiction
        ) revert NotThisCountysElection(e);
        try election.phase() returns (IElection.Phase phase) {
            if (phase != IElection.Phase.Completed) revert ElectionIncomplete(e, phase);
        } catch {
            revert NotThisCountysElection(e); // another zhili contract that writes offices
        }
        uint16 t = election.term();
        if (t != term) revert WrongTerm(e, t, term);
    }
}
