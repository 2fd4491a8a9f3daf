// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Calendar days and years in China Standard Time (SPEC section 8)
/// @notice The one place zhili turns a block time into a CST day and a day into its year: the trace
/// codes' year (R-DOC-2) and the working-day calendar's day-of-year (`WorkCalendar`) both use it.
/// Days count from 1970-01-01 (CST); the proleptic Gregorian calendar; times after 1970 only.
/// @dev Floor divisions are the algorithm (exact integer calendar arithmetic, H. Hinnant's
/// days-to-civil); see docs/static-analysis.md. Checked against Python's calendar on both sides of
/// every New Year 1971-2100 (tests/test_evidence.py) and against `chinese-calendar` day by day
/// (tests/test_calendar.py).
library CivilDate {
    /// @dev China Standard Time, seconds east of UTC (no daylight saving).
    uint256 internal constant CST_OFFSET = 8 hours;

    /// @dev The CST day (days since 1970-01-01) of Unix time `time`.
    function cstDay(uint256 time) internal pure returns (uint256) {
        return (time + CST_OFFSET) / 1 days;
    }

    /// @dev The year of CST day `day`.
    // slither-disable-start divide-before-multiply
    function yearOf(uint256 day) internal pure returns (uint256) {
        uint256 z = day + 719468;
        uint256 era = z / 146097;
        uint256 doe = z - era * 146097;
        uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        uint256 y = yoe + era * 400;
        return mp >= 10 ? y + 1 : y;
    }

    // slither-disable-end divide-before-multiply

    /// @dev The CST day of 1 January of `year` (>= 1970).
    function jan1(uint256 year) internal pure returns (uint256) {
        uint256 y = year - 1;
        return 365 * (year - 1970) + (y / 4 - 492) - (y / 100 - 19) + (y / 400 - 4);
    }

    /// @dev Days in `year`.
    function length(uint256 year) internal pure returns (uint256) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 366 : 365;
    }
}
