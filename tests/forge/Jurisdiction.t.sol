// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Jurisdiction} from "../../contracts/registry/Jurisdiction.sol";
import {WorkCalendar} from "../../contracts/registry/WorkCalendar.sol";
import {Office, Category, ProfileKind, CORE_OFFICES, ALL_OFFICES, CATEGORIES} from "../../contracts/lib/ZhiliTypes.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";
import {IJurisdiction} from "../../contracts/interfaces/IJurisdiction.sol";
import {WriterAccess} from "../../contracts/base/WriterAccess.sol";

/// @notice A contract that names a jurisdiction through `jurisdiction()` (what a zhili writer does),
/// or answers the getter with any 32-byte word (`raw`), to probe `WriterAccess`.
contract WriterStub {
    bytes32 public immutable raw;

    constructor(bytes32 raw_) {
        raw = raw_;
    }

    function jurisdiction() external view returns (bytes32) {
        return raw;
    }
}

/// @dev Township profile parameters with a given threshold (election sizes valid, R-EL-2).
function townshipParams(uint16 threshold) pure returns (IJurisdiction.Params memory) {
    return IJurisdiction.Params({
        kind: ProfileKind.Township,
        profileHash: bytes32(0),
        threshold: threshold,
        stage1MaxNames: 10,
        stage1Advance: 7,
        stage1MinCandidates: 8,
        elected: 5,
        secretaryTermLimit: 2,
        pathOneTopRank: 3,
        vettingDimensions: 5,
        oathWorkingDays: 3,
        handoverHours: 24,
        transitionDays: 30,
        lookbackDays: 90,
        disputeEscalationWorkingDays: 2,
        appealWorkingDays: 7,
        appealAnswerWorkingDays: 15,
        warningDemerit: 40,
        resignDemerit: 60,
        overtakeMargin: 60,
        minRegisterSeconds: 600,
        minCastSeconds: 600,
        minCountSeconds: 600,
        maxPollSeconds: 30 days,
        openWithinSeconds: 7 days,
        scrutineers: 5,
        scrutinyThreshold: 3
    });
}

/// @dev The township weight matrix, weights[category][office] (R-WD-1).
function townshipWeights() pure returns (uint16[CORE_OFFICES][CATEGORIES] memory w) {
    w = [
        [uint16(100), 80, 60, 40, 20],
        [uint16(80), 100, 60, 40, 20],
        [uint16(80), 60, 100, 40, 20],
        [uint16(80), 60, 40, 100, 20],
        [uint16(80), 60, 60, 40, 100]
    ];
}

