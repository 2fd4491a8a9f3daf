// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @title The surface of `WorkCalendar`: its events, errors, types and external functions
interface IWorkCalendar is IAccessControl {
    /// @notice `year` was published from the notice with fingerprint `notice`: bit d of `low`
    /// (d < 256) and bit d-256 of `high` say whether day-of-year d (0 = 1 January) is a working day.
    event YearPublished(uint256 indexed year, uint256 low, uint256 high, bytes32 notice, uint256 workingDays);

    /// @notice The working-day calendar of `year` is not published yet: the calendar authority
    /// publishes it from the State Council's notice (`zhili calendar publish YEAR`).
    /// @custom:rule SPEC §8
    error YearNotPublished(uint256 year);
    /// @notice A published year is final.
    /// @custom:rule SPEC §8
    error YearAlreadyPublished(uint256 year, bytes32 notice);
    /// @notice The map is not a plausible official calendar (working days, weekday holidays and
    /// worked weekend days must lie within the published bounds).
    /// @custom:rule SPEC §8
    error ImplausibleYear(uint256 year, uint256 workingDays, uint256 weekdayHolidays, uint256 workedWeekendDays);
    /// @notice The year is outside what this calendar holds.
    /// @custom:rule none
    error YearOutOfRange(uint256 year);
    /// @notice The map has bits set after the year's last day.
    /// @custom:rule none
    error DaysBeyondYear(uint256 year, uint256 high);
    /// @notice A publication needs the fingerprint of the notice it transcribes.
    /// @custom:rule none
    error EmptyNotice(uint256 year);
    /// @notice A period counts 1 to 255 working days.
    /// @custom:rule none
    error BadPeriod(uint256 workingDays);

    /// @notice The role that transcribes the State Council's notice (the province's general office).
    function CALENDAR_AUTHORITY() external view returns (bytes32);
    /// @notice First year this calendar can hold.
    function FIRST_YEAR() external view returns (uint256);
    /// @notice Last year this calendar can hold.
    function LAST_YEAR() external view returns (uint256);
    /// @notice Fewest working days a published year may have. Plausibility bounds of a published year ([decision], SPEC section 8): every year of
    /// the official calendar 2004-2026 has 248-252 working days, 16-23 weekday holidays and 5-12
    /// worked weekend days. A map outside these bounds is not a transcription of a notice.
    function MIN_WORKING_DAYS() external view returns (uint256);
    /// @notice Most working days a published year may have (see `MIN_WORKING_DAYS`).
    function MAX_WORKING_DAYS() external view returns (uint256);
    /// @notice Most weekday holidays a published year may have (see `MIN_WORKING_DAYS`).
    function MAX_WEEKDAY_HOLIDAYS() external view returns (uint256);
    /// @notice Most worked weekend days a published year may have (see `MIN_WORKING_DAYS`).
    function MAX_WORKED_WEEKEND_DAYS() external view returns (uint256);
    /// @notice Longest period (in working days) a deadline may count.
    function MAX_PERIOD() external view returns (uint256);
    /// @notice Publish `year` (calendar authority). Final: a year is published once.
    /// @param year the year, e.g. 2027
    /// @param low working-day bits of days 0..255 of the year
    /// @param high working-day bits of days 256..365
    /// @param notice fingerprint of the notice transcribed (SHA-256 of the notice file)
    function publish(uint256 year, uint256 low, uint256 high, bytes32 notice) external;
    /// @notice The published map of `year` (all zero if not published).
    function yearMap(uint256 year) external view returns (uint256 low, uint256 high, bytes32 notice);
    /// @notice Whether `year` is published.
    function isPublished(uint256 year) external view returns (bool);
    /// @notice Whether the CST day of `time` is a working day; reverts if its year is not published.
    function isWorkingDay(uint256 time) external view returns (bool);
    /// @notice End of the `workingDays`-th working day strictly after the CST day of `start`
    /// (24:00 CST, as a Unix time): the deadline of a period of `workingDays` working days that
    /// starts at `start` (SPEC section 8). Reverts with `YearNotPublished` if it needs such a year.
    /// @param start the instant the period starts (e.g. the block time of a publication)
    /// @param workingDays the period's length, 1..255
    function deadline(uint256 start, uint256 workingDays) external view returns (uint64);
}
