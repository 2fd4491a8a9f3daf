// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ICreditFramework} from "./ICreditFramework.sol";

/// @title A village's credit ledger: roll, manual, criteria lists, contracts, declarations, verification
/// (R-VC-1 … R-VC-6)
/// @notice The surface of `VillageLedger`. Persons are the province's `PersonRegistry` ids; each gets
/// a small village index (`idx`, from 1) the first time the town records them or they sign a contract.
/// Months are indexes from January 1970 (CST): `year * 12 + month - 1`; a quarter is `month / 3`.
/// Points are tenths. Evidence is a fingerprint only (R-VC-11).
interface IVillageLedger {
    /// @notice A criterion of a list (R-VC-2): its points (tenths), the point kinds it applies to
    /// (bits: 1 party duty, 2 representative duty, 4 resident credit), its category (协商议事 … , 0..15)
    /// and the fingerprint of its code and text. Its code is its position in the list, from 1:
    /// positive criteria first.
    struct Criterion {
        uint16 value;
        uint8 kinds;
        uint8 category;
        bytes32 textHash;
    }

    /// @notice A criteria list: its size and number of positive criteria, state (1 proposed,
    /// 2 adopted, 3 rejected), the assembly's tally, the roll it is voted against (registered
    /// representatives when proposed), the block it was proposed in and the first quarter it is in force.
    struct ListInfo {
        uint16 size;
        uint16 positives;
        uint8 state;
        uint16 yes;
        uint16 no;
        uint32 roll;
        uint32 proposedBlock;
        uint32 effectiveFrom;
    }

    /// @notice A person of the village: current key, functions (bits: 1 party member,
    /// 2 representative, 4 credit council, 8 secretary, 16 shop keeper), scoring team (0 none, 1..3),
    /// the block in which the representative function was last given or taken (`since`).
    struct Member {
        address key;
        uint8 roles;
        uint8 team;
        uint32 since;
    }

    /// @notice What a key opens, in one slot (a declaration reads only this): the holder's village
    /// index and the colours they signed for `colourYear` (bit `1 << colour`).
    struct Holder {
        uint32 idx;
        uint16 colourYear;
        uint8 colours;
    }

    /// @notice An opened month: declarations and negative items close at `declareClose`; the list
    /// `version` in force for its quarter (with its positive count and size); the team on duty (1..3);
    /// its first second (00:00 CST of day 1) and its number of days, so a declaration checks its day
    /// against the slot it reads anyway (R-VC-5).
    struct Month {
        uint64 declareClose;
        uint16 version;
        uint16 positives;
        uint16 size;
        uint8 team;
        uint40 start;
        uint8 length;
    }

    /// @notice A declaration or negative item. `status`: 1 pending, 2 accepted, 3 rejected, 4 negative
    /// (recorded by the team). `colours` are the person's contracts for the month's year when written;
    /// `kinds` and `value` what it counted (set when accepted or recorded); `verifier` the idx of
    /// whoever verified or recorded it.
    struct Declaration {
        uint32 idx;
        uint32 month;
        uint16 code;
        uint8 day;
        uint8 colours;
        uint8 status;
        uint8 kinds;
        uint16 value;
        uint32 verifier;
    }

    /// @notice A person's points in one quarter, tenths: rewards and penalties per point kind.
    struct Totals {
        uint32 partyPlus;
        uint32 partyMinus;
        uint32 repPlus;
        uint32 repMinus;
        uint32 creditPlus;
        uint32 creditMinus;
    }

