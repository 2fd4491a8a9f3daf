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
/// moves up more than one place per pass, and every move up is by a margin of 6.0 or more.
contract SuccessionPassTest is ZhiliTest {
    Jurisdiction internal j;
    PersonRegistry internal persons;
    MeritBook internal book;
    Succession internal succ;
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
            persons.register(ids[i], address(uint160(0x1000 + i)));
            if (i < 6) j.seat(Office(i), ids[i]);
        }
        succ.officesSeated(); // R-SU-1: from the six seated offices (this test stands in for the election)
    }

    function testFuzz_passMovesUpAtMostOnePlaceByTheMargin(int16[7] memory merit) public {
        bytes32[] memory before = succ.order();
        for (uint256 i = 0; i < before.length; ++i) {
            int32 m = int32(merit[i]) % 200;
            if (m != 0) book.append(before[i], Ledger.Merit, EntryKind.Award, m, bytes32(0));
        }
        succ.overtakePass();
        bytes32[] memory afterPass = succ.order();
        int64[] memory totals = book.meritOf(afterPass);
        vm.assertEq(afterPass.length, before.length, "length");
        for (uint256 i = 0; i < afterPass.length; ++i) {
            uint256 old = _index(before, afterPass[i]);
            vm.assertTrue(old != type(uint256).max, "permutation");
            vm.assertTrue(i + 1 >= old, "at most one place up");
            if (i + 1 == old) {
                // moved up: it passed someone now behind it by the margin
                bool passed;
                for (uint256 k = i + 1; k < afterPass.length; ++k) {
                    if (totals[i] - totals[k] >= 60) passed = true;
                }
                vm.assertTrue(passed, "by 6.0 or more");
            }
        }
    }

    function _index(bytes32[] memory arr, bytes32 p) private pure returns (uint256) {
        for (uint256 i = 0; i < arr.length; ++i) {
            if (arr[i] == p) return i;
        }
        return type(uint256).max;
    }
}
