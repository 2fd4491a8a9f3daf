// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office, Category, CORE_OFFICES, CATEGORIES} from "./ZhiliTypes.sol";
import {ICouncil} from "../interfaces/ICouncil.sol";

/// @title Weighted-vote arithmetic of the council (R-WD-1, R-WD-2, R-WD-4, R-WD-6)
/// @notice The weight matrix `Council` snapshots (8 bits per office, a 40-bit row per category,
/// R-WD-1) and the sums it makes over a row: the weighted tally of a motion's positions (2 bits per
/// office: 0 none, 1 yes, 2 no, 3 abstain; R-WD-2) and the lead office (R-WD-4, R-WD-6).
/// @dev Internal functions, inlined into the council: a linked library would cost every vote a
/// DELEGATECALL and every deployment a linking step (docs/architecture.md, "Contracts").
library WeightedVote {
    uint8 internal constant YES = 1;
    uint8 internal constant NO = 2;
    uint8 internal constant ABSTAIN = 3;

    /// @dev Pack `w[category][office]` into one word, 8 bits per weight, 40 bits per category.
    function pack(uint16[CORE_OFFICES][CATEGORIES] memory w) internal pure returns (uint256 matrix) {
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                if (w[c][o] > type(uint8).max) revert ICouncil.WeightTooLarge(Category(c), Office(o), w[c][o]);
                matrix |= uint256(w[c][o]) << (40 * c + 8 * o);
            }
        }
    }

    /// @dev The weight row of `category` in a packed matrix.
    function row(uint256 matrix, Category category) internal pure returns (uint40) {
        return uint40(matrix >> (40 * uint256(uint8(category))));
    }

    /// @dev The weight of `office` in a packed row.
    function weightOf(uint40 packed, uint8 office) internal pure returns (uint16) {
        return uint16((packed >> (8 * office)) & 0xff);
    }

    /// @dev Yes, no and abstain weight of the positions `votes` under the row `weights`.
    function tally(uint16 votes, uint40 weights) internal pure returns (uint16 yes, uint16 no, uint16 abstain) {
        for (uint8 o = 0; o < CORE_OFFICES; ++o) {
            uint256 v = (votes >> (2 * o)) & 3;
            uint16 w = weightOf(weights, o);
            if (v == YES) yes += w;
            else if (v == NO) no += w;
            else if (v == ABSTAIN) abstain += w;
        }
    }

    /// @dev The yes weight alone (the decision record, R-WD-2).
    function yesWeight(uint16 votes, uint40 weights) internal pure returns (uint16 yes) {
        (yes,,) = tally(votes, weights);
    }

    /// @dev The seated office with the top weight; precedence order breaks ties (R-WD-4, R-WD-6).
    function lead(uint40 weights, bytes32[CORE_OFFICES] memory members) internal pure returns (uint8 best) {
        uint16 top = 0;
        bool found = false;
        for (uint8 o = 0; o < CORE_OFFICES; ++o) {
            if (members[o] == bytes32(0)) continue;
            uint16 w = weightOf(weights, o);
            if (!found || w > top) (best, top, found) = (o, w, true);
        }
        if (!found) revert ICouncil.NoMembers();
    }
}