    /// @notice The town set the operation manual (R-VC-1); months opened from now on use it.
    event ManualSet(ICreditFramework.Manual manual);
    /// @notice The village's quarters contract (publication, rulings, grades) was bound, once.
    event QuartersSet(address quarters);
    /// @notice The town recorded `person`'s functions and team (`idx` their village index, `key` their key).
    event MemberSet(bytes32 indexed person, uint32 indexed idx, uint8 roles, uint8 team, address key);
    /// @notice `person`'s key was re-read from the person registry.
    event KeySynced(bytes32 indexed person, uint32 indexed idx, address oldKey, address key);
    /// @notice `person` signed a five-colour contract for `year` (R-VC-3); `duties` fingerprints its text.
    event ContractSigned(
        bytes32 indexed person, uint32 indexed idx, uint16 year, uint8 colour, bytes32 duties, address key
    );
    /// @notice A criteria list was put to the representative assembly (R-VC-2).
    event ListProposed(
        uint16 indexed version, bytes32 indexed proposer, uint16 positives, Criterion[] criteria, uint32 roll
    );
    /// @notice A representative voted on a list; the tally after the vote.
    event ListVoted(uint16 indexed version, bytes32 indexed representative, bool yes, uint16 yesVotes, uint16 noVotes);
    /// @notice The assembly adopted (in force from quarter `effectiveFrom`) or rejected a list (R-VC-2).
    event ListDecided(uint16 indexed version, bool adopted, uint32 effectiveFrom);
    /// @notice Month `month` opened: the list in force for its quarter, the team on duty and the window
    /// (`start` its first second, `length` its number of days).
    event MonthOpened(
        uint32 indexed month,
        uint16 version,
        uint16 positives,
        uint16 size,
        uint8 team,
        uint64 declareClose,
        uint40 start,
        uint8 length
    );
    /// @notice Declaration `id` (`declarationId(idx, month, code, day)`): person `idx` declares positive criterion `code` done on `day` of `month` (R-VC-5).
    event Declared(
        uint256 indexed id, uint32 indexed idx, uint32 month, uint16 code, uint8 day, uint8 colours, bytes32 evidence
    );
    /// @notice Declaration `id` was verified by `verifier` of the team on duty (R-VC-6): if accepted it
    /// added `value` to the rewards of each point kind in `kinds`.
    event Verified(uint256 indexed id, uint32 indexed verifier, bool accepted, uint8 kinds, uint16 value);
    /// @notice Negative item `id` recorded against person `idx` by `recorder` of the team on duty
    /// (R-VC-5): it added `value` to the penalties of each point kind in `kinds`.
    event NegativeRecorded(
        uint256 indexed id,
        uint32 indexed idx,
        uint32 indexed recorder,
        uint32 month,
        uint16 code,
        uint8 day,
        uint8 colours,
        bytes32 evidence,
        uint8 kinds,
        uint16 value
    );
    /// @notice Quarter `quarter` is being published: its points no longer change here (R-VC-7).
    event QuarterFrozen(uint32 indexed quarter);
    /// @notice `person` lost the representative's seat (R-VC-9); their functions are now `roles`.
    event SeatVacated(bytes32 indexed person, uint32 indexed idx, uint8 roles);

