// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {WorkCalendar} from "../../contracts/registry/WorkCalendar.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";
import {IWorkCalendar} from "../../contracts/interfaces/IWorkCalendar.sol";

/// @dev Properties of the on-chain working-day calendar (SPEC section 8) over 2026, as the State
/// Council published it (the map is the one `zhili calendar publish 2026 --from-library` sends).
contract WorkCalendarTest is ZhiliTest {
    uint256 internal constant LOW_2026 = 0x3e7cf9f3e7cf9f3e7cf9f1e7cf9f3e7de0f3e7cf1f3e7cf9f7c01f9f3e7cf9f8;
    uint256 internal constant HIGH_2026 = 0x1e7cf9f3e7cf9f3e7cf9f701c7df;
    uint256 internal constant JAN1_2026 = 1767196800; // 2026-01-01 00:00 CST
    uint256 internal constant DEC1_2026 = JAN1_2026 + 334 days; // leaves room for 15 working days

    WorkCalendar internal cal;

    function setUp() public {
        cal = new WorkCalendar(address(this));
        cal.grantRole(cal.CALENDAR_AUTHORITY(), address(this));
        cal.publish(2026, LOW_2026, HIGH_2026, keccak256("notice 2026"));
    }

    /// @dev The deadline ends a working day (at 24:00 CST), lies after the start's day, and counts
    /// exactly n working days: one fewer would end earlier, and it moves with the start.
    function testFuzz_deadlineEndsTheNthWorkingDay(uint256 start, uint256 n) public view {
        start = bound(start, JAN1_2026, DEC1_2026);
        n = bound(n, 1, 15);
        uint256 d = cal.deadline(start, n);
        uint256 startDayEnd = ((start + 8 hours) / 1 days + 1) * 1 days - 8 hours;
        vm.assertTrue(d > startDayEnd, "deadline after the start's day");
        vm.assertEq((d + 8 hours) % 1 days, 0, "deadline at 24:00 CST");
        vm.assertTrue(cal.isWorkingDay(d - 1), "the last day is a working day");
        if (n > 1) vm.assertTrue(cal.deadline(start, n - 1) < d, "n-1 working days end earlier");
        vm.assertTrue(cal.deadline(start + 1 days, n) >= d, "a later start never ends earlier");
        uint256 counted = 0;
        for (uint256 t = startDayEnd; t < d; t += 1 days) {
            if (cal.isWorkingDay(t)) ++counted;
        }
        vm.assertEq(counted, n, "exactly n working days in between");
    }

    /// @dev A published year is final, whoever asks.
    function testFuzz_publishedYearIsFinal(uint256 low, uint256 high, bytes32 notice) public {
        notice = bytes32(uint256(notice) | 1); // a notice fingerprint is never zero (EmptyNotice)
        vm.expectRevert(
            abi.encodeWithSelector(IWorkCalendar.YearAlreadyPublished.selector, 2026, keccak256("notice 2026"))
        );
        cal.publish(2026, low, high, notice);
    }
}