contract JurisdictionConstructorTest is ZhiliTest {
    address internal constant ADMIN = address(0xA11CE);
    WorkCalendar internal immutable calendar = new WorkCalendar(address(this));

    function _deploy(uint16 threshold, uint16[CORE_OFFICES][CATEGORIES] memory w) internal returns (Jurisdiction) {
        return new Jurisdiction(ADMIN, calendar, "330110-001", "Testtown", townshipParams(threshold), w);
    }

    function test_townshipProfileDeploys() public {
        Jurisdiction j = _deploy(160, townshipWeights());
        vm.assertEq(j.params().threshold, 160, "threshold");
        vm.assertEq(j.code(), "330110-001", "code");
        vm.assertEq(j.weight(Category.Strategic, Office.Secretary), 100, "weight");
    }

    /// R-WD-2: no single office may pass a motion alone, so any matrix with some weight >= threshold
    /// is rejected with WeightReachesThreshold, naming the first such cell in [category][office] order.
    /// Every other cell is at least ceil(threshold / 5), so every row can reach the threshold and the
    /// only possible failure is a weight at or above it (cells other than the forced one may be too).
    function testFuzz_rejectsWeightReachingThreshold(
        uint16[CORE_OFFICES][CATEGORIES] memory w,
        uint16 threshold,
        uint8 badCategory,
        uint8 badOffice
    ) public {
        threshold = uint16(bound(threshold, 1, type(uint16).max));
        uint256 floor = (uint256(threshold) + CORE_OFFICES - 1) / CORE_OFFICES;
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                w[c][o] = uint16(bound(w[c][o], floor, type(uint16).max));
            }
        }
        uint256 bc = badCategory % CATEGORIES;
        uint256 bo = badOffice % CORE_OFFICES;
        w[bc][bo] = uint16(bound(w[bc][bo], threshold, type(uint16).max));

        // Reference model: the first cell (row-major) with weight >= threshold.
        (uint256 fc, uint256 fo) = (bc, bo);
        bool found;
        for (uint256 c = 0; c < CATEGORIES && !found; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES && !found; ++o) {
                if (w[c][o] >= threshold) (fc, fo, found) = (c, o, true);
            }
        }
        vm.assertTrue(found, "model: forced cell not found");

        vm.expectRevert(
            abi.encodeWithSelector(
                IJurisdiction.WeightReachesThreshold.selector, Category(fc), Office(fo), w[fc][fo], threshold
            )
        );
        _deploy(threshold, w);
    }

    /// R-WD-2: every matrix with all weights below the threshold and every row able to reach it
    /// (row total >= threshold) is accepted and stored as given (R-WD-1).
    function testFuzz_acceptsValidMatrix(uint16[CORE_OFFICES][CATEGORIES] memory w, uint16 threshold) public {
        threshold = uint16(bound(threshold, 2, type(uint16).max));
        uint256 floor = (uint256(threshold) + CORE_OFFICES - 1) / CORE_OFFICES;
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                w[c][o] = uint16(bound(w[c][o], floor, threshold - 1));
            }
        }
        Jurisdiction j = _deploy(threshold, w);
        vm.assertEq(j.params().threshold, threshold, "threshold stored");
        uint16[CORE_OFFICES][CATEGORIES] memory stored = j.weights();
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                vm.assertEq(stored[c][o], w[c][o], "weight stored");
                vm.assertEq(j.weight(Category(c), Office(o)), w[c][o], "weight()");
            }
        }
        vm.assertEq(j.weight(Category(0), Office.DisciplineDeputy), 0, "deputy has no weight");
    }

    /// R-WD-2: a row whose total stays below the threshold (all weights valid) is rejected with
    /// ThresholdUnreachable for that category.
    function testFuzz_rejectsUnreachableRow(
        uint16[CORE_OFFICES][CATEGORIES] memory w,
        uint16 threshold,
        uint8 lowCategory
    ) public {
        threshold = uint16(bound(threshold, 5, type(uint16).max));
        uint256 floor = (uint256(threshold) + CORE_OFFICES - 1) / CORE_OFFICES;
        uint256 lc = lowCategory % CATEGORIES;
        uint256 total;
        for (uint256 c = 0; c < CATEGORIES; ++c) {
            for (uint256 o = 0; o < CORE_OFFICES; ++o) {
                if (c == lc) {
                    // Each at most (threshold - 1) / 5, so the row total is < threshold.
                    w[c][o] = uint16(bound(w[c][o], 0, (uint256(threshold) - 1) / CORE_OFFICES));
                    total += w[c][o];
                } else {
                    w[c][o] = uint16(bound(w[c][o], floor, threshold - 1));
                }
            }
        }
        vm.expectRevert(
            abi.encodeWithSelector(IJurisdiction.ThresholdUnreachable.selector, Category(lc), total, threshold)
        );
        _deploy(threshold, w);
    }
}

