// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Jurisdiction} from "../../contracts/registry/Jurisdiction.sol";
import {WorkCalendar} from "../../contracts/registry/WorkCalendar.sol";
import {PersonRegistry} from "../../contracts/registry/PersonRegistry.sol";
import {MeritBook} from "../../contracts/merit/MeritBook.sol";
import {Succession} from "../../contracts/merit/Succession.sol";
import {Office} from "../../contracts/lib/ZhiliTypes.sol";
import {Ledger, EntryKind} from "../../contracts/lib/MeritTypes.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";
import {townshipParams, townshipWeights} from "./Jurisdiction.t.sol";

/// @notice R-SU-3 overtaking pass under random merit totals: the order stays a permutation, nobody
/// moves up more than one place per pass, and a member moves up exactly when its margin over the
/// member directly ahead is 6.0 or more (both directions, checked against the pass written out here).
contract SuccessionPassTest is ZhiliTest {
    Jurisdiction internal j;
    PersonRegistry public persons;
    MeritBook public book; // `book()`, `persons()`, `jurisdiction()`: this test writes as a bound writer
    Succession internal succ;

    function jurisdiction() external view returns (address) {
        return address(j);
    }
    bytes32[8] internal ids;

    function setUp() public {
        j = new Jurisdiction(
            address(this),
            new WorkCalendar(address(this)),
            "330110-001",
            "Testtown",
            townshipParams(160),
            townshipWeights()
        );
        persons = new PersonRegistry(address(this));
        book = new MeritBook(address(this), persons);
        Office[] memory head = new Office[](3);
        (head[0], head[1], head[2]) = (Office.Discipline, Office.Congress, Office.DisciplineDeputy);
        succ = new Succession(j, persons, book, head, 365 days);
        persons.grantRole(persons.REGISTRAR(), address(this));
        book.grantRole(book.LEDGER_WRITER(), address(this));
        j.grantRole(j.OFFICE_WRITER(), address(this));
        j.grantRole(j.OFFICE_WRITER(), address(succ));
        j.grantRole(keccak256("zhili.role.ELECTION_AUTHORITY"), address(this));
        j.grantRole(succ.SUCCESSION_WRITER(), address(this));
        for (uint256 i = 0; i < 8; ++i) {
            ids[i] = keccak256(abi.encode("person", i));
            persons.register(ids[i], address(uint160(0x1000 + i)), keccak256(abi.encode("identity", ids[i])));
            if (i < 6) j.seat(Office(i), ids[i]);
        }
        succ.officesSeated(); // R-SU-1: from the six seated offices (this test stands in for the election)
    }

    function testFuzz_passMovesUpAtMostOnePlaceByTheMargin(int16[7] memory merit) public {
        bytes32[] memory before = succ.order();
        for (uint256 i = 0; i < before.length; ++i) {
            // multiples of 0.5 from 0 to 12.0: margins of exactly 6.0 (and 5.5, 6.5) occur in most runs
            int32 m = int32(uint32(bound(uint256(uint16(merit[i])), 0, 24))) * 5;
            if (m != 0) book.append(before[i], Ledger.Merit, EntryKind.Award, m, bytes32(0));
        }
        // the pass as SPEC R-SU-3 words it, front to back on the running order: a member whose total
        // exceeds the one directly ahead by 6.0 or more moves up one place, and only then
        bytes32[] memory expected = new bytes32[](before.length);
        int64[] memory m0 = book.meritOf(before);
        for (uint256 i = 0; i < before.length; ++i) {
            expected[i] = before[i];
        }
        for (uint256 i = 1; i < expected.length; ++i) {
            if (m0[i] - m0[i - 1] >= 60) {
                (expected[i], expected[i - 1]) = (expected[i - 1], expected[i]);
                (m0[i], m0[i - 1]) = (m0[i - 1], m0[i]);
            }
        }
        succ.overtakePass();
        bytes32[] memory afterPass = succ.order();
        vm.assertEq(afterPass.length, before.length, "length");
        for (uint256 i = 0; i < afterPass.length; ++i) {
            uint256 old = _index(before, afterPass[i]);
            vm.assertTrue(old != type(uint256).max, "permutation");
            vm.assertTrue(i + 1 >= old, "at most one place up");
            // both directions: a margin of 6.0 or more moves, a smaller one never does
            vm.assertEq(afterPass[i], expected[i], "moved exactly where the margin is 6.0 or more");
        }
    }

    /// @dev The margin's edge itself: exactly 6.0 ahead moves up one place, 5.9 does not (R-SU-3).
    function test_overtakesAtExactly6NotAt5_9() public {
        bytes32[] memory before = succ.order();
        book.append(before[1], Ledger.Merit, EntryKind.Award, 60, bytes32(0));
        book.append(before[3], Ledger.Merit, EntryKind.Award, 59, bytes32(0));
        succ.overtakePass();
        bytes32[] memory afterPass = succ.order();
        vm.assertEq(afterPass[0], before[1], "6.0 ahead: moved up");
        vm.assertEq(afterPass[1], before[0], "overtaken");
        vm.assertEq(afterPass[2], before[2], "5.9 behind it: stays");
        vm.assertEq(afterPass[3], before[3], "5.9 ahead: does not move");
    }

    function _index(bytes32[] memory arr, bytes32 p) private pure returns (uint256) {
        for (uint256 i = 0; i < arr.length; ++i) {
            if (arr[i] == p) return i;
        }
        return type(uint256).max;
    }
}
