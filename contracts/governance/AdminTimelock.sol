// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title The admin of a jurisdiction and of its province's contracts after deployment (issue 17)
/// @notice OpenZeppelin's `TimelockController`, unchanged, with no admin of its own: the deployment plan
/// hands it `DEFAULT_ADMIN_ROLE` of `Jurisdiction`, `PersonRegistry`, `MeritBook` and `WorkCalendar`, and
/// the deploying key renounces its own. Every admin action after deployment (a role grant or revocation,
/// a contract replaced by granting its writer roles to a new one) is then scheduled in public by one body
/// (`PROPOSER_ROLE`, which also may cancel), visible on chain as `CallScheduled` for at least `minDelay`
/// seconds (the profile's `deadlines.admin_delay_days`), and carried out only by another body
/// (`EXECUTOR_ROLE`). Changing the delay or the bodies goes through the same two steps: the timelock
/// administers itself (the OpenZeppelin admin argument is always the zero address here).
/// @dev No code of its own: this contract exists so that the build writes an artifact for it.
contract AdminTimelock is TimelockController {
    /// @param minDelay the shortest delay between scheduling and execution, in seconds
    /// @param proposers the body that proposes (and may cancel) admin actions
    /// @param executors the other body, which executes them once the delay has passed
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors)
        TimelockController(minDelay, proposers, executors, address(0))
    {}
}
