// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Office} from "../lib/ZhiliTypes.sol";
import {Ledger, EntryKind, ReporterClass, Award, Finding, AWARDS} from "../lib/MeritTypes.sol";
import {Jurisdiction} from "../registry/Jurisdiction.sol";
import {PersonRegistry} from "../registry/PersonRegistry.sol";
import {MeritBook} from "./MeritBook.sol";
import {Succession} from "./Succession.sol";
import {WorkCalendar} from "../registry/WorkCalendar.sol";
import {Roles} from "../lib/Roles.sol";
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
contract MeritLedger is JurisdictionBound {
    enum Stage {
        None,
        Filed,
        InReview, // reviewers assigned, sealing
        Reviewed, // both initial reviews open
        Rechecked, // big-data re-check anchored; a decision may be proposed
        Deliberating, // a proposal is being voted on
        Decided, // the committee adopted a decision
        Published, // appeal window running
        Appealed, // the upper committee must answer
        Final,
        Annulled // overturned on appeal
    }

    /// @notice Initial review conclusion of one reviewer (R-MR-10).
    enum Conclusion {
        Substantiated,
        Unsubstantiated
    }

    /// @notice Award points per `Award` and the other amounts of the profile (tenths).
    struct Table {
        uint16[AWARDS] awards; // 0 = not offered by this profile
        uint16 liabilityDirect; // R-MR-5: 10
        uint16 liabilityNext; // R-MR-5: 1
        uint16 clueRefund; // R-MR-5: 1
        uint16 silence; // R-MR-6: 5
        uint16 proceduralMax; // R-MR-12 [decision]: largest minor procedural sanction
        uint8 falseAccusationFactor; // R-MR-8: 2
        uint8 offsetApprovals; // R-MR-12: 1 (county 2)
    }

    /// @notice What the committee decides for a case.
    struct Decision {
        Finding finding;
        Award award; // granted to the reporter, None if none
        bytes32 reporter; // the reporter's person id, revealed only when needed (award, R-MR-8); else zero
        bytes32 reporterSalt; // opening of the report's commitment
        uint16 sanction; // Procedural: demerit points
        bytes32 directSupervisor; // R-MR-5, zero if none
        bytes32 nextSupervisor; // R-MR-5, zero if none
        bool directGaveClue; // R-MR-5 refund
        bool nextGaveClue;
        bytes32[] silent; // R-MR-6
        bytes32 findingHash; // the written finding
    }

    struct Case {
        bytes32 accused;
        bytes32 commitment;
        bytes32 evidenceHash;
        bytes32 decisionHash;
        bytes32 seal1;
        bytes32 seal2;
        address reviewer1;
        uint64 filedAt;
        Stage stage;
        ReporterClass class;
        Award claimed;
        uint8 round;
        address reviewer2;
        uint64 reviewedAt;
        uint8 yes;
        uint8 no;
        bool open1;
        bool open2;
        uint64 publishedAt;
        uint64 appealDeadline;
        uint64 answerDeadline;
        uint64 closedAt;
    }

    struct OffsetRequest {
        bytes32 personId;
        bytes32 ref;
        uint256 entryId;
        int32 points;
        uint8 approvals;
        bool done;
    }

    uint256 public constant MAX_SILENT = 8;

    PersonRegistry public immutable persons;
    /// @notice The working-day calendar the appeal and answer windows are computed from (SPEC section 8).
    WorkCalendar public immutable calendar;
    MeritBook public immutable book;
    Succession public immutable succession;
    uint8 private immutable _appealDays;
    uint8 private immutable _answerDays;
    uint16 private immutable _warning;
    uint16 private immutable _resign;

    Table private _table;
    /// @notice Members of the merit committee (holders of MERIT_COMMITTEE); a decision needs more than half.
    uint8 public committeeSize;
    /// @notice Number of cases filed; case ids are 1..caseCount.
    uint256 public caseCount;
    /// @notice Number of offset requests; ids are 1..offsetCount.
    uint256 public offsetCount;

    mapping(uint256 caseId => Case) private _cases;
    mapping(uint256 caseId => mapping(uint8 round => mapping(address => bool))) private _voted;
    mapping(uint256 requestId => OffsetRequest) private _offsets;
    mapping(uint256 requestId => mapping(address => bool)) private _approved;

    /// @notice The award table and amounts set at deployment from the profile.
    event TableSet(Table table, uint8 committeeSize);
    /// @notice The merit committee now has `size` members.
    event CommitteeSizeSet(uint8 size);
    /// @notice A report was filed (R-MR-4): the reporter only as `commitment` =
    /// keccak256(abi.encode(personId, salt)); `identityBlob` hashes the encrypted identity kept off chain.
    event ReportFiled(
        uint256 indexed caseId,
        bytes32 indexed accused,
        ReporterClass class,
        Award claimed,
        bytes32 evidenceHash,
        bytes32 commitment,
        bytes32 identityBlob,
        uint64 at
    );
    /// @notice The two back-to-back reviewers of a case (R-MR-10).
    event ReviewersAssigned(uint256 indexed caseId, address reviewer1, address reviewer2);
    /// @notice A reviewer sealed a conclusion.
    event ReviewSealed(uint256 indexed caseId, address indexed reviewer, bytes32 seal);
    /// @notice A reviewer opened a conclusion (only possible once both were sealed).
    event ReviewOpened(uint256 indexed caseId, address indexed reviewer, Conclusion conclusion, bytes32 reportHash);
    /// @notice Both initial reviews are open (R-MR-10 step 1; R-MR-13 time to initial verification).
    event InitialReviewDone(uint256 indexed caseId, uint64 at);
    /// @notice The big-data re-check result is anchored (R-MR-10 step 2).
    event Rechecked(uint256 indexed caseId, bytes32 resultHash, bool consistent);
    /// @notice A decision is put to the committee's vote (R-MR-10 step 3).
    event DecisionProposed(
        uint256 indexed caseId, uint8 round, Decision decision, bytes32 decisionHash, address proposer
    );
    /// @notice A committee member voted.
    event Voted(uint256 indexed caseId, uint8 round, address indexed member, bool yes);
    /// @notice The committee adopted (or rejected) the proposal of `round`.
    event DecisionVoted(uint256 indexed caseId, uint8 round, bool adopted, uint8 yes, uint8 no);
    /// @notice The decision is published (R-MR-10 step 4); appeals until `appealDeadline` (R-MR-11).
    event Published(uint256 indexed caseId, bytes32 noticeHash, uint64 at, uint64 appealDeadline);
    /// @notice `appellant` appealed (R-MR-11); the upper committee answers by `answerDeadline`.
    event Appealed(
        uint256 indexed caseId, bytes32 indexed appellant, bytes32 groundsHash, uint64 at, uint64 answerDeadline
    );
    /// @notice The upper committee answered the appeal; `late` if after the answer deadline.
    event AppealDecided(uint256 indexed caseId, bool upheld, bytes32 answerHash, bool late);
    /// @notice The case is final (entries written) or annulled; `at` closes it (R-MR-13).
    event CaseClosed(uint256 indexed caseId, bool final_, uint64 at);
    /// @notice `personId`'s demerit reached the warning list (R-MR-7).
    event WarningListed(bytes32 indexed personId, int64 demerit);
    /// @notice `personId`'s demerit reached the resignation threshold: they leave office (R-MR-7).
    event MustResign(bytes32 indexed personId, int64 demerit);
    /// @notice `personId` asks to offset demerit entry `entryId` with merit (R-MR-12).
    event OffsetRequested(
        uint256 indexed requestId, bytes32 indexed personId, uint256 entryId, int32 points, bytes32 ref
    );
    /// @notice An upper committee member approved; `done` once enough approved and the offset applied.
    event OffsetApproved(uint256 indexed requestId, address approver, uint8 approvals, bool done);

    /// @notice The case is not at the step this act belongs to (review steps run in order).
    /// @custom:rule R-MR-10
    error WrongStage(uint256 caseId, Stage current, Stage needed);
    /// @notice A required hash (evidence, commitment, seal) is zero.
    /// @custom:rule R-MR-4
    error EmptyHash();
    /// @notice The profile does not offer this award (its table gives it no points).
    /// @custom:rule R-MR-2
    error AwardNotInProfile(Award award);
    /// @notice Citizen awards are for citizens' reports, the cadre tables for cadres' (R-MR-3, R-MR-4).
    /// @custom:rule R-MR-4
    error AwardNotForClass(Award award, ReporterClass class);
    /// @notice The two reviewers must be two distinct non-zero accounts, neither the accused's key.
    /// @custom:rule R-MR-10
    error InvalidReviewers(address reviewer1, address reviewer2);
    /// @notice The caller is not one of the case's reviewers.
    /// @custom:rule R-MR-10
    error NotReviewer(uint256 caseId, address caller);
    /// @notice This reviewer already sealed (or opened) a conclusion.
    /// @custom:rule R-MR-10
    error AlreadySealed(uint256 caseId, address reviewer);
    /// @notice Conclusions open only once both reviewers have sealed theirs (back to back).
    /// @custom:rule R-MR-10
    error ReviewsNotSealed(uint256 caseId, uint8 sealedCount);
    /// @notice The opening does not match the sealed conclusion.
    /// @custom:rule R-MR-10
    error SealMismatch(uint256 caseId, address reviewer);
    /// @notice This member already voted on this proposal.
    /// @custom:rule R-MR-10
    error AlreadyVoted(uint256 caseId, address member);
    /// @notice The committee size must be at least one.
    /// @custom:rule R-MR-10
    error InvalidCommitteeSize(uint256 size);
    /// @notice The reporter's opening does not match the report's commitment.
    /// @custom:rule R-MR-4
    error CommitmentMismatch(uint256 caseId, bytes32 reporter);
    /// @notice An award or a false-accusation penalty needs the reporter revealed.
    /// @custom:rule R-MR-8
    error ReporterNotRevealed(uint256 caseId);
    /// @notice The award is for a removal (免职) but the finding removes nobody.
    /// @custom:rule R-MR-2
    error AwardNeedsRemoval(Award award, Finding finding);
    /// @notice An award or party that this finding does not allow (no award when unfounded or malicious;
    /// liability and silence only with corruption, R-MR-5, R-MR-6).
    /// @custom:rule R-MR-5
    error NotAllowedWithFinding(Finding finding);
    /// @notice A procedural sanction must be 1..proceduralMax tenths; other findings carry none.
    /// @custom:rule R-MR-12
    error InvalidSanction(uint16 sanction, uint16 max);
    /// @notice A party is zero, the accused, or listed twice; or too many silent peers.
    /// @custom:rule R-MR-6
    error InvalidParty(bytes32 personId);
    /// @notice A dereliction finding concerns the discipline secretary (R-SU-5).
    /// @custom:rule R-SU-5
    error NotDisciplineSecretary(bytes32 accused, bytes32 holder);
    /// @notice The decision given is not the one adopted for this case.
    /// @custom:rule R-MR-10
    error DecisionMismatch(uint256 caseId);
    /// @notice The appeal window has closed.
    /// @custom:rule R-MR-11
    error AppealWindowClosed(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice The appeal window is still open: the case is not final yet.
    /// @custom:rule R-MR-11
    error AppealWindowOpen(uint256 caseId, uint64 deadline, uint64 now_);
    /// @notice The caller's key is not the appellant's (PersonRegistry).
    /// @custom:rule R-MR-11
    error NotPersonKey(address caller, bytes32 personId);
    /// @notice Only a person the decision affects may appeal.
    /// @custom:rule R-MR-11
    error NotAppealParty(uint256 caseId, bytes32 personId);
    /// @notice The offset request does not exist or is already applied.
    /// @custom:rule R-MR-12
    error OffsetClosed(uint256 requestId);
    /// @notice This upper committee member already approved.
    /// @custom:rule R-MR-12
    error AlreadyApproved(uint256 requestId, address approver);

    /// @param jurisdiction_ the jurisdiction (roles, profile parameters, offices)
    /// @param persons_ the province's person registry
    /// @param book_ the province's merit ledgers
    /// @param succession_ the jurisdiction's succession order
    /// @param table_ award points and amounts from the profile (tenths)
    /// @param committeeSize_ members of the merit committee
    constructor(
        Jurisdiction jurisdiction_,
        PersonRegistry persons_,
        MeritBook book_,
        Succession succession_,
        Table memory table_,
        uint8 committeeSize_
    ) JurisdictionBound(jurisdiction_) {
        if (committeeSize_ == 0) revert InvalidCommitteeSize(committeeSize_);
        persons = persons_;
        calendar = jurisdiction_.calendar();
        book = book_;
        succession = succession_;
        Jurisdiction.Params memory p = jurisdiction_.params();
        _appealDays = p.appealWorkingDays;
        _answerDays = p.appealAnswerWorkingDays;
        _warning = p.warningDemerit;
        _resign = p.resignDemerit;
        _table = table_;
        committeeSize = committeeSize_;
        emit TableSet(table_, committeeSize_);
    }

    /// @notice Set the number of merit committee members (keep it equal to the MERIT_COMMITTEE holders).
    /// Only the jurisdiction's admin.
    /// @param size number of members
    function setCommitteeSize(uint8 size) external onlyRole(0x00) {
        if (size == 0) revert InvalidCommitteeSize(size);
        committeeSize = size;
        emit CommitteeSizeSet(size);
    }

    // ---------------------------------------------------------------- reports (R-MR-4)

    /// @notice File a report. Anyone may send it (e.g. an intake desk relaying it), so the sender says
    /// nothing about the reporter; the reporter is only `commitment`.
    /// @param accused the person reported
    /// @param class the reporter's class (committee member, other cadre, citizen)
    /// @param claimed the award the report claims (None for none)
    /// @param evidenceHash hash of the evidence package
    /// @param commitment keccak256(abi.encode(reporterPersonId, salt))
    /// @param identityBlob hash of the encrypted identity file (SM2/SM4) kept off chain
    /// @return caseId the new case
    function fileReport(
        bytes32 accused,
        ReporterClass class,
        Award claimed,
        bytes32 evidenceHash,
        bytes32 commitment,
        bytes32 identityBlob
    ) external returns (uint256 caseId) {
        if (!persons.isRegistered(accused)) revert MeritBook.UnregisteredPerson(accused);
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

    /// @notice Step 1: assign the two back-to-back reviewers.
    /// @param caseId the case
    /// @param reviewer1 first reviewer
    /// @param reviewer2 second reviewer
    function assignReviewers(uint256 caseId, address reviewer1, address reviewer2)
        external
        onlyRole(Roles.MERIT_COMMITTEE)
    {
        Case storage c = _at(caseId, Stage.Filed);
        if (
            reviewer1 == address(0) || reviewer2 == address(0) || reviewer1 == reviewer2
                || persons.personOf(reviewer1) == c.accused || persons.personOf(reviewer2) == c.accused
        ) revert InvalidReviewers(reviewer1, reviewer2);
        c.reviewer1 = reviewer1;
        c.reviewer2 = reviewer2;
        c.stage = Stage.InReview;
        emit ReviewersAssigned(caseId, reviewer1, reviewer2);
    }

    /// @notice Step 1: a reviewer seals their conclusion:
    /// keccak256(abi.encode(ledger, caseId, reviewer, conclusion, reportHash, salt)).
    /// @param caseId the case
    /// @param seal the sealed conclusion
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

    /// @notice Step 1: a reviewer opens their conclusion, once both are sealed.
    /// @param caseId the case
    /// @param conclusion the conclusion
    /// @param reportHash hash of the reviewer's written review
    /// @param salt the seal's salt
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

    /// @notice Step 2: anchor the big-data re-check result.
    /// @param caseId the case
    /// @param resultHash hash of the re-check report
    /// @param consistent whether the re-check agrees with the initial reviews
    function anchorRecheck(uint256 caseId, bytes32 resultHash, bool consistent)
        external
        onlyRole(Roles.MERIT_COMMITTEE)
    {
        Case storage c = _at(caseId, Stage.Reviewed);
        if (resultHash == bytes32(0)) revert EmptyHash();
        c.stage = Stage.Rechecked;
        emit Rechecked(caseId, resultHash, consistent);
    }

    /// @notice Step 3: put a decision to the committee's vote. The contract checks it against the
    /// profile's tables and the report; the points follow from the table, never from the caller.
    /// @param caseId the case
    /// @param d the decision
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

    /// @notice Step 3: a committee member votes on the current proposal. More than half of the
    /// committee adopts it; half or more against rejects it (a new proposal may follow).
    /// @param caseId the case
    /// @param yes for or against
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

    /// @notice Step 4: publish the adopted decision (R-MR-10). The appeal window (R-MR-11) closes at the
    /// end of the 7th working day after the day of publication, computed here from the calendar.
    /// @param caseId the case
    /// @param noticeHash hash of the published notice
    function publish(uint256 caseId, bytes32 noticeHash) external onlyRole(Roles.MERIT_COMMITTEE) {
        Case storage c = _at(caseId, Stage.Decided);
        uint64 appealDeadline = calendar.deadline(block.timestamp, _appealDays);
        c.publishedAt = uint64(block.timestamp);
        c.appealDeadline = appealDeadline;
        c.stage = Stage.Published;
        emit Published(caseId, noticeHash, uint64(block.timestamp), appealDeadline);
    }

    // ---------------------------------------------------------------- appeal and finality (R-MR-11)

    /// @notice Appeal a published decision within the window, signed with the appellant's own key.
    /// @param caseId the case
    /// @param d the published decision
    /// @param appellant the appellant's person id (a person the decision affects)
    /// @param salt the report commitment's salt if the appellant is the unrevealed reporter, else zero
    /// @param groundsHash hash of the written appeal (the upper committee answers by the end of the
    /// 15th working day after the appeal's day, computed here from the calendar)
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

    /// @notice The upper committee answers an appeal: upheld makes the case final, otherwise it is annulled.
    /// A late answer is accepted and marked late (R-MR-13 reports it).
    /// @param caseId the case
    /// @param d the published decision
    /// @param upheld whether the decision stands
    /// @param answerHash hash of the written answer
    function decideAppeal(uint256 caseId, Decision calldata d, bool upheld, bytes32 answerHash)
        external
        onlyRole(Roles.UPPER_COMMITTEE)
    {
        Case storage c = _at(caseId, Stage.Appealed);
        _checkDecision(caseId, c, d);
        emit AppealDecided(caseId, upheld, answerHash, block.timestamp > c.answerDeadline);
        if (upheld) {
            _finalize(caseId, c, d);
        } else {
            c.stage = Stage.Annulled;
            c.closedAt = uint64(block.timestamp);
            emit CaseClosed(caseId, false, uint64(block.timestamp));
        }
    }

    /// @notice Make a published case final once its appeal window has passed without appeal. Anyone.
    /// @param caseId the case
    /// @param d the published decision
    function finalize(uint256 caseId, Decision calldata d) external {
        Case storage c = _at(caseId, Stage.Published);
        if (block.timestamp <= c.appealDeadline) {
            revert AppealWindowOpen(caseId, c.appealDeadline, uint64(block.timestamp));
        }
        _checkDecision(caseId, c, d);
        _finalize(caseId, c, d);
    }

    // ---------------------------------------------------------------- offsets (R-MR-12)

    /// @notice Ask to offset one's own minor procedural sanction with merit; signed with one's key.
    /// @param entryId the demerit entry in the book
    /// @param personId its person (the caller)
    /// @param kind its kind
    /// @param points its points
    /// @param ref its case reference
    /// @return requestId the request
    function requestOffset(uint256 entryId, bytes32 personId, EntryKind kind, int32 points, bytes32 ref)
        external
        returns (uint256 requestId)
    {
        if (persons.keyOf(personId) != msg.sender) revert NotPersonKey(msg.sender, personId);
        book.checkOffset(entryId, personId, kind, points, ref);
        requestId = ++offsetCount;
        _offsets[requestId] = OffsetRequest(personId, ref, entryId, points, 0, false);
        emit OffsetRequested(requestId, personId, entryId, points, ref);
    }

    /// @notice An upper committee member approves an offset; with enough approvals (county: two levels
    /// up) it is applied at once, and the succession order takes one pass (R-SU-3).
    /// @param requestId the request
    function approveOffset(uint256 requestId) external onlyRole(Roles.UPPER_COMMITTEE) {
        OffsetRequest storage r = _offsets[requestId];
        if (r.personId == bytes32(0) || r.done) revert OffsetClosed(requestId);
        if (_approved[requestId][msg.sender]) revert AlreadyApproved(requestId, msg.sender);
        _approved[requestId][msg.sender] = true;
        uint8 approvals = ++r.approvals;
        bool done = approvals >= _table.offsetApprovals;
        if (done) {
            r.done = true;
            book.offset(r.entryId, r.personId, EntryKind.Procedural, r.points, r.ref);
        }
        emit OffsetApproved(requestId, msg.sender, approvals, done);
        if (done) succession.overtakePass();
    }

    // ---------------------------------------------------------------- views

    /// @notice The award table and amounts of this jurisdiction's profile.
    function table() external view returns (Table memory) {
        return _table;
    }

    /// @notice A case's stored state.
    function caseOf(uint256 caseId) external view returns (Case memory) {
        return _cases[caseId];
    }

    /// @notice An offset request.
    function offsetRequest(uint256 requestId) external view returns (OffsetRequest memory) {
        return _offsets[requestId];
    }

    /// @notice Whether `personId` is on the warning list (demerit >= 4.0) and must resign (>= 6.0), R-MR-7.
    function status(bytes32 personId) external view returns (bool warning, bool mustResign) {
        int64 d = book.totals(personId).demerit;
        return (d >= int64(uint64(_warning)), d >= int64(uint64(_resign)));
    }

    /// @notice Hash a decision as `propose` stores it.
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
            if (!persons.isRegistered(d.reporter)) revert MeritBook.UnregisteredPerson(d.reporter);
        }
        if (d.award != Award.None) {
            if (f == Finding.Unfounded || f == Finding.Malicious) revert NotAllowedWithFinding(f);
            if (d.reporter == bytes32(0)) revert ReporterNotRevealed(caseId);
            _checkAward(d.award, c.class);
            if (
                !removes
                    && (d.award == Award.DirectSuperiorRemoved
                        || d.award == Award.KeyClueSameLevelSecretary
                        || d.award == Award.OtherDepartmentRemoved)
            ) revert AwardNeedsRemoval(d.award, f);
        }
        if (f == Finding.Malicious && c.claimed != Award.None && d.reporter == bytes32(0)) {
            revert ReporterNotRevealed(caseId);
        }
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
        if (!persons.isRegistered(p)) revert MeritBook.UnregisteredPerson(p);
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
            int32 penalty =
                int32(uint32(_table.awards[uint256(c.claimed)])) * int32(uint32(_table.falseAccusationFactor));
            if (c.claimed != Award.None && penalty != 0) {
                book.append(d.reporter, Ledger.Merit, EntryKind.FalseAccusation, -penalty, ref);
                meritChanged = true;
            }
            _orderPass(meritChanged);
            return;
        }
        if (f == Finding.Unfounded) return;
        if (d.award != Award.None) {
            book.append(d.reporter, Ledger.Merit, EntryKind.Award, int32(uint32(_table.awards[uint256(d.award)])), ref);
            meritChanged = true;
        }
        bytes32 accused = c.accused;
        if (f == Finding.Corruption) {
            book.append(accused, Ledger.Demerit, EntryKind.Corruption, 0, ref);
            persons.blacklist(accused, d.findingHash); // R-MR-9
            meritChanged = _liability(d.directSupervisor, _table.liabilityDirect, d.directGaveClue, ref) || meritChanged;
            meritChanged = _liability(d.nextSupervisor, _table.liabilityNext, d.nextGaveClue, ref) || meritChanged;
            for (uint256 i = 0; i < d.silent.length; ++i) {
                book.append(d.silent[i], Ledger.Demerit, EntryKind.Silence, int32(uint32(_table.silence)), ref);
            }
        } else if (f == Finding.Procedural) {
            book.append(accused, Ledger.Demerit, EntryKind.Procedural, int32(uint32(d.sanction)), ref);
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
        book.append(p, Ledger.Demerit, EntryKind.LeadershipLiability, int32(uint32(points)), ref);
        if (gaveClue) {
            book.append(p, Ledger.Merit, EntryKind.ClueRefund, int32(uint32(_table.clueRefund)), ref);
            return true;
        }
        return false;
    }

    /// @dev R-MR-7: warning list at 4.0, resignation at 6.0 (the secretary's triggers R-SU-2).
    function _threshold(bytes32 p, uint16 added) private {
        // slither-disable-next-line incorrect-equality
        if (p == bytes32(0) || added == 0) return;
        int64 d = book.totals(p).demerit;
        int64 before = d - int64(uint64(added));
        if (d >= int64(uint64(_warning)) && before < int64(uint64(_warning))) emit WarningListed(p, d);
        if (d >= int64(uint64(_resign))) {
            if (before < int64(uint64(_resign))) emit MustResign(p, d);
            succession.remove(p, "resigned");
        }
    }
}
