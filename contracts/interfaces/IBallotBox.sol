// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The surface of `BallotBox`: its events, errors, types and external functions
interface IBallotBox {
    /// @notice Round lifecycle.
    enum Status {
        None,
        Created, // scheduled by the election, waiting to be opened
        Open, // commits accepted until closesAt
        Final, // tallied; quorum met
        Void // tallied; quorum not met (R-EL-5)
    }

    /// @notice A poll's stored state: status, sizes, counts, windows and its electorate (one round per poll).
    struct Round {
        Status status;
        uint8 candidateCount;
        uint8 maxNames;
        uint32 rollSize; // registered voters of the electorate
        uint32 committed; // ballots cast
        uint32 revealed; // ballots opened and counted
        uint64 closesAt;
        uint64 revealDeadline;
        uint8 electorate; // IElection.Electorate: whose registered credentials may vote
    }

    /// @notice The profile's poll bounds, in seconds (`IJurisdiction.Params`, R-EL-7, issue 15 item 4): the
    /// shortest time from a poll's scheduling to the close of its casting (registration), the shortest
    /// casting and counting (reveal) windows, the longest casting or counting window, and how long after
    /// scheduling only the election authority may open a poll (after that the upper committee may too).
    struct PollLimits {
        uint32 minRegister;
        uint32 minCast;
        uint32 minCount;
        uint32 maxWindow;
        uint32 openWithin;
    }

    /// @notice A voter's request for a blind signature, signed (EIP-712 `CredentialRequest`, EIP-2098
    /// compact) by the current key of `person` in the PersonRegistry. `blinded` is the RSA-blinded
    /// encoding of the voter's credential (256 bytes, big-endian); `witness` is zero for a voter's own
    /// device, or the person witnessing a booth issuance (paper-ballot fallback).
    struct CredentialRequest {
        uint8 electorate;
        bytes32 person;
        bytes32 witness;
        bytes blinded;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice The issuer's blind signature on a request: `blindSignature^e mod n == blinded`.
    struct BlindAnswer {
        uint8 electorate;
        bytes32 person;
        bytes blinded;
        bytes blindSignature;
    }

    /// @notice An anonymous credential registration: the credential key's address and the issuer's
    /// unblinded RSASSA-PKCS1-v1_5-SHA256 signature on `credentialMessage(electorate, credential)`.
    struct CredentialRegistration {
        uint8 electorate;
        address credential;
        bytes signature;
    }

    /// @notice One signed ballot as relayed: the registered credential, the sealed commitment and a
    /// compact (EIP-2098) signature by the credential key.
    struct SignedBallot {
        address credential;
        bytes32 commitment;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice A committed entry of a batch, as emitted in `BallotCommitted`.
    struct Sealed {
        address credential;
        bytes32 commitment;
    }

    /// @notice One ballot sealed to the round's poll key (R-EL-13; `IScrutiny.Ciphertext`), as relayed, with
    /// a compact (EIP-2098) signature by the credential key over the commitment
    /// `keccak256(abi.encode(rx, ry, masked))`.
    struct SealedBallot {
        address credential;
        uint256 rx;
        uint256 ry;
        uint256 masked;
        bytes32 r;
        bytes32 vs;
    }

    /// @notice The opening of the ballot at `position` of a batch.
    struct Opening {
        uint16 position;
        uint256 mask;
        bytes32 salt;
    }

