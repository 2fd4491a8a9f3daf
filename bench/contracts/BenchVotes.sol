// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title Benchmark anchor: the ERC20Votes token of BenchGovernor
/// @notice Bench only (not part of zhili). The deployer's supply is handed out in the constructor.
contract BenchVotes is ERC20, ERC20Votes {
    /// @param holders who receive `amount` tokens each
    /// @param amount tokens per holder
    constructor(address[] memory holders, uint256 amount) ERC20("Bench Votes", "BVT") EIP712("Bench Votes", "1") {
        for (uint256 i = 0; i < holders.length; ++i) {
            _mint(holders[i], amount);
        }
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    /// @inheritdoc Nonces
    function nonces(address owner) public view override(Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
