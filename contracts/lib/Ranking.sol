// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Ranking of candidates by votes, with ties kept whole (R-EL-2, R-EL-4, R-EL-6, R-EL-8)
/// @notice Pure arithmetic over a pool of candidate indices and their vote counts (same order): who
/// takes the top `k` places, and which candidates are tied across the last place, so that a runoff is
/// held among exactly the tied (R-EL-6). Used by `Election` for every ranking it makes.
/// @dev Internal functions, inlined into `Election`. As a linked public library `Election` grew by
/// 358 bytes (ABI-encoding the arrays outweighs the code moved out) and would need a linking step at
/// deployment (docs/architecture.md, "Contracts").
library Ranking {
    /// @dev Pick the top `k` of `pool` by `votes`. If a tie straddles place k, `won` holds those
    /// strictly above it and `tied` exactly the tied candidates competing for `left` places.
    function top(uint8[] memory pool, uint32[] memory votes, uint256 k)
        internal
        pure
        returns (uint8[] memory won, uint8[] memory tied, uint256 left)
    {
        uint256 n = pool.length;
        if (k >= n) return (pool, new uint8[](0), 0);
        uint8[] memory p = new uint8[](n);
        uint32[] memory v = new uint32[](n);
        for (uint256 i = 0; i < n; ++i) {
            (p[i], v[i]) = (pool[i], votes[i]);
            for (uint256 j = i; j > 0 && v[j] > v[j - 1]; --j) {
                (p[j], p[j - 1], v[j], v[j - 1]) = (p[j - 1], p[j], v[j - 1], v[j]);
            }
        }
        uint32 line = v[k - 1];
        uint256 above = 0;
        uint256 equal = 0;
        for (uint256 i = 0; i < n; ++i) {
            if (v[i] > line) ++above;
            else if (v[i] == line) ++equal;
        }
        if (above + equal == k) {
            won = new uint8[](k);
            for (uint256 i = 0; i < k; ++i) {
                won[i] = p[i];
            }
            return (won, new uint8[](0), 0);
        }
        won = new uint8[](above);
        tied = new uint8[](equal);
        for (uint256 i = 0; i < above; ++i) {
            won[i] = p[i];
        }
        for (uint256 i = 0; i < equal; ++i) {
            tied[i] = p[above + i];
        }
        left = k - above;
    }

    /// @dev How many of `pool` rank strictly above `who`, and the group tied with `who` (including it).
    function standing(uint8[] memory pool, uint32[] memory v, uint8 who)
        internal
        pure
        returns (uint256 above, uint8[] memory group)
    {
        uint32 mine = 0;
        for (uint256 i = 0; i < pool.length; ++i) {
            if (pool[i] == who) mine = v[i];
        }
        uint256 equal = 0;
        for (uint256 i = 0; i < pool.length; ++i) {
            if (v[i] > mine) ++above;
            else if (v[i] == mine) ++equal;
        }
        group = new uint8[](equal);
        uint256 k = 0;
        for (uint256 i = 0; i < pool.length; ++i) {
            if (v[i] == mine) group[k++] = pool[i];
        }
    }
}
