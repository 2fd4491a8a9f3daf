// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IVillageLedger} from "../interfaces/IVillageLedger.sol";
import {ICreditFramework} from "../interfaces/ICreditFramework.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";
import {PersonSigned} from "../base/PersonSigned.sol";
import {Roles} from "../lib/Roles.sol";
import {VillageTypes as V} from "../lib/VillageTypes.sol";

/// @title A village's credit ledger (R-VC-1 … R-VC-6)
/// @notice The town records the village's functions (party members, representatives, credit council,
/// secretary, shop keeper, three scoring teams) and the operation manual within the district's
/// framework. The secretary proposes criteria lists; a list is in force from the quarter after the
/// representative assembly adopts it with more than half of its roll. Persons sign five-colour
/// contracts (EIP-712). Each month, once opened, pins the list of its quarter and the team on duty:
/// persons declare positive items from their own key within the window, the team on duty verifies
/// them in batches (never its own) and records negative items. Accepted and recorded items update the
/// person's running totals of the quarter, which the quarters contract publishes and freezes.
/// @dev Storage for gas (issue 18): a declaration is one slot (`Declaration`, 160 bits), written once
/// and updated once by its verification; a person's quarter is one slot (`Totals`, 192 bits), so
/// publishing reads one slot per person. A declarer's index and colours are one slot found by key
/// (`Holder`); a declaration's id is its person, month, criterion and day, so the slot it writes is
/// also its duplicate check: a declaration reads three slots (holder, month, its own) and writes one.
contract VillageLedger is IVillageLedger, JurisdictionBound, PersonSigned {
    /// @notice EIP-712 type of a five-colour contract signature (R-VC-3).
    bytes32 public constant CONTRACT_TYPEHASH =
        keccak256("VillageContract(bytes32 person,uint16 year,uint8 colour,bytes32 duties)");
    /// @notice Categories are 0..15 (协商议事, 环境治理, 养老助残, 文明实践, 社会公益, 公民公德, 矛盾化解, 志愿服务, …).
    uint8 public constant CATEGORIES = 16;

    /// @notice The district framework (R-VC-1).
    ICreditFramework public immutable framework;
    /// @notice The province's working-day calendar (declaration windows).
    IWorkCalendar public immutable calendar;
    /// @notice The village's code (e.g. its administrative code), recorded at deployment.
    bytes32 public immutable village;

    /// @notice The bound quarters contract (publication, rulings, grades).
    address public quarters;
    /// @notice Number of persons with a village index; indexes are 1..participants.
    uint32 public participants;
    /// @notice Registered representatives now (the assembly's roll, R-VC-2).
    uint32 public representatives;
    /// @notice Credit council members now (R-VC-7).
    uint32 public councilSize;
    /// @notice Number of lists proposed; versions are 1..listCount.
    uint16 public listCount;

    ICreditFramework.Manual private _manual;
    uint16[] private _adopted; // adopted versions, in adoption order

    mapping(uint32 idx => bytes32) private _personAt;
    mapping(bytes32 person => uint32) private _idxOf;
    mapping(address key => Holder) private _holders;
    mapping(uint32 idx => Member) private _members;
    mapping(uint256 idxYear => uint8) private _colours; // (idx << 16 | year) => colour bits
    mapping(uint16 version => ListInfo) private _lists;
    mapping(uint256 versionCode => uint256) private _criteria; // (version << 16 | code) => value | kinds << 16
    mapping(uint16 version => mapping(uint32 idx => bool)) private _voted;
    mapping(uint32 month => Month) private _months;
    mapping(uint256 id => Declaration) private _decls;
    mapping(uint256 quarterIdx => Totals) private _totals; // (quarter << 32 | idx)
    mapping(uint32 quarter => bool) private _frozen;

    /// @param jurisdiction_ the township the village belongs to (VILLAGE_OFFICE is its town office)
    /// @param persons_ the province's person registry
    /// @param framework_ the district framework
    /// @param village_ the village's code
    constructor(IJurisdiction jurisdiction_, IPersonRegistry persons_, ICreditFramework framework_, bytes32 village_)
        JurisdictionBound(jurisdiction_)
        PersonSigned("zhili VillageLedger", "1", persons_)
    {
        framework = framework_;
        village = village_;
        calendar = jurisdiction_.calendar();
    }

    // ------------------------------------------------------------------ town

    /// @inheritdoc IVillageLedger
    function setQuarters(address quarters_) external onlyRole(Roles.VILLAGE_OFFICE) {
        if (quarters != address(0)) revert QuartersAlreadySet(quarters);
        quarters = quarters_;
        emit QuartersSet(quarters_);
    }

    /// @inheritdoc IVillageLedger
    function setManual(ICreditFramework.Manual calldata manual_) external onlyRole(Roles.VILLAGE_OFFICE) {
        framework.checkManual(manual_);
        _manual = manual_;
        emit ManualSet(manual_);
    }

    function setMember(bytes32 person, uint8 roles, uint8 team) external onlyRole(Roles.VILLAGE_OFFICE) {
        if (roles > V.ALL_ROLES || team > 3) revert BadMember(roles, team);
        uint32 idx = _enrol(person);
        Member storage m = _members[idx];
        uint8 old = m.roles;
        if ((old & V.REPRESENTATIVE) != (roles & V.REPRESENTATIVE)) {
            if (roles & V.REPRESENTATIVE != 0) ++representatives;
            else --representatives;
            m.since = uint32(block.number); // the assembly's roll changed: lists proposed before do not count this seat
        }
        if ((old & V.COUNCIL) != (roles & V.COUNCIL)) {
            if (roles & V.COUNCIL != 0) ++councilSize;
            else --councilSize;
        }
        m.roles = roles;
        m.team = team;
        emit MemberSet(person, idx, roles, team, m.key);
    }

    function syncKey(bytes32 person) external {
        uint32 idx = _idxOf[person];
        if (idx == 0) revert NotAVillager(person);
        Member storage m = _members[idx];
        address old = m.key;
        address key = persons.keyOf(person);
        uint32 other = _holders[key].idx;
        if (key == address(0) || (other != 0 && other != idx)) revert KeyHeld(key, other);
        Holder memory h = _holders[old];
        delete _holders[old];
        m.key = key;
        _holders[key] = h; // the person's record (index, colours) moves with them
        emit KeySynced(person, idx, old, key);
    }

    // ------------------------------------------------------------------ contracts (R-VC-3)

    function signContract(bytes32 person, uint16 year, uint8 colour, bytes32 duties, bytes calldata signature)
        external
    {
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CONTRACT_TYPEHASH, person, year, colour, duties)));
        _checkPersonSigned(person, digest, signature);
        uint16 current = V.yearOfMonth(V.monthOf(block.timestamp));
        if (year < current || year > current + 1) revert ContractYear(year, current);
        if (colour >= V.COLOURS) revert ContractNotAllowed(person, colour, 0);
        uint32 idx = _enrol(person);
        Member storage m = _members[idx];
        if ((colour == V.RED && m.roles & V.PARTY == 0) || (colour == V.YELLOW && m.roles & V.REPRESENTATIVE == 0)) {
            revert ContractNotAllowed(person, colour, m.roles);
        }
        uint256 key = (uint256(idx) << 16) | year;
        uint8 bit = uint8(1 << colour);
        uint8 have = _colours[key];
        if (have & bit != 0) revert ContractAlreadySigned(person, year, colour);
        _colours[key] = have | bit;
        Holder storage h = _holders[m.key];
        if (h.idx == idx && h.colourYear <= year) {
            if (h.colourYear < year) h.colours = 0;
            h.colourYear = year;
            h.colours |= bit;
        }
        emit ContractSigned(person, idx, year, colour, duties, m.key);
    }

    // ------------------------------------------------------------------ lists (R-VC-2)

    function proposeList(Criterion[] calldata criteria, uint16 positives) external returns (uint16 version) {
        (bytes32 proposer,) = _caller(V.SECRETARY);
        uint256 n = criteria.length;
        if (positives == 0 || positives > n || n > type(uint16).max) revert ListShape(n, positives);
        version = ++listCount;
        for (uint256 i = 0; i < n; ++i) {
            Criterion calldata c = criteria[i];
            if (c.kinds == 0 || c.kinds > 7 || c.category >= CATEGORIES) {
                revert CriterionInvalid(i + 1, c.kinds, c.category);
            }
            framework.checkCriterion(i + 1, c.value);
            _criteria[(uint256(version) << 16) | (i + 1)] = uint256(c.value) | (uint256(c.kinds) << 16);
        }
        uint32 roll = representatives;
        _lists[version] = ListInfo({
            size: uint16(n),
            positives: positives,
            state: 1,
            yes: 0,
            no: 0,
            roll: roll,
            proposedBlock: uint32(block.number),
            effectiveFrom: 0
        });
        emit ListProposed(version, proposer, positives, criteria, roll);
    }

    function voteList(uint16 version, bool yes) external {
        (bytes32 person, uint32 idx) = _caller(0);
        ListInfo storage l = _lists[version];
        if (l.state == 0) revert UnknownList(version);
        if (l.state != 1) revert ListClosed(version, l.state);
        Member storage m = _members[idx];
        if (m.roles & V.REPRESENTATIVE == 0 || m.since >= l.proposedBlock) revert NotOnRoll(person, version);
        if (_voted[version][idx]) revert AlreadyVoted(person, version);
        _voted[version][idx] = true;
        if (yes) ++l.yes;
        else ++l.no;
        emit ListVoted(version, person, yes, l.yes, l.no);
        if (uint256(l.yes) * 2 > l.roll) {
            l.state = 2;
            l.effectiveFrom = V.monthOf(block.timestamp) / 3 + 1;
            _adopted.push(version);
            emit ListDecided(version, true, l.effectiveFrom);
        } else if (uint256(l.no) * 2 >= l.roll) {
            l.state = 3;
            emit ListDecided(version, false, 0);
        }
    }

    // ------------------------------------------------------------------ months, declarations (R-VC-5, R-VC-6)

    function openMonth(uint32 month) external {
        uint256 start = V.monthStart(month);
        if (block.timestamp < start || _months[month].declareClose != 0) revert MonthNotOpenable(month, start);
        if (_frozen[month / 3]) revert QuarterFrozenAlready(month / 3);
        ICreditFramework.Manual memory man = _manual;
        if (man.declareDays == 0) revert NoManual();
        uint16 version = versionFor(month / 3);
        ListInfo storage l = _lists[version];
        uint8 team = uint8((uint256(man.firstTeam) - 1 + (month % 12)) % 3 + 1);
        uint64 close = calendar.deadline(V.monthStart(month + 1) - 1, man.declareDays);
        uint8 length = uint8(V.monthDays(month));
        _months[month] = Month({
            declareClose: close,
            version: version,
            positives: l.positives,
            size: l.size,
            team: team,
            start: uint40(start),
            length: length
        });
        emit MonthOpened(month, version, l.positives, l.size, team, close, uint40(start), length);
    }

    function declare(uint32 month, uint16 code, uint8 day, bytes32 evidence) external returns (uint256 id) {
        Holder storage h = _holders[msg.sender];
        uint32 idx = h.idx;
        if (idx == 0) revert NotInVillage(msg.sender);
        Month storage mo = _months[month];
        uint64 close = mo.declareClose;
        if (close == 0) revert MonthNotOpen(month);
        if (block.timestamp > close) revert DeclarationWindowClosed(month, block.timestamp, close);
        if (code == 0 || code > mo.positives) revert WrongCriterion(code, mo.positives, mo.size);
        if (evidence == bytes32(0)) revert EvidenceRequired(evidence);
        _checkDay(mo.start, mo.length, month, day);
        uint16 year = V.yearOfMonth(month);
        uint8 colours = h.colourYear == year ? h.colours : _colours[(uint256(idx) << 16) | year];
        if (colours == 0) revert NoContract(_personAt[idx], year);
        id = declarationId(idx, month, code, day);
        Declaration storage d = _decls[id];
        if (d.status != 0) revert SameItemTwice(idx, month, code, day, d.status);
        _decls[id] = Declaration({
            idx: idx, month: month, code: code, day: day, colours: colours, status: 1, kinds: 0, value: 0, verifier: 0
        });
        emit Declared(id, idx, month, code, day, colours, evidence);
    }

    function verify(uint256[] calldata ids, bool[] calldata accept) external {
        (bytes32 verifier, uint32 vIdx) = _caller(0);
        uint256 n = ids.length;
        if (n == 0 || n != accept.length) revert BatchShape(n, accept.length);
        uint8 vTeam = _members[vIdx].team;
        uint32 lastMonth = type(uint32).max;
        Month memory mo = Month({declareClose: 0, version: 0, positives: 0, size: 0, team: 0, start: 0, length: 0});
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = ids[i];
            Declaration storage d = _decls[id];
            uint8 status = d.status;
            if (status == 0) revert UnknownDeclaration(id);
            if (status != 1) revert AlreadyVerified(id, status);
            uint32 idx = d.idx;
            if (idx == vIdx) revert OwnDeclaration(id, verifier);
            uint32 month = d.month;
            if (month != lastMonth) {
                mo = _months[month];
                if (vTeam != mo.team) revert NotOnDuty(verifier, vTeam, mo.team);
                if (_frozen[month / 3]) revert QuarterFrozenAlready(month / 3);
                lastMonth = month;
            }
            if (accept[i]) {
                (uint8 kinds, uint16 value) = _count(mo.version, d.code, d.colours);
                _add(month / 3, idx, kinds, value, false);
                d.status = 2;
                d.kinds = kinds;
                d.value = value;
                d.verifier = vIdx;
                emit Verified(id, vIdx, true, kinds, value);
            } else {
                d.status = 3;
                d.verifier = vIdx;
                emit Verified(id, vIdx, false, 0, 0);
            }
        }
    }

    function recordNegative(bytes32 person, uint32 month, uint16 code, uint8 day, bytes32 evidence)
        external
        returns (uint256 id)
    {
        (bytes32 recorder, uint32 rIdx) = _caller(0);
        uint32 idx = _idxOf[person];
        if (idx == 0) revert NotAVillager(person);
        if (idx == rIdx) revert OwnDeclaration(0, recorder);
        Month memory mo = _months[month];
        if (mo.declareClose == 0) revert MonthNotOpen(month);
        if (block.timestamp > mo.declareClose) revert DeclarationWindowClosed(month, block.timestamp, mo.declareClose);
        uint8 team = _members[rIdx].team;
        if (team != mo.team) revert NotOnDuty(recorder, team, mo.team);
        if (_frozen[month / 3]) revert QuarterFrozenAlready(month / 3);
        if (code <= mo.positives || code > mo.size) revert WrongCriterion(code, mo.positives, mo.size);
        if (evidence == bytes32(0)) revert EvidenceRequired(evidence);
        _checkDay(mo.start, mo.length, month, day);
        Declaration memory d = Declaration({
            idx: idx,
            month: month,
            code: code,
            day: day,
            colours: _coloursFor(idx, month),
            status: 4,
            kinds: 0,
            value: 0,
            verifier: rIdx
        });
        id = declarationId(idx, month, code, day);
        uint8 status = _decls[id].status;
        if (status != 0) revert SameItemTwice(idx, month, code, day, status);
        (d.kinds, d.value) = _count(mo.version, code, d.colours);
        _add(month / 3, idx, d.kinds, d.value, true);
        _decls[id] = d;
        _emitNegative(id, d, evidence);
    }

    function _emitNegative(uint256 id, Declaration memory d, bytes32 evidence) private {
        emit NegativeRecorded(id, d.idx, d.verifier, d.month, d.code, d.day, d.colours, evidence, d.kinds, d.value);
    }

    // ------------------------------------------------------------------ quarters contract

    function freeze(uint32 quarter) external {
        if (msg.sender != quarters || quarters == address(0)) revert NotQuarters(msg.sender);
        _frozen[quarter] = true;
        emit QuarterFrozen(quarter);
    }

    function vacateSeat(bytes32 person) external {
        if (msg.sender != quarters || quarters == address(0)) revert NotQuarters(msg.sender);
        uint32 idx = _idxOf[person];
        Member storage m = _members[idx];
        if (m.roles & V.REPRESENTATIVE != 0) {
            m.roles &= ~V.REPRESENTATIVE;
            m.since = uint32(block.number);
            --representatives;
        }
        emit SeatVacated(person, idx, m.roles);
    }

    // ------------------------------------------------------------------ views

    /// @notice The town's manual.
    function manual() external view returns (ICreditFramework.Manual memory) {
        return _manual;
    }

    /// @notice A person's village index (0 if none).
    function idxOf(bytes32 person) external view returns (uint32) {
        return _idxOf[person];
    }

    /// @notice The village index of whoever holds `key` (0 if none).
    function idxOfKey(address key) external view returns (uint32) {
        return _holders[key].idx;
    }

    /// @notice What key `key` opens: index, colours of `colourYear`.
    function holder(address key) external view returns (Holder memory) {
        return _holders[key];
    }

    /// @notice The person at village index `idx`.
    function personAt(uint32 idx) external view returns (bytes32) {
        return _personAt[idx];
    }

    /// @notice The person at village index `idx` and their record.
    function member(uint32 idx) external view returns (bytes32 person, Member memory record) {
        return (_personAt[idx], _members[idx]);
    }

    /// @notice The village functions (bits of `Member.roles`) of person `idx`.
    function rolesOf(uint32 idx) external view returns (uint8) {
        return _members[idx].roles;
    }

    /// @notice The contract colours (bits) person `idx` signed for `year`.
    function coloursOf(uint32 idx, uint16 year) external view returns (uint8) {
        return _colours[(uint256(idx) << 16) | year];
    }

    /// @notice A list.
    function list(uint16 version) external view returns (ListInfo memory) {
        return _lists[version];
    }

    /// @notice Versions adopted so far, in order.
    function adoptedLists() external view returns (uint16[] memory) {
        return _adopted;
    }

    /// @notice Criterion `code` of list `version`: its value and kinds (zero if none).
    function criterion(uint16 version, uint16 code) external view returns (uint16 value, uint8 kinds) {
        uint256 c = _criteria[(uint256(version) << 16) | code];
        return (uint16(c), uint8(c >> 16));
    }

    /// @notice The list in force for quarter `quarter`: the last adopted with `effectiveFrom <= quarter`
    /// (R-VC-2); reverts with `NoListInForce` if none.
    function versionFor(uint32 quarter) public view returns (uint16) {
        for (uint256 i = _adopted.length; i > 0; --i) {
            uint16 v = _adopted[i - 1];
            if (_lists[v].effectiveFrom <= quarter) return v;
        }
        revert NoListInForce(quarter);
    }

    /// @notice An opened month (zeros if not opened).
    function monthInfo(uint32 month) external view returns (Month memory) {
        return _months[month];
    }

    /// @notice The id of person `idx`'s item (declaration or negative item) for criterion `code` on
    /// `day` of `month`: one id per person, criterion and day (R-VC-5).
    function declarationId(uint32 idx, uint32 month, uint16 code, uint8 day) public pure returns (uint256) {
        return (uint256(idx) << 64) | (uint256(month) << 32) | (uint256(code) << 8) | day;
    }

    /// @notice A declaration or negative item.
    function declaration(uint256 id) external view returns (Declaration memory) {
        return _decls[id];
    }

    /// @notice Quarter totals of several persons (R-VC-7 reads them to publish).
    function totals(uint32 quarter, uint32[] calldata idx) external view returns (Totals[] memory out) {
        out = new Totals[](idx.length);
        for (uint256 i = 0; i < idx.length; ++i) {
            out[i] = _totals[(uint256(quarter) << 32) | idx[i]];
        }
    }

    /// @notice Whether a quarter is frozen (its publication started).
    function isFrozen(uint32 quarter) external view returns (bool) {
        return _frozen[quarter];
    }

    /// @notice The month index of now (CST).
    function currentMonth() external view returns (uint32) {
        return V.monthOf(block.timestamp);
    }

    /// @notice The EIP-712 digest a person signs for a contract (R-VC-3).
    function contractDigest(bytes32 person, uint16 year, uint8 colour, bytes32 duties) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CONTRACT_TYPEHASH, person, year, colour, duties)));
    }

    // ------------------------------------------------------------------ internals

    /// @dev The caller's person and index by their key, reverting unless they hold `role` (0: any villager).
    // slither-disable-start incorrect-equality
    function _caller(uint8 role) internal view returns (bytes32 person, uint32 idx) {
        idx = _holders[msg.sender].idx;
        if (idx == 0) revert NotInVillage(msg.sender);
        person = _personAt[idx];
        if (role != 0 && _members[idx].roles & role == 0) revert VillageRoleRequired(person, role);
    }

    // slither-disable-end incorrect-equality

    /// @dev The person's index, enrolling them (with their registry key) if new.
    function _enrol(bytes32 person) private returns (uint32 idx) {
        idx = _idxOf[person];
        if (idx != 0) return idx;
        address key = persons.keyOf(person);
        if (key == address(0)) revert IPersonRegistry.UnknownPerson(person);
        idx = ++participants;
        _idxOf[person] = idx;
        _personAt[idx] = person;
        if (_holders[key].idx != 0) revert KeyHeld(key, _holders[key].idx);
        _members[idx].key = key;
        _holders[key].idx = idx;
        emit MemberSet(person, idx, 0, 0, key);
    }

    /// @dev Reverts with `DayNotDeclarable` unless `day` is a day of `month` whose 00:00 CST has come
    /// (R-VC-5 [decision]: no deed is claimed for a day that does not exist or has not come yet).
    function _checkDay(uint40 start, uint8 length, uint32 month, uint8 day) private view {
        if (day == 0 || day > length || uint256(start) + (uint256(day) - 1) * 1 days > block.timestamp) {
            revert DayNotDeclarable(month, day, block.timestamp);
        }
    }

    /// @dev Colours person `idx` signed for `month`'s year; reverts with `NoContract` if none.
    function _coloursFor(uint32 idx, uint32 month) private view returns (uint8 colours) {
        uint16 year = V.yearOfMonth(month);
        colours = _colours[(uint256(idx) << 16) | year];
        if (colours == 0) revert NoContract(_personAt[idx], year);
    }

    /// @dev The kinds a criterion counts for under `colours` (duty kinds need red / yellow) and its value.
    function _count(uint16 version, uint16 code, uint8 colours) private view returns (uint8 kinds, uint16 value) {
        uint256 c = _criteria[(uint256(version) << 16) | code];
        value = uint16(c);
        kinds = uint8(c >> 16);
        if (colours & (1 << V.RED) == 0) kinds &= ~V.KIND_PARTY_DUTY;
        if (colours & (1 << V.YELLOW) == 0) kinds &= ~V.KIND_REP_DUTY;
    }

    /// @dev Adds `value` to person `idx`'s quarter rewards (or penalties) of every kind in `kinds`.
    function _add(uint32 quarter, uint32 idx, uint8 kinds, uint16 value, bool penalty) private {
        Totals storage t = _totals[(uint256(quarter) << 32) | idx];
        if (penalty) {
            if (kinds & V.KIND_PARTY_DUTY != 0) t.partyMinus += value;
            if (kinds & V.KIND_REP_DUTY != 0) t.repMinus += value;
            if (kinds & V.KIND_CREDIT != 0) t.creditMinus += value;
        } else {
            if (kinds & V.KIND_PARTY_DUTY != 0) t.partyPlus += value;
            if (kinds & V.KIND_REP_DUTY != 0) t.repPlus += value;
            if (kinds & V.KIND_CREDIT != 0) t.creditPlus += value;
        }
    }
}
