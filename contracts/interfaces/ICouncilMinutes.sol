// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office, CORE_OFFICES} from "../lib/ZhiliTypes.sol";
import {IJurisdiction} from "./IJurisdiction.sol";
import {ICouncil} from "./ICouncil.sol";

/// @title The surface of `CouncilMinutes`: its events, errors, types and external functions
interface ICouncilMinutes {
    /// @notice A recorded platform outage (R-WD-8): paper meetings inside it may be back-filled.
    struct Outage {
        uint64 startedAt;
        uint64 endedAt;
    }

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

    /// @notice A platform outage was recorded with two members' signatures (R-WD-8); paper minutes of
    /// meetings between `startedAt` and `endedAt` may be back-filled under `index`.
    event OutageRecorded(
        uint32 indexed index,
        bytes32 reasonHash,
        uint64 startedAt,
        uint64 endedAt,
        bytes32 firstSigner,
        bytes32 secondSigner,
        bytes32 digest
    );

    /// @notice No outage with this index is recorded (`count` are): paper minutes need a recorded outage.
    /// @custom:rule R-WD-8
    error UnknownOutage(uint32 index, uint32 count);
    /// @notice The meeting time lies outside the recorded outage.
    /// @custom:rule R-WD-8
    error MeetingOutsideOutage(uint32 index, uint64 meetingTime, uint64 startedAt, uint64 endedAt);
    /// @notice An outage must start before it ends, and end no later than now.
    /// @custom:rule R-WD-8
    error BadOutage(uint64 startedAt, uint64 endedAt, uint256 now_);
    /// @notice The signer of `office` was seated only at `seatedAt`, after `time` (meeting, outage start or seal use).
    /// @custom:rule R-WD-8
    error NotSeatedAt(Office office, uint40 seatedAt, uint64 time);
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

    /// @notice EIP-712 typehash of signed paper minutes.
    function MINUTES_TYPEHASH() external view returns (bytes32);
    /// @notice EIP-712 typehash of a platform outage: `Outage(bytes32 reasonHash,uint64 startedAt,uint64 endedAt)`.
    function OUTAGE_TYPEHASH() external view returns (bytes32);
    /// @notice Number of platform outages recorded.
    function outageCount() external view returns (uint32);
    /// @notice The recorded outage `index`.
    /// @param index the outage's index
    function outage(uint32 index) external view returns (Outage memory);
    /// @notice EIP-712 typehash of an emergency seal use: `SealUse(bytes32 purposeHash,uint64 usedAt)`.
    function SEAL_USE_TYPEHASH() external view returns (bytes32);
    /// @notice The council this minute book back-fills decisions into.
    function council() external view returns (ICouncil);
    /// @notice The council's jurisdiction (whose office holders sign).
    function jurisdiction() external view returns (IJurisdiction);
    /// @notice Number of emergency seal uses recorded.
    function sealUseCount() external view returns (uint32);
    /// @notice Back-fill a paper decision of a meeting held during the recorded outage `outageIndex`,
    /// with the EIP-712 signatures of every member minuted as present (position non-zero in `votes`),
    /// each seated no later than the meeting; the council records it flagged back-filled, decided at
    /// `meetingTime`, with its quorum, lead, ring, threshold and budget checks (R-WD-8).
    /// @param mins the minutes (General, Budget or Spending motion)
    /// @param outageIndex the recorded outage the meeting was held in
    /// @param signatures one per core office in Office order; empty for absent members
    /// @return id the council motion id
    function backfill(ICouncil.Minutes calldata mins, uint32 outageIndex, bytes[CORE_OFFICES] calldata signatures)
        external
        returns (uint256 id);
    /// @notice Record that the platform failed from `startedAt` to `endedAt`, signed (EIP-712 `Outage`) by
    /// two different seated members with their current keys, each seated before the outage began (R-WD-8).
    /// @param reasonHash hash of the written outage report
    /// @param startedAt when the platform failed
    /// @param endedAt when it was back (no later than now)
    /// @param offices the two signers' seats
    /// @param signatures their signatures, in the same order
    /// @return index the outage's index
    function recordOutage(
        bytes32 reasonHash,
        uint64 startedAt,
        uint64 endedAt,
        Office[2] calldata offices,
        bytes[2] calldata signatures
    ) external returns (uint32 index);
    /// @notice Record an emergency use of the seal, signed (EIP-712 `SealUse`) by two different
    /// seated members with their current keys, each seated no later than the use (R-WD-8).
    /// @param purposeHash hash of the written purpose
    /// @param usedAt when the seal was used
    /// @param offices the two signers' seats
    /// @param signatures their signatures, in the same order
    /// @return index the seal use's index
    function recordSealUse(bytes32 purposeHash, uint64 usedAt, Office[2] calldata offices, bytes[2] calldata signatures)
        external
        returns (uint32 index);
    /// @notice The EIP-712 digest each present member signs for `mins`.
    /// @param mins the minutes
    function minutesDigest(ICouncil.Minutes calldata mins) external view returns (bytes32);
    /// @notice The EIP-712 digest the two members sign for a seal use.
    /// @param purposeHash hash of the written purpose
    /// @param usedAt when the seal was used
    function sealUseDigest(bytes32 purposeHash, uint64 usedAt) external view returns (bytes32);
    /// @notice The EIP-712 digest the two members sign for an outage.
    /// @param reasonHash hash of the written outage report
    /// @param startedAt when the platform failed
    /// @param endedAt when it was back
    function outageDigest(bytes32 reasonHash, uint64 startedAt, uint64 endedAt) external view returns (bytes32);
    /// @notice Whether signed minutes, a seal use or an outage with this digest is recorded.
    /// @param digest the EIP-712 digest
    function recorded(bytes32 digest) external view returns (bool);
}
