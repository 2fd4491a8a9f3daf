// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Point arithmetic of the merit system (R-MR-3 ... R-MR-8, R-SU-2, R-SU-3)
/// @notice The profile and the award table hold points as unsigned tenths (60 = 6.0); the merit book
/// holds signed totals. These helpers are the one conversion between the two and the one test "has a
/// total reached a level", used by the warning list and resignation (R-MR-7), a successor's
/// eligibility (R-SU-2) and overtaking (R-SU-3), and the false-accusation penalty (R-MR-8).
/// @dev Internal functions, inlined into `MeritLedger` and `Succession` (docs/architecture.md).
library MeritMath {
    /// @dev A table or profile amount as a signed book entry.
    function entry(uint16 points) internal pure returns (int32) {
        return int32(uint32(points));
    }

    /// @dev Whether a book total is at or above `level`.
    function reaches(int64 total, uint16 level) internal pure returns (bool) {
        return total >= int64(uint64(level));
    }

    /// @dev Whether `total` reaches `level` now but did not before `added` was booked.
    function crossed(int64 total, uint16 added, uint16 level) internal pure returns (bool) {
        return reaches(total, level) && !reaches(total - int64(uint64(added)), level);
    }

    /// @dev R-MR-8: a false accusation costs the claimed award's points times the profile's factor.
    function penalty(uint16 award, uint8 factor) internal pure returns (int32) {
        return entry(award) * int32(uint32(factor));
    }
}
