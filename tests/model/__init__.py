"""Pure-Python reference models of the rules, independent of the contracts they cross-check.

The agreement tests draw random examples through both; each example costs seconds of chain time.
``make test`` (CI, 15-minute budget) runs a few per test; ``make deep`` (``ZHILI_DEEP=1``, anvil only)
runs the full count, like the benchmark. Deterministic edge cases do not depend on either count.
"""

from __future__ import annotations

import os

DEEP = os.environ.get("ZHILI_DEEP") == "1"


def examples(deep: int, ci: int) -> int:
    """The number of random examples of an agreement test: ``deep`` under ``make deep``, ``ci`` otherwise."""
    return deep if DEEP else ci
