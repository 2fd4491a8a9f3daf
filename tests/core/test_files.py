"""Crash safety of the files the client keeps (issue 9): written whole or not at all, never overwritten
by accident, secrets readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zhili.core.files import write_atomic


def test_written_whole_private_and_never_overwritten(tmp_path: Path) -> None:
    p = write_atomic(tmp_path / "opening.json", '{"salt": "0x01"}', private=True)
    assert p.read_text() == '{"salt": "0x01"}' and p.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        write_atomic(p, "something else")
    assert p.read_text() == '{"salt": "0x01"}'
    write_atomic(p, b"replaced", replace=True)
    assert p.read_bytes() == b"replaced" and p.stat().st_mode & 0o777 == 0o644
    assert sorted(x.name for x in tmp_path.iterdir()) == ["opening.json"]  # no temporary left behind


def test_a_crash_while_writing_leaves_nothing_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The process dies (here: an error) after part of the data is written: the old file, or none."""
    old = write_atomic(tmp_path / "manifest.json", "old, complete")

    def die(fd: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "fsync", die)
    with pytest.raises(OSError, match="disk gone"):
        write_atomic(old, "new but cut short", replace=True)
    with pytest.raises(OSError, match="disk gone"):
        write_atomic(tmp_path / "receipt.json", "never complete", private=True)
    assert old.read_text() == "old, complete"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["manifest.json"]
