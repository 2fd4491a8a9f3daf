// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IBallotBox} from "../interfaces/IBallotBox.sol";
import {IElection} from "../interfaces/IElection.sol";
import {IScrutiny} from "../interfaces/IScrutiny.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {RSA} from "@openzeppelin/contracts/utils/cryptography/RSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";
import {PersonSigned} from "../base/PersonSigned.sol";

/// @title Secret ballot rounds with voter-held blind-signed credentials and commit-reveal (R-EL-7, R-EL-5)
/// @notice Credentials the election authority can neither use nor link (docs/election.md). The
/// authority publishes a 2048-bit RSA key once. Each person on an electorate's roll (a PersonRegistry
/// id, on the election's roll) generates a credential key on their own device and asks, signed with
/// their registered key, for a blind signature on it: one request per roll entry. The issuer's blind
/// signature is verified on chain with the modexp precompile (a garbage answer is refused) and counts
/// one issued credential. Anyone then registers the credential key anonymously with the unblinded
/// signature, a standard RSASSA-PKCS1-v1_5-SHA256 signature checked with OpenZeppelin's `RSA`;
/// registered never exceeds issued, and a valid signature that no longer fits proves a forgery.
/// A voter signs an EIP-712 `Ballot` with the credential key over a commitment
/// `keccak256(abi.encode(box, round, credential, mask, salt))`, where `mask` has bit `i` set for each
/// named candidate `i` of the round; anyone may relay ballots in batches, and a ballot already on chain
/// is skipped, never reverting the batch. After the poll closes the openings are revealed (by anyone
/// holding them) and counted; the tally is final after the reveal deadline. Every step is an event.
/// @dev Rounds are created by the owner (the `Election` that deployed this box) or by a zhili contract
/// holding `POLL_CLIENT` (`TeamCompletion`'s congress confirmations, which reuse the election's rolls and
/// credentials); only a round's creator finalizes it. Rounds are opened by an
/// account holding `ELECTION_AUTHORITY` in the jurisdiction, or, once a round is overdue (the profile's
/// `openWithinSeconds` after its scheduling), by one holding `UPPER_COMMITTEE`; its windows are within the
/// profile's bounds (issue 15 item 4). A committed batch is stored as one hash
/// over its `(credential, commitment)` list, which the reveal re-supplies (from the events).
contract BallotBox is JurisdictionBound, PersonSigned, IBallotBox {
    bytes32 public constant BALLOT_TYPEHASH = keccak256("Ballot(uint256 round,address credential,bytes32 commitment)");
    bytes32 public constant REQUEST_TYPEHASH =
        keccak256("CredentialRequest(uint8 electorate,bytes32 person,bytes32 witness,bytes32 blinded)");
    uint256 public constant MAX_BATCH = 512;
    uint256 private constant KEY_BYTES = 256; // RSA-2048
    bytes private constant E = hex"010001"; // public exponent 65537
    bytes32 private constant OPENED = bytes32(uint256(1));

    struct Issuance {
        bytes32 blindedHash;
        bool answered;
    }

    struct Count {
        uint32 issued;
        uint32 registered;
        bool compromised;
    }

    address public immutable owner;
    address public immutable scrutiny;
    uint32 private immutable _minRegister;
    uint32 private immutable _minCast;
    uint32 private immutable _minCount;
    uint32 private immutable _maxWindow;
    uint32 private immutable _openWithin;
    bytes private _modulus;
    mapping(uint8 electorate => Count) private _counts;
    mapping(uint8 electorate => mapping(bytes32 person => Issuance)) private _issuance;
    mapping(address credential => uint8) private _electoratePlusOne;

    Round[] private _rounds;
    mapping(uint256 round => uint64) private _openDeadline; // scheduling + openWithin (R-EL-11)
    mapping(uint256 round => address) private _creator; // zero: the owner
    mapping(uint256 round => uint256[]) private _tallies; // 8 x uint32 per word
    mapping(uint256 round => bytes32[]) private _batches;
    mapping(uint256 round => mapping(address credential => bytes32)) private _ballot; // commitment, or OPENED
    mapping(uint256 round => mapping(uint256 batch => bool)) private _countedBatch; // sealed rounds
    mapping(uint256 round => uint32) private _invalid; // sealed rounds: ballots counted as invalid (废票)

    /// @param jurisdiction_ the jurisdiction whose ELECTION_AUTHORITY opens rounds and publishes the key;
    /// its profile's poll bounds (`Params`, checked by the jurisdiction) are copied once
    /// @param persons_ the person registry (requesters' keys)
    /// @param scrutiny_ the scrutineers' contract every round is sealed to (R-EL-13), or zero for commit-reveal
    /// @dev The deployer (the `Election`, in its constructor) becomes the owner.
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_, IScrutiny scrutiny_)
        JurisdictionBound(jurisdiction_)
        PersonSigned("zhili BallotBox", "1", persons_)
    {
        owner = msg.sender;
        scrutiny = address(scrutiny_);
        IJurisdiction.Params memory p = jurisdiction_.params();
        _minRegister = p.minRegisterSeconds;
        _minCast = p.minCastSeconds;
        _minCount = p.minCountSeconds;
        _maxWindow = p.maxPollSeconds;
        _openWithin = p.openWithinSeconds;
    }

    // ------------------------------------------------------------------ owner

    function createRound(uint8 electorate, uint8 candidateCount, uint8 maxNames, uint32 rollSize)
        external
        returns (uint256 round)
    {
        if (msg.sender != owner) _checkRole(Roles.POLL_CLIENT);
        round = _rounds.length;
        if (msg.sender != owner) _creator[round] = msg.sender;
        _rounds.push();
        Round storage r = _rounds[round];
        r.status = Status.Created;
        r.electorate = electorate;
        r.candidateCount = candidateCount;
        r.maxNames = maxNames;
        r.rollSize = rollSize;
        uint64 due = uint64(block.timestamp) + _openWithin;
        _openDeadline[round] = due;
        _tallies[round] = new uint256[]((uint256(candidateCount) + 7) / 8);
        emit RoundCreated(round, electorate, candidateCount, maxNames, rollSize, due, msg.sender);
    }

    function finalize(uint256 round) external returns (uint32[] memory tally, bool quorum) {
        if (msg.sender != roundCreator(round)) revert NotOwner(msg.sender);
        Round storage r = _open(round);
        _checkSound(r.electorate);
        bool allOpened = r.revealed == r.committed && (r.committed == r.rollSize || block.timestamp >= r.closesAt);
        if (block.timestamp < r.revealDeadline && !allOpened) revert RevealStillOpen(round, r.revealDeadline);
        tally = _unpack(round, r.candidateCount);
        quorum = uint256(r.committed) * 2 > r.rollSize && (scrutiny == address(0) || r.revealed == r.committed);
        r.status = quorum ? Status.Final : Status.Void;
        emit RoundTallied(round, tally, r.committed, r.revealed, quorum);
    }

    // ------------------------------------------------------------------ credentials

    function publishIssuerKey(bytes calldata modulus) external {
        _checkRole(Roles.ELECTION_AUTHORITY);
        if (_modulus.length != 0 || modulus.length != KEY_BYTES || uint8(modulus[0]) < 0x80) {
            revert IssuerKeyRefused(modulus.length);
        }
        _modulus = modulus;
        emit IssuerKeyPublished(modulus);
    }

    function requestCredentials(CredentialRequest[] calldata requests) external {
        if (_modulus.length == 0) revert NoIssuerKey();
        _checkBatch(requests.length);
        IElection election = IElection(owner);
        for (uint256 i = 0; i < requests.length; ++i) {
            CredentialRequest calldata q = requests[i];
            bytes32 h = keccak256(q.blinded);
            Issuance storage s = _issuance[q.electorate][q.person];
            if (s.blindedHash == h) {
                emit EntrySkipped(h);
                continue;
            }
            if (s.blindedHash != 0) revert AlreadyRequested(q.electorate, q.person);
            if (!election.onRoll(IElection.Electorate(q.electorate), q.person)) {
                revert NotOnRoll(q.electorate, q.person);
            }
            if (persons.isBlacklisted(q.person)) revert VoterBlacklisted(q.person);
            if (q.witness != 0 && (q.witness == q.person || !persons.isRegistered(q.witness))) {
                revert BadWitness(q.person, q.witness);
            }
            bytes32 digest =
                _hashTypedDataV4(keccak256(abi.encode(REQUEST_TYPEHASH, q.electorate, q.person, q.witness, h)));
            _checkPersonSigned(q.person, digest, q.r, q.vs);
            s.blindedHash = h;
            emit CredentialRequested(q.electorate, q.person, q.witness, q.blinded);
        }
    }

    function answerCredentials(BlindAnswer[] calldata answers) external {
        _checkBatch(answers.length);
        bytes memory n = _modulus;
        for (uint256 i = 0; i < answers.length; ++i) {
            BlindAnswer calldata a = answers[i];
            Issuance storage s = _issuance[a.electorate][a.person];
            bytes32 h = keccak256(a.blinded);
            if (s.blindedHash != h || h == 0) revert RequestMismatch(a.electorate, a.person);
            if (s.answered) {
                emit EntrySkipped(h);
                continue;
            }
            (bool ok, bytes memory back) = Math.tryModExp(a.blindSignature, E, n);
            if (!ok || a.blindSignature.length != KEY_BYTES || keccak256(back) != h) {
                revert BadBlindSignature(a.electorate, a.person);
            }
            s.answered = true;
            ++_counts[a.electorate].issued;
            emit CredentialIssued(a.electorate, a.person, a.blindSignature);
        }
    }

    function registerCredentials(CredentialRegistration[] calldata registrations) external {
        _checkBatch(registrations.length);
        bytes memory n = _modulus;
        for (uint256 i = 0; i < registrations.length; ++i) {
            CredentialRegistration calldata g = registrations[i];
            uint8 had = _electoratePlusOne[g.credential];
            if (had == g.electorate + 1) {
                emit EntrySkipped(bytes32(uint256(uint160(g.credential))));
                continue;
            }
            if (had != 0) revert CredentialTaken(g.credential, had - 1);
            Count storage c = _counts[g.electorate];
            _checkSound(g.electorate);
            if (c.registered >= c.issued) revert CredentialCapReached(g.electorate, c.registered, c.issued);
            if (!_validCredential(g.electorate, g.credential, g.signature, n)) {
                revert BadCredentialSignature(g.electorate, g.credential);
            }
            ++c.registered;
            _electoratePlusOne[g.credential] = g.electorate + 1;
            emit CredentialRegistered(g.electorate, g.credential, g.signature);
        }
    }

    function proveForgery(uint8 electorate, address credential, bytes calldata signature) external {
        Count storage c = _counts[electorate];
        if (
            c.registered < c.issued || _electoratePlusOne[credential] != 0
                || !_validCredential(electorate, credential, signature, _modulus)
        ) revert NoForgeryProof(electorate, credential);
        c.compromised = true;
        emit ForgeryProven(electorate, credential, signature, c.issued);
    }

    // ------------------------------------------------------------------ election authority (upper committee when overdue)

    /// @inheritdoc IBallotBox
    /// @dev Order of checks: the caller holds one of the two roles, the round exists, the two windows are
    /// within bounds, the round waits to be opened, a committee caller is past the deadline, registration.
    function openRound(uint256 round, uint32 castSeconds, uint32 countSeconds) external {
        bool authority = _hasRole(Roles.ELECTION_AUTHORITY);
        if (!authority && !_hasRole(Roles.UPPER_COMMITTEE)) _checkRole(Roles.ELECTION_AUTHORITY);
        Round storage r = _round(round);
        _window(1, castSeconds, _minCast);
        _window(2, countSeconds, _minCount);
        if (r.status != Status.Created) revert WrongRoundStatus(round, r.status, Status.Created);
        if (scrutiny != address(0) && !IScrutiny(scrutiny).keyFixed(address(this), round)) revert RoundNotKeyed(round);
        uint64 due = _openDeadline[round];
        if (!authority && block.timestamp < due) revert OpeningNotOverdue(round, due, block.timestamp);
        uint64 closesAt = uint64(block.timestamp) + castSeconds;
        uint256 registration = closesAt - (due - _openWithin); // from scheduling to the close
        if (registration < _minRegister) {
            revert PollWindowOutOfBounds(0, registration, _minRegister, type(uint64).max);
        }
        uint64 revealDeadline = closesAt + countSeconds;
        r.closesAt = closesAt;
        r.revealDeadline = revealDeadline;
        r.status = Status.Open;
        emit RoundOpened(round, closesAt, revealDeadline, msg.sender);
    }

    // ------------------------------------------------------------------ anyone (relayers, voters)

    function commit(uint256 round, SignedBallot[] calldata ballots) external returns (uint256 batch) {
        if (scrutiny != address(0)) revert RoundSealed(round);
        uint256 n = ballots.length;
        (uint8 electorate, bytes memory packed) = _startBatch(round, n);
        batch = _batches[round].length;
        uint256 kept = 0;
        for (uint256 i = 0; i < n; ++i) {
            SignedBallot calldata b = ballots[i];
            if (!_admit(round, electorate, b.credential, b.commitment, b.r, b.vs)) continue;
            _put(packed, kept++, b.credential, b.commitment);
            emit BallotCommitted(round, batch, b.credential, b.commitment);
        }
        return _endBatch(round, packed, kept);
    }

    function commitSealed(uint256 round, SealedBallot[] calldata ballots) external returns (uint256 batch) {
        if (scrutiny == address(0)) revert RoundUnsealed(round);
        uint256 n = ballots.length;
        (uint8 electorate, bytes memory packed) = _startBatch(round, n);
        batch = _batches[round].length;
        uint256 kept = 0;
        for (uint256 i = 0; i < n; ++i) {
            SealedBallot calldata b = ballots[i];
            bytes32 c = keccak256(abi.encode(b.rx, b.ry, b.masked));
            if (!_admit(round, electorate, b.credential, c, b.r, b.vs)) continue;
            _put(packed, kept++, b.credential, c);
            emit BallotCommitted(round, batch, b.credential, c);
            emit BallotSealed(round, batch, b.credential, b.rx, b.ry, b.masked);
        }
        return _endBatch(round, packed, kept);
    }

    /// @inheritdoc IBallotBox
    function countSealed(uint256 round, uint256 batch, uint32[] calldata add, uint32 invalid, uint32 ballots) external {
        if (msg.sender != scrutiny) revert NotScrutiny(msg.sender);
        Round storage r = _open(round);
        if (batch >= _batches[round].length) revert BatchMismatch(round, batch);
        if (_countedBatch[round][batch]) revert BatchCounted(round, batch);
        _countedBatch[round][batch] = true;
        r.revealed += ballots;
        _invalid[round] += invalid;
        _addVotes(round, r.candidateCount, add);
        emit SealedBatchCounted(round, batch, ballots, invalid, add);
    }

    function reveal(uint256 round, uint256 batch, Sealed[] calldata batchList, Opening[] calldata openings) external {
        if (scrutiny != address(0)) revert RoundSealed(round);
        Round storage r = _open(round);
        if (block.timestamp < r.closesAt && r.committed < r.rollSize) revert PollStillOpen(round, r.closesAt);
        if (block.timestamp >= r.revealDeadline) revert RevealClosed(round, r.revealDeadline);
        if (batch >= _batches[round].length || keccak256(_pack(batchList)) != _batches[round][batch]) {
            revert BatchMismatch(round, batch);
        }
        uint256 candidates = r.candidateCount;
        uint256 maxNames = r.maxNames;
        uint32[] memory add = new uint32[](candidates);
        mapping(address => bytes32) storage cast = _ballot[round];
        for (uint256 i = 0; i < openings.length; ++i) {
            Opening calldata o = openings[i];
            if (o.position >= batchList.length) revert BatchMismatch(round, batch);
            Sealed calldata s = batchList[o.position];
            if (keccak256(abi.encode(address(this), round, s.credential, o.mask, o.salt)) != s.commitment) {
                revert RevealMismatch(round, s.credential);
            }
            if (cast[s.credential] == OPENED) revert AlreadyRevealed(round, s.credential);
            cast[s.credential] = OPENED;
            _checkMask(o.mask, candidates, maxNames);
            uint256 m = o.mask;
            for (uint256 c = 0; m != 0; ++c) {
                if (m & 1 == 1) ++add[c];
                m >>= 1;
            }
            emit BallotRevealed(round, s.credential, o.mask);
        }
        r.revealed += uint32(openings.length);
        _addVotes(round, candidates, add);
    }

    // ------------------------------------------------------------------ views

    function validateBallot(uint256 round, uint256 mask) external view {
        Round storage r = _round(round);
        _checkMask(mask, r.candidateCount, r.maxNames);
    }

    function limits() external view returns (PollLimits memory) {
        return PollLimits(_minRegister, _minCast, _minCount, _maxWindow, _openWithin);
    }

    function openDeadline(uint256 round) external view returns (uint64) {
        return _openDeadline[round];
    }

    function roundCreator(uint256 round) public view returns (address creator) {
        creator = _creator[round];
        if (creator == address(0)) creator = owner;
    }

    function getRound(uint256 round) external view returns (Round memory) {
        return _round(round);
    }

    function roundCount() external view returns (uint256) {
        return _rounds.length;
    }

    function batchCount(uint256 round) external view returns (uint256) {
        return _batches[round].length;
    }

    function batchHash(uint256 round, uint256 batch) external view returns (bytes32) {
        if (batch >= _batches[round].length) revert BatchMismatch(round, batch);
        return _batches[round][batch];
    }

    function invalidBallots(uint256 round) external view returns (uint32) {
        return _invalid[round];
    }

    function votes(uint256 round) external view returns (uint32[] memory) {
        Round storage r = _round(round);
        if (r.status != Status.Final && r.status != Status.Void) {
            revert WrongRoundStatus(round, r.status, Status.Final);
        }
        return _unpack(round, r.candidateCount);
    }

    function ballotStatus(uint256 round, address credential) external view returns (bool cast, bool opened) {
        bytes32 v = _ballot[round][credential];
        return (v != 0, v == OPENED);
    }

    function issuerKey() external view returns (bytes memory) {
        return _modulus;
    }

    function credentialCounts(uint8 electorate)
        external
        view
        returns (uint32 issued, uint32 registered, bool compromised)
    {
        Count storage c = _counts[electorate];
        return (c.issued, c.registered, c.compromised);
    }

    function issuance(uint8 electorate, bytes32 person) external view returns (bytes32 blindedHash, bool answered) {
        Issuance storage s = _issuance[electorate][person];
        return (s.blindedHash, s.answered);
    }

    function credentialElectorate(address credential) external view returns (uint8) {
        return _electoratePlusOne[credential];
    }

    function credentialMessage(uint8 electorate, address credential) public view returns (bytes memory) {
        return abi.encode(block.chainid, address(this), electorate, credential);
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------ internals

    function _round(uint256 round) private view returns (Round storage) {
        if (round >= _rounds.length) revert UnknownRound(round);
        return _rounds[round];
    }

    function _open(uint256 round) private view returns (Round storage r) {
        r = _round(round);
        if (r.status != Status.Open) revert WrongRoundStatus(round, r.status, Status.Open);
    }

    /// @dev Check one relayed ballot and record it; false if the same ballot is on chain already.
    function _admit(uint256 round, uint8 electorate, address cred, bytes32 c, bytes32 sigR, bytes32 sigVs)
        private
        returns (bool)
    {
        bytes32 prior = _ballot[round][cred];
        if (prior != 0) {
            if (prior != c) revert CredentialUsed(round, cred);
            emit EntrySkipped(c); // front-run or resent: the same ballot is on chain already
            return false;
        }
        if (_electoratePlusOne[cred] != electorate + 1) revert UnregisteredCredential(round, cred);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(BALLOT_TYPEHASH, round, cred, c)));
        (address signer, ECDSA.RecoverError err, bytes32 errArg) = ECDSA.tryRecover(digest, sigR, sigVs);
        if (err != ECDSA.RecoverError.NoError || errArg != 0 || signer != cred) {
            revert BallotSignatureInvalid(round, cred, signer);
        }
        _ballot[round][cred] = c;
        return true;
    }

    /// @dev Check the round takes ballots and the batch size; a zeroed packed list for `n` entries.
    function _startBatch(uint256 round, uint256 n) private view returns (uint8 electorate, bytes memory packed) {
        Round storage r = _open(round);
        if (block.timestamp >= r.closesAt) revert PollClosed(round, r.closesAt);
        electorate = r.electorate;
        _checkSound(electorate);
        _checkBatch(n);
        packed = new bytes(n * 52);
    }

    /// @dev Store the hash of the kept entries as the next batch; `type(uint256).max` if none was kept.
    function _endBatch(uint256 round, bytes memory packed, uint256 kept) private returns (uint256) {
        if (kept == 0) return type(uint256).max;
        assembly ("memory-safe") {
            mstore(packed, mul(kept, 52))
        }
        _batches[round].push(keccak256(packed));
        _rounds[round].committed += uint32(kept);
        return _batches[round].length - 1;
    }

    function _put(bytes memory packed, uint256 i, address cred, bytes32 c) private pure {
        assembly ("memory-safe") {
            let p := add(add(packed, 32), mul(i, 52))
            mstore(p, shl(96, cred))
            mstore(add(p, 20), c)
        }
    }

    function _addVotes(uint256 round, uint256 candidates, uint32[] memory add) private {
        uint256[] storage words = _tallies[round];
        for (uint256 w = 0; w < words.length; ++w) {
            uint256 word = words[w];
            uint256 changed = 0;
            for (uint256 j = 0; j < 8; ++j) {
                uint256 c = w * 8 + j;
                if (c >= candidates) break;
                if (add[c] != 0) {
                    word += uint256(add[c]) << (32 * j);
                    changed = 1;
                }
            }
            if (changed == 1) words[w] = word;
        }
    }

    function _validCredential(uint8 electorate, address credential, bytes calldata signature, bytes memory n)
        private
        view
        returns (bool)
    {
        return signature.length == KEY_BYTES && n.length == KEY_BYTES
            && RSA.pkcs1Sha256(credentialMessage(electorate, credential), signature, E, n);
    }

    function _window(uint8 which, uint32 seconds_, uint32 min) private view {
        if (seconds_ < min || seconds_ > _maxWindow) revert PollWindowOutOfBounds(which, seconds_, min, _maxWindow);
    }

    function _checkSound(uint8 electorate) private view {
        if (_counts[electorate].compromised) revert ElectorateCompromised(electorate);
    }

    function _checkBatch(uint256 n) private pure {
        if (n == 0 || n > MAX_BATCH) revert BadBatchSize(n, MAX_BATCH);
    }

    function _checkMask(uint256 mask, uint256 candidates, uint256 maxNames) private pure {
        if (candidates < 256 && mask >> candidates != 0) {
            uint256 top = 255;
            while (mask >> top == 0) --top;
            revert UnknownCandidate(top, candidates);
        }
        uint256 names = 0;
        for (uint256 m = mask; m != 0; m &= m - 1) {
            ++names;
        }
        if (names > maxNames) revert BallotTooLong(names, maxNames);
    }

    function _pack(Sealed[] calldata list) private pure returns (bytes memory packed) {
        packed = new bytes(list.length * 52);
        for (uint256 i = 0; i < list.length; ++i) {
            _put(packed, i, list[i].credential, list[i].commitment);
        }
    }

    function _unpack(uint256 round, uint256 candidates) private view returns (uint32[] memory out) {
        out = new uint32[](candidates);
        uint256[] storage words = _tallies[round];
        for (uint256 c = 0; c < candidates; ++c) {
            out[c] = uint32(words[c / 8] >> (32 * (c % 8)));
        }
    }
}
