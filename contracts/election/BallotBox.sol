// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IBallotBox} from "../interfaces/IBallotBox.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Secret ballot rounds with one-time credentials and commit-reveal (R-EL-7, R-EL-5)
/// @notice Each round is a poll over a list of candidates. The election authority issues one
/// one-time credential per registered voter, like paper ballots, and commits to the set as a
/// Merkle root of `(index, credential address)` leaves. A voter signs an EIP-712 `Ballot` with the
/// credential key over a commitment `keccak256(abi.encode(box, round, index, mask, salt))`, where
/// `mask` has bit `i` set for each named candidate `i` of the round. Anyone may relay signed ballots,
/// in batches, so the sender address says nothing about the voter. After the poll closes the
/// openings are revealed (by anyone holding them) and counted; the tally is final after the reveal
/// deadline. Every commitment and every opening is an event, so anyone can re-tally from logs and
/// every voter can find their ballot by credential index.
/// @dev Rounds are created by the owner (the `Election` that deployed this box) and opened by an
/// account holding `ELECTION_AUTHORITY` in the jurisdiction. A committed batch is stored as one
/// hash over its `(index, commitment)` list, which the reveal re-supplies (from the events).
contract BallotBox is JurisdictionBound, EIP712, IBallotBox {
    /// @inheritdoc IBallotBox
    bytes32 public constant BALLOT_TYPEHASH = keccak256("Ballot(uint256 round,uint32 index,bytes32 commitment)");
    /// @inheritdoc IBallotBox
    uint256 public constant MAX_BATCH = 512;

    /// @inheritdoc IBallotBox
    address public immutable owner;

    Round[] private _rounds;
    mapping(uint256 round => uint256[]) private _tallies; // 8 x uint32 per word
    mapping(uint256 round => bytes32[]) private _batches;
    mapping(uint256 key => uint256) private _used; // (round << 32 | index >> 8) => bitmap
    mapping(uint256 key => uint256) private _opened;

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @param owner_ the election that creates rounds
    /// @param jurisdiction_ the jurisdiction whose ELECTION_AUTHORITY opens rounds
    constructor(address owner_, IJurisdiction jurisdiction_)
        JurisdictionBound(jurisdiction_)
        EIP712("zhili BallotBox", "1")
    {
        owner = owner_;
    }

    // ------------------------------------------------------------------ owner

    /// @inheritdoc IBallotBox
    function createRound(uint8 candidateCount, uint8 maxNames, uint32 rollSize)
        external
        onlyOwner
        returns (uint256 round)
    {
        round = _rounds.length;
        _rounds.push();
        Round storage r = _rounds[round];
        r.status = Status.Created;
        r.candidateCount = candidateCount;
        r.maxNames = maxNames;
        r.rollSize = rollSize;
        _tallies[round] = new uint256[]((uint256(candidateCount) + 7) / 8);
        emit RoundCreated(round, candidateCount, maxNames, rollSize);
    }

    /// @inheritdoc IBallotBox
    function finalize(uint256 round) external onlyOwner returns (uint32[] memory tally, bool quorum) {
        Round storage r = _open(round);
        bool allOpened = r.revealed == r.committed && (r.committed == r.rollSize || block.timestamp >= r.closesAt);
        if (block.timestamp < r.revealDeadline && !allOpened) revert RevealStillOpen(round, r.revealDeadline);
        tally = _unpack(round, r.candidateCount);
        quorum = uint256(r.committed) * 2 > r.rollSize;
        r.status = quorum ? Status.Final : Status.Void;
        emit RoundTallied(round, tally, r.committed, r.revealed, quorum);
    }

    // ------------------------------------------------------------------ election authority

    /// @inheritdoc IBallotBox
    function openRound(uint256 round, bytes32 root, uint32 credentials, uint64 closesAt, uint64 revealDeadline)
        external
    {
        _checkRole(Roles.ELECTION_AUTHORITY);
        Round storage r = _round(round);
        if (r.status != Status.Created) revert WrongRoundStatus(round, r.status, Status.Created);
        if (credentials != r.rollSize) revert CredentialCountMismatch(credentials, r.rollSize);
        if (closesAt <= block.timestamp || revealDeadline <= closesAt) {
            revert BadPollTimes(closesAt, revealDeadline, block.timestamp);
        }
        r.credentialRoot = root;
        r.closesAt = closesAt;
        r.revealDeadline = revealDeadline;
        r.status = Status.Open;
        emit RoundOpened(round, root, credentials, closesAt, revealDeadline);
    }

    // ------------------------------------------------------------------ anyone (relayers, voters)

    /// @inheritdoc IBallotBox
    function commit(uint256 round, SignedBallot[] calldata ballots) external returns (uint256 batch) {
        Round storage r = _open(round);
        if (block.timestamp >= r.closesAt) revert PollClosed(round, r.closesAt);
        uint256 n = ballots.length;
        if (n == 0 || n > MAX_BATCH) revert BadBatchSize(n, MAX_BATCH);
        batch = _batches[round].length;
        bytes memory packed = new bytes(n * 36);
        for (uint256 i = 0; i < n; ++i) {
            SignedBallot calldata b = ballots[i];
            _admit(round, r, b);
            uint32 index = b.index;
            bytes32 c = b.commitment;
            assembly ("memory-safe") {
                let p := add(add(packed, 32), mul(i, 36))
                mstore(p, shl(224, index))
                mstore(add(p, 4), c)
            }
            emit BallotCommitted(round, batch, index, c);
        }
        _batches[round].push(keccak256(packed));
        r.committed += uint32(n);
    }

    /// @inheritdoc IBallotBox
    function reveal(uint256 round, uint256 batch, Sealed[] calldata batchList, Opening[] calldata openings) external {
        Round storage r = _open(round);
        if (block.timestamp < r.closesAt && r.committed < r.rollSize) revert PollStillOpen(round, r.closesAt);
        if (block.timestamp >= r.revealDeadline) revert RevealClosed(round, r.revealDeadline);
        if (batch >= _batches[round].length || keccak256(_pack(batchList)) != _batches[round][batch]) {
            revert BatchMismatch(round, batch);
        }
        uint256 candidates = r.candidateCount;
        uint256 maxNames = r.maxNames;
        uint32[] memory add = new uint32[](candidates);
        for (uint256 i = 0; i < openings.length; ++i) {
            Opening calldata o = openings[i];
            if (o.position >= batchList.length) revert BatchMismatch(round, batch);
            Sealed calldata s = batchList[o.position];
            if (keccak256(abi.encode(address(this), round, s.index, o.mask, o.salt)) != s.commitment) {
                revert RevealMismatch(round, s.index);
            }
            if (!_setBit(_opened, round, s.index)) revert AlreadyRevealed(round, s.index);
            _checkMask(o.mask, candidates, maxNames);
            uint256 m = o.mask;
            for (uint256 c = 0; m != 0; ++c) {
                if (m & 1 == 1) ++add[c];
                m >>= 1;
            }
            emit BallotRevealed(round, s.index, o.mask);
        }
        r.revealed += uint32(openings.length);
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

    // ------------------------------------------------------------------ views

    /// @inheritdoc IBallotBox
    function validateBallot(uint256 round, uint256 mask) external view {
        Round storage r = _round(round);
        _checkMask(mask, r.candidateCount, r.maxNames);
    }

    /// @inheritdoc IBallotBox
    function getRound(uint256 round) external view returns (Round memory) {
        return _round(round);
    }

    /// @inheritdoc IBallotBox
    function roundCount() external view returns (uint256) {
        return _rounds.length;
    }

    /// @inheritdoc IBallotBox
    function batchCount(uint256 round) external view returns (uint256) {
        return _batches[round].length;
    }

    /// @inheritdoc IBallotBox
    function votes(uint256 round) external view returns (uint32[] memory) {
        Round storage r = _round(round);
        if (r.status != Status.Final && r.status != Status.Void) {
            revert WrongRoundStatus(round, r.status, Status.Final);
        }
        return _unpack(round, r.candidateCount);
    }

    /// @inheritdoc IBallotBox
    function ballotStatus(uint256 round, uint32 index) external view returns (bool cast, bool opened) {
        uint256 key = (round << 32) | (index >> 8);
        uint256 bit = 1 << (index & 0xff);
        return (_used[key] & bit != 0, _opened[key] & bit != 0);
    }

    /// @inheritdoc IBallotBox
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

    /// @dev Check one relayed ballot's credential and spend it.
    function _admit(uint256 round, Round storage r, SignedBallot calldata b) private {
        if (b.index >= r.rollSize) revert UnknownCredential(round, b.index);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(BALLOT_TYPEHASH, round, b.index, b.commitment)));
        address signer = ECDSA.recover(digest, b.r, b.vs);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(b.index, signer))));
        if (!MerkleProof.verifyCalldata(b.proof, r.credentialRoot, leaf)) {
            revert InvalidCredential(round, b.index, signer);
        }
        if (!_setBit(_used, round, b.index)) revert CredentialUsed(round, b.index);
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

    function _setBit(mapping(uint256 => uint256) storage map, uint256 round, uint32 index)
        private
        returns (bool fresh)
    {
        uint256 key = (round << 32) | (index >> 8);
        uint256 bit = 1 << (index & 0xff);
        uint256 word = map[key];
        if (word & bit != 0) return false;
        map[key] = word | bit;
        return true;
    }

    function _pack(Sealed[] calldata list) private pure returns (bytes memory packed) {
        packed = new bytes(list.length * 36);
        for (uint256 i = 0; i < list.length; ++i) {
            uint32 index = list[i].index;
            bytes32 c = list[i].commitment;
            assembly ("memory-safe") {
                let p := add(add(packed, 32), mul(i, 36))
                mstore(p, shl(224, index))
                mstore(add(p, 4), c)
            }
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