contract JurisdictionAccessTest is ZhiliTest {
    address internal constant ADMIN = address(0xA11CE);
    address internal WRITER;
    Jurisdiction internal j;

    function setUp() public {
        j = new Jurisdiction(
            ADMIN, new WorkCalendar(address(this)), "330110-001", "Testtown", townshipParams(160), townshipWeights()
        );
        WRITER = address(new WriterStub(bytes32(uint256(uint160(address(j)))))); // a contract bound to `j`
        bytes32 role = j.OFFICE_WRITER();
        vm.prank(ADMIN);
        j.grantRole(role, WRITER);
    }

    /// R-EL-11 (issue 17): no writer role for a key, whoever it is (the admin itself included).
    function testFuzz_writerRoleRefusedToAKey(address account, uint8 which) public {
        vm.assume(account.code.length == 0);
        bytes32[3] memory roles =
            [j.OFFICE_WRITER(), keccak256("zhili.role.SUCCESSION_WRITER"), keccak256("zhili.role.POLL_CLIENT")];
        bytes32 role = roles[which % 3];
        vm.expectRevert(abi.encodeWithSelector(WriterAccess.WriterNotContract.selector, role, account));
        vm.prank(ADMIN);
        j.grantRole(role, account);
        vm.assertFalse(j.hasRole(role, account), "a key holds a writer role");
        // a role of people and bodies still goes to a key
        bytes32 auditor = j.AUDITOR();
        vm.prank(ADMIN);
        j.grantRole(auditor, account);
        vm.assertTrue(j.hasRole(auditor, account), "external role granted");
    }

    /// R-EL-11 (issue 17): a contract whose `jurisdiction()` answers anything but this jurisdiction
    /// (another address, a word wider than an address) is refused; one without the getter too.
    function testFuzz_writerRoleOnlyForContractsBoundHere(bytes32 raw) public {
        bytes32 role = j.OFFICE_WRITER();
        vm.assume(raw != bytes32(uint256(uint160(address(j)))));
        address stub = address(new WriterStub(raw));
        address named = uint256(raw) >> 160 == 0 ? address(uint160(uint256(raw))) : address(0);
        vm.expectRevert(abi.encodeWithSelector(WriterAccess.WriterNotBound.selector, role, stub, named));
        vm.prank(ADMIN);
        j.grantRole(role, stub);
        address calendar = address(j.calendar()); // no `jurisdiction()` getter at all
        vm.expectRevert(abi.encodeWithSelector(WriterAccess.WriterNotBound.selector, role, calendar, address(0)));
        vm.prank(ADMIN);
        j.grantRole(role, calendar);
        vm.assertFalse(j.hasRole(role, stub) || j.hasRole(role, calendar), "an unbound contract holds the role");
    }

    /// R-EL-11 / R-OF-1: offices are written only by holders of OFFICE_WRITER. Any other caller
    /// (including the admin) is refused; once granted the role, the same caller can seat.
    function testFuzz_onlyOfficeWriterCanSeat(address caller, uint8 officeSeed, bytes32 personId) public {
        vm.assume(caller != WRITER);
        vm.assume(personId != bytes32(0));
        Office office = Office(officeSeed % ALL_OFFICES);
        bytes32 role = j.OFFICE_WRITER();

        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        vm.prank(caller);
        j.seat(office, personId);
        vm.assertEq(j.holder(office), bytes32(0), "unauthorised seat left a holder");

        // The role holder can seat.
        vm.prank(WRITER);
        j.seat(office, personId);
        vm.assertEq(j.holder(office), personId, "writer seated");

        // R-TC-3: vacating is gated by the same role.
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        vm.prank(caller);
        j.vacate(office, keccak256("removed"));

        // The role holder vacates.
        vm.prank(WRITER);
        j.vacate(office, keccak256("removed"));
        vm.assertEq(j.holder(office), bytes32(0), "vacated");
    }
}

/// @notice Drives random seat/vacate calls as an OFFICE_WRITER and checks each outcome against a
/// reference model (which error, if any, the registry must raise).
contract SeatVacateHandler {
    uint256 internal constant POOL = 8;

    Jurisdiction public immutable j;
    /// @dev Model of the registry: holder per office.
    bytes32[ALL_OFFICES] internal _model;
    /// @dev Set when the registry's behaviour differed from the model; the invariant asserts it stays empty.
    string public mismatch;
    uint256 public seats;
    uint256 public vacates;

    constructor(Jurisdiction j_) {
        j = j_;
    }

    /// @notice The jurisdiction it is bound to (writer roles go only to contracts bound there).
    function jurisdiction() external view returns (address) {
        return address(j);
    }

    /// @notice Person ids used by the handler: index 0 is the zero id, the rest a small pool so
    /// the same person is often tried in a second office.
    function person(uint256 i) public pure returns (bytes32) {
        if (i == 0) return bytes32(0);
        return keccak256(abi.encode("zhili.person", i));
    }

    function model() external view returns (bytes32[ALL_OFFICES] memory) {
        return _model;
    }

    function _modelOfficeOf(bytes32 p) internal view returns (bool, uint256) {
        for (uint256 o = 0; o < ALL_OFFICES; ++o) {
            if (_model[o] == p) return (true, o);
        }
        return (false, 0);
    }

    function seat(uint8 officeSeed, uint8 personSeed) external {
        Office office = Office(officeSeed % ALL_OFFICES);
        bytes32 p = person(personSeed % (POOL + 1));
        bytes memory expected;
        if (p == bytes32(0)) {
            expected = abi.encodeWithSelector(IJurisdiction.ZeroPerson.selector);
        } else if (_model[uint256(office)] != bytes32(0)) {
            // R-TC-3: an occupied office must be vacated first.
            expected = abi.encodeWithSelector(IJurisdiction.OfficeOccupied.selector, office, _model[uint256(office)]);
        } else {
            (bool held, uint256 heldOffice) = _modelOfficeOf(p);
            // R-OF-1: one person, one office.
            if (held) expected = abi.encodeWithSelector(IJurisdiction.AlreadyInOffice.selector, p, Office(heldOffice));
        }
        try j.seat(office, p) {
            if (expected.length != 0) mismatch = "seat succeeded, model expected a revert";
            _model[uint256(office)] = p;
            ++seats;
        } catch (bytes memory err) {
            if (keccak256(err) != keccak256(expected)) mismatch = "seat reverted with an unexpected error";
        }
    }

    function vacate(uint8 officeSeed, bytes32 reason) external {
        Office office = Office(officeSeed % ALL_OFFICES);
        bytes memory expected;
        // R-TC-3: only a held office can be vacated.
        if (_model[uint256(office)] == bytes32(0)) {
            expected = abi.encodeWithSelector(IJurisdiction.OfficeVacant.selector, office);
        }
        try j.vacate(office, reason) {
            if (expected.length != 0) mismatch = "vacate succeeded, model expected a revert";
            delete _model[uint256(office)];
            ++vacates;
        } catch (bytes memory err) {
            if (keccak256(err) != keccak256(expected)) mismatch = "vacate reverted with an unexpected error";
        }
    }
}

