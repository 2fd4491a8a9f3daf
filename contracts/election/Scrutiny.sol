// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IBallotBox} from "../interfaces/IBallotBox.sol";
import {IScrutiny} from "../interfaces/IScrutiny.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Roles} from "../lib/Roles.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Scrutineers: a poll key nobody holds, opened only by a threshold of them after the close (R-EL-13)
/// @notice The election authority names a panel of scrutineers (总监票人/监票人, PersonRegistry ids acting with
/// their registered keys) for each round before it opens. They run a distributed key generation on chain:
/// Joint-Feldman (Pedersen, "A threshold cryptosystem without a trusted party", EUROCRYPT 1991) with the
/// complaint-and-answer step of Gennaro, Jarecki, Krawczyk and Rabin ("Secure distributed key generation for
/// discrete-log based cryptosystems", J. Cryptology 20, 2007, Fig. 2 steps 1–3). Each member deals a random
/// polynomial of degree `threshold − 1`: Feldman commitments in the clear, one share per member encrypted to that
/// member's key; a member whose share does not verify complains, the dealer must answer with the share in the
/// clear (verified here), and a dealer that does not is disqualified. The poll key is the sum of the qualified
/// dealers' constant-term commitments; its secret exists only as shares. Voters seal ballots to it (hashed
/// ElGamal on alt_bn128). After the round's casting closes, each member publishes its key share, verified against
/// the commitments; the `threshold`-th reveals the poll secret by Lagrange interpolation (checked against the key).
/// Then anyone counts each committed batch whole, on chain: every ballot is decrypted and counted, a ballot that
/// breaks the rules as invalid (废票); nobody chooses which ballots are opened.
/// @dev Curve arithmetic uses the EIP-196 precompiles (ecAdd 0x06, ecMul 0x07, EIP-1108 prices) and OpenZeppelin's
/// `Math.invModPrime` (modexp 0x05). The Python side (`zhili.election.scrutiny`) implements the same protocol with
/// py_ecc, an independent implementation of the curve, and the tests cross-check the two. Known limits, stated in
/// docs/election.md: Joint-Feldman lets a rushing dealer bias the key's distribution (GJKR 2007 §3), which does not
/// weaken ElGamal encryption under it (GJKR, "Secure applications of Pedersen's DKG", ACNS 2003); `threshold`
/// colluding members can decrypt before the close; the published secret makes every ballot readable afterwards,
/// each linked to its anonymous credential only.
contract Scrutiny is JurisdictionBound, IScrutiny {
    uint256 private constant P = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    uint256 private constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant MAX_MEMBERS = 16;

    /// @dev What decrypting a round's ballots needs (kept in memory against stack depth).
    struct Opener {
        uint256 secret;
        address box;
        uint256 round;
        uint256 candidates;
        uint256 maxNames;
    }

    IPersonRegistry private immutable _persons;
    uint32 private immutable _phase;
    uint8 private immutable _size;
    uint8 private immutable _threshold;

    mapping(bytes32 person => uint256[2]) private _encKey;
    mapping(bytes32 poll => Panel) private _panels;
    mapping(bytes32 poll => bytes32[]) private _members;
    mapping(bytes32 poll => bytes32[]) private _dealt; // keccak256(abi.encode(commitments)) per member, 0: none
    mapping(bytes32 poll => uint256[2][]) private _constant; // C_0 per member
    mapping(bytes32 poll => uint256) private _complaints; // bit 16·dealer + accuser: open complaint
    mapping(bytes32 poll => uint256[2][]) private _aggregate; // A_k = Σ_{qualified i} C_ik
    mapping(bytes32 poll => uint256[]) private _shares; // published key share per member
    mapping(bytes32 poll => mapping(uint256 batch => bool)) private _counted;

    /// @param jurisdiction_ the jurisdiction whose ELECTION_AUTHORITY names panels; its profile's
    /// `minRegisterSeconds` is the length of each of the three key-generation windows
    /// @param persons_ the person registry (members' keys)
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_) JurisdictionBound(jurisdiction_) {
        _persons = persons_;
        IJurisdiction.Params memory p = jurisdiction_.params();
        _phase = p.minRegisterSeconds;
        (_size, _threshold) = (p.scrutineers, p.scrutinyThreshold);
    }

    function panelRule() external view returns (uint8 panelSize, uint8 panelThreshold) {
        return (_size, _threshold);
    }

    function persons() external view returns (address) {
        return address(_persons);
    }

    function setEncryptionKey(bytes32 person, uint256[2] calldata point) external {
        _checkPerson(person);
        _checkPoint(point[0], point[1], false);
        _encKey[person] = point;
        emit EncryptionKeySet(person, point);
    }

    /// @inheritdoc IScrutiny
    function namePanel(address box, uint256 round, bytes32[] calldata members_, uint8 threshold) external {
        if (!_hasRole(Roles.ELECTION_AUTHORITY)) {
            _checkRole(Roles.UPPER_COMMITTEE);
            uint64 due = IBallotBox(box).openDeadline(round);
            if (block.timestamp < due) revert PanelNotOverdue(box, round, due);
        }
        if (
            IBallotBox(box).scrutiny() != address(this)
                || IBallotBox(box).getRound(round).status != IBallotBox.Status.Created
        ) revert RoundNotSealable(box, round);
        bytes32 id = _id(box, round);
        Panel storage p = _panels[id];
        if (p.phase != Phase.None && p.phase != Phase.Failed) revert PanelExists(box, round, p.phase);
        uint256 n = members_.length;
        if (n != _size || threshold != _threshold) revert PanelNotProfile(n, threshold, _size, _threshold);
        for (uint256 j = 0; j < n; ++j) {
            bytes32 m = members_[j];
            if (!_persons.isRegistered(m) || _persons.isBlacklisted(m) || _encKey[m][0] == 0) {
                revert PanelRefused(n, threshold, m);
            }
            for (uint256 k = 0; k < j; ++k) {
                if (members_[k] == m) revert PanelRefused(n, threshold, m);
            }
        }
        uint64 dealBy = uint64(block.timestamp) + _phase;
        delete _panels[id];
        p.phase = Phase.Dealing;
        p.threshold = threshold;
        p.dealBy = dealBy;
        p.complainBy = dealBy + _phase;
        p.answerBy = dealBy + 2 * _phase;
        _members[id] = members_;
        _dealt[id] = new bytes32[](n);
        _constant[id] = new uint256[2][](n);
        _complaints[id] = 0;
        emit PanelNamed(box, round, members_, threshold, dealBy, p.complainBy, p.answerBy);
    }

    function deal(
        address box,
        uint256 round,
        uint8 dealer,
        uint256[2][] calldata commitments,
        uint256[2] calldata ephemeral,
        uint256[] calldata encryptedShares
    ) external {
        bytes32 id = _id(box, round);
        _checkMember(id, dealer);
        Panel storage p = _phaseOf(id, box, round, Phase.Dealing);
        _window(0, p.dealBy);
        if (_dealt[id][dealer] != 0) revert AlreadyDealt(dealer);
        if (commitments.length != p.threshold || encryptedShares.length != _members[id].length) {
            revert DealShape(commitments.length, encryptedShares.length);
        }
        for (uint256 k = 0; k < commitments.length; ++k) {
            _checkPoint(commitments[k][0], commitments[k][1], k != 0);
        }
        _checkPoint(ephemeral[0], ephemeral[1], false);
        _dealt[id][dealer] = keccak256(abi.encode(commitments));
        _constant[id][dealer] = commitments[0];
        emit SharesDealt(box, round, dealer, commitments, ephemeral, encryptedShares);
    }

    function complain(address box, uint256 round, uint8 accuser, uint8 dealer) external {
        bytes32 id = _id(box, round);
        _checkMember(id, accuser);
        Panel storage p = _phaseOf(id, box, round, Phase.Dealing);
        _window(p.dealBy, p.complainBy);
        if (dealer >= _members[id].length || _dealt[id][dealer] == 0 || dealer == accuser) {
            revert NoComplaint(accuser, dealer);
        }
        _complaints[id] |= 1 << (16 * uint256(dealer) + accuser);
        emit Complained(box, round, accuser, dealer);
    }

    function answer(
        address box,
        uint256 round,
        uint8 dealer,
        uint8 accuser,
        uint256 share,
        uint256[2][] calldata commitments
    ) external {
        bytes32 id = _id(box, round);
        _checkMember(id, dealer);
        Panel storage p = _phaseOf(id, box, round, Phase.Dealing);
        _window(p.complainBy, p.answerBy);
        uint256 bit = 1 << (16 * uint256(dealer) + accuser);
        if (accuser >= MAX_MEMBERS || _complaints[id] & bit == 0) revert NoComplaint(accuser, dealer);
        if (keccak256(abi.encode(commitments)) != _dealt[id][dealer]) revert CommitmentsMismatch(dealer);
        if (!_pointEq(_mul(1, 2, share), _evaluate(commitments, accuser))) revert ShareMismatch(dealer, accuser);
        _complaints[id] &= ~bit;
        emit ComplaintAnswered(box, round, dealer, accuser, share);
    }

    function fixKey(address box, uint256 round, uint256[2][][] calldata commitments) external {
        bytes32 id = _id(box, round);
        Panel storage p = _phaseOf(id, box, round, Phase.Dealing);
        _window(p.answerBy, type(uint64).max);
        uint256 n = _members[id].length;
        uint256 t = p.threshold;
        uint256 open = _complaints[id];
        uint16 qualified = 0;
        uint256 count_ = 0;
        uint256[2][] storage agg = _aggregate[id];
        for (uint256 k = 0; k < t; ++k) {
            agg.push([uint256(0), uint256(0)]);
        }
        for (uint256 i = 0; i < n; ++i) {
            if (_dealt[id][i] == 0 || (open >> (16 * i)) & 0xffff != 0) continue;
            if (keccak256(abi.encode(commitments[i])) != _dealt[id][i]) revert CommitmentsMismatch(uint8(i));
            qualified |= uint16(1 << i);
            ++count_;
            for (uint256 k = 0; k < t; ++k) {
                agg[k] = _add(agg[k], commitments[i][k]);
            }
        }
        p.qualified = qualified;
        if (count_ < t) {
            p.phase = Phase.Failed;
            delete _aggregate[id];
            emit PanelFailed(box, round, qualified, p.threshold);
            return;
        }
        p.phase = Phase.Keyed;
        p.key = agg[0];
        _shares[id] = new uint256[](n);
        emit KeyFixed(box, round, qualified, agg[0]);
    }

    function publishShare(address box, uint256 round, uint8 member, uint256 share) external {
        bytes32 id = _id(box, round);
        _checkMember(id, member);
        Panel storage p = _phaseOf(id, box, round, Phase.Keyed);
        IBallotBox.Round memory r = IBallotBox(box).getRound(round);
        if (r.status != IBallotBox.Status.Open || (block.timestamp < r.closesAt && r.committed < r.rollSize)) {
            revert PollNotClosed(box, round, r.closesAt);
        }
        if (p.published & (1 << member) != 0) revert AlreadyPublished(member);
        if (!_pointEq(_mul(1, 2, share), _evaluate(_aggregate[id], member))) {
            revert ShareMismatch(type(uint8).max, member);
        }
        p.published |= uint16(1 << member);
        _shares[id][member] = share;
        emit SharePublished(box, round, member, share);
        if (_popcount(p.published) == p.threshold) {
            uint256 secret = _interpolate(_shares[id], p.published);
            // Verified shares interpolate to the key's scalar; checked anyway, cheaply.
            if (!_pointEq(_mul(1, 2, secret), p.key)) revert ShareMismatch(type(uint8).max, type(uint8).max);
            p.secret = secret;
            p.phase = Phase.Opened;
            emit SecretRevealed(box, round, secret);
        }
    }

    /// @inheritdoc IScrutiny
    /// @dev The box checks the batch was not counted before and adds it (`IBallotBox.countSealed`); the only
    /// external calls are to that box, which must name this contract as its scrutiny and never calls back.
    // slither-disable-next-line reentrancy-events
    function count(
        address box,
        uint256 round,
        uint256 batch,
        address[] calldata credentials,
        Ciphertext[] calldata ciphertexts
    ) external {
        uint256 n = credentials.length;
        if (ciphertexts.length != n) revert CiphertextMismatch(round, batch, n);
        IBallotBox.Round memory r = IBallotBox(box).getRound(round);
        Opener memory o = Opener(
            _phaseOf(_id(box, round), box, round, Phase.Opened).secret, box, round, r.candidateCount, r.maxNames
        );
        bytes memory packed = new bytes(n * 52);
        uint32[] memory votes = new uint32[](r.candidateCount);
        uint32 invalid = 0;
        for (uint256 i = 0; i < n; ++i) {
            if (!_countOne(o, credentials[i], ciphertexts[i], votes)) ++invalid;
            _put(packed, i, credentials[i], keccak256(abi.encode(ciphertexts[i])));
        }
        if (keccak256(packed) != IBallotBox(box).batchHash(round, batch)) revert CiphertextMismatch(round, batch, n);
        IBallotBox(box).countSealed(round, batch, votes, invalid, uint32(n));
    }

    // ------------------------------------------------------------------ views

    function keyFixed(address box, uint256 round) external view returns (bool) {
        Phase phase = _panels[_id(box, round)].phase;
        return phase == Phase.Keyed || phase == Phase.Opened;
    }

    function panel(address box, uint256 round) external view returns (Panel memory) {
        return _panels[_id(box, round)];
    }

    function members(address box, uint256 round) external view returns (bytes32[] memory) {
        return _members[_id(box, round)];
    }

    function encryptionKey(bytes32 person) external view returns (uint256[2] memory) {
        return _encKey[person];
    }

    // ------------------------------------------------------------------ internals

    function _id(address box, uint256 round) private pure returns (bytes32) {
        return keccak256(abi.encode(box, round));
    }

    function _phaseOf(bytes32 id, address box, uint256 round, Phase needed) private view returns (Panel storage p) {
        p = _panels[id];
        if (p.phase != needed) revert WrongPhase(box, round, p.phase, needed);
    }

    function _checkPerson(bytes32 person) private view {
        if (_persons.keyOf(person) != msg.sender || person == 0) revert NotMember(msg.sender, person);
    }

    function _checkMember(bytes32 id, uint8 index) private view {
        bytes32[] storage m = _members[id];
        if (index >= m.length) revert NotMember(msg.sender, 0);
        _checkPerson(m[index]);
    }

    function _window(uint64 from, uint64 until) private view {
        if (block.timestamp < from || block.timestamp >= until) revert OutsideWindow(block.timestamp, from, until);
    }

    /// @dev Decrypt one ballot, add a valid one to `votes` and emit it; invalid (false) if `R` is not a curve
    /// point or the mask names an unknown candidate or too many.
    function _countOne(Opener memory o, address credential, Ciphertext calldata c, uint32[] memory votes)
        private
        returns (bool valid)
    {
        uint256 mask = 0;
        if (_onCurve(c.rx, c.ry) && (c.rx != 0 || c.ry != 0)) {
            uint256[2] memory s = _mul(c.rx, c.ry, o.secret);
            mask = c.masked ^ uint256(keccak256(abi.encode(s[0], s[1], o.box, o.round, credential)));
            valid = (o.candidates >= 256 || mask >> o.candidates == 0) && _popcount(mask) <= o.maxNames;
        }
        if (valid) {
            for (uint256 k = 0; mask >> k != 0; ++k) {
                if ((mask >> k) & 1 == 1) ++votes[k];
            }
        }
        emit BallotCounted(o.box, o.round, credential, mask, valid);
    }

    function _put(bytes memory packed, uint256 i, address cred, bytes32 c) private pure {
        assembly ("memory-safe") {
            let q := add(add(packed, 32), mul(i, 52))
            mstore(q, shl(96, cred))
            mstore(add(q, 20), c)
        }
    }

    /// @dev `Σ_k (x)^k · C_k` at `x = member + 1`: the public image of a share.
    function _evaluate(uint256[2][] memory commitments, uint256 member) private view returns (uint256[2] memory acc) {
        uint256 x = member + 1;
        uint256 power = 1;
        acc = commitments[0];
        for (uint256 k = 1; k < commitments.length; ++k) {
            power = mulmod(power, x, Q);
            acc = _add(acc, _mul(commitments[k][0], commitments[k][1], power));
        }
    }

    /// @dev Lagrange interpolation at 0 over the published members (evaluation points `j + 1`), mod the group order.
    function _interpolate(uint256[] storage shares, uint16 published) private view returns (uint256 secret) {
        for (uint256 j = 0; j < MAX_MEMBERS; ++j) {
            if ((published >> j) & 1 == 0) continue;
            uint256 num = 1;
            uint256 den = 1;
            for (uint256 m = 0; m < MAX_MEMBERS; ++m) {
                if (m == j || (published >> m) & 1 == 0) continue;
                num = mulmod(num, m + 1, Q);
                den = mulmod(den, (m + Q - j) % Q, Q); // (m + 1) − (j + 1)
            }
            uint256 lambda = mulmod(num, Math.invModPrime(den, Q), Q);
            secret = addmod(secret, mulmod(lambda, shares[j], Q), Q);
        }
    }

    function _checkPoint(uint256 x, uint256 y, bool infinityAllowed) private pure {
        bool infinity = x == 0 && y == 0;
        if ((infinity && !infinityAllowed) || !_onCurve(x, y)) revert NotOnCurve(x, y);
    }

    function _onCurve(uint256 x, uint256 y) private pure returns (bool) {
        if (x == 0 && y == 0) return true; // the point at infinity, as the precompiles encode it
        if (x >= P || y >= P) return false;
        return mulmod(y, y, P) == addmod(mulmod(mulmod(x, x, P), x, P), 3, P);
    }

    function _pointEq(uint256[2] memory a, uint256[2] memory b) private pure returns (bool) {
        return a[0] == b[0] && a[1] == b[1];
    }

    function _add(uint256[2] memory a, uint256[2] memory b) private view returns (uint256[2] memory out) {
        uint256[4] memory input = [a[0], a[1], b[0], b[1]];
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x06, input, 0x80, out, 0x40)
        }
        if (!ok) revert NotOnCurve(b[0], b[1]);
    }

    function _mul(uint256 x, uint256 y, uint256 scalar) private view returns (uint256[2] memory out) {
        uint256[3] memory input = [x, y, scalar];
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), 0x07, input, 0x60, out, 0x40)
        }
        if (!ok) revert NotOnCurve(x, y);
    }

    function _popcount(uint256 v) private pure returns (uint256 c) {
        for (; v != 0; v &= v - 1) {
            ++c;
        }
    }
}
