"""What the console tests share by import (a module name of its own: ``conftest`` is one name for seven
files, and which of them ``from conftest import`` finds depends on the order a worker collected them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zhili.core.chain import Chain


@dataclass
class Site:
    """A console served over an indexed demo term: its URL, its index database and its chain."""

    url: str
    db: Path
    chain: Chain
