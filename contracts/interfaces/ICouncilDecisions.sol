// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title What the evidence ledger reads from the council about a decided motion (R-DOC-2, R-WD-6)
/// @notice Implemented by `Council`; read by `EvidenceLedger` so that a document's weighted result and
/// first responsible person come from the chain, never retyped.
interface ICouncilDecisions {
    /// @notice A decided motion. `category` is a `Category` (ZhiliTypes), `firstResponsible` the
    /// person id recorded for life when it passed (zero if it failed).
    struct Decision {
        uint8 category;
        bool passed;
        bool backfilled;
        uint16 yesWeight;
        uint16 threshold;
        uint64 decidedAt;
        bytes32 firstResponsible;
        bytes32 budgetLine;
        uint256 amount;
        bytes32 basisHash;
    }

    /// @notice The decision on `motionId`; reverts with a custom error if the motion does not exist or
    /// is not decided.
    function decision(uint256 motionId) external view returns (Decision memory);

    /// @notice Per core office (Office order): member person id, weight, and position
    /// (0 none or unrevealed, 1 yes, 2 no, 3 abstain).
    function positions(uint256 motionId)
        external
        view
        returns (bytes32[5] memory members, uint16[5] memory weights, uint8[5] memory votes);
}
