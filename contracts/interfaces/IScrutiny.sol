// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title The surface of `Scrutiny`: the scrutineers' poll keys and the sealed count (R-EL-13)
interface IScrutiny {
    /// @notice A panel's progress.
    enum Phase {
        None,
        Dealing, // named; members deal until dealBy, complain until complainBy, answer until answerBy
        Keyed, // the poll key is fixed; ballots may be sealed to it
        Failed, // fewer than `threshold` members dealt honestly: the round cannot open with this panel
        Opened // `threshold` shares published after the close: the poll secret is public, anyone counts
    }

    /// @notice A panel as stored: its members (PersonRegistry ids, member `j` evaluates at `j + 1`),
    /// threshold, deadlines, the dealers that qualified and the poll key once fixed.
    struct Panel {
        Phase phase;
        uint8 threshold;
        uint64 dealBy;
        uint64 complainBy;
        uint64 answerBy;
        uint16 qualified; // bit j: member j dealt and has no unanswered complaint
        uint16 published; // bit j: member j published a verified key share after the close
        uint256[2] key; // the poll key, the sum of the qualified dealers' constant-term commitments
        uint256 secret; // the poll secret, once `threshold` shares are published
    }

    /// @notice A ballot sealed to a poll key (hashed ElGamal on alt_bn128): the ephemeral point
    /// `R = r·G` and the candidate mask XORed with `keccak256(abi.encode(S.x, S.y, box, round, credential))`,
    /// where `S = r·key`. Its commitment in the ballot box is `keccak256(abi.encode(rx, ry, masked))`.
    struct Ciphertext {
        uint256 rx;
        uint256 ry;
        uint256 masked;
    }

    /// @notice A member's encryption key (alt_bn128 point) for the shares dealt to it.
    event EncryptionKeySet(bytes32 indexed person, uint256[2] point);
    /// @notice The election authority named a panel for a round of a ballot box.
    event PanelNamed(
        address indexed box,
        uint256 indexed round,
        bytes32[] members,
        uint8 threshold,
        uint64 dealBy,
        uint64 complainBy,
        uint64 answerBy
    );
    /// @notice A member dealt: its Feldman commitments (`threshold` points), the ephemeral point of its
    /// share encryption and one encrypted share per member.
    event SharesDealt(
        address indexed box,
        uint256 indexed round,
        uint8 dealer,
        uint256[2][] commitments,
        uint256[2] ephemeral,
        uint256[] encryptedShares
    );
    /// @notice A member complained that the share `dealer` dealt to it does not match the commitments.
    event Complained(address indexed box, uint256 indexed round, uint8 accuser, uint8 dealer);
    /// @notice A dealer answered a complaint by publishing the share in the clear (verified on chain).
    event ComplaintAnswered(address indexed box, uint256 indexed round, uint8 dealer, uint8 accuser, uint256 share);
    /// @notice The poll key is fixed from the qualified dealers (bit j of `qualified` for member j).
    event KeyFixed(address indexed box, uint256 indexed round, uint16 qualified, uint256[2] key);
    /// @notice Fewer than `threshold` members qualified: this panel cannot seal the round.
    event PanelFailed(address indexed box, uint256 indexed round, uint16 qualified, uint8 threshold);
    /// @notice A member published its key share after the close (verified against the commitments).
    event SharePublished(address indexed box, uint256 indexed round, uint8 member, uint256 share);
    /// @notice `threshold` shares were published: the poll secret (checked against the key) is public.
    event SecretRevealed(address indexed box, uint256 indexed round, uint256 secret);
    /// @notice A sealed ballot was decrypted and counted (`valid` false: counted as invalid, 废票).
    event BallotCounted(
        address indexed box, uint256 indexed round, address indexed credential, uint256 mask, bool valid
    );

