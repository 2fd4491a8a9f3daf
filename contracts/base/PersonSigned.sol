// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title EIP-712 signatures of registered persons
/// @notice One check, "this digest is signed by the current key of person X in the PersonRegistry",
/// with one error. Each contract keeps its own EIP-712 domain and typehashes (clients sign them).
/// @dev Two signature encodings are accepted, both checked by the same rule: EIP-2098 compact
/// `(r, vs)` (EvidenceLedger, Handover: the signature is kept in an event for re-verification) and the
/// 65-byte `r ‖ s ‖ v` (CouncilMinutes). `ECDSA.tryRecover` refuses malleable (high-s) signatures.
/// No storage of its own beyond OpenZeppelin's `EIP712` fallback strings.
abstract contract PersonSigned is EIP712 {
    /// @notice The province's person registry (signers' current keys).
    IPersonRegistry public immutable persons;

    /// @notice The signature was not made by the person's current key (or the person has no key).
    /// @custom:rule none
    error PersonSignatureInvalid(bytes32 person, address key, address recovered);

    /// @param name EIP-712 domain name
    /// @param version EIP-712 domain version
    /// @param persons_ the person registry
    constructor(string memory name, string memory version, IPersonRegistry persons_) EIP712(name, version) {
        persons = persons_;
    }

    /// @dev Reverts unless `digest` is signed (EIP-2098 compact) by the current key of `person`.
    function _checkPersonSigned(bytes32 person, bytes32 digest, bytes32 r, bytes32 vs) internal view {
        _checkSignedBy(person, persons.keyOf(person), digest, r, vs);
    }

    /// @dev Reverts unless `digest` is signed (65-byte `r ‖ s ‖ v`) by the current key of `person`.
    function _checkPersonSigned(bytes32 person, bytes32 digest, bytes memory signature) internal view {
        (address recovered, ECDSA.RecoverError err, bytes32 errArg) = ECDSA.tryRecover(digest, signature);
        _checkRecovered(person, persons.keyOf(person), recovered, err, errArg);
    }

    /// @dev As `_checkPersonSigned`, for a caller that already read `key`, the person's current key.
    function _checkSignedBy(bytes32 person, address key, bytes32 digest, bytes32 r, bytes32 vs) internal pure {
        (address recovered, ECDSA.RecoverError err, bytes32 errArg) = ECDSA.tryRecover(digest, r, vs);
        _checkRecovered(person, key, recovered, err, errArg);
    }

    function _checkRecovered(bytes32 person, address key, address recovered, ECDSA.RecoverError err, bytes32 errArg)
        private
        pure
    {
        if (err != ECDSA.RecoverError.NoError || errArg != 0 || recovered != key || key == address(0)) {
            revert PersonSignatureInvalid(person, key, recovered);
        }
    }
}
