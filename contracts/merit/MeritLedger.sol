// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IPersonRegistry} from "../interfaces/IPersonRegistry.sol";
import {IWorkCalendar} from "../interfaces/IWorkCalendar.sol";
import {IJurisdiction} from "../interfaces/IJurisdiction.sol";
import {IMeritBook} from "../interfaces/IMeritBook.sol";
import {ISuccession} from "../interfaces/ISuccession.sol";
import {IMeritLedger} from "../interfaces/IMeritLedger.sol";
import {Office} from "../lib/ZhiliTypes.sol";
import {Ledger, EntryKind, ReporterClass, Award, Finding, AWARDS} from "../lib/MeritTypes.sol";
import {Roles} from "../lib/Roles.sol";
import {MeritMath} from "../lib/MeritMath.sol";
import {JurisdictionBound} from "../base/JurisdictionBound.sol";

/// @title Reports and their four-step review in one jurisdiction (R-MR-2 ... R-MR-12, R-SU-2 ... R-SU-5)
/// @notice A report names a registered person and the award it claims; the reporter's identity stays
/// off chain (encrypted), only a commitment is here (R-MR-4). Review (R-MR-10): two reviewers seal
/// their conclusions back to back and open them only when both are sealed; the big-data re-check is
/// anchored; the merit committee deliberates by majority vote on a decision; the decision is published
/// with its appeal deadline. Appeal (R-MR-11): within 7 working days to the upper committee, which
/// answers within 15. Only a final case writes entries (award tables of the profile, R-MR-2 ... R-MR-8),
/// blacklists (R-MR-9), applies thresholds (R-MR-7) and moves the succession order (R-SU-2 ... R-SU-5).
/// Offsets (R-MR-12) need the upper committee's approval(s).
/// @dev Decisions are stored as a hash; the full decision is in `DecisionProposed` and is given again
/// as calldata to the steps that need it (appeal, appeal decision, finalization).
contract MeritLedger is JurisdictionBound, IMeritLedger {
    uint256 public constant MAX_SILENT = 8;

    IPersonRegistry public immutable persons;
    IWorkCalendar public immutable calendar;
    IMeritBook public immutable book;
    ISuccession public immutable succession;
    uint8 private immutable _appealDays;
    uint8 private immutable _answerDays;
    uint16 private immutable _warning;
    uint16 private immutable _resign;

    Table private _table;
    uint8 public committeeSize;
    uint256 public caseCount;
    uint256 public offsetCount;

    mapping(uint256 caseId => Case) private _cases;
    mapping(uint256 caseId => mapping(uint8 round => mapping(address => bool))) private _voted;
    mapping(uint256 caseId => mapping(address => bool)) private _defaulted;
    mapping(uint256 requestId => OffsetRequest) private _offsets;
    mapping(uint256 requestId => mapping(address => bool)) private _approved;

    /// @param jurisdiction_ the jurisdiction (roles, profile parameters, offices)
    /// @param persons_ the province's person registry
    /// @param book_ the province's merit ledgers
    /// @param succession_ the jurisdiction's succession order
    /// @param table_ award points and amounts from the profile (tenths)
    /// @param committeeSize_ members of the merit committee
    constructor(
        IJurisdiction jurisdiction_,
        IPersonRegistry persons_,
        IMeritBook book_,
        ISuccession succession_,
        Table memory table_,
        uint8 committeeSize_
    ) JurisdictionBound(jurisdiction_) {
        if (committeeSize_ == 0) revert InvalidCommitteeSize(committeeSize_);
        persons = persons_;
        calendar = jurisdiction_.calendar();
        book = book_;
        succession = succession_;
        IJurisdiction.Params memory p = jurisdiction_.params();
        _appealDays = p.appealWorkingDays;
        _answerDays = p.appealAnswerWorkingDays;
        _warning = p.warningDemerit;
        _resign = p.resignDemerit;
        _table = table_;
        committeeSize = committeeSize_;
        emit TableSet(table_, committeeSize_);
    }

    function setCommitteeSize(uint8 size) external onlyRole(0x00) {
        if (size == 0) revert InvalidCommitteeSize(size);
        committeeSize = size;
        emit CommitteeSizeSet(size);
    }

    // ---------------------------------------------------------------- reports (R-MR-4)

    function fileReport(
        bytes32 accused,
        ReporterClass class,
        Award claimed,
        bytes32 evidenceHash,
        bytes32 commitment,
        bytes32 identityBlob
    ) external returns (uint256 caseId) {
        if (!persons.isRegistered(accused)) revert IMeritBook.UnregisteredPerson(accused);
        if (evidenceHash == bytes32(0) || commitment == bytes32(0)) revert EmptyHash();
        if (claimed != Award.None) _checkAward(claimed, class);
        caseId = ++caseCount;
        Case storage c = _cases[caseId];
        c.accused = accused;
        c.commitment = commitment;
        c.evidenceHash = evidenceHash;
        c.filedAt = uint64(block.timestamp);
        c.stage = Stage.Filed;
        c.class = class;
        c.claimed = claimed;
        emit ReportFiled(
            caseId, accused, class, claimed, evidenceHash, commitment, identityBlob, uint64(block.timestamp)
        );
    }

    // ---------------------------------------------------------------- review (R-MR-10)

    function assignReviewers(uint256 caseId, address reviewer1, address reviewer2)
        external
        onlyRole(Roles.MERIT_COMMITTEE)
    {
        _assign(caseId, _at(caseId, Stage.Filed), reviewer1, reviewer2, false);
    }

    function reassignReviewers(uint256 caseId, address reviewer1, address reviewer2)
        external
        onlyRole(Roles.MERIT_COMMITTEE)
    {
        Case storage c = _at(caseId, Stage.InReview);
        if (block.timestamp <= c.reviewDeadline) {
            revert ReviewDeadlineNotPassed(caseId, c.reviewDeadline, uint64(block.timestamp));
        }
        // a reviewer defaulted if they did not seal, or did not open once both were sealed
        bool sealed1 = c.seal1 != bytes32(0) || c.open1;
        bool sealed2 = c.seal2 != bytes32(0) || c.open2;
        bool both = sealed1 && sealed2;
        _default(caseId, c.reviewer1, both ? !c.open1 : !sealed1);
        _default(caseId, c.reviewer2, both ? !c.open2 : !sealed2);
        if (_defaulted[caseId][reviewer1]) revert ReviewerDefaulted(caseId, reviewer1);
        if (_defaulted[caseId][reviewer2]) revert ReviewerDefaulted(caseId, reviewer2);
        delete c.seal1;
        delete c.seal2;
        delete c.open1;
        delete c.open2;
        _assign(caseId, c, reviewer1, reviewer2, true);
    }

    function sealReview(uint256 caseId, bytes32 seal) external {
        Case storage c = _at(caseId, Stage.InReview);
        if (seal == bytes32(0)) revert EmptyHash();
        if (msg.sender == c.reviewer1) {
            if (c.seal1 != bytes32(0) || c.open1) revert AlreadySealed(caseId, msg.sender);
            c.seal1 = seal;
        } else if (msg.sender == c.reviewer2) {
            if (c.seal2 != bytes32(0) || c.open2) revert AlreadySealed(caseId, msg.sender);
            c.seal2 = seal;
        } else {
            revert NotReviewer(caseId, msg.sender);
        }
        emit ReviewSealed(caseId, msg.sender, seal);
    }

    function openReview(uint256 caseId, Conclusion conclusion, bytes32 reportHash, bytes32 salt) external {
        Case storage c = _at(caseId, Stage.InReview);
        bool first = msg.sender == c.reviewer1;
        if (!first && msg.sender != c.reviewer2) revert NotReviewer(caseId, msg.sender);
        uint8 nSealed = (c.seal1 != bytes32(0) || c.open1 ? 1 : 0) + (c.seal2 != bytes32(0) || c.open2 ? 1 : 0);
        if (nSealed < 2) revert ReviewsNotSealed(caseId, nSealed);
        bytes32 s = first ? c.seal1 : c.seal2;
        if (
            s == bytes32(0)
                || s != keccak256(abi.encode(address(this), caseId, msg.sender, conclusion, reportHash, salt))
        ) {
            revert SealMismatch(caseId, msg.sender);
        }
        if (first) {
            c.open1 = true;
            delete c.seal1;
        } else {
            c.open2 = true;
            delete c.seal2;
        }
        emit ReviewOpened(caseId, msg.sender, conclusion, reportHash);
        if (c.open1 && c.open2) {
            c.stage = Stage.Reviewed;
            c.reviewedAt = uint64(block.timestamp);
            emit InitialReviewDone(caseId, uint64(block.timestamp));
        }
    }

    function anchorRecheck(uint256 caseId, bytes32 resultHash, bool consistent)
        external
        onlyRole(Roles.MERIT_COMMITTEE)
    {
        Case storage c = _at(caseId, Stage.Reviewed);
        if (resultHash == bytes32(0)) revert EmptyHash();
        c.stage = Stage.Rechecked;
        emit Rechecked(caseId, resultHash, consistent);
    }

    function propose(uint256 caseId, Decision calldata d) external onlyRole(Roles.MERIT_COMMITTEE) {
        Case storage c = _at(caseId, Stage.Rechecked);
        _validate(caseId, c, d);
        bytes32 h = keccak256(abi.encode(d));
        c.decisionHash = h;
        c.stage = Stage.Deliberating;
        c.yes = 0;
        c.no = 0;
        uint8 round = ++c.round;
        emit DecisionProposed(caseId, round, d, h, msg.sender);
    }

    function vote(uint256 caseId, bool yes) external onlyRole(Roles.MERIT_COMMITTEE) {
        Case storage c = _at(caseId, Stage.Deliberating);
        uint8 round = c.round;
        if (_voted[caseId][round][msg.sender]) revert AlreadyVoted(caseId, msg.sender);
        _voted[caseId][round][msg.sender] = true;
        if (yes) ++c.yes;
        else ++c.no;
        emit Voted(caseId, round, msg.sender, yes);
        uint256 size = committeeSize;
        if (uint256(c.yes) * 2 > size) {
            c.stage = Stage.Decided;
            emit DecisionVoted(caseId, round, true, c.yes, c.no);
        } else if (uint256(c.no) * 2 >= size) {
            c.stage = Stage.Rechecked;
            delete c.decisionHash;
            emit DecisionVoted(caseId, round, false, c.yes, c.no);
        }
    }

    function publish(uint256 caseId, bytes32 noticeHash) external onlyRole(Roles.MERIT_COMMITTEE) {
        Case storage c = _at(caseId, Stage.Decided);
        uint64 appealDeadline = calendar.deadline(block.timestamp, _appealDays);
        c.publishedAt = uint64(block.timestamp);
        c.appealDeadline = appealDeadline;
        c.stage = Stage.Published;
        emit Published(caseId, noticeHash, uint64(block.timestamp), appealDeadline);
    }

    // ---------------------------------------------------------------- appeal and finality (R-MR-11)

    function appeal(uint256 caseId, Decision calldata d, bytes32 appellant, bytes32 salt, bytes32 groundsHash)
        external
    {
        Case storage c = _at(caseId, Stage.Published);
        if (block.timestamp > c.appealDeadline) {
            revert AppealWindowClosed(caseId, c.appealDeadline, uint64(block.timestamp));
        }
        _checkDecision(caseId, c, d);
        if (appellant == bytes32(0) || persons.keyOf(appellant) != msg.sender) {
            revert NotPersonKey(msg.sender, appellant);
        }
        if (!_isParty(c, d, appellant, salt)) revert NotAppealParty(caseId, appellant);
        uint64 answerDeadline = calendar.deadline(block.timestamp, _answerDays);
        c.answerDeadline = answerDeadline;
        c.stage = Stage.Appealed;
        emit Appealed(caseId, appellant, groundsHash, uint64(block.timestamp), answerDeadline);
    }

    function decideAppeal(uint256 caseId, Decision calldata d, bool upheld, bytes32 answerHash) external {
        Case storage c = _cases[caseId];
        bool escalated = c.stage == Stage.Escalated;
        _checkRole(escalated ? Roles.HIGHER_COMMITTEE : Roles.UPPER_COMMITTEE);
        if (!escalated) _at(caseId, Stage.Appealed);
        if (block.timestamp > c.answerDeadline) {
            revert AnswerDeadlinePassed(caseId, c.answerDeadline, uint64(block.timestamp));
        }
        _checkDecision(caseId, c, d);
        emit AppealDecided(caseId, upheld, answerHash, escalated);
        if (upheld) {
            _finalize(caseId, c, d);
        } else {
            c.stage = Stage.Annulled;
            c.closedAt = uint64(block.timestamp);
            emit CaseClosed(caseId, false, uint64(block.timestamp));
        }
    }

    function escalateAppeal(uint256 caseId) external {
        Case storage c = _at(caseId, Stage.Appealed);
        _answerLapsed(caseId, c);
        uint64 answerDeadline = calendar.deadline(block.timestamp, _answerDays);
        c.answerDeadline = answerDeadline;
        c.stage = Stage.Escalated;
        emit AppealEscalated(caseId, uint64(block.timestamp), answerDeadline);
    }

    function finalize(uint256 caseId, Decision calldata d) external {
        Case storage c = _cases[caseId];
        if (c.stage == Stage.Escalated) {
            _answerLapsed(caseId, c); // R-MR-11 [decision]: neither body answered, the decision stands
        } else {
            _at(caseId, Stage.Published);
            if (block.timestamp <= c.appealDeadline) {
                revert AppealWindowOpen(caseId, c.appealDeadline, uint64(block.timestamp));
            }
        }
        _checkDecision(caseId, c, d);
        _finalize(caseId, c, d);
    }

    // ---------------------------------------------------------------- offsets (R-MR-12)

    function requestOffset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref)
        external
        returns (uint256 requestId)
    {
        if (persons.keyOf(personId) != msg.sender) revert NotPersonKey(msg.sender, personId);
        book.checkOffset(entryId, personId, kind, points, ref); // also: only the ledger that wrote it
        requestId = ++offsetCount;
        _offsets[requestId] = OffsetRequest(personId, ref, entryId, points, 0, false, 0);
        emit OffsetRequested(requestId, personId, entryId, points, ref);
    }

    function approveOffset(uint256 requestId) external {
        // R-MR-12: each level is one body and approves once; one account never counts for two levels
        uint8 need = _table.offsetApprovals;
        uint8 level = need > 1 && !_hasRole(Roles.UPPER_COMMITTEE) ? 2 : 1;
        _checkRole(level == 1 ? Roles.UPPER_COMMITTEE : Roles.HIGHER_COMMITTEE);
        OffsetRequest storage r = _offsets[requestId];
        if (r.personId == bytes32(0) || r.done) revert OffsetClosed(requestId);
        if (_approved[requestId][msg.sender]) revert AlreadyApproved(requestId, msg.sender);
        uint8 bit = uint8(1) << (level - 1);
        if (r.levels & bit != 0) revert LevelAlreadyApproved(requestId, level);
        _approved[requestId][msg.sender] = true;
        r.levels |= bit;
        uint8 approvals = ++r.approvals;
        bool done = approvals >= need;
        if (done) {
            r.done = true;
            book.offset(r.entryId, r.personId, EntryKind.Procedural, r.points, r.ref);
        }
        emit OffsetApproved(requestId, msg.sender, level, approvals, done);
        if (done) succession.overtakePass();
    }

    // ---------------------------------------------------------------- views

    function table() external view returns (Table memory) {
        return _table;
    }

    function caseOf(uint256 caseId) external view returns (Case memory) {
        return _cases[caseId];
    }

    function offsetRequest(uint256 requestId) external view returns (OffsetRequest memory) {
        return _offsets[requestId];
    }

    function status(bytes32 personId) external view returns (bool warning, bool mustResign) {
        int64 d = book.totals(personId).demerit;
        return (MeritMath.reaches(d, _warning), MeritMath.reaches(d, _resign));
    }

    function hashDecision(Decision calldata d) external pure returns (bytes32) {
        return keccak256(abi.encode(d));
    }

    // ---------------------------------------------------------------- internals

    function _at(uint256 caseId, Stage needed) private view returns (Case storage c) {
        c = _cases[caseId];
        if (c.stage != needed) revert WrongStage(caseId, c.stage, needed);
    }

    function _checkAward(Award award, ReporterClass class) private view {
        bool citizenAward = award >= Award.CitizenSectionLevel;
        if (citizenAward != (class == ReporterClass.Citizen)) revert AwardNotForClass(award, class);
        if (_table.awards[uint256(award)] == 0) revert AwardNotInProfile(award);
    }

    function _assign(uint256 caseId, Case storage c, address reviewer1, address reviewer2, bool again) private {
        if (
            reviewer1 == address(0) || reviewer2 == address(0) || reviewer1 == reviewer2
                || persons.personOf(reviewer1) == c.accused || persons.personOf(reviewer2) == c.accused
        ) revert InvalidReviewers(reviewer1, reviewer2);
        uint64 reviewDeadline = calendar.deadline(block.timestamp, _table.reviewWorkingDays);
        c.reviewer1 = reviewer1;
        c.reviewer2 = reviewer2;
        c.reviewDeadline = reviewDeadline;
        c.stage = Stage.InReview;
        emit ReviewersAssigned(caseId, reviewer1, reviewer2, reviewDeadline, again);
    }

    /// @dev R-MR-10: a reviewer who missed the review deadline is replaced and never appointed again to the case.
    function _default(uint256 caseId, address reviewer, bool missed) private {
        if (!missed) return;
        _defaulted[caseId][reviewer] = true;
        emit ReviewerReplaced(caseId, reviewer);
    }

    /// @dev R-MR-11: reverts unless the answer deadline has passed.
    function _answerLapsed(uint256 caseId, Case storage c) private view {
        if (block.timestamp <= c.answerDeadline) {
            revert AnswerDeadlineNotPassed(caseId, c.answerDeadline, uint64(block.timestamp));
        }
    }

    /// @dev R-MR-4 [decision]: the reporter's class as the chain knows it. Holding an office here or a
    /// place in the succession order makes a committee member whatever was declared; otherwise the
    /// declaration stands between cadre and citizen (not on chain), and a declared member is a cadre.
    function _classOf(bytes32 p, ReporterClass declared) private view returns (ReporterClass) {
        if (jurisdiction.isSeated(p) || succession.placeOf(p) != 0) return ReporterClass.CommitteeMember;
        return declared == ReporterClass.CommitteeMember ? ReporterClass.Cadre : declared;
    }

    /// @dev R-MR-2 ... R-MR-4: the awards that reward a removal from office.
    function _isRemoval(Award a) private pure returns (bool) {
        return
            a == Award.DirectSuperiorRemoved || a == Award.KeyClueSameLevelSecretary
                || a == Award.OtherDepartmentRemoved;
    }

    /// @dev R-MR-8 [decision]: the points a report is charged for when malicious: its claim, or, if it
    /// claimed none, the smallest award its reporter's class may claim in this profile.
    function _claimedPoints(Case storage c, bytes32 reporter) private view returns (uint16 least) {
        if (c.claimed != Award.None) return _table.awards[uint256(c.claimed)];
        bool citizen = _classOf(reporter, c.class) == ReporterClass.Citizen;
        for (uint256 i = 1; i < AWARDS; ++i) {
            uint16 v = _table.awards[i];
            if (v != 0 && (i >= uint256(Award.CitizenSectionLevel)) == citizen && (least == 0 || v < least)) {
                least = v;
            }
        }
    }

    function _checkDecision(uint256 caseId, Case storage c, Decision calldata d) private view {
        if (keccak256(abi.encode(d)) != c.decisionHash) revert DecisionMismatch(caseId);
    }

    function _validate(uint256 caseId, Case storage c, Decision calldata d) private view {
        Finding f = d.finding;
        bool removes = f == Finding.Removed || f == Finding.Corruption;
        if (d.reporter != bytes32(0)) {
            if (keccak256(abi.encode(d.reporter, d.reporterSalt)) != c.commitment) {
                revert CommitmentMismatch(caseId, d.reporter);
            }
            if (!persons.isRegistered(d.reporter)) revert IMeritBook.UnregisteredPerson(d.reporter);
        }
        if (d.award != Award.None) {
            if (f == Finding.Unfounded || f == Finding.Malicious) revert NotAllowedWithFinding(f);
            if (d.reporter == bytes32(0)) revert ReporterNotRevealed(caseId);
            _checkAward(d.award, _classOf(d.reporter, c.class)); // the chain's class, not the declared one
            if (_isRemoval(d.award)) {
                if (!removes) revert AwardNeedsRemoval(d.award, f);
                if (!jurisdiction.isSeated(c.accused)) revert AccusedHoldsNoOffice(c.accused);
            }
            if (_table.awards[uint256(d.award)] > _table.awards[uint256(c.claimed)]) {
                revert AwardAboveClaim(d.award, c.claimed);
            }
        }
        if (f == Finding.Malicious && d.reporter == bytes32(0)) revert ReporterNotRevealed(caseId);
        if (f == Finding.Procedural) {
            if (d.sanction == 0 || d.sanction > _table.proceduralMax) {
                revert InvalidSanction(d.sanction, _table.proceduralMax);
            }
        } else if (d.sanction != 0) {
            revert InvalidSanction(d.sanction, 0);
        }
        bool liability = d.directSupervisor != bytes32(0) || d.nextSupervisor != bytes32(0) || d.silent.length != 0
            || d.directGaveClue || d.nextGaveClue;
        if (liability && f != Finding.Corruption) revert NotAllowedWithFinding(f);
        if (d.silent.length > MAX_SILENT) revert InvalidParty(bytes32(d.silent.length));
        if (d.directGaveClue && d.directSupervisor == bytes32(0)) revert InvalidParty(bytes32(0));
        if (d.nextGaveClue && d.nextSupervisor == bytes32(0)) revert InvalidParty(bytes32(0));
        _checkParty(c.accused, d.directSupervisor, bytes32(0));
        _checkParty(c.accused, d.nextSupervisor, d.directSupervisor);
        for (uint256 i = 0; i < d.silent.length; ++i) {
            bytes32 s = d.silent[i];
            _checkParty(c.accused, s, d.directSupervisor);
            if (s == d.nextSupervisor) revert InvalidParty(s);
            for (uint256 k = 0; k < i; ++k) {
                if (d.silent[k] == s) revert InvalidParty(s);
            }
        }
        if (f == Finding.Dereliction) {
            bytes32 holder = jurisdiction.holder(Office.Discipline);
            if (holder != c.accused) revert NotDisciplineSecretary(c.accused, holder);
        }
    }

    /// @dev A party must be registered, not the accused and not `other` (zero means "none" and passes).
    function _checkParty(bytes32 accused, bytes32 p, bytes32 other) private view {
        if (p == bytes32(0)) return;
        if (p == accused || p == other) revert InvalidParty(p);
        if (!persons.isRegistered(p)) revert IMeritBook.UnregisteredPerson(p);
    }

    function _isParty(Case storage c, Decision calldata d, bytes32 p, bytes32 salt) private view returns (bool) {
        if (p == c.accused || p == d.reporter || p == d.directSupervisor || p == d.nextSupervisor) return true;
        for (uint256 i = 0; i < d.silent.length; ++i) {
            if (d.silent[i] == p) return true;
        }
        return salt != bytes32(0) && keccak256(abi.encode(p, salt)) == c.commitment;
    }

    function _finalize(uint256 caseId, Case storage c, Decision calldata d) private {
        c.stage = Stage.Final;
        c.closedAt = uint64(block.timestamp);
        emit CaseClosed(caseId, true, uint64(block.timestamp));
        bytes32 ref = book.caseRef(address(this), caseId);
        Finding f = d.finding;
        bool meritChanged = false;
        if (f == Finding.Malicious) {
            // R-MR-8: twice the claimed points, from the merit ledger
            int32 penalty = MeritMath.penalty(_claimedPoints(c, d.reporter), _table.falseAccusationFactor);
            if (penalty != 0) {
                book.append(d.reporter, Ledger.Merit, EntryKind.FalseAccusation, -penalty, ref);
                meritChanged = true;
            }
            _orderPass(meritChanged);
            return;
        }
        if (f == Finding.Unfounded) return;
        bytes32 accused = c.accused;
        if (d.award != Award.None) {
            // R-MR-2 [decision]: one removal, one award: the first case final while the accused still holds
            // an office here; this finalization then removes them, so later cases find no holder
            if (_isRemoval(d.award) && !jurisdiction.isSeated(accused)) {
                emit AwardWithheld(caseId, d.award, accused);
            } else {
                book.append(
                    d.reporter, Ledger.Merit, EntryKind.Award, MeritMath.entry(_table.awards[uint256(d.award)]), ref
                );
                meritChanged = true;
            }
        }
        if (f == Finding.Corruption) {
            book.append(accused, Ledger.Demerit, EntryKind.Corruption, 0, ref);
            persons.blacklist(accused, d.findingHash); // R-MR-9
            meritChanged = _liability(d.directSupervisor, _table.liabilityDirect, d.directGaveClue, ref) || meritChanged;
            meritChanged = _liability(d.nextSupervisor, _table.liabilityNext, d.nextGaveClue, ref) || meritChanged;
            for (uint256 i = 0; i < d.silent.length; ++i) {
                book.append(d.silent[i], Ledger.Demerit, EntryKind.Silence, MeritMath.entry(_table.silence), ref);
            }
        } else if (f == Finding.Procedural) {
            book.append(accused, Ledger.Demerit, EntryKind.Procedural, MeritMath.entry(d.sanction), ref);
        }
        if (f == Finding.Removed || f == Finding.Corruption) {
            // R-SU-4 before R-SU-2: a member whose report removes the same-level secretary (or higher) goes first
            // slither-disable-next-line incorrect-equality
            bool onSecretary = jurisdiction.holder(Office.Secretary) == accused;
            // slither-disable-next-line incorrect-equality
            bool direct = d.reporter != bytes32(0) && (onSecretary || d.award == Award.KeyClueSameLevelSecretary);
            if (direct) succession.promoteToFirst(d.reporter);
            succession.remove(accused, f == Finding.Corruption ? bytes32("blacklisted") : bytes32("removed"));
        } else if (f == Finding.Dereliction) {
            succession.demote(accused, "dereliction"); // R-SU-5
        }
        // R-MR-7 thresholds for everyone whose demerit grew
        if (f == Finding.Corruption) {
            _threshold(d.directSupervisor, _table.liabilityDirect);
            _threshold(d.nextSupervisor, _table.liabilityNext);
            for (uint256 i = 0; i < d.silent.length; ++i) {
                _threshold(d.silent[i], _table.silence);
            }
        } else if (f == Finding.Procedural) {
            _threshold(accused, d.sanction);
        }
        _orderPass(meritChanged);
    }

    function _orderPass(bool meritChanged) private {
        if (meritChanged) succession.overtakePass(); // R-SU-3
    }

    /// @dev R-MR-5: liability demerit for a supervisor, and the refund if they gave key clues earlier.
    function _liability(bytes32 p, uint16 points, bool gaveClue, bytes32 ref) private returns (bool refunded) {
        if (p == bytes32(0)) return false;
        book.append(p, Ledger.Demerit, EntryKind.LeadershipLiability, MeritMath.entry(points), ref);
        if (gaveClue) {
            book.append(p, Ledger.Merit, EntryKind.ClueRefund, MeritMath.entry(_table.clueRefund), ref);
            return true;
        }
        return false;
    }

    /// @dev R-MR-7: warning list at 4.0, resignation at 6.0 (the secretary's triggers R-SU-2).
    function _threshold(bytes32 p, uint16 added) private {
        // slither-disable-next-line incorrect-equality
        if (p == bytes32(0) || added == 0) return;
        int64 d = book.totals(p).demerit;
        if (MeritMath.crossed(d, added, _warning)) emit WarningListed(p, d);
        if (MeritMath.reaches(d, _resign)) {
            if (MeritMath.crossed(d, added, _resign)) emit MustResign(p, d);
            succession.remove(p, "resigned");
        }
    }
}