    /// @notice The issuer's RSA public key (modulus `n`, exponent 65537) was published, once per box.
    event IssuerKeyPublished(bytes modulus);
    /// @notice `person` asked for a credential of `electorate` (booth issuance when `witness` is set).
    event CredentialRequested(uint8 indexed electorate, bytes32 indexed person, bytes32 witness, bytes blinded);
    /// @notice The issuer's blind signature for `person`'s request was verified and recorded.
    event CredentialIssued(uint8 indexed electorate, bytes32 indexed person, bytes blindSignature);
    /// @notice A credential key was registered anonymously with the issuer's unblinded signature.
    event CredentialRegistered(uint8 indexed electorate, address indexed credential, bytes signature);
    /// @notice A valid issuer signature on an unregistered credential was shown while every issued slot
    /// is taken: the issuer signed more credentials than it issued on chain. The electorate's polls stop.
    event ForgeryProven(uint8 indexed electorate, address credential, bytes signature, uint32 issued);
    /// @notice A batch entry already on chain (same request, answer, registration or ballot) was skipped.
    event EntrySkipped(bytes32 indexed entry);
    /// @notice A round was created by `creator` (the owning election, or a `POLL_CLIENT` contract such as
    /// `TeamCompletion`) for `candidateCount` candidates, at most `maxNames` per ballot; from
    /// `openDeadline` on, the upper committee may open it if the election authority has not (R-EL-11).
    event RoundCreated(
        uint256 indexed round,
        uint8 electorate,
        uint8 candidateCount,
        uint8 maxNames,
        uint32 rollSize,
        uint64 openDeadline,
        address creator
    );
    /// @notice The poll opened (R-EL-7), by `openedBy` (the election authority, or the upper committee once overdue).
    event RoundOpened(uint256 indexed round, uint64 closesAt, uint64 revealDeadline, address openedBy);
    /// @notice A sealed ballot was recorded in batch `batch` (a voter's receipt: round and credential).
    event BallotCommitted(uint256 indexed round, uint256 indexed batch, address credential, bytes32 commitment);
    /// @notice The ciphertext of a sealed ballot recorded in batch `batch` (its commitment is in `BallotCommitted`).
    event BallotSealed(
        uint256 indexed round, uint256 indexed batch, address credential, uint256 rx, uint256 ry, uint256 masked
    );
    /// @notice The scrutiny contract decrypted and counted a whole batch: `ballots` ballots, `invalid` of them 废票,
    /// `votes` per candidate from the valid ones (the box's tally is the sum over its batches).
    event SealedBatchCounted(
        uint256 indexed round, uint256 indexed batch, uint32 ballots, uint32 invalid, uint32[] votes
    );
    /// @notice A ballot was opened and counted: `mask` names the candidates it votes for.
    event BallotRevealed(uint256 indexed round, address indexed credential, uint256 mask);
    /// @notice The round was tallied: votes per candidate, ballots cast and counted, quorum (R-EL-5).
    event RoundTallied(uint256 indexed round, uint32[] votes, uint32 cast, uint32 counted, bool quorum);

