// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office, CORE_OFFICES} from "../lib/ZhiliTypes.sol";
import {Jurisdiction} from "../registry/Jurisdiction.sol";
import {PersonRegistry} from "../registry/PersonRegistry.sol";
import {Council} from "./Council.sol";
import {PersonSigned} from "../base/PersonSigned.sol";

/// @title Offline fallback of a council: signed paper minutes and emergency seal uses (R-WD-8)
/// @notice If the platform fails, the meeting votes on paper and every member present signs the
/// written minutes. Later, each present member signs the EIP-712 `Minutes` digest with their current
/// key and anyone submits the minutes with all signatures: the council records the decision as
/// back-filled, decided at the real meeting time. An emergency use of the seal is recorded with the
/// EIP-712 `SealUse` signatures of two different seated members.
/// @dev Deployed by its `Council`, whose `recordBackfill` only this contract may call. A signer is the
/// current holder of the office named in the minutes, signing with their current key; signed minutes
/// and seal uses are recorded once (their digest).
contract CouncilMinutes is PersonSigned {
    bytes32 public constant MINUTES_TYPEHASH = keccak256(
        "Minutes(uint8 kind,uint8 category,bytes32 contentHash,bytes32 basisHash,bytes32 budgetLine,uint16 year,uint96 amount,bytes32 leadOpinion,uint64 meetingTime,uint16 votes,bytes32 minutesHash)"
    );
    bytes32 public constant SEAL_USE_TYPEHASH = keccak256("SealUse(bytes32 purposeHash,uint64 usedAt)");

    Council public immutable council;
    Jurisdiction public immutable jurisdiction;
    uint32 public sealUseCount;
    mapping(bytes32 digest => bool) private _used;

    /// @notice Paper minutes were back-filled as council motion `id` (R-WD-8): `digest` is what each
    /// present member signed; `signers` the person ids by office (zero = absent).
    event MinutesRecorded(
        uint256 indexed id,
        bytes32 digest,
        bytes32 minutesHash,
        bytes32 leadOpinion,
        uint64 meetingTime,
        bytes32[CORE_OFFICES] signers
    );
    /// @notice An emergency seal use was recorded with two members' signatures (R-WD-8).
    event SealUseRecorded(
        uint32 indexed index,
        bytes32 purposeHash,
        uint64 usedAt,
        bytes32 firstSigner,
        bytes32 secondSigner,
        bytes32 digest
    );

    /// @notice The meeting (or seal use) time is in the future.
    /// @custom:rule R-WD-8
    error MeetingInFuture(uint64 time, uint256 now_);
    /// @notice A member minuted as present did not sign.
    /// @custom:rule R-WD-8
    error MissingSignature(Office office);
    /// @notice These signed minutes (or this seal use) are already recorded.
    /// @custom:rule R-WD-8
    error AlreadyRecorded(bytes32 digest);
    /// @notice An emergency seal use needs two different members.
    /// @custom:rule R-WD-8
    error SameSigner(Office office);

    /// @param council_ the council that deploys this contract
    /// @param jurisdiction_ its jurisdiction (office holders)
    /// @param persons_ the person registry (members' current keys)
    constructor(Council council_, Jurisdiction jurisdiction_, PersonRegistry persons_)
        PersonSigned("zhili Council", "1", persons_)
    {
        council = council_;
        jurisdiction = jurisdiction_;
    }

    /// @notice Back-fill a paper decision with the EIP-712 signatures of every member minuted as
    /// present (position non-zero in `votes`); the council records it flagged back-filled, decided at
    /// `meetingTime`, with the threshold and the budget boundary applied as online (R-WD-8).
    /// @param mins the minutes (General, Budget or Spending motion)
    /// @param signatures one per core office in Office order; empty for absent members
    /// @return id the council motion id
    function backfill(Council.Minutes calldata mins, bytes[CORE_OFFICES] calldata signatures)
        external
        returns (uint256 id)
    {
        if (mins.meetingTime > block.timestamp) revert MeetingInFuture(mins.meetingTime, block.timestamp);
        if (mins.leadOpinion == bytes32(0) || mins.votes == 0) revert Council.IncompleteMinutes();
        bytes32 digest = minutesDigest(mins);
        if (_used[digest]) revert AlreadyRecorded(digest);
        _used[digest] = true;
        bytes32[CORE_OFFICES] memory signers = [bytes32(0), 0, 0, 0, 0];
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if ((mins.votes >> (2 * o)) & 3 == 0) continue;
            signers[o] = _checkSignature(Office(o), digest, signatures[o]);
        }
        id = council.recordBackfill(mins);
        emit MinutesRecorded(id, digest, mins.minutesHash, mins.leadOpinion, mins.meetingTime, signers);
    }

    /// @notice Record an emergency use of the seal, signed (EIP-712 `SealUse`) by two different
    /// seated members with their current keys (R-WD-8).
    /// @param purposeHash hash of the written purpose
    /// @param usedAt when the seal was used
    /// @param offices the two signers' seats
    /// @param signatures their signatures, in the same order
    /// @return index the seal use's index
    function recordSealUse(bytes32 purposeHash, uint64 usedAt, Office[2] calldata offices, bytes[2] calldata signatures)
        external
        returns (uint32 index)
    {
        if (usedAt > block.timestamp) revert MeetingInFuture(usedAt, block.timestamp);
        if (offices[0] == offices[1]) revert SameSigner(offices[0]);
        bytes32 digest = sealUseDigest(purposeHash, usedAt);
        if (_used[digest]) revert AlreadyRecorded(digest);
        _used[digest] = true;
        bytes32 a = _checkSignature(offices[0], digest, signatures[0]);
        bytes32 b = _checkSignature(offices[1], digest, signatures[1]);
        index = sealUseCount++;
        emit SealUseRecorded(index, purposeHash, usedAt, a, b, digest);
    }

    /// @notice The EIP-712 digest each present member signs for `mins`.
    /// @param mins the minutes
    function minutesDigest(Council.Minutes calldata mins) public view returns (bytes32) {
        bytes32 basisHash = keccak256(abi.encode(mins.basisRefs, mins.planId));
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    MINUTES_TYPEHASH,
                    mins.kind,
                    mins.category,
                    mins.contentHash,
                    basisHash,
                    mins.budgetLine,
                    mins.year,
                    mins.amount,
                    mins.leadOpinion,
                    mins.meetingTime,
                    mins.votes,
                    mins.minutesHash
                )
            )
        );
    }

    /// @notice The EIP-712 digest the two members sign for a seal use.
    /// @param purposeHash hash of the written purpose
    /// @param usedAt when the seal was used
    function sealUseDigest(bytes32 purposeHash, uint64 usedAt) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SEAL_USE_TYPEHASH, purposeHash, usedAt)));
    }

    /// @notice Whether signed minutes or a seal use with this digest is recorded.
    /// @param digest the EIP-712 digest
    function recorded(bytes32 digest) external view returns (bool) {
        return _used[digest];
    }

    function _checkSignature(Office office, bytes32 digest, bytes calldata signature)
        private
        view
        returns (bytes32 pid)
    {
        if (uint8(office) >= CORE_OFFICES) revert Council.NotCoreOffice(office);
        pid = jurisdiction.holder(office);
        if (pid == bytes32(0)) revert Council.SeatVacant(office);
        if (signature.length == 0) revert MissingSignature(office);
        _checkPersonSigned(pid, digest, signature);
    }
}
