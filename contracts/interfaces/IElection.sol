// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {IBallotBox} from "./IBallotBox.sol";
import {ISuccession} from "./ISuccession.sol";

/// @title The surface of `Election`: its events, errors, types and external functions
interface IElection {
    /// @notice Where the election stands; it moves only forward, through `finalizeRound` and the human acts SPEC names.
    enum Phase {
        Registration,
        Stage1, // party pre-selection and its runoffs
        UpperApproval, // R-EL-3 (fill runoffs happen here)
        Stage2, // congress final vote and its runoffs
        Offices, // office runoffs (R-EL-6)
        AwaitingPick, // the secretary picks the administrator (R-EL-10)
        Completed,
        Void // no candidate eligible for secretary
    }

    /// @notice A candidate's vetting result (R-EL-1).
    enum Vetting {
        Pending,
        Passed,
        Failed
    }

    /// @notice What a poll decides.
    enum Purpose {
        Stage1, // R-EL-2
        Stage1Runoff, // R-EL-6: places among the 7 (also refills after a strike, R-EL-3)
        Stage2, // R-EL-4
        Stage2Runoff, // R-EL-6: places among the 5
        PathOne, // R-EL-8: is the incumbent within the top 3?
        Secretary, // R-EL-9
        Discipline, // R-EL-10
        Congress, // R-EL-10: congress or consultative
        Administrator, // R-EL-10: the pick lapsed; a tie for first among the remaining
        Consultative // R-EL-10 with R-TL-1: two left for the last office (congress barred to both)
    }

    /// @notice Who votes: party delegates (stage 1) or congress deputies (stage 2).
    enum Electorate {
        Party,
        Congress
    }

    /// @notice A candidate: person, vetting, and whether finalist, struck or elected.
    struct Candidate {
        bytes32 personId;
        Vetting vetting;
        uint8 failedMask; // bit d = failed vetting dimension d (R-EL-1)
        bool finalist;
        bool struck;
        bool elected;
        bytes32 reportHash;
    }

    /// @notice The election was set up.
    event ElectionCreated(address jurisdiction, address persons, address ballots, uint16 term, bytes32 incumbent);
    /// @notice The phase changed.
    event PhaseChanged(Phase phase);
    /// @notice Candidate `index` is `personId`.
    event CandidateAdded(uint256 indexed index, bytes32 indexed personId);
    /// @notice Vetting result (R-EL-1): `failedMask` bit d = dimension d failed; blacklisted fails automatically.
    event CandidateVetted(
        bytes32 indexed personId, bool passed, uint8 failedMask, bool blacklisted, bytes32 reportHash
    );
    /// @notice Voters were added to an electorate's roll.
    event VotersRegistered(Electorate indexed electorate, bytes32[] voterIds, uint32 rollSize);
    /// @notice A poll was scheduled in the ballot box: who is on it and how many places it decides.
    event PollScheduled(
        uint256 indexed round, Purpose purpose, Electorate electorate, bytes32[] candidates, uint8 seats, uint8 maxNames
    );
    /// @notice A poll failed quorum (R-EL-5) and is re-run as `rerun`.
    event PollVoid(uint256 indexed round, uint256 rerun);
    /// @notice The stage-1 list (R-EL-2, R-EL-3) is now `finalists`.
    event FinalistsChanged(bytes32[] finalists);
    /// @notice The upper committee struck a finalist (R-EL-3).
    event Struck(bytes32 indexed personId, bytes32 reasonHash);
    /// @notice The upper committee approved the list (R-EL-3).
    event ListApproved(bytes32[] finalists);
    /// @notice The core team (R-EL-4) is now `elected`.
    event ElectedChanged(bytes32[] elected);
    /// @notice `personId` gets `office`; `path` is 1 or 2 for the secretary (R-EL-8, R-EL-9), else 0.
    event OfficeAssigned(Office indexed office, bytes32 indexed personId, uint8 path);
    /// @notice The secretary-elect must pick the administrator among `choices` by `deadline` (R-EL-10);
    /// after it the highest-ranked of them takes the office (`lapsePick`).
    event AwaitingPick(bytes32 secretary, bytes32[] choices, uint64 deadline);
    /// @notice `personId`, assigned `office`, failed the check at seating (`reason` 1 blacklisted R-MR-9,
    /// 2 demerit at the resignation threshold R-MR-7, 3 elected or seated in another jurisdiction: they
    /// leave the five; 4 term limit for that office R-TL-1: only the office is barred); the offices are
    /// derived again from the ranking.
    event SeatingRefused(Office indexed office, bytes32 indexed personId, uint8 reason);
    /// @notice Offices written into the jurisdiction, in Office order (R-EL-11).
    event OfficesSeated(bytes32[5] holders);
    /// @notice No elected candidate may be secretary (R-TL-1, R-MR-9); the election is void.
    event ElectionVoid(bytes32 reason);

