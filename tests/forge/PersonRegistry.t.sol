// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {PersonRegistry} from "../../contracts/registry/PersonRegistry.sol";
import {IPersonRegistry} from "../../contracts/interfaces/IPersonRegistry.sol";
import {ZhiliTest} from "./utils/ZhiliTest.sol";

/// @notice Issue 17, stable identity: under random ids, keys and identity commitments, an identity once
/// bound to an id is never bound to another (IdentityInUse, R-MR-1), and once its person is blacklisted,
/// never again under any id (IdentityBlacklisted, R-MR-9); the binding survives key rotation.
contract PersonRegistryIdentityTest is ZhiliTest {
    PersonRegistry public persons; // `persons()`: this test blacklists as a RECORD_WRITER bound to the registry

    function setUp() public {
        persons = new PersonRegistry(address(this));
        persons.grantRole(persons.REGISTRAR(), address(this));
        persons.grantRole(persons.RECORD_WRITER(), address(this));
    }

    function _key(uint256 seed) internal pure returns (address) {
        return address(uint160(bound(seed, 1, type(uint160).max)));
    }

    function testFuzz_anIdentityNeverGetsASecondId(
        bytes32 first,
        bytes32 second,
        bytes32 identity,
        uint256 k1,
        uint256 k2,
        bool blacklisted
    ) public {
        vm.assume(first != bytes32(0) && second != bytes32(0) && first != second && identity != bytes32(0));
        address key1 = _key(k1);
        address key2 = _key(k2);
        vm.assume(key1 != key2);
        persons.register(first, key1, identity);
        vm.assertEq(persons.identityOf(first), identity, "identityOf");
        vm.assertEq(persons.personOfIdentity(identity), first, "personOfIdentity");
        if (blacklisted) {
            persons.blacklist(first, keccak256("finding"));
            vm.expectRevert(abi.encodeWithSelector(IPersonRegistry.IdentityBlacklisted.selector, identity, first));
        } else {
            vm.expectRevert(abi.encodeWithSelector(IPersonRegistry.IdentityInUse.selector, identity, first));
        }
        persons.register(second, key2, identity);
        vm.assertFalse(persons.isRegistered(second), "second id registered");
        vm.assertEq(persons.personCount(), 1, "personCount");
    }

    function testFuzz_theBindingSurvivesKeyRotation(bytes32 id, bytes32 identity, uint256 k1, uint256 k2) public {
        vm.assume(id != bytes32(0) && identity != bytes32(0));
        address key1 = _key(k1);
        address key2 = _key(k2);
        vm.assume(key1 != key2);
        persons.register(id, key1, identity);
        vm.prank(key1);
        persons.rotateKey(id, key2);
        vm.assertEq(persons.identityOf(id), identity, "identity after rotation");
        vm.expectRevert(abi.encodeWithSelector(IPersonRegistry.IdentityInUse.selector, identity, id));
        persons.register(keccak256(abi.encode(id)), key1, identity);
    }

    function test_aZeroIdentityIsRefused() public {
        vm.expectRevert(IPersonRegistry.ZeroValue.selector);
        persons.register(keccak256("id"), address(0x1234), bytes32(0));
        vm.assertEq(persons.personCount(), 0, "personCount");
    }
}
