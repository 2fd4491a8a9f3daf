// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IJurisdiction} from "../interfaces/IJurisdiction.sol";

/// @title A contract that serves one jurisdiction
/// @notice Holds the jurisdiction and the one role check every zhili contract makes against the
/// jurisdiction's roles, with one error for a missing role.
/// @dev No storage: inheriting it changes no storage layout.
abstract contract JurisdictionBound {
    /// @notice The jurisdiction whose roles (and offices) this contract serves.
    IJurisdiction public immutable jurisdiction;

    /// @notice The caller lacks the jurisdiction role this step needs.
    /// @custom:rule none
    error JurisdictionRoleRequired(address caller, bytes32 role);

    /// @param jurisdiction_ the jurisdiction
    constructor(IJurisdiction jurisdiction_) {
        jurisdiction = jurisdiction_;
    }

    modifier onlyRole(bytes32 role) {
        _checkRole(role);
        _;
    }

    /// @dev Reverts with `JurisdictionRoleRequired` unless the caller holds `role` on the jurisdiction.
    function _checkRole(bytes32 role) internal view {
        if (!_hasRole(role)) revert JurisdictionRoleRequired(msg.sender, role);
    }

    /// @dev Whether the caller holds `role` on the jurisdiction.
    function _hasRole(bytes32 role) internal view returns (bool) {
        return jurisdiction.hasRole(role, msg.sender);
    }
}
