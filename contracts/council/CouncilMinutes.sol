// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {ICouncil} from "../interfaces/ICouncil.sol";
import {ICouncilMinutes} from "../interfaces/ICouncilMinutes.sol";
import {Office, CORE_OFFICES} from "../lib/ZhiliTypes.sol";
import {PersonSigned} from "../base/PersonSigned.sol";

/// @title Offline fallback of a council: signed paper minutes and emergency seal uses (R-WD-8)
/// @notice If the platform fails, two seated members record the outage (EIP-712 `Outage`, two
/// signatures, like the emergency seal); the meeting votes on paper and every member present signs the
/// written minutes. Later, each present member signs the EIP-712 `Minutes` digest with their current
/// key and anyone submits the minutes with all signatures and the outage they fall in: the council
/// records the decision as back-filled, decided at the real meeting time. An emergency use of the seal
/// is recorded with the EIP-712 `SealUse` signatures of two different seated members.
/// @dev Deployed by its `Council`, whose `recordBackfill` only this contract may call. A signer is the
/// current holder of the office named in the minutes, seated no later than the time signed for, signing
/// with their current key; signed minutes, outages and seal uses are recorded once (their digest).
contract CouncilMinutes is PersonSigned, ICouncilMinutes {
    bytes32 public constant MINUTES_TYPEHASH = keccak256(
        "Minutes(uint8 kind,uint8 category,bytes32 contentHash,bytes32 basisHash,bytes32 budgetLine,uint16 year,uint96 amount,bytes32 leadOpinion,uint64 meetingTime,uint16 votes,bytes32 minutesHash)"
    );
    bytes32 public constant SEAL_USE_TYPEHASH = keccak256("SealUse(bytes32 purposeHash,uint64 usedAt)");
    bytes32 public constant OUTAGE_TYPEHASH = keccak256("Outage(bytes32 reasonHash,uint64 startedAt,uint64 endedAt)");

    ICouncil public immutable council;
    IJurisdiction public immutable jurisdiction;
    uint32 public sealUseCount;
    mapping(bytes32 digest => bool) private _used;
    Outage[] private _outages;

    /// @param council_ the council that deploys this contract
    /// @param jurisdiction_ its jurisdiction (office holders)
    /// @param persons_ the person registry (members' current keys)
    constructor(ICouncil council_, IJurisdiction jurisdiction_, IPersonRegistry persons_)
        PersonSigned("zhili Council", "1", persons_)
    {
        council = council_;
        jurisdiction = jurisdiction_;
    }

    function backfill(ICouncil.Minutes calldata mins, uint32 outageIndex, bytes[CORE_OFFICES] calldata signatures)
        external
        returns (uint256 id)
    {
        uint256 count = _outages.length;
        if (outageIndex >= count) revert UnknownOutage(outageIndex, uint32(count));
        Outage memory out = _outages[outageIndex];
        // the outage ended no later than it was recorded, so the meeting is not in the future either
        if (mins.meetingTime < out.startedAt || mins.meetingTime > out.endedAt) {
            revert MeetingOutsideOutage(outageIndex, mins.meetingTime, out.startedAt, out.endedAt);
        }
        if (mins.leadOpinion == bytes32(0) || mins.votes == 0) revert ICouncil.IncompleteMinutes();
        bytes32 digest = minutesDigest(mins);
        if (_used[digest]) revert AlreadyRecorded(digest);
        _used[digest] = true;
        bytes32[CORE_OFFICES] memory signers = [bytes32(0), 0, 0, 0, 0];
        for (uint256 o = 0; o < CORE_OFFICES; ++o) {
            if ((mins.votes >> (2 * o)) & 3 == 0) continue;
            signers[o] = _checkSignature(Office(o), digest, signatures[o], mins.meetingTime);
        }
        id = council.recordBackfill(mins);
        emit MinutesRecorded(id, digest, mins.minutesHash, mins.leadOpinion, mins.meetingTime, signers);
    }

    function recordSealUse(bytes32 purposeHash, uint64 usedAt, Office[2] calldata offices, bytes[2] calldata signatures)
        external
        returns (uint32 index)
    {
        if (usedAt > block.timestamp) revert MeetingInFuture(usedAt, block.timestamp);
        if (offices[0] == offices[1]) revert SameSigner(offices[0]);
        bytes32 digest = sealUseDigest(purposeHash, usedAt);
        if (_used[digest]) revert AlreadyRecorded(digest);
        _used[digest] = true;
        bytes32 a = _checkSignature(offices[0], digest, signatures[0], usedAt);
        bytes32 b = _checkSignature(offices[1], digest, signatures[1], usedAt);
        index = sealUseCount++;
        emit SealUseRecorded(index, purposeHash, usedAt, a, b, digest);
    }

    function recordOutage(
        bytes32 reasonHash,
        uint64 startedAt,
        uint64 endedAt,
        Office[2] calldata offices,
        bytes[2] calldata signatures
    ) external returns (uint32 index) {
        if (startedAt >= endedAt || endedAt > block.timestamp) {
            revert BadOutage(startedAt, endedAt, block.timestamp);
        }
        if (offices[0] == offices[1]) revert SameSigner(offices[0]);
        bytes32 digest = outageDigest(reasonHash, startedAt, endedAt);
        if (_used[digest]) revert AlreadyRecorded(digest);
        _used[digest] = true;
        bytes32 a = _checkSignature(offices[0], digest, signatures[0], startedAt);
        bytes32 b = _checkSignature(offices[1], digest, signatures[1], startedAt);
        index = uint32(_outages.length);
        _outages.push(Outage(startedAt, endedAt));
        emit OutageRecorded(index, reasonHash, startedAt, endedAt, a, b, digest);
    }

    function outageCount() external view returns (uint32) {
        return uint32(_outages.length);
    }

    function outage(uint32 index) external view returns (Outage memory) {
        if (index >= _outages.length) revert UnknownOutage(index, uint32(_outages.length));
        return _outages[index];
    }

    function outageDigest(bytes32 reasonHash, uint64 startedAt, uint64 endedAt) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(OUTAGE_TYPEHASH, reasonHash, startedAt, endedAt)));
    }

    function minutesDigest(ICouncil.Minutes calldata mins) public view returns (bytes32) {
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

    function sealUseDigest(bytes32 purposeHash, uint64 usedAt) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SEAL_USE_TYPEHASH, purposeHash, usedAt)));
    }

    function recorded(bytes32 digest) external view returns (bool) {
        return _used[digest];
    }

    /// @dev `signature` over `digest` by the current key of the current holder of `office`, who was
    /// seated no later than `time` (R-WD-8: nobody signs for a meeting, outage or seal use before their seating).
    function _checkSignature(Office office, bytes32 digest, bytes calldata signature, uint64 time)
        private
        view
        returns (bytes32 pid)
    {
        if (uint8(office) >= CORE_OFFICES) revert ICouncil.NotCoreOffice(office);
        pid = jurisdiction.holder(office);
        if (pid == bytes32(0)) revert ICouncil.SeatVacant(office);
        uint40 seatedAt = jurisdiction.seatedAt(office);
        if (seatedAt > time) revert NotSeatedAt(office, seatedAt, time);
        if (signature.length == 0) revert MissingSignature(office);
        _checkPersonSigned(pid, digest, signature);
    }
}
