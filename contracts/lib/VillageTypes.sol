// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CivilDate} from "./CivilDate.sol";

/// @title Shared types and arithmetic of the village credit scheme (SPEC section 9)
/// @notice Point kinds, member functions, contract colours and grades as small bit sets and
/// constants (the Python client mirrors them in `zhili.village.client`); months and quarters as
/// indexes counted from January 1970 (CST), so a month is `year * 12 + (month - 1)` and its quarter
/// `month / 3`; and the one score formula (R-VC-4).
/// @dev Internal constants and functions only: the library has no code and no artifact.
library VillageTypes {
    // ---- point kinds (R-VC-4): bits of a criterion's `kinds`
    /// @dev 党员先锋积分, role-duty part: counts only under a red contract.
    uint8 internal constant KIND_PARTY_DUTY = 1;
    /// @dev 村民代表模范积分, role-duty part: counts only under a yellow contract.
    uint8 internal constant KIND_REP_DUTY = 2;
    /// @dev Resident-credit points (居民信用积分): count under any signed contract.
    uint8 internal constant KIND_CREDIT = 4;

    // ---- contract colours (R-VC-3): bit `1 << colour`
    uint8 internal constant RED = 0; // 先锋契约, party members
    uint8 internal constant YELLOW = 1; // 模范契约, village representatives
    uint8 internal constant BLUE = 2; // 自治契约, villagers
    uint8 internal constant GREEN = 3; // 服务契约, volunteers
    uint8 internal constant SILVER = 4; // 调解契约, the "五老" mediators
    uint8 internal constant COLOURS = 5;

    // ---- member functions recorded by the town (bits of `Member.roles`)
    uint8 internal constant PARTY = 1; // party member (may sign red)
    uint8 internal constant REPRESENTATIVE = 2; // registered village representative (may sign yellow, votes lists)
    uint8 internal constant COUNCIL = 4; // credit council member (publishes, rules)
    uint8 internal constant SECRETARY = 8; // the village party secretary (proposes lists, assigns helpers)
    uint8 internal constant KEEPER = 16; // the credit supermarket's shop keeper
    uint8 internal constant ALL_ROLES = 31;

    // ---- grades (R-VC-8): member grades 1 优秀, 2 合格, 3 基本合格, 4 不合格; stars 1..5; 0 = not graded
    uint8 internal constant EXCELLENT = 1;
    uint8 internal constant FAILING = 4;

    /// @dev The month index (months since January 1970, CST) of Unix time `time`.
    // slither-disable-start divide-before-multiply
    function monthOf(uint256 time) internal pure returns (uint32) {
        uint256 z = CivilDate.cstDay(time) + 719468;
        uint256 era = z / 146097;
        uint256 doe = z - era * 146097;
        uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        uint256 m = mp < 10 ? mp + 3 : mp - 9;
        uint256 y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return uint32((y - 1970) * 12 + m - 1);
    }

    // slither-disable-end divide-before-multiply

    /// @dev The Unix time of 00:00 CST on the first day of month index `month`.
    function monthStart(uint256 month) internal pure returns (uint256) {
        uint256 year = 1970 + month / 12;
        uint256 m = month % 12; // 0 = January
        uint256 day = CivilDate.jan1(year);
        uint256[12] memory before = [uint256(0), 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        day += before[m];
        if (m >= 2 && CivilDate.length(year) == 366) day += 1;
        return day * 1 days - CivilDate.CST_OFFSET;
    }

    /// @dev The number of days of month index `month` (28 … 31).
    function monthDays(uint256 month) internal pure returns (uint256) {
        uint256 m = month % 12; // 0 = January
        if (m == 1) return CivilDate.length(1970 + month / 12) == 366 ? 29 : 28;
        return (m == 3 || m == 5 || m == 8 || m == 10) ? 30 : 31;
    }

    /// @dev 24:00 CST of the same day `n` calendar months after Unix time `time`'s CST day, the
    /// target month's last day if it has no such day (30 November + 3 months: 28 February), R-VC-9.
    function monthsOnEnd(uint256 time, uint256 n) internal pure returns (uint64) {
        uint256 m = monthOf(time);
        uint256 day0 = (time - monthStart(m)) / 1 days; // 0-based day of the month
        uint256 target = m + n;
        uint256 last = monthDays(target) - 1;
        if (day0 > last) day0 = last;
        return uint64(monthStart(target) + (day0 + 1) * 1 days);
    }

    /// @dev The calendar year of month index `month`.
    function yearOfMonth(uint256 month) internal pure returns (uint16) {
        return uint16(1970 + month / 12);
    }

    /// @dev A combined score (R-VC-4), tenths: `base + (dutyPercent * duty + (100 - dutyPercent) * credit) / 100`,
    /// the division truncating toward zero.
    function combined(int256 base, uint8 dutyPercent, int256 duty, int256 credit) internal pure returns (int256) {
        return base + (int256(uint256(dutyPercent)) * duty + int256(uint256(100 - dutyPercent)) * credit) / 100;
    }

    /// @dev The member grade (1 优秀 … 4 不合格) of an annual score under thresholds `g` (descending), R-VC-8.
    function memberGrade(uint16[3] memory g, int256 score) internal pure returns (uint8) {
        for (uint8 i = 0; i < 3; ++i) {
            if (score >= int256(uint256(g[i]))) return i + 1;
        }
        return FAILING;
    }

    /// @dev The stars (5 … 1) of an annual score under thresholds `g` (five, four, three, two stars), R-VC-8.
    function stars(uint16[4] memory g, int256 score) internal pure returns (uint8) {
        for (uint8 i = 0; i < 4; ++i) {
            if (score >= int256(uint256(g[i]))) return 5 - i;
        }
        return 1;
    }
}