contract JurisdictionOfficesInvariantTest is ZhiliTest {
    address internal constant ADMIN = address(0xA11CE);
    Jurisdiction internal j;
    SeatVacateHandler internal handler;

    function setUp() public {
        j = new Jurisdiction(
            ADMIN, new WorkCalendar(address(this)), "330110-001", "Testtown", townshipParams(160), townshipWeights()
        );
        handler = new SeatVacateHandler(j);
        bytes32 role = j.OFFICE_WRITER();
        vm.prank(ADMIN);
        j.grantRole(role, address(handler));
        targetContract(address(handler));
    }

    /// R-OF-1: every seated person holds exactly one office, and officeOf is the inverse of holders.
    function invariant_holdersAndOfficeOfConsistent() public view {
        bytes32[ALL_OFFICES] memory h = j.holders();
        for (uint256 o = 0; o < ALL_OFFICES; ++o) {
            vm.assertEq(j.holder(Office(o)), h[o], "holder() agrees with holders()");
            if (h[o] == bytes32(0)) continue;
            (bool seated, Office office) = j.officeOf(h[o]);
            vm.assertTrue(seated, "holder is seated in officeOf");
            vm.assertEq(uint256(office), o, "officeOf(holders[o]) == o");
            for (uint256 k = o + 1; k < ALL_OFFICES; ++k) {
                vm.assertTrue(h[k] != h[o], "a person holds two offices");
            }
        }
        // Inverse direction, over every id the handler can use (including zero).
        for (uint256 i = 0; i <= 8; ++i) {
            bytes32 p = handler.person(i);
            (bool seated, Office office) = j.officeOf(p);
            vm.assertTrue(j.isSeated(p) == seated, "isSeated(p) == officeOf(p).seated");
            if (seated) {
                vm.assertEq(h[uint256(office)], p, "holders[officeOf(p)] == p");
            } else {
                for (uint256 o = 0; o < ALL_OFFICES; ++o) {
                    vm.assertTrue(h[o] != p || p == bytes32(0), "unseated person appears in holders");
                }
            }
        }
    }

    /// R-TC-3 / R-OF-1: the registry matches the reference model after every call, and every
    /// seat/vacate reverted (or not) exactly as the model predicted.
    function invariant_matchesModel() public view {
        vm.assertEq(handler.mismatch(), "", "registry diverged from the model");
        bytes32[ALL_OFFICES] memory h = j.holders();
        bytes32[ALL_OFFICES] memory m = handler.model();
        for (uint256 o = 0; o < ALL_OFFICES; ++o) {
            vm.assertEq(h[o], m[o], "holders() == model");
        }
        (bool zeroSeated,) = j.officeOf(bytes32(0));
        vm.assertFalse(zeroSeated, "zero id never seated");
    }
}