    /// @notice The caller's key belongs to nobody in the village (sign a contract or be recorded first).
    /// @custom:rule none
    error NotInVillage(address key);
    /// @notice The key already opens another person's record in the village (sync that person first).
    /// @custom:rule none
    error KeyHeld(address key, uint32 idx);
    /// @notice The person has no village index.
    /// @custom:rule none
    error NotAVillager(bytes32 person);
    /// @notice The caller's person lacks the village function this step needs (bits of `Member.roles`).
    /// @custom:rule none
    error VillageRoleRequired(bytes32 person, uint8 role);
    /// @notice Only the village's bound quarters contract may call this.
    /// @custom:rule none
    error NotQuarters(address caller);
    /// @notice The quarters contract is bound already (once).
    /// @custom:rule none
    error QuartersAlreadySet(address quarters);
    /// @notice A function bit or team number out of range.
    /// @custom:rule none
    error BadMember(uint8 roles, uint8 team);
    /// @notice Two arrays that go together differ in length (or one is empty).
    /// @custom:rule none
    error BatchShape(uint256 a, uint256 b);
    /// @notice No such list.
    /// @custom:rule none
    error UnknownList(uint16 version);
    /// @notice No such declaration.
    /// @custom:rule none
    error UnknownDeclaration(uint256 id);
    /// @notice The month has not begun, or is already open.
    /// @custom:rule none
    error MonthNotOpenable(uint32 month, uint256 start);
    /// @notice The month is not open.
    /// @custom:rule none
    error MonthNotOpen(uint32 month);
    /// @notice No manual has been set by the town.
    /// @custom:rule R-VC-1
    error NoManual();
    /// @notice A criterion's kinds are empty or unknown, or its category is out of range.
    /// @custom:rule R-VC-2
    error CriterionInvalid(uint256 code, uint8 kinds, uint8 category);
    /// @notice A list must have at least one positive criterion and no more than its size.
    /// @custom:rule R-VC-2
    error ListShape(uint256 size, uint256 positives);
    /// @notice The list is not open for votes (adopted or rejected).
    /// @custom:rule R-VC-2
    error ListClosed(uint16 version, uint8 state);
    /// @notice Only representatives registered before the list was proposed vote on it.
    /// @custom:rule R-VC-2
    error NotOnRoll(bytes32 person, uint16 version);
    /// @notice This representative already voted on this list.
    /// @custom:rule R-VC-2
    error AlreadyVoted(bytes32 person, uint16 version);
    /// @notice No adopted list is in force for this quarter.
    /// @custom:rule R-VC-2
    error NoListInForce(uint32 quarter);
    /// @notice The person may not sign a contract of this colour (red: party members, yellow: representatives).
    /// @custom:rule R-VC-3
    error ContractNotAllowed(bytes32 person, uint8 colour, uint8 roles);
    /// @notice The person already signed this colour for this year.
    /// @custom:rule R-VC-3
    error ContractAlreadySigned(bytes32 person, uint16 year, uint8 colour);
    /// @notice A contract is for this year or the next.
    /// @custom:rule R-VC-3
    error ContractYear(uint16 year, uint16 current);
    /// @notice The person holds no signed contract for the year: nothing of theirs counts.
    /// @custom:rule R-VC-3
    error NoContract(bytes32 person, uint16 year);
    /// @notice The month's declaration window is closed (or not yet open).
    /// @custom:rule R-VC-5
    error DeclarationWindowClosed(uint32 month, uint256 time, uint64 declareClose);
    /// @notice The code is not a positive criterion of the list in force (declarations) or not a
    /// negative one (negative items).
    /// @custom:rule R-VC-5
    error WrongCriterion(uint16 code, uint16 positives, uint16 size);
    /// @notice A declaration or negative item needs an evidence fingerprint.
    /// @custom:rule R-VC-5
    error EvidenceRequired(bytes32 evidence);
    /// @notice `day` of `month` is not a day an item can be written for at `time`: it is not in the
    /// month (0, 31 April) or it has not come yet (its 00:00 CST is after `time`).
    /// @custom:rule R-VC-5
    error DayNotDeclarable(uint32 month, uint8 day, uint256 time);
    /// @notice Person `idx` already has an item (declared or recorded; `status` its state now) for
    /// criterion `code` on `day` of `month`: the same deed counts once.
    /// @custom:rule R-VC-5
    error SameItemTwice(uint32 idx, uint32 month, uint16 code, uint8 day, uint8 status);
    /// @notice Only a member of the team on duty for the month verifies and records (R-VC-6).
    /// @custom:rule R-VC-6
    error NotOnDuty(bytes32 person, uint8 team, uint8 dutyTeam);
    /// @notice Nobody verifies their own declaration or records a negative item against themselves.
    /// @custom:rule R-VC-6
    error OwnDeclaration(uint256 id, bytes32 person);
    /// @notice The declaration was already verified.
    /// @custom:rule R-VC-6
    error AlreadyVerified(uint256 id, uint8 status);
    /// @notice The quarter is published: its points change only by a ruling (R-VC-7).
    /// @custom:rule R-VC-7
    error QuarterFrozenAlready(uint32 quarter);