    /// @notice The caller is not the registered key of the panel member (or person) it acts for.
    /// @custom:rule R-EL-13
    error NotMember(address caller, bytes32 person);
    /// @notice A member is repeated, unregistered, blacklisted or has no encryption key.
    /// @custom:rule R-EL-13
    error PanelRefused(uint256 members, uint256 threshold, bytes32 person);
    /// @notice The panel's size or threshold is not the profile's (`Jurisdiction.params()`: `scrutineers`,
    /// `scrutinyThreshold`, 5 and 3): the authority cannot name a smaller panel, or one fewer of whom open it.
    /// @custom:rule R-EL-13
    error PanelNotProfile(uint256 members, uint256 threshold, uint8 profileMembers, uint8 profileThreshold);
    /// @notice The upper committee names a panel only once the round is overdue (its opening deadline).
    /// @custom:rule R-EL-13
    error PanelNotOverdue(address box, uint256 round, uint64 openDeadline);
    /// @notice A panel for this round exists and has not failed.
    /// @custom:rule R-EL-13
    error PanelExists(address box, uint256 round, Phase phase);
    /// @notice The round is not waiting to be opened, or the box does not use this contract.
    /// @custom:rule R-EL-13
    error RoundNotSealable(address box, uint256 round);
    /// @notice The panel is not in the phase this step needs.
    /// @custom:rule R-EL-13
    error WrongPhase(address box, uint256 round, Phase phase, Phase needed);
    /// @notice The step's window has not started or has ended: `from` ≤ now < `until` is needed.
    /// @custom:rule R-EL-13
    error OutsideWindow(uint256 now_, uint64 from, uint64 until);
    /// @notice The dealer dealt already.
    /// @custom:rule R-EL-13
    error AlreadyDealt(uint8 dealer);
    /// @notice A point is not on alt_bn128 (or is the point at infinity where a key is needed).
    /// @custom:rule R-EL-13
    error NotOnCurve(uint256 x, uint256 y);
    /// @notice The deal's shape is wrong: `threshold` commitments and one encrypted share per member.
    /// @custom:rule R-EL-13
    error DealShape(uint256 commitments, uint256 shares);
    /// @notice The re-supplied commitments are not those the dealer dealt.
    /// @custom:rule R-EL-13
    error CommitmentsMismatch(uint8 dealer);
    /// @notice The share does not match the commitments (`share·G ≠ Σ (j+1)^k C_k`).
    /// @custom:rule R-EL-13
    error ShareMismatch(uint8 dealer, uint8 member);
    /// @notice There is no open complaint of this accuser against this dealer (or it was answered).
    /// @custom:rule R-EL-13
    error NoComplaint(uint8 accuser, uint8 dealer);
    /// @notice The round's casting has not closed: shares are published only after the close.
    /// @custom:rule R-EL-13
    error PollNotClosed(address box, uint256 round, uint64 closesAt);
    /// @notice The member published its share already.
    /// @custom:rule R-EL-13
    error AlreadyPublished(uint8 member);
    /// @notice The batch list or a ciphertext does not match what the box committed.
    /// @custom:rule R-EL-13
    error CiphertextMismatch(uint256 round, uint256 batch, uint256 position);

    /// @notice The election authority's jurisdiction this contract serves checks the roles; member keys
    /// are the PersonRegistry's.
    function persons() external view returns (address);

    /// @notice Set the caller's encryption key for shares dealt to it (a person acts with its registered key).
    /// @param person the caller's PersonRegistry id
    /// @param point an alt_bn128 point `d·G` whose scalar `d` only the person's device holds
    function setEncryptionKey(bytes32 person, uint256[2] calldata point) external;

    /// @notice Name the scrutineers of a round (election authority; the upper committee once the round is
    /// overdue) before it is opened; the distributed key generation runs in three windows of the profile's
    /// `minRegisterSeconds` each. A failed panel may be replaced.
    /// @param box the ballot box (it must use this contract)
    /// @param round the round, waiting to be opened
    /// @param members the scrutineers' PersonRegistry ids (member `j` evaluates at `j + 1`; the profile's number of them)
    /// @param threshold shares needed to open the poll (both as the profile fixes them: `panelRule()`)
    function namePanel(address box, uint256 round, bytes32[] calldata members, uint8 threshold) external;

