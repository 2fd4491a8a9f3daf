// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The surface of `BallotBox`: its events, errors, types and external functions
interface IBallotBox {
    /// @notice Round lifecycle.
    enum Status {
        None,
        Created, // waiting for credentials
        Open, // credentials issued; commits accepted until closesAt
        Final, // tallied; quorum met
        Void // tallied; quorum not met (R-EL-5)
    }

    /// @notice A poll's stored state: status, sizes, counts, windows and the credential root (one round per poll).
    struct Round {
        Status status;
        uint8 candidateCount;
        uint8 maxNames;
        uint32 rollSize; // registered voters of the electorate
        uint32 committed; // ballots cast
        uint32 revealed; // ballots opened and counted
        uint64 closesAt;
        uint64 revealDeadline;
        bytes32 credentialRoot;
    }

    /// @notice One signed ballot as relayed: credential index, sealed commitment, compact
    /// (EIP-2098) signature by the credential key, Merkle proof of `(index, credential)`.
    struct SignedBallot {
        uint32 index;
        bytes32 commitment;
        bytes32 r;
        bytes32 vs;
        bytes32[] proof;
    }

    /// @notice A committed entry of a batch, as emitted in `BallotCommitted`.
    struct Sealed {
        uint32 index;
        bytes32 commitment;
    }

    /// @notice The opening of the ballot at `position` of a batch.
    struct Opening {
        uint16 position;
        uint256 mask;
        bytes32 salt;
    }

    /// @notice A round was created for `candidateCount` candidates, at most `maxNames` per ballot.
    event RoundCreated(uint256 indexed round, uint8 candidateCount, uint8 maxNames, uint32 rollSize);
    /// @notice Credentials were issued and the poll opened (R-EL-7).
    event RoundOpened(
        uint256 indexed round, bytes32 credentialRoot, uint32 credentials, uint64 closesAt, uint64 revealDeadline
    );
    /// @notice A sealed ballot was recorded in batch `batch` (a voter's receipt: round and index).
    event BallotCommitted(uint256 indexed round, uint256 indexed batch, uint32 index, bytes32 commitment);
    /// @notice A ballot was opened and counted: `mask` names the candidates it votes for.
    event BallotRevealed(uint256 indexed round, uint32 indexed index, uint256 mask);
    /// @notice The round was tallied: votes per candidate, ballots cast and counted, quorum (R-EL-5).
    event RoundTallied(uint256 indexed round, uint32[] votes, uint32 cast, uint32 counted, bool quorum);

    /// @notice Only the owning election may do this.
    /// @custom:rule R-EL-11
    error NotOwner(address caller);
    /// @notice No such round.
    /// @custom:rule none
    error UnknownRound(uint256 round);
    /// @notice The round is not in the status this step needs.
    /// @custom:rule R-EL-7
    error WrongRoundStatus(uint256 round, Status status, Status needed);
    /// @notice Credentials issued must equal the registered voters (ballots cast never exceed ballots issued).
    /// @custom:rule R-EL-5
    error CredentialCountMismatch(uint32 given, uint32 rollSize);
    /// @notice The poll times are not in the future and ordered.
    /// @custom:rule R-EL-7
    error BadPollTimes(uint64 closesAt, uint64 revealDeadline, uint256 now_);
    /// @notice The poll has closed (commits) or has not closed yet (reveals and tally).
    /// @custom:rule R-EL-7
    error PollClosed(uint256 round, uint64 closesAt);
    /// @notice Openings are accepted only after the poll closes (or every credential was used).
    /// @custom:rule R-EL-7
    error PollStillOpen(uint256 round, uint64 closesAt);
    /// @notice The reveal deadline has passed.
    /// @custom:rule R-EL-7
    error RevealClosed(uint256 round, uint64 revealDeadline);
    /// @notice The tally becomes final only after the reveal deadline, unless every ballot cast is opened.
    /// @custom:rule R-EL-7
    error RevealStillOpen(uint256 round, uint64 revealDeadline);
    /// @notice The credential index is outside the issued range.
    /// @custom:rule R-EL-7
    error UnknownCredential(uint256 round, uint32 index);
    /// @notice The signer and index are not in the issued credential set (forged credential).
    /// @custom:rule R-EL-7
    error InvalidCredential(uint256 round, uint32 index, address signer);
    /// @notice This credential already cast its ballot (one-time credentials).
    /// @custom:rule R-EL-7
    error CredentialUsed(uint256 round, uint32 index);
    /// @notice An empty or oversized batch.
    /// @custom:rule R-EL-7
    error BadBatchSize(uint256 given, uint256 max);
    /// @notice The batch list does not match the committed batch.
    /// @custom:rule R-EL-7
    error BatchMismatch(uint256 round, uint256 batch);
    /// @notice The opening does not match its commitment.
    /// @custom:rule R-EL-7
    error RevealMismatch(uint256 round, uint32 index);
    /// @notice This ballot was already opened.
    /// @custom:rule R-EL-7
    error AlreadyRevealed(uint256 round, uint32 index);
    /// @notice The ballot names a candidate outside the round's list.
    /// @custom:rule R-EL-2
    error UnknownCandidate(uint256 position, uint256 candidateCount);
    /// @notice The ballot names more candidates than allowed (R-EL-2: 10, R-EL-4: 7).
    /// @custom:rule R-EL-2
    error BallotTooLong(uint256 given, uint256 max);