    /// @notice Bind the village's quarters contract, once (the town, at deployment).
    /// @param quarters the `VillageQuarters` whose `ledger()` is this contract
    function setQuarters(address quarters) external;

    /// @notice Set the operation manual, within the district framework (R-VC-1). Only the town.
    /// @param manual windows in working days and the team on duty in January
    function setManual(ICreditFramework.Manual calldata manual) external;

    /// @notice Record a person's village functions and scoring team. Only the town.
    /// @param person the person's registry id
    /// @param roles bits: 1 party, 2 representative, 4 council, 8 secretary, 16 keeper
    /// @param team scoring team 1..3, or 0
    function setMember(bytes32 person, uint8 roles, uint8 team) external;

    /// @notice Re-read a person's key from the person registry (after a rotation). Anyone.
    /// @param person the person's registry id
    function syncKey(bytes32 person) external;

    /// @notice Record a five-colour contract signed by the person (EIP-712 `VillageContract`),
    /// relayed by anyone (R-VC-3).
    /// @param person the signer's registry id
    /// @param year the contract's year (this year or next)
    /// @param colour 0 red, 1 yellow, 2 blue, 3 green, 4 silver
    /// @param duties fingerprint of the contract's text (role and duties)
    /// @param signature the person's 65-byte signature
    function signContract(bytes32 person, uint16 year, uint8 colour, bytes32 duties, bytes calldata signature) external;

    /// @notice Put a criteria list to the representative assembly (R-VC-2). Only the village secretary.
    /// @param criteria the list, positive criteria first
    /// @param positives how many of them are positive
    /// @return version the list's version number
    function proposeList(Criterion[] calldata criteria, uint16 positives) external returns (uint16 version);

    /// @notice A registered representative votes on a list; it is adopted with more than half of the
    /// roll, in force from the next quarter (R-VC-2).
    /// @param version the list
    /// @param yes approve or not
    function voteList(uint16 version, bool yes) external;

    /// @notice Open a month once it has begun: pins the list in force for its quarter, the team on duty
    /// and the declaration window from the manual. Anyone.
    /// @param month the month index
    function openMonth(uint32 month) external;

    /// @notice Declare a positive item done (R-VC-5), from the declarer's own key: a day of the month
    /// that has come (`DayNotDeclarable`), once per person, criterion and day (`SameItemTwice`).
    /// @param month the month index (open, window not closed)
    /// @param code a positive criterion of the list in force
    /// @param day day of the month (1 … its last day, not after today CST)
    /// @param evidence the evidence's fingerprint
    /// @return id the declaration's id: `idx << 64 | month << 32 | code << 8 | day`, so each person,
    /// criterion and day has one id and "exists" is the duplicate check
    function declare(uint32 month, uint16 code, uint8 day, bytes32 evidence) external returns (uint256 id);

    /// @notice Verify declarations (R-VC-6): only a member of the team on duty for each one's month,
    /// never one's own; accepted items add their value to the quarter's rewards.
    /// @param ids declaration ids
    /// @param accept one decision per id
    function verify(uint256[] calldata ids, bool[] calldata accept) external;

    /// @notice Record a negative item against a person (R-VC-5), by a member of the team on duty: a day
    /// of the month that has come, once per person, criterion and day (as `declare`).
    /// @param person the person
    /// @param month the month index (open, window not closed)
    /// @param code a negative criterion of the list in force
    /// @param day day of the month (1 … its last day, not after today CST)
    /// @param evidence the evidence's fingerprint
    /// @return id the item's id (`idx << 64 | month << 32 | code << 8 | day`, as a declaration's)
    function recordNegative(bytes32 person, uint32 month, uint16 code, uint8 day, bytes32 evidence)
        external
        returns (uint256 id);

    /// @notice Freeze a quarter's points when its publication starts. Only the quarters contract.
    /// @param quarter the quarter index
    function freeze(uint32 quarter) external;

    /// @notice Remove the representative function after a lost seat (R-VC-9). Only the quarters contract.
    /// @param person the representative
    function vacateSeat(bytes32 person) external;
}
