// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title Writer roles that only contracts bound to this one may hold (R-EL-11, issue 17)
/// @notice A *writer* role lets its holder change what the rules decide: seat and vacate offices
/// (`OFFICE_WRITER`), move the order of succession (`SUCCESSION_WRITER`), run polls in an election's
/// ballot box (`POLL_CLIENT`), record terms and the blacklist (`RECORD_WRITER`), write merit entries
/// (`LEDGER_WRITER`). Such a role is meant for the zhili contracts that own the rules deciding those
/// changes, never for a person. Granting one (by the admin, or in a constructor) is refused unless the
/// account has code and names this contract through its binding getter (`jurisdiction()` for the
/// jurisdiction, `persons()` for the person registry, `book()` for the merit book): the admin can no
/// longer take a writer role itself or give it to any other key. Which contract it may grant the role
/// to is then the admin's only choice, and that choice is public (`RoleGranted`) and, after
/// deployment, delayed and shared between two bodies (the deployment plan's timelock).
/// @dev The one definition of the check: `Jurisdiction`, `PersonRegistry` and `MeritBook` inherit it
/// and say which of their roles are writer roles (`_isWriterRole`) and which getter binds a writer
/// (`_writerBinding`). Roles held by people or bodies are granted as before. No storage.
abstract contract WriterAccess is AccessControl {
    /// @notice A writer role was granted to an account without code (a key, not a zhili contract).
    /// @custom:rule R-EL-11
    error WriterNotContract(bytes32 role, address account);

    /// @notice A writer role was granted to a contract that does not name this contract through its
    /// binding getter (`boundTo` is what it names; zero when it has no such getter).
    /// @custom:rule R-EL-11
    error WriterNotBound(bytes32 role, address account, address boundTo);

    /// @dev Whether `role` is one of this contract's writer roles.
    function _isWriterRole(bytes32 role) internal pure virtual returns (bool);

    /// @dev The selector of the getter (no arguments, returning an address) a writer must answer with
    /// `address(this)`.
    function _writerBinding() internal pure virtual returns (bytes4);

    /// @dev Refuses a writer role to an account that is not a contract bound to this one; any other
    /// role is granted as OpenZeppelin grants it.
    function _grantRole(bytes32 role, address account) internal virtual override returns (bool) {
        if (_isWriterRole(role)) _checkWriter(role, account);
        return super._grantRole(role, account);
    }

    /// @dev Reverts with `WriterNotContract` or `WriterNotBound` unless `account` has code and its
    /// binding getter returns this contract. A contract without the getter (or one that reverts, or
    /// answers with something that is not an address) is refused with `boundTo` zero.
    function _checkWriter(bytes32 role, address account) internal view {
        if (account.code.length == 0) revert WriterNotContract(role, account);
        (bool ok, bytes memory ret) = account.staticcall(abi.encodeWithSelector(_writerBinding()));
        address boundTo = address(0);
        if (ok && ret.length == 32) {
            uint256 word = abi.decode(ret, (uint256));
            if (word >> 160 == 0) boundTo = address(uint160(word));
        }
        if (boundTo != address(this)) revert WriterNotBound(role, account, boundTo);
    }
}
