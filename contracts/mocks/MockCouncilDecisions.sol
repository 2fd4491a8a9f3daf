// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ICouncilDecisions} from "../interfaces/ICouncilDecisions.sol";

/// @title TEST ONLY: a stand-in for `Council` that returns whatever decisions it is given
/// @notice Used by the evidence ledger's Python tests and benchmark until the real `Council` lands
/// on main. Anyone can write any decision: never deploy it for a real jurisdiction.
contract MockCouncilDecisions is ICouncilDecisions {
    mapping(uint256 motionId => Decision) private _decisions;
    mapping(uint256 motionId => bool) private _known;
    mapping(uint256 motionId => bytes32[5]) private _members;
    mapping(uint256 motionId => uint16[5]) private _weights;
    mapping(uint256 motionId => uint8[5]) private _votes;

    /// @notice The motion does not exist or is not decided (mirrors the real council's refusal).
    /// @custom:rule R-WD-2
    error MotionNotDecided(uint256 motionId);

    /// @notice Test only: set the decision on `motionId` and the members' positions.
    /// @param motionId the motion
    /// @param d the decision
    /// @param members person id per core office
    /// @param weights weight per core office
    /// @param votes position per core office (0 none, 1 yes, 2 no, 3 abstain)
    function setDecision(
        uint256 motionId,
        Decision calldata d,
        bytes32[5] calldata members,
        uint16[5] calldata weights,
        uint8[5] calldata votes
    ) external {
        _decisions[motionId] = d;
        _known[motionId] = true;
        _members[motionId] = members;
        _weights[motionId] = weights;
        _votes[motionId] = votes;
    }

    function decision(uint256 motionId) external view returns (Decision memory) {
        if (!_known[motionId]) revert MotionNotDecided(motionId);
        return _decisions[motionId];
    }

    function positions(uint256 motionId)
        external
        view
        returns (bytes32[5] memory members, uint16[5] memory weights, uint8[5] memory votes)
    {
        if (!_known[motionId]) revert MotionNotDecided(motionId);
        return (_members[motionId], _weights[motionId], _votes[motionId]);
    }
}