    /// @notice EIP-712 typehash of a sealed ballot: `Ballot(uint256 round,uint32 index,bytes32 commitment)`.
    function BALLOT_TYPEHASH() external view returns (bytes32);
    /// @notice Most ballots one relayed batch may carry.
    function MAX_BATCH() external view returns (uint256);
    /// @notice The contract that creates rounds and consumes their results.
    function owner() external view returns (address);
    /// @notice Create a round (owner only); it waits for credentials.
    /// @param candidateCount candidates on the ballot (bit i of a mask = candidate i)
    /// @param maxNames most names one ballot may carry
    /// @param rollSize registered voters; credentials issued must equal it
    /// @return round the new round's id
    function createRound(uint8 candidateCount, uint8 maxNames, uint32 rollSize) external returns (uint256 round);
    /// @notice Tally a round whose reveal is over (owner only): votes per candidate and quorum (R-EL-5).
    /// @param round the round
    /// @return tally votes per candidate
    /// @return quorum whether more than half of the registered voters cast a ballot
    function finalize(uint256 round) external returns (uint32[] memory tally, bool quorum);
    /// @notice Issue the round's credentials (Merkle root of `(index, address)` leaves) and open the poll.
    /// @param round the round
    /// @param root Merkle root (OpenZeppelin sorted-pair tree of double-hashed leaves)
    /// @param credentials number of credentials, equal to the registered voters (R-EL-5)
    /// @param closesAt end of the commit window (unix time)
    /// @param revealDeadline end of the reveal window
    function openRound(uint256 round, bytes32 root, uint32 credentials, uint64 closesAt, uint64 revealDeadline) external;
    /// @notice Record a batch of signed, sealed ballots. Anyone may relay.
    /// @param round the round
    /// @param ballots the signed ballots
    /// @return batch the batch id (voters find their ballot by round and index)
    function commit(uint256 round, SignedBallot[] calldata ballots) external returns (uint256 batch);
    /// @notice Open ballots of a committed batch and count them. Anyone holding openings may call.
    /// @param round the round
    /// @param batch the batch id
    /// @param batchList the batch's `(index, commitment)` list, as in its `BallotCommitted` events
    /// @param openings openings of some or all ballots of the batch
    function reveal(uint256 round, uint256 batch, Sealed[] calldata batchList, Opening[] calldata openings) external;
    /// @notice Check a ballot mask against the round's rules (reverts with the rule's error).
    /// @param round the round
    /// @param mask bit i set = candidate i named
    function validateBallot(uint256 round, uint256 mask) external view;
    /// @notice A round's state.
    function getRound(uint256 round) external view returns (Round memory);
    /// @notice Number of rounds created.
    function roundCount() external view returns (uint256);
    /// @notice Number of committed batches of a round.
    function batchCount(uint256 round) external view returns (uint256);
    /// @notice Votes per candidate of a tallied round (R-EL-7: nothing before the tally is final).
    function votes(uint256 round) external view returns (uint32[] memory);
    /// @notice Whether credential `index` has cast (committed) a ballot in `round`, and whether it was opened.
    function ballotStatus(uint256 round, uint32 index) external view returns (bool cast, bool opened);
    /// @notice The EIP-712 domain separator credentials sign under.
    function domainSeparator() external view returns (bytes32);
}
