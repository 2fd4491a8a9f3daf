// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @title Benchmark anchor: OpenZeppelin Governor as the OpenZeppelin Wizard writes it
/// @notice Bench only (not part of zhili). Governor + GovernorSettings + GovernorCountingSimple +
/// GovernorVotes + GovernorVotesQuorumFraction(4%), voting delay 1 block, voting period 50,400 blocks.
contract BenchGovernor is Governor, GovernorSettings, GovernorCountingSimple, GovernorVotes, GovernorVotesQuorumFraction {
    /// @param token the ERC20Votes token whose delegated balances are the votes
    constructor(IVotes token)
        Governor("BenchGovernor")
        GovernorSettings(1, 50_400, 0)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(4)
    {}

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }
}