    /// @notice The step does not belong to the current phase.
    /// @custom:rule R-EL-11
    error WrongPhase(Phase current, Phase needed);
    /// @notice The person is blacklisted and can never be a candidate.
    /// @custom:rule R-EL-1
    error BlacklistedPerson(bytes32 personId);
    /// @notice The person is already a candidate.
    /// @custom:rule R-EL-1
    error DuplicateCandidate(bytes32 personId);
    /// @notice Too many candidates for one ballot.
    /// @custom:rule R-EL-2
    error TooManyCandidates(uint256 given, uint256 max);
    /// @notice The person is not a candidate.
    /// @custom:rule R-EL-1
    error NotCandidate(bytes32 personId);
    /// @notice The candidate was already vetted.
    /// @custom:rule R-EL-1
    error AlreadyVetted(bytes32 personId);
    /// @notice The failed-dimension mask names a dimension the profile does not have.
    /// @custom:rule R-EL-1
    error InvalidVettingMask(uint8 mask, uint8 dimensions);
    /// @notice A candidate has not been vetted yet.
    /// @custom:rule R-EL-1
    error VettingIncomplete(bytes32 personId);
    /// @notice A contested stage 1 needs at least `needed` eligible candidates.
    /// @custom:rule R-EL-2
    error NotContested(uint256 eligible, uint256 needed);
    /// @notice The roll is frozen once its electorate's first poll is scheduled.
    /// @custom:rule R-EL-5
    error RollFrozen(Electorate electorate);
    /// @notice The voter is already on the roll.
    /// @custom:rule R-EL-5
    error DuplicateVoter(bytes32 voterId);
    /// @notice The electorate has no registered voters.
    /// @custom:rule R-EL-5
    error EmptyRoll(Electorate electorate);
    /// @notice A poll is still running; finish it first.
    /// @custom:rule R-EL-6
    error PollPending(uint256 round);
    /// @notice There is no poll to finalize.
    /// @custom:rule R-EL-6
    error NoPollPending();
    /// @notice The person is not on the stage-1 list.
    /// @custom:rule R-EL-3
    error NotFinalist(bytes32 personId);
    /// @notice Striking would leave no more finalists than places (stage 2 must stay contested).
    /// @custom:rule R-EL-3
    error StrikeLeavesTooFew(uint256 remaining, uint256 needed);
    /// @notice Only the secretary-elect's current key may pick the administrator.
    /// @custom:rule R-EL-10
    error NotSecretaryElect(address caller);
    /// @notice The administrator must be one of the remaining three (and not at the term limit for it, R-TL-1).
    /// @custom:rule R-EL-10
    error NotPickable(bytes32 personId);
    /// @notice The pick window is over: the administrator now follows from the ranking (`lapsePick`).
    /// @custom:rule R-EL-10
    error PickDeadlinePassed(uint64 deadline, uint256 now_);
    /// @notice The secretary-elect may still pick until `deadline`.
    /// @custom:rule R-EL-10
    error PickStillOpen(uint64 deadline, uint256 now_);

