// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Benchmark anchor: the call a Governor proposal or a Safe transaction executes
/// @notice Bench only (not part of zhili). Emits an event and stores nothing, so the anchors'
/// figures are the governance machinery's own cost.
contract BenchTarget {
    /// @notice `caller` asked for `value`
    event Pinged(address indexed caller, uint256 value);

    /// @notice Record a call (an event only)
    /// @param value any number
    function ping(uint256 value) external {
        emit Pinged(msg.sender, value);
    }
}
