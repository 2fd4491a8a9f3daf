"""Issue 18's gas goals, measured by the benchmark's own section (``zhili.bench.village``): a
declaration ≤ 60,000 gas; verification ≤ 25,000 per item in a batch; a quarter's publication for
1,000 persons ≤ 30 M in total (here per person × 1,000, measured over a smaller village: the fixed
part of the transaction makes the small village's per-person figure the larger)."""

from __future__ import annotations

from zhili.bench.village import village_gas
from zhili.core.chain import Chain


def test_gas_goals(chain: Chain) -> None:
    g = village_gas(chain, n=40)
    assert g["declare"] <= 60_000, g
    assert g["verify"] <= 25_000, g
    assert g["publish_quarter"] * 1_000 <= 30_000_000, g
    assert g["redeem"] <= 100_000, g