    /// @notice Most candidates one election may have (one ballot).
    function MAX_CANDIDATES() external view returns (uint256);
    /// @notice The province's person registry.
    function persons() external view returns (IPersonRegistry);
    /// @notice This election's ballot box (created with it).
    function ballots() external view returns (IBallotBox);
    /// @notice Term number this election fills.
    function term() external view returns (uint16);
    /// @notice The previous secretary (R-EL-8), zero if none: read from the jurisdiction at deployment.
    function incumbent() external view returns (bytes32);
    /// @notice The jurisdiction's succession order, set from the offices at completion (R-SU-1); zero if
    /// the jurisdiction keeps none.
    function succession() external view returns (ISuccession);
    /// @notice The current phase.
    function phase() external view returns (Phase);
    /// @notice The poll currently running or waiting for credentials (valid if `pollPending`).
    function currentRound() external view returns (uint256);
    /// @notice Whether a poll is running or waiting for credentials.
    function pollPending() external view returns (bool);
    /// @notice The ballot-box round of the stage-1 poll (the latest rerun).
    function stage1Round() external view returns (uint256);
    /// @notice The ballot-box round of the stage-2 poll (the latest rerun).
    function stage2Round() external view returns (uint256);
    /// @notice Add registered persons as candidates.
    /// @param personIds the candidates' lifetime ids
    function addCandidates(bytes32[] calldata personIds) external;
    /// @notice Record a candidate's vetting (R-EL-1): failing any dimension disqualifies; a
    /// blacklisted person fails automatically.
    /// @param personId the candidate
    /// @param failedMask bit d set = dimension d of the profile failed
    /// @param reportHash hash of the vetting report
    function vet(bytes32 personId, uint8 failedMask, bytes32 reportHash) external;
    /// @notice Put voters (party delegates or congress deputies) on a roll.
    /// @param electorate which roll
    /// @param voterIds the voters' PersonRegistry ids: registered, not blacklisted (the roll is public, ballots are not)
    function registerVoters(Electorate electorate, bytes32[] calldata voterIds) external;
    /// @notice Start stage 1 (R-EL-2) with every vetted, eligible candidate; needs at least 8.
    function beginStage1() external;
    /// @notice Strike a finalist with a reason; the next-ranked candidate fills the place.
    /// @param personId the finalist to strike
    /// @param reasonHash hash of the written reason
    function strike(bytes32 personId, bytes32 reasonHash) external;
    /// @notice Approve the stage-1 list and schedule stage 2 (R-EL-3, R-EL-4).
    function approveList() external;
    /// @notice Tally the current poll once its reveal window is over and move the election on:
    /// places, runoffs among exactly the tied (R-EL-6), offices (R-EL-8 ... R-EL-11).
    function finalizeRound() external;
    /// @notice The secretary-elect picks the administrator among the remaining three.
    /// @param personId the pick
    function pickAdministrator(bytes32 personId) external;
    /// @notice After the pick deadline, anyone: the highest-ranked of the remaining three who may hold
    /// the office becomes administrator (a runoff if tied), [decision] of docs/election.md.
    function lapsePick() external;
    /// @notice End of the administrator pick window (R-EL-10), zero before the pick is due.
    function pickDeadline() external view returns (uint64);
    /// @notice Number of candidates.
    function candidateCount() external view returns (uint256);
    /// @notice Candidate `index`.
    function candidate(uint256 index) external view returns (Candidate memory);
    /// @notice The poll `round` of this election: purpose, places, and candidate indices by ballot bit.
    function poll(uint256 round) external view returns (Purpose purpose, uint8 seats, uint8[] memory candidates);
    /// @notice Candidates (person ids) on the poll `round`, by ballot bit.
    function pollCandidates(uint256 round) external view returns (bytes32[] memory);
    /// @notice The stage-1 list (R-EL-2, R-EL-3).
    function finalists() external view returns (bytes32[] memory);
    /// @notice The core team (R-EL-4).
    function elected() external view returns (bytes32[] memory);
    /// @notice Person id per core office in Office order; zero where undecided.
    function offices() external view returns (bytes32[5] memory out);
    /// @notice Registered voters of an electorate and whether the roll is frozen.
    function roll(Electorate electorate) external view returns (uint32 size, bool frozen);
    /// @notice Whether `voterId` is on an electorate's roll.
    function onRoll(Electorate electorate, bytes32 voterId) external view returns (bool);
    /// @notice Whether `personId` may become secretary: under the term limit (R-TL-1), not blacklisted (R-MR-9).
    function eligibleForSecretary(bytes32 personId) external view returns (bool);
}
