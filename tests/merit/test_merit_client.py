"""Client pieces of the merit ledger that need no chain: working-day deadlines (SPEC §8, R-MR-11),
the reporter identity sealed with SM2/SM4 (R-MR-4), the award table from the profiles (R-MR-2 … R-MR-4)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from zhili import profiles
from zhili.core import workdays
from zhili.election.client import person_id
from zhili.merit.client import Award, Decision, Finding, table_from_profile
from zhili.merit.identity import CommitteeKey, IdentityError, ReporterIdentity, commitment_of, open_identity, seal_identity


def ts(y: int, m: int, d: int, h: int = 10) -> int:
    return int(datetime(y, m, d, h, tzinfo=workdays.BEIJING).timestamp())


def test_deadline_follows_the_official_calendar() -> None:
    # SPEC §8, R-MR-11: National Day 2025 (Oct 1-8 off, Sat Oct 11 an adjusted workday), computed over
    # the year maps taken from the notice (here the library's record of it)
    years = {y: workdays.Notice.from_library(y).year_map() for y in (2025, 2026)}.get
    d = workdays.add_working_days(ts(2025, 9, 30), 7, years)
    assert d.last_day == date(2025, 10, 16)
    assert d.deadline == int(datetime(2025, 10, 17, tzinfo=workdays.BEIJING).timestamp())  # 24:00 of the 16th
    assert workdays.add_working_days(ts(2025, 9, 30, 23), 7, years).deadline == d.deadline  # any time of the start day
    assert workdays.add_working_days(ts(2025, 10, 1), 7, years).deadline == d.deadline  # a holiday start day changes nothing
    assert workdays.add_working_days(ts(2025, 10, 9), 7, years).last_day == date(2025, 10, 17)  # 10, 11 (Sat, worked), 13-17
    # 15 working days across the 2026 Spring Festival (15-23 Feb off, Saturdays 14 and 28 Feb worked):
    # 14, 24-27, 28 Feb, 2-6, 9-12 Mar
    assert workdays.add_working_days(ts(2026, 2, 13), 15, years).last_day == date(2026, 3, 12)


def test_a_year_without_a_published_calendar_is_refused() -> None:
    # SPEC §8: no hand-written holidays and no guessing: a year nobody published is an error naming the
    # year and the command that publishes it
    years = {2031: None}.get
    with pytest.raises(workdays.CalendarError, match=r"SPEC §8: the working-day calendar of 2031 .*zhili calendar publish 2031"):
        workdays.add_working_days(ts(2031, 3, 3), 7, years)


def test_identity_blob_round_trip_and_tamper_evidence() -> None:
    # R-MR-4: only the commitment goes on chain; the blob opens only with the committee's key
    key = CommitteeKey.generate()
    ident = ReporterIdentity.new(person_id("330110197001010011"), name="张三", id_number="330110197001010011")
    blob = seal_identity(ident, key.public_only())
    assert ident.person_id.hex() not in blob.decode() and "张三" not in blob.decode("utf-8")
    assert open_identity(blob, key, commitment=commitment_of(ident.person_id, ident.salt)) == ident
    with pytest.raises(IdentityError, match="R-MR-4"):
        open_identity(blob, CommitteeKey.generate())
    with pytest.raises(IdentityError, match="private"):
        open_identity(blob, key.public_only())
    d = json.loads(blob)
    d["key"] = d["key"][:-2] + ("00" if d["key"][-2:] != "00" else "01")
    with pytest.raises(IdentityError):
        open_identity(json.dumps(d).encode(), key)
    with pytest.raises(IdentityError, match="commitment"):
        open_identity(blob, key, commitment=b"\1" * 32)


def test_sm2_key_whose_x_starts_with_04() -> None:
    # gmssl strips a leading "04" from public keys; zhili passes keys as they are
    key = CommitteeKey.from_private("3ef372a064648401905996942d63887e16bbba72a6602c5bb5cb2bfc8b5f4dfe")
    assert key.public.startswith("04")
    ident = ReporterIdentity.new(b"\7" * 32)
    assert open_identity(seal_identity(ident, key.public_only()), key) == ident


def test_award_tables_from_profiles() -> None:
    # R-MR-2 township, R-MR-3 county, R-MR-4 citizens (both), R-MR-5, R-MR-6, R-MR-8, R-MR-12
    t = table_from_profile(profiles.load("township"))
    assert t[0][Award.DIRECT_SUPERIOR_REMOVED] == 60 and t[0][Award.PEER_INVESTIGATED] == 30
    assert t[0][Award.SECTION_LEVEL_CASE] == 0 and t[0][Award.CITIZEN_BUREAU_LEVEL] == 160
    assert t[1:] == (10, 1, 1, 5, 10, 2, 1, 5)  # ..., offset levels, review working days (R-MR-10 [decision])
    c = table_from_profile(profiles.load("county"))
    assert c[0][Award.SECTION_LEVEL_CASE] == 10 and c[0][Award.DEPUTY_DIVISION_CASE] == 30 and c[0][Award.PEER_INVESTIGATED] == 0
    assert c[-2:] == (2, 5)  # two levels up approve offsets; 5 working days to review


def test_decision_hash_matches_abi_encoding() -> None:
    d = Decision(Finding.CORRUPTION, silent=(b"\1" * 32,))
    assert len(d.hash) == 32 and Decision.from_chain(d.as_tuple()) == d