    /// @notice This box seals its rounds to the scrutineers (R-EL-13): plain commitments and reveals are refused.
    /// @custom:rule R-EL-13
    error RoundSealed(uint256 round);
    /// @notice This box has no scrutiny contract: sealed ballots are refused.
    /// @custom:rule R-EL-13
    error RoundUnsealed(uint256 round);
    /// @notice The round has no fixed poll key yet (its scrutineers have not finished the key generation).
    /// @custom:rule R-EL-13
    error RoundNotKeyed(uint256 round);
    /// @notice Only the box's scrutiny contract counts sealed batches.
    /// @custom:rule R-EL-13
    error NotScrutiny(address caller);
    /// @notice The batch was counted already.
    /// @custom:rule R-EL-13
    error BatchCounted(uint256 round, uint256 batch);
    /// @notice Only the owning election (or, for a round, the contract that created it) may do this.
    /// @custom:rule R-EL-11
    error NotOwner(address caller);
    /// @notice No such round.
    /// @custom:rule none
    error UnknownRound(uint256 round);
    /// @notice The round is not in the status this step needs.
    /// @custom:rule R-EL-7
    error WrongRoundStatus(uint256 round, Status status, Status needed);
    /// @notice The issuer key is already published (it never changes), or is not a 2048-bit modulus.
    /// @custom:rule R-EL-7
    error IssuerKeyRefused(uint256 length);
    /// @notice No issuer key is published yet: credentials cannot be requested.
    /// @custom:rule R-EL-7
    error NoIssuerKey();
    /// @notice The person is not on the electorate's roll.
    /// @custom:rule R-EL-5
    error NotOnRoll(uint8 electorate, bytes32 person);
    /// @notice A blacklisted person may not obtain a credential (R-MR-9).
    /// @custom:rule R-MR-9
    error VoterBlacklisted(bytes32 person);
    /// @notice A booth witness must be a registered person other than the voter.
    /// @custom:rule R-EL-7
    error BadWitness(bytes32 person, bytes32 witness);
    /// @notice This roll entry already requested its one credential (a different request).
    /// @custom:rule R-EL-5
    error AlreadyRequested(uint8 electorate, bytes32 person);
    /// @notice No request of this person matches the blinded message answered.
    /// @custom:rule R-EL-7
    error RequestMismatch(uint8 electorate, bytes32 person);
    /// @notice The blind signature does not verify against the blinded message (`s^e mod n != blinded`).
    /// @custom:rule R-EL-7
    error BadBlindSignature(uint8 electorate, bytes32 person);
    /// @notice The credential's unblinded issuer signature does not verify (RSASSA-PKCS1-v1_5-SHA256).
    /// @custom:rule R-EL-7
    error BadCredentialSignature(uint8 electorate, address credential);
    /// @notice Every issued credential is registered: no more may be (registered never exceeds issued).
    /// @custom:rule R-EL-5
    error CredentialCapReached(uint8 electorate, uint32 registered, uint32 issued);
    /// @notice The credential key is already registered for another electorate.
    /// @custom:rule R-EL-7
    error CredentialTaken(address credential, uint8 electorate);
    /// @notice Not a proof of forgery: the cap is not full, the credential is registered, or the signature is invalid.
    /// @custom:rule R-EL-7
    error NoForgeryProof(uint8 electorate, address credential);
    /// @notice A forgery was proven for this electorate: its polls accept and count nothing more.
    /// @custom:rule R-EL-7
    error ElectorateCompromised(uint8 electorate);
    /// @notice A poll window (0 registration: from scheduling to the close of casting; 1 casting; 2 counting,
    /// the reveal window) is out of the profile's bounds, in seconds (`limits()`; registration has no maximum).
    /// @custom:rule R-EL-7
    error PollWindowOutOfBounds(uint8 which, uint256 given, uint256 min, uint256 max);
    /// @notice Only the election authority may open a poll before its opening deadline; the upper committee
    /// may from `openDeadline` on (a poll left unopened cannot stall the election).
    /// @custom:rule R-EL-11
    error OpeningNotOverdue(uint256 round, uint64 openDeadline, uint256 now_);
    /// @notice The poll has closed (commits) or has not closed yet (reveals and tally).
    /// @custom:rule R-EL-7
    error PollClosed(uint256 round, uint64 closesAt);
    /// @notice Openings are accepted only after the poll closes (or every voter has cast).
    /// @custom:rule R-EL-7
    error PollStillOpen(uint256 round, uint64 closesAt);
    /// @notice The reveal deadline has passed.
    /// @custom:rule R-EL-7
    error RevealClosed(uint256 round, uint64 revealDeadline);
    /// @notice The tally becomes final only after the reveal deadline, unless every ballot cast is opened.
    /// @custom:rule R-EL-7
    error RevealStillOpen(uint256 round, uint64 revealDeadline);
    /// @notice The ballot's credential is not registered for the round's electorate (forged credential).
    /// @custom:rule R-EL-7
    error UnregisteredCredential(uint256 round, address credential);
    /// @notice The ballot is not signed by its credential key.
    /// @custom:rule R-EL-7
    error BallotSignatureInvalid(uint256 round, address credential, address signer);
    /// @notice This credential already cast a different ballot in this round.
    /// @custom:rule R-EL-7
    error CredentialUsed(uint256 round, address credential);
    /// @notice An empty or oversized batch.
    /// @custom:rule R-EL-7
    error BadBatchSize(uint256 given, uint256 max);
    /// @notice The batch list does not match the committed batch.
    /// @custom:rule R-EL-7
    error BatchMismatch(uint256 round, uint256 batch);
    /// @notice The opening does not match its commitment.
    /// @custom:rule R-EL-7
    error RevealMismatch(uint256 round, address credential);
    /// @notice This ballot was already opened.
    /// @custom:rule R-EL-7
    error AlreadyRevealed(uint256 round, address credential);
    /// @notice The ballot names a candidate outside the round's list.
    /// @custom:rule R-EL-2
    error UnknownCandidate(uint256 position, uint256 candidateCount);
    /// @notice The ballot names more candidates than allowed (R-EL-2: 10, R-EL-4: 7).
    /// @custom:rule R-EL-2
    error BallotTooLong(uint256 given, uint256 max);