    /// @notice Deal (Joint-Feldman, Pedersen 1991): commitments `C_k = a_k·G` of a random polynomial of degree
    /// `threshold − 1`, and `f(j+1)` for each member `j`, encrypted to its key.
    /// @param box the ballot box
    /// @param round the round
    /// @param dealer the caller's member index
    /// @param commitments `threshold` points, `C_0` first
    /// @param ephemeral `e·G`, the encryption's ephemeral point
    /// @param encryptedShares for each member `j`: `f(j+1) XOR keccak256(abi.encode(S.x, S.y, box, round, dealer, j))`
    /// with `S = e·(member j's key)`
    function deal(
        address box,
        uint256 round,
        uint8 dealer,
        uint256[2][] calldata commitments,
        uint256[2] calldata ephemeral,
        uint256[] calldata encryptedShares
    ) external;

    /// @notice Complain (in the complaint window) that the dealer's share to the caller does not verify.
    /// @param box the ballot box
    /// @param round the round
    /// @param accuser the caller's member index
    /// @param dealer the dealer complained of
    function complain(address box, uint256 round, uint8 accuser, uint8 dealer) external;

    /// @notice Answer a complaint (dealer, in the answer window) by publishing the share in the clear.
    /// @param box the ballot box
    /// @param round the round
    /// @param dealer the caller's member index
    /// @param accuser the complaining member
    /// @param share `f(accuser + 1)`
    /// @param commitments the dealer's commitments, as dealt
    function answer(
        address box,
        uint256 round,
        uint8 dealer,
        uint8 accuser,
        uint256 share,
        uint256[2][] calldata commitments
    ) external;

    /// @notice Fix the poll key after the answer window (anyone): the qualified dealers are those that dealt
    /// and have no unanswered complaint; fewer than `threshold` fails the panel.
    /// @param box the ballot box
    /// @param round the round
    /// @param commitments every member's commitments as dealt (empty for a member that did not deal)
    function fixKey(address box, uint256 round, uint256[2][][] calldata commitments) external;

    /// @notice Publish the caller's key share after the round's casting closed; the `threshold`-th verified
    /// share reveals the poll secret (Lagrange interpolation at 0, checked against the key).
    /// @param box the ballot box
    /// @param round the round
    /// @param member the caller's member index
    /// @param share `Σ_i f_i(member + 1)` over the qualified dealers
    function publishShare(address box, uint256 round, uint8 member, uint256 share) external;

    /// @notice Decrypt and count one committed batch, every ballot of it (anyone, once the secret is public).
    /// @param box the ballot box
    /// @param round the round
    /// @param batch the batch index
    /// @param credentials the batch's credentials in order, as in its `BallotCommitted` events
    /// @param ciphertexts the batch's ciphertexts in the same order, as in its `BallotSealed` events
    function count(
        address box,
        uint256 round,
        uint256 batch,
        address[] calldata credentials,
        Ciphertext[] calldata ciphertexts
    ) external;

    /// @notice Whether the round's poll key is fixed (the box opens a round only then).
    function keyFixed(address box, uint256 round) external view returns (bool);

    /// @notice The profile's panel: every panel has `panelSize` scrutineers, `panelThreshold` of whom open a poll
    /// (`Jurisdiction.params()`, fixed at deployment; the jurisdiction's constructor checks the rule).
    function panelRule() external view returns (uint8 panelSize, uint8 panelThreshold);

    /// @notice A round's panel.
    function panel(address box, uint256 round) external view returns (Panel memory);

    /// @notice A round's panel members.
    function members(address box, uint256 round) external view returns (bytes32[] memory);

    /// @notice A member's encryption key (zero if none).
    function encryptionKey(bytes32 person) external view returns (uint256[2] memory);
}
