// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ProfileKind} from "../lib/ZhiliTypes.sol";
import {IPersonRegistry} from "./IPersonRegistry.sol";
import {IBallotBox} from "./IBallotBox.sol";
import {IElection} from "./IElection.sol";

/// @title The surface of `CppccConfirmation`: its events, errors, types and external functions
interface ICppccConfirmation {
    /// @notice Where the one poll of this CPPCC session stands.
    enum Status {
        None, // the roll is being registered
        Scheduled, // the recommendation is a round in `ballots()`; the roll is frozen
        Confirmed, // more than half of the registered members voted for the candidate
        Rejected // not: the consultative office was left vacant for R-TC-3 (if the candidate still held it)
    }

    /// @notice The recommendation (R-EL-12) and its poll.
    struct Poll {
        Status status;
        uint40 seatedAt; // `Jurisdiction.seatedAt(Consultative)` when recommended: the seating the poll is about
        IElection election; // the completed county election whose R-EL-10 consultative slot is recommended
        bytes32 candidate; // that election's consultative member, the sole candidate
        uint256 round; // the round in `ballots()`
    }

    /// @notice The contract was deployed for the county `jurisdiction`'s CPPCC session of election term
    /// `term`, with its own ballot box `ballots` (electorate 0 = the CPPCC members' roll).
    event CppccConfirmationCreated(address jurisdiction, address persons, address ballots, uint16 term);
    /// @notice CPPCC members were put on the roll; `rollSize` is the roll's size now.
    event MembersRegistered(bytes32[] memberIds, uint32 rollSize);
    /// @notice `candidate`, the consultative member of `election` (R-EL-10), is recommended as the sole
    /// candidate for CPPCC chair (R-EL-12): round `round` of `ballots()`, `rollSize` registered members
    /// (the roll is frozen from now on); the election authority opens the round.
    event Recommended(
        address indexed election, bytes32 indexed candidate, uint256 round, uint32 rollSize, uint40 seatedAt
    );
    /// @notice The CPPCC voted (R-EL-12): `votes` for the candidate, `cast` ballots, `registered` members;
    /// `confirmed` iff the round had its quorum and `2 · votes > registered`. `vacated`: rejected and the
    /// candidate still held the office from the recommended seating, so it was left vacant (R-TC-3).
    event CppccVoted(
        bytes32 indexed candidate, uint32 votes, uint32 cast, uint32 registered, bool confirmed, bool vacated
    );

    /// @notice This contract serves a county jurisdiction only (R-EL-12 is the county profile's).
    /// @custom:rule R-EL-12
    error NotCountyProfile(ProfileKind kind);
    /// @notice The roll is frozen once the recommendation is scheduled.
    /// @custom:rule R-EL-12
    error CppccRollFrozen(uint32 rollSize);
    /// @notice The person is already on the CPPCC roll.
    /// @custom:rule R-EL-12
    error DuplicateMember(bytes32 memberId);
    /// @notice A blacklisted person may not be put on the CPPCC roll (R-MR-9).
    /// @custom:rule R-MR-9
    error BlacklistedMember(bytes32 memberId);
    /// @notice The CPPCC roll is empty: nobody could confirm.
    /// @custom:rule R-EL-12
    error EmptyCppccRoll();
    /// @notice This session's recommendation was already made (one poll per session and election).
    /// @custom:rule R-EL-12
    error AlreadyRecommended(address election, bytes32 candidate);
    /// @notice Not an election of this jurisdiction (it must hold OFFICE_WRITER here, name this
    /// jurisdiction and be an `Election`).
    /// @custom:rule R-EL-12
    error NotThisCountysElection(address election);
    /// @notice The election has not completed: the consultative slot is not final.
    /// @custom:rule R-EL-12
    error ElectionIncomplete(address election, IElection.Phase phase);
    /// @notice The election is of another term than this CPPCC session's.
    /// @custom:rule R-EL-12
    error WrongTerm(address election, uint16 term, uint16 expected);
    /// @notice The election's consultative member (`candidate`, zero if the slot is empty) does not hold
    /// the consultative office in the jurisdiction now (`holder`): there is nobody to recommend.
    /// @custom:rule R-EL-12
    error NotConsultativeHolder(bytes32 candidate, bytes32 holder);
    /// @notice The poll is not waiting to be settled (not scheduled yet, or settled).
    /// @custom:rule R-EL-12
    error NotScheduled(Status status);

    /// @notice The election term whose CPPCC session this contract serves.
    function term() external view returns (uint16);
    /// @notice The province's person registry (members' ids and keys).
    function persons() external view returns (IPersonRegistry);
    /// @notice This session's ballot box, created with the contract; electorate 0 is the CPPCC roll.
    function ballots() external view returns (IBallotBox);
    /// @notice Put CPPCC members on the roll (election authority), until the recommendation is scheduled.
    /// @param memberIds the members' PersonRegistry ids: registered, not blacklisted, not on the roll yet
    function registerMembers(bytes32[] calldata memberIds) external;
    /// @notice Recommend `election`'s consultative member (R-EL-10) as the sole candidate for CPPCC chair
    /// (R-EL-12): freezes the roll and creates the round (one name, the roll's size as the quorum base).
    /// The election authority, or the upper committee (a silent authority cannot stall it). The candidate
    /// is read from the election, never given.
    /// @param election the completed county election of this jurisdiction and term
    /// @return round the round in `ballots()`
    function recommend(IElection election) external returns (uint256 round);
    /// @notice Count the poll once its reveal is over (anyone): confirmed iff quorum and
    /// `2 · votes > registered`; else the consultative office is left vacant (R-TC-3 fills it) if the
    /// candidate still holds it from the recommended seating.
    function settle() external;
    /// @notice Whether `person` is on the roll of `electorate` (only electorate 0, the CPPCC members,
    /// exists here); what the ballot box asks before a credential request.
    /// @param electorate 0: the CPPCC members
    /// @param person a PersonRegistry id
    function onRoll(IElection.Electorate electorate, bytes32 person) external view returns (bool);
    /// @notice Registered CPPCC members and whether the roll is frozen.
    function roll() external view returns (uint32 size, bool frozen);
    /// @notice The recommendation and its poll (status `None` before it).
    function poll() external view returns (Poll memory);
}
