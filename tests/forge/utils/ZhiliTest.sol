// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice The forge cheatcodes zhili's tests use, and nothing else. The official forge-std is a git
/// dependency that cannot be fetched offline, and the npm package `forge-std` 1.1.2 is unusable
/// (its Test.sol imports "ds-test/test.sol", which the package does not ship).
/// Signatures match forge's cheatcode interface (HEVM_ADDRESS below).
interface Vm {
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertSelector) external;
    function assume(bool condition) external pure;
    function label(address account, string calldata newLabel) external;
    function assertTrue(bool condition, string calldata error) external pure;
    function assertFalse(bool condition, string calldata error) external pure;
    function assertEq(uint256 left, uint256 right, string calldata error) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata error) external pure;
    function assertEq(address left, address right, string calldata error) external pure;
    function assertEq(string calldata left, string calldata right, string calldata error) external pure;
}

/// @notice Minimal test base: the cheatcode handle, `bound`, and the invariant target hook.
/// Assertions are forge's own assert cheatcodes (they revert on failure, so no `failed()` flag).
abstract contract ZhiliTest {
    /// @dev address(uint160(uint256(keccak256("hevm cheat code"))))
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev Marks the contract as a test contract (forge and ds-test convention).
    bool public IS_TEST = true;

    address[] private _targetContracts;

    /// @notice Map `x` into [min, max] without discarding fuzz inputs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min + 1;
        if (size == 0) return x; // full uint256 range
        return min + (x % size);
    }

    /// @notice Restrict invariant fuzzing to `target` (forge reads `targetContracts()`).
    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }
}
