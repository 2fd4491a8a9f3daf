"""The indexer's database: one schema for SQLite and PostgreSQL (SQLAlchemy Core, no dialect SQL).

Three kinds of table:

* what was read from the chain, kept as it came: ``meta`` (chain id, genesis hash, schema version),
  ``contracts`` (each followed contract, its kind, its jurisdiction and how far it is indexed),
  ``blocks`` (number, hash and time of every block that holds an indexed log, and of each batch's
  last block: the hashes a rewritten chain is detected by) and ``logs`` (every log of a followed
  contract, raw topics and data, with its decoded name and arguments for listings);
* the projections, folded from ``logs`` by the rebuild code (:mod:`zhili.rebuild` and the domains'
  ``rebuild`` modules) and rewritten whole for a jurisdiction when its logs change: ``jurisdictions``,
  ``persons``, ``elections``, ``polls``, ``motions``, ``budget_lines``, ``documents``, ``merit_totals``,
  ``merit_cases``, ``handovers``, ``appointments``, and a village's ``villages``, ``village_members``,
  ``village_standings`` (per quarter) and ``village_years`` (per year);
* ``labels``: names for person ids that are not on chain (the demo's people), shown beside the id.

Every id is a lower-case ``0x`` hex string; addresses are checksummed as web3 gives them.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, MetaData, Numeric, String, Table, Text

SCHEMA_VERSION = 4  # 2: persons carry their engagement (issue 15, R-EL-11); 3: and their identity commitment (issue 17);
# 4: a jurisdiction's calendar (its own column, shared calendars), the team's appointments (TeamCompletion), villages (SPEC §9), contracts' names

metadata = MetaData()

H32 = String(66)  # 0x + 32 bytes
ADDR = String(42)
U256 = Numeric(78, 0)  # uint256 amounts: exact in both dialects

meta = Table("meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))

contracts = Table(
    "contracts", metadata,
    Column("address", ADDR, primary_key=True),
    Column("kind", String(32), nullable=False),  # artifact name: Jurisdiction, PersonRegistry, Election, BallotBox, …
    Column("jurisdiction", ADDR, nullable=True),  # None for a province's shared contract (PersonRegistry, MeritBook)
    Column("parent", ADDR, nullable=True),  # the contract it was found from (a ballot box's election, a minutes book's council, …)
    Column("calendar", ADDR, nullable=True),  # a Jurisdiction's WorkCalendar (its calendar() when added: one may be shared)
    Column("name", String(64), nullable=True),  # read once when it was added (immutable): a village ledger's village code
    Column("from_block", BigInteger, nullable=False),
    Column("indexed_to", BigInteger, nullable=False),  # last block whose logs are in ``logs`` (from_block - 1: none yet)
)  # fmt: skip

blocks = Table(
    "blocks", metadata,
    Column("number", BigInteger, primary_key=True),
    Column("hash", H32, nullable=False),
    Column("timestamp", BigInteger, nullable=False),
)  # fmt: skip

logs = Table(
    "logs", metadata,
    Column("block", BigInteger, primary_key=True),
    Column("log_index", Integer, primary_key=True),
    Column("tx_hash", H32, nullable=False),
    Column("tx_index", Integer, nullable=False),
    Column("address", ADDR, nullable=False),
    Column("topics", JSON, nullable=False),  # hex strings
    Column("data", Text, nullable=False),  # hex
    Column("event", String(64), nullable=False),  # decoded name ("" if the ABI does not know it)
    Column("args", JSON, nullable=False),  # decoded arguments (bytes as 0x hex), for listings
    Index("ix_logs_address_event", "address", "event"),
)  # fmt: skip

jurisdictions = Table(
    "jurisdictions", metadata,
    Column("address", ADDR, primary_key=True),
    Column("code", String(64), index=True),
    Column("name", Text),
    Column("kind", Integer),  # ProfileKind: 0 township, 1 county
    Column("threshold", Integer),
    Column("weights", JSON),
    Column("holders", JSON),  # office key -> person id or None
    Column("roles", JSON),  # role id -> sorted accounts
    Column("contracts", JSON),  # kind -> [addresses]
    Column("calendar", ADDR),  # its WorkCalendar (Jurisdiction.calendar(), read when it was added; shared by a province's jurisdictions)
)  # fmt: skip

persons = Table(
    "persons", metadata,
    Column("person_id", H32, primary_key=True),
    Column("registry", ADDR, nullable=False),
    Column("key", ADDR),
    Column("identity", H32),  # the identity commitment the id is bound to (issue 17; PersonRegistered)
    Column("blacklisted", Boolean, nullable=False),
    Column("terms", JSON),  # terms served, by office index
    Column("engaged_in", ADDR),  # the jurisdiction that elected or seats the person (zero address: none)
    Column("engaged_seated", Boolean, nullable=False),  # seated there, not only elected
)  # fmt: skip

labels = Table("labels", metadata, Column("person_id", H32, primary_key=True), Column("name", Text, nullable=False, index=True))

elections = Table(
    "elections", metadata,
    Column("address", ADDR, primary_key=True),
    Column("jurisdiction", ADDR, index=True),
    Column("box", ADDR),
    Column("phase", Integer),
    Column("candidates", JSON),
    Column("finalists", JSON),
    Column("elected", JSON),
    Column("offices", JSON),
    Column("rolls", JSON),
)  # fmt: skip

polls = Table(
    "polls", metadata,
    Column("election", ADDR, primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("purpose", Integer),
    Column("seats", Integer),
    Column("candidates", JSON),
    Column("votes", JSON),  # re-tallied from the opened ballots (BallotRevealed)
    Column("cast", Integer),
    Column("status", Integer),
)  # fmt: skip

motions = Table(
    "motions", metadata,
    Column("council", ADDR, primary_key=True),
    Column("id", Integer, primary_key=True),
    Column("jurisdiction", ADDR, index=True),
    Column("kind", Integer),
    Column("category", Integer),
    Column("status", Integer),
    Column("stage", Integer),
    Column("passed", Boolean, nullable=True),
    Column("yes", Integer),
    Column("no", Integer),
    Column("abstain", Integer),
    Column("threshold", Integer),
    Column("first_responsible", H32, index=True),
    Column("opened_at", BigInteger),
    Column("decided_at", BigInteger, index=True),
    Column("budget_line", H32),
    Column("amount", U256),
    Column("data", JSON),  # the whole folded motion (weights, members, positions, dispute, …)
)  # fmt: skip

budget_lines = Table(
    "budget_lines", metadata,
    Column("council", ADDR, primary_key=True),
    Column("line", H32, primary_key=True),
    Column("index", Integer),
    Column("year", Integer),
    Column("approved", U256),
    Column("spent", U256),
)  # fmt: skip

documents = Table(
    "documents", metadata,
    Column("fingerprint", H32, primary_key=True),
    Column("ledger", ADDR, nullable=False),
    Column("jurisdiction", ADDR, index=True),
    Column("trace", String(96), index=True),
    Column("version", Integer),
    Column("kind", Integer),
    Column("status", Integer),
    Column("algorithm", String(16)),
    Column("signer", H32, index=True),
    Column("anchored_at", BigInteger, index=True),
    Column("previous", H32, nullable=True),
    Column("motion_id", Integer, index=True),
    Column("category", Integer),
    Column("title", Text),
    Column("details", JSON),  # the version as ``zhili doc history --json`` shows it
    Column("raw_details", Text),  # the signed details bytes (hex): signatures are re-verified from them
    Column("reason", Text),
    Column("r", H32),
    Column("vs", H32),
    Column("block", BigInteger),
    Column("tx_hash", H32),
)  # fmt: skip

merit_totals = Table(
    "merit_totals", metadata,
    Column("book", ADDR, primary_key=True),
    Column("person_id", H32, primary_key=True),
    Column("merit", Integer),
    Column("demerit", Integer),
    Column("earned", Integer),
    Column("entries", Integer),
)  # fmt: skip

merit_cases = Table(
    "merit_cases", metadata,
    Column("ledger", ADDR, primary_key=True),
    Column("case_id", Integer, primary_key=True),
    Column("jurisdiction", ADDR, index=True),
    Column("accused", H32, index=True),
    Column("stage", Integer),
    Column("filed_at", BigInteger),
    Column("closed_at", BigInteger),
    Column("data", JSON),
)  # fmt: skip

handovers = Table(
    "handovers", metadata,
    Column("contract", ADDR, primary_key=True),
    Column("kind", String(16), primary_key=True),  # oath, handover, dispute
    Column("id", Integer, primary_key=True),
    Column("jurisdiction", ADDR, index=True),
    Column("data", JSON),
)  # fmt: skip

# ---------------------------------------------------------------------------- team completion (R-TC-1..3)

appointments = Table(
    "appointments", metadata,
    Column("team", ADDR, primary_key=True),  # the TeamCompletion contract
    Column("id", Integer, primary_key=True),  # its appointment id
    Column("jurisdiction", ADDR, index=True),
    Column("kind", Integer),  # TeamKind: 0 committee member (R-TC-1), 1 core office (R-TC-3), 2 government member (R-TC-2)
    Column("step", Integer),  # Step: 1 pending, 2 awaiting confirmation, 3 appointed, 4 refused
    Column("office", Integer),  # the core office filled (255: none, a post)
    Column("post", H32),  # the post's id (keccak of its name)
    Column("person_id", H32, index=True),
    Column("motion_id", Integer),  # the council's nomination motion (R-TC-1, R-TC-3; 0 for R-TC-2)
    Column("nominator", H32),  # the administrator who proposed a government member (R-TC-2)
    Column("created_at", BigInteger),
    Column("settled_at", BigInteger),  # 0: not settled
    Column("data", JSON),  # the folded appointment: bodies needed/confirmed, consent, each confirmation's count, a refusal at seating
)  # fmt: skip

# ---- villages (SPEC §9, R-VC-*): folded by zhili.village.rebuild.fold_village; points in tenths

villages = Table(
    "villages", metadata,
    Column("ledger", ADDR, primary_key=True),  # VillageLedger
    Column("jurisdiction", ADDR, index=True),  # the township
    Column("code", String(64), index=True),  # the village's code (the ledger's immutable ``village``, read when it was added)
    Column("quarters", ADDR),  # VillageQuarters
    Column("market", ADDR, nullable=True),  # CreditSupermarket (None: not followed)
    Column("data", JSON),  # lists (R-VC-2), manual, quarters' publication (R-VC-7), objections, catalogue and bonus (R-VC-10), counts
)  # fmt: skip

village_members = Table(
    "village_members", metadata,
    Column("ledger", ADDR, primary_key=True),
    Column("idx", Integer, primary_key=True),  # the village index (1 …)
    Column("jurisdiction", ADDR, index=True),
    Column("person_id", H32, index=True),
    Column("key", ADDR),
    Column("roles", Integer),  # VillageTypes bits: party 1, representative 2, council 4, secretary 8, keeper 16
    Column("team", Integer),  # scoring team 1..3 (R-VC-6), 0: none
    Column("balance", Integer),  # redeemable credit at the supermarket (R-VC-10)
    Column("redemptions", Integer),  # redemptions made (the account's nonce)
)  # fmt: skip

village_standings = Table(
    "village_standings", metadata,
    Column("ledger", ADDR, primary_key=True),
    Column("quarter", Integer, primary_key=True),  # quarters since 1970 (VillageTypes)
    Column("idx", Integer, primary_key=True),
    Column("jurisdiction", ADDR, index=True),
    Column("person_id", H32, index=True),
    Column("label", String(8)),  # 2026Q2
    Column("state", Integer),  # the quarter's QuarterState: 0 open, 1 publishing, 2 published (objections), 3 final (R-VC-7)
    Column("rank", Integer, nullable=True),  # the published rank (Standing), None before publication
    Column("points", JSON),  # [party+, party-, rep+, rep-, credit+, credit-] as totalled (R-VC-4)
    Column("adjust", JSON),  # [party, rep, credit]: the upheld objections' corrections (R-VC-7)
    Column("party", Integer),  # net of each kind, corrections included
    Column("rep", Integer),
    Column("credit", Integer),
    Column("objections", Integer),  # objections to this standing
    Column("upheld", Integer),  # of which upheld
)  # fmt: skip

village_years = Table(
    "village_years", metadata,
    Column("ledger", ADDR, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("jurisdiction", ADDR, index=True),
    Column("person_id", H32, index=True),
    Column("colours", Integer),  # five-colour contracts signed for the year, bits by Colour (R-VC-3)
    Column("graded", Boolean, nullable=False),  # R-VC-8
    Column("party_score", Integer),
    Column("rep_score", Integer),
    Column("villager_score", Integer),
    Column("party_grade", Integer),  # 1 优秀, 2 合格, 3 基本合格, 4 不合格, 0 none
    Column("rep_grade", Integer),
    Column("stars", Integer),  # 1..5 (villagers)
    Column("rectification", Integer),  # R-VC-9: 0 none, 1 due, 2 rectified, 3 seat lost
    Column("rectify_by", BigInteger),
    Column("referred", Boolean, nullable=False),  # a party member graded 不合格 referred to the branch (R-VC-9)
    Column("helper", Integer),  # the party member assigned to help (village index, 0: none; R-VC-9)
    Column("credited", Boolean, nullable=False),  # the year's credit claimed at the supermarket (R-VC-10)
)  # fmt: skip

#: The tables rewritten from the logs (per jurisdiction) by :func:`zhili.index.indexer.project`.
PROJECTIONS = (jurisdictions, persons, elections, polls, motions, budget_lines, documents, merit_totals, merit_cases, handovers,
               appointments, villages, village_members, village_standings, village_years)  # fmt: skip
