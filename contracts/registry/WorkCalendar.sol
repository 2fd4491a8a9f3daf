// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {CivilDate} from "../lib/CivilDate.sol";
import {Roles} from "../lib/Roles.sol";

/// @title The province's working-day calendar (SPEC section 8)
/// @notice Which days are working days, year by year, as the State Council's holiday notice
/// (国务院办公厅关于节假日安排的通知) fixes them: statutory holidays off, adjusted weekends (调休)
/// worked. The calendar authority publishes each year once, with the fingerprint of the notice it
/// transcribed; a published year is final. Every working-day deadline of zhili (the oath period
/// R-DOC-6, the dispute escalation R-DOC-9, the appeal and answer windows R-MR-11) is computed
/// here, by the contract that enforces it, from the period's start on chain: nobody types a deadline.
/// @dev Days are China Standard Time (UTC+8, no daylight saving). A deadline of N working days after
/// an instant is 24:00 CST at the end of the N-th working day strictly after that instant's day.
/// A year that is not published refuses any computation that needs it (`YearNotPublished`), so no
/// deadline ever depends on a year published later.
///
/// Storage per year: the 366-bit map in two words (bit d of `low` is day-of-year d for d < 256, bit
/// d-256 of `high` the rest; bit set = working day; bits past the year's last day are zero) and the
/// notice's fingerprint, which is never zero for a published year.
contract WorkCalendar is AccessControl, IWorkCalendar {
    bytes32 public constant CALENDAR_AUTHORITY = Roles.CALENDAR_AUTHORITY;

    uint256 public constant FIRST_YEAR = 1970;
    uint256 public constant LAST_YEAR = 2199;
    uint256 public constant MIN_WORKING_DAYS = 240;
    uint256 public constant MAX_WORKING_DAYS = 256;
    uint256 public constant MAX_WEEKDAY_HOLIDAYS = 25;
    uint256 public constant MAX_WORKED_WEEKEND_DAYS = 12;
    uint256 public constant MAX_PERIOD = 255;
    /// @dev Bits 0, 7, 14, ..., 252: every seventh day of a 256-day word.
    uint256 private constant EVERY_7TH_DAY = 0x1020408102040810204081020408102040810204081020408102040810204081;

    struct Year {
        uint256 low;
        uint256 high;
        bytes32 notice;
    }

    mapping(uint256 year => Year) private _years;

    /// @param admin account that may grant the calendar authority role
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function publish(uint256 year, uint256 low, uint256 high, bytes32 notice) external onlyRole(CALENDAR_AUTHORITY) {
        if (year < FIRST_YEAR || year > LAST_YEAR) revert YearOutOfRange(year);
        if (notice == bytes32(0)) revert EmptyNotice(year);
        Year storage y = _years[year];
        if (y.notice != bytes32(0)) revert YearAlreadyPublished(year, y.notice);
        uint256 length = _length(year);
        if (high >> (length - 256) != 0) revert DaysBeyondYear(year, high);
        uint256 working = _checkPlausible(year, low, high, length);
        y.low = low;
        y.high = high;
        y.notice = notice;
        emit YearPublished(year, low, high, notice, working);
    }

    function yearMap(uint256 year) external view returns (uint256 low, uint256 high, bytes32 notice) {
        Year storage y = _years[year];
        return (y.low, y.high, y.notice);
    }

    function isPublished(uint256 year) external view returns (bool) {
        return _years[year].notice != bytes32(0);
    }

    function isWorkingDay(uint256 time) external view returns (bool) {
        uint256 day = CivilDate.cstDay(time);
        (uint256 year, uint256 jan1) = _yearOf(day);
        (uint256 low, uint256 high) = _map(year);
        return _bit(low, high, day - jan1);
    }

    function deadline(uint256 start, uint256 workingDays) public view returns (uint64) {
        if (workingDays == 0 || workingDays > MAX_PERIOD) revert BadPeriod(workingDays);
        uint256 first = CivilDate.cstDay(start) + 1;
        (uint256 year, uint256 jan1) = _yearOf(first);
        uint256 doy = first - jan1;
        uint256 length = _length(year);
        (uint256 low, uint256 high) = _map(year);
        // bounded: at most 255 working days, each year published has at least 240 of them
        unchecked {
            uint256 counted = 0;
            while (true) {
                if (doy == length) {
                    jan1 += length;
                    ++year;
                    length = _length(year);
                    (low, high) = _map(year);
                    doy = 0;
                }
                if ((doy < 256 ? low >> doy : high >> (doy - 256)) & 1 == 1) {
                    if (++counted == workingDays) break;
                }
                ++doy;
            }
            return uint64((jan1 + doy + 1) * 1 days - CivilDate.CST_OFFSET);
        }
    }

    // ------------------------------------------------------------------ internals

    function _map(uint256 year) private view returns (uint256 low, uint256 high) {
        Year storage y = _years[year];
        if (y.notice == bytes32(0)) revert YearNotPublished(year);
        return (y.low, y.high);
    }

    function _bit(uint256 low, uint256 high, uint256 dayOfYear) private pure returns (bool) {
        return dayOfYear < 256 ? (low >> dayOfYear) & 1 == 1 : (high >> (dayOfYear - 256)) & 1 == 1;
    }

    /// @dev Counts working days, weekday holidays and worked weekend days and checks the bounds.
    /// Weekend days are the year's bits under two every-seventh-day masks, phased by the weekday of
    /// 1 January (day 256 is 256 mod 7 = 4 days on, so the high word's phase is the low's plus 3).
    function _checkPlausible(uint256 year, uint256 low, uint256 high, uint256 length) private pure returns (uint256) {
        uint256 sat = (12 - (CivilDate.jan1(year) + 3) % 7) % 7; // first Saturday's day-of-year (1970-01-01 was a Thursday)
        uint256 sun = (sat + 1) % 7;
        uint256 lowWeekend = (EVERY_7TH_DAY << sat) | (EVERY_7TH_DAY << sun);
        uint256 highWeekend =
            ((EVERY_7TH_DAY << ((sat + 3) % 7)) | (EVERY_7TH_DAY << ((sun + 3) % 7))) & ((1 << (length - 256)) - 1);
        uint256 weekendDays = _popcount(lowWeekend) + _popcount(highWeekend);
        uint256 working = _popcount(low) + _popcount(high);
        uint256 weekends = _popcount(low & lowWeekend) + _popcount(high & highWeekend);
        uint256 holidays = (length - weekendDays) - (working - weekends);
        if (
            working < MIN_WORKING_DAYS || working > MAX_WORKING_DAYS || holidays > MAX_WEEKDAY_HOLIDAYS
                || weekends > MAX_WORKED_WEEKEND_DAYS
        ) revert ImplausibleYear(year, working, holidays, weekends);
        return working;
    }

    /// @dev Set bits of `x` (SWAR: 2-, 4-, 8- then 16-bit lane sums, summed by one multiplication).
    function _popcount(uint256 x) private pure returns (uint256) {
        unchecked {
            x -= (x >> 1) & 0x5555555555555555555555555555555555555555555555555555555555555555;
            x = (x & 0x3333333333333333333333333333333333333333333333333333333333333333)
                + ((x >> 2) & 0x3333333333333333333333333333333333333333333333333333333333333333);
            x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f;
            x = (x + (x >> 8)) & 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff;
            return (x * 0x0001000100010001000100010001000100010001000100010001000100010001) >> 240;
        }
    }

    /// @dev The year containing `day` and the day number of its 1 January.
    function _yearOf(uint256 day) private pure returns (uint256 year, uint256 jan1) {
        year = CivilDate.yearOf(day);
        jan1 = CivilDate.jan1(year);
    }

    function _length(uint256 year) private pure returns (uint256) {
        return CivilDate.length(year);
    }
}