    /// @notice EIP-712 typehash of a sealed ballot: `Ballot(uint256 round,address credential,bytes32 commitment)`.
    function BALLOT_TYPEHASH() external view returns (bytes32);
    /// @notice EIP-712 typehash of a credential request:
    /// `CredentialRequest(uint8 electorate,bytes32 person,bytes32 witness,bytes32 blinded)` (`blinded` = keccak256 of the bytes).
    function REQUEST_TYPEHASH() external view returns (bytes32);
    /// @notice Most entries one relayed batch may carry.
    function MAX_BATCH() external view returns (uint256);
    /// @notice The contract that creates rounds and consumes their results.
    function owner() external view returns (address);
    /// @notice Create a round (the owner, or a contract holding `zhili.role.POLL_CLIENT` in the
    /// jurisdiction, e.g. `TeamCompletion` for congress confirmations); it waits to be opened, and only
    /// its creator may finalize it.
    /// @param electorate whose registered credentials vote (IElection.Electorate)
    /// @param candidateCount candidates on the ballot (bit i of a mask = candidate i)
    /// @param maxNames most names one ballot may carry
    /// @param rollSize registered voters (quorum base, R-EL-5)
    /// @return round the new round's id
    function createRound(uint8 electorate, uint8 candidateCount, uint8 maxNames, uint32 rollSize)
        external
        returns (uint256 round);
    /// @notice Tally a round whose reveal is over (its creator only): votes per candidate and quorum (R-EL-5).
    /// @param round the round
    /// @return tally votes per candidate
    /// @return quorum whether more than half of the registered voters cast a ballot
    function finalize(uint256 round) external returns (uint32[] memory tally, bool quorum);
    /// @notice The contract that created `round` and alone may finalize it.
    /// @param round the round
    function roundCreator(uint256 round) external view returns (address);
    /// @notice Publish the issuer's 2048-bit RSA modulus (exponent 65537), once (election authority).
    /// @param modulus big-endian, 256 bytes, top bit set
    function publishIssuerKey(bytes calldata modulus) external;
    /// @notice Record credential requests, each signed by its person; anyone may relay. Entries already
    /// on chain are skipped (`EntrySkipped`).
    /// @param requests the signed requests
    function requestCredentials(CredentialRequest[] calldata requests) external;
    /// @notice Record the issuer's blind signatures, each verified with the modexp precompile; anyone may
    /// relay. Entries already answered are skipped.
    /// @param answers the blind signatures
    function answerCredentials(BlindAnswer[] calldata answers) external;
    /// @notice Register credential keys with their unblinded issuer signatures (anonymous; anyone may
    /// relay); never more than issued. Entries already registered are skipped.
    /// @param registrations the credentials
    function registerCredentials(CredentialRegistration[] calldata registrations) external;
    /// @notice Prove that the issuer signed an extra credential: a valid signature on an unregistered
    /// credential while every issued slot is taken. Marks the electorate compromised.
    /// @param electorate the electorate
    /// @param credential the credential key's address
    /// @param signature its unblinded issuer signature
    function proveForgery(uint8 electorate, address credential, bytes calldata signature) external;
    /// @notice Open a created round for ballots: the election authority at any time, the upper committee
    /// from the round's `openDeadline` on (R-EL-11). Casting closes `castSeconds` after this transaction and
    /// counting `countSeconds` after that; both within the profile's bounds (`limits()`), and casting
    /// closes at least `minRegister` seconds after the round was scheduled (R-EL-7).
    /// @param round the round
    /// @param castSeconds length of the casting (commit) window
    /// @param countSeconds length of the counting (reveal) window after the close
    function openRound(uint256 round, uint32 castSeconds, uint32 countSeconds) external;
    /// @notice The profile's poll bounds this box enforces (read from the jurisdiction at deployment).
    function limits() external view returns (PollLimits memory);
    /// @notice When a round's opening falls due: its scheduling + `limits().openWithin`; from then on the
    /// upper committee may open it too (zero for a round that does not exist).
    function openDeadline(uint256 round) external view returns (uint64);
    /// @notice Record a batch of signed, sealed ballots. Anyone may relay; a ballot already on chain is
    /// skipped (`EntrySkipped`), so a front-run ballot does not revert the batch.
    /// @param round the round
    /// @param ballots the signed ballots
    /// @return batch the batch id, or `type(uint256).max` if every entry was already on chain
    function commit(uint256 round, SignedBallot[] calldata ballots) external returns (uint256 batch);
    /// @notice Record a batch of signed ballots sealed to the round's poll key (a box with scrutiny, R-EL-13).
    /// Anyone may relay; whoever relays sees only ciphertexts. A ballot already on chain is skipped.
    /// @param round the round
    /// @param ballots the signed sealed ballots
    /// @return batch the batch id, or `type(uint256).max` if every entry was already on chain
    function commitSealed(uint256 round, SealedBallot[] calldata ballots) external returns (uint256 batch);
    /// @notice Add a whole decrypted batch to the tally (the box's scrutiny contract only, once per batch).
    /// @param round the round
    /// @param batch the batch id
    /// @param votes votes per candidate in the batch's valid ballots
    /// @param invalid ballots counted as invalid (废票)
    /// @param ballots ballots in the batch
    function countSealed(uint256 round, uint256 batch, uint32[] calldata votes, uint32 invalid, uint32 ballots) external;
    /// @notice The scrutiny contract this box seals its rounds to (zero: commit-reveal rounds).
    function scrutiny() external view returns (address);
    /// @notice The hash of a committed batch's packed `(credential, commitment)` list.
    function batchHash(uint256 round, uint256 batch) external view returns (bytes32);
    /// @notice Ballots of a sealed round counted as invalid (废票) so far.
    function invalidBallots(uint256 round) external view returns (uint32);
    /// @notice Open ballots of a committed batch and count them. Anyone holding openings may call.
    /// @param round the round
    /// @param batch the batch id
    /// @param batchList the batch's `(credential, commitment)` list, as in its `BallotCommitted` events
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
    /// @notice Whether `credential` has cast (committed) a ballot in `round`, and whether it was opened.
    function ballotStatus(uint256 round, address credential) external view returns (bool cast, bool opened);
    /// @notice The published issuer modulus (empty before publication).
    function issuerKey() external view returns (bytes memory);
    /// @notice Credentials issued (blind signatures recorded) and registered for an electorate, and
    /// whether a forgery was proven.
    function credentialCounts(uint8 electorate)
        external
        view
        returns (uint32 issued, uint32 registered, bool compromised);
    /// @notice A person's request: keccak256 of its blinded message (zero if none) and whether it was answered.
    function issuance(uint8 electorate, bytes32 person) external view returns (bytes32 blindedHash, bool answered);
    /// @notice The electorate a credential is registered for, plus one (zero: not registered).
    function credentialElectorate(address credential) external view returns (uint8);
    /// @notice The message the issuer signs for a credential: `abi.encode(chainid, box, electorate, credential)`.
    function credentialMessage(uint8 electorate, address credential) external view returns (bytes memory);
    /// @notice The EIP-712 domain separator requests and ballots are signed under.
    function domainSeparator() external view returns (bytes32);
}
